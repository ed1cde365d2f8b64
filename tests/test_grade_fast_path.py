"""The short path of `quizdl grade` (launch.py): its argument parser, its parity with the typer
command, the early-started sandbox child (grading/warm.py) and the parse cache for drill.yaml and
config.yaml (yamlcache.py)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdl import paths, yamlcache
from quizdl.cli.app import app
from quizdl.cli.launch import parse_grade_args
from quizdl.grading import warm

REPO = paths.package_dir().parent
REFERENCE = (paths.builtin_dir("drills") / "softmax-ce" / "reference.py").read_text(encoding="utf-8")


def _solution(folder: Path, body: str = REFERENCE, name: str = "mine.py") -> Path:
    path = folder / name
    path.write_text("# quizdl drill: softmax-ce\n" + body, encoding="utf-8")
    return path


def _quizdl(*args: str, tmp: Path) -> subprocess.CompletedProcess:
    """`python -m quizdl …` as a user runs it (the console script calls the same launch.main),
    with its own TMPDIR so leftovers can be checked."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(REPO), TMPDIR=str(tmp), COLUMNS="100", NO_COLOR="1")
    return subprocess.run([sys.executable, "-m", "quizdl", *args], capture_output=True, text=True, env=env, timeout=120)


def _without_timing(text: str) -> str:
    return re.sub(r"time \d+\.\d\d s", "time X s", text)


# --- the argument parser -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tokens", "expected"),
    [
        (["a.py"], ("a.py", None, False, False)),
        (["a.py", "--drill", "bn"], ("a.py", "bn", False, False)),
        (["-d", "bn", "a.py", "--json"], ("a.py", "bn", True, False)),
        (["a.py", "--drill=bn", "-v"], ("a.py", "bn", False, True)),
        (["--verbose", "a.py", "--json"], ("a.py", None, True, True)),
    ],
)
def test_plain_forms_take_the_short_path(tokens, expected):
    assert parse_grade_args(tokens) == expected


@pytest.mark.parametrize(
    "tokens",
    [
        [],  # typer says the file is missing
        ["--help"],
        ["a.py", "-h"],
        ["a.py", "b.py"],
        ["a.py", "--drill"],  # missing value
        ["a.py", "--drill", "--json"],
        ["a.py", "--drill="],
        ["a.py", "-d", "bn", "-d", "bn"],  # repeated
        ["a.py", "--json", "--json"],
        ["a.py", "-vd", "bn"],  # combined short options
        ["a.py", "--unknown"],
        ["--", "a.py"],
        [""],
        ["-weird.py"],
    ],
)
def test_anything_else_goes_to_typer(tokens):
    assert parse_grade_args(tokens) is None


# --- the same command both ways ----------------------------------------------------------------


@pytest.mark.parametrize("extra", [[], ["--verbose"], ["--json"]])
@pytest.mark.parametrize("passing", [True, False])
def test_short_path_prints_what_the_typer_command_prints(tmp_path, monkeypatch, extra, passing):
    body = REFERENCE if passing else REFERENCE.replace("    return grad / n", "    return grad")
    solution = _solution(tmp_path, "print('from my code')\n" + body)
    monkeypatch.setenv("COLUMNS", "100")
    via_typer = CliRunner().invoke(app, ["grade", str(solution), *extra])
    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path / "home-direct"))  # both grade a first attempt
    direct = _quizdl("grade", str(solution), *extra, tmp=tmp_path)
    assert direct.returncode == via_typer.exit_code == (0 if passing else 1)
    if "--json" in extra:
        import json

        a, b = json.loads(direct.stdout), json.loads(via_typer.stdout)
        for data in (a, b):
            data.pop("duration_ms", None)
        assert a == b
    else:
        assert _without_timing(direct.stdout) == _without_timing(via_typer.stdout)
    assert direct.stderr == ""


def test_short_path_errors_are_one_red_line_and_exit_2(tmp_path):
    missing = _quizdl("grade", str(tmp_path / "missing.py"), tmp=tmp_path)
    assert missing.returncode == 2 and missing.stdout == ""
    assert missing.stderr.strip().splitlines() == [f"error: no such file: {tmp_path / 'missing.py'}"]
    unknown = _quizdl("grade", str(_solution(tmp_path)), "--drill", "nope", tmp=tmp_path)
    assert unknown.returncode == 2 and "unknown drill 'nope'" in unknown.stderr
    assert "Traceback" not in missing.stderr + unknown.stderr


def test_other_forms_still_get_typer_help_and_usage_errors(tmp_path):
    helped = _quizdl("grade", "--help", tmp=tmp_path)
    assert helped.returncode == 0 and "--drill" in helped.stdout and "Example" in helped.stdout
    bad = _quizdl("grade", "a.py", "--nope", tmp=tmp_path)
    assert bad.returncode == 2 and "No such option" in bad.stderr


def test_nothing_is_left_behind(tmp_path):
    """Whether the early child is used (a pass), or not (an error before it is needed, a syntax
    error caught by the static check), no process and no temp dir outlives the command."""
    good = _solution(tmp_path)
    broken = _solution(tmp_path, "def softmax(:\n", name="broken.py")
    runs = [
        _quizdl("grade", str(good), tmp=tmp_path),
        _quizdl("grade", str(broken), tmp=tmp_path),
        _quizdl("grade", str(good), "--drill", "nope", tmp=tmp_path),
        _quizdl("grade", str(tmp_path / "missing.py"), tmp=tmp_path),
    ]
    assert [r.returncode for r in runs] == [0, 1, 2, 2]
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith("quizdl-")]
    ps = subprocess.run(["ps", "-ww", "-eo", "args"], capture_output=True, text=True).stdout
    assert str(tmp_path) not in ps


# --- the early child ---------------------------------------------------------------------------


def test_a_child_whose_grader_went_away_exits_quietly(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    child = warm.StartedChild(warm.rlimits())
    try:
        child.proc.stdin.close()  # no config will ever come
        assert child.proc.wait(timeout=60) == 0
        assert not (Path(child.workdir) / "errors.json").exists()
    finally:
        child.discard()
    assert not Path(child.workdir).exists()


def test_the_early_child_is_used_only_with_the_same_limits(monkeypatch):
    monkeypatch.setattr(warm, "_waiting", None)
    warm.start_early()
    early = warm._waiting
    assert early is not None
    taken = warm.take(warm.rlimits())
    assert taken is early and warm._waiting is None
    taken.discard()

    warm.start_early()
    early = warm._waiting
    other = warm.take(warm.rlimits(data_bytes=warm.DATA_BYTES // 2))
    try:
        assert other is not early and other.limits["RLIMIT_DATA"] == warm.DATA_BYTES // 2
        assert early.proc.poll() is not None and not Path(early.workdir).exists()  # discarded
    finally:
        other.discard()


def test_an_unused_early_child_is_discarded_at_exit(monkeypatch):
    monkeypatch.setattr(warm, "_waiting", None)
    warm.start_early()
    early = warm._waiting
    warm._discard_unused()  # what atexit runs
    assert early.proc.poll() is not None and not Path(early.workdir).exists()


# --- YAML parse cache ----------------------------------------------------------------------------


def test_yaml_cache_reuses_a_parse_until_the_file_changes(tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\nb: [x, y]\n", encoding="utf-8")
    assert yamlcache.load(path) == {"a": 1, "b": ["x", "y"]}
    calls = []
    real_parse = yamlcache.parse
    monkeypatch.setattr(yamlcache, "parse", lambda text: calls.append(text) or real_parse(text))
    assert yamlcache.load(path) == {"a": 1, "b": ["x", "y"]} and calls == []  # from the cache
    time.sleep(0.01)
    path.write_text("a: 2\nb: [x, y]\n", encoding="utf-8")  # same size, new content
    assert yamlcache.load(path) == {"a": 2, "b": ["x", "y"]} and len(calls) == 1


def test_yaml_cache_errors_and_unplain_values(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("a: [1, 2\n", encoding="utf-8")
    with pytest.raises(yamlcache.InvalidYaml, match="line"):
        yamlcache.load(bad)
    with pytest.raises(FileNotFoundError):
        yamlcache.load(tmp_path / "missing.yaml")
    dated = tmp_path / "dated.yaml"
    dated.write_text("when: 2026-11-23\n", encoding="utf-8")
    first, second = yamlcache.load(dated), yamlcache.load(dated)  # a date cannot be marshal'd: parsed each time
    assert first == second and str(first["when"]) == "2026-11-23"


def test_yaml_cache_survives_a_corrupt_copy_and_a_read_only_data_dir(tmp_path, monkeypatch):
    path = tmp_path / "x.yaml"
    path.write_text("a: 1\n", encoding="utf-8")
    yamlcache.load(path)
    (copy,) = (paths.cache_dir() / "yaml").iterdir()
    copy.write_bytes(copy.read_bytes()[:-3])  # truncated
    assert yamlcache.load(path) == {"a": 1}
    monkeypatch.setenv("QUIZDL_HOME", "/proc/quizdl-cannot-write-here")
    assert yamlcache.load(path) == {"a": 1}


# --- a grader that dies or is told to stop -------------------------------------------------------


def _runner_pids(tmp: Path) -> list[int]:
    ps = subprocess.run(["ps", "-ww", "-eo", "pid,args"], capture_output=True, text=True).stdout
    return [int(line.split()[0]) for line in ps.splitlines()[1:] if str(tmp) in line and "runner.py" in line]


def _start_sleeping_grade(tmp_path: Path) -> subprocess.Popen:
    sleeper = _solution(tmp_path, "import time\ntime.sleep(600)\n" + REFERENCE, name="sleeper.py")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONPATH=str(REPO), TMPDIR=str(tmp_path))
    grader = subprocess.Popen([sys.executable, "-m", "quizdl", "grade", str(sleeper)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("quizdl-grade-*/submission.py")):  # the child has its job
        assert time.monotonic() < deadline and grader.poll() is None
        time.sleep(0.05)
    time.sleep(1.0)  # well into the sleep
    assert _runner_pids(tmp_path)
    return grader


def _gone_within(seconds: float, tmp: Path) -> bool:
    deadline = time.monotonic() + seconds
    while _runner_pids(tmp):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_the_child_leaves_when_its_grader_is_killed(tmp_path):
    grader = _start_sleeping_grade(tmp_path)
    grader.kill()  # SIGKILL: no cleanup code runs in the grader
    grader.wait()
    try:
        assert _gone_within(5, tmp_path)
    finally:
        for pid in _runner_pids(tmp_path):
            os.kill(pid, 9)


@pytest.mark.parametrize("how", ["SIGTERM", "SIGHUP"])
def test_a_stopped_grade_cleans_up(tmp_path, how):
    import signal

    grader = _start_sleeping_grade(tmp_path)
    grader.send_signal(getattr(signal, how))
    assert grader.wait(timeout=30) == 128 + getattr(signal, how)
    assert b"Traceback" not in grader.stderr.read()
    assert _gone_within(5, tmp_path)
    assert not list(tmp_path.glob("quizdl-*"))


def test_an_unwritable_cache_still_grades_and_leaves_nothing(tmp_path, monkeypatch):
    import tempfile

    from quizdl.drills import load_folder
    from quizdl.grading.engine import grade

    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr(tempfile, "tempdir", None)
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")  # the cache root lies below a file: nothing can be written there
    drill = load_folder(paths.builtin_dir("drills") / "softmax-ce")[0]
    for _ in range(2):  # both grades compute everything afresh
        result = grade(drill, source="# quizdl drill: softmax-ce\n" + REFERENCE, cache_root=blocker / "cache")
        assert result.passed, result.to_dict()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "home") == ["not-a-folder"]
