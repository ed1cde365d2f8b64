"""Grading harness for gelu-swiglu: gelu (exact and tanh, default argument too), silu (also at
|x| = 100 in float32, where exp(-x) overflows) and the SwiGLU feed-forward with its three
bias-free projections; values and gradients, float32 and float64."""

import numpy as np
import quizdl_contract as contract


def cases():
    out = []

    def add(name, group, dtype, seed, kind, shape, scale=3.0, **kw):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind,
                    "shape": list(shape), "scale": scale, **kw})

    exact, tanh, act, ffn = "gelu (exact, erf)", "gelu (tanh approximation)", "silu", "SwiGLU"
    add("default argument (4, 9) float64", exact, "float64", 1, "gelu", (4, 9))
    add("'none' (3, 5, 7) float32", exact, "float32", 2, "gelu", (3, 5, 7), approximate="none")
    add("'none' |x| up to 30 float64", exact, "float64", 3, "gelu", (40,), scale=30.0,
        approximate="none")
    add("'tanh' (4, 9) float64", tanh, "float64", 4, "gelu", (4, 9), approximate="tanh")
    add("'tanh' (3, 5, 7) float32", tanh, "float32", 5, "gelu", (3, 5, 7), approximate="tanh")
    add("'tanh' |x| up to 30 float64", tanh, "float64", 6, "gelu", (40,), scale=30.0,
        approximate="tanh")
    add("(4, 9) float64", act, "float64", 7, "silu", (4, 9))
    add("(3, 5, 7) float32", act, "float32", 8, "silu", (3, 5, 7))
    add("|x| up to 100 float32", act, "float32", 9, "silu", (40,), scale=100.0)
    add("dim=8 hidden=12, (2, 3, 8) float64", ffn, "float64", 10, "swiglu", (2, 3, 8), hidden=12)
    add("dim=6 hidden=16, (5, 6) float32", ffn, "float32", 11, "swiglu", (5, 6), hidden=16)
    add("dim=4 hidden=10, (4,) float64", ffn, "float64", 12, "swiglu", (4,), hidden=10)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    if case["kind"] == "swiglu":
        dim, hidden = shape[-1], case["hidden"]
        return {
            "x": _f32_exact(rng.standard_normal(shape)),
            "w1": _f32_exact(rng.uniform(-1, 1, (hidden, dim)) / np.sqrt(dim)),
            "w2": _f32_exact(rng.uniform(-1, 1, (dim, hidden)) / np.sqrt(hidden)),
            "w3": _f32_exact(rng.uniform(-1, 1, (hidden, dim)) / np.sqrt(dim)),
            "grad_out": _f32_exact(rng.standard_normal(shape)),
        }
    x = rng.uniform(-1.0, 1.0, shape) * case["scale"]
    if case["scale"] > 10:  # the extremes, zero and a few mid values
        x[:4] = [case["scale"], -case["scale"], 0.0, -1.0]
    return {"x": _f32_exact(x), "grad_out": _f32_exact(rng.standard_normal(shape))}


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return contract.numpy(t.grad)


def _backward(y, inputs, what):
    import torch

    if not y.requires_grad:
        raise AssertionError(f"{what} returned a tensor without autograd history (computed under "
                             "torch.no_grad(), detached or through numpy?): gradients cannot flow")
    (y * torch.as_tensor(inputs["grad_out"], dtype=y.dtype)).sum().backward()


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    x_leaf = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
    x = x_leaf.clone()  # the caller's activations (not a leaf)
    before = contract.snapshot(x=x)
    if case["kind"] == "gelu":
        what = "gelu"
        kwargs = {"approximate": case["approximate"]} if "approximate" in case else {}
        y = impl.gelu(x, **kwargs)  # no keyword at all: the default must be the exact GELU
    elif case["kind"] == "silu":
        what = "silu"
        y = impl.silu(x)
    else:
        what = "SwiGLU.forward"
        dim, hidden = case["shape"][-1], case["hidden"]
        torch.manual_seed(case["seed"])
        m = contract.construct(lambda: impl.SwiGLU(dim, hidden), "SwiGLU").to(dtype)
        shapes = {"w1": (hidden, dim), "w2": (dim, hidden), "w3": (hidden, dim)}
        weights = {n: contract.parameter(m, f"{n}.weight", s) for n, s in shapes.items()}
        with torch.no_grad():
            for n, w in weights.items():
                w.copy_(torch.as_tensor(inputs[n], dtype=dtype))
        n_params = sum(p.numel() for p in m.parameters())
        y = m(x)
    contract.unchanged(before, {"x": x}, what)
    y = contract.tensor(y, what)
    _backward(y, inputs, what)
    out = {"out": contract.numpy(y)}
    if case["kind"] == "swiglu":
        out["n_params"] = np.array([n_params], dtype=np.float64)
    out["dx"] = _grad(x_leaf, "x")
    if case["kind"] == "swiglu":
        for n, w in weights.items():
            out[f"d{n}"] = _grad(w, f"{n}.weight")
    return out


def builtin():
    """torch's own F.gelu and F.silu behind the drill's entry points: the float32 yardstick."""
    import types

    import torch
    import torch.nn.functional as F  # noqa: N812

    def gelu(x, approximate="none"):
        return F.gelu(x, approximate=approximate)

    class SwiGLU(torch.nn.Module):
        def __init__(self, dim, hidden):
            super().__init__()
            self.w1 = torch.nn.Linear(dim, hidden, bias=False)
            self.w2 = torch.nn.Linear(hidden, dim, bias=False)
            self.w3 = torch.nn.Linear(dim, hidden, bias=False)

        def forward(self, x):
            return self.w2(F.silu(self.w1(x)) * self.w3(x))

    return types.SimpleNamespace(gelu=gelu, silu=F.silu, SwiGLU=SwiGLU)
