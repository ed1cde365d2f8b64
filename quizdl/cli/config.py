"""`quizdl config get|set|path`."""

from __future__ import annotations

import typer

from quizdl.errors import QuizdlError

# --- config ---------------------------------------------------------------------------------

config_app = typer.Typer(help="Show or change settings (stored in config.yaml in the data dir).", no_args_is_help=True)


@config_app.command("get")
def config_get(key: str = typer.Argument(None, help="One setting; all when omitted.", show_default=False)) -> None:
    """Print settings. Example: [bold]quizdl config get new_per_day[/]"""
    from quizdl import config as cfg

    current = cfg.load().to_dict()
    if key is None:
        for k, v in current.items():
            typer.echo(f"{k} = {_show_value(v)}")
        return
    if key not in current:
        raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(current)}")
    typer.echo(_show_value(current[key]))


@config_app.command("set")
def config_set(key: str = typer.Argument(..., help="Setting name."), value: str = typer.Argument(..., help="New value.")) -> None:
    """Change a setting. Example: [bold]quizdl config set learning_steps "1 10"[/]

    Settings: desired_retention (0.7-0.99, default 0.9), new_per_day (20), max_reviews_per_day
    (200), learning_steps (minutes, "1 10"), relearning_steps ("10"), language (en/zh/both),
    day_starts_at (local hour, 4), fsrs_parameters (21 numbers from `quizdl optimize`, or default).
    """
    from quizdl import config as cfg

    current = cfg.load()
    if key not in cfg.setting_names():
        raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(cfg.setting_names())}")
    setattr(current, key, cfg.parse_value(key, value))
    path = cfg.save(current)
    typer.echo(f"{key} = {_show_value(getattr(current, key))}  (saved to {path})")


@config_app.command("path")
def config_path() -> None:
    """Print where the config file and progress database live (QUIZDL_HOME overrides).

    Example: [bold]QUIZDL_HOME=/tmp/q quizdl config path[/]
    """
    from quizdl import paths

    typer.echo(f"data dir:  {paths.home()}\nconfig:    {paths.config_path()}\nprogress:  {paths.db_path()}")


def _show_value(value: object) -> str:
    if value is None:
        return "default"
    return " ".join(map(str, value)) if isinstance(value, list) else str(value)


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
