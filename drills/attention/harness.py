"""Grading harness for attention: output and gradients (q, k, v), with and without masks.

q, k and v reach the function the way they do in a model, as results of earlier operations (not
leaves), so an in-place change is possible and is caught: the caller's tensors must stay as they
were. The gradients are those of the leaves behind them. d_v differs from d_k in most cases, so
that scaling by sqrt(d_v) shows.
"""

import numpy as np
import quizdl_contract as contract

# float32 floors for the gradients (the budget is still 10x the measured float32 error when that is
# larger). With nearly one-hot weights the scores reach ~100, known to ulp(100) ~ 8e-6 in float32:
# exp(s - logsumexp(s)) then differs from a max-shifted softmax by up to ~3e-5 in dq and dk (20x
# the error of torch.softmax or F.scaled_dot_product_attention), and it is a correct solution.
TOLERANCES = {
    "dq": {"float32": (1e-4, 6e-5)},
    "dk": {"float32": (1e-4, 6e-5)},
}


def cases():
    out = []

    def add(name, group, dtype, seed, lead, L, S, d, dv, mask="none", scale=1.0, shift=0.0):
        out.append({
            "name": name, "group": group, "dtype": dtype, "seed": seed, "lead": list(lead),
            "L": L, "S": S, "d": d, "dv": dv, "mask": mask, "scale": scale, "shift": shift,
        })

    plain, masked = "no mask", "causal and random masks"
    bcast, large = "broadcast masks", "large scores (stable softmax)"
    add("(L=5, S=7) d=8 dv=6 float64", plain, "float64", 1, (), 5, 7, 8, 6)
    add("(L=6, S=4) d=4 dv=10 float32", plain, "float32", 2, (), 6, 4, 4, 10)
    add("batch 3, L=4 S=6 float64", plain, "float64", 3, (3,), 4, 6, 8, 5)
    add("(2, 3 heads) L=S=5 float32", plain, "float32", 4, (2, 3), 5, 5, 16, 8)
    add("causal (2, 2, 6, 6) float64", masked, "float64", 5, (2, 2), 6, 6, 8, 5, mask="causal")
    add("causal (2, 3, 5, 5) float32", masked, "float32", 6, (2, 3), 5, 5, 16, 6,
        mask="causal")
    add("causal 2-D (4, 4) float64", masked, "float64", 7, (), 4, 4, 4, 3, mask="causal")
    add("random (2, 3, 5, 7) mask float64", masked, "float64", 8, (2, 3), 5, 7, 8, 6,
        mask="full")
    add("(L, S) mask, (2, 3, L, S) scores float64", bcast, "float64", 9, (2, 3), 4, 6, 8, 5,
        mask="2d")
    add("(L, S) mask, (2, 2, L, S) scores float32", bcast, "float32", 10, (2, 2), 5, 3, 8, 4,
        mask="2d")
    add("(B, 1, L, S) mask float64", bcast, "float64", 11, (2, 3), 4, 6, 8, 5, mask="per-batch")
    add("(B, 1, 1, S) key padding float32", bcast, "float32", 12, (3, 2), 5, 6, 8, 3,
        mask="key-padding")
    # Every score of a row shifted by shift**2 / sqrt(d) = 900 (beyond exp()'s range in float32 and
    # float64 alike): exp() overflows unless the row maximum is subtracted, while the weights
    # themselves stay far from one-hot. float64 only: float32 cannot even represent such scores to
    # the tolerance (and a solution computing in float64 must still be diagnosable).
    add("scores ~ 900 float64", large, "float64", 13, (2,), 5, 6, 16, 4, shift=60.0)
    add("scores ~ 900, causal float64", large, "float64", 14, (2, 2), 4, 5, 16, 4, shift=60.0,
        mask="causal")
    # Scores spread over tens: nearly one-hot weights.
    add("near one-hot weights float32", large, "float32", 15, (2,), 4, 6, 8, 4, scale=6.0)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def _mask(rng, kind, lead, L, S):
    if kind == "causal":
        return np.tril(np.ones((L, S), dtype=bool))
    if kind == "2d":
        shape = (L, S)
    elif kind == "full":
        shape = tuple(lead) + (L, S)
    elif kind == "per-batch":  # one mask per batch element, shared by the heads
        shape = (lead[0], 1, L, S)
    elif kind == "key-padding":  # (B, 1, 1, S): the last keys of each sequence are padding
        m = np.ones((lead[0], 1, 1, S), dtype=bool)
        for b in range(lead[0]):
            m[b, ..., S - b - 1:] = False
        return m
    else:
        raise ValueError(kind)
    m = rng.random(shape) < 0.6
    rows = rng.integers(0, S, shape[:-1])
    np.put_along_axis(m, rows[..., None], True, axis=-1)  # every row keeps at least one key
    return m


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    lead, L, S, d, dv = tuple(case["lead"]), case["L"], case["S"], case["d"], case["dv"]
    s = case["scale"]
    q = rng.standard_normal(lead + (L, d)) * s
    k = rng.standard_normal(lead + (S, d)) * s
    if case["shift"]:
        # The last feature is the same large value in every query and key: it adds the same
        # constant to all the scores (softmax ignores it), but exposes an unstable softmax.
        q[..., -1] = case["shift"]
        k[..., -1] = case["shift"]
    inputs = {
        "q": _f32_exact(q),
        "k": _f32_exact(k),
        "v": _f32_exact(rng.standard_normal(lead + (S, dv))),
        "grad_out": _f32_exact(rng.standard_normal(lead + (L, dv))),
    }
    if case["mask"] != "none":
        inputs["mask"] = _mask(rng, case["mask"], lead, L, S)
    return inputs


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return contract.numpy(t.grad)


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    leaves = [torch.tensor(inputs[n], dtype=dtype, requires_grad=True) for n in "qkv"]
    q, k, v = (t.clone() for t in leaves)  # like the outputs of projections: not leaves
    args = {"q": q, "k": k, "v": v}
    if "mask" in inputs:
        args["mask"] = torch.as_tensor(inputs["mask"])
    before = contract.snapshot(**args)
    if "mask" in args:
        out = impl.scaled_dot_product_attention(q, k, v, mask=args["mask"])
    else:
        out = impl.scaled_dot_product_attention(q, k, v)
    what = "scaled_dot_product_attention"
    contract.unchanged(before, args, what)
    out = contract.tensor(out, what)
    if not out.requires_grad:
        raise AssertionError(f"{what} returned a tensor without autograd history (computed under "
                             "torch.no_grad() or detached?): gradients cannot reach q, k and v")
    (out * torch.as_tensor(inputs["grad_out"], dtype=out.dtype)).sum().backward()
    return {
        "out": contract.numpy(out),
        "dq": _grad(leaves[0], "q"),
        "dk": _grad(leaves[1], "k"),
        "dv": _grad(leaves[2], "v"),
    }


def builtin():
    """PyTorch's own attention (boolean attn_mask: True = may attend), to measure float32 error."""
    import types

    import torch.nn.functional as F  # noqa: N812

    def scaled_dot_product_attention(q, k, v, mask=None):
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

    return types.SimpleNamespace(scaled_dot_product_attention=scaled_dot_product_attention)
