"""Grading harness for rmsnorm: output and gradients (x, weight) for inputs of rank 1-4, with the
module contract checked (super().__init__(), a registered (dim,) weight, x untouched, a
torch.Tensor of the input's dtype returned)."""

import numpy as np
import quizdl_contract as contract


def cases():
    out = []

    def add(name, group, dtype, seed, shape, **kw):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "shape": list(shape)}
        case.update({"eps": 1e-6, "x_scale": 1.0, "x_shift": 0.0, "set_weight": True})
        case.update(kw)
        out.append(case)

    two_d, rank = "2-D input", "1-D, 3-D and 4-D input"
    eps, large = "eps (small inputs, custom eps)", "large magnitudes"
    add("default weight (4, 8)", two_d, "float64", 1, (4, 8), set_weight=False)
    add("(6, 16) float64", two_d, "float64", 2, (6, 16))
    add("(5, 12) float32", two_d, "float32", 3, (5, 12))
    add("non-zero mean (4, 8) float64", two_d, "float64", 4, (4, 8), x_shift=2.0)
    add("(10,) float64", rank, "float64", 5, (10,))
    add("(2, 5, 16) float64", rank, "float64", 6, (2, 5, 16))
    add("(3, 4, 8) float32", rank, "float32", 7, (3, 4, 8))
    add("(2, 2, 3, 10) float32", rank, "float32", 8, (2, 2, 3, 10))
    add("eps=0.1 float64", eps, "float64", 9, (4, 6), eps=0.1)
    add("x ~ 1e-3 float64", eps, "float64", 10, (4, 8), x_scale=1e-3)
    add("x ~ 1e-3 float32", eps, "float32", 11, (3, 2, 8), x_scale=1e-3)
    add("x ~ 1e3 float64", large, "float64", 12, (4, 16), x_scale=1e3)
    add("x ~ 1e3 float32", large, "float32", 13, (2, 3, 16), x_scale=1e3)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    d = shape[-1]
    x = (rng.standard_normal(shape) + case["x_shift"]) * case["x_scale"]
    weight = rng.uniform(0.5, 2.0, d) * rng.choice([-1.0, 1.0], d)
    grad_out = rng.standard_normal(shape)
    return {"x": _f32_exact(x), "weight": _f32_exact(weight), "grad_out": _f32_exact(grad_out)}


def _parameter(m, name, d, dtype):
    """The parameter `name` of shape (d,): checked (registered, shape), in the case's dtype."""
    t = contract.parameter(m, name, (d,))
    if name not in dict(m.named_parameters()):  # recorded as not-registered; .to(dtype) missed it
        t = t.detach().to(dtype).requires_grad_(True)
        setattr(m, name, t)
    return t


def _grad(t, name, shape=None):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    g = contract.numpy(t.grad)
    if shape is not None and g.size == int(np.prod(shape)):
        g = g.reshape(shape)  # a (1, D) parameter is reported as wrong-shape, its values still compared
    return g


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    d = case["shape"][-1]
    m = contract.construct(lambda: impl.RMSNorm(d, eps=case["eps"]).to(dtype), "RMSNorm")
    weight = _parameter(m, "weight", d, dtype)
    if case["set_weight"]:
        with torch.no_grad():
            weight.copy_(torch.as_tensor(inputs["weight"], dtype=dtype))
    x_leaf = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
    x = x_leaf.clone()  # the caller's activations, as in a network (not a leaf)
    before = contract.snapshot(x=x)
    y = contract.tensor(m(x), "forward")
    contract.unchanged(before, {"x": x}, "forward")
    (y * torch.as_tensor(inputs["grad_out"], dtype=dtype)).sum().backward()
    return {"out": contract.numpy(y), "dx": _grad(x_leaf, "x"), "dweight": _grad(weight, "weight", (d,))}


def builtin():
    """torch's own RMSNorm (F.rms_norm) behind the drill's entry point: the float32 yardstick."""
    import types

    import torch

    class RMSNorm(torch.nn.Module):
        def __init__(self, dim: int, eps: float = 1e-6):
            super().__init__()
            self.eps = eps
            self.weight = torch.nn.Parameter(torch.ones(dim))

        def forward(self, x):
            return torch.nn.functional.rms_norm(x, x.shape[-1:], self.weight, self.eps)

    return types.SimpleNamespace(RMSNorm=RMSNorm)
