"""`quizdl stats`."""

from __future__ import annotations

from pathlib import Path

import typer

from quizdl.cli.common import CardsOption, _console, _library, _now

# --- stats ----------------------------------------------------------------------------------


def stats(json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON."), cards: list[Path] = CardsOption) -> None:
    """Totals, reviews today, retention over 30 days, due forecast for the next 7 days.

    Example: [bold]quizdl stats[/]   ·   [bold]quizdl stats --json | jq .retention_30d[/]
    """
    from quizdl import config as cfg
    from quizdl import stats as st
    from quizdl.store import Store

    config = cfg.load()
    library = _library(cards)
    with Store.open() as store:
        result = st.compute(library, store, config, _now())
    if json_out:
        import json

        typer.echo(json.dumps(result.to_dict(), indent=2))
        return
    from rich.table import Table

    console = _console()
    ret = f"{result.retention_30d:.1%} of {result.reviews_30d}" if result.retention_30d is not None else "— (no reviews yet)"
    console.print(
        f"[bold]Cards[/] {result.cards}: new {result.new} · learning {result.learning} · review "
        f"{result.review} (mature {result.mature}) · leeches {result.leeches}\n"
        f"[bold]Reviews[/] today {result.reviews_today} · all time {result.reviews_total}\n"
        f"[bold]Retention[/] (last 30 days, review cards): {ret}\n"
        f"[bold]Drills[/] {result.drills['attempts']} attempt(s), {result.drills['passes']} passed",
        highlight=False,
    )
    table = Table(title="Due in the next 7 days")
    table.add_column("day")
    table.add_column("due", justify="right")
    for i, row in enumerate(result.forecast):
        table.add_row(row["date"] + (" (today, incl. overdue)" if i == 0 else ""), str(row["due"]))
    console.print(table)


def register(app: typer.Typer) -> None:
    app.command()(stats)
