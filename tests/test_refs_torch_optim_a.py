"""The references of sgd-momentum, nesterov and adagrad against torch.optim.SGD / Adagrad in
float64: the same parameter trajectories (max difference <= 1e-12) over many steps and settings
(param groups with their own hyper-parameters, parameters without .grad on some steps, weight
decay, gradients of ~1e-4 and ~1e2, an lr changed between steps as by a scheduler)."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

DRILLS = Path(__file__).resolve().parents[1] / "drills"
SHAPES = [(3, 4), (5,), (2, 3), (7,)]


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _trajectories(make, kwargs, groups, seed, steps=120, scale=1.0, none_every=0, lr_every=None):
    """Every parameter after every step, for an optimiser built by make(params_or_groups, **kwargs)."""
    rng = np.random.default_rng(seed)
    params = [torch.nn.Parameter(torch.tensor(rng.uniform(-1, 1, s), dtype=torch.float64)) for s in SHAPES]
    drift = [rng.uniform(-1, 1, s) * 0.3 for s in SHAPES]
    grads = [rng.standard_normal((steps,) + s) for s in SHAPES]
    if groups is None:
        opt = make(params, **kwargs)
    else:
        opt = make([{**g, "params": [params[i] for i in g["params"]]} for g in groups], **kwargs)
    out = []
    for t in range(steps):
        for i, p in enumerate(params):
            skipped = none_every and i == 1 and (t < 7 or t % none_every == 0)
            p.grad = None if skipped or i == 3 and none_every else torch.tensor(
                (drift[i] + grads[i][t]) * scale, dtype=torch.float64)
        opt.step()
        if lr_every and (t + 1) % lr_every[0] == 0:
            for g in opt.param_groups:
                g["lr"] *= lr_every[1]
        out.append(np.concatenate([p.detach().numpy().ravel() for p in params]))
    return np.stack(out)


def _settings(base: list[dict], group_keys: dict):
    """(kwargs, groups, scale, none_every, lr_every) over many combinations."""
    out = []
    for kwargs, scale, none_every, lr_every in itertools.product(
            base, [1.0, 1e-4, 1e2], [0, 3], [None, (17, 0.5)]):
        out.append((kwargs, None, scale, none_every, lr_every))
    for kwargs in base[:3]:
        groups = [{"params": [0, 3], **group_keys["a"]}, {"params": [2]}, {"params": [1], **group_keys["b"]}]
        for scale, none_every in [(1.0, 0), (1e-4, 3), (1e2, 0), (1.0, 4)]:
            out.append((kwargs, groups, scale, none_every, (25, 0.3)))
    return out


def _check(ref_make, torch_make, settings):
    worst = 0.0
    for n, (kwargs, groups, scale, none_every, lr_every) in enumerate(settings):
        if scale == 1e2:
            kwargs = {**kwargs, "lr": kwargs.get("lr", 1e-3) * 1e-3}
        a = _trajectories(ref_make, kwargs, groups, n, scale=scale, none_every=none_every, lr_every=lr_every)
        b = _trajectories(torch_make, kwargs, groups, n, scale=scale, none_every=none_every, lr_every=lr_every)
        assert np.isfinite(b).all()
        diff = float(np.max(np.abs(a - b)))
        worst = max(worst, diff)
        assert diff <= 1e-12, (kwargs, groups, scale, none_every, lr_every, diff)
    return worst


SGD_BASE = [
    {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.5, "dampening": 0.5},
    {"lr": 0.01, "momentum": 0.99, "dampening": 0.1, "weight_decay": 0.1},
    {"lr": 0.02, "momentum": 0.5, "dampening": 0.9, "weight_decay": 0.01},
    {"lr": 0.1, "momentum": 0.3, "weight_decay": 0.5},
]


def test_sgd_momentum_equals_torch_sgd():
    ref = _reference("sgd-momentum")
    settings = _settings(SGD_BASE, {"a": {"lr": 0.003, "momentum": 0.7}, "b": {"dampening": 0.4, "weight_decay": 0.2}})
    assert len(settings) >= 70
    _check(ref.SGDMomentum, lambda p, **kw: torch.optim.SGD(p, nesterov=False, **kw), settings)


def test_sgd_momentum_defaults_match_the_contract():
    ref = _reference("sgd-momentum")
    opt = ref.SGDMomentum([torch.nn.Parameter(torch.zeros(2))])
    assert opt.defaults == {"lr": 1e-3, "momentum": 0.9, "dampening": 0.0, "weight_decay": 0.0}


NESTEROV_BASE = [
    {"lr": 0.01, "momentum": 0.9},
    {"lr": 0.05, "momentum": 0.5},
    {"lr": 0.01, "momentum": 0.99, "weight_decay": 0.1},
    {"lr": 0.02, "momentum": 0.7, "weight_decay": 0.01},
    {"lr": 0.1, "momentum": 0.3, "weight_decay": 0.5},
]


def test_nesterov_equals_torch_sgd_nesterov():
    ref = _reference("nesterov")
    settings = _settings(NESTEROV_BASE, {"a": {"lr": 0.003, "momentum": 0.7}, "b": {"momentum": 0.95, "weight_decay": 0.2}})
    assert len(settings) >= 70
    _check(ref.Nesterov, lambda p, **kw: torch.optim.SGD(p, nesterov=True, dampening=0.0, **kw), settings)


def test_nesterov_defaults_and_the_look_ahead_form():
    ref = _reference("nesterov")
    opt = ref.Nesterov([torch.nn.Parameter(torch.zeros(2))])
    assert opt.defaults == {"lr": 1e-3, "momentum": 0.9, "weight_decay": 0.0}
    # The prompt's look-ahead form (v = mu v - lr grad(x + mu v), x = x + v) on a quadratic, in the
    # stored variable p = x + mu v: the same sequence as the reference, at a constant lr.
    a = torch.tensor([0.5, 2.0, 1.3], dtype=torch.float64)
    c = torch.tensor([0.3, -1.0, 0.7], dtype=torch.float64)
    lr, mu = 0.05, 0.9
    x = torch.tensor([1.0, 1.0, -2.0], dtype=torch.float64)
    v = torch.zeros(3, dtype=torch.float64)
    p = torch.nn.Parameter(x.clone())
    opt = ref.Nesterov([p], lr=lr, momentum=mu)
    for _ in range(100):
        v = mu * v - lr * a * (x + mu * v - c)
        x = x + v
        p.grad = a * (p.detach() - c)
        opt.step()
        assert torch.allclose(p.detach(), x + mu * v, rtol=0, atol=1e-12)


ADAGRAD_BASE = [
    {"lr": 0.01},
    {"lr": 0.05, "lr_decay": 0.05},
    {"lr": 0.05, "lr_decay": 0.5, "weight_decay": 0.1, "initial_accumulator_value": 0.1},
    {"lr": 0.02, "initial_accumulator_value": 1.0, "eps": 1e-6},
    {"lr": 0.1, "lr_decay": 0.01, "weight_decay": 0.01, "eps": 1e-4},
]


def test_adagrad_equals_torch_adagrad():
    ref = _reference("adagrad")
    settings = _settings(ADAGRAD_BASE, {"a": {"lr": 0.003, "lr_decay": 0.2}, "b": {"eps": 1e-3, "weight_decay": 0.2}})
    assert len(settings) >= 70
    _check(ref.Adagrad, torch.optim.Adagrad, settings)


def test_adagrad_defaults_and_a_hand_computed_step():
    ref = _reference("adagrad")
    p = torch.nn.Parameter(torch.tensor([1.0, -2.0], dtype=torch.float64))
    opt = ref.Adagrad([p], lr=0.1, lr_decay=0.5, initial_accumulator_value=1.0)
    assert ref.Adagrad([torch.nn.Parameter(torch.zeros(1))]).defaults == {
        "lr": 1e-2, "lr_decay": 0.0, "weight_decay": 0.0, "initial_accumulator_value": 0.0, "eps": 1e-10}
    # step 1: s = 1 + 9 = 10, lr_1 = 0.1 (no decay yet); step 2: s = 10 + 16 = 26, lr_2 = 0.1 / 1.5
    p.grad = torch.tensor([3.0, 0.0], dtype=torch.float64)
    opt.step()
    p.grad = torch.tensor([4.0, 0.0], dtype=torch.float64)
    opt.step()
    first = 1.0 - 0.1 * 3.0 / (10**0.5 + 1e-10)
    expected = first - 0.1 / 1.5 * 4.0 / (26**0.5 + 1e-10)
    assert abs(float(p.detach()[0]) - expected) <= 1e-15
    assert float(p.detach()[1]) == -2.0
    assert opt.state[p]["step"] == 2 and float(opt.state[p]["sum"][1]) == 1.0
