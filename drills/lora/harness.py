"""Grading harness for lora: LoRALinear around an nn.Linear built here (with and without bias).

Per case: which tensors require gradients (the base frozen, A and B trainable); in float64 cases
the initialisation (A's spread against nn.Linear's U(-1/sqrt(in), 1/sqrt(in)), B exactly zero,
the layer equal to its base at the start); then A and B are set to seeded values and the forward
and its gradients are compared; then merge() twice (the second call does nothing), the merged
weight and the merged forward; then unmerge(), the restored weight and forward, and which tensors
require gradients after all that; and unmerge() of a second, never merged layer (it does nothing).
"""

import math

import numpy as np
import quizdl_contract as contract

# A's initialisation is random: it is graded through two statistics of the draw scaled by
# sqrt(in) (max |A| close to 1, mean |A| close to 1/2 for U(-1/sqrt(in), 1/sqrt(in)) with r * in
# >= 256 draws), so any draw of the right distribution passes, in any random order.
TOLERANCES = {
    "A_init": {"float64": (0.0, 0.1), "float32": (0.0, 0.1)},
}

AXES = {
    "requires_grad": ["tensor (A, B, base.weight, base.bias)"],
    "requires_grad_after": ["tensor (A, B, base.weight, base.bias)"],
    "A_init": ["statistic (max |A| sqrt(in), mean |A| sqrt(in))"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, lead, d_in, d_out, r, alpha, bias=True):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "lead": list(lead),
                    "d_in": d_in, "d_out": d_out, "r": r, "alpha": alpha, "bias": bias,
                    "init": dtype == "float64" and r * d_in >= 256})

    init, fwd = "initialisation and forward", "3-D inputs, no bias"
    # alpha / r is never 1 or 2 (nor r): a missing scale, a doubled update and a scale of alpha
    # then never give the right numbers by accident.
    add("r=8 alpha=24, in=32 out=24 float64", init, "float64", 1, (5,), 32, 24, 8, 24.0)
    add("r=4 alpha=6, in=20 out=12 float32", init, "float32", 2, (6,), 20, 12, 4, 6.0)
    add("r=16 alpha=12, in=24 out=10 float64", init, "float64", 3, (4,), 24, 10, 16, 12.0)
    add("r=8 alpha=40, no bias, (2, 3, 40) float64", fwd, "float64", 4, (2, 3), 40, 16, 8, 40.0,
        bias=False)
    add("r=2 alpha=7, (2, 4, 12) float32", fwd, "float32", 5, (2, 4), 12, 10, 2, 7.0)
    add("r=3 alpha=1.8, no bias float64", fwd, "float64", 6, (3,), 9, 7, 3, 1.8, bias=False)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    lead, d_in, d_out, r = tuple(case["lead"]), case["d_in"], case["d_out"], case["r"]
    bound = 1.0 / math.sqrt(d_in)
    inputs = {
        "weight": _f32_exact(rng.uniform(-bound, bound, (d_out, d_in))),
        "x": _f32_exact(rng.standard_normal(lead + (d_in,))),
        "A": _f32_exact(rng.uniform(-bound, bound, (r, d_in))),
        "B": _f32_exact(rng.standard_normal((d_out, r)) * 0.3),
        "grad_out": _f32_exact(rng.standard_normal(lead + (d_out,))),
    }
    if case["bias"]:
        inputs["bias"] = _f32_exact(rng.uniform(-bound, bound, d_out))
    return inputs


def _lora_parameter(m, name, shape):
    """A or B, checked (registered, shape). A transposed parameter is reported as wrong-shape and
    then used as it is stored, so that the rest of the case is still compared."""
    t = contract.parameter(m, name, shape)
    transposed = tuple(t.shape) == tuple(shape[::-1]) and tuple(t.shape) != tuple(shape)
    return t, transposed


def _flags(m, base):
    def rg(t):
        return 1.0 if t is not None and t.requires_grad else 0.0

    a, b = getattr(m, "A", None), getattr(m, "B", None)
    return np.array([rg(a), rg(b), rg(base.weight), rg(base.bias)], dtype=np.float64)


def _grad(t, name, transposed=False):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    g = contract.numpy(t.grad)
    return g.T.copy() if transposed else g


def _layer(impl, case, inputs, dtype):
    """A fresh base layer with the case's weights, wrapped by the submission's LoRALinear, its A
    and B (checked) and whether each is stored transposed."""
    import torch

    d_in, d_out, r = case["d_in"], case["d_out"], case["r"]
    base = torch.nn.Linear(d_in, d_out, bias=case["bias"], dtype=dtype)
    with torch.no_grad():
        base.weight.copy_(torch.as_tensor(inputs["weight"], dtype=dtype))
        if case["bias"]:
            base.bias.copy_(torch.as_tensor(inputs["bias"], dtype=dtype))
    torch.manual_seed(case["seed"])
    m = contract.construct(lambda: impl.LoRALinear(base, r, case["alpha"]), "LoRALinear").to(dtype)
    A, a_t = _lora_parameter(m, "A", (r, d_in))
    B, b_t = _lora_parameter(m, "B", (d_out, r))
    if A.dtype != dtype:  # a plain tensor that .to(dtype) missed (reported as not-registered)
        A = A.detach().to(dtype).requires_grad_(True)
        m.A = A
    if B.dtype != dtype:
        B = B.detach().to(dtype).requires_grad_(True)
        m.B = B
    return m, A, a_t, B, b_t


def _set_seeded(inputs, dtype, A, a_t, B, b_t):
    import torch

    with torch.no_grad():
        a_val = torch.as_tensor(inputs["A"], dtype=dtype)
        b_val = torch.as_tensor(inputs["B"], dtype=dtype)
        A.copy_(a_val.T if a_t else a_val)
        B.copy_(b_val.T if b_t else b_val)


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    d_in = case["d_in"]
    m, A, a_t, B, b_t = _layer(impl, case, inputs, dtype)
    out = {"requires_grad": _flags(m, m.base)}
    x_leaf = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
    x = x_leaf.clone()  # the caller's activations (not a leaf)

    def forward(layer, what):
        before = contract.snapshot(x=x)
        y = contract.tensor(layer(x), what)
        contract.unchanged(before, {"x": x}, what)
        return y

    if case["init"]:
        a0 = contract.numpy(A).astype(np.float64) * math.sqrt(d_in)
        out["A_init"] = np.array([np.abs(a0).max(), np.abs(a0).mean()])
        out["B_init"] = np.array([np.abs(contract.numpy(B)).max()], dtype=np.float64)
        with torch.no_grad():
            out["init_out"] = contract.numpy(forward(m, "forward at initialisation"))
    _set_seeded(inputs, dtype, A, a_t, B, b_t)  # so that forward and gradients can be compared
    y = forward(m, "forward")
    out["out"] = contract.numpy(y)
    if y.requires_grad:
        (y * torch.as_tensor(inputs["grad_out"], dtype=y.dtype)).sum().backward()
    m.merge()
    m.merge()  # a second merge() does nothing
    out["merged_weight"] = contract.numpy(m.base.weight)
    with torch.no_grad():
        out["merged_out"] = contract.numpy(forward(m, "forward after merge()"))
    m.unmerge()
    out["unmerged_weight"] = contract.numpy(m.base.weight)
    with torch.no_grad():
        out["unmerged_out"] = contract.numpy(forward(m, "forward after unmerge()"))
    out["requires_grad_after"] = _flags(m, m.base)
    # unmerge() of a layer that was never merged does nothing: a second, fresh layer, so that
    # this check does not depend on what merge() did to the first.
    m2, A2, a2_t, B2, b2_t = _layer(impl, case, inputs, dtype)
    _set_seeded(inputs, dtype, A2, a2_t, B2, b2_t)
    m2.unmerge()
    out["never_merged_unmerge_weight"] = contract.numpy(m2.base.weight)
    out["dx"] = _grad(x_leaf, "x")
    out["dA"] = _grad(A, "A", a_t)
    out["dB"] = _grad(B, "B", b_t)
    return out
