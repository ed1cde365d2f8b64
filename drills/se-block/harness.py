"""Grading harness for se-block: output and gradients (x, fc1, fc2) of an SEBlock whose weights
are loaded by name (fc1.weight, fc1.bias, fc2.weight, fc2.bias) from seeded values, so that every
output compares exactly with the reference's.

x reaches forward() as the result of an earlier operation (not a leaf), the way activations do in
a network, so an in-place rescale is caught; its gradient is that of the leaf behind it. Channel
means are spread out (a different average per channel) so that max-pool and average-pool squeezes
differ, and the gate pre-activations take both signs so that ReLU and sigmoid matter.
"""

import numpy as np
import quizdl_contract as contract

AXES = {
    "out": ["sample", "channel", "row", "column"],
    "dx": ["sample", "channel", "row", "column"],
    "dfc1_weight": ["hidden unit", "channel"],
    "dfc1_bias": ["hidden unit"],
    "dfc2_weight": ["channel", "hidden unit"],
    "dfc2_bias": ["channel"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, shape, reduction=None, gain=1.0):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "shape": list(shape),
                    "reduction": reduction, "gain": gain})

    default, other = "default reduction (16)", "other reductions"
    spatial, large = "spatial sizes (1x1 to 6x6)", "saturated gates"
    add("(2, 32, 4, 4) float64", default, "float64", 1, (2, 32, 4, 4))
    add("(3, 48, 3, 5) float32", default, "float32", 2, (3, 48, 3, 5))
    add("r=4 (2, 16, 5, 3) float64", other, "float64", 3, (2, 16, 5, 3), reduction=4)
    add("r=8, C=12: 1 hidden unit float32", other, "float32", 4, (2, 12, 3, 3), reduction=8)
    add("r=2 (4, 8, 2, 6) float64", other, "float64", 5, (4, 8, 2, 6), reduction=2)
    add("r=1 (2, 6, 3, 3) float32", other, "float32", 6, (2, 6, 3, 3), reduction=1)
    add("1x1 maps (3, 16, 1, 1) float64", spatial, "float64", 7, (3, 16, 1, 1), reduction=4)
    add("one sample (1, 16, 6, 2) float32", spatial, "float32", 8, (1, 16, 6, 2), reduction=4)
    add("(2, 8, 6, 6) float64", spatial, "float64", 9, (2, 8, 6, 6), reduction=2)
    add("large weights float64", large, "float64", 10, (2, 16, 3, 3), reduction=4, gain=4.0)
    add("large weights float32", large, "float32", 11, (2, 16, 3, 4), reduction=4, gain=4.0)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def _hidden(case):
    c = case["shape"][1]
    return c // (case["reduction"] or 16)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, c, h, w = case["shape"]
    hidden, g = _hidden(case), case["gain"]
    x = _f32_exact(rng.standard_normal((n, c, h, w)) + rng.uniform(-1.5, 1.5, (n, c, 1, 1)))
    w1 = _f32_exact(rng.standard_normal((hidden, c)) * g * 1.5 / np.sqrt(c))
    # fc1's bias centres each hidden unit's pre-activation on the samples' median, so that every
    # unit is active for some samples and cut by the ReLU for others (no unit dead everywhere).
    pre = x.mean(axis=(2, 3)) @ w1.T
    b1 = -np.median(pre, axis=0) + rng.standard_normal(hidden) * 0.2 * g
    return {
        "x": x,
        "fc1.weight": w1,
        "fc1.bias": _f32_exact(b1),
        "fc2.weight": _f32_exact(rng.standard_normal((c, hidden)) * g / np.sqrt(hidden)),
        "fc2.bias": _f32_exact(rng.standard_normal(c) * 0.5),
        "grad_out": _f32_exact(rng.standard_normal((n, c, h, w))),
    }


def _load(m, name, value, dtype):
    """Copy the seeded `value` into the module's parameter `name` (registered, right shape)."""
    import torch

    layer = getattr(m, name.split(".")[0], None)
    if name.endswith(".bias") and layer is not None and getattr(layer, "bias", 0) is None:
        return None  # nn.Linear(..., bias=False): compared as it is (a bias that stays zero)
    t = contract.parameter(m, name, value.shape)
    if tuple(t.shape) != value.shape:
        raise contract.ContractError(
            "wrong-shape", f"parameter {name} has shape {tuple(t.shape)}, expected {value.shape} "
                           f"(fc1: channels -> channels // reduction, fc2: back to channels)")
    with torch.no_grad():
        t.copy_(torch.as_tensor(value, dtype=dtype))
    return t


def _grad(t, value, dtype):
    import torch

    if t is None:  # a missing bias: no gradient either (read as zeros, so the numbers still speak)
        return contract.numpy(torch.zeros(value.shape, dtype=dtype))
    # A parameter the output does not depend on has gradient zero (torch leaves it None).
    return contract.numpy(t.grad if t.grad is not None else torch.zeros_like(t))


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    n, c, h, w = case["shape"]
    kwargs = {} if case["reduction"] is None else {"reduction": case["reduction"]}
    m = contract.construct(lambda: impl.SEBlock(c, **kwargs), "SEBlock")
    m = m.to(dtype)
    params = {name: _load(m, name, inputs[name], dtype)
              for name in ("fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias")}
    x_leaf = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
    x = x_leaf.clone()  # the caller's activations, as in a network (not a leaf)
    before = contract.snapshot(x=x)
    y = contract.tensor(m(x), "forward")
    contract.unchanged(before, {"x": x}, "forward")
    if tuple(y.shape) != (n, c, h, w):
        raise AssertionError(f"forward returned shape {tuple(y.shape)}, expected the input's {(n, c, h, w)}")
    if not y.requires_grad:
        raise AssertionError("forward returned a tensor without autograd history (computed under "
                             "torch.no_grad() or detached?): gradients cannot reach x, fc1 and fc2")
    (y * torch.as_tensor(inputs["grad_out"], dtype=y.dtype)).sum().backward()
    if x_leaf.grad is None:
        raise AssertionError("x.grad is None after backward(): no gradient reached x")
    return {  # the forward output first, then the gradients
        "out": contract.numpy(y),
        "dx": contract.numpy(x_leaf.grad),
        "dfc1_weight": _grad(params["fc1.weight"], inputs["fc1.weight"], dtype),
        "dfc1_bias": _grad(params["fc1.bias"], inputs["fc1.bias"], dtype),
        "dfc2_weight": _grad(params["fc2.weight"], inputs["fc2.weight"], dtype),
        "dfc2_bias": _grad(params["fc2.bias"], inputs["fc2.bias"], dtype),
    }


def builtin():
    """torch's own layers (AdaptiveAvgPool2d, Linear, ReLU, Sigmoid) in an SE block with the
    drill's parameter names: the float32 yardstick."""
    import types

    from torch import nn

    class SEBlock(nn.Module):
        def __init__(self, channels: int, reduction: int = 16):
            super().__init__()
            self.pool = nn.AdaptiveAvgPool2d(1)
            self.fc1 = nn.Linear(channels, channels // reduction)
            self.relu = nn.ReLU()
            self.fc2 = nn.Linear(channels // reduction, channels)
            self.gate = nn.Sigmoid()

        def forward(self, x):
            s = self.gate(self.fc2(self.relu(self.fc1(self.pool(x).flatten(1)))))
            return x * s[:, :, None, None]

    return types.SimpleNamespace(SEBlock=SEBlock)
