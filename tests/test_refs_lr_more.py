"""The learning-rate drills' references against PyTorch's schedulers, in float64.

lr-lambda (LambdaLR, MultiplicativeLR), lr-cosine (CosineAnnealingLR's closed form and chainable
form, CosineAnnealingWarmRestarts with fractional epochs) and lr-plateau (ReduceLROnPlateau over
long metric series) are driven side by side with the torch scheduler on a dummy optimizer and
must agree to 1e-12. lr-noam and lr-warmup have no PyTorch class of the same name: their tests
check hand-computed values (and, for the warm-up, LambdaLR with the same schedule as a factor).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
from torch.optim import lr_scheduler  # noqa: E402

DRILLS = Path(__file__).resolve().parents[1] / "drills"
TOL = 1e-12


def _reference(drill_id: str):
    path = DRILLS / drill_id / "reference.py"
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _optimizer(lr: float):
    param = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    return torch.optim.SGD([param], lr=lr)


def _lr(opt) -> float:
    return float(opt.param_groups[0]["lr"])


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= TOL * max(1.0, abs(b))


def _stepped(opt, scheduler, n: int) -> list[float]:
    """The lr before any step, then after each of n scheduler.step() calls."""
    out = [_lr(opt)]
    for _ in range(n):
        opt.step()
        scheduler.step()
        out.append(_lr(opt))
    return out


# ---------------------------------------------------------------- lr-lambda

LAMBDA_FNS = {
    "exponential": lambda e: 0.9 ** e,
    "staircase": lambda e: 0.5 ** (e // 7),
    "warm-up": lambda e: min(1.0, (e + 1) / 6),
    "polynomial": lambda e: (1 - e / 50) ** 2,
    "sine": lambda e: 1.0 + 0.3 * math.sin(e),
    "constant": lambda e: 0.95,
    "every 10": lambda e: 0.5 if e % 10 == 0 else 1.0,
    "ratio": lambda e: (e + 1) / (e + 2),
    "growing": lambda e: 1.01 + 0.001 * e,
    "int staircase": lambda e: e // 30 + 1,
}


@pytest.mark.parametrize("name", sorted(LAMBDA_FNS))
@pytest.mark.parametrize("lr0", [0.1, 3e-4, 2.5])
def test_lambda_lr_equals_torch(name, lr0):
    ref = _reference("lr-lambda")
    fn = LAMBDA_FNS[name]
    opt = _optimizer(lr0)
    torch_lrs = _stepped(opt, lr_scheduler.LambdaLR(opt, fn), 120)
    ours = [ref.lambda_lr(e, lr0, fn) for e in range(121)]
    assert max(abs(a - b) for a, b in zip(ours, torch_lrs, strict=True)) <= TOL * lr0


@pytest.mark.parametrize("name", sorted(LAMBDA_FNS))
@pytest.mark.parametrize("lr0", [0.1, 3e-4, 2.5])
def test_multiplicative_lr_equals_torch(name, lr0):
    ref = _reference("lr-lambda")
    fn = LAMBDA_FNS[name]
    opt = _optimizer(lr0)
    torch_lrs = _stepped(opt, lr_scheduler.MultiplicativeLR(opt, fn), 120)
    ours = [ref.multiplicative_lr(e, lr0, fn) for e in range(121)]
    for e, (a, b) in enumerate(zip(ours, torch_lrs, strict=True)):
        assert abs(a - b) <= TOL * max(abs(b), 1e-300), (e, a, b)


def test_multiplicative_lr_never_calls_fn_at_zero():
    """MultiplicativeLR's first step() moves the epoch to 1 and applies fn(1): fn(0) is unused."""
    ref = _reference("lr-lambda")
    calls = []

    def fn(e):
        calls.append(e)
        return 1.0 - 0.2 / e  # ZeroDivisionError at 0

    opt = _optimizer(0.1)
    torch_lrs = _stepped(opt, lr_scheduler.MultiplicativeLR(opt, fn), 30)
    assert 0 not in calls
    calls.clear()
    ours = [ref.multiplicative_lr(e, 0.1, fn) for e in range(31)]
    assert 0 not in calls
    assert all(_close(a, b) for a, b in zip(ours, torch_lrs, strict=True))
    assert ours[0] == 0.1
