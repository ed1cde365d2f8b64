"""Drill specs (loading, validation, `drill check`) and the drill commands, through CliRunner.

Grading here uses the numpy drill (softmax-ce): it grades in a fraction of a second.
"""

from __future__ import annotations

import copy
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from quizdl import paths
from quizdl.cli.app import app
from quizdl.drills import check_paths, load_drills, marker_drill_id, parse_drill
from quizdl.store import Store

BUILTIN = paths.builtin_dir("drills")
REFERENCE = (BUILTIN / "softmax-ce" / "reference.py").read_text(encoding="utf-8")
runner = CliRunner()


def invoke(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _solution(tmp_path: Path, body: str = REFERENCE, name: str = "mine.py") -> Path:
    path = tmp_path / name
    path.write_text("# quizdl drill: softmax-ce\n" + body, encoding="utf-8")
    return path


# --- drill specs ---------------------------------------------------------------------------------


def test_builtin_drills_load_and_check_clean():
    drills = load_drills([(BUILTIN, True)])
    assert {"bn", "softmax-ce"} <= set(drills)
    from quizdl.cards import load_library

    card_ids = set(load_library().cards)
    found, problems = check_paths([BUILTIN], card_ids)
    assert problems == []
    assert len(found) == len(drills)
    for drill in drills.values():
        assert len(drill.mistakes) >= 2
        assert drill.prompt["en"].strip() and drill.prompt["zh"].strip()
        for card in drill.cards:
            assert card in card_ids


def test_numpy_drills_always_block_torch():
    drill = load_drills([(BUILTIN, True)])["softmax-ce"]
    assert "torch" in drill.all_blocked_imports


def _spec(**changes) -> dict:
    data = yaml.safe_load((BUILTIN / "softmax-ce" / "drill.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    return data


def test_parse_reports_every_problem_at_once(tmp_path):
    folder = tmp_path / "softmax-ce"
    data = _spec(difficulty="extreme", framework="jax", surprise=1, mistakes=[{"id": "only-one", "explanation": {"en": "x", "zh": "y"}}])
    del data["prompt"]
    drill, problems = parse_drill(data, folder)
    assert drill is None
    text = "\n".join(problems)
    for expected in ("difficulty", "framework", "unknown key 'surprise'", "missing key 'prompt'", "at least 2"):
        assert expected in text


def test_id_must_match_folder(tmp_path):
    _, problems = parse_drill(_spec(), tmp_path / "other-name")
    assert any("folder name" in p for p in problems)


def test_marker_is_found_in_the_first_lines():
    assert marker_drill_id("# quizdl drill: bn\nimport torch\n") == "bn"
    assert marker_drill_id("#!/usr/bin/env python\n# quizdl drill: softmax-ce\n") == "softmax-ce"
    assert marker_drill_id("import torch\n") is None


def _copy_drill(tmp_path: Path, drill_id: str = "softmax-ce") -> Path:
    target = tmp_path / "drills" / drill_id
    shutil.copytree(BUILTIN / drill_id, target, ignore=shutil.ignore_patterns("__pycache__"))
    return target


def test_check_finds_file_level_problems(tmp_path):
    folder = _copy_drill(tmp_path)
    (folder / "starter.py").write_text("def softmax(x, axis=-1):\n    raise NotImplementedError\n")
    spec = yaml.safe_load((folder / "drill.yaml").read_text())
    spec["cards"] = ["no-such-card"]
    by_id = {m["id"]: m for m in spec["mistakes"]}
    by_id["wrong-axis"]["edits"][0]["find"] = "text that is not in the reference"
    by_id["loss-summed"]["edits"][0]["find"] = "n"  # occurs many times
    by_id["grad-not-averaged"]["edits"][0]["replace"] = "return grad /"  # does not compile
    by_id["no-max-subtraction"]["contract"] = "no-such-check"
    (folder / "drill.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True))
    _, problems = check_paths([folder.parent], card_ids={"loss-stable-softmax"})
    text = "\n".join(problems)
    assert "mistake wrong-axis: 'text that is not in the reference' occurs 0 times" in text
    assert "mistake loss-summed: 'n' occurs" in text
    assert "mistake grad-not-averaged: the edited reference does not compile" in text
    assert "unknown contract check 'no-such-check'" in text
    assert "first line must be" in text
    assert "does not define entry point 'log_softmax'" in text
    assert "unknown card 'no-such-card'" in text
    assert all(": softmax-ce: " in p for p in problems)


def test_drill_check_command(tmp_path):
    result = invoke("drill", "check", "--quick")
    assert result.exit_code == 0, result.output
    assert "no problems" in result.output
    result = invoke("drill", "check", str(BUILTIN / "softmax-ce"))
    assert result.exit_code == 0, result.output
    assert "pairs each diagnosed as themselves" in result.output
    folder = _copy_drill(tmp_path)
    (folder / "harness.py").write_text("import numpy as np\n\ndef cases():\n    return [{'name': 'a'}, {'name': 'a'}]\n")
    result = invoke("drill", "check", str(folder))
    assert result.exit_code == 2
    assert "duplicate case name" in result.output and "must define make_inputs()" in result.output


def test_mutation_test_finds_a_harness_that_misses_mistakes(tmp_path):
    folder = _copy_drill(tmp_path)
    spec = yaml.safe_load((folder / "drill.yaml").read_text())
    mistakes = {m["id"]: m for m in spec["mistakes"]}
    # a "mistake" no case can see (a comment), and a copy of another mistake under a new id
    mistakes["loss-summed"]["edits"] = [{"find": "# a NumPy scalar of the logits' dtype", "replace": "# same"}]
    twin = dict(copy.deepcopy(mistakes["grad-not-averaged"]), id="grad-not-divided")  # no shared parts: YAML would write aliases, which drill.yaml refuses
    spec["mistakes"].append(twin)
    (folder / "drill.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True))
    result = invoke("drill", "check", str(folder))
    assert result.exit_code == 2
    assert "mistake loss-summed passes every test" in result.output
    assert "grad-not-averaged and grad-not-divided behave identically" in result.output


def test_user_drills_load_beside_builtins(quizdl_home):
    _copy_drill(quizdl_home, "softmax-ce")
    user = quizdl_home / "drills" / "my-softmax"
    (quizdl_home / "drills" / "softmax-ce").rename(user)
    spec = yaml.safe_load((user / "drill.yaml").read_text())
    spec["id"] = "my-softmax"
    (user / "drill.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True))
    drills = load_drills()
    assert "my-softmax" in drills and not drills["my-softmax"].builtin and drills["bn"].builtin


# --- commands --------------------------------------------------------------------------------------


def test_importing_the_drill_commands_is_cheap():
    code = "import sys, quizdl.cli.drills; print(sorted(m for m in ('numpy', 'torch') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.package_dir().parent)
    assert out.stdout.strip() == "[]", out.stderr


def test_every_command_has_help_with_an_example():
    for args in (["drill"], ["drill", "list"], ["drill", "start"], ["drill", "show"], ["drill", "solution"],
                 ["drill", "next"], ["drill", "check"], ["grade"]):
        result = invoke(*args, "--help")
        assert result.exit_code == 0
        assert "Example" in result.output, args


def test_drill_list_shows_status():
    result = invoke("drill", "list")
    assert result.exit_code == 0
    assert "softmax-ce" in result.output and "new" in result.output and "numpy" in result.output


def test_drill_id_writes_the_starter(in_tmp):
    result = invoke("drill", "softmax-ce", "--lang", "en")
    assert result.exit_code == 0, result.output
    starter = in_tmp / "softmax_ce.py"
    assert starter.read_text().startswith("# quizdl drill: softmax-ce\n")
    assert "NotImplementedError" in starter.read_text()
    assert "log_softmax" in result.output  # the task was printed


def test_starter_refuses_to_overwrite_without_force(in_tmp):
    (in_tmp / "softmax_ce.py").write_text("my work")
    result = invoke("drill", "softmax-ce")
    assert result.exit_code == 2 and "--force" in result.output
    assert (in_tmp / "softmax_ce.py").read_text() == "my work"
    result = invoke("drill", "start", "softmax-ce", "--force")
    assert result.exit_code == 0
    assert (in_tmp / "softmax_ce.py").read_text().startswith("# quizdl drill:")


def test_starter_output_path(in_tmp):
    result = invoke("drill", "bn", "-o", "sub/my_bn.py", "--lang", "zh")
    assert result.exit_code == 0, result.output
    assert (in_tmp / "sub" / "my_bn.py").read_text().startswith("# quizdl drill: bn")
    assert "训练" in result.output


def test_unknown_drill_is_a_one_line_error():
    result = invoke("drill", "no-such-drill")
    assert result.exit_code == 2
    assert "unknown drill 'no-such-drill'" in result.output
    assert "Traceback" not in result.output


def test_drill_show_prints_the_task_only(in_tmp):
    result = invoke("drill", "show", "bn", "--lang", "both")
    assert result.exit_code == 0
    assert "running_var" in result.output and "滑动统计量" in result.output
    assert [p.name for p in in_tmp.iterdir()] in ([], ["home"])  # no starter file (home: the data dir)


def test_grade_pass_records_the_attempt(in_tmp):
    result = invoke("grade", str(_solution(in_tmp)))
    assert result.exit_code == 0, result.output
    assert "PASS" in result.output and "time" in result.output
    with Store.open() as store:
        attempts = store.drill_attempts("softmax-ce")
        assert len(attempts) == 1 and attempts[0].passed and attempts[0].tests_passed == attempts[0].tests_total
        assert store.get_state("drill:softmax-ce") is not None


def test_grade_fail_shows_rows_and_diagnosis(in_tmp):
    body = REFERENCE.replace("    return grad / n", "    return grad")
    result = invoke("grade", str(_solution(in_tmp, body)))
    assert result.exit_code == 1
    assert "FAIL" in result.output and "✗" in result.output and "✓" in result.output
    assert "Diagnosis" in result.output and "divid" in result.output
    with Store.open() as store:
        assert store.drill_attempts("softmax-ce")[-1].diagnosis == "grad-not-averaged"


def test_grade_json(in_tmp):
    body = REFERENCE.replace("    return grad / n", "    return grad")
    result = invoke("grade", str(_solution(in_tmp, body)), "--json")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert data["status"] == "fail" and data["version"] == 2
    assert {t["status"] for t in data["tests"]} == {"pass", "fail"}
    assert data["diagnosis"]["id"] == "grad-not-averaged"


def test_grade_usage_errors_exit_2(in_tmp):
    assert invoke("grade", str(in_tmp / "missing.py")).exit_code == 2
    plain = in_tmp / "plain.py"
    plain.write_text("def unrelated():\n    return 1\n")  # no marker, no drill's name or entry points
    result = invoke("grade", str(plain))
    assert result.exit_code == 2 and "--drill" in result.output
    plain.write_text(REFERENCE)  # no marker, but softmax-ce's entry points: graded as that drill
    assert invoke("grade", str(plain)).exit_code == 0
    assert invoke("grade", str(plain), "--drill", "softmax-ce").exit_code == 0
    assert invoke("grade", str(plain), "--drill", "nope").exit_code == 2


def test_grade_error_status_exits_1(in_tmp):
    result = invoke("grade", str(_solution(in_tmp, "def softmax(:\n")))
    assert result.exit_code == 1
    assert "syntax error at line 2" in result.output


def test_grade_verbose_shows_cases_and_prints(in_tmp):
    body = "print('hello from my code')\n" + REFERENCE
    result = invoke("grade", str(_solution(in_tmp, body)), "--verbose")
    assert result.exit_code == 0
    assert "hello from my code" in result.output and "1000 and 1001" in result.output


def test_solution_refused_before_passing_then_forced_and_recorded(in_tmp):
    result = invoke("drill", "solution", "softmax-ce")
    assert result.exit_code == 1 and "--force" in result.output
    result = invoke("drill", "solution", "softmax-ce", "--force")
    assert result.exit_code == 0 and "log_softmax" in result.output
    with Store.open() as store:
        views = store.solution_views("softmax-ce")
    assert len(views) == 1 and views[0][1] is True


def test_solution_after_passing(in_tmp):
    assert invoke("grade", str(_solution(in_tmp))).exit_code == 0
    result = invoke("drill", "solution", "softmax-ce")
    assert result.exit_code == 0 and "def softmax" in result.output
    with Store.open() as store:
        assert store.solution_views("softmax-ce")[0][1] is False


def test_next_prefers_overdue_then_new_then_says_when(in_tmp, monkeypatch):
    result = invoke("drill", "next")
    assert result.exit_code == 0 and "(new)" in result.output
    # Pass every drill: nothing is due any more, and `next` says when the next one is.
    from datetime import UTC, datetime

    from quizdl import drill_progress
    from quizdl import scheduler as sched
    from quizdl.config import Config
    from quizdl.store import DrillAttempt

    now = datetime.now(UTC)
    with Store.open() as store:
        for drill_id in load_drills():
            attempt = DrillAttempt(drill_id, now.timestamp(), True, 1, 1, None, 10)
            drill_progress.record_grade(store, sched.make_scheduler(Config(), drills=True), attempt, now)
    result = invoke("drill", "next")
    assert "Nothing is due" in result.output and "Next:" in result.output


@pytest.mark.parametrize("drill_id", ["bn", "softmax-ce", "mha"])
def test_solution_redirected_to_a_file_is_the_reference_byte_for_byte(in_tmp, drill_id):
    """`quizdl drill solution bn > sol.py`: nothing cropped or wrapped (bn's n / (n - 1) line)."""
    import os
    import subprocess
    import sys

    from quizdl import paths

    reference = (paths.builtin_dir("drills") / drill_id / "reference.py").read_bytes()
    out = in_tmp / "sol.py"
    with out.open("wb") as f:
        done = subprocess.run([sys.executable, "-m", "quizdl", "drill", "solution", drill_id, "--force"],
                              stdout=f, stderr=subprocess.PIPE, timeout=60,
                              env=dict(os.environ, COLUMNS="40", PYTHONPATH=str(paths.package_dir().parent)))
    assert done.returncode == 0, done.stderr
    assert out.read_bytes() == reference
    assert b"recorded" in done.stderr
