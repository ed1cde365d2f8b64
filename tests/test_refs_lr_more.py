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
import re
import warnings
from pathlib import Path

import numpy as np
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


# ---------------------------------------------------------------- lr-cosine

COSINE_SETTINGS = [(0.1, 10, 0.0), (0.05, 37, 1e-3), (3e-4, 100, 1e-5), (1.0, 1, 0.0), (0.2, 12, 0.02)]
EPOCH_DEPRECATION = "The epoch parameter in `scheduler.step()`"


@pytest.mark.parametrize(("lr_max", "T_max", "lr_min"), COSINE_SETTINGS)
def test_cosine_annealing_equals_torch_closed_form(lr_max, T_max, lr_min):
    """step(epoch) is deprecated in torch 2.13 (a UserWarning) but still takes the closed form,
    also for fractional epochs and past T_max (no clamping: the cosine climbs back up)."""
    ref = _reference("lr-cosine")
    opt = _optimizer(lr_max)
    sched = lr_scheduler.CosineAnnealingLR(opt, T_max=T_max, eta_min=lr_min)
    opt.step()
    grid = [k / 4 for k in range(4 * 3 * T_max + 1)]
    for t in grid:
        with pytest.warns(UserWarning, match=re.escape(EPOCH_DEPRECATION)):
            sched.step(t)
        assert _close(ref.cosine_annealing(t, lr_max, T_max, lr_min), _lr(opt)), t


@pytest.mark.parametrize(("lr_max", "T_max", "lr_min"), COSINE_SETTINGS)
def test_cosine_annealing_equals_torch_chainable_form(lr_max, T_max, lr_min):
    """The recursive form torch uses with plain step() agrees with the closed form to 1e-12 over
    three half periods (it special-cases the step after each minimum)."""
    ref = _reference("lr-cosine")
    opt = _optimizer(lr_max)
    torch_lrs = _stepped(opt, lr_scheduler.CosineAnnealingLR(opt, T_max=T_max, eta_min=lr_min), 3 * T_max)
    for t, lr in enumerate(torch_lrs):
        assert abs(ref.cosine_annealing(t, lr_max, T_max, lr_min) - lr) <= TOL * lr_max, t


def _torch_cycle_index(t: float, T_0: int, T_mult: int) -> int:
    """The cycle index torch's step(epoch) computes: int(log(t/T_0*(T_mult-1) + 1, T_mult))."""
    return int(math.log(t / T_0 * (T_mult - 1) + 1, T_mult))


def _exact_cycle_index(t: float, T_0: int, T_mult: int) -> int:
    n, start, period = 0, 0, T_0
    while t >= start + period:
        n, start, period = n + 1, start + period, period * T_mult
    return n


WARM_SETTINGS = [(0.1, 10, 1, 0.0), (0.05, 7, 1, 5e-3), (0.1, 10, 2, 0.0), (0.3, 5, 2, 0.01),
                 (1.0, 1, 3, 0.1), (0.1, 2, 3, 0.0), (0.02, 3, 4, 1e-3)]


@pytest.mark.parametrize(("lr_max", "T_0", "T_mult", "lr_min"), WARM_SETTINGS)
def test_cosine_warm_restarts_equals_torch_fractional_epochs(lr_max, T_0, T_mult, lr_min):
    """CosineAnnealingWarmRestarts overrides step(): step(epoch) is its documented way to pass
    fractional epochs and, unlike the other schedulers, emits no deprecation warning in 2.13."""
    ref = _reference("lr-cosine")
    opt = _optimizer(lr_max)
    sched = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=T_0, T_mult=T_mult, eta_min=lr_min)
    opt.step()
    horizon = T_0 * (1 + T_mult + T_mult**2 + T_mult**3) + 3
    grid = [k / 8 for k in range(8 * horizon + 1)] + [k / 3 for k in range(3 * horizon + 1)]
    restarts = [T_0 * (T_mult**n - 1) // (T_mult - 1) if T_mult > 1 else T_0 * n for n in range(1, 5)]
    grid += [r + d for r in restarts for d in (-1e-9, 0.0, 1e-9)]
    compared = 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the test
        for t in grid:
            sched.step(t)
            if T_mult > 1 and t >= T_0 and _torch_cycle_index(t, T_0, T_mult) != _exact_cycle_index(t, T_0, T_mult):
                continue  # torch's float log misses the cycle (see the test below)
            assert _close(ref.cosine_warm_restarts(t, lr_max, T_0, T_mult, lr_min), _lr(opt)), t
            compared += 1
    assert compared == len(grid)  # no misses on these grids


def test_torch_warm_restarts_float_log_misses_some_restarts():
    """torch finds the cycle of step(epoch) with int(math.log(...)), which rounds 4.999... down at
    some exact restarts with T_mult = 3 (epoch 121 with T_0 = 1: the 5th restart): torch then
    returns eta_min, the end of the previous cycle, where the exact schedule restarts at lr_max.
    The reference finds the cycle with exact arithmetic; the chainable step() agrees with it."""
    ref = _reference("lr-cosine")
    assert _torch_cycle_index(121, 1, 3) == 4 and _exact_cycle_index(121, 1, 3) == 5
    opt = _optimizer(1.0)
    sched = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=3, eta_min=0.1)
    sched.step(121)
    assert _close(_lr(opt), 0.1)
    assert ref.cosine_warm_restarts(121, 1.0, 1, 3, 0.1) == 1.0
    opt = _optimizer(1.0)
    chained = _stepped(opt, lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=1, T_mult=3, eta_min=0.1), 125)
    assert _close(chained[121], 1.0)


@pytest.mark.parametrize(("lr_max", "T_0", "T_mult", "lr_min"), WARM_SETTINGS)
def test_cosine_warm_restarts_equals_torch_chainable_steps(lr_max, T_0, T_mult, lr_min):
    ref = _reference("lr-cosine")
    opt = _optimizer(lr_max)
    n = min(400, T_0 * (1 + T_mult + T_mult**2 + T_mult**3) + 5)
    sched = lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0=T_0, T_mult=T_mult, eta_min=lr_min)
    for t, lr in enumerate(_stepped(opt, sched, n)):
        assert _close(ref.cosine_warm_restarts(t, lr_max, T_0, T_mult, lr_min), lr), t


def test_cosine_hand_values():
    ref = _reference("lr-cosine")
    assert abs(ref.cosine_annealing(25, 0.1, 100) - 0.0853553390593) < 1e-12
    assert ref.cosine_annealing(100, 0.1, 100) == 0.0
    assert abs(ref.cosine_annealing(200, 0.1, 100) - 0.1) < 1e-15
    assert [ref.cosine_warm_restarts(t, 0.1, 10, 2) for t in (10, 30, 70)] == [0.1, 0.1, 0.1]
    assert abs(ref.cosine_warm_restarts(20, 0.1, 10, 2) - 0.05) < 1e-15


# ---------------------------------------------------------------- lr-noam (no torch class: hand values)


def test_noam_hand_values():
    ref = _reference("lr-noam")
    peak = 1 / math.sqrt(512 * 4000)  # 6.9877e-4, at step = warmup_steps
    assert abs(ref.noam(4000, 512, 4000) - peak) <= 1e-15
    assert abs(ref.noam(4000, 512, 4000) - 6.987712429686844e-4) <= 1e-15
    assert abs(ref.noam(16000, 512, 4000) - peak / 2) <= 1e-15  # 1/sqrt(step) after the peak
    assert abs(ref.noam(1, 512, 4000) - 512**-0.5 * 4000**-1.5) <= 1e-20
    assert abs(ref.noam(2000, 512, 4000) - peak / 2) <= 1e-15  # linear before the peak
    assert ref.noam(0, 512, 4000) == 0.0
    assert abs(ref.noam(100, 64, 10, factor=2.0) - 2 * 64**-0.5 * 100**-0.5) <= 1e-15
    assert abs(ref.noam(5, 32, 1) - 32**-0.5 / math.sqrt(5)) <= 1e-15  # warmup 1: decay from step 1


def _annotated_transformer_rate(step, model_size, factor, warmup):
    """rate() from the Annotated Transformer (2022 edition), used with LambdaLR and lr=1."""
    if step == 0:
        step = 1
    return factor * (model_size ** (-0.5) * min(step ** (-0.5), step * warmup ** (-1.5)))


def test_noam_equals_annotated_transformer_except_step_0():
    """Through LambdaLR (base lr 1.0) the Annotated Transformer's rate() is the same schedule for
    every step >= 1; at step 0 it clamps to step 1 where the contract says 0.0."""
    ref = _reference("lr-noam")
    for d_model, warmup, factor in [(512, 4000, 1.0), (256, 25, 2.0), (64, 1, 0.5)]:
        opt = _optimizer(1.0)
        fn = lambda s, d=d_model, w=warmup, f=factor: _annotated_transformer_rate(s, d, f, w)  # noqa: E731
        torch_lrs = _stepped(opt, lr_scheduler.LambdaLR(opt, fn), 3 * warmup + 50)
        assert torch_lrs[0] == torch_lrs[1] > 0
        assert ref.noam(0, d_model, warmup, factor) == 0.0
        for step, lr in enumerate(torch_lrs[1:], start=1):
            assert abs(ref.noam(step, d_model, warmup, factor) - lr) <= TOL * lr, step


# ---------------------------------------------------------------- lr-plateau


def _metric_series(rng, n: int, kind: str):
    t = np.arange(n)
    if kind == "noisy loss":
        return 2.0 * np.exp(-t / rng.uniform(20, 80)) + 0.2 + rng.normal(0, rng.choice([1e-4, 1e-2, 5e-2]), n)
    if kind == "plateaus":
        steps = np.repeat(rng.uniform(0.5, 0.95, n // 10 + 1).cumprod(), 10)[:n]
        return steps * (1 + rng.choice([0.0, 1e-6, 1e-3]) * rng.random(n))
    if kind == "creep":
        return 1.0 - np.cumsum(rng.choice([1e-7, 5e-5, 2e-4, 1e-3], n))
    if kind == "accuracy":
        return 0.95 - 0.7 * np.exp(-t / rng.uniform(10, 60)) + rng.normal(0, 0.005, n)
    if kind == "log-likelihood":
        return -0.8 - 2.0 * np.exp(-t / rng.uniform(10, 60)) + rng.normal(0, 0.01, n)
    if kind == "flat":
        return np.full(n, rng.uniform(-2, 2))
    if kind == "nan":
        x = 1.0 / (1 + t) + rng.normal(0, 1e-3, n)
        x[rng.choice(n, 8, replace=False)] = np.nan
        return x
    raise AssertionError(kind)


def _plateau_settings(seed: int):
    rng = np.random.default_rng(seed)
    kind = ["noisy loss", "plateaus", "creep", "accuracy", "log-likelihood", "flat", "nan"][seed % 7]
    mode = "max" if kind in ("accuracy", "log-likelihood") or (kind == "flat" and seed % 2) else "min"
    params = {
        "mode": mode,
        "factor": float(rng.choice([0.1, 0.5, 0.3, 0.9])),
        "patience": int(rng.integers(0, 8)),
        "threshold": float(rng.choice([0.0, 1e-4, 1e-3, 1e-2, 5e-5])),
        "threshold_mode": str(rng.choice(["rel", "abs"])),
        "cooldown": int(rng.choice([0, 0, 1, 3, 6])),
        "min_lr": float(rng.choice([0.0, 1e-4, 1e-3])),
        "eps": float(rng.choice([1e-8, 1e-8, 1e-4, 0.0])),
    }
    lr = float(rng.choice([0.1, 1.0, 3e-4, 1e-6]))
    return lr, params, _metric_series(rng, 300, kind)


@pytest.mark.parametrize("seed", range(42))
def test_reduce_lr_on_plateau_equals_torch(seed):
    ref = _reference("lr-plateau")
    lr, params, metrics = _plateau_settings(seed)
    opt = _optimizer(lr)
    theirs = lr_scheduler.ReduceLROnPlateau(opt, **params)
    ours = ref.ReduceLROnPlateau(lr, **params)
    for i, m in enumerate(metrics.tolist()):
        theirs.step(m)
        got = ours.step(m)
        assert abs(got - _lr(opt)) <= TOL * _lr(opt), (i, got, _lr(opt), params)
    assert isinstance(got, float)


def test_reduce_lr_on_plateau_settings_reduce():
    """The random settings above do exercise reductions, min_lr and eps."""
    reductions = 0
    for seed in range(42):
        lr, params, metrics = _plateau_settings(seed)
        opt = _optimizer(lr)
        sched = lr_scheduler.ReduceLROnPlateau(opt, **params)
        for m in metrics.tolist():
            sched.step(m)
        reductions += _lr(opt) < lr
    assert reductions >= 30


def test_reduce_lr_on_plateau_hand_cases():
    ref = _reference("lr-plateau")
    s = ref.ReduceLROnPlateau(0.1, patience=2, factor=0.5)
    assert [s.step(m) for m in [1.0, 1.0, 1.0, 1.0, 0.5, 0.49996, 0.49994]] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05]
    assert s.best == 0.49994  # 0.49996 >= 0.5 * (1 - 1e-4) = 0.49995: not an improvement
    s = ref.ReduceLROnPlateau(1e-6, patience=0)
    assert [s.step(1.0) for _ in range(5)] == [1e-6, 1e-7, pytest.approx(1e-8, rel=1e-12)] + [pytest.approx(1e-8, rel=1e-12)] * 2
    for bad in [{"mode": "maximum"}, {"threshold_mode": "relative"}, {"factor": 1.0}]:
        with pytest.raises(ValueError):
            ref.ReduceLROnPlateau(0.1, **bad)


# ---------------------------------------------------------------- lr-warmup

WARMUP_SETTINGS = [(0.1, 10, 50, 0.0, 0.0), (1.0, 8, 40, 0.1, 0.05), (3e-4, 100, 1000, 1e-6, 1e-5),
                   (0.5, 5, 6, 0.05, 0.0), (2.0, 1, 20, 0.0, 0.2), (0.1, 0, 30, 0.0, 0.01)]


@pytest.mark.parametrize(("lr_max", "W", "N", "start_lr", "lr_min"), WARMUP_SETTINGS)
def test_warmup_then_cosine_hand_formula_through_lambda_lr(lr_max, W, N, start_lr, lr_min):
    """The schedule written as the usual LambdaLR factor (base lr = lr_max)."""
    ref = _reference("lr-warmup")

    def factor(t):
        if t < W:
            return (start_lr + (lr_max - start_lr) * t / W) / lr_max
        if t >= N:
            return lr_min / lr_max
        p = (t - W) / (N - W)
        return (lr_min + (lr_max - lr_min) * 0.5 * (1 + math.cos(math.pi * p))) / lr_max

    opt = _optimizer(lr_max)
    for t, lr in enumerate(_stepped(opt, lr_scheduler.LambdaLR(opt, factor), N + 20)):
        assert abs(ref.warmup_then_cosine(t, lr_max, W, N, start_lr, lr_min) - lr) <= TOL * lr_max, t


@pytest.mark.parametrize(("lr_max", "W", "N", "start_lr", "lr_min"), [s for s in WARMUP_SETTINGS if s[3] > 0])
def test_warmup_then_cosine_equals_sequential_linear_cosine(lr_max, W, N, start_lr, lr_min):
    """SequentialLR(LinearLR(start_factor=start_lr/lr_max, total_iters=W), CosineAnnealingLR(
    T_max=N - W, eta_min=lr_min), milestones=[W]) is the same schedule up to total_steps (after it
    torch's cosine climbs back up where the contract stays at lr_min)."""
    ref = _reference("lr-warmup")
    opt = _optimizer(lr_max)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # SequentialLR steps its schedulers with epochs
        sched = lr_scheduler.SequentialLR(opt, [
            lr_scheduler.LinearLR(opt, start_factor=start_lr / lr_max, end_factor=1.0, total_iters=W),
            lr_scheduler.CosineAnnealingLR(opt, T_max=N - W, eta_min=lr_min),
        ], milestones=[W])
        torch_lrs = _stepped(opt, sched, N)
    for t, lr in enumerate(torch_lrs):
        assert abs(ref.warmup_then_cosine(t, lr_max, W, N, start_lr, lr_min) - lr) <= TOL * lr_max, t


def test_warmup_hand_values():
    ref = _reference("lr-warmup")
    assert ref.warmup_then_cosine(0, 0.1, 10, 50) == 0.0
    assert abs(ref.warmup_then_cosine(5, 0.1, 10, 50) - 0.05) < 1e-17
    assert ref.warmup_then_cosine(10, 0.1, 10, 50) == 0.1
    assert abs(ref.warmup_then_cosine(30, 0.1, 10, 50) - 0.05) < 1e-16  # half way through the decay
    assert ref.warmup_then_cosine(50, 0.1, 10, 50, lr_min=0.01) == 0.01
    assert ref.warmup_then_cosine(80, 0.1, 10, 50, lr_min=0.01) == 0.01
    assert ref.warmup_then_cosine(0, 0.1, 0, 30) == 0.1  # no warm-up
    assert abs(ref.warmup_then_cosine(2, 1.0, 4, 10, start_lr=0.2) - 0.6) < 1e-15
    assert [ref.warmup_then_constant(t, 2e-3, 4, 1e-4) for t in (0, 4, 400)] == [1e-4, 2e-3, 2e-3]
    assert ref.warmup_then_constant(0, 0.05, 0) == 0.05
