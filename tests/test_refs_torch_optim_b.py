"""The torch optimiser drills rmsprop, adadelta and adamw: each reference against its
torch.optim counterpart, side by side in float64 over many steps and settings (several param
groups, parameters without .grad on some steps, weight decay, gradients of ~1e-4 and ~1e2):
max difference <= 1e-12, and the same state keys in self.state[p]."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

DRILLS = Path(__file__).resolve().parents[1] / "drills"
SHAPES = [(4, 3), (7,), (2, 5)]


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _side_by_side(make_ref, make_torch, kwargs, groups=None, steps=120, scale=1.0, seed=0, none=False):
    """Max |ref - torch| over every parameter after every step."""
    rng = np.random.default_rng(seed)
    init = [rng.uniform(-1.0, 1.0, s) for s in SHAPES]
    drift = [rng.uniform(-1.0, 1.0, s) * 0.3 for s in SHAPES]
    grads = [[(d + rng.standard_normal(s)) * scale for d, s in zip(drift, SHAPES, strict=True)]
             for _ in range(steps)]
    ours = [torch.nn.Parameter(torch.tensor(a, dtype=torch.float64)) for a in init]
    theirs = [torch.nn.Parameter(torch.tensor(a, dtype=torch.float64)) for a in init]

    def build(factory, params):
        if groups is None:
            return factory(params, **kwargs)
        return factory([{**g, "params": [params[i] for i in g["params"]]} for g in groups], **kwargs)

    a, b = build(make_ref, ours), build(make_torch, theirs)
    worst = 0.0
    for t in range(steps):
        for i in range(len(SHAPES)):
            skip = none and (i == 2 or (i == 1 and (t < 10 or t % 4 == 0)))
            g = None if skip else grads[t][i]
            ours[i].grad = None if g is None else torch.tensor(g, dtype=torch.float64)
            theirs[i].grad = None if g is None else torch.tensor(g, dtype=torch.float64)
        a.step()
        b.step()
        for p, q in zip(ours, theirs, strict=True):
            worst = max(worst, float((p.detach() - q.detach()).abs().max()))
    for p, q in zip(ours, theirs, strict=True):
        assert set(a.state[p]) == set(b.state[q])
    return worst


RMSPROP = [
    ({}, None),
    ({"lr": 1e-3}, None),
    ({"lr": 0.005, "alpha": 0.9, "eps": 1e-6}, None),
    ({"lr": 0.01, "weight_decay": 0.1}, None),
    ({"lr": 0.002, "momentum": 0.9}, None),
    ({"lr": 0.003, "centered": True}, None),
    ({"lr": 0.001, "alpha": 0.95, "momentum": 0.8, "centered": True, "weight_decay": 0.05}, None),
    ({"lr": 0.01}, [{"params": [0], "momentum": 0.5}, {"params": [1, 2], "centered": True, "alpha": 0.8}]),
    ({"lr": 0.01, "momentum": 0.9}, [{"params": [0, 2], "lr": 0.001, "weight_decay": 0.2},
                                     {"params": [1], "momentum": 0.0, "eps": 1e-4}]),
]

ADADELTA = [
    ({}, None),
    ({"lr": 0.5}, None),
    ({"lr": 2.0, "rho": 0.95, "eps": 1e-8}, None),
    ({"lr": 1.0, "weight_decay": 0.1}, None),
    ({"lr": 0.3, "rho": 0.5, "eps": 1e-4, "weight_decay": 0.01}, None),
    ({"lr": 1.0}, [{"params": [0], "rho": 0.8}, {"params": [1, 2], "lr": 0.1, "weight_decay": 0.3}]),
    ({"lr": 0.7, "eps": 1e-5}, [{"params": [2, 0], "eps": 1e-7}, {"params": [1], "rho": 0.99, "lr": 3.0}]),
]

ADAMW = [
    ({}, None),
    ({"lr": 0.01}, None),
    ({"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.1}, None),
    ({"lr": 0.02, "weight_decay": 0.0}, None),
    ({"lr": 0.1, "weight_decay": 0.5}, None),
    ({"lr": 0.01}, [{"params": [0], "betas": (0.5, 0.9)}, {"params": [1, 2], "lr": 0.002, "weight_decay": 0.3}]),
    ({"lr": 3e-4, "weight_decay": 0.05}, [{"params": [1], "eps": 1e-5}, {"params": [0, 2], "lr": 0.03}]),
]

SCALES = [1.0, 1e-4, 1e2]


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize(("kwargs", "groups"), RMSPROP)
def test_rmsprop_equals_torch(kwargs, groups, scale):
    ref = _reference("rmsprop")
    for seed, none in ((0, False), (1, True)):
        worst = _side_by_side(ref.RMSprop, torch.optim.RMSprop, kwargs, groups, scale=scale, seed=seed, none=none)
        assert worst <= 1e-12, (kwargs, groups, scale, none, worst)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize(("kwargs", "groups"), ADADELTA)
def test_adadelta_equals_torch(kwargs, groups, scale):
    ref = _reference("adadelta")
    for seed, none in ((0, False), (1, True)):
        worst = _side_by_side(ref.Adadelta, torch.optim.Adadelta, kwargs, groups, scale=scale, seed=seed, none=none)
        assert worst <= 1e-12, (kwargs, groups, scale, none, worst)


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize(("kwargs", "groups"), ADAMW)
def test_adamw_equals_torch(kwargs, groups, scale):
    ref = _reference("adamw")
    for seed, none in ((0, False), (1, True)):
        worst = _side_by_side(ref.AdamW, torch.optim.AdamW, kwargs, groups, scale=scale, seed=seed, none=none)
        assert worst <= 1e-12, (kwargs, groups, scale, none, worst)


def test_adamw_default_weight_decay_is_decoupled():
    """One hand-checked step: AdamW's default weight_decay is 1e-2, applied as p *= 1 - lr * wd
    before the Adam step (whose first step is lr * sign(g) up to eps)."""
    ref = _reference("adamw")
    p = torch.nn.Parameter(torch.tensor([2.0, -1.0], dtype=torch.float64))
    opt = ref.AdamW([p], lr=0.1)
    p.grad = torch.tensor([0.5, -3.0], dtype=torch.float64)
    opt.step()
    expected = torch.tensor([2.0 * (1 - 0.1 * 1e-2) - 0.1 * 0.5 / (0.5 + 1e-8),
                             -1.0 * (1 - 0.1 * 1e-2) + 0.1 * 3.0 / (3.0 + 1e-8)], dtype=torch.float64)
    assert float((p.detach() - expected).abs().max()) <= 1e-15
