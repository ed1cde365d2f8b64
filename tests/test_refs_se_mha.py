"""The se-block and mha references against PyTorch in float64 (outputs and gradients, <= 1e-12):
se-block against torch's own layers (AdaptiveAvgPool2d, Linear, ReLU, Sigmoid) with the same
weights, mha against torch.nn.MultiheadAttention(batch_first=True) with the same state dict."""

from __future__ import annotations

import importlib.util
import itertools
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

DRILLS = Path(__file__).resolve().parents[1] / "drills"
TOL = 1e-12


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _max_diff(a, b) -> float:
    if a is None or b is None:
        assert a is None and b is None
        return 0.0
    assert a.shape == b.shape and a.dtype == b.dtype
    both = torch.isfinite(b)
    assert torch.equal(torch.isfinite(a), both)
    return float((a - b)[both].abs().max()) if both.any() else 0.0


# ------------------------------------------------------------------ se-block

class _TorchSE(torch.nn.Module):
    def __init__(self, channels, reduction=16):
        super().__init__()
        self.pool = torch.nn.AdaptiveAvgPool2d(1)
        self.fc1 = torch.nn.Linear(channels, channels // reduction)
        self.relu = torch.nn.ReLU()
        self.fc2 = torch.nn.Linear(channels // reduction, channels)
        self.gate = torch.nn.Sigmoid()

    def forward(self, x):
        s = self.gate(self.fc2(self.relu(self.fc1(self.pool(x).flatten(1)))))
        return x * s[:, :, None, None]


SE_SETTINGS = [  # (N, C, H, W), reduction (None = the default 16)
    ((2, 32, 4, 4), None), ((3, 64, 2, 3), None), ((2, 16, 5, 3), 4), ((2, 12, 3, 3), 8),
    ((4, 8, 2, 6), 2), ((2, 6, 3, 3), 1), ((3, 16, 1, 1), 4), ((1, 16, 7, 2), 4), ((2, 8, 9, 9), 2),
]


@pytest.mark.parametrize(("shape", "reduction"), SE_SETTINGS)
@pytest.mark.parametrize("seed", range(3))
def test_se_block_equals_torch_layers(shape, reduction, seed):
    ref = _reference("se-block")
    gen = torch.Generator().manual_seed(seed)
    n, c, h, w = shape
    kwargs = {} if reduction is None else {"reduction": reduction}
    mine = ref.SEBlock(c, **kwargs).double()
    theirs = _TorchSE(c, **kwargs).double()
    state = {name: torch.randn(p.shape, generator=gen, dtype=torch.float64) * (2.0 if "weight" in name else 0.5)
             for name, p in theirs.state_dict().items()}
    assert set(state) == set(mine.state_dict()) == {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}
    mine.load_state_dict(state)
    theirs.load_state_dict(state)
    x0 = torch.randn(shape, generator=gen, dtype=torch.float64) + torch.randn(n, c, 1, 1, generator=gen, dtype=torch.float64)
    g = torch.randn(shape, generator=gen, dtype=torch.float64)
    grads = []
    for module in (mine, theirs):
        x = x0.clone().requires_grad_(True)
        y = module(x)
        (y * g).sum().backward()
        grads.append([y.detach(), x.grad] + [p.grad for p in module.parameters()])
    for a, b in zip(*grads, strict=True):
        assert _max_diff(a, b) <= TOL


def test_se_block_hand_computed():
    """One sample, 2 channels, reduction 2: the numbers written out."""
    ref = _reference("se-block")
    m = ref.SEBlock(2, reduction=2).double()
    with torch.no_grad():
        m.fc1.weight.copy_(torch.tensor([[1.0, -1.0]]))
        m.fc1.bias.fill_(0.5)
        m.fc2.weight.copy_(torch.tensor([[2.0], [-1.0]]))
        m.fc2.bias.copy_(torch.tensor([0.0, 1.0]))
    x = torch.tensor([[[[1.0, 3.0]], [[0.0, -2.0]]]], dtype=torch.float64)  # means 2 and -1
    h = max(2.0 - (-1.0) + 0.5, 0.0)  # 3.5
    s = torch.sigmoid(torch.tensor([2.0 * h, -h + 1.0], dtype=torch.float64))
    expected = x * s.view(1, 2, 1, 1)
    assert _max_diff(m(x).detach(), expected) <= TOL


# ------------------------------------------------------------------ mha

def _mha_masks(gen, kind, n, h, L, S):
    """(attn_mask, key_padding_mask) of one kind; every query row keeps key 0 allowed."""
    if kind == "none":
        return None, None
    pad = torch.zeros(n, S, dtype=torch.bool)
    for b in range(n):
        pad[b, max(1, S - b - 1):] = True
    shape = (n * h, L, S) if "3d" in kind else (L, S)
    blocked = torch.rand(shape, generator=gen) < 0.4
    blocked[..., 0] = False
    if kind.startswith("bool"):
        return blocked, (pad if "kpm" in kind else None)
    bias = torch.randn(shape, generator=gen, dtype=torch.float64).masked_fill(blocked, float("-inf"))
    kpm = torch.rand(n, S, generator=gen, dtype=torch.float64).masked_fill(pad, float("-inf"))
    return bias, (kpm if "kpm" in kind else None)


MHA_SETTINGS = list(itertools.product(
    [(8, 2), (12, 3), (6, 1), (16, 4)],  # (embed_dim, num_heads)
    ["self", "cross", "memory"],
    ["none", "bool2d", "bool3d+kpm", "boolkpm", "float2d+kpm", "float3d"],
))


@pytest.mark.parametrize(("dims", "inputs", "masks"), MHA_SETTINGS)
def test_mha_equals_torch(dims, inputs, masks):
    ref = _reference("mha")
    e, h = dims
    seed = MHA_SETTINGS.index((dims, inputs, masks))
    gen = torch.Generator().manual_seed(seed)
    n, L = 2, 5
    S = L if inputs == "self" else 3 + seed % 5
    attn_mask, kpm = _mha_masks(gen, masks, n, h, L, S)
    for bias, need_weights, average in [(True, True, True), (True, True, False), (True, False, True),
                                        (False, True, True)]:
        mine = ref.MultiheadAttention(e, h, bias=bias).double()
        theirs = torch.nn.MultiheadAttention(e, h, bias=bias, batch_first=True).double()
        state = {k: torch.randn(v.shape, generator=gen, dtype=torch.float64) / e ** 0.5 * 1.5
                 for k, v in theirs.state_dict().items()}
        assert set(state) == set(mine.state_dict())
        mine.load_state_dict(state)
        theirs.load_state_dict(state)
        base = {k: torch.randn(n, L if k == "query" else S, e, generator=gen, dtype=torch.float64)
                for k in ("query", "key", "value")}
        g_out = torch.randn(n, L, e, generator=gen, dtype=torch.float64)
        g_w = torch.randn((n, L, S) if average else (n, h, L, S), generator=gen, dtype=torch.float64)
        results = []
        for module in (mine, theirs):
            leaves = {k: v.clone().requires_grad_(True) for k, v in base.items()}
            if inputs == "self":
                q = k = v = leaves["query"]
            elif inputs == "memory":
                q, k = leaves["query"], leaves["key"]
                v = k
            else:
                q, k, v = leaves["query"], leaves["key"], leaves["value"]
            out, w = module(q, k, v, key_padding_mask=kpm, attn_mask=attn_mask,
                            need_weights=need_weights, average_attn_weights=average)
            loss = (out * g_out).sum() + ((w * g_w).sum() if w is not None else 0.0)
            loss.backward()
            results.append([out.detach(), None if w is None else w.detach()]
                           + [t.grad for t in leaves.values()] + [p.grad for p in module.parameters()])
        for a, b in zip(*results, strict=True):
            assert _max_diff(a, b) <= TOL, (bias, need_weights, average)


def test_mha_parameter_names_and_count():
    ref = _reference("mha")
    m = ref.MultiheadAttention(512, 8)
    t = torch.nn.MultiheadAttention(512, 8, batch_first=True)
    assert {k: v.shape for k, v in m.named_parameters()} == {k: v.shape for k, v in t.named_parameters()}
    assert sum(p.numel() for p in m.parameters()) == 1050624  # card net-mha-param-count
    m = ref.MultiheadAttention(8, 2, bias=False)
    assert m.in_proj_bias is None and m.out_proj.bias is None
    assert {k for k, _ in m.named_parameters()} == {"in_proj_weight", "out_proj.weight"}
    with pytest.raises(ValueError):
        ref.MultiheadAttention(10, 3)
