"""The modern-model torch drills' references (lora, gelu-swiglu, clip-loss, triplet-loss) against
PyTorch in float64: values and autograd gradients within 1e-12 (relative), over several seeds and
settings; batch-hard triplet mining against a brute-force loop over anchors."""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import numpy as np
import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

DRILLS = Path(__file__).resolve().parents[1] / "drills"
TOL = 1e-12


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _close(got, want, tol=TOL):
    got = got.detach().double().numpy() if hasattr(got, "detach") else np.asarray(got, dtype=np.float64)
    want = want.detach().double().numpy() if hasattr(want, "detach") else np.asarray(want, dtype=np.float64)
    assert got.shape == want.shape, (got.shape, want.shape)
    err = np.abs(got - want)
    assert np.all(np.isfinite(got)), got
    assert np.all(err <= tol * (1 + np.abs(want))), float(err.max())


def _leaf(t):
    return t.detach().clone().requires_grad_(True)


# ------------------------------------------------------------------ lora

LORA_SETTINGS = [  # (in, out, r, alpha, bias, leading dims)
    (32, 24, 8, 24.0, True, (5,)), (20, 12, 4, 6.0, True, (2, 3)), (24, 10, 16, 12.0, False, (4,)),
    (9, 7, 3, 1.8, False, (3,)), (16, 16, 1, 1.0, True, (2, 2, 2)), (40, 8, 2, 64.0, True, (6,)),
]


@pytest.mark.parametrize("d_in,d_out,r,alpha,bias,lead", LORA_SETTINGS)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_lora_equals_linear_with_merged_weight(d_in, d_out, r, alpha, bias, lead, seed):
    ref = _reference("lora")
    dt = torch.float64
    torch.manual_seed(seed)
    base = torch.nn.Linear(d_in, d_out, bias=bias, dtype=dt)
    w0 = base.weight.detach().clone()
    b0 = base.bias.detach().clone() if bias else None
    torch.manual_seed(100 + seed)
    m = ref.LoRALinear(base, r, alpha)
    # A is initialised exactly as nn.Linear(in, r) initialises its weight (same generator state).
    torch.manual_seed(100 + seed)
    like_linear = torch.nn.Linear(d_in, r, bias=False, dtype=dt).weight
    _close(m.A, like_linear, 0.0)
    assert m.A.shape == (r, d_in) and m.B.shape == (d_out, r)
    assert float(m.A.detach().abs().max()) <= 1 / math.sqrt(d_in)
    assert torch.count_nonzero(m.B) == 0
    assert not base.weight.requires_grad and (not bias or not base.bias.requires_grad)
    assert {n for n, p in m.named_parameters() if p.requires_grad} == {"A", "B"}
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(*lead, d_in, generator=g, dtype=dt)
    _close(m(x), F.linear(x, w0, b0))  # B = 0: the base layer at the start
    with torch.no_grad():
        m.A.copy_(torch.randn(r, d_in, generator=g, dtype=dt))
        m.B.copy_(torch.randn(d_out, r, generator=g, dtype=dt))
    a, b = _leaf(m.A), _leaf(m.B)
    s = alpha / r
    xa, xb = _leaf(x), _leaf(x)
    y = m(xa)
    want = F.linear(xb, w0 + s * b @ a, b0)
    _close(y, want)
    gy = torch.randn(want.shape, generator=g, dtype=dt)
    (y * gy).sum().backward()
    (want * gy).sum().backward()
    _close(xa.grad, xb.grad)
    _close(m.A.grad, a.grad)
    _close(m.B.grad, b.grad)
    assert base.weight.grad is None and (not bias or base.bias.grad is None)
    merged_w = w0 + s * m.B.detach() @ m.A.detach()
    m.merge()
    m.merge()
    _close(base.weight, merged_w)
    _close(m(x), F.linear(x, merged_w, b0))
    assert not base.weight.requires_grad and base.weight.grad_fn is None
    m.unmerge()
    m.unmerge()
    _close(base.weight, w0)
    _close(m(x), F.linear(x, w0 + s * m.B.detach() @ m.A.detach(), b0))


# ------------------------------------------------------------------ gelu-swiglu

@pytest.mark.parametrize("approximate", ["none", "tanh"])
@pytest.mark.parametrize("seed,scale", [(0, 1.0), (1, 3.0), (2, 10.0), (3, 40.0)])
def test_gelu_equals_torch(approximate, seed, scale):
    ref = _reference("gelu-swiglu")
    g = torch.Generator().manual_seed(seed)
    x = torch.cat([torch.randn(6, 7, generator=g, dtype=torch.float64).flatten() * scale,
                   torch.tensor([0.0, -scale, scale, 1e-8, -1e-8], dtype=torch.float64)])
    xa, xb = _leaf(x), _leaf(x)
    y = ref.gelu(xa, approximate=approximate) if approximate == "tanh" or seed % 2 else ref.gelu(xa)
    want = F.gelu(xb, approximate=approximate)
    _close(y, want)
    gy = torch.randn(x.shape, generator=g, dtype=torch.float64)
    (y * gy).sum().backward()
    (want * gy).sum().backward()
    _close(xa.grad, xb.grad)


@pytest.mark.parametrize("seed,scale", [(0, 1.0), (1, 5.0), (2, 30.0), (3, 300.0)])
def test_silu_equals_torch(seed, scale):
    ref = _reference("gelu-swiglu")
    g = torch.Generator().manual_seed(seed)
    for dt in (torch.float64, torch.float32):
        x = (torch.randn(50, generator=g, dtype=torch.float64) * scale).to(dt)
        x[:2] = torch.tensor([scale, -scale])
        xa, xb = _leaf(x), _leaf(x)
        y, want = ref.silu(xa), F.silu(xb)
        tol = TOL if dt == torch.float64 else 1e-6
        _close(y, want, tol)
        y.sum().backward()
        want.sum().backward()
        _close(xa.grad, xb.grad, tol)


@pytest.mark.parametrize("dim,hidden,lead", [(8, 12, (2, 3)), (6, 16, (5,)), (4, 10, ()), (16, 40, (2, 2, 2))])
@pytest.mark.parametrize("seed", [0, 1])
def test_swiglu_equals_llama_ffn(dim, hidden, lead, seed):
    ref = _reference("gelu-swiglu")
    torch.manual_seed(seed)
    m = ref.SwiGLU(dim, hidden).double()
    assert {n: tuple(p.shape) for n, p in m.named_parameters()} == {
        "w1.weight": (hidden, dim), "w2.weight": (dim, hidden), "w3.weight": (hidden, dim)}
    w1, w2, w3 = (_leaf(getattr(m, n).weight) for n in ("w1", "w2", "w3"))
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(*lead, dim, generator=g, dtype=torch.float64)
    xa, xb = _leaf(x), _leaf(x)
    y = m(xa)
    want = F.linear(F.silu(F.linear(xb, w1)) * F.linear(xb, w3), w2)  # LLaMA's FeedForward
    _close(y, want)
    gy = torch.randn(want.shape, generator=g, dtype=torch.float64)
    (y * gy).sum().backward()
    (want * gy).sum().backward()
    _close(xa.grad, xb.grad)
    for name, leaf in (("w1", w1), ("w2", w2), ("w3", w3)):
        _close(getattr(m, name).weight.grad, leaf.grad)


# ------------------------------------------------------------------ clip-loss

def _open_clip_loss(image_emb, text_emb, logit_scale):
    """OpenCLIP's ClipLoss (one device): normalised features, logits per image and per text."""
    image_features = F.normalize(image_emb, dim=-1)
    text_features = F.normalize(text_emb, dim=-1)
    scale = logit_scale.exp()
    logits_per_image = scale * image_features @ text_features.T
    logits_per_text = scale * text_features @ image_features.T
    labels = torch.arange(image_emb.shape[0])
    return (F.cross_entropy(logits_per_image, labels) + F.cross_entropy(logits_per_text, labels)) / 2


@pytest.mark.parametrize("n,d", [(1, 4), (2, 3), (5, 8), (8, 16), (16, 6)])
@pytest.mark.parametrize("log_scale", [0.0, math.log(1 / 0.07), math.log(100.0), -1.0])
@pytest.mark.parametrize("seed", [0, 1])
def test_clip_loss_equals_open_clip(n, d, log_scale, seed):
    ref = _reference("clip-loss")
    g = torch.Generator().manual_seed(seed)
    image = torch.randn(n, d, generator=g, dtype=torch.float64) * torch.rand(n, 1, generator=g, dtype=torch.float64) * 5
    text = torch.randn(n, d, generator=g, dtype=torch.float64) * 3
    scale = torch.tensor(log_scale, dtype=torch.float64)
    args_a = [_leaf(t) for t in (image, text, scale)]
    args_b = [_leaf(t) for t in (image, text, scale)]
    loss, want = ref.clip_loss(*args_a), _open_clip_loss(*args_b)
    assert loss.shape == ()
    _close(loss, want)
    loss.backward()
    want.backward()
    for a, b in zip(args_a, args_b, strict=True):
        _close(a.grad, b.grad)


def test_clip_loss_hand_computed():
    ref = _reference("clip-loss")
    n, s = 4, 2.5
    eye = torch.eye(n, dtype=torch.float64)
    # orthogonal pairs: logits = e^s on the diagonal, 0 elsewhere, in both directions
    loss = ref.clip_loss(eye * 3.0, eye * 0.5, torch.tensor(math.log(s), dtype=torch.float64))
    _close(loss, -math.log(math.exp(s) / (math.exp(s) + n - 1)))
    assert float(ref.clip_loss(torch.ones(1, 3), torch.ones(1, 3), torch.tensor(1.0))) == 0.0


# ------------------------------------------------------------------ triplet-loss

@pytest.mark.parametrize("p_norm", [2, 1, 3, 1.5])
@pytest.mark.parametrize("swap", [False, True])
@pytest.mark.parametrize("eps,margin", [(1e-6, 1.0), (1e-3, 0.5), (0.0, 2.0), (1e-2, 0.1)])
@pytest.mark.parametrize("seed", [0, 1])
def test_triplet_margin_loss_equals_torch(p_norm, swap, eps, margin, seed):
    ref = _reference("triplet-loss")
    g = torch.Generator().manual_seed(seed)
    a = torch.randn(9, 5, generator=g, dtype=torch.float64)
    p = a + 0.5 * torch.randn(9, 5, generator=g, dtype=torch.float64)
    n = a + torch.randn(9, 5, generator=g, dtype=torch.float64) * torch.rand(9, 1, generator=g, dtype=torch.float64) * 2
    mine, theirs = [_leaf(t) for t in (a, p, n)], [_leaf(t) for t in (a, p, n)]
    loss = ref.triplet_margin_loss(*mine, margin=margin, p_norm=p_norm, eps=eps, swap=swap)
    want = F.triplet_margin_loss(*theirs, margin=margin, p=p_norm, eps=eps, swap=swap)
    _close(loss, want)
    loss.backward()
    want.backward()
    for x, y in zip(mine, theirs, strict=True):
        _close(x.grad, y.grad)


def test_triplet_margin_loss_defaults_equal_torch():
    ref = _reference("triplet-loss")
    g = torch.Generator().manual_seed(5)
    a, p, n = (torch.randn(6, 4, generator=g, dtype=torch.float64) for _ in range(3))
    _close(ref.triplet_margin_loss(a, p, n), torch.nn.TripletMarginLoss()(a, p, n))


def _batch_hard_loop(emb, labels, margin):
    """Brute force: per anchor, every other sample's Euclidean distance, hardest of each kind."""
    losses = []
    for i in range(len(labels)):
        pos = [torch.linalg.vector_norm(emb[i] - emb[j]) for j in range(len(labels))
               if j != i and labels[j] == labels[i]]
        neg = [torch.linalg.vector_norm(emb[i] - emb[j]) for j in range(len(labels)) if labels[j] != labels[i]]
        losses.append(torch.relu(torch.stack(pos).max() - torch.stack(neg).min() + margin))
    return torch.stack(losses).mean()


@pytest.mark.parametrize("labels", [[0, 0, 1, 1, 2, 2, 3, 3], [0, 1, 2] * 4, [1, 0, 1, 0, 1, 0],
                                    [5, 7, 7, 9, 9, 9, 5, 7, 9], [3, 3, 3, 3, 8, 8]])
@pytest.mark.parametrize("margin", [0.2, 1.0, 3.0])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_batch_hard_equals_brute_force(labels, margin, seed):
    ref = _reference("triplet-loss")
    g = torch.Generator().manual_seed(seed)
    lab = torch.tensor(labels)
    centres = torch.randn(10, 4, generator=g, dtype=torch.float64) * 1.2
    emb = centres[lab] + 0.5 * torch.randn(len(labels), 4, generator=g, dtype=torch.float64)
    mine, theirs = _leaf(emb), _leaf(emb)
    loss, want = ref.batch_hard_triplet_loss(mine, lab, margin), _batch_hard_loop(theirs, lab, margin)
    _close(loss, want)
    loss.backward()
    want.backward()
    _close(mine.grad, theirs.grad)  # finite: the clamp keeps NaN out of the unused diagonal
