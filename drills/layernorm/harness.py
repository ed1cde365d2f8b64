"""Grading harness for layernorm: output and gradients (x, weight, bias) for inputs of rank 1-4."""

import numpy as np


def cases():
    out = []

    def add(name, group, dtype, seed, shape, **kw):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "shape": list(shape)}
        case.update({"eps": 1e-5, "x_scale": 1.0, "x_shift": 0.0, "set_params": True})
        case.update(kw)
        out.append(case)

    two_d, rank = "2-D input", "1-D, 3-D and 4-D input"
    eps, large = "eps (small inputs, custom eps)", "large magnitudes"
    add("default weight and bias (4, 8)", two_d, "float64", 1, (4, 8), set_params=False)
    add("(6, 16) float64", two_d, "float64", 2, (6, 16))
    add("(5, 12) float32", two_d, "float32", 3, (5, 12))
    add("(3, 2) float64", two_d, "float64", 4, (3, 2))
    add("(10,) float64", rank, "float64", 5, (10,))
    add("(2, 5, 16) float64", rank, "float64", 6, (2, 5, 16))
    add("(3, 4, 8) float32", rank, "float32", 7, (3, 4, 8))
    add("(2, 3, 4, 6) float64", rank, "float64", 8, (2, 3, 4, 6))
    add("(2, 2, 3, 10) float32", rank, "float32", 9, (2, 2, 3, 10))
    add("eps=0.1 float64", eps, "float64", 10, (4, 6), eps=0.1)
    add("x ~ 1e-3 float64", eps, "float64", 11, (4, 8), x_scale=1e-3)
    add("x ~ 1e-3 float32", eps, "float32", 12, (3, 2, 8), x_scale=1e-3)
    add("x ~ 5e3 ± 1e3 float64", large, "float64", 13, (4, 16), x_scale=1e3, x_shift=5e3)
    add("x ~ 5e3 ± 1e3 float32", large, "float32", 14, (2, 3, 16), x_scale=1e3, x_shift=5e3)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    d = shape[-1]
    x = rng.standard_normal(shape) * case["x_scale"] + case["x_shift"]
    x = x + rng.uniform(-1.0, 1.0, shape[:-1] + (1,)) * case["x_scale"]  # a mean per row
    weight = rng.uniform(0.5, 2.0, d) * rng.choice([-1.0, 1.0], d)
    bias = rng.standard_normal(d)
    grad_out = rng.standard_normal(shape)
    return {
        "x": _f32_exact(x),
        "weight": _f32_exact(weight),
        "bias": _f32_exact(bias),
        "grad_out": _f32_exact(grad_out),
    }


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return t.grad.detach().cpu().numpy()


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    d = case["shape"][-1]
    m = impl.LayerNorm(d, eps=case["eps"]).to(dtype)
    if case["set_params"]:
        with torch.no_grad():
            m.weight.copy_(torch.as_tensor(inputs["weight"], dtype=dtype))
            m.bias.copy_(torch.as_tensor(inputs["bias"], dtype=dtype))
    x = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
    y = m(x)
    (y * torch.as_tensor(inputs["grad_out"], dtype=dtype)).sum().backward()
    return {
        "out": y.detach().cpu().numpy(),
        "dx": _grad(x, "x"),
        "dweight": _grad(m.weight, "weight"),
        "dbias": _grad(m.bias, "bias"),
    }
