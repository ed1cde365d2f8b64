"""Grading harness for mha: outputs (attention output, weights) and gradients (inputs, in_proj,
out_proj) of a MultiheadAttention whose parameters are loaded by name (in_proj_weight,
in_proj_bias, out_proj.weight, out_proj.bias) from seeded values, compared with
torch.nn.MultiheadAttention(batch_first=True) semantics.

Self-attention passes one tensor as query, key and value; cross-attention has S != L; "memory"
passes one tensor as key and value. The inputs reach forward() as results of earlier operations
(not leaves), so an in-place change is caught; the gradients are those of the leaves behind them.
The loss is sum(out * g) + sum(weights * g_w), so the weights are differentiated too. Every query
keeps at least one allowed key, so the reference never has a fully masked row (see _masks).
"""

import numpy as np
import quizdl_contract as contract

AXES = {
    "out": ["sample", "query", "feature"],
    "weights": ["sample", "query", "key"],
    "head_weights": ["sample", "head", "query", "key"],
    "dx": ["sample", "position", "feature"],
    "dquery": ["sample", "query", "feature"],
    "dkey": ["sample", "key", "feature"],
    "dvalue": ["sample", "key", "feature"],
    "dmemory": ["sample", "key", "feature"],
    "din_proj_weight": ["row", "column"],
    "din_proj_bias": ["row"],
    "dout_proj_weight": ["output feature", "input feature"],
    "dout_proj_bias": ["feature"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, n, e, h, L, S=None, inputs="self", attn=None, kpm=None,
            need_weights=True, average=True, bias=True):
        out.append({
            "name": name, "group": group, "dtype": dtype, "seed": seed, "n": n, "e": e, "h": h,
            "L": L, "S": L if S is None else S, "inputs": inputs, "attn": attn, "kpm": kpm,
            "need_weights": need_weights, "average": average, "bias": bias,
        })

    plain, cross = "self-attention", "cross-attention (S != L)"
    boolean, floats = "boolean masks (True = not allowed)", "float masks (added to the scores)"
    weights, nobias = "per-head weights, need_weights=False", "bias=False"
    add("E=8, 2 heads, L=5 float64", plain, "float64", 1, 2, 8, 2, 5)
    add("E=12, 3 heads, L=4 float32", plain, "float32", 2, 3, 12, 3, 4)
    add("one head, E=6 float64", plain, "float64", 3, 2, 6, 1, 4)
    add("E=16, 4 heads, N=1 float64", plain, "float64", 4, 1, 16, 4, 3)
    add("L=3, S=6 float64", cross, "float64", 5, 2, 8, 2, 3, S=6, inputs="cross")
    add("L=5, S=2, 4 heads float32", cross, "float32", 6, 2, 8, 4, 5, S=2, inputs="cross")
    add("key is value (memory) L=4, S=6 float64", cross, "float64", 7, 2, 12, 2, 4, S=6,
        inputs="memory")
    add("causal window (L, S) mask float64", boolean, "float64", 8, 2, 8, 2, 5, attn="bool2d-window")
    add("key_padding_mask, cross float32", boolean, "float32", 9, 3, 8, 2, 4, S=6, inputs="cross",
        kpm="bool")
    add("(N*heads, L, S) mask + key_padding_mask float64", boolean, "float64", 10, 2, 8, 2, 4, S=5,
        inputs="cross", attn="bool3d", kpm="bool")
    add("(L, S) mask + key_padding_mask, self float64", boolean, "float64", 11, 2, 8, 4, 5,
        attn="bool2d", kpm="bool")
    add("(L, S) float bias, self float64", floats, "float64", 12, 2, 8, 2, 5, attn="float2d")
    add("float key_padding_mask, cross float32", floats, "float32", 13, 2, 8, 2, 3, S=5,
        inputs="cross", kpm="float")
    add("(N*heads, L, S) float + float key_padding_mask float64", floats, "float64", 14, 2, 12, 3,
        4, S=6, inputs="memory", attn="float3d", kpm="float")
    add("per-head weights, (L, S) mask float64", weights, "float64", 15, 2, 8, 2, 5,
        attn="bool2d", average=False)
    add("per-head weights, (N*heads, L, S) float mask float32", weights, "float32", 16, 2, 8, 2, 3,
        S=4, inputs="cross", attn="float3d", average=False)
    add("need_weights=False, key_padding_mask cross float64", weights, "float64", 17, 2, 8, 2, 4,
        S=6, inputs="cross", kpm="bool", need_weights=False)
    add("need_weights=False, (L, S) mask + key_padding_mask float32", weights, "float32", 18, 2, 8,
        2, 5, attn="bool2d", kpm="bool", need_weights=False)
    add("bias=False, (N*heads, L, S) mask cross float64", nobias, "float64", 19, 2, 8, 2, 4, S=5,
        inputs="cross", attn="bool3d", bias=False)
    add("bias=False, per-head weights float32", nobias, "float32", 20, 2, 8, 2, 4, average=False,
        bias=False)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def _masks(rng, case):
    """Boolean "blocked" patterns for attn_mask ((L, S) or (N*heads, L, S)) and key_padding_mask
    (N, S). Every (sample, head, query) row keeps an allowed key (key 0, never padded), and has a
    blocked key too, so that a mask read the wrong way round blanks no row either (its NaNs would
    depend on how the mask is applied); without padding no key is blocked for every query."""
    n, h, L, S = case["n"], case["h"], case["L"], case["S"]
    padded = np.zeros((n, S), dtype=bool)
    if case["kpm"]:
        for b in range(n):  # the last b + 1 keys of sample b are padding, never key 0
            padded[b, max(1, S - b - 1):] = True
    kind = case["attn"] or ""
    if kind == "bool2d-window":  # causal, each query sees itself and the two keys before it
        i, j = np.indices((L, S))
        blocked = (j > i) | (j <= i - 3)
    elif kind:
        shape = (n * h, L, S) if "3d" in kind else (L, S)
        blocked = rng.random(shape) < 0.35
        rows = blocked.reshape(-1, L, S)
        for r in range(rows.shape[0]):
            shut = np.full(L, S - 1)  # with padding: the last key, padded in every sample
            while not case["kpm"] and len(set(shut.tolist())) == 1:  # else: not all the same key
                shut = rng.integers(1, S, L)
            rows[r, :, 0] = False
            rows[r, np.arange(L), shut] = True
            if not case["kpm"]:
                for col in range(1, S):  # a key every query is blocked from: open it for one
                    if rows[r, :, col].all():
                        rows[r, int(np.flatnonzero(shut != col)[0]), col] = False
    else:
        blocked = None
    return blocked, (padded if case["kpm"] else None)


def _float_mask(rng, blocked, neg_inf):
    """An additive mask from a blocked pattern: exact zeros (key 0 always), finite biases of both
    signs (an ALiBi-like bias, which a mask read as boolean would block), -inf if `neg_inf`."""
    bias = _f32_exact(rng.standard_normal(blocked.shape))
    mask = np.where(blocked | (rng.random(blocked.shape) < 0.5), bias, 0.0)
    if neg_inf:
        mask = np.where(blocked, -np.inf, mask)
    mask[..., 0] = 0.0
    return mask


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, e, h, L, S = case["n"], case["e"], case["h"], case["L"], case["S"]
    g = 1.5  # scores of a few units: the weights are far from uniform
    inputs = {
        "in_proj_weight": rng.standard_normal((3 * e, e)) * g / np.sqrt(e),
        "out_proj.weight": rng.standard_normal((e, e)) / np.sqrt(e),
        "grad_out": rng.standard_normal((n, L, e)),
    }
    if case["bias"]:
        inputs["in_proj_bias"] = rng.standard_normal(3 * e) * 0.3
        inputs["out_proj.bias"] = rng.standard_normal(e) * 0.3
    if case["inputs"] == "self":
        inputs["x"] = rng.standard_normal((n, L, e))
    elif case["inputs"] == "memory":
        inputs["query"] = rng.standard_normal((n, L, e))
        inputs["memory"] = rng.standard_normal((n, S, e))
    else:
        inputs["query"] = rng.standard_normal((n, L, e))
        inputs["key"] = rng.standard_normal((n, S, e))
        inputs["value"] = rng.standard_normal((n, S, e))
    if case["need_weights"]:
        shape = (n, L, S) if case["average"] else (n, h, L, S)
        inputs["grad_weights"] = rng.standard_normal(shape)
    inputs = {k: _f32_exact(v) for k, v in inputs.items()}
    blocked, padded = _masks(rng, case)
    if blocked is not None:  # a float attn_mask: finite biases only
        inputs["attn_mask"] = _float_mask(rng, blocked, False) if case["attn"].startswith("float") else blocked
    if padded is not None:  # a float key_padding_mask: -inf for the padding, biases elsewhere
        inputs["key_padding_mask"] = _float_mask(rng, padded, True) if case["kpm"] == "float" else padded
    return inputs


def _load(m, name, value, dtype):
    """Copy the seeded `value` into the module's parameter `name` (registered, right shape)."""
    import torch

    t = contract.parameter(m, name, value.shape)
    if tuple(t.shape) != value.shape:
        raise contract.ContractError(
            "wrong-shape", f"parameter {name} has shape {tuple(t.shape)}, expected {value.shape}")
    with torch.no_grad():
        t.copy_(torch.as_tensor(value, dtype=dtype))
    return t


def _no_bias(m):
    """bias=False: no in_proj_bias parameter and an out_proj without bias, like torch's."""
    extra = [name for name in ("in_proj_bias", "out_proj.bias") if name in dict(m.named_parameters())]
    if extra:
        raise AssertionError(f"MultiheadAttention(..., bias=False) has the parameter(s) {', '.join(extra)}: "
                             "with bias=False in_proj_bias is None and out_proj has no bias")


def _grad(t):
    import torch

    # A parameter the output does not depend on has gradient zero (torch leaves it None).
    return contract.numpy(t.grad if t.grad is not None else torch.zeros_like(t))


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    n, e, h, L, S = case["n"], case["e"], case["h"], case["L"], case["S"]
    m = contract.construct(lambda: impl.MultiheadAttention(e, h, bias=case["bias"]), "MultiheadAttention")
    m = m.to(dtype)
    names = ["in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"]
    if not case["bias"]:
        _no_bias(m)
        names = ["in_proj_weight", "out_proj.weight"]
    params = {name: _load(m, name, inputs[name], dtype) for name in names}

    leaf_names = {"self": ["x"], "memory": ["query", "memory"], "cross": ["query", "key", "value"]}
    leaves = {k: torch.tensor(inputs[k], dtype=dtype, requires_grad=True) for k in leaf_names[case["inputs"]]}
    given = {k: t.clone() for k, t in leaves.items()}  # like the outputs of earlier layers: not leaves
    if case["inputs"] == "self":
        query = key = value = given["x"]
    elif case["inputs"] == "memory":
        query, key = given["query"], given["memory"]
        value = key
    else:
        query, key, value = given["query"], given["key"], given["value"]
    masks = {}
    for mask in ("key_padding_mask", "attn_mask"):
        if mask in inputs:
            a = inputs[mask]
            masks[mask] = torch.as_tensor(a) if a.dtype == bool else torch.as_tensor(a, dtype=dtype)
    flags = {}
    if not case["need_weights"]:
        flags["need_weights"] = False
    if not case["average"]:
        flags["average_attn_weights"] = False
    before = contract.snapshot(**given, **masks)
    result = m(query, key, value, **masks, **flags)
    contract.unchanged(before, {**given, **masks}, "forward")
    if not isinstance(result, tuple) or len(result) != 2:
        raise AssertionError(f"forward returned {type(result).__name__}; return a pair (out, weights)")
    out, weights = result
    out = contract.tensor(out, "forward (out)")
    if tuple(out.shape) != (n, L, e):
        raise AssertionError(f"forward returned out of shape {tuple(out.shape)}, expected (N, L, E) = {(n, L, e)}")
    if not out.requires_grad:
        raise AssertionError("forward returned an output without autograd history (computed under "
                             "torch.no_grad() or detached?): gradients cannot flow back")
    loss = (out * torch.as_tensor(inputs["grad_out"], dtype=out.dtype)).sum()
    results = {"out": out}
    if not case["need_weights"]:
        if weights is not None:
            raise AssertionError("with need_weights=False forward must return (out, None), "
                                 f"not weights of shape {tuple(getattr(weights, 'shape', ()))}")
    else:
        weights = contract.tensor(weights, "forward (weights)")
        want = (n, L, S) if case["average"] else (n, h, L, S)
        if tuple(weights.shape) != want:
            how = ("averaged over the heads, (N, L, S)" if case["average"]
                   else "one map per head (average_attn_weights=False), (N, num_heads, L, S)")
            raise AssertionError(f"forward returned attention weights of shape {tuple(weights.shape)}; "
                                 f"expected {how} = {want}")
        results["weights" if case["average"] else "head_weights"] = weights
        if weights.requires_grad:
            loss = loss + (weights * torch.as_tensor(inputs["grad_weights"], dtype=weights.dtype)).sum()
    loss.backward()
    outputs = {k: contract.numpy(v) for k, v in results.items()}  # forward outputs first
    for k, t in leaves.items():
        if t.grad is None:
            raise AssertionError(f"{k}.grad is None after backward(): no gradient reached {k}")
        outputs["d" + k] = contract.numpy(t.grad)
    for name, t in params.items():
        outputs["d" + name.replace(".", "_")] = _grad(t)
    return outputs


def builtin():
    """torch.nn.MultiheadAttention(batch_first=True) behind the drill's entry point (same
    parameter names): the float32 yardstick."""
    import types

    from torch import nn

    class MultiheadAttention(nn.MultiheadAttention):
        def __init__(self, embed_dim, num_heads, bias=True):
            super().__init__(embed_dim, num_heads, bias=bias, batch_first=True)

    return types.SimpleNamespace(MultiheadAttention=MultiheadAttention)
