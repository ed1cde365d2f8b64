"""Grading harness for gqa: output and gradients (q, k, v) for grouped heads, MQA (one kv head)
and MHA (as many kv heads as query heads), with boolean masks of several broadcast shapes, and the
ValueError when n_heads is not a multiple of n_kv_heads.

q, k and v reach the function as results of earlier operations (not leaves), so an in-place change
is caught. The gradients of k and v sum over the query heads that share each kv head.
"""

import numpy as np
import quizdl_contract as contract

AXES = {
    "out": ["batch", "head", "query", "feature"],
    "dq": ["batch", "head", "query", "feature"],
    "dk": ["batch", "kv head", "key", "feature"],
    "dv": ["batch", "kv head", "key", "feature"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, B, Hq, Hkv, L, S, D, mask="none"):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "B": B, "Hq": Hq,
                    "Hkv": Hkv, "L": L, "S": S, "D": D, "mask": mask})

    grouped, extremes = "grouped heads, no mask", "MQA (one kv head) and MHA"
    masked, bad = "boolean masks (True = may attend)", "n_heads not a multiple of n_kv_heads"
    add("Hq=4 Hkv=2, L=S=5 D=8 float64", grouped, "float64", 1, 2, 4, 2, 5, 5, 8)
    add("Hq=6 Hkv=2, L=4 S=6 D=8 float32", grouped, "float32", 2, 1, 6, 2, 4, 6, 8)
    add("Hq=8 Hkv=2, L=3 S=7 D=4 float64", grouped, "float64", 3, 2, 8, 2, 3, 7, 4)
    add("Hq=6 Hkv=3, L=S=4 D=16 float32", grouped, "float32", 4, 2, 6, 3, 4, 4, 16)
    add("MQA Hq=4 Hkv=1 float64", extremes, "float64", 5, 2, 4, 1, 4, 5, 8)
    add("MHA Hq=Hkv=3 float32", extremes, "float32", 6, 1, 3, 3, 4, 4, 8)
    add("causal (L, S) mask, Hq=4 Hkv=2 float64", masked, "float64", 7, 1, 4, 2, 4, 6, 8, "causal")
    add("(B, 1, 1, S) key padding, Hq=6 Hkv=3 float32", masked, "float32", 8, 2, 6, 3, 3, 5, 8,
        "key-padding")
    add("(B, Hq, L, S) random mask, Hq=4 Hkv=2 float64", masked, "float64", 9, 2, 4, 2, 4, 5, 4,
        "full")
    add("(B, 1, L, S) mask, Hq=8 Hkv=4 float64", masked, "float64", 10, 2, 8, 4, 3, 4, 8,
        "per-batch")
    add("Hq=6 Hkv=4 raises ValueError", bad, "float64", 11, 1, 6, 4, 3, 3, 4)
    add("Hq=3 Hkv=2 raises ValueError", bad, "float64", 12, 1, 3, 2, 2, 2, 4)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def _mask(rng, case):
    B, Hq, L, S = case["B"], case["Hq"], case["L"], case["S"]
    kind = case["mask"]
    if kind == "causal":  # top-left aligned (S > L): every row keeps a key and blocks one
        return np.tril(np.ones((L, S), dtype=bool))
    if kind == "key-padding":  # the last keys of each sequence are padding
        m = np.ones((B, 1, 1, S), dtype=bool)
        for b in range(B):
            m[b, ..., S - b - 1:] = False
        return m
    shape = (B, Hq, L, S) if kind == "full" else (B, 1, L, S)
    m = rng.random(shape) < 0.5
    keep = rng.integers(0, S, shape[:-1])
    drop = (keep + rng.integers(1, S, shape[:-1])) % S
    np.put_along_axis(m, keep[..., None], True, axis=-1)  # every row keeps a key ...
    np.put_along_axis(m, drop[..., None], False, axis=-1)  # ... and blocks another
    return m


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    B, Hq, Hkv, L, S, D = (case[n] for n in ("B", "Hq", "Hkv", "L", "S", "D"))
    inputs = {
        "q": _f32_exact(rng.standard_normal((B, Hq, L, D))),
        "k": _f32_exact(rng.standard_normal((B, Hkv, S, D))),
        "v": _f32_exact(rng.standard_normal((B, Hkv, S, D))),
        "grad_out": _f32_exact(rng.standard_normal((B, Hq, L, D))),
    }
    if case["mask"] != "none":
        inputs["mask"] = _mask(rng, case)
    return inputs


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return contract.numpy(t.grad)


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    what = "grouped_query_attention"
    if case["Hq"] % case["Hkv"]:
        q, k, v = (torch.tensor(inputs[n], dtype=dtype) for n in "qkv")
        try:
            impl.grouped_query_attention(q, k, v)
        except ValueError:
            return {"raised_value_error": np.array(1.0)}
        except NotImplementedError:  # not written yet: no diagnosis
            raise
        except Exception as exc:
            raise AssertionError(f"{what} with {case['Hq']} query heads and {case['Hkv']} kv heads must "
                                 f"raise ValueError; it raised {type(exc).__name__}: {exc}") from None
        raise AssertionError(f"{what} with {case['Hq']} query heads and {case['Hkv']} kv heads "
                             "returned a result; it must raise ValueError")
    leaves = [torch.tensor(inputs[n], dtype=dtype, requires_grad=True) for n in "qkv"]
    q, k, v = (t.clone() for t in leaves)  # like the outputs of projections: not leaves
    args = {"q": q, "k": k, "v": v}
    if "mask" in inputs:
        args["mask"] = torch.as_tensor(inputs["mask"])
    before = contract.snapshot(**args)
    if "mask" in args:
        out = impl.grouped_query_attention(q, k, v, mask=args["mask"])
    else:
        out = impl.grouped_query_attention(q, k, v)
    contract.unchanged(before, args, what)
    out = contract.tensor(out, what)
    if tuple(out.shape) != tuple(q.shape):
        raise AssertionError(f"{what} returned shape {tuple(out.shape)}, expected {tuple(q.shape)}")
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
    """F.scaled_dot_product_attention on repeat_interleave'd k and v: the float32 yardstick."""
    import types

    import torch.nn.functional as F  # noqa: N812

    def grouped_query_attention(q, k, v, mask=None):
        if q.shape[1] % k.shape[1]:
            raise ValueError("n_heads must be a multiple of n_kv_heads")
        group = q.shape[1] // k.shape[1]
        k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        return F.scaled_dot_product_attention(q, k, v, attn_mask=mask)

    return types.SimpleNamespace(grouped_query_attention=grouped_query_attention)
