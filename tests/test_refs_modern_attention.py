"""The causal-attention-kv, rope and gqa drills' references against PyTorch in float64.

causal-attention-kv: the full pass equals the same module built on
F.scaled_dot_product_attention(is_causal=True) (outputs and gradients for x and both linears),
and decoding token by token, or chunks after a prefix, with the cache equals the full pass.
rope: equals a direct complex-number rotation in the rotate-half pairing (i, i + D/2), and a
hand-computed value. gqa: equals SDPA on repeat_interleave'd k/v (and SDPA's enable_gqa=True).
"""

from __future__ import annotations

import importlib.util
import math
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
F = torch.nn.functional

DRILLS = Path(__file__).resolve().parents[1] / "drills"
TOL = 1e-12


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}",
                                                  DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _maxdiff(a, b) -> float:
    return float((a - b).detach().abs().max())


# ------------------------------------------------------------------ causal-attention-kv

def _sdpa_causal(m, x):
    B, T, C = x.shape
    H = m.n_heads
    q, k, v = (t.view(B, T, H, C // H).transpose(1, 2) for t in m.qkv(x).split(C, dim=-1))
    y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    return m.proj(y.transpose(1, 2).reshape(B, T, C))


CAUSAL_SETTINGS = [(1, 1, 4, 1), (2, 5, 8, 2), (3, 7, 12, 3), (2, 9, 16, 4), (1, 6, 6, 6), (2, 4, 8, 1)]


@pytest.mark.parametrize(("B", "T", "C", "H"), CAUSAL_SETTINGS)
def test_causal_full_pass_equals_sdpa_with_gradients(B, T, C, H):
    ref = _reference("causal-attention-kv")
    torch.manual_seed(B * 100 + T * 10 + H)
    m = ref.CausalSelfAttention(C, H).double()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0.0, 1.0 / math.sqrt(C))
    x = torch.randn(B, T, C, dtype=torch.float64, requires_grad=True)
    g = torch.randn(B, T, C, dtype=torch.float64)
    params = [x, m.qkv.weight, m.qkv.bias, m.proj.weight, m.proj.bias]
    y, cache = m(x)
    grads = torch.autograd.grad((y * g).sum(), params)
    y_t = _sdpa_causal(m, x)
    grads_t = torch.autograd.grad((y_t * g).sum(), params)
    assert _maxdiff(y, y_t) <= TOL
    for a, b in zip(grads, grads_t, strict=True):
        assert _maxdiff(a, b) <= TOL
    assert cache[0].shape == (B, H, T, C // H)


@pytest.mark.parametrize("chunks", [[1] * 7, [3, 1, 1, 1, 1], [2, 5], [2, 3, 2], [4, 2, 1], [6, 1]])
@pytest.mark.parametrize(("C", "H"), [(8, 2), (12, 3), (6, 1)])
def test_causal_cached_runs_equal_full_pass(chunks, C, H):
    ref = _reference("causal-attention-kv")
    torch.manual_seed(len(chunks) * 10 + H)
    m = ref.CausalSelfAttention(C, H).double()
    with torch.no_grad():
        for p in m.parameters():
            p.normal_(0.0, 1.0 / math.sqrt(C))
        x = torch.randn(2, sum(chunks), C, dtype=torch.float64)
        full, _ = m(x)
        ys, cache, at = [], None, 0
        for n in chunks:
            y, cache = m(x[:, at:at + n], cache)
            ys.append(y)
            at += n
        assert _maxdiff(torch.cat(ys, dim=1), full) <= TOL
        assert _maxdiff(full, _sdpa_causal(m, x)) <= TOL


# ------------------------------------------------------------------ rope

def _rope_complex(x, positions, base):
    """Direct rotation: z_i = x_i + j x_{i + D/2} times exp(j * pos * base^(-2i/D))."""
    d = x.shape[-1]
    half = d // 2
    z = torch.complex(x[..., :half], x[..., half:])
    theta = torch.tensor([base ** (-2.0 * i / d) for i in range(half)], dtype=torch.float64)
    angle = positions.to(torch.float64)[:, None] * theta[None, :]
    r = z * torch.polar(torch.ones_like(angle), angle)
    return torch.cat((r.real, r.imag), dim=-1)


ROPE_SETTINGS = [
    ((6, 8), list(range(6)), 10000.0),
    ((2, 5, 16), list(range(5)), 10000.0),
    ((2, 3, 4, 8), list(range(7, 11)), 10000.0),
    ((1, 2, 7, 32), list(range(1000, 1007)), 10000.0),
    ((2, 4, 12), [0, 2, 5, 11], 10000.0),
    ((2, 5, 16), list(range(3, 8)), 500000.0),
    ((4, 4), list(range(4)), 50.0),
    ((3, 2), [0, 1, 9], 10000.0),
    ((1, 1, 1, 64), [4095], 10000.0),
]


@pytest.mark.parametrize(("shape", "positions", "base"), ROPE_SETTINGS)
def test_rope_equals_complex_rotation(shape, positions, base):
    ref = _reference("rope")
    torch.manual_seed(len(shape) * 7 + shape[-1])
    x = torch.randn(*shape, dtype=torch.float64)
    pos = torch.tensor(positions)
    out = ref.apply_rope(x, pos, base=base) if base != 10000.0 else ref.apply_rope(x, pos)
    assert out.dtype == torch.float64 and out.shape == x.shape
    assert _maxdiff(out, _rope_complex(x, pos, base)) <= TOL


def test_rope_hand_computed_value():
    """D=4, base=100: theta = (1, 0.1); at position 1 the pairs (x0, x2) and (x1, x3) turn by 1 and
    0.1 radians; at position 0 nothing moves."""
    ref = _reference("rope")
    x = torch.tensor([[1.0, 2.0, 3.0, 4.0], [1.0, 2.0, 3.0, 4.0]], dtype=torch.float64)
    out = ref.apply_rope(x, torch.tensor([0, 1]), base=100.0)
    c1, s1, c2, s2 = math.cos(1.0), math.sin(1.0), math.cos(0.1), math.sin(0.1)
    want = torch.tensor([[1.0, 2.0, 3.0, 4.0],
                         [1 * c1 - 3 * s1, 2 * c2 - 4 * s2, 3 * c1 + 1 * s1, 4 * c2 + 2 * s2]],
                        dtype=torch.float64)
    assert _maxdiff(out, want) <= TOL


def test_rope_keeps_float32_and_relative_positions():
    """float32 in, float32 out; and q_m . k_n depends only on m - n (here m - n = 3)."""
    ref = _reference("rope")
    torch.manual_seed(0)
    q, k = torch.randn(2, 16), torch.randn(2, 16)
    assert ref.apply_rope(q, torch.tensor([3, 4])).dtype == torch.float32
    q64, k64 = q.double(), k.double()
    a = (ref.apply_rope(q64, torch.tensor([5, 5])) * ref.apply_rope(k64, torch.tensor([2, 2]))).sum(-1)
    b = (ref.apply_rope(q64, torch.tensor([103, 103])) * ref.apply_rope(k64, torch.tensor([100, 100]))).sum(-1)
    assert _maxdiff(a, b) <= 1e-10


# ------------------------------------------------------------------ gqa

def _gqa_mask(kind, B, Hq, L, S, gen):
    if kind is None:
        return None
    if kind == "causal":
        return torch.ones(L, S, dtype=torch.bool).tril()
    shape = {"key-padding": (B, 1, 1, S), "per-batch": (B, 1, L, S), "full": (B, Hq, L, S)}[kind]
    m = torch.rand(shape, generator=gen, dtype=torch.float64) < 0.6
    m[..., 0] = True  # every row keeps a key
    return m


GQA_SETTINGS = [
    (2, 4, 2, 5, 5, 8, None), (1, 6, 2, 4, 6, 8, None), (2, 8, 2, 3, 7, 4, "causal"),
    (2, 6, 3, 4, 4, 16, "key-padding"), (2, 4, 1, 4, 5, 8, "per-batch"), (1, 3, 3, 4, 4, 8, "full"),
    (2, 8, 4, 3, 4, 8, "full"), (1, 8, 1, 1, 9, 8, None), (2, 12, 4, 5, 3, 6, "per-batch"),
]


@pytest.mark.parametrize(("B", "Hq", "Hkv", "L", "S", "D", "mask_kind"), GQA_SETTINGS)
def test_gqa_equals_sdpa_on_repeat_interleaved_kv(B, Hq, Hkv, L, S, D, mask_kind):
    ref = _reference("gqa")
    gen = torch.Generator().manual_seed(Hq * 100 + Hkv * 10 + L)
    q, k, v = (torch.randn(shape, generator=gen, dtype=torch.float64, requires_grad=True)
               for shape in ((B, Hq, L, D), (B, Hkv, S, D), (B, Hkv, S, D)))
    g = torch.randn(B, Hq, L, D, generator=gen, dtype=torch.float64)
    mask = _gqa_mask(mask_kind, B, Hq, L, S, gen)
    out = ref.grouped_query_attention(q, k, v, mask=mask)
    grads = torch.autograd.grad((out * g).sum(), (q, k, v))
    group = Hq // Hkv
    want = F.scaled_dot_product_attention(q, k.repeat_interleave(group, 1), v.repeat_interleave(group, 1),
                                          attn_mask=mask)
    grads_t = torch.autograd.grad((want * g).sum(), (q, k, v))
    assert _maxdiff(out, want) <= TOL
    for a, b in zip(grads, grads_t, strict=True):
        assert _maxdiff(a, b) <= TOL
    try:
        native = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
    except TypeError:  # a torch without enable_gqa
        return
    assert _maxdiff(out, native) <= TOL


@pytest.mark.parametrize(("Hq", "Hkv"), [(6, 4), (3, 2), (2, 4)])
def test_gqa_rejects_heads_that_do_not_divide(Hq, Hkv):
    ref = _reference("gqa")
    q, k = torch.randn(1, Hq, 2, 4), torch.randn(1, Hkv, 2, 4)
    with pytest.raises(ValueError, match="multiple"):
        ref.grouped_query_attention(q, k, k)
