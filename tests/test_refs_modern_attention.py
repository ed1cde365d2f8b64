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
