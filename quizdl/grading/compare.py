"""Numeric comparison of one case's outputs with numpy (not torch.testing: its first call costs 0.7 s).

A value passes when |got - expected| <= atol + rtol * |expected|; non-finite expected values must
be matched exactly (NaN by NaN, inf by the same inf). The worst offender is reported with its index.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Tolerance = Callable[[str], tuple[float, float]]  # output name -> (rtol, atol)


@dataclass
class CaseCheck:
    ok: bool
    message: str = ""
    output: str | None = None
    max_abs: float | None = None
    max_rel: float | None = None
    where: str | None = None
    expected: str | None = None
    got: str | None = None


def _fmt(value: float) -> str:
    return f"{value:.6g}"


def _index(flat_index: int, shape: tuple[int, ...]) -> str:
    if not shape:
        return ""
    idx = np.unravel_index(flat_index, shape)
    return "[" + ", ".join(str(int(i)) for i in idx) + "]"


def _excerpt(array: np.ndarray, flat_index: int) -> str:
    flat = array.reshape(-1)
    if array.ndim == 0:
        return _fmt(float(flat[0]))
    lo = max(0, flat_index - 1)
    values = ", ".join(_fmt(float(v)) for v in flat[lo : lo + 3])
    more = "…" if lo + 3 < flat.size else ""
    less = "…" if lo > 0 else ""
    return f"[{less}{values}{more}]"


def structure_problem(expected: dict, got: dict | None) -> str | None:
    """Missing outputs, wrong shapes or non-numeric dtypes: why `got` cannot be compared at all."""
    if got is None:
        return "no outputs"
    for name, exp in expected.items():
        if name not in got:
            return f"missing output {name!r}"
        value = got[name]
        if value.dtype.kind not in "biuf":
            return f"output {name!r} has dtype {value.dtype}, not a real number type"
        if value.shape != exp.shape:
            return f"output {name!r} has shape {tuple(value.shape)}, expected {tuple(exp.shape)}"
    return None


def compare_case(expected: dict, got: dict | None, tolerance: Tolerance) -> CaseCheck:
    """Check every expected output of one case; report the worst violation."""
    with np.errstate(all="ignore"):  # inf relative errors next to zeros are fine, not warnings
        return _compare_case(expected, got, tolerance)


def _compare_case(expected: dict, got: dict | None, tolerance: Tolerance) -> CaseCheck:
    problem = structure_problem(expected, got)
    if problem:
        return CaseCheck(False, problem)
    worst: CaseCheck | None = None
    worst_excess = -np.inf
    max_abs_all = 0.0
    max_rel_all = 0.0
    for name, exp in expected.items():
        g = np.asarray(got[name], dtype=np.float64)
        e = np.asarray(exp, dtype=np.float64)
        rtol, atol = tolerance(name)
        finite_e = np.isfinite(e)
        bad_nonfinite = (~np.isfinite(g) & finite_e) | (~finite_e & ~((g == e) | (np.isnan(g) & np.isnan(e))))
        if bad_nonfinite.any():
            i = int(np.flatnonzero(bad_nonfinite)[0])
            kind = "NaN" if np.isnan(g.reshape(-1)[i]) else _fmt(float(g.reshape(-1)[i]))
            at = f" at {_index(i, e.shape)}" if e.ndim else ""
            return CaseCheck(
                False, f"output {name!r} is {kind}{at} (expected {_fmt(float(e.reshape(-1)[i]))})",
                output=name, where=_index(i, e.shape), expected=_excerpt(e, i), got=_excerpt(g, i),
            )
        if e.size == 0:
            continue
        diff = np.where(finite_e, np.abs(g - e), 0.0)
        rel = np.divide(diff, np.abs(e), out=np.where(diff > 0, np.inf, 0.0), where=np.abs(e) > 0)
        excess = diff - (atol + rtol * np.abs(e))
        i = int(np.argmax(excess))
        max_abs_all = max(max_abs_all, float(diff.max()))
        # For the summary of a passing case: relative error only where it means something, i.e.
        # where the relative tolerance dominates (a 1e-30 probability that came out as 0 in
        # float32 is "rel 1" but well within the absolute tolerance).
        significant = (diff > 0) & (rtol * np.abs(e) >= atol)
        max_rel_all = max(max_rel_all, float(np.where(significant, rel, 0.0).max()))
        if excess.reshape(-1)[i] > worst_excess:
            worst_excess = float(excess.reshape(-1)[i])
            worst = CaseCheck(
                ok=worst_excess <= 0,
                output=name,
                max_abs=float(diff.reshape(-1)[i]),
                max_rel=float(rel.reshape(-1)[i]),
                where=_index(i, e.shape),
                expected=_excerpt(e, i),
                got=_excerpt(g, i),
            )
    if worst is None:
        return CaseCheck(True, max_abs=0.0, max_rel=0.0)
    if worst.ok:
        worst.max_abs, worst.max_rel = max_abs_all, max_rel_all
        return worst
    worst.message = (
        f"{worst.output}{worst.where}: expected {worst.expected}, got {worst.got} "
        f"(abs err {worst.max_abs:.3g}, rel err {worst.max_rel:.3g})"
    )
    return worst


def outputs_match(a: dict, b: dict | None, tolerance: Tolerance) -> bool:
    """Whether two implementations agree (diagnosis): same outputs, shapes, NaN where NaN."""
    if b is None or set(a) != set(b):
        return False
    for name, x in a.items():
        y = b[name]
        if np.shape(x) != np.shape(y):
            return False
        rtol, atol = tolerance(name)
        x64 = np.asarray(x, dtype=np.float64)
        y64 = np.asarray(y, dtype=np.float64)
        # Both directions of the tolerance: neither implementation is the reference here.
        with np.errstate(all="ignore"):
            close = np.allclose(x64, y64, rtol=rtol, atol=atol, equal_nan=True)
        if not close:
            return False
    return True
