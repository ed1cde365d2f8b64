"""Every drill folder is graded: the reference passes, the mutation test holds (each known
mistake, each variant and each pair of composable mistakes fails and is diagnosed as exactly
itself; the starter fails cleanly), and correct solutions written differently pass. Plus the
example folders (submission.py + expected_result.json, Exercism test-runner style).

References, starters and examples go through the whole sandboxed pipeline, once each and
concurrently (they mostly wait on children importing torch). The mutation test runs on
trusted code, outside the sandbox, through the same comparison and diagnosis
(`engine.evaluate`), in one worker process per core meanwhile; examples carry mistakes and
contract violations through the sandbox too. Reference outputs are computed once per drill.
"""

from __future__ import annotations

import json
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from quizdl import paths
from quizdl.drills import load_drills, marker_drill_id
from quizdl.notebook import read_code, starter_notebook

EXAMPLES = Path(__file__).parent / "grading_examples"
DRILLS = load_drills([(paths.builtin_dir("drills"), True)], strict=False)
WORKERS = max(2, min(4, (os.cpu_count() or 2) + 1))
MUTATION_WORKERS = max(1, min(4, os.cpu_count() or 1))


def _examples() -> list[Path]:
    return sorted(p for p in EXAMPLES.iterdir() if (p / "submission.py").is_file())


def _expected(name: str) -> dict | None:
    path = EXAMPLES / name / "expected_result.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.is_file() else None


def _jobs() -> dict[tuple[str, str], tuple[str, Path]]:
    """(drill id, label) -> (drill id, submission path)."""
    jobs = {}
    for drill in DRILLS.values():
        jobs[(drill.id, "reference")] = (drill.id, drill.reference_path)
        jobs[(drill.id, "starter")] = (drill.id, drill.starter_path)
    for folder in _examples():
        drill_id = marker_drill_id((folder / "submission.py").read_text(encoding="utf-8"))
        jobs[("example", folder.name)] = (drill_id, folder / "submission.py")
    return jobs


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    from quizdl.grading.engine import grade
    from quizdl.grading.mutation import check_drill_folder
    from quizdl.grading.reference import Cache, inputs_for, load_harness, reference_outputs

    # Runs are cached under a key of everything that decides them (drill files, engine code,
    # numpy/torch versions), so a persistent cache is safe and makes a second CI run fast.
    cache_root = Path(os.environ.get("QUIZDL_TEST_CACHE") or tmp_path_factory.mktemp("grading-cache"))
    scratch = tmp_path_factory.mktemp("scratch")

    def warm(drill):  # one reference computation per drill, before the grades share it
        harness = load_harness(drill)
        cache = Cache(drill, cache_root)
        reference_outputs(harness, cache, inputs_for(harness, cache, scratch))

    with ThreadPoolExecutor(WORKERS) as pool:
        list(pool.map(warm, DRILLS.values()))
        futures = {
            key: pool.submit(grade, DRILLS[drill_id], path, cache_root=cache_root)
            for key, (drill_id, path) in _jobs().items()
            if drill_id in DRILLS
        }
        # Every reference and starter written as a notebook (`quizdl drill ID --notebook`), graded
        # from its code cells as `quizdl grade X.ipynb` does.
        for drill in DRILLS.values():
            for kind, path in (("reference", drill.reference_path), ("starter", drill.starter_path)):
                notebook = starter_notebook(path.read_text(encoding="utf-8"), f"# {drill.id}")
                code = read_code(notebook.encode("utf-8"), f"{drill.id}.ipynb")
                futures[(drill.id, f"notebook-{kind}")] = pool.submit(
                    grade, drill, source=code.source, cache_root=cache_root)
        # Meanwhile every drill's mutation test, in worker processes (one per core: it is
        # CPU-bound and the GIL would serialise threads), heaviest drills first.
        order = sorted(DRILLS.values(), key=lambda d: (d.framework != "torch", d.id))
        with ProcessPoolExecutor(MUTATION_WORKERS, mp_context=multiprocessing.get_context("spawn")) as procs:
            checks = {d.id: procs.submit(check_drill_folder, str(d.folder), str(cache_root)) for d in order}
            results = {(drill_id, "mutation"): f.result() for drill_id, f in checks.items()}
        results.update({key: future.result() for key, future in futures.items()})
        return results


def _explain(result) -> str:
    rows = "; ".join(f"{g.name}={g.status} {g.message[:200]}" for g in result.groups if g.status != "pass")
    printed = f" printed: {result.output[-600:]!r}" if getattr(result, "output", "") else ""
    return f"status={result.status} message={result.message!r} rows: {rows}{printed}"


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_reference_passes(graded, drill_id):
    result = graded[(drill_id, "reference")]
    assert result.status == "pass", _explain(result)
    assert result.tests_passed == result.tests_total > 0


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_mutation_test_holds(graded, drill_id):
    report = graded[(drill_id, "mutation")]
    assert report.ok, "\n".join(report.problems)
    assert report.singles >= len(DRILLS[drill_id].mistakes)
    assert report.pairs > 0


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_every_drill_lists_five_known_mistakes(drill_id):
    assert len(DRILLS[drill_id].mistakes) >= 5


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_unmodified_starter_fails_cleanly(graded, drill_id):
    result = graded[(drill_id, "starter")]
    assert result.status != "pass"
    assert result.diagnosis is None
    messages = " ".join([result.message or ""] + [g.message for g in result.groups])
    assert "NotImplementedError" in messages
    assert "Traceback" not in messages and "child_runner" not in messages and "harness.py" not in messages


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_notebooks_of_the_reference_pass_and_of_the_starter_fail_cleanly(graded, drill_id):
    reference, starter = graded[(drill_id, "notebook-reference")], graded[(drill_id, "notebook-starter")]
    assert reference.status == "pass", _explain(reference)
    assert starter.status != "pass" and starter.diagnosis is None and not starter.tests_ran


@pytest.mark.parametrize("drill_id", sorted(DRILLS))
def test_a_differently_written_solution_passes(graded, drill_id):
    alternatives = [
        key for key, (did, _) in _jobs().items()
        if key[0] == "example" and did == drill_id and (_expected(key[1]) or {}).get("status") == "pass"
    ]
    if not alternatives:
        pytest.skip(f"no alternative solution for {drill_id} in tests/grading_examples yet")
    for key in alternatives:
        assert graded[key].status == "pass", _explain(graded[key])


@pytest.mark.parametrize("name", [p.name for p in _examples()])
def test_example_matches_expected_result(graded, name):
    expected = _expected(name)
    if expected is None:
        pytest.skip(f"{name} has no expected_result.json")
    result = graded[("example", name)]
    got = result.to_dict()
    assert got["drill"] == expected["drill"]
    assert got["status"] == expected["status"], _explain(result)
    assert [(t["name"], t["status"]) for t in got["tests"]] == [
        (t["name"], t["status"]) for t in expected["tests"]
    ]
    assert (got["diagnosis"] or {}).get("id") == expected["diagnosis"]
    if "diagnoses" in expected:
        assert sorted(d["id"] for d in got["diagnoses"]) == sorted(expected["diagnoses"])


def _evaluate_mistakes(drill_id: str, *mistake_ids: str, cache_root: Path):
    from quizdl.grading import mutants
    from quizdl.grading.engine import evaluate
    from quizdl.grading.reference import (
        Cache,
        combo_outputs,
        inputs_for,
        load_harness,
        reference_outputs,
    )

    drill = DRILLS[drill_id]
    harness, cache = load_harness(drill), Cache(drill, cache_root)
    inputs = inputs_for(harness, cache, cache_root)
    forms = {f.name: f for f in mutants.all_forms(drill)}
    run = combo_outputs(harness, cache, inputs, tuple(forms[m] for m in mistake_ids))
    return evaluate(
        harness, cache, inputs, reference_outputs(harness, cache, inputs),
        {i: o for i, o in enumerate(run.outputs) if o is not None},
        {i: e for i, e in enumerate(run.errors) if e},
        case_contracts={i: c for i, c in enumerate(run.contracts) if c},
    )


def test_results_are_exercism_shaped(tmp_path):
    data = _evaluate_mistakes("softmax-ce", "grad-not-averaged", cache_root=tmp_path).to_dict()
    json.dumps(data)  # plain data all the way down
    assert data["version"] == 2 and data["status"] == "fail"
    assert set(data["tests"][0]) == {"name", "status", "message"}
    failed = [t for t in data["tests"] if t["status"] == "fail"]
    assert failed and all(t["message"] for t in failed)
    assert data["diagnosis"]["id"] == "grad-not-averaged"
    assert [d["id"] for d in data["diagnoses"]] == ["grad-not-averaged"]


def test_two_mistakes_at_once_are_both_named(tmp_path):
    result = _evaluate_mistakes("softmax-ce", "no-max-subtraction", "log-of-softmax", cache_root=tmp_path)
    assert result.diagnosis_ids == ["no-max-subtraction", "log-of-softmax"]


def test_a_contract_mistake_is_named_first_with_where(tmp_path):
    result = _evaluate_mistakes("softmax-ce", "loss-summed", "onehot-float64", cache_root=tmp_path)
    assert result.diagnosis_ids == ["onehot-float64", "loss-summed"]
    assert result.diagnoses[0].kind == "contract" and "float64 for float32" in result.diagnoses[0].detail


def test_failing_rows_report_the_first_failing_output_and_where(tmp_path):
    result = _evaluate_mistakes("softmax-ce", "grad-not-averaged", cache_root=tmp_path)
    row = next(g for g in result.groups if g.status == "fail")
    assert row.max_abs > 0 and row.max_rel > 0
    assert row.where.startswith("grad[") and "(case: " in row.where
    assert row.expected and row.got
