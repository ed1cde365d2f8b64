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
