"""Progress store: migrations, round-trips, undo, and refusing to touch a bad database."""

from __future__ import annotations

import sqlite3

import pytest

from quizdl.errors import QuizdlError
from quizdl.store import ItemState, Store, schema_version

STATE = ItemState("card-a", 2, None, 3.5, 5.1, 1_800_000_000.0, 1_799_000_000.0, reps=4, lapses=1)


def test_migrations_from_empty_db_twice(tmp_path):
    path = tmp_path / "p.sqlite3"
    for _ in range(2):
        with Store.open(path) as store:
            assert store.query("PRAGMA user_version")[0][0] == schema_version()
            assert store.query("PRAGMA journal_mode")[0][0] == "wal"
    tables = {r[0] for r in sqlite3.connect(path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"item_state", "review_log", "buried", "drill_attempt"} <= tables


def test_state_round_trip_and_review_log(tmp_path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        rid = store.record_review("card-a", 3, 1_799_000_000.0, 1234, None, STATE)
        assert store.get_state("card-a") == STATE
        review = store.get_review(rid)
        assert review.before is None and review.after == STATE and review.prev_state == 0
        assert review.duration_ms == 1234
    with Store.open(tmp_path / "p.sqlite3") as store:  # durable across connections
        assert store.get_state("card-a") == STATE
        assert ItemState.from_dict(STATE.to_dict()) == STATE


def test_undo_restores_previous_state(tmp_path):
    later = ItemState("card-a", 2, None, 9.0, 4.0, 1_900_000_000.0, 1_800_000_000.0, reps=5, lapses=1)
    with Store.open(tmp_path / "p.sqlite3") as store:
        first = store.record_review("card-a", 3, 1.0, None, None, STATE)
        second = store.record_review("card-a", 4, 2.0, None, STATE, later)
        store.undo_review(second)
        assert store.get_state("card-a") == STATE
        assert [r.id for r in store.reviews()] == [first]
        store.undo_review(first)
        assert store.get_state("card-a") is None and store.reviews() == []


def test_corrupt_database_is_reported_not_recreated(tmp_path):
    path = tmp_path / "p.sqlite3"
    junk = b"this is not sqlite" * 100
    path.write_bytes(junk)
    with pytest.raises(QuizdlError) as info:
        Store.open(path)
    assert str(path) in info.value.message and "corrupt" in info.value.message
    assert path.read_bytes() == junk


def test_locked_database_gives_clear_message(tmp_path):
    path = tmp_path / "p.sqlite3"
    Store.open(path).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path, busy_timeout_ms=100) as store, pytest.raises(QuizdlError) as info:
            store.record_review("card-a", 3, 1.0, None, None, STATE)
        assert "locked" in info.value.message
    finally:
        holder.execute("ROLLBACK")
    with Store.open(path) as store:  # once free, writes go through
        store.record_review("card-a", 3, 1.0, None, None, STATE)


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "p.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.close()
    with pytest.raises(QuizdlError, match="newer"):
        Store.open(path)
