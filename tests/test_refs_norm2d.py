"""The references of bn2d, groupnorm and instancenorm against torch.nn.BatchNorm2d / GroupNorm /
InstanceNorm2d in float64: outputs, gradients (x, weight, bias) and running statistics over many
shapes and settings, max difference <= 1e-12 (relative to the values' size where it exceeds 1)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

DRILLS = Path(__file__).resolve().parents[1] / "drills"
TOL = 1e-12


def _reference(drill_id: str):
    path = DRILLS / drill_id / "reference.py"
    if not path.is_file():
        pytest.skip(f"no drill {drill_id} yet")
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _maxdiff(a, b) -> float:
    """max |a - b|, relative to the size of torch's values where they exceed 1 (a gradient through
    a group of two nearly equal values can reach 1e3)."""
    if not a.numel():
        return 0.0
    a, b = a.detach(), b.detach()
    return float((a - b).abs().max()) / max(1.0, float(b.abs().max()))


def _randomise(mine, theirs, rng, names=("weight", "bias")):
    with torch.no_grad():
        for name in names:
            value = torch.tensor(rng.uniform(-2.0, 2.0, getattr(theirs, name).shape), dtype=torch.float64)
            getattr(mine, name).copy_(value)
            getattr(theirs, name).copy_(value)


def _step(mine, theirs, x, dy, params=("weight", "bias")) -> float:
    """Forward and backward through both modules; the largest difference of y and every gradient."""
    xa = x.clone().requires_grad_(True)
    xb = x.clone().requires_grad_(True)
    ya, yb = mine(xa), theirs(xb)
    assert ya.dtype == yb.dtype == torch.float64 and ya.shape == yb.shape
    (ya * dy).sum().backward()
    (yb * dy).sum().backward()
    worst = max(_maxdiff(ya, yb), _maxdiff(xa.grad, xb.grad))
    for name in params:
        pa, pb = getattr(mine, name), getattr(theirs, name)
        worst = max(worst, _maxdiff(pa.grad, pb.grad))
        pa.grad = pb.grad = None
    return worst


BN2D = [((4, 3, 5, 5), 1e-5, 0.1), ((1, 2, 3, 3), 1e-3, 0.3), ((5, 4, 1, 1), 0.1, 0.1),
        ((2, 3, 1, 2), 1e-5, 0.5), ((3, 6, 4, 2), 1e-2, 0.01), ((2, 1, 7, 3), 1e-5, 1.0)]


@pytest.mark.parametrize(("shape", "eps", "momentum"), BN2D)
@pytest.mark.parametrize("scale", [1.0, 1e-3, 1e3])
def test_bn2d_matches_torch(shape, eps, momentum, scale):
    ref = _reference("bn2d")
    rng = np.random.default_rng(hash((shape, eps, momentum, scale)) % 2**32)
    c = shape[1]
    mine = ref.BatchNorm2d(c, eps=eps, momentum=momentum).double()
    theirs = torch.nn.BatchNorm2d(c, eps=eps, momentum=momentum).double()
    _randomise(mine, theirs, rng)
    with torch.no_grad():
        init_mean = torch.tensor(rng.standard_normal(c), dtype=torch.float64)
        init_var = torch.tensor(rng.uniform(0.5, 2.0, c), dtype=torch.float64)
        for m in (mine, theirs):
            m.running_mean.copy_(init_mean)
            m.running_var.copy_(init_var)
    assert dict(mine.named_buffers()).keys() >= {"running_mean", "running_var"}
    worst = 0.0
    for mode in ["train"] * 15 + ["eval"] * 2 + ["train"] * 3 + ["eval"]:
        mine.train(mode == "train")
        theirs.train(mode == "train")
        x = torch.tensor(rng.standard_normal(shape) * scale + rng.uniform(-1, 1) * scale + 3 * scale,
                         dtype=torch.float64)
        dy = torch.tensor(rng.standard_normal(shape), dtype=torch.float64)
        worst = max(worst, _step(mine, theirs, x, dy) / max(1.0, 1.0 / scale))
        assert mine.running_mean.shape == mine.running_var.shape == (c,)
        assert mine.running_mean.grad_fn is None and mine.running_var.grad_fn is None
        worst = max(worst, _maxdiff(mine.running_mean, theirs.running_mean) / scale,
                    _maxdiff(mine.running_var, theirs.running_var) / scale**2)
    assert worst <= TOL, worst


GROUPNORM = [((2, 6, 3, 3), 3), ((3, 8, 2, 3), 4), ((4, 6), 3), ((3, 4, 5), 2), ((2, 4, 2, 2, 2), 2),
             ((2, 4, 3, 3), 1), ((2, 4, 2, 3), 4), ((1, 12, 5), 6), ((3, 6, 1, 1), 2)]


@pytest.mark.parametrize(("shape", "groups"), GROUPNORM)
@pytest.mark.parametrize(("eps", "affine", "scale"), [(1e-5, True, 1.0), (1e-3, True, 1e-2),
                                                      (0.1, False, 1.0), (1e-5, False, 1e3)])
def test_groupnorm_matches_torch(shape, groups, eps, affine, scale):
    ref = _reference("groupnorm")
    rng = np.random.default_rng(hash((shape, groups, eps, affine, scale)) % 2**32)
    c = shape[1]
    mine = ref.GroupNorm(groups, c, eps=eps, affine=affine).double()
    theirs = torch.nn.GroupNorm(groups, c, eps=eps, affine=affine).double()
    params = ("weight", "bias") if affine else ()
    assert sum(p.numel() for p in mine.parameters()) == sum(p.numel() for p in theirs.parameters())
    assert not list(mine.buffers())
    if affine:
        _randomise(mine, theirs, rng)
    worst = 0.0
    for mode in (True, False):
        mine.train(mode)
        theirs.train(mode)
        x = torch.tensor(rng.standard_normal(shape) * scale + rng.uniform(-1, 1, (1, c) + (1,) * (len(shape) - 2))
                         * scale, dtype=torch.float64)
        dy = torch.tensor(rng.standard_normal(shape), dtype=torch.float64)
        worst = max(worst, _step(mine, theirs, x, dy, params) / max(1.0, 1.0 / scale))
    assert worst <= TOL, worst


@pytest.mark.parametrize(("groups", "channels"), [(3, 4), (4, 6), (5, 3), (2, 7)])
def test_groupnorm_indivisible_raises_like_torch(groups, channels):
    ref = _reference("groupnorm")
    with pytest.raises(ValueError):
        torch.nn.GroupNorm(groups, channels)
    with pytest.raises(ValueError):
        ref.GroupNorm(groups, channels)


INSTANCENORM = [(2, 3, 4, 4), (3, 2, 3, 5), (1, 4, 2, 2), (2, 3, 1, 3), (3, 4, 5), (2, 1, 6), (4, 2, 7, 1)]


@pytest.mark.parametrize("shape", INSTANCENORM)
@pytest.mark.parametrize(("eps", "affine", "scale"), [(1e-5, False, 1.0), (1e-5, True, 1.0),
                                                      (1e-3, True, 1e-2), (0.1, False, 1e3)])
def test_instancenorm_matches_torch(shape, eps, affine, scale):
    ref = _reference("instancenorm")
    rng = np.random.default_rng(hash((shape, eps, affine, scale)) % 2**32)
    c = shape[-3]
    mine = ref.InstanceNorm2d(c, eps=eps, affine=affine).double()
    theirs = torch.nn.InstanceNorm2d(c, eps=eps, affine=affine).double()
    params = ("weight", "bias") if affine else ()
    assert sum(p.numel() for p in mine.parameters()) == sum(p.numel() for p in theirs.parameters())
    assert not list(mine.buffers()) and not list(theirs.buffers())
    if affine:
        _randomise(mine, theirs, rng)
    worst = 0.0
    for mode in (True, True, False):
        mine.train(mode)
        theirs.train(mode)
        x = torch.tensor(rng.standard_normal(shape) * scale + rng.uniform(-2, 2, shape[:-2] + (1, 1)) * scale,
                         dtype=torch.float64)
        dy = torch.tensor(rng.standard_normal(shape), dtype=torch.float64)
        worst = max(worst, _step(mine, theirs, x, dy, params) / max(1.0, 1.0 / scale))
    assert worst <= TOL, worst


def test_instancenorm_defaults_like_torch():
    ref = _reference("instancenorm")
    mine, theirs = ref.InstanceNorm2d(5), torch.nn.InstanceNorm2d(5)
    assert mine.eps == theirs.eps == 1e-5
    assert not list(mine.parameters()) and not list(theirs.parameters())
    assert mine.weight is None and theirs.weight is None
