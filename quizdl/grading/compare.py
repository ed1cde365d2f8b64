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


Axes = Callable[[str], "list[str] | None"]  # output name -> axis names, or None


def _fmt(value: float, digits: int = 6) -> str:
    return f"{value:.{digits}g}"


def digits_to_differ(a: float, b: float) -> int:
    """Significant digits needed for `a` and `b` to print differently (6 at least, 17 at most)."""
    for digits in range(6, 18):
        if _fmt(a, digits) != _fmt(b, digits):
            return digits
    return 17


def _index(flat_index: int, shape: tuple[int, ...], axes: list[str] | None = None) -> str:
    """'[2, 3]', or with axis names '[after step 3, feature 3]' (a 'step' axis counts from 1:
    index 0 holds the state after the first step)."""
    if not shape:
        return ""
    idx = [int(i) for i in np.unravel_index(flat_index, shape)]
    if axes and len(axes) == len(idx):
        parts = [f"after step {i + 1}" if axis == "step" else f"{axis} {i}" for axis, i in zip(axes, idx, strict=True)]
        text = "[" + ", ".join(parts) + "]"
    else:
        text = "[" + ", ".join(str(i) for i in idx) + "]"
    return text


def _excerpt(array: np.ndarray, flat_index: int, digits: int = 6) -> str:
    flat = array.reshape(-1)
    if array.ndim == 0:
        return _fmt(float(flat[0]), digits)
    lo = max(0, flat_index - 1)
    values = ", ".join(_fmt(float(v), digits) for v in flat[lo : lo + 3])
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


def compare_case(expected: dict, got: dict | None, tolerance: Tolerance, axes: Axes | None = None) -> CaseCheck:
    """Check every expected output of one case, in the harness's order (forward outputs come
    before gradients); report the first output that fails, at its worst element."""
    with np.errstate(all="ignore"):  # inf relative errors next to zeros are fine, not warnings
        return _compare_case(expected, got, tolerance, axes or (lambda name: None))


def _compare_case(expected: dict, got: dict | None, tolerance: Tolerance, axes: Axes) -> CaseCheck:
    problem = structure_problem(expected, got)
    if problem:
        return CaseCheck(False, problem)
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
            where = _index(i, e.shape, axes(name))
            at = f" at {where}" if e.ndim else ""
            return CaseCheck(
                False, f"output {name!r} is {kind}{at} (expected {_fmt(float(e.reshape(-1)[i]))})",
                output=name, where=where, expected=_excerpt(e, i), got=_excerpt(g, i),
            )
        if e.size == 0:
            continue
        diff = np.where(finite_e, np.abs(g - e), 0.0)
        rel = np.divide(diff, np.abs(e), out=np.where(diff > 0, np.inf, 0.0), where=np.abs(e) > 0)
        excess = diff - (atol + rtol * np.abs(e))
        i = int(np.argmax(excess))
        if excess.reshape(-1)[i] > 0:  # the first failing output speaks, at its worst element
            ev, gv = float(e.reshape(-1)[i]), float(g.reshape(-1)[i])
            digits = digits_to_differ(ev, gv)
            check = CaseCheck(
                ok=False, output=name, max_abs=float(diff.reshape(-1)[i]),
                max_rel=float(rel.reshape(-1)[i]), where=_index(i, e.shape, axes(name)),
                expected=_excerpt(e, i, digits), got=_excerpt(g, i, digits),
            )
            check.message = (
                f"{check.output}{check.where}: expected {check.expected}, got {check.got} "
                f"(abs err {check.max_abs:.3g}, rel err {check.max_rel:.3g})"
            )
            return check
        max_abs_all = max(max_abs_all, float(diff.max()))
        # For the summary of a passing case: relative error only where it means something, i.e.
        # where the relative tolerance dominates (a 1e-30 probability that came out as 0 in
        # float32 is "rel 1" but well within the absolute tolerance).
        significant = (diff > 0) & (rtol * np.abs(e) >= atol)
        max_rel_all = max(max_rel_all, float(np.where(significant, rel, 0.0).max()))
    return CaseCheck(True, max_abs=max_abs_all, max_rel=max_rel_all)


def max_abs_error(a: dict, b: dict) -> dict[str, float]:
    """Per output, the largest |a - b| over the elements where both are finite."""
    out = {}
    with np.errstate(all="ignore"):
        for name, x in a.items():
            y = b.get(name)
            if y is None or np.shape(x) != np.shape(y):
                continue
            x64, y64 = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
            both = np.isfinite(x64) & np.isfinite(y64)
            out[name] = float(np.abs(x64 - y64)[both].max()) if both.any() else 0.0
    return out


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
        # (np.allclose does the same with more checks; this runs hundreds of times a diagnosis.)
        with np.errstate(all="ignore"):
            close = np.abs(x64 - y64) <= atol + rtol * np.maximum(np.abs(x64), np.abs(y64))
            finite = np.isfinite(x64) & np.isfinite(y64)
            if not (close & finite).all():
                same = (x64 == y64) | (np.isnan(x64) & np.isnan(y64))  # inf == inf, NaN == NaN
                if not np.where(finite, close, same).all():
                    return False
    return True
