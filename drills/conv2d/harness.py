"""conv2d harness: small batches (N, C, H, W) x (F, C, kh, kw) in float32 and float64, with and
without bias; stride, padding and dilation as ints and as (h, w) pairs; output sizes that divide
exactly and that need the floor; integer-valued inputs (exact sums); everything combined. Inputs
are exactly representable in float32, so both precisions see the same numbers."""

import numpy as np
import quizdl_contract as contract

AXES = {"out": ["example", "filter", "row", "column"]}


def cases():
    out = []

    def add(name, group, dtype, seed, x, w, bias=True, ints=False, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "x": list(x), "w": list(w),
                    "bias": bias, "ints": ints, "params": params})

    g = "stride 1, no padding"
    add("x (2, 3, 5, 5), w (3, 3, 3, 3), bias", g, "float64", 1, (2, 3, 5, 5), (3, 3, 3, 3))
    add("x (2, 2, 5, 6), w (4, 2, 3, 3) float32", g, "float32", 2, (2, 2, 5, 6), (4, 2, 3, 3), bias=False)
    add("kernel 2 x 3, bias", g, "float64", 3, (2, 2, 6, 5), (4, 2, 2, 3))
    add("integer-valued float32", g, "float32", 4, (2, 2, 5, 5), (2, 2, 3, 3), ints=True)
    g = "stride"
    add("stride 2 (exact)", g, "float64", 5, (2, 2, 7, 7), (2, 2, 3, 3), bias=False, stride=2)
    add("stride (2, 1) float32, bias", g, "float32", 6, (2, 2, 7, 6), (2, 2, 3, 2), stride=(2, 1))
    add("stride 2, floor (8 → 3)", g, "float64", 7, (1, 2, 8, 8), (2, 2, 3, 3), bias=False, stride=2)
    add("stride 3, floor, float32", g, "float32", 8, (2, 2, 9, 10), (2, 2, 2, 2), bias=False, stride=3)
    g = "zero padding"
    add("padding 1, bias", g, "float64", 9, (2, 2, 5, 5), (4, 2, 3, 3), padding=1)
    add("padding (1, 2) float32", g, "float32", 10, (2, 2, 4, 5), (2, 2, 3, 3), bias=False, padding=(1, 2))
    add("padding 2, stride 2", g, "float64", 11, (1, 3, 5, 5), (2, 3, 3, 3), bias=False, padding=2, stride=2)
    g = "dilation"
    add("dilation 2", g, "float64", 12, (2, 2, 7, 7), (2, 2, 3, 3), bias=False, dilation=2)
    add("dilation (2, 1) float32", g, "float32", 13, (1, 2, 7, 6), (2, 2, 3, 2), bias=False, dilation=(2, 1))
    g = "stride, padding and dilation together"
    add("stride 2, padding 1, dilation 2, bias", g, "float64", 14, (2, 3, 8, 8), (4, 3, 3, 3),
        stride=2, padding=1, dilation=2)
    add("pairs float32, integer-valued", g, "float32", 15, (2, 2, 6, 7), (2, 2, 3, 3), bias=False, ints=True,
        stride=(1, 2), padding=(2, 1), dilation=(1, 2))
    add("1 x 1 kernel, padding 1", g, "float64", 16, (2, 3, 4, 4), (2, 3, 1, 1), padding=1)
    return out


def _f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case["ints"]:
        x = rng.integers(-3, 4, size=case["x"]).astype(np.float64)
        w = rng.integers(-2, 3, size=case["w"]).astype(np.float64)
    else:
        x = _f32(rng.normal(size=case["x"]))
        w = _f32(rng.normal(size=case["w"]) * 0.5)
    inputs = {"x": x, "w": w}
    if case["bias"]:
        inputs["b"] = _f32(rng.normal(size=case["w"][0]))
    return inputs


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    x, w = inputs["x"].astype(dtype), inputs["w"].astype(dtype)
    b = inputs["b"].astype(dtype) if "b" in inputs else None
    params = {k: tuple(v) if isinstance(v, list) else v for k, v in case["params"].items()}
    before = contract.snapshot(x=x, w=w, b=b)
    result = impl.conv2d(x, w, b, **params) if b is not None else impl.conv2d(x, w, **params)
    contract.unchanged(before, {"x": x, "w": w, "b": b}, "conv2d")
    out = contract.array(result, "conv2d")
    want = _out_shape(case)
    if out.shape != want:
        raise AssertionError(f"conv2d returned shape {out.shape}; expected {want} (N, F, OH, OW)")
    return {"out": out}


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, list | tuple) else (int(v), int(v))


def _out_shape(case):
    """(N, F, OH, OW), PyTorch's sizes: (H + 2p - d(k - 1) - 1) // s + 1 per axis."""
    p = case["params"]
    (sh, sw), (ph, pw), (dh, dw) = (_pair(p.get(k, 1 if k != "padding" else 0)) for k in ("stride", "padding", "dilation"))
    n, _, h, w = case["x"]
    f, _, kh, kw = case["w"]
    return (n, f, (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1, (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1)
