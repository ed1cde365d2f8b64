"""The held-out acceptance set of the grader (issue #9): submissions written the way candidates
write them, differently from the drills' own mistake edits, each labelled on its second line
(`# expect: pass` or `# expect: id[, id]`). Graded in this process through the same comparison,
contract checks and diagnosis as a real grade (the sandbox itself is tested elsewhere), then
scored: no wrong solution accepted, no right one rejected, >= 90 % of single mistakes and
>= 80 % of two-mistake files named exactly, and no diagnosis naming a mistake that is not there.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from quizdl import paths
from quizdl.drills import load_drills, marker_drill_id

HELDOUT = Path(__file__).parent / "heldout"
DRILLS = load_drills([(paths.builtin_dir("drills"), True)], strict=False)


@dataclass
class Outcome:
    file: str
    expected: list[str] | None  # None: must pass
    status: str
    diagnosed: list[str]
    summary: str


def _files() -> list[Path]:
    return sorted(HELDOUT.glob("*/*.py")) if HELDOUT.is_dir() else []


def _expectation(source: str) -> list[str] | None:
    for line in source.splitlines()[:5]:
        if line.startswith("# expect:"):
            value = line.split(":", 1)[1].strip()
            return None if value == "pass" else [v.strip() for v in value.split(",") if v.strip()]
    raise AssertionError("no '# expect:' line")


def grade_in_process(drill, source: str, path: Path, cache_root: Path):
    from quizdl.grading.engine import evaluate
    from quizdl.grading.reference import (
        Cache,
        _exec_module,
        _run_impl,
        inputs_for,
        load_harness,
        reference_outputs,
    )

    harness = load_harness(drill)
    cache = Cache(drill, cache_root)
    inputs = inputs_for(harness, cache, cache_root)
    reference = reference_outputs(harness, cache, inputs)
    name = "heldout_" + hashlib.sha1(str(path).encode()).hexdigest()[:10]
    try:
        module = _exec_module(name, source, path)
    except Exception as exc:
        raise AssertionError(f"{path.name} does not import: {exc}") from None
    done = _run_impl(harness, module, inputs, None, list(range(len(harness.cases))))
    outputs = {i: o for i, (o, _, _) in done.items() if o is not None}
    errors = {i: e for i, (_, e, _) in done.items() if e is not None}
    contracts = {i: c for i, (_, _, c) in done.items() if c}
    # No wall-clock cut-off here: these tests measure what the diagnosis names, not how fast it
    # is on a loaded machine (bench/bench_diagnose.py measures that, on a warm cache).
    return evaluate(harness, cache, inputs, reference, outputs, errors, case_contracts=contracts,
                    diagnose_budget=(150, 120.0))


@pytest.fixture(scope="module")
def outcomes(tmp_path_factory) -> list[Outcome]:
    cache_root = tmp_path_factory.mktemp("heldout-cache")
    found = []
    for path in _files():
        source = path.read_text(encoding="utf-8")
        drill_id = marker_drill_id(source)
        assert drill_id in DRILLS, f"{path}: unknown drill {drill_id!r}"
        result = grade_in_process(DRILLS[drill_id], source, path, cache_root)
        rows = "; ".join(f"{g.name}: {g.message[:120]}" for g in result.groups if g.status != "pass")
        found.append(Outcome(f"{path.parent.name}/{path.name}", _expectation(source), result.status,
                             result.diagnosis_ids, rows))
    return found


def rates(outcomes: list[Outcome]) -> dict[str, float | int]:
    right = [o for o in outcomes if o.expected is None]
    singles = [o for o in outcomes if o.expected is not None and len(o.expected) == 1]
    doubles = [o for o in outcomes if o.expected is not None and len(o.expected) == 2]
    wrong = [o for o in outcomes if o.expected is not None]
    return {
        "files": len(outcomes),
        "correct": len(right),
        "correct_rejected": sum(o.status != "pass" for o in right),
        "wrong": len(wrong),
        "wrong_accepted": sum(o.status == "pass" for o in wrong),
        "singles": len(singles),
        "singles_named": sum(o.diagnosed == o.expected for o in singles),
        "doubles": len(doubles),
        "doubles_named": sum(sorted(o.diagnosed) == sorted(o.expected) for o in doubles),
        "wrong_diagnoses": sum(any(d not in o.expected for d in o.diagnosed) for o in wrong)
        + sum(bool(o.diagnosed) for o in right),
    }


def _report(outcomes: list[Outcome], keep) -> str:
    return "\n".join(f"  {o.file}: expected {o.expected or 'pass'}, got {o.status} {o.diagnosed} — {o.summary[:300]}"
                     for o in outcomes if keep(o))


def test_heldout_set_exists():
    assert len(_files()) >= 40, "the held-out set needs correct, single- and two-mistake files for every drill"


def test_no_wrong_solution_is_accepted(outcomes):
    bad = [o for o in outcomes if o.expected is not None and o.status == "pass"]
    assert not bad, "accepted wrong solutions:\n" + _report(bad, lambda o: True)


def test_no_right_solution_is_rejected(outcomes):
    bad = [o for o in outcomes if o.expected is None and o.status != "pass"]
    assert not bad, "rejected correct solutions:\n" + _report(bad, lambda o: True)


def test_no_wrong_diagnosis(outcomes):
    bad = [o for o in outcomes if o.expected is not None and any(d not in o.expected for d in o.diagnosed)]
    assert not bad, "diagnoses naming a mistake that is not there:\n" + _report(bad, lambda o: True)


def test_naming_rates(outcomes):
    r = rates(outcomes)
    print("held-out rates:", r)
    missed = _report(outcomes, lambda o: o.expected is not None and sorted(o.diagnosed) != sorted(o.expected))
    assert r["singles_named"] >= 0.9 * r["singles"], "single mistakes not named:\n" + missed
    assert r["doubles_named"] >= 0.8 * r["doubles"], "two-mistake files not named:\n" + missed


if __name__ == "__main__":  # `python tests/test_heldout.py`: print every outcome and the rates
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        results = []
        for path in _files():
            source = path.read_text(encoding="utf-8")
            result = grade_in_process(DRILLS[marker_drill_id(source)], source, path, Path(tmp))
            o = Outcome(f"{path.parent.name}/{path.name}", _expectation(source), result.status,
                        result.diagnosis_ids, "")
            results.append(o)
            ok = (o.status == "pass") if o.expected is None else sorted(o.diagnosed) == sorted(o.expected)
            print(("ok  " if ok else "MISS"), o.file, o.expected or "pass", o.status, o.diagnosed)
        print(rates(results))
