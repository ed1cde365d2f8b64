"""The initialisation and gradient-clipping drills' references (xavier-init, kaiming-init,
grad-clip) against torch: fans, gains and bounds exactly (same seed, same draws bit for bit),
the harnesses' own truth tables against torch, the statistical checks on many seeds, and the
clipping functions against torch.nn.utils in float64."""

from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

DRILLS = Path(__file__).resolve().parents[1] / "drills"


def _load(drill_id: str, name: str):
    from quizdl.grading import contract

    sys.modules.setdefault("quizdl_contract", contract)
    spec = importlib.util.spec_from_file_location(f"{name}_{drill_id.replace('-', '_')}", DRILLS / drill_id / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


SHAPES = [(3, 5), (5, 3), (1, 1), (10, 10), (64, 3), (8, 4, 3), (16, 3, 5, 5), (4, 2, 3, 3, 3), (6, 1, 1, 1),
          (32, 16, 3, 1), (7, 2, 1), (2, 9, 4, 4)]


# ------------------------------------------------------------------ fans and gains

@pytest.mark.parametrize("drill_id", ["xavier-init", "kaiming-init"])
def test_fans_equal_torch(drill_id):
    ref = _load("xavier-init", "reference")
    harness = _load(drill_id, "harness")
    kaiming = _load("kaiming-init", "reference")
    for shape in SHAPES:
        want = torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))
        assert ref.fans(shape) == want
        assert ref.fans(torch.Size(shape)) == want
        assert ref.fans(list(shape)) == want
        if drill_id == "xavier-init":
            assert harness.true_fans(list(shape)) == want
        for mode in ("fan_in", "fan_out"):
            assert kaiming._fan(shape, mode) == torch.nn.init._calculate_correct_fan(torch.empty(shape), mode)
    for shape in [(5,), ()]:
        with pytest.raises(ValueError):
            ref.fans(shape)
        with pytest.raises(ValueError):
            torch.nn.init._calculate_fan_in_and_fan_out(torch.empty(shape))


GAIN_CALLS = [(n, None) for n in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
                                  "conv_transpose3d", "sigmoid", "tanh", "relu", "selu", "leaky_relu")] + [
    ("leaky_relu", s) for s in (0, 0.0, 0.01, 0.1, 0.2, 0.5, 1.0, math.sqrt(5.0), 3, -0.3)] + [("relu", 0.5), ("tanh", 2.0)]


def test_gains_equal_torch():
    ref = _load("kaiming-init", "reference")
    harness = _load("kaiming-init", "harness")
    for name, param in GAIN_CALLS:
        want = torch.nn.init.calculate_gain(name, param)
        assert ref.calculate_gain(name, param) == pytest.approx(want, rel=1e-15, abs=0), (name, param)
        assert harness.true_gain(name, param) == pytest.approx(want, rel=1e-15, abs=0), (name, param)
    for name in ("gelu", "softmax", "Relu"):
        with pytest.raises(ValueError):
            ref.calculate_gain(name)
        with pytest.raises(ValueError):
            torch.nn.init.calculate_gain(name)


# ------------------------------------------------------------------ the fills: same seed, same draws

XAVIER = [((30, 50), 1.0), ((50, 30), 5.0 / 3.0), ((16, 3, 5, 5), math.sqrt(2.0)), ((4, 2, 3, 3, 3), 0.5),
          ((128, 64, 3), 1.0)]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_xavier_draws_equal_torch(dtype):
    ref = _load("xavier-init", "reference")
    for seed, (shape, gain) in enumerate(XAVIER):
        for ours, theirs in ((ref.xavier_uniform_, torch.nn.init.xavier_uniform_),
                             (ref.xavier_normal_, torch.nn.init.xavier_normal_)):
            w = torch.nn.Parameter(torch.empty(shape, dtype=dtype))
            torch.manual_seed(seed)
            out = ours(w, gain=gain)
            assert out is w and w.dtype == dtype and w.grad_fn is None
            torch.manual_seed(seed)
            want = theirs(torch.empty(shape, dtype=dtype), gain=gain)
            assert torch.equal(w.detach(), want)  # bit for bit: the bound / std is exactly torch's


KAIMING = [((30, 50), {}), ((50, 30), {"mode": "fan_out", "nonlinearity": "relu"}),
           ((16, 3, 5, 5), {"a": math.sqrt(5.0)}), ((4, 2, 3, 3, 3), {"a": 0.2, "mode": "fan_out"}),
           ((128, 64, 3), {"nonlinearity": "tanh"}), ((64, 64), {"nonlinearity": "selu", "mode": "FAN_OUT"}),
           ((20, 10), {"nonlinearity": "linear"}), ((20, 10, 2), {"nonlinearity": "conv1d", "a": 0.3})]


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_kaiming_draws_equal_torch(dtype):
    ref = _load("kaiming-init", "reference")
    for seed, (shape, kwargs) in enumerate(KAIMING):
        for ours, theirs in ((ref.kaiming_uniform_, torch.nn.init.kaiming_uniform_),
                             (ref.kaiming_normal_, torch.nn.init.kaiming_normal_)):
            w = torch.nn.Parameter(torch.empty(shape, dtype=dtype))
            torch.manual_seed(seed)
            out = ours(w, **kwargs)
            assert out is w and w.dtype == dtype and w.grad_fn is None
            torch.manual_seed(seed)
            want = theirs(torch.empty(shape, dtype=dtype), **kwargs)
            assert torch.equal(w.detach(), want)
    with pytest.raises(ValueError):
        ref.kaiming_normal_(torch.empty(3, 4), mode="fan_avg")


# ------------------------------------------------------------------ the statistical checks

@pytest.mark.parametrize("drill_id", ["xavier-init", "kaiming-init"])
def test_statistical_checks_pass_torch_on_many_seeds(drill_id):
    """torch's own initialisers, with seeds the harness never uses, pass every check."""
    harness = _load(drill_id, "harness")
    if drill_id == "xavier-init":
        impl = type("Torch", (), {"fans": staticmethod(lambda s: harness.true_fans(list(s))),
                                  "xavier_uniform_": staticmethod(torch.nn.init.xavier_uniform_),
                                  "xavier_normal_": staticmethod(torch.nn.init.xavier_normal_)})
    else:
        impl = type("Torch", (), {"calculate_gain": staticmethod(torch.nn.init.calculate_gain),
                                  "kaiming_uniform_": staticmethod(torch.nn.init.kaiming_uniform_),
                                  "kaiming_normal_": staticmethod(torch.nn.init.kaiming_normal_)})
    stat_cases = [c for c in harness.cases() if c["kind"] in ("uniform", "normal")]
    for offset in range(1000, 1006):
        for case in stat_cases:
            case = dict(case, seed=case["seed"] + offset)
            out = harness.run(impl, case, harness.make_inputs(case))
            assert harness.check(case, {}, out) == [], (case["name"], offset)


def test_statistical_checks_catch_wrong_distributions():
    """In range but wrong: a normal clipped to the uniform's bound, a uniform in the normal's place,
    a variance 5% off: every one fails, on every seed."""
    harness = _load("xavier-init", "harness")
    ref = _load("xavier-init", "reference")

    def clipped_normal(w, gain=1.0):
        a = math.sqrt(3.0) * ref._xavier_std(w.shape, gain)
        with torch.no_grad():
            w.normal_(0.0, a / math.sqrt(3.0)).clamp_(-a, a)
        return w

    def uniform_as_normal(w, gain=1.0):
        return ref.xavier_uniform_(w, gain)

    def five_percent(w, gain=1.0):
        return ref.xavier_normal_(w, gain * 1.05)

    bad = {"uniform": [clipped_normal], "normal": [uniform_as_normal, five_percent]}
    for offset in range(5):
        for case in harness.cases():
            for fn in bad.get(case["kind"], []):
                impl = type("Bad", (), {"fans": staticmethod(ref.fans), f"xavier_{case['kind']}_": staticmethod(fn)})
                case = dict(case, seed=case["seed"] + 100 * offset)
                out = harness.run(impl, case, harness.make_inputs(case))
                assert harness.check(case, {}, out), (fn.__name__, case["name"])


# ------------------------------------------------------------------ grad-clip against torch.nn.utils

def _params(rng, shapes, dtype, none=(), scale=1.0, special=None):
    params = []
    for i, shape in enumerate(shapes):
        p = torch.nn.Parameter(torch.tensor(rng.normal(0.0, 1.0, shape), dtype=dtype))
        if i not in none:
            g = rng.normal(0.0, 1.0, shape) * scale * (10.0 ** rng.integers(-2, 3))
            if special is not None and i == len(shapes) - 1:
                g.reshape(-1)[0] = special
            p.grad = torch.tensor(g, dtype=dtype)
        params.append(p)
    return params


def _twin(params):
    out = []
    for p in params:
        q = torch.nn.Parameter(p.detach().clone())
        if p.grad is not None:
            q.grad = p.grad.clone()
        out.append(q)
    return out


def _same_grads(a, b, tol):
    for p, q in zip(a, b, strict=True):
        assert (p.grad is None) == (q.grad is None)
        if p.grad is not None:
            assert p.grad.dtype == q.grad.dtype
            x, y = p.grad.double().numpy(), q.grad.double().numpy()
            assert np.array_equal(np.isnan(x), np.isnan(y))
            ok = ~np.isnan(x)
            np.testing.assert_allclose(x[ok], y[ok], rtol=tol, atol=tol)
        assert torch.equal(p.detach(), q.detach())  # the values never change


SHAPE_SETS = [[(4, 3), (5,), (2, 2, 2)], [(6, 2), (3,)], [(10,)], [(3, 3), (1,), (2, 5), (4,)]]


@pytest.mark.parametrize("seed", range(4))
def test_clip_grad_norm_equals_torch(seed):
    ref = _load("grad-clip", "reference")
    rng = np.random.default_rng(seed)
    shapes = SHAPE_SETS[seed % len(SHAPE_SETS)]
    for norm_type in (2.0, 1.0, 1, 3.0, 0.5, math.inf, 2):
        for max_norm in (1e-4, 1.0, 1e3):
            for scale in (1e-4, 30.0):
                for none in ((), (0,)):
                    ours = _params(rng, shapes, torch.float64, none, scale)
                    theirs = _twin(ours)
                    total = ref.clip_grad_norm_((p for p in ours), max_norm, norm_type)
                    want = torch.nn.utils.clip_grad_norm_(theirs, max_norm, norm_type)
                    assert isinstance(total, torch.Tensor) and total.dtype == want.dtype and total.shape == ()
                    assert abs(total.item() - want.item()) <= 1e-12 * max(1.0, want.item())
                    _same_grads(ours, theirs, 1e-12)


def test_clip_grad_norm_edge_cases_equal_torch():
    ref = _load("grad-clip", "reference")
    rng = np.random.default_rng(99)
    for dtype in (torch.float64, torch.float32):
        tol = 1e-12 if dtype == torch.float64 else 1e-6
        # a single tensor as params
        ours = _params(rng, [(4, 5)], dtype)
        theirs = _twin(ours)
        t = ref.clip_grad_norm_(ours[0], 0.5)
        w = torch.nn.utils.clip_grad_norm_(theirs[0], 0.5)
        assert t.dtype == w.dtype and abs(t.item() - w.item()) <= tol * w.item()
        _same_grads(ours, theirs, tol)
        # no gradient at all
        ours = _params(rng, [(2, 2), (3,)], dtype, none=(0, 1))
        t, w = ref.clip_grad_norm_(ours, 1.0), torch.nn.utils.clip_grad_norm_(_twin(ours), 1.0)
        assert t.dtype == w.dtype and t.item() == w.item() == 0.0
        # all-zero gradients: the 1e-6 keeps the scale finite
        ours = _params(rng, [(3,)], dtype, scale=0.0)
        theirs = _twin(ours)
        assert ref.clip_grad_norm_(ours, 1.0).item() == torch.nn.utils.clip_grad_norm_(theirs, 1.0).item() == 0.0
        _same_grads(ours, theirs, 0.0)
        # non-finite gradients, without and with error_if_nonfinite
        for special in (math.inf, -math.inf, math.nan):
            for norm_type in (2.0, math.inf, 1.0):
                ours = _params(rng, [(3, 2), (4,)], dtype, special=special)
                theirs = _twin(ours)
                t = ref.clip_grad_norm_(ours, 1.0, norm_type)
                w = torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type)
                assert (math.isnan(t.item()) and math.isnan(w.item())) or t.item() == w.item()
                _same_grads(ours, theirs, tol)
                ours = _params(rng, [(3, 2), (4,)], dtype, special=special)
                theirs = _twin(ours)
                with pytest.raises(RuntimeError):
                    ref.clip_grad_norm_(ours, 1.0, norm_type, error_if_nonfinite=True)
                with pytest.raises(RuntimeError):
                    torch.nn.utils.clip_grad_norm_(theirs, 1.0, norm_type, error_if_nonfinite=True)
                _same_grads(ours, theirs, 0.0)  # nothing changed before the error


@pytest.mark.parametrize("seed", range(4))
def test_clip_grad_value_equals_torch(seed):
    ref = _load("grad-clip", "reference")
    rng = np.random.default_rng(100 + seed)
    for shapes in SHAPE_SETS:
        for clip in (1e-3, 0.3, 1, 5.0):
            for as_ in ("list", "generator", "tensor"):
                ours = _params(rng, shapes, torch.float64, none=(1,) if len(shapes) > 1 else ())
                theirs = _twin(ours)
                arg = ours[0] if as_ == "tensor" else (p for p in ours) if as_ == "generator" else ours
                warg = theirs[0] if as_ == "tensor" else theirs
                assert ref.clip_grad_value_(arg, clip) is None
                torch.nn.utils.clip_grad_value_(warg, clip)
                _same_grads(ours, theirs, 0.0)
