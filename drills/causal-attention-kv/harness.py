"""Grading harness for causal-attention-kv: the full causal pass with gradients (x and the two
linears' weights), decoding one token at a time with the cache, and chunks after a cached prefix.

The module's own qkv and proj linears get the case's weights, so every solution computes with the
same numbers. The cached runs go through forward(x_chunk, cache=cache) with the cache exactly as
forward returned it; their outputs, put side by side along time, must equal the full causal pass.
"""

import numpy as np
import quizdl_contract as contract

AXES = {
    "y": ["batch", "position", "feature"],
    "dx": ["batch", "position", "feature"],
    "dqkv_weight": ["output", "input"],
    "dproj_weight": ["output", "input"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, B, T, d_model, n_heads, mode="full", chunks=None):
        out.append({
            "name": name, "group": group, "dtype": dtype, "seed": seed, "B": B, "T": T,
            "d_model": d_model, "n_heads": n_heads, "mode": mode, "chunks": chunks or [T],
        })

    full, decode, chunk = ("full causal pass (with gradients)", "decoding one token at a time",
                           "a chunk after a cached prefix")
    add("B=2 T=5 d_model=8 heads=2 float64", full, "float64", 1, 2, 5, 8, 2)
    add("B=1 T=6 d_model=12 heads=3 float32", full, "float32", 2, 1, 6, 12, 3)
    add("one head, B=2 T=4 d_model=6 float64", full, "float64", 3, 2, 4, 6, 1)
    add("B=2 T=7 d_model=16 heads=4 float32", full, "float32", 4, 2, 7, 16, 4)
    add("from the first token, 5 steps, heads=2 float64", decode, "float64", 5, 2, 5, 8, 2,
        "cached", [1, 1, 1, 1, 1])
    add("prefix 3, then 3 single tokens, heads=4 float32", decode, "float32", 6, 1, 6, 16, 4,
        "cached", [3, 1, 1, 1])
    add("prefix 2, then 4 single tokens, one head float64", decode, "float64", 7, 2, 6, 4, 1,
        "cached", [2, 1, 1, 1, 1])
    add("prefix 3, chunk of 4, heads=2 float64", chunk, "float64", 8, 2, 7, 8, 2, "cached", [3, 4])
    add("prefix 2, chunks of 3 and 2, heads=3 float32", chunk, "float32", 9, 1, 7, 12, 3,
        "cached", [2, 3, 2])
    add("prefix 4, chunk of 2, then one token, heads=2 float64", chunk, "float64", 10, 2, 7, 6, 2,
        "cached", [4, 2, 1])
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    B, T, C = case["B"], case["T"], case["d_model"]
    s = 1.0 / np.sqrt(C)  # q and k entries of order 1: attention weights far from uniform
    return {
        "x": _f32_exact(rng.standard_normal((B, T, C))),
        "qkv_weight": _f32_exact(rng.standard_normal((3 * C, C)) * s),
        "qkv_bias": _f32_exact(rng.standard_normal(3 * C) * 0.1),
        "proj_weight": _f32_exact(rng.standard_normal((C, C)) * s),
        "proj_bias": _f32_exact(rng.standard_normal(C) * 0.1),
        "grad_out": _f32_exact(rng.standard_normal((B, T, C))),
    }


def _linear(m, name, d_in, d_out):
    import torch

    lin = getattr(m, name, None)
    if not isinstance(lin, torch.nn.Module):
        raise AssertionError(f"CausalSelfAttention has no submodule {name!r}: it must be "
                             f"nn.Linear({d_in}, {d_out})")
    return contract.parameter(lin, "weight", (d_out, d_in)), contract.parameter(lin, "bias", (d_out,))


def _unpack(result, what):
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"{what} must return a pair (y, cache); it returned "
                             f"{type(result).__name__}")
    y, cache = result
    return contract.tensor(y, what), cache


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return contract.numpy(t.grad)


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    C, H = case["d_model"], case["n_heads"]
    m = contract.construct(lambda: impl.CausalSelfAttention(C, H), "CausalSelfAttention")
    m = m.to(dtype)
    qkv_w, qkv_b = _linear(m, "qkv", C, 3 * C)
    proj_w, proj_b = _linear(m, "proj", C, C)
    with torch.no_grad():
        for p, key in ((qkv_w, "qkv_weight"), (qkv_b, "qkv_bias"), (proj_w, "proj_weight"),
                       (proj_b, "proj_bias")):
            p.copy_(torch.as_tensor(inputs[key], dtype=dtype).reshape(p.shape))
    if case["mode"] == "full":
        x_leaf = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
        x = x_leaf.clone()  # the caller's activations, as in a network (not a leaf)
        before = contract.snapshot(x=x)
        y, _ = _unpack(m(x), "forward(x)")
        contract.unchanged(before, {"x": x}, "forward")
        if not y.requires_grad:
            raise AssertionError("forward returned a tensor without autograd history (computed under "
                                 "torch.no_grad() or detached?): gradients cannot reach x")
        (y * torch.as_tensor(inputs["grad_out"], dtype=y.dtype)).sum().backward()
        return {  # forward output first, then the gradients
            "y": contract.numpy(y),
            "dx": _grad(x_leaf, "x"),
            "dqkv_weight": _grad(qkv_w, "qkv.weight"),
            "dproj_weight": _grad(proj_w, "proj.weight"),
        }
    x = torch.tensor(inputs["x"], dtype=dtype)
    before = contract.snapshot(x=x)
    ys, cache, at = [], None, 0
    with torch.no_grad():  # decoding: inference only
        for n in case["chunks"]:
            piece = x[:, at:at + n]
            if cache is None:
                y, cache = _unpack(m(piece), f"forward(x[:, {at}:{at + n}])")
            else:
                y, cache = _unpack(m(piece, cache=cache), f"forward(x[:, {at}:{at + n}], cache)")
            if tuple(y.shape) != tuple(piece.shape):
                raise AssertionError(f"forward(x[:, {at}:{at + n}], cache) returned y of shape "
                                     f"{tuple(y.shape)}, expected {tuple(piece.shape)}")
            ys.append(y)
            at += n
    contract.unchanged(before, {"x": x}, "forward")
    return {"y": contract.numpy(torch.cat(ys, dim=1))}


def builtin():
    """The same module with F.scaled_dot_product_attention (is_causal=True for the full pass; an
    explicit bottom-right aligned mask with a cache): the float32 yardstick."""
    import types

    import torch
    import torch.nn.functional as F  # noqa: N812

    class CausalSelfAttention(torch.nn.Module):
        def __init__(self, d_model, n_heads):
            super().__init__()
            self.d_model, self.n_heads = d_model, n_heads
            self.qkv = torch.nn.Linear(d_model, 3 * d_model)
            self.proj = torch.nn.Linear(d_model, d_model)

        def forward(self, x, cache=None):
            B, T, C = x.shape
            q, k, v = (t.view(B, T, self.n_heads, C // self.n_heads).transpose(1, 2)
                       for t in self.qkv(x).split(C, dim=-1))
            if cache is None:
                y = F.scaled_dot_product_attention(q, k, v, is_causal=True)
            else:
                k, v = torch.cat([cache[0], k], dim=2), torch.cat([cache[1], v], dim=2)
                S = k.shape[2]
                mask = torch.ones(T, S, dtype=torch.bool).tril(diagonal=S - T)
                y = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
            return self.proj(y.transpose(1, 2).reshape(B, T, C)), (k, v)

    return types.SimpleNamespace(CausalSelfAttention=CausalSelfAttention)
