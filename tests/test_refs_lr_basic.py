"""The references of the basic learning-rate schedule drills (lr-piecewise, lr-exponential,
lr-natural-exp, lr-polynomial, lr-step, lr-inverse-time) against PyTorch's schedulers where one
exists (float64 Python floats, many steps and settings, max difference <= 1e-12), and against
hand-computed values of the TensorFlow definitions where none does."""

from __future__ import annotations

import importlib.util
import math
import warnings
from pathlib import Path

import pytest

DRILLS = Path(__file__).resolve().parent.parent / "drills"


def _reference(drill_id: str):
    path = DRILLS / drill_id / "reference.py"
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _torch_lrs(make_scheduler, lr0: float, epochs: int) -> list[float]:
    """param_groups[0]['lr'] at epochs 0..epochs-1 of a scheduler driving a dummy optimizer."""
    torch = pytest.importorskip("torch")
    param = torch.nn.Parameter(torch.zeros(1, dtype=torch.float64))
    opt = torch.optim.SGD([param], lr=lr0)
    scheduler = make_scheduler(opt)
    lrs = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for _ in range(epochs):
            lrs.append(opt.param_groups[0]["lr"])
            opt.step()
            scheduler.step()
    return lrs


def _max_diff(a: list[float], b: list[float]) -> float:
    assert len(a) == len(b)
    return max(abs(x - y) for x, y in zip(a, b, strict=True))


# --- against PyTorch --------------------------------------------------------------------------


@pytest.mark.parametrize(("milestones", "gamma", "lr0"), [
    ([30, 60, 80], 0.1, 0.1), ([1], 0.5, 1.0), ([0, 3, 4, 50], 0.3, 0.05), ([7, 19, 20, 21, 90], 0.9, 2.0),
])
def test_piecewise_equals_multistep_lr(milestones, gamma, lr0):
    from torch.optim.lr_scheduler import MultiStepLR

    ref = _reference("lr-piecewise")
    values = [lr0 * gamma ** i for i in range(len(milestones) + 1)]
    n = 120
    ours = [ref.piecewise_constant(e, list(milestones), values) for e in range(n)]
    theirs = _torch_lrs(lambda opt: MultiStepLR(opt, milestones=milestones, gamma=gamma), lr0, n)
    assert _max_diff(ours, theirs) <= 1e-12


@pytest.mark.parametrize(("gamma", "lr0"), [(0.9, 0.1), (0.5, 1.0), (0.99, 0.3), (0.999, 2.0), (1.0, 0.01)])
@pytest.mark.parametrize("staircase", [False, True])
def test_exponential_equals_exponential_lr(gamma, lr0, staircase):
    from torch.optim.lr_scheduler import ExponentialLR

    ref = _reference("lr-exponential")
    n = 400
    ours = [ref.exponential_decay(e, lr0, gamma, decay_steps=1, staircase=staircase) for e in range(n)]
    theirs = _torch_lrs(lambda opt: ExponentialLR(opt, gamma=gamma), lr0, n)
    assert _max_diff(ours, theirs) <= 1e-12
    assert [ref.exponential_decay(e, lr0, gamma) for e in range(n)] == ours  # the defaults


@pytest.mark.parametrize("rate", [0.01, 0.1, 0.7])
def test_natural_exp_equals_exponential_lr_with_exp_gamma(rate):
    from torch.optim.lr_scheduler import ExponentialLR

    ref = _reference("lr-natural-exp")
    n = 300
    ours = [ref.natural_exp_decay(e, 0.1, rate) for e in range(n)]
    theirs = _torch_lrs(lambda opt: ExponentialLR(opt, gamma=math.exp(-rate)), 0.1, n)
    assert _max_diff(ours, theirs) <= 1e-12


@pytest.mark.parametrize(("total_iters", "power", "lr0"), [
    (5, 1.0, 0.1), (10, 2.0, 1.0), (37, 0.5, 0.3), (100, 0.9, 0.05), (1, 1.0, 0.2), (64, 3.0, 2.0),
])
def test_polynomial_equals_polynomial_lr(total_iters, power, lr0):
    from torch.optim.lr_scheduler import PolynomialLR

    ref = _reference("lr-polynomial")
    n = 2 * total_iters + 20
    ours = [ref.polynomial_decay(e, lr0, total_iters, power=power) for e in range(n)]
    theirs = _torch_lrs(lambda opt: PolynomialLR(opt, total_iters=total_iters, power=power), lr0, n)
    assert _max_diff(ours, theirs) <= 1e-12


@pytest.mark.parametrize(("step_size", "gamma", "lr0"), [(30, 0.1, 0.1), (1, 0.5, 1.0), (7, 0.3, 0.05),
                                                         (13, 0.97, 2.0)])
def test_step_lr_equals_step_lr(step_size, gamma, lr0):
    from torch.optim.lr_scheduler import StepLR

    ref = _reference("lr-step")
    n = 300
    ours = [ref.step_lr(e, lr0, step_size, gamma) for e in range(n)]
    theirs = _torch_lrs(lambda opt: StepLR(opt, step_size=step_size, gamma=gamma), lr0, n)
    assert _max_diff(ours, theirs) <= 1e-12


@pytest.mark.parametrize(("milestones", "gamma", "lr0"), [
    ([30, 60, 80], 0.1, 0.1), ([60, 10, 35], 0.5, 1.0), ([0, 5], 0.1, 0.3), ([], 0.1, 0.2),
    ([9, 3, 4, 1, 100, 57], 0.3, 2.0),
])
def test_multistep_lr_equals_multistep_lr(milestones, gamma, lr0):
    from torch.optim.lr_scheduler import MultiStepLR

    ref = _reference("lr-step")
    n = 150
    given = list(milestones)
    ours = [ref.multistep_lr(e, lr0, given, gamma) for e in range(n)]
    assert given == milestones  # the caller's list is left alone
    theirs = _torch_lrs(lambda opt: MultiStepLR(opt, milestones=milestones, gamma=gamma), lr0, n)
    assert _max_diff(ours, theirs) <= 1e-12


def test_step_defaults_are_gamma_0_1():
    ref = _reference("lr-step")
    assert ref.step_lr(75, 0.1, 30) == pytest.approx(0.001, rel=1e-12)  # card lr-steplr-value
    assert ref.multistep_lr(80, 0.1, [30, 60, 80]) == pytest.approx(1e-4, rel=1e-12)


# --- TensorFlow definitions: hand-computed values ----------------------------------------------


def test_piecewise_boundary_convention_and_card_value():
    ref = _reference("lr-piecewise")
    values = [0.1, 0.01, 0.001]
    assert ref.piecewise_constant(45, [30, 60], values) == 0.01  # card lr-piecewise-constant-value
    assert [ref.piecewise_constant(s, [30, 60], values) for s in (0, 29, 30, 31, 59, 60, 10**7)] == [
        0.1, 0.1, 0.01, 0.01, 0.01, 0.001, 0.001]
    assert ref.piecewise_constant(0, [0], [1.0, 2.0]) == 2.0
    assert ref.piecewise_constant(5, [], [0.3]) == 0.3


def test_exponential_decay_tf_values():
    ref = _reference("lr-exponential")
    assert ref.exponential_decay(3, 0.1, 0.5) == pytest.approx(0.0125, rel=1e-15)  # card value
    assert ref.exponential_decay(15, 0.1, 0.5, decay_steps=10) == pytest.approx(0.1 * 0.5 ** 1.5, rel=1e-15)
    assert ref.exponential_decay(15, 0.1, 0.5, decay_steps=10, staircase=True) == pytest.approx(0.05, rel=1e-15)
    assert ref.exponential_decay(19, 0.1, 0.5, decay_steps=10, staircase=True) == pytest.approx(0.05, rel=1e-15)
    assert ref.exponential_decay(20, 0.1, 0.5, decay_steps=10, staircase=True) == pytest.approx(0.025, rel=1e-15)
    # the per-step gamma of card lr-exponential-per-step-gamma: 100 steps give exactly x0.9
    assert ref.exponential_decay(100, 1.0, 0.9 ** (1 / 100)) == pytest.approx(0.9, rel=1e-13)


def test_natural_exp_decay_tf_values():
    ref = _reference("lr-natural-exp")
    assert ref.natural_exp_decay(0, 0.1, 0.3) == 0.1
    assert ref.natural_exp_decay(10, 1.0, 0.1) == pytest.approx(math.exp(-1.0), rel=1e-15)  # card value
    assert ref.natural_exp_decay(25, 1.0, 0.5, decay_steps=10) == pytest.approx(math.exp(-1.25), rel=1e-15)
    assert ref.natural_exp_decay(25, 1.0, 0.5, decay_steps=10, staircase=True) == pytest.approx(
        math.exp(-1.0), rel=1e-15)


def test_inverse_time_decay_tf_values():
    ref = _reference("lr-inverse-time")
    assert ref.inverse_time_decay(8, 0.1, 0.5) == pytest.approx(0.02, rel=1e-15)  # card lr-inverse-time-value
    assert ref.inverse_time_decay(0, 0.1, 0.5) == 0.1
    assert ref.inverse_time_decay(15, 1.0, 0.5, decay_steps=10) == pytest.approx(1 / 1.75, rel=1e-15)
    assert ref.inverse_time_decay(15, 1.0, 0.5, decay_steps=10, staircase=True) == pytest.approx(1 / 1.5, rel=1e-15)
    assert ref.inverse_time_decay(10**7, 1.0, 0.5, decay_steps=10**5, staircase=True) == pytest.approx(
        1 / 51, rel=1e-15)


def test_polynomial_decay_tf_values():
    ref = _reference("lr-polynomial")
    # card lr-polynomial-cycle-value
    assert ref.polynomial_decay(150, 0.1, 100, end_lr=0.01, power=1.0, cycle=True) == pytest.approx(0.0325, rel=1e-13)
    # just after a multiple the cyclic rate jumps to (lr0 - end_lr) / 2 + end_lr (power 1), at it it is end_lr
    assert ref.polynomial_decay(100, 0.1, 100, end_lr=0.01, cycle=True) == pytest.approx(0.01, rel=1e-13)
    assert ref.polynomial_decay(101, 0.1, 100, end_lr=0.01, cycle=True) == pytest.approx(
        0.09 * (1 - 101 / 200) + 0.01, rel=1e-13)
    # step 0 with cycle uses the first cycle, not a horizon of 0
    assert ref.polynomial_decay(0, 0.1, 100, end_lr=0.01, cycle=True) == 0.1
    # without cycle: clipped, end_lr forever after decay_steps, also for a fractional power
    assert ref.polynomial_decay(150, 0.1, 100, end_lr=0.01, power=0.5) == pytest.approx(0.01, rel=1e-15)
    assert ref.polynomial_decay(50, 0.1, 100, end_lr=0.01, power=2.0) == pytest.approx(0.09 * 0.25 + 0.01, rel=1e-13)
