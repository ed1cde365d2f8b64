"""Grading harness for attention: output and gradients (q, k, v), with and without masks."""

import numpy as np


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
    add("causal (2, 2, 6, 6) float64", masked, "float64", 5, (2, 2), 6, 6, 8, 8, mask="causal")
    add("causal (2, 3, 5, 5) float32", masked, "float32", 6, (2, 3), 5, 5, 16, 16,
        mask="causal")
    add("causal 2-D (4, 4) float64", masked, "float64", 7, (), 4, 4, 4, 3, mask="causal")
    add("random (2, 3, 5, 7) mask float64", masked, "float64", 8, (2, 3), 5, 7, 8, 6,
        mask="full")
    add("(L, S) mask, (2, 3, L, S) scores float64", bcast, "float64", 9, (2, 3), 4, 6, 8, 5,
        mask="2d")
    add("(L, S) mask, (2, 2, L, S) scores float32", bcast, "float32", 10, (2, 2), 5, 3, 8, 4,
        mask="2d")
    add("(B, 1, L, S) mask float64", bcast, "float64", 11, (2, 3), 4, 6, 8, 5, mask="per-batch")
    add("(B, 1, 1, S) key padding float32", bcast, "float32", 12, (3, 2), 5, 6, 8, 8,
        mask="key-padding")
    # Every score of a row shifted by shift**2 / sqrt(d) (900 and 100): exp() overflows unless the
    # row maximum is subtracted, while the weights themselves stay far from one-hot.
    add("scores ~ 900 float64", large, "float64", 13, (2,), 5, 6, 16, 4, shift=60.0)
    add("scores ~ 100, causal float32", large, "float32", 14, (2, 2), 4, 5, 16, 4, shift=20.0,
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
    return t.grad.detach().cpu().numpy()


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    q, k, v = (torch.tensor(inputs[n], dtype=dtype, requires_grad=True) for n in "qkv")
    if "mask" in inputs:
        out = impl.scaled_dot_product_attention(q, k, v, mask=torch.as_tensor(inputs["mask"]))
    else:
        out = impl.scaled_dot_product_attention(q, k, v)
    (out * torch.as_tensor(inputs["grad_out"], dtype=dtype)).sum().backward()
    return {
        "out": out.detach().cpu().numpy(),
        "dq": _grad(q, "q"),
        "dk": _grad(k, "k"),
        "dv": _grad(v, "v"),
    }
