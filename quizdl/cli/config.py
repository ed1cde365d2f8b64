"""`quizdl config get|set|unset|path`."""

from __future__ import annotations

import typer

from quizdl.errors import QuizdlError

# --- config ---------------------------------------------------------------------------------

config_app = typer.Typer(help="Show or change settings (stored in config.yaml in the data dir).")


@config_app.callback(invoke_without_command=True)
def _config_alone(ctx: typer.Context) -> None:
    # `quizdl config` alone prints its help and exits 0 (no_args_is_help would exit 2)
    if ctx.invoked_subcommand is None:
        typer.echo(ctx.get_help())
        raise typer.Exit(0)


@config_app.command("get")
def config_get(key: str = typer.Argument(None, help="One setting; all when omitted.", show_default=False)) -> None:
    """Print settings. Example: [bold]quizdl config get new_per_day[/]

    A config.yaml with a bad value is reported (file:key: what is wrong), not shown.
    """
    from quizdl import config as cfg

    if key is not None and key not in cfg.setting_names():
        raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(cfg.setting_names())}",
                          zh=f"未知设置 {key!r}；可用的设置：{', '.join(cfg.setting_names())}")
    current = cfg.load().to_dict()
    if key is None:
        for k, v in current.items():
            typer.echo(f"{k} = {cfg.show_value(k, v)}")
        return
    typer.echo(cfg.show_value(key, current[key]))


# ignore_unknown_options: `config set new_per_day -3` hands "-3" to the validator (not "No such option").
@config_app.command("set", context_settings={"ignore_unknown_options": True})
def config_set(key: str = typer.Argument(..., help="Setting name."), value: str = typer.Argument(..., help="New value.")) -> None:
    """Change a setting; works on a config.yaml with bad values too (it replaces this one).

    Example: [bold]quizdl config set learning_steps "1m 10m 1h"[/]

    Settings: desired_retention (0.7-0.99, default 0.9), new_per_day (0-9999, 20),
    max_reviews_per_day (0-99999, 200), learning_steps (1m 10m), relearning_steps (10m),
    language (en/zh/both), day_starts_at (local hour 0-23, 4), learn_ahead_minutes (0-1440, 20),
    new_order (interleave/deck/random), fsrs_parameters (21 numbers from `quizdl optimize`, or
    default). Steps take Anki's units m, h, d; a bare number is minutes.
    """
    from quizdl import config as cfg

    value_ok = cfg.parse_value(key, value, text=True)
    data = cfg.read_raw()
    data[key] = value_ok
    _save_and_report(cfg, data, f"{key} = {cfg.show_value(key, value_ok)}")


@config_app.command("unset")
def config_unset(key: str = typer.Argument(..., help="Setting name.")) -> None:
    """Remove a setting from config.yaml, so its default applies again (or an unknown key).

    Example: [bold]quizdl config unset learning_steps[/]
    """
    from quizdl import config as cfg

    data = cfg.read_raw()
    if key not in cfg.setting_names():
        if key not in data:
            raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(cfg.setting_names())}",
                              zh=f"未知设置 {key!r}；可用的设置：{', '.join(cfg.setting_names())}")
        del data[key]  # a misspelt or obsolete key in the file: removing it is the repair
        _save_and_report(cfg, data, f"removed {key}")
        return
    default = cfg.show_value(key, cfg.Config().to_dict()[key])
    if key not in data:
        typer.echo(f"{key} is not set; it is the default, {default}")
        return
    del data[key]
    _save_and_report(cfg, data, f"{key} = {default} (default)")


def _save_and_report(cfg, data: dict, line: str) -> None:
    """Save the mapping, say what changed, then warn about what is still wrong or unusual."""
    import sys

    path = cfg.save_raw(data)
    typer.echo(f"{line}  (saved to {path})")
    values, problems = cfg.check_mapping(data, str(path))
    for problem in problems:
        print(f"warning: still wrong: {problem}", file=sys.stderr)
    if not problems:
        for warning in cfg.warnings(cfg.Config(**values)):
            print(f"warning: {warning}", file=sys.stderr)


@config_app.command("path")
def config_path() -> None:
    """Print where the config file and progress database live (QUIZDL_HOME overrides).

    Example: [bold]QUIZDL_HOME=/tmp/q quizdl config path[/]
    """
    from quizdl import paths

    typer.echo(f"data dir:  {paths.home()}\nconfig:    {paths.config_path()}\nprogress:  {paths.db_path()}")


def register(app: typer.Typer) -> None:
    app.add_typer(config_app, name="config")
