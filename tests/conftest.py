"""Every test gets its own data dir through QUIZDL_HOME, so none touches a real user's progress."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SAMPLE_DECKS = DATA / "decks"


@pytest.fixture(autouse=True)
def quizdl_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZDL_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("QUIZDL_NO_PREPARE", "1")  # no background cache warm-up (grading/prepare.py)
    return home


def choice_key(card_id: str = "sample-choice", option: int | None = None) -> str:
    """The digit that picks a new sample card's right option (or option index `option`) today:
    options are shuffled per presentation (seeded by card, state and study day)."""
    from datetime import UTC, datetime

    from quizdl import config as cfg
    from quizdl import scheduler as sched
    from quizdl.cards import load_library
    from quizdl.session import option_order

    card = load_library([SAMPLE_DECKS], drill_ids=set(), use_cache=False).get(card_id)
    day = sched.day_start(datetime.now(UTC), cfg.Config().day_starts_at).timestamp()
    return str(option_order(card, None, day).index(card.answer if option is None else option) + 1)
