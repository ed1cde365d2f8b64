"""What the command modules share: the --cards and --lang options, the console, the card library."""

from __future__ import annotations

from datetime import UTC
from pathlib import Path

import typer

from quizdl.errors import QuizdlError

CardsOption = typer.Option(
    None,
    "--cards",
    help="Extra folder (or file) of your own *.yaml decks, loaded beside the built-ins. Repeatable.",
    show_default=False,
)
LangOption = typer.Option(None, "--lang", help="Card language: en, zh or both (default: config).")


def _console():
    from rich.console import Console

    return Console()


def _library(extra: list[Path] | None):
    """Every card that is valid. A broken deck of the user's must not stop study of the rest, so
    its problems become one warning on stderr (first few, file:line) instead of an error."""
    from quizdl.cards import load_library

    library = load_library(extra=extra or [], strict=False)
    if library.problems:
        _warn_deck_problems(library.problems)
    return library


def _warn_deck_problems(problems, shown: int = 5) -> None:
    from rich.console import Console
    from rich.markup import escape

    n = len(problems)
    console = Console(stderr=True)
    console.print(f"[yellow]warning:[/] skipped what is invalid in your decks ({n} problem{'s' if n != 1 else ''};"
                  " see `quizdl cards check`):", highlight=False, soft_wrap=True)
    for problem in problems[:shown]:
        console.print(f"  {escape(str(problem))}", highlight=False, soft_wrap=True)
    if n > shown:
        console.print(f"  … and {n - shown} more", highlight=False)


def _lang(lang: str | None, config) -> str:
    from quizdl.config import LANGUAGES

    lang = lang or config.language
    if lang not in LANGUAGES:
        raise QuizdlError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}",
                          zh=f"--lang 只能是 {', '.join(LANGUAGES)} 之一，而不是 {lang!r}")
    return lang


def _now():
    from datetime import datetime

    return datetime.now(UTC)
