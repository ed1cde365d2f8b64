"""`quizdl stats`: the numbers (quizdl/stats.py) on hand-made histories, and snapshots of the
pictures (quizdl/cli/stats.py) at 80 columns, with and without colour, in en and zh, for a seeded
demo history at a fixed clock. `UPDATE_SNAPSHOTS=1 pytest tests/test_stats.py` rewrites them."""

from __future__ import annotations

import io
import json
import os
import random
import re
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fsrs import Rating, State
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from quizdl import scheduler as sched
from quizdl import stats
from quizdl import store as store_module
from quizdl.cards import load_library
from quizdl.cli import stats as stats_cli
from quizdl.cli.app import app
from quizdl.config import Config
from quizdl.drill_progress import record_grade
from quizdl.interview import rank_topics
from quizdl.store import DrillAttempt, ItemState, Store

DATA = Path(__file__).parent / "data" / "stats"
DECKS = DATA / "decks"
README = Path(__file__).resolve().parent.parent / "README.md"
NOW = datetime(2026, 12, 3, 10, 0, tzinfo=UTC)  # a Thursday
ANSI = re.compile(r"\x1b\[[0-9;]*m")
COLOUR_SGR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-8]|4[0-8]|9[0-7]|10[0-7])[;m]")
runner = CliRunner()


@pytest.fixture(autouse=True)
def utc(monkeypatch):
    """Study days in a fixed zone, so day boundaries are the same on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def demo_library():
    return load_library([DECKS], drill_ids=set(), use_cache=False)


# How well the simulated learner knows each deck: recall probability = R ** skill (higher = weaker).
SKILL = {"demo-normalization": 0.7, "demo-optimization": 1.6, "demo-regularization": 1.0, "demo-lr-schedules": 1.2}
STARTS = {"demo-normalization": 190, "demo-optimization": 170, "demo-regularization": 120, "demo-lr-schedules": 4}
REVIEWS_PER_DECK = 2  # a learner who keeps up only partly: a backlog, some cards overdue


def demo_history(store: Store, library, now: datetime = NOW, seed: int = 14) -> None:
    """About 200 days of study by a simulated learner, through the real scheduler and store: new
    cards a few a day per deck from its start, every due card reviewed on study days, days off in
    a few gaps (so the streaks differ), and four drills graded."""
    rng = random.Random(seed)
    random.seed(seed)  # py-fsrs fuzz draws from the random module
    scheduler = sched.make_scheduler(Config())
    states: dict[str, ItemState] = {}
    off = {45, 44, 43, 90, 91, 130, 10, 3}  # days ago with no study
    for ago in range(200, -1, -1):
        if ago in off or (ago > 12 and rng.random() < 0.08):
            continue
        t = now.replace(hour=7, minute=0) - timedelta(days=ago) + timedelta(minutes=rng.randrange(0, 150))
        for deck_id, deck in library.decks.items():
            if ago > STARTS[deck_id]:
                continue
            introduced = reviewed = 0
            for card in deck.cards:
                st = states.get(card.id)
                if st is None:
                    if introduced >= 2:
                        continue
                    introduced += 1
                elif st.due > t.timestamp() or reviewed >= REVIEWS_PER_DECK:
                    continue
                reviewed += 1
                while True:  # a card in learning steps comes back within the same session
                    if st is None or st.state != State.Review:
                        p = 0.75
                    else:
                        p = sched.retrievability(scheduler, st, t) ** SKILL[deck_id]
                    rating = rng.choices((2, 3, 4), (15, 75, 10))[0] if rng.random() < p else 1
                    after = sched.review(scheduler, card.id, st, Rating(rating), t)
                    store.record_review(card.id, rating, t.timestamp(), rng.randrange(2000, 20000), st, after)
                    states[card.id] = st = after
                    t += timedelta(seconds=rng.randrange(5, 40))
                    if after.state == State.Review or rng.random() < 0.2:
                        break  # graduated, or left in its learning steps for the next session
                    t = datetime.fromtimestamp(max(after.due, t.timestamp()), UTC)
    drills = [("bn", [(False, "running-var-biased"), (False, "eps-outside-sqrt"), (True, None)], 60),
              ("adam", [(True, None)], 20),
              ("dropout", [(False, "no-rescale")], 4),
              ("lr-cosine", [(False, "off-by-one-epoch"), (True, None), (False, "eta-min-ignored")], 40)]
    dsched = sched.make_scheduler(Config(), drills=True)
    for drill_id, attempts, ago in drills:
        for i, (passed, diagnosis) in enumerate(attempts):
            when = now - timedelta(days=ago - 5 * i, hours=1)
            attempt = DrillAttempt(drill_id, when.timestamp(), passed, 12 if passed else 9, 12, diagnosis, 900,
                                   source_sha=f"{drill_id}{i}")
            record_grade(store, dsched, attempt, when)


@pytest.fixture
def demo(tmp_path):
    library = demo_library()
    store = Store.open(tmp_path / "demo.sqlite3")
    demo_history(store, library)
    yield library, store
    store.close()


def _render(result: dict, *, colour: bool, lang: str) -> str:
    out = io.StringIO()
    console = Console(file=out, width=80, force_terminal=colour, color_system="256" if colour else None,
                      no_color=not colour, legacy_windows=False, _environ={})
    stats_cli.render(result, console, lang)
    return out.getvalue()


def _snapshot(name: str, text: str) -> None:
    path = DATA / name
    if os.environ.get("UPDATE_SNAPSHOTS"):
        path.write_text(text, encoding="utf-8")
    assert path.is_file(), f"no snapshot {path}; run with UPDATE_SNAPSHOTS=1 once"
    assert text == path.read_text(encoding="utf-8")


# --- the numbers ---------------------------------------------------------------------------


def test_demo_numbers(demo):
    library, store = demo
    result = stats.compute(library, store, Config(), NOW).to_dict()
    heat = result["heatmap"]
    decks = {d["deck"]: d for d in result["topics"]["decks"]}
    assert heat["start"] == "2026-06-08" and heat["today"] == "2026-12-03"  # Monday, 26 weeks back
    assert len(heat["days"]) == 25 * 7 + 4  # today is a Thursday
    assert heat["days"][-1]["reviews"] > 0 and result["streak"]["today_done"]
    # the heatmap equals a plain count per day
    for day in heat["days"]:
        lo = datetime.fromisoformat(day["date"]).replace(hour=4, tzinfo=UTC).timestamp()
        n = store.query("SELECT COUNT(*) FROM review_log WHERE reviewed_at >= ? AND reviewed_at < ?", (lo, lo + 86400))
        assert day["reviews"] == n[0][0], day
    assert heat["total"] == sum(d["reviews"] for d in heat["days"])
    active = [d["reviews"] > 0 for d in heat["days"]]
    assert result["streak"]["current"] == active[::-1].index(False) and result["streak"]["current"] <= 3  # day 3 off
    assert result["streak"]["longest"] >= result["streak"]["current"]
    assert len(result["forecast"]) == 30 and result["forecast"][0]["date"] == "2026-12-03"
    windows = {w["window"]: w for w in result["retention"]["windows"]}
    assert windows["30d"]["total"]["rate"] == result["retention_30d"]
    for w in windows.values():
        assert w["young"]["reviews"] + w["mature"]["reviews"] == w["total"]["reviews"]
    assert windows["365d"]["mature"]["reviews"] > 0 and windows["365d"]["young"]["reviews"] > 0
    # the weakest topics are those `quizdl interview` drills first (lowest mean R now, most lapses)
    groups = {deck_id: [c.id for c in deck.cards] for deck_id, deck in library.decks.items()}
    ranked = rank_topics(groups, store.all_states(), sched.make_scheduler(Config()), NOW)
    assert result["topics"]["weakest"] == [t.topic for t in ranked if t.seen][:3]
    for t in ranked:
        assert decks[t.topic]["retrievability"] == pytest.approx(t.retrievability if t.seen else None)
        assert decks[t.topic]["lapses"] == t.lapses
    assert sum(d["new"] + d["learning"] + d["young"] + d["mature"] for d in decks.values()) == result["cards"]
    assert decks["demo-lr-schedules"]["mature"] == 0 < decks["demo-normalization"]["mature"]
    per = {d["drill"]: d for d in result["drills"]["per_drill"]}
    assert per["bn"]["attempts"] == 3 and per["bn"]["passes"] == 1 and per["bn"]["last_passed"]
    assert per["lr-cosine"]["last_diagnosis"] == "eta-min-ignored" and per["lr-cosine"]["next_review"] is not None
    assert per["dropout"]["next_review"] is None and result["drills"]["attempts"] == 8


def _review(store, item_id, at: datetime, rating: int, *, interval_days: float = 5, prev=State.Review):
    before = ItemState(item_id, int(prev), None, 10.0, 5.0, at.timestamp(), at.timestamp() - interval_days * 86400, 3, 0)
    after = ItemState(item_id, int(State.Review), None, 12.0, 5.0, at.timestamp() + 86400 * 9, at.timestamp(), 4, 0)
    store.record_review(item_id, rating, at.timestamp(), 1000, before, after)


def test_true_retention_splits_young_and_mature_by_the_interval_before(tmp_path):
    library = demo_library()
    with Store.open(tmp_path / "db.sqlite3") as store:
        card = next(iter(library.cards))
        _review(store, card, NOW - timedelta(hours=1), 3, interval_days=20.9)  # young, passed
        _review(store, card, NOW - timedelta(hours=2), 1, interval_days=21)  # mature, failed
        _review(store, card, NOW - timedelta(days=3), 3, interval_days=40)  # mature, passed, 7d window
        _review(store, card, NOW - timedelta(days=3), 1, prev=State.Learning)  # not a review card
        _review(store, "drill:bn", NOW - timedelta(hours=1), 1, interval_days=30)  # drills do not count
        ret = stats.compute(library, store, Config(desired_retention=0.85), NOW).retention
    assert ret["desired"] == 0.85
    today, week = ret["windows"][0], ret["windows"][1]
    assert today["young"] == {"reviews": 1, "passed": 1, "rate": 1.0}
    assert today["mature"] == {"reviews": 1, "passed": 0, "rate": 0.0}
    assert week["mature"] == {"reviews": 2, "passed": 1, "rate": 0.5}
    assert week["total"]["reviews"] == 3


def test_without_the_interval_column_the_same_retention(demo, tmp_path, monkeypatch):
    """An SQLite without generated columns or JSON functions: migration 5 adds nothing, and the
    retention is read from the JSON in Python, to the same numbers."""
    library, store = demo
    expected = stats.compute(library, store, Config(), NOW).retention
    store.conn.execute("DROP INDEX review_log_retention")
    store.conn.execute("ALTER TABLE review_log DROP COLUMN last_interval")
    assert stats.compute(library, store, Config(), NOW).retention == expected
    monkeypatch.setattr(store_module, "_has_json_and_generated_columns", lambda db: False)
    with Store.open(tmp_path / "old-sqlite.sqlite3") as old:
        assert old.query("PRAGMA user_version")[0][0] == store_module.schema_version()
        assert not [r for r in old.query("PRAGMA table_xinfo(review_log)") if r[1] == "last_interval"]
        _review(old, next(iter(library.cards)), NOW - timedelta(hours=1), 3, interval_days=30)
        ret = stats.compute(library, old, Config(), NOW).retention
    assert ret["windows"][0]["mature"] == {"reviews": 1, "passed": 1, "rate": 1.0}


def test_migration_5_on_an_existing_history(tmp_path):
    """A version-4 database with reviews: migration 5 keeps every row and the new column gives
    each review's previous interval (what the young / mature split reads)."""
    import sqlite3

    path = tmp_path / "v4.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    for migrate in store_module.MIGRATIONS[:4]:
        migrate(conn)
    conn.execute("PRAGMA user_version = 4")
    before = ItemState("c", int(State.Review), None, 30.0, 5.0, NOW.timestamp(), NOW.timestamp() - 25 * 86400, 3, 0)
    after = ItemState("c", int(State.Review), None, 60.0, 5.0, NOW.timestamp() + 50 * 86400, NOW.timestamp(), 4, 0)
    rows = [("c", 3, NOW.timestamp() - 60, 1000, int(State.Review), json.dumps(before.to_dict()), json.dumps(after.to_dict())),
            ("c", 3, NOW.timestamp() - 30 * 86400, 1000, 0, None, json.dumps(before.to_dict()))]
    conn.executemany("INSERT INTO review_log (item_id, rating, reviewed_at, duration_ms, prev_state, state_before,"
                     " state_after) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    conn.close()
    with Store.open(path) as store:
        assert store.query("PRAGMA user_version")[0][0] == store_module.schema_version()
        assert store.query("SELECT last_interval FROM review_log ORDER BY id") == [(25 * 86400,), (None,)]
        assert len(store.reviews()) == 2
        ret = stats._retention(store, sched.day_start(NOW, 4), 0.9)
    assert ret["windows"][0]["mature"] == {"reviews": 1, "passed": 1, "rate": 1.0}


def test_streaks_allow_today_not_yet_studied():
    assert stats._streaks({-1, -2, -3, -5, -6, -7, -8}) == {"current": 3, "longest": 4, "today_done": False}
    assert stats._streaks({0, -1, -10}) == {"current": 2, "longest": 2, "today_done": True}
    assert stats._streaks({-2, -3}) == {"current": 0, "longest": 2, "today_done": False}
    assert stats._streaks(set()) == {"current": 0, "longest": 0, "today_done": False}


def test_heatmap_counts_study_days_across_a_dst_change(tmp_path, monkeypatch):
    """Europe/Berlin leaves DST on 2026-10-25: the 4 am boundary moves by an hour in UTC."""
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    library = demo_library()
    card = next(iter(library.cards))
    with Store.open(tmp_path / "db.sqlite3") as store:
        # 03:30 local on Oct 26 (after the change) belongs to Oct 25's study day; 04:30 to Oct 26's
        _review(store, card, datetime(2026, 10, 26, 2, 30, tzinfo=UTC), 3)
        _review(store, card, datetime(2026, 10, 26, 3, 30, tzinfo=UTC), 3)
        # 03:30 local on Oct 20 (summer time, UTC+2) belongs to Oct 19
        _review(store, card, datetime(2026, 10, 20, 1, 30, tzinfo=UTC), 3)
        heat = stats.compute(library, store, Config(), NOW).heatmap
    days = {d["date"]: d["reviews"] for d in heat["days"]}
    assert days["2026-10-25"] == 1 and days["2026-10-26"] == 1 and days["2026-10-19"] == 1
    assert days["2026-10-20"] == 0 and heat["total"] == 3


def test_empty_history(tmp_path):
    library = demo_library()
    with Store.open(tmp_path / "db.sqlite3") as store:
        result = stats.compute(library, store, Config(), NOW).to_dict()
    assert result["heatmap"]["total"] == 0 and result["heatmap"]["max"] == 0
    assert result["streak"] == {"current": 0, "longest": 0, "today_done": False}
    assert result["topics"]["weakest"] == [] and result["drills"]["per_drill"] == []
    assert all(w["total"]["rate"] is None for w in result["retention"]["windows"])
    text = _render(result, colour=False, lang="en")
    assert "Weakest: none yet" in text and "Drills: none attempted yet" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80


# --- the pictures ------------------------------------------------------------------------------


@pytest.mark.parametrize(("colour", "lang"), [(False, "en"), (True, "en"), (False, "zh"), (True, "zh")])
def test_snapshot(demo, colour, lang):
    library, store = demo
    result = stats.compute(library, store, Config(), NOW, lang).to_dict()
    text = _render(result, colour=colour, lang=lang)
    name = f"{'colour' if colour else 'plain'}-{lang}.txt"
    _snapshot(name, text)
    plain = ANSI.sub("", text)
    assert ("\x1b[" in text) == colour
    assert max(cell_len(line) for line in plain.splitlines()) <= 80
    if not colour:
        assert not set(text) & set("■█▁▂▃▄▅▆▇"), "block characters in plain mode"
    assert text.count("@") == 2  # today's cell and the legend


def test_readme_screenshot_is_the_plain_snapshot():
    text = README.read_text(encoding="utf-8")
    block = text.split("<!-- stats-screenshot:begin -->", 1)[1].split("<!-- stats-screenshot:end -->", 1)[0]
    shot = block.split("```text\n", 1)[1].rsplit("```", 1)[0]
    assert shot == (DATA / "plain-en.txt").read_text(encoding="utf-8")


# --- the command ------------------------------------------------------------------------------


def test_command_text_json_and_lang(quizdl_home, monkeypatch):
    quizdl_home.mkdir(parents=True)
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        demo_history(store, demo_library())
    monkeypatch.setattr(stats_cli, "_now", lambda: NOW)
    monkeypatch.setenv("COLUMNS", "120")
    args = ["--cards", str(DECKS)]
    text = runner.invoke(app, ["stats", *args])
    assert text.exit_code == 0, text.output
    assert "Reviews, last 26 weeks" in text.output and "\x1b[" not in text.output
    assert max(cell_len(line) for line in text.output.splitlines()) <= 80  # a wide terminal: still 80
    zh = runner.invoke(app, ["stats", "--lang", "zh", *args])
    assert zh.exit_code == 0 and "最近 26 周的复习" in zh.output and "真实记忆率" in zh.output
    assert runner.invoke(app, ["config", "set", "language", "zh"]).exit_code == 0
    assert "最近 26 周的复习" in runner.invoke(app, ["stats", *args]).output
    data = json.loads(runner.invoke(app, ["stats", "--json", *args]).output)
    for key in ("heatmap", "forecast", "overdue", "retention", "topics", "drills", "streak", "cards", "reviews_total",
                "reviews_today", "retention_30d", "mature", "leeches"):
        assert key in data
    titles = {d["deck"]: d["title"] for d in data["topics"]["decks"]}
    assert titles["demo-normalization"] == "归一化"  # the language setting names the decks
    assert len(data["forecast"]) == 30 and len(data["heatmap"]["days"]) == 179


def test_command_bad_lang():
    result = runner.invoke(app, ["stats", "--lang", "fr"])
    assert result.exit_code == 2 and result.output.startswith("error: ")


def _on_a_pty(home: Path, **env: str) -> str:
    import pexpect

    full = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    full.update(QUIZDL_HOME=str(home), TERM="xterm-256color", **env)
    child = pexpect.spawn(sys.executable, ["-m", "quizdl", "stats", "--cards", str(DECKS)], env=full,
                          encoding="utf-8", timeout=30, dimensions=(60, 120))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


def test_real_terminal_colour_and_no_color(quizdl_home):
    """On a terminal: coloured squares and blocks, still 80 columns on a 120-column one; with
    NO_COLOR on the same terminal: no colour codes and only plain characters."""
    quizdl_home.mkdir(parents=True)
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        demo_history(store, demo_library(), now=datetime.now(UTC))
    colour = _on_a_pty(quizdl_home)
    assert "\x1b[38;" in colour and "■" in colour and "█" in colour
    assert max(cell_len(line) for line in ANSI.sub("", colour).splitlines()) <= 80
    plain = _on_a_pty(quizdl_home, NO_COLOR="1")
    assert COLOUR_SGR.search(colour) and not COLOUR_SGR.search(plain)  # bold and italic are no colours
    assert "Reviews, last 26 weeks" in plain
    assert not set(plain) & set("■█▁▂▃▄▅▆▇")


@pytest.mark.parametrize("text", ["Normalization", "Regularisation and generalisation", "学习率衰减策略与预热", "a学b"])
@pytest.mark.parametrize("cells", [3, 4, 5, 24])
def test_fit_counts_terminal_cells(text, cells):
    out = stats_cli._fit(text, cells)
    assert cell_len(out) == cells
    assert out.endswith("…") == (cell_len(text) > cells)
    assert cell_len(stats_cli._fit(text, cells, right=True)) == cells


@pytest.mark.parametrize("counts", [(0, 0, 0, 0), (1, 0, 0, 999), (3, 3, 3, 3), (250, 1, 1, 0), (7, 0, 5, 1)])
def test_topic_bar_shares_fill_the_bar(counts):
    row = dict(zip(stats_cli.SHARES, counts, strict=True), total=sum(counts))
    cells = stats_cli._shares(row, 30)
    assert sum(cells.values()) == (30 if row["total"] else 0)
    for share, n in zip(stats_cli.SHARES, counts, strict=True):
        assert (cells[share] > 0) == (n > 0)  # a share present is never invisible, an absent one never drawn
