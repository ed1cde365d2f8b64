"""The command line: typer parses, the core does the work, rich renders. No logic lives here."""

from __future__ import annotations

import sys

import typer

from quizdl.errors import QuizdlError

app = typer.Typer(
    name="quizdl",
    help="Deep-learning interview prep: FSRS-scheduled concept cards and sandbox-graded coding drills.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Entry point: run the app; a QuizdlError becomes a one-line red message and its exit code."""
    try:
        app()
    except QuizdlError as exc:  # raised outside a command (e.g. while building the app)
        _fail(exc)


def _fail(exc: QuizdlError) -> None:
    from rich.console import Console

    Console(stderr=True).print(f"[bold red]error:[/] {exc.message}", highlight=False, markup=True)
    sys.exit(exc.exit_code)
