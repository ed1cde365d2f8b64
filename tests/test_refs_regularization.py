"""The regularisation drills' references (l1-l2-penalty, early-stopping, mixup, cutout,
dropout-vanilla): against torch autograd in float64 where torch has the same thing, otherwise
hand-computed values."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

DRILLS = Path(__file__).resolve().parents[1] / "drills"


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ l1-l2-penalty

def _weights(seed, shape, zeros):
    rng = np.random.default_rng(seed)
    w = rng.normal(0.0, 1.5, size=shape)
    flat = w.reshape(-1)
    flat[rng.choice(flat.size, size=zeros, replace=False)] = 0.0
    return w


@pytest.mark.parametrize("seed", range(6))
def test_penalties_equal_torch_autograd(seed):
    torch = pytest.importorskip("torch")
    ref = _reference("l1-l2-penalty")
    shape = [(9,), (4, 5), (2, 3, 4)][seed % 3]
    w = _weights(seed, shape, zeros=3)
    for lam in (0.0, 1e-3, 0.1, 2.5):
        for name, fn, torch_r in (
            ("l1", lambda w, lam: ref.l1_penalty(w, lam), lambda t, lam: lam * t.abs().sum()),
            ("l2", lambda w, lam: ref.l2_penalty(w, lam), lambda t, lam: lam * (t * t).sum()),
        ):
            t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
            r = torch_r(t, lam)
            r.backward()
            value, grad = fn(w, lam)
            assert abs(float(value) - r.item()) <= 1e-12 * max(1.0, abs(r.item())), name
            np.testing.assert_allclose(grad, t.grad.numpy(), rtol=0, atol=1e-12, err_msg=name)
        for l1_ratio in (0.0, 0.3, 0.5, 1.0):
            t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
            r = l1_ratio * lam * t.abs().sum() + (1 - l1_ratio) * lam * (t * t).sum()
            r.backward()
            value, grad = ref.elastic_net(w, lam, l1_ratio)
            assert abs(float(value) - r.item()) <= 1e-12 * max(1.0, abs(r.item()))
            np.testing.assert_allclose(grad, t.grad.numpy(), rtol=0, atol=1e-12)


def test_penalties_by_hand():
    ref = _reference("l1-l2-penalty")
    w = np.array([1.0, -2.0, 0.0, 0.5])
    value, grad = ref.l1_penalty(w, 0.1)
    assert value == pytest.approx(0.35)
    assert grad.tolist() == pytest.approx([0.1, -0.1, 0.0, 0.1])
    value, grad = ref.l2_penalty(w, 0.1)
    assert value == pytest.approx(0.1 * 5.25)  # not 0.5 * 0.1 * 5.25 (the lam/2 convention)
    assert grad.tolist() == pytest.approx([0.2, -0.4, 0.0, 0.1])
    value, grad = ref.elastic_net(w, 0.1, 0.3)
    assert value == pytest.approx(0.3 * 0.35 + 0.7 * 0.525)  # no sklearn 1/2 on the L2 part
    assert grad.tolist() == pytest.approx([0.03 + 0.14, -0.03 - 0.28, 0.0, 0.03 + 0.07])


def test_penalties_keep_float32():
    ref = _reference("l1-l2-penalty")
    w = np.array([1.0, -2.0, 0.0], dtype=np.float32)
    for value, grad in (ref.l1_penalty(w, 0.1), ref.l2_penalty(w, 0.1), ref.elastic_net(w, 0.1, 0.4)):
        assert np.asarray(value).dtype == np.float32 and grad.dtype == np.float32


# ------------------------------------------------------------------ early-stopping

def _drive(ref, metrics, **params):
    stopper = ref.EarlyStopping(**params)
    out = []
    for m in metrics:
        out.append((stopper.step(m), stopper.best, stopper.best_epoch))
    return out


def test_early_stopping_by_hand():
    ref = _reference("early-stopping")
    # ties are not improvements; stop on the patience-th consecutive call without one
    got = _drive(ref, [1.0, 0.75, 0.75, 0.75, 0.5], patience=2)
    assert got == [(False, 1.0, 0), (False, 0.75, 1), (False, 0.75, 1), (True, 0.75, 1), (False, 0.5, 4)]
    # min_delta: a gain of exactly min_delta is not an improvement, a larger one is
    got = _drive(ref, [1.0, 0.75, 0.7, 0.5, 0.4], patience=3, min_delta=0.25)
    assert [(b, e) for _, b, e in got] == [(1.0, 0), (1.0, 0), (0.7, 2), (0.7, 2), (0.4, 4)]
    assert [s for s, _, _ in got] == [False, False, False, False, False]
    # mode max, negative metrics; the count restarts after an improvement
    got = _drive(ref, [-3.0, -3.0, -2.0, -2.5, -2.5, -2.5], patience=3, mode="max")
    assert got == [(False, -3.0, 0), (False, -3.0, 0), (False, -2.0, 2), (False, -2.0, 2),
                   (False, -2.0, 2), (True, -2.0, 2)]
    # NaN never improves
    got = _drive(ref, [1.0, float("nan"), 0.5], patience=1)
    assert got == [(False, 1.0, 0), (True, 1.0, 0), (False, 0.5, 2)]


def test_early_stopping_matches_keras_rule():
    """Keras' EarlyStopping rule, written independently: wait += 1 each call; an improvement
    (sign * (m - best) < -min_delta, sign = -1 in mode max) resets it to 0; stop when
    wait >= patience."""
    ref = _reference("early-stopping")
    rng = np.random.default_rng(0)
    for trial in range(30):
        metrics = (np.round(rng.normal(0, 1, size=40).cumsum() * 8) / 8).tolist()
        patience, min_delta = int(rng.integers(1, 6)), float(rng.choice([0.0, 0.125, 0.25]))
        mode = "min" if trial % 2 else "max"
        sign = 1.0 if mode == "min" else -1.0
        best, wait, expected = None, 0, []
        for m in metrics:
            wait += 1
            if best is None or sign * (m - best) < -min_delta:
                best, wait = m, 0
                expected.append(False)
                continue
            expected.append(wait >= patience)
        got = _drive(ref, metrics, patience=patience, min_delta=min_delta, mode=mode)
        assert [s for s, _, _ in got] == expected


# ------------------------------------------------------------------ mixup

def test_mixup_by_hand():
    ref = _reference("mixup")
    x = np.array([[1.0, 0.0], [0.0, 2.0], [4.0, 4.0]], dtype=np.float32)
    y = np.eye(3, dtype=np.float32)
    perm = np.array([1, 2, 0])  # not its own inverse: the partner of 0 is 1, not 2
    xm, ym = ref.mixup(x, y, 0.75, perm)
    np.testing.assert_allclose(xm, [[0.75, 0.5], [1.0, 2.5], [3.25, 3.0]])
    np.testing.assert_allclose(ym, [[0.75, 0.25, 0.0], [0.0, 0.75, 0.25], [0.25, 0.0, 0.75]])
    assert xm.dtype == np.float32 and ym.dtype == np.float32
    xm, ym = ref.mixup(x, y, 1.0, perm)
    assert np.array_equal(xm, x) and np.array_equal(ym, y)


def test_sample_lam_draws_one_beta():
    ref = _reference("mixup")
    rng, expected = np.random.default_rng(5), np.random.default_rng(5)
    for alpha in (0.2, 1.0, 2.0):
        assert ref.sample_lam(alpha, rng) == expected.beta(alpha, alpha)
    assert ref.sample_lam(0.0, rng) == 1.0
    assert rng.random() == expected.random()  # alpha = 0 drew nothing


# ------------------------------------------------------------------ cutout

def test_cutout_by_hand():
    ref = _reference("cutout")
    img = np.ones((2, 5, 6), dtype=np.float32)
    out = ref.cutout(img, 2, 3, 3)  # rows 1..3, columns 2..4
    zero = np.zeros((5, 6), dtype=bool)
    zero[1:4, 2:5] = True
    assert out.dtype == np.float32 and np.array_equal(img, np.ones_like(img))
    assert np.array_equal(out == 0, np.broadcast_to(zero, out.shape))
    out = ref.cutout(img, 0, 0, 4)  # rows -2..1 and columns -2..1, clipped to 0..1
    zero = np.zeros((5, 6), dtype=bool)
    zero[0:2, 0:2] = True
    assert np.array_equal(out == 0, np.broadcast_to(zero, out.shape))
    out = ref.cutout(img, 4, 5, 2)  # even size: rows 3..4, columns 4..5
    zero = np.zeros((5, 6), dtype=bool)
    zero[3:5, 4:6] = True
    assert np.array_equal(out == 0, np.broadcast_to(zero, out.shape))
    batch = np.ones((3, 2, 5, 6))
    out = ref.cutout(batch, 2, 3, 100)
    assert not out.any() and batch.all()


# ------------------------------------------------------------------ dropout-vanilla

@pytest.mark.parametrize("p", [0.0, 0.2, 0.5, 0.9])
def test_inverted_equivalent_equals_torch_dropout(p):
    """torch's nn.Dropout (inverted dropout) in float64: its keep-mask read off its own output on
    a tensor of ones, then the reference given that mask; eval is the identity."""
    torch = pytest.importorskip("torch")
    ref = _reference("dropout-vanilla")
    x = np.random.default_rng(3).normal(size=(7, 9))
    drop = torch.nn.Dropout(p)
    torch.manual_seed(0)
    mask = (drop(torch.ones(7, 9, dtype=torch.float64)) != 0).numpy()
    torch.manual_seed(0)
    expected = drop(torch.tensor(x, dtype=torch.float64)).numpy()
    np.testing.assert_allclose(ref.inverted_equivalent(x, p, mask), expected, rtol=0, atol=1e-12)
    drop.eval()
    np.testing.assert_array_equal(ref.inverted_equivalent(x, p, mask, train=False),
                                  drop(torch.tensor(x, dtype=torch.float64)).numpy())


def test_vanilla_dropout_by_hand():
    ref = _reference("dropout-vanilla")
    x = np.array([1.0, -2.0, 4.0, 0.5], dtype=np.float32)
    mask = np.array([True, False, True, True])
    out = ref.vanilla_dropout(x, 0.25, mask)
    assert out.dtype == np.float32 and out.tolist() == [1.0, 0.0, 4.0, 0.5]
    assert ref.vanilla_dropout(x, 0.25, mask, train=False).tolist() == [0.75, -1.5, 3.0, 0.375]
    assert ref.inverted_equivalent(x, 0.25, mask).tolist() == pytest.approx([4 / 3, 0.0, 16 / 3, 2 / 3])
    # the two forms differ by the constant factor 1 - p in both modes
    rng = np.random.default_rng(1)
    x = rng.normal(size=50)
    mask = rng.random(50) >= 0.3
    for train in (True, False):
        np.testing.assert_allclose(ref.vanilla_dropout(x, 0.3, mask, train),
                                   0.7 * ref.inverted_equivalent(x, 0.3, mask, train), rtol=1e-15)
