"""Grading harness for rope: the rotated tensor and its gradient with respect to x, for inputs
(T, D), (B, T, D) and (B, H, T, D), positions 0..T-1, offset by a cached prefix, or scattered,
and several bases. x reaches the function as the result of an earlier operation (not a leaf), so
an in-place change is caught."""

import numpy as np
import quizdl_contract as contract


def cases():
    out = []

    def add(name, group, dtype, seed, shape, positions, base=10000.0):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed,
                    "shape": list(shape), "positions": [int(p) for p in positions],
                    "base": base})

    plain, offset, bases = ("positions 0..T-1", "position offset (a cached prefix)",
                            "other bases and sizes")
    add("(T=6, D=8) float64", plain, "float64", 1, (6, 8), range(6))
    add("(B=2, T=5, D=16) float32", plain, "float32", 2, (2, 5, 16), range(5))
    add("(B=2, H=3, T=4, D=8) float64", plain, "float64", 3, (2, 3, 4, 8), range(4))
    add("(B=1, H=2, T=7, D=32) float32", plain, "float32", 4, (1, 2, 7, 32), range(7))
    add("prefix 5, (T=3, D=8) float64", offset, "float64", 5, (3, 8), range(5, 8))
    add("prefix 1000, (B=2, H=2, T=4, D=16) float32", offset, "float32", 6, (2, 2, 4, 16),
        range(1000, 1004))
    add("one token at position 37, (1, 2, 1, 8) float64", offset, "float64", 7, (1, 2, 1, 8), [37])
    add("positions [0, 2, 5, 11], (2, 4, 12) float64", offset, "float64", 8, (2, 4, 12),
        [0, 2, 5, 11])
    add("base 500000, prefix 3, (2, 5, 16) float64", bases, "float64", 9, (2, 5, 16), range(3, 8),
        base=500000.0)
    add("base 50, (T=4, D=4) float32", bases, "float32", 10, (4, 4), range(4), base=50.0)
    add("base 10, (2, T=3, D=6) float64", bases, "float64", 11, (2, 3, 6), range(2, 5), base=10.0)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    return {
        "x": _f32_exact(rng.standard_normal(shape)),
        "positions": np.asarray(case["positions"], dtype=np.int64),
        "grad_out": _f32_exact(rng.standard_normal(shape)),
    }


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    x_leaf = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
    x = x_leaf.clone()  # the caller's activations (queries or keys), not a leaf
    positions = torch.as_tensor(inputs["positions"])
    before = contract.snapshot(x=x, positions=positions)
    if case["base"] == 10000.0:
        out = impl.apply_rope(x, positions)
    else:
        out = impl.apply_rope(x, positions, base=case["base"])
    contract.unchanged(before, {"x": x, "positions": positions}, "apply_rope")
    out = contract.tensor(out, "apply_rope")
    if tuple(out.shape) != tuple(x.shape):
        raise AssertionError(f"apply_rope returned shape {tuple(out.shape)}, expected {tuple(x.shape)}")
    if not out.requires_grad:
        raise AssertionError("apply_rope returned a tensor without autograd history (computed under "
                             "torch.no_grad() or detached?): gradients cannot reach x")
    (out * torch.as_tensor(inputs["grad_out"], dtype=out.dtype)).sum().backward()
    if x_leaf.grad is None:
        raise AssertionError("x.grad is None after backward(): no gradient reached x")
    return {"out": contract.numpy(out), "dx": contract.numpy(x_leaf.grad)}
