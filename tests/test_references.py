"""Every drill whose harness names the framework's own implementation (`builtin()`, e.g.
torch.nn.BatchNorm1d behind `BatchNorm1d`) is checked against it: the reference and the built-in
run through the same harness on every case, in float64, and agree to 1e-12 (relative to the
value's size where it exceeds 1). One general check instead of one hand-written test per drill;
drills without a PyTorch counterpart have their own tests with hand-computed values
(tests/test_refs_*.py)."""

from __future__ import annotations

import numpy as np
import pytest

from quizdl import paths
from quizdl.drills import load_drills

DRILLS = load_drills([(paths.builtin_dir("drills"), True)], strict=False)


def _with_builtin() -> list[str]:
    from quizdl.grading.reference import load_harness

    return sorted(d.id for d in DRILLS.values()
                  if load_harness(d).builtin is not None and not load_harness(d).property_graded)


@pytest.mark.parametrize("drill_id", _with_builtin())
def test_reference_equals_the_framework_in_float64(drill_id, tmp_path):
    from quizdl.grading.reference import (
        Cache,
        _run_impl,
        inputs_for,
        load_harness,
        load_impl,
    )

    drill = DRILLS[drill_id]
    harness = load_harness(drill)
    inputs = inputs_for(harness, Cache(drill, tmp_path), tmp_path)
    cases = list(range(len(harness.cases)))
    ours = _run_impl(harness, load_impl(drill), inputs, "float64", cases)
    theirs = _run_impl(harness, harness.builtin(), inputs, "float64", cases)
    worst = 0.0
    for i in cases:
        (a, a_err, _), (b, b_err, _) = ours[i], theirs[i]
        assert a_err is None and b_err is None, (harness.cases[i]["name"], a_err, b_err)
        assert set(a) == set(b)
        for name in a:
            x, y = np.asarray(a[name], dtype=np.float64), np.asarray(b[name], dtype=np.float64)
            assert x.shape == y.shape, (harness.cases[i]["name"], name)
            both = np.isfinite(x) & np.isfinite(y)
            assert np.array_equal(np.isfinite(x), np.isfinite(y)), (harness.cases[i]["name"], name)
            err = np.abs(x - y)[both] / np.maximum(1.0, np.abs(y)[both]) if both.any() else np.zeros(1)
            worst = max(worst, float(err.max()))
            assert err.max() <= 1e-12, f"{harness.cases[i]['name']}: {name} differs by {err.max():.3g}"
    print(f"{drill_id}: largest difference {worst:.2g}")
