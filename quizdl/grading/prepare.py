"""Compute what a drill's grades and diagnoses need before the first grade asks for it.

A failing grade names its mistakes by comparing the submission with every known mistake's
outputs; the first time, those have to be computed (for a torch drill that means importing torch
in the grader, about 2 s). `quizdl drill ID` therefore starts `python -m quizdl.grading.prepare ID`
in the background, at low priority and detached, while the user reads the task and writes code:
reference outputs (float64 and float32), the framework built-in's float32 run, every single
mistake form and then every pair of composable mistakes land in the cache. Whatever it has not finished, a grade computes itself, so it is
only ever a head start. `QUIZDL_NO_PREPARE=1` switches it off (the test suite sets it).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys


def start_in_background(drill_id: str) -> None:
    """Start the warm-up for one drill; never fails, never waits."""
    if os.environ.get("QUIZDL_NO_PREPARE"):
        return
    with contextlib.suppress(OSError):
        subprocess.Popen(
            [sys.executable, "-m", "quizdl.grading.prepare", drill_id],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True,
        )


def prepare(drill_id: str) -> None:
    """Fill the cache for `drill_id` (reference runs and every single known mistake)."""
    import tempfile
    from pathlib import Path

    from quizdl.drills import get_drill
    from quizdl.grading import mutants
    from quizdl.grading.reference import (
        Cache,
        builtin32_outputs,
        combo_outputs,
        inputs_for,
        load_harness,
        reference32_outputs,
        reference_outputs,
    )

    drill = get_drill(drill_id)
    harness = load_harness(drill)
    cache = Cache(drill)
    with tempfile.TemporaryDirectory(prefix="quizdl-prepare-") as scratch:
        inputs = inputs_for(harness, cache, Path(scratch))
        reference_outputs(harness, cache, inputs)
        reference32_outputs(harness, cache, inputs)
        with contextlib.suppress(Exception):
            builtin32_outputs(harness, cache, inputs)
        numeric = [f for f in mutants.all_forms(drill) if f.contract is None]
        for form in numeric:
            combo_outputs(harness, cache, inputs, (form,))
        for pair in mutants.compatible_pairs(mutants.primary(tuple(numeric))):  # then every pair
            combo_outputs(harness, cache, inputs, pair)


if __name__ == "__main__":
    with contextlib.suppress(OSError):
        os.nice(10)
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    try:
        prepare(sys.argv[1])
    except Exception:  # a head start only: the grade computes whatever is missing
        sys.exit(1)
