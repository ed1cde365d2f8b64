"""The numpy drills of the `modern` deck (issue #16): their references against independent
computations. sinusoidal-pe: a direct loop over the paper's formula. (More drills below.)"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

DRILLS = Path(__file__).resolve().parents[1] / "drills"


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_modern_{drill_id.replace('-', '_')}",
                                                  DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(got, want, tol=1e-12):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    ok = np.isnan(want) | (np.abs(got - want) <= tol * (1 + np.abs(want)))
    assert ok.all(), float(np.nanmax(np.abs(got - want)))


# ------------------------------------------------------------------ sinusoidal-pe

def _pe_loop(length, d_model, base):
    """Vaswani et al. 2017, 3.5, one element at a time; odd d_model: the table of d_model + 1
    without its last column (the drill's stated convention)."""
    d = d_model + d_model % 2
    out = np.zeros((length, d_model))
    for pos in range(length):
        for i in range(d // 2):
            angle = pos / base ** (2 * i / d)
            out[pos, 2 * i] = math.sin(angle)
            if 2 * i + 1 < d_model:
                out[pos, 2 * i + 1] = math.cos(angle)
    return out


@pytest.mark.parametrize("length,d_model,base", [(16, 8, 10000.0), (50, 32, 10000.0), (7, 7, 10000.0),
                                                 (6, 1, 10000.0), (3, 2, 10000.0), (1, 8, 10000.0),
                                                 (300, 16, 10000.0), (30, 12, 2000.0), (20, 9, 10.0),
                                                 (64, 16, 500000.0), (0, 4, 10000.0)])
def test_sinusoidal_pe_equals_formula(length, d_model, base):
    ref = _reference("sinusoidal-pe")
    got = ref.sinusoidal_positions(length, d_model, base=base)
    assert got.dtype == np.float64 and got.shape == (length, d_model)
    _close(got, _pe_loop(length, d_model, base))


def test_sinusoidal_pe_known_values():
    ref = _reference("sinusoidal-pe")
    pe = ref.sinusoidal_positions(4, 4)
    assert np.array_equal(pe[0], [0.0, 1.0, 0.0, 1.0])  # position 0: sin 0, cos 0
    _close(pe[1], [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)])  # 10000^(2/4) = 100
    odd = ref.sinusoidal_positions(3, 3)
    _close(odd, ref.sinusoidal_positions(3, 4)[:, :3])
