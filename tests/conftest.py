"""Every test gets its own data dir through QUIZDL_HOME, so none touches a real user's progress."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

DATA = Path(__file__).parent / "data"
SAMPLE_DECKS = DATA / "decks"
REPO = Path(__file__).resolve().parent.parent

_IMPORT_PROBE = """
import io, sys
sys.argv = ["quizdl", *sys.argv[1:]]
sys.stdin = io.StringIO("q\\n")
from quizdl.cli.app import main
try:
    main()
except SystemExit:
    pass
print("LOADED:", ",".join(sorted(sys.modules)))
"""


@pytest.fixture(autouse=True)
def quizdl_home(tmp_path, monkeypatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("QUIZDL_HOME", str(home))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("QUIZDL_NO_PREPARE", "1")  # no background cache warm-up (grading/prepare.py)
    return home


def modules_loaded_by(*args: str, home: Path) -> set[str]:
    """Every module a `quizdl ARGS` process (stdin: "q") has imported when it ends: what
    start-up-cost tests check for heavy or optional imports."""
    proc = subprocess.run(
        [sys.executable, "-c", _IMPORT_PROBE, *args],
        cwd=REPO,
        env={"QUIZDL_HOME": str(home), "PATH": "/usr/bin:/bin", "COLUMNS": "100", "NO_COLOR": "1",
             "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    line = [ln for ln in proc.stdout.splitlines() if ln.startswith("LOADED:")][-1]
    return {m for m in line.removeprefix("LOADED:").strip().split(",") if m}


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
