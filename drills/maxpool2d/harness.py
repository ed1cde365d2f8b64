"""maxpool2d harness: forward and backward on small batches (N, C, H, W) in float32 and float64:
non-overlapping windows (stride = kernel by default), output sizes that need the floor, ties
(integer-valued inputs, a constant image), overlapping windows (stride < kernel), -inf padding
with all-negative inputs, pairs for kernel, stride and padding. The upstream gradient is
random; the cache from the forward pass is handed to the backward pass as it is."""

import numpy as np
import quizdl_contract as contract

AXES = {"out": ["example", "channel", "row", "column"], "dx": ["example", "channel", "row", "column"]}


def cases():
    out = []

    def add(name, group, dtype, seed, x, kernel, values="normal", **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "x": list(x),
                    "kernel": kernel, "values": values, "params": params})

    g = "windows side by side (stride = kernel)"
    add("kernel 2, x (2, 2, 4, 4)", g, "float64", 1, (2, 2, 4, 4), 2)
    add("kernel 2, x (2, 3, 6, 6) float32", g, "float32", 2, (2, 3, 6, 6), 2)
    add("kernel 3, 7 x 7 (floor)", g, "float64", 3, (1, 2, 7, 7), 3)
    add("kernel (2, 3) float32, floor", g, "float32", 4, (2, 2, 5, 7), [2, 3])
    g = "ties (integer-valued inputs)"
    add("kernel 2, values -2..2", g, "float64", 5, (2, 2, 6, 6), 2, values="ints")
    add("kernel 3, stride 1, float32", g, "float32", 6, (2, 2, 5, 5), 3, values="ints", stride=1)
    add("a constant image, stride 1", g, "float64", 7, (1, 2, 4, 4), 2, values="constant", stride=1)
    add("kernel (3, 2), stride (1, 2)", g, "float64", 8, (2, 2, 5, 6), [3, 2], values="ints", stride=[1, 2])
    g = "overlapping windows (stride < kernel)"
    add("kernel 3, stride 2", g, "float64", 9, (2, 2, 7, 7), 3, stride=2)
    add("kernel 3, stride 1, 5 x 6 float32", g, "float32", 10, (2, 2, 5, 6), 3, stride=1)
    add("kernel 2, stride 1, few values", g, "float32", 11, (2, 1, 5, 5), 2, values="ints", stride=1)
    g = "padding (-inf) and negative inputs"
    add("kernel 3, stride 2, padding 1, negative", g, "float64", 12, (2, 2, 6, 6), 3, values="negative",
        stride=2, padding=1)
    add("kernel 2, padding 1, negative integers float32", g, "float32", 13, (2, 2, 5, 5), 2,
        values="negative-ints", padding=1)
    add("kernel 3, stride 1, padding 1, ties", g, "float64", 14, (1, 2, 4, 5), 3, values="ints",
        stride=1, padding=1)
    add("pairs: kernel 3, stride (2, 1), padding (1, 0), float32", g, "float32", 15, (2, 2, 6, 5), 3,
        values="negative", stride=[2, 1], padding=[1, 0])
    return out


def _f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def _pair(v):
    return (int(v[0]), int(v[1])) if isinstance(v, list | tuple) else (int(v), int(v))


def _out_shape(case):
    (kh, kw) = _pair(case["kernel"])
    sh, sw = _pair(case["params"].get("stride", case["kernel"]))
    ph, pw = _pair(case["params"].get("padding", 0))
    n, c, h, w = case["x"]
    return (n, c, (h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape, values = case["x"], case["values"]
    if values == "ints":
        x = rng.integers(-2, 3, size=shape).astype(np.float64)
    elif values == "negative-ints":
        x = -rng.integers(1, 4, size=shape).astype(np.float64)
    elif values == "constant":
        x = np.full(shape, 1.5)
    else:
        x = _f32(rng.normal(size=shape))
        if values == "negative":
            x = -np.abs(x) - 0.25
    dout = _f32(rng.normal(size=_out_shape(case)))
    return {"x": x, "dout": dout}


def _arg(v):
    return tuple(v) if isinstance(v, list) else v


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    x, dout = inputs["x"].astype(dtype), inputs["dout"].astype(dtype)
    params = {k: _arg(v) for k, v in case["params"].items()}
    before = contract.snapshot(x=x)
    result = impl.maxpool2d_forward(x, _arg(case["kernel"]), **params)
    contract.unchanged(before, {"x": x}, "maxpool2d_forward")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"maxpool2d_forward returned {type(result).__name__}; return a pair (out, cache)")
    out = contract.array(result[0], "maxpool2d_forward's out")
    if out.shape != dout.shape:
        raise AssertionError(f"maxpool2d_forward returned out of shape {out.shape}; expected {dout.shape}")
    out = out.copy()  # what the backward pass does to it is not the forward pass's fault
    before = contract.snapshot(x=x, dout=dout)
    dx = contract.array(impl.maxpool2d_backward(dout, result[1]), "maxpool2d_backward")
    contract.unchanged(before, {"x": x, "dout": dout}, "maxpool2d_backward")
    if dx.shape != x.shape:
        raise AssertionError(f"maxpool2d_backward returned dx of shape {dx.shape}; expected {x.shape}")
    return {"out": out, "dx": dx.copy()}
