"""l1-l2-penalty harness: l1_penalty, l2_penalty and elastic_net on vectors and matrices (float32
and float64) with exact zeros among the weights, several lam values, lam = 0, and l1_ratio at 0,
1 and in between; each call's value, then its gradient."""

import numpy as np
import quizdl_contract as contract

FN = {"l1": "l1_penalty", "l2": "l2_penalty", "elastic": "elastic_net"}


def cases():
    out = []

    def add(name, group, dtype, seed, kind, shape, lam, **params):
        out.append({"name": f"{FN[kind]}: {name}", "group": group, "dtype": dtype, "seed": seed, "kind": kind,
                    "shape": shape, "lam": lam, **params})

    g = "L1 penalty"
    add("w (8,), lam 0.1", g, "float64", 1, "l1", [8], 0.1)
    add("w (4, 5) float32, lam 0.01", g, "float32", 2, "l1", [4, 5], 0.01)
    add("w (3, 2, 2), lam 2", g, "float64", 3, "l1", [3, 2, 2], 2.0)
    g = "L1 subgradient at w = 0"
    add("w (10,) with zeros, lam 0.5", g, "float64", 4, "l1", [10], 0.5, zeros=4)
    add("w (6, 3) float32 with zeros, lam 0.05", g, "float32", 5, "l1", [6, 3], 0.05, zeros=5)
    add("w all zeros, lam 1", g, "float64", 6, "l1", [5], 1.0, zeros=5)
    g = "L2 penalty"
    add("w (8,), lam 0.1", g, "float64", 7, "l2", [8], 0.1)
    add("w (4, 5) float32, lam 0.01", g, "float32", 8, "l2", [4, 5], 0.01)
    add("w (3, 2, 2) with zeros, lam 3", g, "float64", 9, "l2", [3, 2, 2], 3.0, zeros=3)
    add("w (16,) float32, lam 1e-3", g, "float32", 10, "l2", [16], 1e-3)
    g = "elastic net"
    add("l1_ratio 0.3, w (8,) with zeros", g, "float64", 11, "elastic", [8], 0.2, l1_ratio=0.3, zeros=2)
    add("l1_ratio 0.7, w (4, 5) float32", g, "float32", 12, "elastic", [4, 5], 0.05, l1_ratio=0.7, zeros=3)
    add("l1_ratio 0.5, w (6,)", g, "float64", 13, "elastic", [6], 1.0, l1_ratio=0.5)
    g = "elastic net at l1_ratio 0 and 1"
    add("l1_ratio 0: pure L2", g, "float64", 14, "elastic", [7], 0.3, l1_ratio=0.0, zeros=1)
    add("l1_ratio 1: pure L1", g, "float64", 15, "elastic", [7], 0.3, l1_ratio=1.0, zeros=2)
    add("l1_ratio 0 float32", g, "float32", 16, "elastic", [3, 3], 0.1, l1_ratio=0.0)
    g = "lam = 0"
    add("L1, lam 0", g, "float64", 17, "l1", [5], 0.0, zeros=1)
    add("L2, lam 0 float32", g, "float32", 18, "l2", [5], 0.0)
    add("elastic net, lam 0", g, "float64", 19, "elastic", [5], 0.0, l1_ratio=0.4)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    w = rng.normal(0.0, 1.5, size=shape)
    zeros = case.get("zeros", 0)
    if zeros:
        flat = w.reshape(-1)
        flat[rng.choice(flat.size, size=zeros, replace=False)] = 0.0
    # Exactly representable in float32, so both precisions see the same numbers.
    return {"w": w.astype(np.float32).astype(np.float64)}


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    w = inputs["w"].astype(dtype)
    kind, lam = case["kind"], case["lam"]
    fn, what = {"l1": (impl.l1_penalty, "l1_penalty"), "l2": (impl.l2_penalty, "l2_penalty"),
                "elastic": (impl.elastic_net, "elastic_net")}[kind]
    args = (w, lam, case["l1_ratio"]) if kind == "elastic" else (w, lam)
    before = contract.snapshot(w=w)
    result = fn(*args)
    contract.unchanged(before, {"w": w}, what)
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"{what} returned {type(result).__name__}; return a pair (value, grad)")
    value, grad = result
    value = contract.array(value, f"{what}'s value", scalar=True, dtype=dtype)
    if value.shape != ():
        raise AssertionError(f"{what}'s value has shape {value.shape}; return a single number")
    grad = contract.array(grad, f"{what}'s grad")
    return {"value": value, "grad": grad}
