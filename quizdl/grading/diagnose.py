"""Name the mistake: run the drill's known-mistake variants (trusted, in this process) on the same
inputs and find one whose behaviour the failing submission reproduces."""

from __future__ import annotations

from quizdl.grading.compare import outputs_match
from quizdl.grading.reference import Cache, Harness, ImplRun, Inputs, mistake_outputs
from quizdl.grading.result import Diagnosis


def failing_checks(harness: Harness, inputs: Inputs, outputs: list[dict | None]) -> list[frozenset[str]] | None:
    """Per case, the set of failing check-ids ('check-id: text' -> 'check-id') of a property drill."""
    pattern = []
    for case, case_inputs, outs in zip(harness.cases, inputs.per_case, outputs, strict=True):
        if outs is None:
            return None
        try:
            messages = harness.check(case, case_inputs, outs)
        except Exception:
            return None
        pattern.append(frozenset(m.split(":", 1)[0].strip() for m in messages))
    return pattern


def diagnose(
    harness: Harness,
    cache: Cache,
    inputs: Inputs,
    submission: list[dict | None],
    expected_names: list[list[str]],
) -> Diagnosis | None:
    """The first known mistake (drill.yaml order) matching the submission on every case.

    `submission` holds the submission's outputs per case (None where the case errored);
    `expected_names` the reference's output names per case, the only outputs compared.
    """
    if any(outs is None for outs in submission):
        return None
    trimmed = [{k: outs[k] for k in names if k in outs} for outs, names in zip(submission, expected_names, strict=True)]
    sub_pattern = failing_checks(harness, inputs, trimmed) if harness.property_graded else None
    for mistake in harness.drill.mistakes:
        try:
            run: ImplRun = mistake_outputs(harness, cache, inputs, mistake.id)
        except Exception:  # a broken mistake file is the drill's problem, not the user's
            continue
        if any(outs is None for outs in run.outputs):
            continue
        if harness.property_graded:
            pattern = failing_checks(harness, inputs, run.outputs)
            matched = pattern is not None and pattern == sub_pattern and any(pattern)
        else:
            matched = all(
                outputs_match(
                    {k: mine[k] for k in names if k in mine},
                    theirs,
                    lambda name, dtype=case["dtype"]: harness.tolerance(name, dtype),
                )
                for mine, theirs, names, case in zip(run.outputs, trimmed, expected_names, harness.cases, strict=True)
            )
        if matched:
            return Diagnosis(mistake.id, dict(mistake.explanation), mistake.card)
    return None
