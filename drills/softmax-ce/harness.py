"""softmax-ce harness: softmax/log-softmax along several axes, cross-entropy loss and gradient,
with float32 and float64 inputs, logits up to ±1e4 and very negative logits."""

import numpy as np
import quizdl_contract as contract

TOLERANCES = {
    # log-softmax of logits ~1e4 is itself ~-2e4: float32 keeps ~7 digits of that.
    "log_softmax": {"float32": (1e-5, 1e-4), "float64": (1e-9, 1e-9)},
}


def cases():
    out = []

    def add(name, group, dtype, seed, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, **params})

    add("softmax 4x5 float64", "softmax (last axis)", "float64", 1, kind="softmax", shape=[4, 5], scale=3.0)
    add("softmax 8x10 float32", "softmax (last axis)", "float32", 2, kind="softmax", shape=[8, 10], scale=3.0)
    add("softmax vector", "softmax (last axis)", "float64", 3, kind="softmax", shape=[7], scale=2.0)
    add("axis=0 on 5x3", "softmax (other axes)", "float64", 4, kind="softmax", shape=[5, 3], axis=0, scale=3.0)
    add("axis=1 on 2x3x4", "softmax (other axes)", "float32", 5, kind="softmax", shape=[2, 3, 4], axis=1, scale=3.0)
    add("axis=-2 on 3x4x2", "softmax (other axes)", "float64", 6, kind="softmax", shape=[3, 4, 2], axis=-2, scale=3.0)
    add("loss N=16 C=7 float64", "cross-entropy loss", "float64", 7, kind="ce", shape=[16, 7], scale=2.0)
    add("loss N=32 C=10 float32", "cross-entropy loss", "float32", 8, kind="ce", shape=[32, 10], scale=2.0)
    add("loss N=1", "cross-entropy loss", "float64", 9, kind="ce", shape=[1, 5], scale=2.0)
    add("grad N=16 C=7 float64", "cross-entropy gradient", "float64", 10, kind="grad", shape=[16, 7], scale=2.0)
    add("grad N=32 C=10 float32", "cross-entropy gradient", "float32", 11, kind="grad", shape=[32, 10], scale=2.0)
    add("grad N=3 C=4", "cross-entropy gradient", "float64", 12, kind="grad", shape=[3, 4], scale=2.0)
    add("±1e4 float64", "large logits (±1e4)", "float64", 13, kind="all", shape=[6, 5], scale=1e4)
    add("±1e4 float32", "large logits (±1e4)", "float32", 14, kind="all", shape=[6, 5], scale=1e4)
    add("1000 and 1001", "large logits (±1e4)", "float32", 15, kind="all", shape=[2, 2], fixed="thousand")
    add("one dominant class float64", "very negative logits", "float64", 16, kind="all", shape=[4, 6], fixed="dominant")
    add("one dominant class float32", "very negative logits", "float32", 17, kind="all", shape=[4, 6], fixed="dominant")
    add("single class", "edge cases", "float64", 18, kind="all", shape=[3, 1], scale=5.0)
    add("equal logits", "edge cases", "float32", 19, kind="all", shape=[4, 10], fixed="equal")
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, *rest = case["shape"]
    shape = tuple(case["shape"])
    fixed = case.get("fixed")
    if fixed == "thousand":
        x = np.array([[1000.0, 1001.0], [-1001.0, -1000.0]])
    elif fixed == "dominant":
        x = rng.uniform(-1e4, -5e3, size=shape)
        x[np.arange(n), rng.integers(0, shape[-1], size=n)] = 0.0
    elif fixed == "equal":
        x = np.full(shape, 7.0)
    else:
        x = rng.uniform(-1.0, 1.0, size=shape) * case["scale"]
        if case["scale"] >= 1e4:
            x[0, 0], x[-1, -1] = 1e4, -1e4
    # Exactly representable in float32, so both precisions see the same numbers.
    x = x.astype(np.float32).astype(np.float64)
    inputs = {"x": x}
    if case["kind"] != "softmax":
        classes = shape[-1]
        targets = rng.integers(0, classes, size=n)
        if fixed == "dominant":  # aim at the tiny probabilities: -log p is about 5e3..1e4
            targets = (np.argmax(x, axis=1) + 1) % classes
        inputs["targets"] = targets.astype(np.int64)
    return inputs


def _call(fn, what, scalar=False, **arrays):
    """Call `fn` on fresh copies, check it left them alone and returned an array (or number)."""
    dtype = next(iter(arrays.values())).dtype
    args = {k: v.copy() for k, v in arrays.items() if k != "axis"}
    before = contract.snapshot(**args)
    kwargs = {"axis": arrays["axis"]} if "axis" in arrays else {}
    result = fn(*args.values(), **kwargs)
    contract.unchanged(before, args, what)
    return contract.array(result, what, scalar=scalar, dtype=dtype)


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    x = inputs["x"].astype(dtype)
    kind = case["kind"]
    axis = {"axis": case["axis"]} if "axis" in case else {}
    out = {}
    if kind in ("softmax", "all"):
        out["softmax"] = _call(impl.softmax, "softmax", x=x, **axis)
        out["log_softmax"] = _call(impl.log_softmax, "log_softmax", x=x, **axis)
    if kind in ("ce", "all"):
        out["loss"] = _call(impl.cross_entropy, "cross_entropy", scalar=True, logits=x, targets=inputs["targets"])
    if kind in ("grad", "all"):
        out["grad"] = _call(impl.cross_entropy_grad, "cross_entropy_grad", logits=x, targets=inputs["targets"])
    return out
