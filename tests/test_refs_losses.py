"""The loss and evaluation drills' references (regression-losses, bce, prf1, standardize):
values and autograd gradients against torch.nn's L1Loss, MSELoss, HuberLoss, SmoothL1Loss and
F.binary_cross_entropy(_with_logits) in float64; precision / recall / F1 and the scalers against
hand-computed scikit-learn-style values."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")

DRILLS = Path(__file__).resolve().parents[1] / "drills"


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(got, want, tol=1e-12):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape
    assert np.all(np.abs(got - want) <= tol * (1 + np.abs(want))), np.max(np.abs(got - want))


# ------------------------------------------------------------------ regression-losses

def _regression_inputs(seed, shape, scale, ties):
    rng = np.random.default_rng(seed)
    target = rng.normal(size=shape)
    pred = target + rng.normal(size=shape) * scale
    equal = rng.random(size=shape) < ties
    pred[equal] = target[equal]
    return pred, target


def _torch_module(kind, reduction, param):
    nn = torch.nn
    if kind == "l1":
        return nn.L1Loss(reduction=reduction)
    if kind == "mse":
        return nn.MSELoss(reduction=reduction)
    if kind == "huber":
        return nn.HuberLoss(reduction=reduction, delta=param)
    return nn.SmoothL1Loss(reduction=reduction, beta=param)


@pytest.mark.parametrize("kind,params", [("l1", [None]), ("mse", [None]), ("huber", [1.0, 0.5, 2.5, 0.1, 7.0]),
                                         ("smooth_l1", [1.0, 0.5, 2.5, 0.1, 7.0, 0.0])])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_regression_losses_equal_torch(kind, params, reduction):
    ref = _reference("regression-losses")
    name = {"huber": "delta", "smooth_l1": "beta"}.get(kind)
    for param in params:
        for seed, shape, scale, ties in [(0, (37,), 2.0, 0.2), (1, (6, 5), 4.0, 0.3), (2, (2, 3, 4), 0.3, 0.1),
                                         (3, (1,), 1.0, 0.0), (4, (5,), 1.0, 1.0)]:
            pred, target = _regression_inputs(seed, shape, scale, ties)
            if param:  # |d| exactly at the threshold too
                pred[..., 0] = target[..., 0] + param
            kwargs = {"reduction": reduction, **({name: param} if name else {})}
            p = torch.tensor(pred, dtype=torch.float64, requires_grad=True)
            module = _torch_module(kind, reduction, param)
            loss = module(p, torch.tensor(target, dtype=torch.float64))
            loss.backward(torch.ones_like(loss))
            _close(getattr(ref, f"{kind}_loss")(pred, target, **kwargs), loss.detach().numpy())
            _close(getattr(ref, f"{kind}_loss_grad")(pred, target, **kwargs), p.grad.numpy())


def test_regression_losses_by_hand():
    ref = _reference("regression-losses")
    pred, target = np.array([0.0, 1.0, 4.0, -3.0]), np.array([0.0, 0.5, 1.0, 0.0])
    # d = 0, 0.5, 3, -3
    assert ref.l1_loss_grad(pred, target, "sum").tolist() == [0.0, 1.0, 1.0, -1.0]
    assert ref.huber_loss(pred, target, "none", delta=2.0).tolist() == [0.0, 0.125, 4.0, 4.0]
    assert ref.smooth_l1_loss(pred, target, "none", beta=2.0).tolist() == [0.0, 0.0625, 2.0, 2.0]
    assert ref.mse_loss(pred, target) == (0.25 + 9 + 9) / 4
    assert ref.mse_loss_grad(pred, target).tolist() == [0.0, 0.25, 1.5, -1.5]
    x32 = pred.astype(np.float32)
    for fn in (ref.l1_loss, ref.mse_loss, ref.huber_loss, ref.smooth_l1_loss, ref.l1_loss_grad, ref.mse_loss_grad,
               ref.huber_loss_grad, ref.smooth_l1_loss_grad):
        assert np.asarray(fn(x32, target.astype(np.float32))).dtype == np.float32


# ------------------------------------------------------------------ bce

def test_bce_on_probabilities_equals_torch():
    ref = _reference("bce")
    F = torch.nn.functional
    rng = np.random.default_rng(0)
    for shape in [(17,), (6, 5), (2, 3, 4)]:
        p = rng.uniform(0, 1, size=shape)
        y = rng.random(size=shape)
        y[..., 0] = np.round(y[..., 0])
        p.reshape(-1)[:6] = [0.0, 1.0, 1e-60, 1 - 1e-17, 1e-44, 0.0]
        want = F.binary_cross_entropy(torch.tensor(p), torch.tensor(y)).item()
        _close(ref.binary_cross_entropy(p, y), want)
    # by hand: p = 0, y = 1 -> 100 (the clamp); p = 0, y = 0 -> 0; p = 0.8, y = 1 -> -ln 0.8
    assert ref.binary_cross_entropy(np.array([0.0]), np.array([1.0])) == 100.0
    assert ref.binary_cross_entropy(np.array([0.0]), np.array([0.0])) == 0.0
    assert abs(ref.binary_cross_entropy(np.array([0.8]), np.array([1.0])) + np.log(0.8)) < 1e-15


@pytest.mark.parametrize("scale", [0.5, 3.0, 40.0, 800.0, 1e4])
def test_bce_with_logits_equals_torch(scale):
    ref = _reference("bce")
    F = torch.nn.functional
    rng = np.random.default_rng(int(scale))
    for shape in [(23,), (7, 4), (3, 2, 4)]:
        z = rng.normal(size=shape) * scale
        z.reshape(-1)[:2] = [scale, -scale]
        for soft in (False, True):
            y = rng.random(size=shape) if soft else (rng.random(size=shape) < 0.5).astype(np.float64)
            for pw in (None, rng.uniform(0.2, 5.0, size=shape[-1]), np.array(3.0), 0.25):
                zt = torch.tensor(z, requires_grad=True)
                pwt = None if pw is None else torch.as_tensor(pw, dtype=torch.float64)
                loss = F.binary_cross_entropy_with_logits(zt, torch.tensor(y), pos_weight=pwt)
                loss.backward()
                _close(ref.bce_with_logits(z, y, pos_weight=pw), loss.item())
                _close(ref.bce_with_logits_grad(z, y, pos_weight=pw), zt.grad.numpy())
    z32 = np.array([1e4, -1e4, 0.5], dtype=np.float32)
    y32 = np.array([0.0, 1.0, 1.0], dtype=np.float32)
    assert ref.bce_with_logits(z32, y32).dtype == np.float32
    assert ref.bce_with_logits(z32, y32, pos_weight=2.0).dtype == np.float32
    assert ref.bce_with_logits_grad(z32, y32).dtype == np.float32
    assert np.isfinite(ref.bce_with_logits(z32, y32))


# ------------------------------------------------------------------ prf1

def test_prf1_scikit_learn_docstring_example():
    """scikit-learn's precision_recall_fscore_support docstring: cat/dog/pig as 0/1/2."""
    ref = _reference("prf1")
    y_true, y_pred = np.array([0, 1, 2, 0, 1, 2]), np.array([0, 2, 1, 0, 0, 1])
    # cat: TP 2, predicted 3, support 2 -> P 2/3, R 1, F1 0.8; dog and pig: TP 0 -> 0
    assert ref.confusion_matrix(y_true, y_pred, 3).tolist() == [[2, 0, 0], [1, 0, 1], [0, 2, 0]]
    assert ref.confusion_matrix(y_true, y_pred, 3).dtype.kind == "i"
    _close(ref.precision_recall_f1(y_true, y_pred, "macro"), [2 / 9, 1 / 3, 0.8 / 3])
    _close(ref.precision_recall_f1(y_true, y_pred, "micro"), [1 / 3, 1 / 3, 1 / 3])
    _close(ref.precision_recall_f1(y_true, y_pred, "weighted"), [2 / 9, 1 / 3, 0.8 / 3])


def test_prf1_by_hand():
    ref = _reference("prf1")
    # binary: TP 2, FP 1, FN 2 -> P 2/3, R 1/2, F1 = 4/7
    y_true, y_pred = np.array([1, 1, 1, 1, 0, 0]), np.array([1, 1, 0, 0, 1, 0])
    _close(ref.precision_recall_f1(y_true, y_pred), [2 / 3, 1 / 2, 4 / 7])
    # zero_division -> 0: nothing predicted positive, and no positive at all
    assert ref.precision_recall_f1(np.array([0, 1, 1]), np.array([0, 0, 0])) == (0.0, 0.0, 0.0)
    assert ref.precision_recall_f1(np.array([0, 0, 0]), np.array([0, 1, 0])) == (0.0, 0.0, 0.0)
    # label 2 only in y_pred: it counts in macro (P = R = F1 = 0) and gets weight 0 in weighted
    y_true, y_pred = np.array([0, 0, 1, 1]), np.array([0, 2, 1, 1])
    # label 0: TP 1, pred 1, sup 2 -> P 1, R 1/2, F1 2/3; label 1: TP 2, pred 2, sup 2 -> 1, 1, 1
    _close(ref.precision_recall_f1(y_true, y_pred, "macro"), [2 / 3, 1 / 2, (2 / 3 + 1) / 3])
    _close(ref.precision_recall_f1(y_true, y_pred, "weighted"), [1.0, 3 / 4, (2 / 3 + 1) / 2])
    _close(ref.precision_recall_f1(y_true, y_pred, "micro"), [3 / 4, 3 / 4, 3 / 4])
    # gaps: labels {0, 5} only, not 0..5
    _close(ref.precision_recall_f1(np.array([0, 5, 5]), np.array([0, 5, 0]), "macro"),
           [(1 / 2 + 1) / 2, (1 + 1 / 2) / 2, (2 / 3 + 2 / 3) / 2])
    # repeated pairs all count
    assert ref.confusion_matrix(np.array([1, 1, 1, 0]), np.array([0, 0, 0, 0]), 2).tolist() == [[1, 0], [3, 0]]


# ------------------------------------------------------------------ standardize

def test_standardize_by_hand():
    """scikit-learn's MinMaxScaler / StandardScaler definitions, values computed by hand."""
    ref = _reference("standardize")
    train = np.array([[10.0, 1.0, 2.5], [60.0, 3.0, 2.5], [35.0, 5.0, 2.5]])
    test = np.array([[30.0, 7.0, 4.5]])
    stats = ref.minmax_fit(train)
    _close(ref.minmax_transform(train, stats), [[0.0, 0.0, 0.0], [1.0, 0.5, 0.0], [0.5, 1.0, 0.0]])
    # card norm-minmax-numeric: 30 in [10, 60] -> 0.4, and -0.2 in (-1, 1); the constant column
    # (range counted as 1) keeps x - min, scaled by hi - lo
    _close(ref.minmax_transform(test, stats), [[0.4, 1.5, 2.0]])
    stats = ref.minmax_fit(train, feature_range=(-1, 1))
    _close(ref.minmax_transform(test, stats), [[-0.2, 2.0, 3.0]])
    stats = ref.zscore_fit(train)
    # column 0: mean 35, population std sqrt(1250/3); column 1: mean 3, std sqrt(8/3); column 2: 0 -> 1
    s0, s1 = np.sqrt(1250 / 3), np.sqrt(8 / 3)
    _close(ref.zscore_transform(test, stats), [[-5 / s0, 4 / s1, 2.0]])
    _close(ref.zscore_transform(train, stats)[:, 2], [0.0, 0.0, 0.0])
    one = np.array([[1.5, -2.0]])
    assert ref.zscore_transform(one, ref.zscore_fit(one)).tolist() == [[0.0, 0.0]]
    assert ref.minmax_transform(one, ref.minmax_fit(one, (2, 5))).tolist() == [[2.0, 2.0]]
    x32 = train.astype(np.float32)
    assert ref.minmax_transform(x32, ref.minmax_fit(x32, (-1, 1))).dtype == np.float32
    assert ref.zscore_transform(x32, ref.zscore_fit(x32)).dtype == np.float32
