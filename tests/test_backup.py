"""`quizdl backup` / `quizdl restore`: the round trip, --force and the kept copy, archive validation,
and a consistent snapshot while another quizdl writes."""

from __future__ import annotations

import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdl import backup as bk
from quizdl.cli.app import app
from quizdl.store import DrillAttempt, Store
from tests.conftest import SAMPLE_DECKS

runner = CliRunner()
SAMPLE = ["--cards", str(SAMPLE_DECKS)]
USER_DECK = (SAMPLE_DECKS / "sample.yaml").read_text(encoding="utf-8").replace("deck: sample", "deck: mine", 1)
USER_DECK = USER_DECK.replace("id: sample-", "id: mine-")


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def _review_log(home: Path) -> list[tuple]:
    db = sqlite3.connect(home / "progress.sqlite3")
    try:
        return db.execute("SELECT * FROM review_log ORDER BY id").fetchall()
    finally:
        db.close()


def _make_progress(home: Path) -> None:
    """Reviews, a drill attempt, a setting, a deck and a drill file of the user's own."""
    (home / "cards").mkdir(parents=True)
    (home / "cards" / "mine.yaml").write_text(USER_DECK, encoding="utf-8")
    (home / "drills" / "my-drill").mkdir(parents=True)
    (home / "drills" / "my-drill" / "drill.yaml").write_text("id: my-drill\n", encoding="utf-8")
    assert run("config", "set", "new_per_day", "7").exit_code == 0
    assert run("config", "set", "new_order", "deck").exit_code == 0  # the keys below follow deck order
    result = run("study", *SAMPLE, "-t", "sample", "-t", "mine", "--lang", "en", input="\n3\n2\n4\n\n1\n")
    assert result.exit_code == 0, result.output
    with Store.open(home / "progress.sqlite3") as store:
        store.record_drill_attempt(DrillAttempt("bn", 1_760_000_000.0, False, 3, 8, "momentum-reversed", 1200))


def test_round_trip_backup_wipe_restore(tmp_path, quizdl_home):
    _make_progress(quizdl_home)
    stats_before = run("stats", "--json", *SAMPLE).output
    log_before = _review_log(quizdl_home)
    assert len(log_before) >= 3

    archive = tmp_path / "b.zip"
    result = run("backup", str(archive))
    assert result.exit_code == 0, result.output
    assert f"backed up {len(log_before)} reviews and 3 other file(s)" in result.output

    with zipfile.ZipFile(archive) as zf:
        names = set(zf.namelist())
        manifest = json.loads(zf.read("manifest.json"))
    assert names == {"manifest.json", "progress.sqlite3", "config.yaml", "cards/mine.yaml", "drills/my-drill/drill.yaml"}
    assert manifest["format"] == "quizdl-backup" and manifest["reviews"] == len(log_before)

    shutil.rmtree(quizdl_home)
    result = run("restore", str(archive))
    assert result.exit_code == 0, result.output
    assert f"restored {len(log_before)} reviews and 3 other file(s)" in result.output
    assert run("stats", "--json", *SAMPLE).output == stats_before
    assert _review_log(quizdl_home) == log_before
    assert (quizdl_home / "cards" / "mine.yaml").read_text(encoding="utf-8") == USER_DECK
    assert run("config", "get", "new_per_day").output.strip() == "7"
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [(a.drill_id, a.diagnosis) for a in store.drill_attempts()] == [("bn", "momentum-reversed")]
    assert not list(quizdl_home.glob("*.before-restore-*"))  # nothing was replaced


def test_restore_refuses_existing_progress_and_force_keeps_a_copy(tmp_path, quizdl_home):
    _make_progress(quizdl_home)
    archive = tmp_path / "b.zip"
    assert run("backup", str(archive)).exit_code == 0
    old_log = _review_log(quizdl_home)
    # More progress after the backup: a plain restore must not lose it.
    assert run("study", *SAMPLE, "-t", "sample", "--lang", "en", "--new", "5", input="\n3\n2\n4\n4\n").exit_code == 0
    (quizdl_home / "cards" / "mine.yaml").write_text(USER_DECK + "# my edit\n", encoding="utf-8")
    newer_log = _review_log(quizdl_home)
    assert len(newer_log) > len(old_log)

    refused = run("restore", str(archive))
    assert refused.exit_code == 2, refused.output
    assert refused.output.startswith("error: ") and "already holds progress" in refused.output and "--force" in refused.output
    assert _review_log(quizdl_home) == newer_log

    forced = run("restore", "--force", str(archive))
    assert forced.exit_code == 0, forced.output
    assert _review_log(quizdl_home) == old_log
    (copy,) = quizdl_home.glob("progress.sqlite3.before-restore-*")
    db = sqlite3.connect(copy)
    assert db.execute("SELECT * FROM review_log ORDER BY id").fetchall() == newer_log
    db.close()
    (deck_copy,) = (quizdl_home / "cards").glob("mine.yaml.before-restore-*")
    assert deck_copy.read_text(encoding="utf-8").endswith("# my edit\n")
    assert (quizdl_home / "cards" / "mine.yaml").read_text(encoding="utf-8") == USER_DECK
    assert "kept the replaced progress.sqlite3 as" in forced.output


def test_restore_into_an_empty_database_needs_no_force(tmp_path, quizdl_home):
    _make_progress(quizdl_home)
    archive = tmp_path / "b.zip"
    assert run("backup", str(archive)).exit_code == 0
    shutil.rmtree(quizdl_home)
    assert run("stats").exit_code == 0  # creates an empty database
    assert run("restore", str(archive)).exit_code == 0
    assert len(_review_log(quizdl_home)) >= 3


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _manifest_for(members: dict[str, bytes]) -> bytes:
    import hashlib

    return json.dumps({
        "format": "quizdl-backup", "version": 1,
        "files": [{"name": n, "size": len(d), "sha256": hashlib.sha256(d).hexdigest()} for n, d in members.items()],
    }).encode()


def test_restore_rejects_archives_that_are_not_quizdl_backups(tmp_path, quizdl_home):
    cases = {
        "not a zip": (tmp_path / "a.zip", None, "not a zip archive"),
        "foreign zip": (_zip(tmp_path / "b.zip", {"photo.jpg": b"x"}), None, "has no manifest.json"),
        "foreign manifest": (_zip(tmp_path / "c.zip", {"manifest.json": b'{"format": "other"}'}), None, "is not a quizdl backup"),
    }
    (tmp_path / "a.zip").write_text("hello")
    for label, (path, _, needle) in cases.items():
        result = run("restore", str(path))
        assert result.exit_code == 2, (label, result.output)
        assert result.output.startswith("error: ") and needle in result.output, (label, result.output)
        assert "Traceback" not in result.output
    assert not (quizdl_home / "progress.sqlite3").exists()


@pytest.mark.parametrize("evil", ["../evil.yaml", "/tmp/evil.yaml", "cards/../../evil.yaml", "cards\\..\\evil.yaml",
                                  "somewhere/else.txt", "C:/evil.yaml"])
def test_restore_refuses_path_traversal(tmp_path, quizdl_home, evil):
    good = tmp_path / "good.zip"
    quizdl_home.mkdir(parents=True)
    assert run("backup", str(good)).exit_code == 0
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist() if n != "manifest.json"}
    members[evil] = b"pwned"
    bad = _zip(tmp_path / "bad.zip", {"manifest.json": _manifest_for(members), **members})
    shutil.rmtree(quizdl_home)
    result = run("restore", str(bad))
    assert result.exit_code == 2, result.output
    assert "refusing member" in result.output
    assert not (tmp_path / "evil.yaml").exists() and not Path("/tmp/evil.yaml").exists()
    assert not (quizdl_home / "progress.sqlite3").exists()


def test_restore_detects_a_damaged_or_edited_archive(tmp_path, quizdl_home):
    _make_progress(quizdl_home)
    good = tmp_path / "good.zip"
    assert run("backup", str(good)).exit_code == 0
    with zipfile.ZipFile(good) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    shutil.rmtree(quizdl_home)
    tampered = dict(members, **{"config.yaml": b"new_per_day: 99\n"})
    result = run("restore", str(_zip(tmp_path / "t.zip", tampered)))
    assert result.exit_code == 2 and "config.yaml is damaged" in result.output, result.output
    extra = dict(members, **{"cards/extra.yaml": b"deck: x\n"})
    result = run("restore", str(_zip(tmp_path / "e.zip", extra)))
    assert result.exit_code == 2 and "do not match its manifest" in result.output, result.output
    assert not (quizdl_home / "config.yaml").exists()


def test_backup_is_a_consistent_snapshot_while_another_quizdl_writes(tmp_path, quizdl_home):
    _make_progress(quizdl_home)
    committed = _review_log(quizdl_home)
    other = Store.open(quizdl_home / "progress.sqlite3")
    try:
        other.conn.execute("BEGIN IMMEDIATE")  # another quizdl mid-write, holding the write lock
        other.conn.execute(
            "INSERT INTO review_log (item_id, rating, reviewed_at, prev_state, state_after) VALUES ('x', 3, 1.0, 0, '{}')"
        )
        info = bk.backup(tmp_path / "b.zip")
        other.conn.execute("COMMIT")
    finally:
        other.close()
    assert info.reviews == len(committed)  # the uncommitted review is not in it, nothing torn
    shutil.rmtree(quizdl_home)
    assert run("restore", str(tmp_path / "b.zip")).exit_code == 0
    assert _review_log(quizdl_home) == committed
    db = sqlite3.connect(quizdl_home / "progress.sqlite3")
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    db.close()


def test_restore_while_another_quizdl_has_the_database_open(tmp_path, quizdl_home):
    _make_progress(quizdl_home)
    archive = tmp_path / "b.zip"
    assert run("backup", str(archive)).exit_code == 0
    expected = _review_log(quizdl_home)
    with Store.open(quizdl_home / "progress.sqlite3") as other:
        other.undo_review(expected[-1][0])  # the open session changes something, then restore runs
        assert run("restore", "--force", str(archive)).exit_code == 0
        # The other connection sees the restored data (same file, through SQLite's locks).
        assert len(other.reviews()) == len(expected)
    assert _review_log(quizdl_home) == expected


def test_force_restore_over_a_corrupt_database_keeps_it_aside(tmp_path, quizdl_home):
    _make_progress(quizdl_home)
    archive = tmp_path / "b.zip"
    assert run("backup", str(archive)).exit_code == 0
    expected = _review_log(quizdl_home)
    for extra in ("-wal", "-shm"):
        (quizdl_home / f"progress.sqlite3{extra}").unlink(missing_ok=True)
    (quizdl_home / "progress.sqlite3").write_bytes(b"garbage, not a database" * 100)
    assert run("stats").exit_code == 2  # quizdl will not touch it ...
    refused = run("restore", str(archive))
    assert refused.exit_code == 2 and "--force" in refused.output
    result = run("restore", "--force", str(archive))  # ... but a forced restore moves it aside
    assert result.exit_code == 0, result.output
    assert _review_log(quizdl_home) == expected
    (aside,) = quizdl_home.glob("progress.sqlite3.before-restore-*")
    assert aside.read_bytes().startswith(b"garbage")
