"""`quizdl optimize`, `quizdl export anki|csv`, `quizdl backup` and `quizdl restore`."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdl.cli.common import CardsOption, LangOption, _lang, _library

# --- optimize ---------------------------------------------------------------------------------


def optimize(
    dry_run: bool = typer.Option(False, "--dry-run", help="Fit and report, but do not save."),
    reset: bool = typer.Option(False, "--reset", help="Go back to FSRS's default parameters."),
    retention: bool = typer.Option(False, "--retention", help="Also suggest a desired retention from a workload simulation."),
    json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
    cards: list[Path] = CardsOption,
) -> None:
    """Fit FSRS-6's parameters to your own review log (needs 400 card reviews).

    Fits on the first 80 % of your reviews by time and compares default, current and fitted
    parameters on the last 20 % (log loss and RMSE over bins, lower is better); the fit is saved
    to the config (fsrs_parameters) only when it predicts those later reviews better.

    Example: [bold]quizdl optimize --dry-run[/]   ·   [bold]quizdl optimize --retention[/]   ·   [bold]quizdl optimize --reset[/]
    """
    from quizdl import config as cfg
    from quizdl import optimize as opt
    from quizdl.store import Store

    config = cfg.load()
    if reset:
        if dry_run:
            typer.echo("--reset with --dry-run: nothing changed")
            return
        config.fsrs_parameters = None
        path = cfg.save(config)
        typer.echo(f"FSRS parameters reset to the defaults (saved to {path})")
        return
    from quizdl.errors import QuizdlError

    with Store.open() as store:
        rows = opt.card_reviews(store)
    try:
        result = opt.fit(rows, current=config.fsrs_parameters, day_starts_at=config.day_starts_at)
    except QuizdlError as exc:
        if not retention:
            raise
        # Too little history to fit: the retention advice still stands on the parameters in use.
        typer.echo(f"no fit: {exc.message}", err=True)
        result = None
    saved = result is not None and result.improves and not dry_run
    if saved:
        config.fsrs_parameters = result.parameters
        cfg.save(config)
    advice = None
    if retention:
        params = config.fsrs_parameters
        advice = opt.suggest_retention(
            params, deck_size=len(_library(cards).cards), new_per_day=config.new_per_day,
            max_reviews_per_day=config.max_reviews_per_day,
        )
    if json_out:
        import json

        out = (result.to_dict() if result is not None else {}) | {"saved": saved}
        if advice is not None:
            out["suggested_retention"] = advice.retention
        typer.echo(json.dumps(out, indent=2))
        return
    if result is not None:
        _print_fit(result, saved)
    if advice is not None:
        typer.echo(
            f"Suggested desired retention: {advice.retention:.2f} (now {config.desired_retention:.2f}): "
            f"the least review time per card remembered in a {advice.days}-day simulation of "
            f"{advice.deck_size} cards at your daily limits. Apply: quizdl config set desired_retention {advice.retention:.2f}"
        )


def _print_fit(result, saved: bool) -> None:
    typer.echo(
        f"{result.reviews} card reviews: fitted on the first 80 % ({result.train_items} items), "
        f"scored on the last 20 % ({result.test_items} reviews)"
    )
    typer.echo(f"  {'parameters':<10} {'log loss':>9} {'RMSE(bins)':>11}")
    for name, s in (("default", result.default), ("current", result.current), ("fitted", result.fitted)):
        if s is not None:
            typer.echo(f"  {name:<10} {s.log_loss:>9.4f} {s.rmse_bins:>11.4f}")
    if saved:
        typer.echo("The fitted parameters predict your later reviews better: saved (fsrs_parameters).")
    elif result.improves:
        typer.echo("The fitted parameters are better; --dry-run, so nothing was saved.")
    else:
        typer.echo("The fitted parameters are no better than the ones in use: kept those.")


# --- export -----------------------------------------------------------------------------------

export_app = typer.Typer(help="Export cards to Anki or the review log to CSV.", no_args_is_help=True)


@export_app.command("anki")
def export_anki(
    file: Path = typer.Argument(..., help="The .apkg file to write.", show_default=False),
    topic: list[str] = typer.Option(None, "--topic", "-t", help="Only this deck id or tag (repeatable).", show_default=False),
    lang: str = LangOption,
    cards: list[Path] = CardsOption,
) -> None:
    """Write cards as an Anki package: one note per card, both languages, formulas for MathJax.

    Re-importing a newer export updates the notes in Anki (GUIDs come from the card ids).

    Example: [bold]quizdl export anki dl.apkg -t normalization --lang en[/]
    """
    from quizdl import config as cfg
    from quizdl import export

    language = _lang(lang, cfg.load())
    result = export.export_anki(_library(cards), file, topics=topic or [], lang=language)
    typer.echo(f"wrote {result.notes} notes in {result.decks} deck(s) to {result.path}")


@export_app.command("csv")
def export_csv(file: Path = typer.Argument(..., help="The CSV file to write.", show_default=False)) -> None:
    """Write the review log as CSV, one row per review (columns in the README).

    Example: [bold]quizdl export csv reviews.csv[/]
    """
    from quizdl import export
    from quizdl.store import Store

    with Store.open() as store:
        n = export.export_csv(store, file)
    typer.echo(f"wrote {n} reviews to {file}")


# --- backup / restore -------------------------------------------------------------------------


def backup(file: Path = typer.Argument(..., help="The zip file to write.", show_default=False)) -> None:
    """Save everything (progress, review log, drill attempts, config, your decks and drills) to one zip.

    Safe while another quizdl runs (SQLite's online backup).

    Example: [bold]quizdl backup ~/quizdl-$(date +%F).zip[/]
    """
    from quizdl import backup as bk

    info = bk.backup(file)
    typer.echo(f"backed up {info.reviews} reviews and {info.files - 1} other file(s) to {info.path} ({info.bytes:,} bytes)")


def restore(
    file: Path = typer.Argument(..., help="A zip made by `quizdl backup`.", show_default=False),
    force: bool = typer.Option(False, "--force", help="Replace existing progress (kept as a timestamped copy)."),
) -> None:
    """Restore a backup into the data dir; existing progress needs --force and is kept aside.

    Example: [bold]quizdl restore ~/quizdl-2026-12-03.zip[/]
    """
    from quizdl import backup as bk

    info = bk.restore(file, force=force)
    typer.echo(f"restored {info.reviews} reviews and {info.files} other file(s)")
    for path in info.kept:
        typer.echo(f"  kept the replaced {path.name.split('.before-restore-')[0]} as {path}")


def register(app: typer.Typer) -> None:
    app.command()(optimize)
    app.add_typer(export_app, name="export")
    app.command()(backup)
    app.command()(restore)
