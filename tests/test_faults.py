"""Faults told truthfully and hostile input at bounded cost (issue #12), strict settings (#13 items
8, 19): config validation, config set/unset on a broken file, a full disk behind the config file,
the progress database and stdout, a non-UTF-8 terminal, a closed stdin, narrow terminals, deep
submissions and a byte order mark."""

from __future__ import annotations

import errno
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdl import config as cfg
from quizdl import paths
from quizdl.cli.app import app
from quizdl.errors import QuizdlError
from quizdl.store import Store
from tests.conftest import SAMPLE_DECKS

runner = CliRunner()
SAMPLE = ["--cards", str(SAMPLE_DECKS)]
REPO = paths.package_dir().parent
ANSWER = "\n1\n1\n1\n1\n"  # one answer, whichever type the first card is (then --limit 1 ends)


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def write_config(home: Path, text: str) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "config.yaml"
    path.write_text(text, encoding="utf-8")
    return path


# --- config: strict validation ----------------------------------------------------------------


@pytest.mark.parametrize(("text", "needle"), [
    ("new_per_day: true\n", "new_per_day: new_per_day must be a whole number"),
    ("new_per_day: 2.7\n", "new_per_day: new_per_day must be a whole number"),
    ("new_per_day: '5'\n", "new_per_day: new_per_day must be a whole number"),
    ("new_per_day: -1\n", "new_per_day: new_per_day must be a whole number from 0"),
    ("desired_retention: yes\n", "desired_retention: desired_retention must be a number between 0.7"),
    ("desired_retention: .nan\n", "desired_retention: desired_retention must be"),
    ("learning_steps: 99999999999\n", "learning_steps: learning_steps must be"),
    ("learning_steps: [1, 366d]\n", "learning_steps: learning_steps must be"),
    ("relearning_steps: []\n", "relearning_steps: relearning_steps must be"),
    ("relearning_steps: [0]\n", "relearning_steps: relearning_steps must be"),
    ("day_starts_at: 24\n", "day_starts_at: day_starts_at must be a whole hour"),
    ("learn_ahead_minutes: 1441\n", "learn_ahead_minutes: learn_ahead_minutes must be"),
    ("learn_ahead_minutes: 20.5\n", "learn_ahead_minutes: learn_ahead_minutes must be"),
    ("new_order: shuffled\n", "new_order: new_order must be one of interleave, deck, random"),
    ("language: fr\n", "language: language must be one of en, zh, both"),
    ("colour: red\n", "colour: unknown setting"),
])
def test_a_bad_value_in_the_file_is_reported_with_file_and_key(quizdl_home, text, needle):
    path = write_config(quizdl_home, text)
    with pytest.raises(QuizdlError) as caught:
        cfg.load()
    assert f"{path}:{needle}" in caught.value.message
    assert "quizdl config set KEY VALUE" in caught.value.message


def test_every_problem_in_the_file_is_reported_at_once(quizdl_home):
    path = write_config(quizdl_home, "new_per_day: true\nmax_reviews_per_day: 2.7\nlearning_steps: 99999999999\n"
                                     "language: EN\ncolour: red\n")
    with pytest.raises(QuizdlError) as caught:
        cfg.load()
    lines = caught.value.message.splitlines()
    keys = [line.split(":")[1] for line in lines if line.startswith(str(path))]
    assert keys == ["new_per_day", "max_reviews_per_day", "learning_steps", "colour"]  # EN is fine


def test_good_values_in_the_file(quizdl_home):
    write_config(quizdl_home, "learning_steps: 1m 10m 1h 1d\nrelearning_steps: ['10m', 30, 2h]\nlanguage: ZH\n"
                              "desired_retention: 0.85\nmax_reviews_per_day: 0\nlearn_ahead_minutes: 0\n"
                              "new_order: Random\n")
    config = cfg.load()
    assert config.learning_steps == [1, 10, 60, 1440]
    assert config.relearning_steps == [10, 30, 120]
    assert (config.language, config.new_order, config.learn_ahead_minutes) == ("zh", "random", 0)
    assert config.max_reviews_per_day == 0 and config.desired_retention == 0.85
    assert any("max_reviews_per_day is 0" in w for w in cfg.warnings(config))


def test_defaults_of_the_new_settings():
    config = cfg.Config()
    assert (config.learn_ahead_minutes, config.new_order) == (20, "interleave")
    assert cfg.warnings(config) == []


@pytest.mark.parametrize(("key", "text", "value"), [
    ("learning_steps", "1m 10m 1h 1d", [1, 10, 60, 1440]),
    ("learning_steps", "1 10", [1, 10]),
    ("learning_steps", "5, 2H", [5, 120]),
    ("relearning_steps", "365d", [525600]),
    ("language", "EN", "en"),
    ("language", " Both ", "both"),
    ("new_order", "DECK", "deck"),
    ("new_per_day", "0", 0),
    ("learn_ahead_minutes", "1440", 1440),
    ("desired_retention", "0.7", 0.7),
])
def test_values_typed_on_the_command_line(key, text, value):
    assert cfg.parse_value(key, text, text=True) == value


@pytest.mark.parametrize(("key", "text"), [
    ("new_per_day", "2.7"), ("new_per_day", "true"), ("new_per_day", "-3"), ("new_per_day", "10000"),
    ("learning_steps", "366d"), ("learning_steps", "99999999999"), ("learning_steps", "1s"),
    ("learning_steps", "0"), ("learning_steps", " ".join(["1"] * 21)), ("learning_steps", ""),
    ("learn_ahead_minutes", "-1"), ("desired_retention", "nan"), ("desired_retention", "0.995"),
    ("language", "english"), ("new_order", ""),
])
def test_bad_values_typed_on_the_command_line(key, text):
    with pytest.raises(QuizdlError, match=f"^{key} must be"):
        cfg.parse_value(key, text, text=True)


def test_fsrs_parameters_default_or_21_numbers_in_bounds(quizdl_home):
    from fsrs.scheduler import DEFAULT_PARAMETERS

    good = list(DEFAULT_PARAMETERS)
    assert cfg.parse_value("fsrs_parameters", "default") is None
    assert cfg.parse_value("fsrs_parameters", " ".join(map(str, good))) == good
    assert cfg.parse_value("fsrs_parameters", good, text=False) == good
    for bad in (good[:20], [*good[:20], 1e9], [True, *good[1:]]):
        with pytest.raises(QuizdlError, match="fsrs_parameters must be 21 numbers"):
            cfg.parse_value("fsrs_parameters", bad, text=False)
    assert cfg.show_value("fsrs_parameters", None) == "default"
    path = write_config(quizdl_home, "fsrs_parameters: lots\n")
    with pytest.raises(QuizdlError, match=f"{path}:fsrs_parameters: fsrs_parameters must be 21 numbers"):
        cfg.load()


def test_huge_or_garbled_numbers_are_bounded_errors(quizdl_home):
    for text in ("-+5", "9" * 5000, "１２"):  # int() would refuse 5000 digits; full-width digits are not ASCII
        with pytest.raises(QuizdlError, match="^new_per_day must be"):
            cfg.parse_value("new_per_day", text)
    with pytest.raises(QuizdlError, match="^learning_steps must be") as caught:
        cfg.parse_value("learning_steps", "9" * 5000 + "m")
    assert len(caught.value.message) < 300  # the value is quoted, capped
    write_config(quizdl_home, "new_per_day: " + "9" * 5000 + "\n")
    with pytest.raises(QuizdlError, match="cannot read config file"):
        cfg.load()
    write_config(quizdl_home, "new_per_day: " + "[" * 20000 + "]" * 20000 + "\n")
    with pytest.raises(QuizdlError, match="cannot read config file"):
        cfg.load()


def test_steps_are_shown_in_ankis_units():
    assert cfg.format_steps([1, 10, 60, 90, 1440, 2880]) == "1m 10m 1h 90m 1d 2d"


def test_the_longest_learning_step_studies_without_overflow(quizdl_home):
    assert run("config", "set", "learning_steps", "365d 365d").exit_code == 0
    result = run("study", *SAMPLE, "-t", "sample", "--limit", "3", input="\n1\n\n3\n\n3\n")
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output and "internal error" not in result.output


# --- config set / unset / get on a broken file ---------------------------------------------------


def test_config_set_takes_negative_values_to_the_validator():
    result = run("config", "set", "new_per_day", "-3")
    assert result.exit_code == 2
    assert "new_per_day must be a whole number from 0 to 9999, not '-3'" in result.output
    assert "No such option" not in result.output


def test_config_set_repairs_a_broken_file_and_others_keep_refusing(quizdl_home):
    path = write_config(quizdl_home, "new_per_day: true\nlanguage: fr\nmax_reviews_per_day: 50\n")
    got = run("config", "get")
    assert got.exit_code == 2 and f"{path}:new_per_day: new_per_day must be" in got.output and f"{path}:language" in got.output
    single = run("config", "get", "max_reviews_per_day")
    assert single.exit_code == 2 and "new_per_day" in single.output
    fixed = run("config", "set", "new_per_day", "7")
    assert fixed.exit_code == 0, fixed.output
    assert "new_per_day = 7" in fixed.output
    assert f"still wrong: {path}:language" in fixed.output  # the other bad key, as a warning
    topics = run("topics", *SAMPLE)
    assert topics.exit_code == 2 and f"{path}:language: language must be one of" in topics.output
    assert f"{path}:new_per_day" not in topics.output
    assert run("config", "set", "language", "EN").exit_code == 0
    assert run("config", "get", "language").output.strip() == "en"
    assert run("config", "get", "max_reviews_per_day").output.strip() == "50"  # the user's other value kept
    assert run("topics", *SAMPLE).exit_code == 0


def test_config_set_warns_about_zero_reviews():
    result = run("config", "set", "max_reviews_per_day", "0")
    assert result.exit_code == 0
    assert "warning: max_reviews_per_day is 0" in result.output


def test_config_unset_restores_the_default_and_removes_unknown_keys(quizdl_home):
    path = write_config(quizdl_home, "learning_steps: [5]\ncolour: red\nnew_per_day: 3\n")
    assert run("config", "get").exit_code == 2
    removed = run("config", "unset", "colour")
    assert removed.exit_code == 0 and "removed colour" in removed.output
    assert run("config", "get", "learning_steps").output.strip() == "5m"
    unset = run("config", "unset", "learning_steps")
    assert unset.exit_code == 0 and "learning_steps = 1m 10m (default)" in unset.output
    assert run("config", "get", "learning_steps").output.strip() == "1m 10m"
    assert "learning_steps" not in path.read_text(encoding="utf-8")
    assert run("config", "get", "new_per_day").output.strip() == "3"
    again = run("config", "unset", "learning_steps")
    assert again.exit_code == 0 and "not set" in again.output
    unknown = run("config", "unset", "nope")
    assert unknown.exit_code == 2 and "unknown setting 'nope'" in unknown.output


def test_config_get_of_unparsable_yaml_says_what_is_wrong(quizdl_home):
    write_config(quizdl_home, "new_per_day: [unclosed\n")
    result = run("config", "get")
    assert result.exit_code == 2 and "cannot read config file" in result.output and "line" in result.output
    assert "Traceback" not in result.output


# --- config.yaml on a full disk -------------------------------------------------------------------


def _leftovers(home: Path) -> list[str]:
    return sorted(p.name for p in home.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("failing", ["write", "replace", "fsync"])
def test_config_save_on_a_full_disk_keeps_the_old_file_and_no_temp_file(quizdl_home, monkeypatch, failing):
    path = write_config(quizdl_home, "new_per_day: 3\n")
    real = getattr(os, failing)

    def full(*args, **kwargs):
        if failing == "replace" and not str(args[0]).endswith(".tmp"):
            return real(*args, **kwargs)
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, failing, full)
    result = run("config", "set", "new_per_day", "9")
    monkeypatch.setattr(os, failing, real)
    assert result.exit_code == 74, result.output
    assert result.output.startswith("error: disk full: cannot save") and len(result.output.splitlines()) == 1
    assert path.read_text(encoding="utf-8") == "new_per_day: 3\n"
    assert _leftovers(quizdl_home) == []


def test_config_save_other_os_error_and_interrupt_leave_no_temp_file(quizdl_home, monkeypatch):
    write_config(quizdl_home, "new_per_day: 3\n")
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.EIO, "Input/output error")))
    result = run("config", "set", "new_per_day", "9")
    assert result.exit_code == 2 and "cannot save" in result.output and "Input/output error" in result.output
    assert _leftovers(quizdl_home) == []
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        cfg.save_raw({"new_per_day": 9})
    assert _leftovers(quizdl_home) == []


# --- the progress database on a full disk --------------------------------------------------------


class _FullDisk:
    """A connection whose writes fail the way SQLite's do on a full disk (or with `message`)."""

    def __init__(self, conn: sqlite3.Connection, message: str = "database or disk is full") -> None:
        self._conn, self._message = conn, message

    def execute(self, sql: str, *args):
        if sql.lstrip().split()[0].upper() in ("INSERT", "UPDATE", "DELETE", "REPLACE"):
            raise sqlite3.OperationalError(self._message)
        return self._conn.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self._conn, name)


def _failing_writes(monkeypatch, message: str = "database or disk is full") -> None:
    real_open = Store.open.__func__

    def open_full(cls, *args, **kwargs):
        store = real_open(cls, *args, **kwargs)
        store.conn = _FullDisk(store.conn, message)
        return store

    monkeypatch.setattr(Store, "open", classmethod(open_full))


def test_study_on_a_full_disk_says_disk_full_and_keeps_the_database(quizdl_home, monkeypatch):
    assert run("study", *SAMPLE, "-t", "sample", "--limit", "1", input=ANSWER).exit_code == 0
    _failing_writes(monkeypatch)
    result = run("study", *SAMPLE, "-t", "sample", "--limit", "1", input=ANSWER)
    assert result.exit_code == 74, result.output
    assert "error: disk full" in result.output and "your progress database is intact" in result.output
    assert "unreadable or corrupt" not in result.output and "move it aside" not in result.output
    monkeypatch.undo()
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert len(store.reviews()) == 1  # the answer saved before the disk filled is kept
        assert store.query("PRAGMA integrity_check") == [("ok",)]


def test_grade_on_a_full_disk_says_disk_full(quizdl_home, monkeypatch, tmp_path):
    starter = _starter(tmp_path, monkeypatch)
    _failing_writes(monkeypatch)
    result = run("grade", str(starter))
    assert result.exit_code == 74, result.output
    assert "error: disk full" in result.output and "intact" in result.output
    assert "unreadable or corrupt" not in result.output


@pytest.mark.parametrize(("message", "needle", "code"), [
    ("database disk image is malformed", "unreadable or corrupt", 2),
    ("file is not a database", "unreadable or corrupt", 2),
    ("disk I/O error", "I/O error", 74),
])
def test_only_real_corruption_is_called_corrupt(quizdl_home, monkeypatch, message, needle, code):
    _failing_writes(monkeypatch, message)
    result = run("study", *SAMPLE, "-t", "sample", "--limit", "1", input=ANSWER)
    assert result.exit_code == code, result.output
    assert needle in result.output
    if code == 74:
        assert "unreadable or corrupt" not in result.output and "move it aside" not in result.output


def _can_mount_tmpfs() -> bool:
    return sys.platform.startswith("linux") and shutil.which("mount") is not None and os.geteuid() == 0


def _env(home: Path, **extra: str) -> dict:
    env = dict(os.environ, QUIZDL_HOME=str(home), NO_COLOR="1", COLUMNS="100", QUIZDL_NO_PREPARE="1",
               PYTHONPATH=str(REPO))
    env.update(extra)
    return env


def quizdl(*args: str, env: dict, stdin=None, input: str | None = None, stdout=subprocess.PIPE,
           cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "quizdl", *args], env=env, stdin=stdin, input=input,
                          stdout=stdout, stderr=subprocess.PIPE, text=True, timeout=120, cwd=cwd)


def test_a_really_full_tmpfs(tmp_path):
    if not _can_mount_tmpfs():
        pytest.skip("mounting a tmpfs needs root on Linux")
    mnt = tmp_path / "small"
    mnt.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"mount not allowed here: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        home = mnt / "home"
        env = _env(home)
        first = quizdl("study", *SAMPLE, "-t", "sample", "--limit", "1", input=ANSWER, env=env)
        assert first.returncode == 0, first.stderr
        (home / "config.yaml").write_text("new_per_day: 3\n", encoding="utf-8")
        fd = os.open(mnt / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            for chunk in (b"\0" * 65536, b"\0"):  # fill every last block
                try:
                    while True:
                        os.write(fd, chunk)
                except OSError:
                    pass
        finally:
            os.close(fd)
        full = quizdl("study", *SAMPLE, "-t", "sample", "--limit", "1", input=ANSWER, env=env)
        assert full.returncode == 74, (full.stdout, full.stderr)
        assert full.stderr.startswith("error: disk full") and "intact" in full.stderr
        assert "unreadable or corrupt" not in full.stderr and "internal error" not in full.stderr
        setting = quizdl("config", "set", "new_per_day", "9", env=env)
        assert setting.returncode == 74 and setting.stderr.startswith("error: disk full"), setting.stderr
        assert (home / "config.yaml").read_text(encoding="utf-8") == "new_per_day: 3\n"
        assert _leftovers(home) == []
        (mnt / "filler").unlink()
        with Store.open(home / "progress.sqlite3") as store:
            assert len(store.reviews()) == 1
            assert store.query("PRAGMA integrity_check") == [("ok",)]
    finally:
        subprocess.run(["umount", "-l", str(mnt)], capture_output=True)


# --- two quizdl started at once on a fresh data dir --------------------------------------------------


def test_quizdl_processes_started_at_once_on_a_fresh_data_dir_all_succeed(tmp_path):
    for attempt in range(3):
        home = tmp_path / f"fresh-{attempt}"
        env = _env(home)
        procs = [subprocess.Popen([sys.executable, "-m", "quizdl", "stats", "--json", *SAMPLE], env=env,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(4)]
        for p in procs:
            _out, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
            assert "internal error" not in err
        with Store.open(home / "progress.sqlite3") as store:
            assert store.query("PRAGMA user_version")[0][0] == len(__import__("quizdl.store").store.MIGRATIONS)


# --- output that cannot be written, encodings, a closed stdin ---------------------------------------

COMMANDS = [["topics", *SAMPLE], ["stats", *SAMPLE], ["cards", "list", *SAMPLE], ["drill", "list"], ["config", "get"]]


def _one_clean_line(stderr: str, *needles: str) -> None:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), stderr
    assert "internal error" not in stderr and "quizdl bug" not in stderr and "Traceback" not in stderr
    for needle in needles:
        assert needle in stderr


@pytest.mark.parametrize("command", [*COMMANDS, ["stats", "--json", *SAMPLE]], ids=lambda c: " ".join(c[:2]))
def test_stdout_to_dev_full(tmp_path, command):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = quizdl(*command, env=_env(tmp_path / "home"), stdout=full)
    assert done.returncode == 74
    _one_clean_line(done.stderr, "cannot write the output", "disk full")


def test_broken_pipe_stays_quiet(tmp_path):
    proc = subprocess.Popen([sys.executable, "-m", "quizdl", "cards", "list", *SAMPLE], env=_env(tmp_path / "home"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 1
    assert err == ""


@pytest.mark.parametrize("command", [["topics"], ["cards", "list"], ["study", "--limit", "1", "--lang", "zh"]],
                         ids=lambda c: c[0])
def test_ascii_terminal(tmp_path, command):
    done = quizdl(*command, env=_env(tmp_path / "home", PYTHONIOENCODING="ascii", COLUMNS="80"), input=ANSWER)
    assert done.returncode == 74, done.stderr  # every one of them has text ascii cannot hold (…, 中文)
    _one_clean_line(done.stderr, "encoding (ascii)", "UTF-8")


def _closed_stdin(args: list[str], env: dict) -> subprocess.CompletedProcess:
    script = 'exec "$0" -m quizdl "$@" <&-'
    return subprocess.run(["sh", "-c", script, sys.executable, *args], env=env, capture_output=True, text=True,
                          timeout=120)


def test_study_with_stdin_closed(tmp_path):
    done = _closed_stdin(["study", *SAMPLE, "-t", "sample"], _env(tmp_path / "home"))
    assert done.returncode == 2, done.stderr
    _one_clean_line(done.stderr, "standard input is closed")
    with Store.open(tmp_path / "home" / "progress.sqlite3") as store:
        assert store.reviews() == []


def test_commands_that_read_nothing_run_with_stdin_closed(tmp_path):
    done = _closed_stdin(["stats", *SAMPLE], _env(tmp_path / "home"))
    assert done.returncode == 0, done.stderr
    assert "Cards" in done.stdout


def test_stdout_closed(tmp_path):
    env = _env(tmp_path / "home")
    done = subprocess.run(["sh", "-c", 'exec "$0" -m quizdl "$@" >&-', sys.executable, "stats", *SAMPLE], env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 74
    _one_clean_line(done.stderr, "standard output is closed")


def test_grade_with_stdin_closed_still_grades(tmp_path, starter_file):
    done = _closed_stdin(["grade", str(starter_file)], _env(tmp_path / "home"))
    assert done.returncode == 1, done.stderr  # the starter fails its tests: a verdict, not a crash
    assert "tests passed" in done.stdout and done.stderr == ""


# --- narrow terminals -----------------------------------------------------------------------------


def _starter(folder: Path, monkeypatch=None, *, cwd: Path | None = None) -> Path:
    """The lr-step drill's starter (plain Python: grades fast), written by `quizdl drill start`."""
    folder.mkdir(parents=True, exist_ok=True)
    if monkeypatch is not None:
        monkeypatch.chdir(folder)
        assert run("drill", "start", "lr-step").exit_code == 0
    else:
        done = quizdl("drill", "start", "lr-step", env=_env(folder / "home"), cwd=folder)
        assert done.returncode == 0, done.stderr
    return folder / "lr_step.py"


@pytest.fixture(scope="module")
def starter_file():
    with tempfile.TemporaryDirectory() as tmp:
        yield _starter(Path(tmp))


NARROW = [["study", *SAMPLE, "-t", "sample"], ["topics", *SAMPLE], ["stats", *SAMPLE],
          ["cards", "list", *SAMPLE], ["drill", "list"], ["grade"]]


@pytest.mark.parametrize("columns", ["20", "1"])
@pytest.mark.parametrize("command", NARROW, ids=lambda c: c[0] + (c[1] if c[1:2] == ["list"] else ""))
def test_too_narrow_terminal_says_so(tmp_path, starter_file, command, columns):
    args = [*command, str(starter_file)] if command == ["grade"] else command
    done = _closed_stdin(args, _env(tmp_path / "home", COLUMNS=columns))
    assert done.returncode == 2, (done.stdout, done.stderr)
    _one_clean_line(done.stderr, "terminal is too narrow", f"({columns} column")
    assert done.stdout == ""


@pytest.mark.parametrize("columns", ["0", "abc", "40"])
@pytest.mark.parametrize("command", NARROW, ids=lambda c: c[0] + (c[1] if c[1:2] == ["list"] else ""))
def test_meaningless_or_narrowest_width_stays_readable(tmp_path, starter_file, command, columns):
    args = [*command, str(starter_file)] if command == ["grade"] else command
    done = _closed_stdin(args, _env(tmp_path / "home", COLUMNS=columns))
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert done.stdout.strip(), f"{command} printed nothing (exit {done.returncode})"
    width = 80 if columns in ("0", "abc") else int(columns)
    assert max(len(line) for line in done.stdout.splitlines()) <= width
    expected = {"study": 2, "grade": 1}.get(command[0], 0)  # study: stdin closed; grade: starter fails
    assert done.returncode == expected, done.stderr


def test_json_output_ignores_a_narrow_terminal(tmp_path):
    done = quizdl("stats", "--json", *SAMPLE, env=_env(tmp_path / "home", COLUMNS="5"))
    assert done.returncode == 0 and done.stdout.startswith("{")


# --- hostile submissions ---------------------------------------------------------------------------


@pytest.mark.parametrize("terms", [1_500, 100_000])  # just parseable (the tests run), and far too deep
def test_a_submission_too_deep_to_parse_is_an_error_verdict(quizdl_home, monkeypatch, tmp_path, terms):
    from quizdl.grading import scan

    problem = scan.parse("x = " + "+".join(["1"] * terms))
    too_deep = isinstance(problem, scan.SyntaxProblem)
    assert too_deep == (terms > 10_000)
    starter = _starter(tmp_path, monkeypatch)
    starter.write_text(starter.read_text(encoding="utf-8") + "\nX = " + "+".join(["1"] * terms) + "\n",
                       encoding="utf-8")
    result = run("grade", str(starter))
    assert result.exit_code == 1, result.output
    assert "internal error" not in result.output and "RecursionError" not in result.output
    if too_deep:
        assert "nested too deeply" in str(problem)
        assert "ERROR" in result.output and "nested too deeply" in result.output
    else:
        assert "raised NotImplementedError" in result.output  # graded as usual: the starter's stubs


def test_a_byte_order_mark_before_the_marker(quizdl_home, monkeypatch, tmp_path):
    from quizdl.drills import marker_drill_id

    assert marker_drill_id("\ufeff# quizdl drill: lr-step\n") == "lr-step"
    starter = _starter(tmp_path, monkeypatch)
    renamed = tmp_path / "mine.py"  # the name gives no hint: only the marker names the drill
    renamed.write_bytes(b"\xef\xbb\xbf" + starter.read_bytes())
    result = run("grade", str(renamed))
    assert "against drill lr-step" in result.output, result.output
    assert "syntax error" not in result.output and "no '# quizdl drill" not in result.output


# --- README ------------------------------------------------------------------------------------


def test_readme_settings_table_documents_every_setting_with_its_default():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("### Settings\n", 1)[1].split("\n### ", 1)[0]
    rows = dict(re.findall(r"^\| `([a-z_]+)` \| [^|]+ \| ([^|]+) \|", section, re.M))
    assert sorted(rows) == sorted(cfg.setting_names())
    for key, value in cfg.Config().to_dict().items():
        assert rows[key].strip().strip("`") == cfg.show_value(key, value)
    assert "config unset" in section and "1m 10m 1h 1d" in section


@pytest.mark.parametrize("args", [[], ["config"], ["cards"], ["drill"], ["export"]],
                         ids=["quizdl", "config", "cards", "drill", "export"])
def test_a_command_alone_prints_its_help_and_exits_0(tmp_path, args):
    done = quizdl(*args, env=_env(tmp_path / "home"))
    assert done.returncode == 0, done.stderr
    assert "Usage:" in done.stdout and done.stderr == ""


def test_a_parse_that_lost_the_ast_builder_race_is_done_again(monkeypatch):
    """CPython 3.11 (gh-106905): a parse in another thread can corrupt the AST builder's shared
    depth counter, failing a parse of fine code with a SystemError; that parse is retried, any
    other SystemError is not hidden."""
    import ast

    from quizdl.grading import scan

    real = ast.parse
    failures = iter([SystemError("AST constructor recursion depth mismatch (before=30, after=41)")])

    def flaky(*args, **kwargs):
        for exc in failures:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(ast, "parse", flaky)
    assert isinstance(scan.parse("x = 1\n"), ast.Module)

    def broken(*args, **kwargs):
        raise SystemError("something else")

    monkeypatch.setattr(ast, "parse", broken)
    with pytest.raises(SystemError, match="something else"):
        scan.parse("x = 1\n")
