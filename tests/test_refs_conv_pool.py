"""The conv2d and maxpool2d drills' references against torch.nn.functional.conv2d and
max_pool2d in float64: forward outputs, and for max pooling the gradient through autograd and
the index of the maximum torch picks on ties (return_indices=True)."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import numpy as np
import pytest

DRILLS = Path(__file__).resolve().parents[1] / "drills"


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _pair(v):
    return tuple(v) if isinstance(v, tuple) else (v, v)


# ------------------------------------------------------------------ conv2d

CONV_SETTINGS = list(itertools.product(
    [(3, 3), (2, 3), (1, 1), (3, 1)],  # kernel
    [1, 2, (2, 1), 3],  # stride
    [0, 1, (1, 2), 2],  # padding
    [1, 2, (1, 2)],  # dilation
))


@pytest.mark.parametrize("ints", [False, True])
def test_conv2d_equals_torch(ints):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    torch.set_num_threads(1)

    ref = _reference("conv2d")
    rng = np.random.default_rng(7 if ints else 3)
    worst, count = 0.0, 0
    for (kh, kw), stride, padding, dilation in CONV_SETTINGS:
        for bias in (True, False):
            shape = (2, 3, int(rng.integers(6, 10)), int(rng.integers(6, 10)))
            if ints:
                x = rng.integers(-3, 4, size=shape).astype(np.float64)
                w = rng.integers(-2, 3, size=(4, 3, kh, kw)).astype(np.float64)
            else:
                x, w = rng.normal(size=shape), rng.normal(size=(4, 3, kh, kw))
            b = rng.normal(size=4) if bias else None
            x0, w0 = x.copy(), w.copy()
            got = ref.conv2d(x, w, b, stride=stride, padding=padding, dilation=dilation)
            want = F.conv2d(torch.tensor(x), torch.tensor(w), None if b is None else torch.tensor(b),
                            stride=stride, padding=padding, dilation=dilation).numpy()
            assert got.shape == want.shape, (kh, kw, stride, padding, dilation)
            assert got.dtype == np.float64
            np.testing.assert_array_equal(x, x0)
            np.testing.assert_array_equal(w, w0)
            worst = max(worst, float(np.abs(got - want).max()))
            count += 1
    assert count == 2 * len(CONV_SETTINGS)
    assert worst <= 1e-12


def test_conv2d_keeps_float32_and_is_a_cross_correlation():
    ref = _reference("conv2d")
    x = np.arange(16, dtype=np.float32).reshape(1, 1, 4, 4)
    w = np.array([[[[1.0, 0.0], [0.0, 0.0]]]], dtype=np.float32)  # picks each window's top-left pixel
    out = ref.conv2d(x, w, np.array([0.5], dtype=np.float32))
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[0, 0], x[0, 0, :3, :3] + 0.5)


# ------------------------------------------------------------------ maxpool2d

POOL_SETTINGS = [
    (k, s, p) for k, s, p in itertools.product([2, 3, (2, 3), (3, 2), 1], [None, 1, 2, (1, 2), (2, 1)],
                                               [0, 1, (1, 0), (0, 1)])
    if all(pp <= kk // 2 for pp, kk in zip(_pair(p), _pair(k), strict=True))
]


@pytest.mark.parametrize("values", ["normal", "ints", "negative", "constant"])
def test_maxpool2d_equals_torch_forward_backward_and_indices(values):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    torch.set_num_threads(1)

    ref = _reference("maxpool2d")
    rng = np.random.default_rng({"normal": 1, "ints": 2, "negative": 3, "constant": 4}[values])
    count = 0
    for kernel, stride, padding in POOL_SETTINGS:
        shape = (2, 3, int(rng.integers(5, 9)), int(rng.integers(5, 9)))
        if values == "ints":
            x = rng.integers(-2, 3, size=shape).astype(np.float64)
        elif values == "negative":
            x = -rng.integers(1, 4, size=shape).astype(np.float64)
        elif values == "constant":
            x = np.full(shape, -1.25)
        else:
            x = rng.normal(size=shape)
        x0 = x.copy()
        out, cache = ref.maxpool2d_forward(x, kernel, stride, padding)
        t = torch.tensor(x, requires_grad=True)
        o, idx = F.max_pool2d(t, kernel, stride, padding, return_indices=True)
        dout = rng.normal(size=tuple(o.shape))
        o.backward(torch.tensor(dout))
        dout0 = dout.copy()
        dx = ref.maxpool2d_backward(dout, cache)
        setting = (values, kernel, stride, padding)
        assert out.shape == tuple(o.shape), setting
        assert np.abs(out - o.detach().numpy()).max() <= 1e-12, setting
        assert np.abs(dx - t.grad.numpy()).max() <= 1e-12, setting
        np.testing.assert_array_equal(x, x0)
        np.testing.assert_array_equal(dout, dout0)
        # the input each output took its maximum from: the same one torch picks (ties: the first)
        kw = cache["kernel"][1]
        (sh, sw), (ph, pw) = cache["stride"], cache["padding"]
        ai, aj = np.divmod(cache["arg"], kw)
        rows = ai + sh * np.arange(out.shape[2])[:, None] - ph
        cols = aj + sw * np.arange(out.shape[3])[None, :] - pw
        np.testing.assert_array_equal(rows * shape[3] + cols, idx.numpy(), err_msg=str(setting))
        count += 1
    assert count == len(POOL_SETTINGS) > 50


def test_maxpool2d_ties_go_to_the_first_maximum_by_hand():
    ref = _reference("maxpool2d")
    x = np.array([[[[1.0, 2.0, 2.0], [2.0, 0.0, 1.0], [-1.0, 2.0, 2.0]]]], dtype=np.float32)
    out, cache = ref.maxpool2d_forward(x, 2, stride=1)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out[0, 0], [[2.0, 2.0], [2.0, 2.0]])
    dx = ref.maxpool2d_backward(np.array([[[[1.0, 10.0], [100.0, 1000.0]]]], dtype=np.float32), cache)
    assert dx.dtype == np.float32
    # windows: (0,0) -> first 2 at (0,1); (0,1) -> (0,1); (1,0) -> (1,0); (1,1) -> (2,1)
    np.testing.assert_array_equal(dx[0, 0], [[0.0, 11.0, 0.0], [100.0, 0.0, 0.0], [0.0, 1000.0, 0.0]])


def test_maxpool2d_padding_never_wins():
    ref = _reference("maxpool2d")
    x = -np.ones((1, 1, 2, 2))
    out, cache = ref.maxpool2d_forward(x, 2, stride=2, padding=1)
    np.testing.assert_array_equal(out[0, 0], -np.ones((2, 2)))
    dx = ref.maxpool2d_backward(np.ones((1, 1, 2, 2)), cache)
    np.testing.assert_array_equal(dx[0, 0], np.ones((2, 2)))
