"""The se-block and mha references against PyTorch in float64 (outputs and gradients, <= 1e-12):
se-block against torch's own layers (AdaptiveAvgPool2d, Linear, ReLU, Sigmoid) with the same
weights, mha against torch.nn.MultiheadAttention(batch_first=True) with the same state dict."""

from __future__ import annotations

import importlib.util
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
