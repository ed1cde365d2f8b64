"""The numpy drills of the `modern` deck (issue #16): their references against independent
computations. sinusoidal-pe: a direct loop over the paper's formula. (More drills below.)"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

DRILLS = Path(__file__).resolve().parents[1] / "drills"


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_modern_{drill_id.replace('-', '_')}",
                                                  DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(got, want, tol=1e-12):
    got, want = np.asarray(got, dtype=np.float64), np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    ok = np.isnan(want) | (np.abs(got - want) <= tol * (1 + np.abs(want)))
    assert ok.all(), float(np.nanmax(np.abs(got - want)))


# ------------------------------------------------------------------ sinusoidal-pe

def _pe_loop(length, d_model, base):
    """Vaswani et al. 2017, 3.5, one element at a time; odd d_model: the table of d_model + 1
    without its last column (the drill's stated convention)."""
    d = d_model + d_model % 2
    out = np.zeros((length, d_model))
    for pos in range(length):
        for i in range(d // 2):
            angle = pos / base ** (2 * i / d)
            out[pos, 2 * i] = math.sin(angle)
            if 2 * i + 1 < d_model:
                out[pos, 2 * i + 1] = math.cos(angle)
    return out


@pytest.mark.parametrize("length,d_model,base", [(16, 8, 10000.0), (50, 32, 10000.0), (7, 7, 10000.0),
                                                 (6, 1, 10000.0), (3, 2, 10000.0), (1, 8, 10000.0),
                                                 (300, 16, 10000.0), (30, 12, 2000.0), (20, 9, 10.0),
                                                 (64, 16, 500000.0), (0, 4, 10000.0)])
def test_sinusoidal_pe_equals_formula(length, d_model, base):
    ref = _reference("sinusoidal-pe")
    got = ref.sinusoidal_positions(length, d_model, base=base)
    assert got.dtype == np.float64 and got.shape == (length, d_model)
    _close(got, _pe_loop(length, d_model, base))


def test_sinusoidal_pe_known_values():
    ref = _reference("sinusoidal-pe")
    pe = ref.sinusoidal_positions(4, 4)
    assert np.array_equal(pe[0], [0.0, 1.0, 0.0, 1.0])  # position 0: sin 0, cos 0
    _close(pe[1], [math.sin(1), math.cos(1), math.sin(0.01), math.cos(0.01)])  # 10000^(2/4) = 100
    odd = ref.sinusoidal_positions(3, 3)
    _close(odd, ref.sinusoidal_positions(3, 4)[:, :3])


# ------------------------------------------------------------------ sampling (hand-computed)

def test_sampling_top_k_hand_computed():
    ref = _reference("sampling")
    inf = np.inf
    logits = np.array([1.0, 3.0, 2.0, 3.0, 0.0, 2.0, 2.0, -1.0])
    # descending, ties by the lower index: 1, 3, 2, 5, 6, 0, 4, 7 -> k = 4 keeps 1, 3, 2, 5
    assert np.array_equal(ref.top_k_filter(logits, 4), [-inf, 3.0, 2.0, 3.0, -inf, 2.0, -inf, -inf])
    assert np.array_equal(ref.top_k_filter(logits, 1), [-inf, 3.0, -inf, -inf, -inf, -inf, -inf, -inf])
    assert np.array_equal(ref.top_k_filter(logits, 8), logits)
    f32 = ref.top_k_filter(logits.astype(np.float32), 2)
    assert f32.dtype == np.float32 and np.isfinite(f32).sum() == 2


def test_sampling_top_p_hand_computed():
    ref = _reference("sampling")
    inf = np.inf
    logits = np.log(np.array([0.1, 0.4, 0.2, 0.3]))  # sorted: 0.4 (1), 0.3 (3), 0.2 (2), 0.1 (0)
    # cum = 0.4, 0.7, 0.9, 1.0: p = 0.5 reaches at the 2nd token (kept), p = 0.35 at the 1st
    assert np.array_equal(np.isfinite(ref.top_p_filter(logits, 0.5)), [False, True, False, True])
    assert np.array_equal(np.isfinite(ref.top_p_filter(logits, 0.35)), [False, True, False, False])
    assert np.array_equal(np.isfinite(ref.top_p_filter(logits, 0.8)), [False, True, True, True])
    assert np.isfinite(ref.top_p_filter(logits, 1.0)).sum() >= 3
    ties = np.array([2.0, 1.0, 2.0, 0.0, 1.0])  # sorted: 0, 2, 1, 4, 3
    e = np.exp(ties - 2.0)
    probs = e / e.sum()
    p = probs[0] + probs[2] + probs[1] / 2  # reached by the 3rd sorted token, index 1 (not 4)
    out = ref.top_p_filter(ties, p)
    assert np.array_equal(out, [2.0, 1.0, 2.0, -inf, -inf])


def test_sampling_sample_hand_computed():
    ref = _reference("sampling")
    flat = np.zeros(4)  # probabilities 0.25 each, cdf 0.25, 0.5, 0.75, 1
    assert [ref.sample(flat, u) for u in (0.0, 0.2, 0.25, 0.5, 0.74, 0.75, 0.99)] == [0, 0, 1, 2, 2, 3, 3]
    logits = np.log(np.array([0.1, 0.4, 0.2, 0.3]))
    assert [ref.sample(logits, u) for u in (0.05, 0.11, 0.45, 0.69, 0.71, 0.999)] == [0, 1, 1, 2, 3, 3]
    # temperature 0.5: probabilities proportional to p^2 = 0.01, 0.16, 0.04, 0.09 (sum 0.3)
    cdf = np.cumsum(np.array([0.01, 0.16, 0.04, 0.09]) / 0.3)
    for u in (0.02, 0.5, 0.6, 0.75, 0.9):
        assert ref.sample(logits, u, temperature=0.5) == int(np.searchsorted(cdf, u, side="right"))
    # top-k 2 keeps tokens 1 and 3 (0.4 / 0.7, 0.3 / 0.7): u = 0 never draws the filtered token 0
    assert ref.sample(logits, 0.0, top_k=2) == 1
    assert ref.sample(logits, 0.5, top_k=2) == 1 and ref.sample(logits, 0.6, top_k=2) == 3
    # top-p 0.5 keeps 1 and 3 as well; top-k 3 then top-p 0.6 of (0.4, 0.3, 0.2) / 0.9 keeps 1, 3
    assert ref.sample(logits, 0.58, top_p=0.5) == 3
    assert ref.sample(logits, 0.0, top_k=3, top_p=0.6) == 1
    assert ref.sample(logits, 0.99, top_k=3, top_p=0.6) == 3
    # greedy: the lowest index among tied maxima, whatever u
    assert ref.sample(np.array([0.5, 2.0, -1.0, 2.0]), 0.99, temperature=0.0) == 1
    big = np.array([1000.0, 1001.0, 999.0])
    assert ref.sample(big, 0.5) == 1 and np.isfinite(ref.top_p_filter(big, 0.9)).sum() == 2


# ------------------------------------------------------------------ iou-nms
# Against torchvision.ops.box_iou / nms when torchvision is importable (it is not in this venv
# today: torch only), always against a brute-force computation by the definition.

def _iou_brute(p, q):
    iw = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
    ih = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
    inter = iw * ih
    union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter
    return inter / union if union > 0 else 0.0


def _nms_brute(boxes, scores, t):
    ranked = sorted(range(len(scores)), key=lambda i: (-scores[i], i))
    keep = []
    for i in ranked:
        if all(_iou_brute(boxes[j], boxes[i]) <= t for j in keep):
            keep.append(i)
    return keep


def _boxes(rng, n, integer):
    if integer:
        xy = rng.integers(0, 30, size=(n, 2)).astype(np.float64)
        wh = rng.integers(0, 12, size=(n, 2)).astype(np.float64)  # zero-area boxes included
    else:
        xy = rng.uniform(0, 10, size=(n, 2))
        wh = rng.uniform(0, 5, size=(n, 2))
    return np.concatenate([xy, xy + wh], axis=1)


@pytest.mark.parametrize("seed", range(8))
def test_box_iou_equals_brute_force(seed):
    ref = _reference("iou-nms")
    rng = np.random.default_rng(seed)
    a, b = _boxes(rng, 7, seed % 2 == 0), _boxes(rng, 5, seed % 2 == 0)
    want = np.array([[_iou_brute(p, q) for q in b] for p in a])
    _close(ref.box_iou(a, b), want)
    assert ref.box_iou(a.astype(np.float32), b.astype(np.float32)).dtype == np.float32
    lines = np.array([[1.0, 1.0, 1.0, 4.0], [2.0, 2.0, 2.0, 2.0]])
    assert np.array_equal(ref.box_iou(lines, lines), np.zeros((2, 2)))  # union 0: 0, not NaN


@pytest.mark.parametrize("seed", range(12))
def test_nms_equals_brute_force(seed):
    ref = _reference("iou-nms")
    rng = np.random.default_rng(100 + seed)
    boxes = _boxes(rng, 15, True)
    scores = rng.choice([0.2, 0.4, 0.6, 0.8], size=15) if seed % 3 == 0 else rng.random(15)
    for t in (0.0, 0.25, 0.3, 0.5, 0.7, 1.0):
        got = ref.nms(boxes, scores, t)
        assert got.dtype == np.int64
        assert got.tolist() == _nms_brute(boxes, scores, t)


def test_nms_hand_computed():
    ref = _reference("iou-nms")
    half = np.array([[0, 0, 10, 10], [0, 0, 10, 5]], dtype=np.float64)  # IoU exactly 0.5
    assert ref.nms(half, np.array([0.9, 0.8]), 0.5).tolist() == [0, 1]  # equal does not suppress
    assert ref.nms(half, np.array([0.9, 0.8]), 0.49).tolist() == [0]
    chain = np.array([[0, 0, 10, 10], [4, 0, 14, 10], [8, 0, 18, 10]], dtype=np.float64)
    assert ref.nms(chain, np.array([0.9, 0.8, 0.7]), 0.4).tolist() == [0, 2]  # B is gone: C stays
    assert ref.nms(chain, np.array([0.5, 0.5, 0.5]), 0.4).tolist() == [0, 2]
    assert ref.nms(chain, np.array([0.1, 0.9, 0.5]), 0.4).tolist() == [1]
    assert ref.nms(np.zeros((0, 4)), np.zeros(0), 0.5).tolist() == []


def test_iou_nms_equal_torchvision():
    tv = pytest.importorskip("torchvision")
    import torch

    ref = _reference("iou-nms")
    for seed in range(5):
        rng = np.random.default_rng(200 + seed)
        boxes = _boxes(rng, 30, seed % 2 == 0)
        boxes[:, 2:] += 1  # torchvision gives NaN where the union is 0; keep every box non-empty
        scores = rng.random(30)
        t = torch.from_numpy(boxes)
        _close(ref.box_iou(boxes, boxes[:9]), tv.ops.box_iou(t, t[:9]).numpy())
        for thr in (0.3, 0.5, 0.7):
            want = tv.ops.nms(t, torch.from_numpy(scores), thr).numpy()
            assert ref.nms(boxes, scores, thr).tolist() == want.tolist()


# ------------------------------------------------------------------ label-smoothing-ce (torch)

def test_label_smoothing_ce_equals_torch():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    ref = _reference("label-smoothing-ce")
    rng = np.random.default_rng(16)
    checked = 0
    for trial in range(300):
        n, c = int(rng.integers(1, 10)), int(rng.integers(2, 8))
        z = rng.normal(size=(n, c)) * float(rng.choice([1.0, 4.0])) + float(rng.choice([0.0, 1000.0]))
        ignore = int(rng.choice([-100, 0, 1]))
        targets = rng.integers(0, c, size=n)
        targets[rng.random(n) < 0.3] = ignore
        if trial % 25 == 0:
            targets[:] = ignore  # every row ignored: torch gives a NaN loss and a zero gradient
        eps = float(rng.choice([0.0, 0.1, 0.25, 0.6, 1.0]))
        zt = torch.tensor(z, requires_grad=True)
        loss = F.cross_entropy(zt, torch.tensor(targets), label_smoothing=eps, ignore_index=ignore)
        loss.backward()
        got = ref.cross_entropy(z, targets, label_smoothing=eps, ignore_index=ignore)
        grad = ref.cross_entropy_grad(z, targets, label_smoothing=eps, ignore_index=ignore)
        if bool((targets == ignore).all()):
            assert np.isnan(loss.item()) and np.isnan(got)
            assert np.array_equal(zt.grad.numpy(), np.zeros((n, c))) and np.array_equal(grad, zt.grad.numpy())
            continue
        _close(got, loss.item())
        _close(grad, zt.grad.numpy())
        checked += 1
    assert checked > 250
    z32 = rng.normal(size=(4, 3)).astype(np.float32)
    t = np.array([0, -100, 2, 1])
    assert np.asarray(ref.cross_entropy(z32, t, 0.1)).dtype == np.float32
    assert ref.cross_entropy_grad(z32, t, 0.1).dtype == np.float32


# ------------------------------------------------------------------ ddpm-noise (formulas, by hand)

def _betas_for_alpha_bar(T, alpha_bar, max_beta):
    """improved-diffusion's gaussian_diffusion.betas_for_alpha_bar, verbatim in spirit."""
    betas = []
    for i in range(T):
        t1, t2 = i / T, (i + 1) / T
        betas.append(min(1 - alpha_bar(t2) / alpha_bar(t1), max_beta))
    return np.array(betas)


@pytest.mark.parametrize("T,s,max_beta", [(1000, 0.008, 0.999), (50, 0.008, 0.999), (20, 0.008, 0.5),
                                          (100, 0.1, 0.999), (1, 0.008, 0.999)])
def test_ddpm_cosine_betas_equal_improved_diffusion(T, s, max_beta):
    ref = _reference("ddpm-noise")
    want = _betas_for_alpha_bar(T, lambda u: math.cos((u + s) / (1 + s) * math.pi / 2) ** 2, max_beta)
    got = ref.cosine_betas(T, s=s, max_beta=max_beta)
    assert got.dtype == np.float64 and got.shape == (T,)
    _close(got, want)
    assert got.max() <= max_beta


def test_ddpm_linear_betas_and_hand_values():
    ref = _reference("ddpm-noise")
    b = ref.linear_betas(1000)
    assert b.dtype == np.float64 and b.shape == (1000,) and b[0] == 1e-4 and b[-1] == 0.02
    _close(ref.linear_betas(5, 0.1, 0.5), [0.1, 0.2, 0.3, 0.4, 0.5])
    assert ref.linear_betas(1).tolist() == [1e-4]
    c = ref.cosine_betas(1000)
    assert c[-1] == 0.999  # alpha_bar(T) = cos(pi/2)^2 ~ 0: clipped
    # beta_0 = 1 - cos^2((1/1000 + 0.008)/1.008 * pi/2) / cos^2(0.008/1.008 * pi/2)
    _close(c[0], 1 - (math.cos((0.001 + 0.008) / 1.008 * math.pi / 2) / math.cos(0.008 / 1.008 * math.pi / 2)) ** 2)


def test_ddpm_q_sample_by_hand():
    ref = _reference("ddpm-noise")
    ac = np.array([0.9, 0.5, 0.25, 0.01])
    x0 = np.array([[1.0, -2.0], [0.5, 3.0], [2.0, 2.0]])
    noise = np.array([[0.5, 1.0], [-1.0, 0.0], [1.0, -1.0]])
    _close(ref.q_sample(x0, 2, noise, ac), 0.5 * x0 + math.sqrt(0.75) * noise)
    t = np.array([0, 3, 1])
    want = np.stack([math.sqrt(ac[k]) * x0[i] + math.sqrt(1 - ac[k]) * noise[i] for i, k in enumerate(t)])
    _close(ref.q_sample(x0, t, noise, ac), want)
    img = np.ones((3, 2, 2, 2), dtype=np.float32)
    out = ref.q_sample(img, t, np.zeros_like(img), ac)
    assert out.dtype == np.float32
    _close(out[:, 0, 0, 0], np.sqrt(ac[t]), tol=1e-6)


def test_ddpm_posterior_by_hand():
    ref = _reference("ddpm-noise")
    betas = np.array([0.1, 0.2, 0.5])
    # alphas 0.9, 0.8, 0.5; alpha_bar 0.9, 0.72, 0.36
    x0, xt = np.array([1.0, -1.0]), np.array([2.0, 0.5])
    mean, var = ref.posterior_mean_variance(x0, xt, 0, betas)
    _close(mean, x0)
    assert var == 0.0
    mean, var = ref.posterior_mean_variance(x0, xt, 2, betas)
    _close(var, 0.5 * (1 - 0.72) / (1 - 0.36))
    _close(mean, math.sqrt(0.72) * 0.5 / 0.64 * x0 + math.sqrt(0.5) * 0.28 / 0.64 * xt)
    mean, var = ref.posterior_mean_variance(x0, xt, 1, betas)
    _close(var, 0.2 * 0.1 / 0.28)
    _close(mean, math.sqrt(0.9) * 0.2 / 0.28 * x0 + math.sqrt(0.8) * 0.1 / 0.28 * xt)
    m32, v32 = ref.posterior_mean_variance(x0.astype(np.float32), xt.astype(np.float32), 1, betas)
    assert m32.dtype == np.float32 and np.asarray(v32).dtype == np.float32
    # the posterior is the Gaussian product: its mean and variance reproduce q(x_t | x_{t-1}) q(x_{t-1} | x_0)
    ab = np.cumprod(1 - betas)
    for t in (1, 2):
        prior_var, lik_var = 1 - ab[t - 1], betas[t]
        a = math.sqrt(1 - betas[t])
        post_var = 1 / (1 / prior_var + a * a / lik_var)
        post_mean = post_var * (math.sqrt(ab[t - 1]) * x0 / prior_var + a * xt / lik_var)
        mean, var = ref.posterior_mean_variance(x0, xt, t, betas)
        _close(var, post_var)
        _close(mean, post_mean)


# ------------------------------------------------------------------ mlp-backprop (torch autograd)

def test_mlp_backprop_equals_torch_autograd():
    torch = pytest.importorskip("torch")
    import torch.nn.functional as F

    ref = _reference("mlp-backprop")
    rng = np.random.default_rng(61)
    for trial in range(60):
        n, d, h, c = (int(v) for v in rng.integers(1, 9, size=4))
        c = max(c, 2)
        params = {"W1": rng.normal(size=(d, h)), "b1": rng.normal(size=h) * 0.3,
                  "W2": rng.normal(size=(h, c)) * (300.0 if trial % 10 == 0 else 1.0), "b2": rng.normal(size=c)}
        x = rng.normal(size=(n, d))
        if trial % 3 == 0:  # pre-activations exactly 0: torch's ReLU passes no gradient there
            params["W1"][:, 0] = 0.0
            params["b1"][0] = 0.0
            x[0] = 0.0
            params["b1"][-1] = 0.0
        if trial % 10 == 0:
            params["b2"] += 1000.0
        y = rng.integers(0, c, size=n)
        tp = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
        scores = torch.relu(torch.tensor(x) @ tp["W1"] + tp["b1"]) @ tp["W2"] + tp["b2"]
        loss = F.cross_entropy(scores, torch.tensor(y))
        loss.backward()
        snapshot = {k: v.copy() for k, v in params.items()}
        got, cache = ref.forward(params, x, y)
        grads = ref.backward(cache)
        _close(got, loss.item())
        assert set(grads) == {"W1", "b1", "W2", "b2"}
        for k in params:
            assert grads[k].shape == params[k].shape
            _close(grads[k], tp[k].grad.numpy())
            assert np.array_equal(params[k], snapshot[k])
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    loss32, cache32 = ref.forward(p32, x.astype(np.float32), y)
    assert np.asarray(loss32).dtype == np.float32
    assert all(g.dtype == np.float32 for g in ref.backward(cache32).values())
