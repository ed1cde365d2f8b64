"""Two `quizdl study` sessions at once on one database lose no update (issue #12)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

from quizdl import paths
from quizdl.store import ItemState, Store

N_CARDS = 260
ANSWERS = 120


def _deck(folder: Path) -> None:
    lines = ["deck: race", "title: {en: Race, zh: 竞争}", "cards:"]
    for i in range(N_CARDS):
        lines += [f"  - id: race-{i:03d}", "    type: basic",
                  f"    front: {{en: 'question {i}', zh: '问题 {i}'}}",
                  f"    back: {{en: 'answer {i}', zh: '答案 {i}'}}"]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "race.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def _seed(db: Path) -> dict[str, ItemState]:
    """Every card a review, due a day ago: both sessions want the same cards in the same order."""
    now = time.time()
    seeded = {}
    with Store.open(db) as store, store.transaction() as conn:
        for i in range(N_CARDS):
            state = ItemState(f"race-{i:03d}", 2, None, 3.0 + i * 0.01, 5.0, now - 86400, now - 4 * 86400, 3, 0)
            Store._put_state(conn, state)
            seeded[state.item_id] = state
    return seeded


def test_two_sessions_at_once_compute_every_answer_from_the_current_state(tmp_path):
    home, decks = tmp_path / "home", tmp_path / "decks"
    _deck(decks)
    home.mkdir()
    seeded = _seed(home / "progress.sqlite3")
    env = dict(os.environ, QUIZDL_HOME=str(home), NO_COLOR="1", COLUMNS="100",
               PYTHONPATH=str(paths.package_dir().parent))
    command = [sys.executable, "-m", "quizdl", "study", "--cards", str(decks), "-t", "race", "--new", "0",
               "--limit", str(ANSWERS), "--lang", "en"]
    answers = "".join("\n" + "2334"[i % 4] + "\n" for i in range(ANSWERS))  # no Again: no relearning
    piped = tmp_path / "answers.txt"
    piped.write_text(answers, encoding="utf-8")
    with piped.open() as in_a, piped.open() as in_b:
        procs = [subprocess.Popen(command, stdin=stdin, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  env=env, text=True) for stdin in (in_a, in_b)]
        outs = [p.communicate(timeout=300) for p in procs]
    for p, (_out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err[-2000:]
    with Store.open(home / "progress.sqlite3") as store:
        reviews = store.reviews()
        done = [int(re.search(r"Session done: (\d+) card", out).group(1)) for out, _ in outs]
        assert len(reviews) == sum(done) >= ANSWERS  # every answer kept
        last: dict[str, ItemState | None] = dict(seeded)
        for review in reviews:  # in commit order: each answer starts from the state before it
            assert review.before == last[review.item_id], review.item_id
            last[review.item_id] = review.after
        for item_id, state in last.items():
            assert store.get_state(item_id) == state
