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
    from quizdl.cards import load_library

    return load_library(extra=extra or [])


def _lang(lang: str | None, config) -> str:
    from quizdl.config import LANGUAGES

    lang = lang or config.language
    if lang not in LANGUAGES:
        raise QuizdlError(f"--lang must be one of {', '.join(LANGUAGES)}, not {lang!r}")
    return lang


def _now():
    from datetime import datetime

    return datetime.now(UTC)
