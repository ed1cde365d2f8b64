"""The mutation test of a drill's harness (`quizdl drill check`, and the test suite on every
built-in drill): the reference passes; every known mistake and every form of it, and every pair of
composable mistakes, fails at least one test and is diagnosed as exactly itself; two mistakes that
behave identically on every case are a drill error; the unmodified starter fails cleanly.

All of it runs in this process (the reference, the mistakes and the starter are the drill's own,
trusted code) through the same comparison and diagnosis a real grade uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from quizdl.drills import Drill
from quizdl.grading import mutants
from quizdl.grading.mutants import Combo, Form

# The diagnosis may take its time here (a cold cache runs every mistake): only its answers count,
# never how busy the machine is.
CHECK_BUDGET = (150, 3600.0)


@dataclass
class MutationReport:
    drill: str
    problems: list[str] = field(default_factory=list)
    singles: int = 0
    pairs: int = 0
    masked: list[str] = field(default_factory=list)  # pairs that behave like one of their members

    @property
    def ok(self) -> bool:
        return not self.problems


def _as_submission(run) -> tuple[dict, dict, dict]:
    outputs = {i: o for i, o in enumerate(run.outputs) if o is not None}
    errors = {i: e for i, e in enumerate(run.errors) if e is not None}
    contracts = {i: c for i, c in enumerate(run.contracts) if c}
    return outputs, errors, contracts


def _expected_ids(drill: Drill, combo: Combo) -> list[str]:
    """Contract mistakes are named by their contract check (first), the others by the search."""
    by_id = {m.id: m for m in drill.mistakes}
    contract = [f.mistake for f in combo if by_id[f.mistake].contract]
    numeric = [f.mistake for f in combo if not by_id[f.mistake].contract]
    order = [m.id for m in drill.mistakes]
    return sorted(contract, key=order.index) + sorted(numeric, key=order.index)


def _same_run(harness, a, b) -> bool:
    from quizdl.grading.diagnose import _same_case

    return all(
        _same_case(harness, i, a.outputs[i], a.errors[i], b.outputs[i], b.errors[i])
        and {c for c, _ in a.contracts[i]} == {c for c, _ in b.contracts[i]}
        for i in range(len(harness.cases))
    )


def check_drill(drill: Drill, cache_root: Path | None = None, pairs: bool = True) -> MutationReport:
    """Run the whole mutation test of one drill (its folder must already pass `check_folder`)."""
    from quizdl.grading.engine import evaluate
    from quizdl.grading.reference import (
        Cache,
        combo_outputs,
        inputs_for,
        load_harness,
        reference_outputs,
    )

    report = MutationReport(drill.id)
    harness = load_harness(drill)
    cache = Cache(drill, cache_root)
    import tempfile

    with tempfile.TemporaryDirectory(prefix="quizdl-check-") as scratch:
        inputs = inputs_for(harness, cache, Path(scratch))
        reference = reference_outputs(harness, cache, inputs)
        bad = [f"{c['name']}: {e}" for c, e in zip(harness.cases, reference.errors, strict=True) if e]
        if bad:
            report.problems.append("the reference fails on: " + "; ".join(bad[:3]))
            return report

        def grade(combo: Combo):
            run = combo_outputs(harness, cache, inputs, combo)
            outputs, errors, contracts = _as_submission(run)
            return run, evaluate(harness, cache, inputs, reference, outputs, errors,
                                 case_contracts=contracts, diagnose_budget=CHECK_BUDGET)

        _, result = grade(())
        if result.status != "pass":
            failed = [f"{g.name}: {g.message}" for g in result.groups if g.status != "pass"]
            report.problems.append("the reference does not pass its own harness: " + "; ".join(failed[:3]))
            return report

        forms = list(mutants.all_forms(drill))
        runs: dict[str, object] = {}
        for form in forms:
            run, result = grade((form,))
            runs[form.name] = run
            report.singles += 1
            want = _expected_ids(drill, (form,))
            if result.status == "pass":
                report.problems.append(f"mistake {form.name} passes every test: no case catches it")
            elif sorted(result.diagnosis_ids) != sorted(want):
                got = ", ".join(result.diagnosis_ids) or "nothing"
                report.problems.append(f"mistake {form.name} is diagnosed as {got}")
        primary = mutants.primary(tuple(forms))
        for i, a in enumerate(primary):
            for b in primary[i + 1:]:
                if _same_run(harness, runs[a.name], runs[b.name]):
                    report.problems.append(f"mistakes {a.mistake} and {b.mistake} behave identically on "
                                           "every case: make them one mistake with variants, or add a case "
                                           "that tells them apart")
        if pairs:
            _check_pairs(report, drill, harness, primary, runs, grade)
        _check_starter(report, drill, harness, cache, inputs, reference)
    return report


def _check_pairs(report: MutationReport, drill: Drill, harness, primary: list[Form], runs: dict, grade) -> None:
    for combo in mutants.compatible_pairs(primary):
        run, result = grade(combo)
        report.pairs += 1
        name = mutants.combo_name(combo)
        if result.status == "pass":
            report.problems.append(f"mistakes {name} together pass every test")
            continue
        want = _expected_ids(drill, combo)
        if sorted(result.diagnosis_ids) == sorted(want):
            continue
        masked = [f for f in combo if _same_run(harness, run, runs[f.name])]
        if masked and sorted(result.diagnosis_ids) == sorted(_expected_ids(drill, (masked[0],))):
            report.masked.append(name)  # one mistake hides the other: naming the visible one is right
            continue
        got = ", ".join(result.diagnosis_ids) or "nothing"
        report.problems.append(f"mistakes {name} together are diagnosed as {got}")


def _check_starter(report: MutationReport, drill: Drill, harness, cache, inputs, reference) -> None:
    from quizdl.grading.engine import evaluate
    from quizdl.grading.reference import _exec_module, _module_name, _run_impl

    if not drill.starter_path.is_file():
        return
    try:
        module = _exec_module(_module_name(drill, "starter"), drill.starter_path.read_text(encoding="utf-8"),
                              drill.starter_path)
    except Exception as exc:
        report.problems.append(f"the starter does not import: {type(exc).__name__}: {exc}")
        return
    done = _run_impl(harness, module, inputs, None, list(range(len(harness.cases))))
    errors = {i: e for i, (_, e, _) in done.items() if e is not None}
    outputs = {i: o for i, (o, e, _) in done.items() if o is not None}
    result = evaluate(harness, cache, inputs, reference, outputs, errors, diagnose_budget=CHECK_BUDGET)
    if result.status == "pass" or result.diagnoses or result.partial:
        report.problems.append("the unmodified starter must fail with no diagnosis")
    elif any("NotImplementedError" not in (e or "") for e in errors.values()) or len(errors) < len(harness.cases):
        report.problems.append("the unmodified starter must raise NotImplementedError on every case")


def check_drill_folder(folder: str, cache_root: str | None = None, pairs: bool = True) -> MutationReport:
    """`check_drill` for a drill folder given by path (a picklable entry point for worker
    processes: the test suite runs drills' mutation tests side by side)."""
    import os

    from quizdl.drills import load_folder

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    drill, problems = load_folder(Path(folder))
    if drill is None:
        return MutationReport(Path(folder).name, problems)
    try:
        import torch

        torch.set_num_threads(1)
    except ImportError:
        pass
    return check_drill(drill, Path(cache_root) if cache_root else None, pairs)
