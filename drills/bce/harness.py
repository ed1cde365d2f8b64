"""bce harness: binary_cross_entropy on probabilities (including p = 0 and 1 exactly, and p so
small that log p < -100), bce_with_logits and its gradient for moderate logits, logits up to
±1e4, soft labels and pos_weight (a per-class vector, a scalar array, a Python float); float32
and float64. Every call gets fresh copies of its inputs."""

import numpy as np
import quizdl_contract as contract

AXES = {}


def cases():
    out = []

    def add(name, group, dtype, seed, kind, shape, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind,
                    "shape": list(shape), **params})

    add("probs (16,) float64", "BCE on probabilities", "float64", 1, "probs", (16,))
    add("probs (6, 5) float32", "BCE on probabilities", "float32", 2, "probs", (6, 5))
    add("probs, soft labels (8, 3)", "BCE on probabilities", "float64", 3, "probs", (8, 3), soft=True)
    add("p = 0 and 1, float64", "BCE at p = 0 and 1 (log clamp)", "float64", 4, "probs", (4, 4), extreme=True)
    add("p = 0 and 1, float32", "BCE at p = 0 and 1 (log clamp)", "float32", 5, "probs", (4, 4), extreme=True)
    add("p = 1e-60 (log p < -100)", "BCE at p = 0 and 1 (log clamp)", "float64", 6, "probs", (6,), tiny=True)
    add("logits (20,) float64", "BCE with logits", "float64", 11, "logits", (20,), scale=3.0)
    add("logits (8, 4) float32", "BCE with logits", "float32", 12, "logits", (8, 4), scale=3.0)
    add("logits, soft labels (6, 5)", "BCE with logits", "float64", 13, "logits", (6, 5), scale=3.0, soft=True)
    add("logits (1,)", "BCE with logits", "float32", 14, "logits", (1,), scale=3.0)
    add("|z| up to 1e4 float64", "large logits (|z| up to 1e4)", "float64", 21, "logits", (6, 4), scale=1e4)
    add("|z| up to 1e4 float32", "large logits (|z| up to 1e4)", "float32", 22, "logits", (6, 4), scale=1e4)
    add("z = ±50, ±800 float64", "large logits (|z| up to 1e4)", "float64", 23, "logits", (2, 4), fixed=True)
    add("z = ±50, ±800 float32", "large logits (|z| up to 1e4)", "float32", 24, "logits", (2, 4), fixed=True)
    add("per-class (4,) float64", "pos_weight", "float64", 31, "logits", (10, 4), scale=3.0, pos_weight="vector")
    add("per-class (5,) float32, soft labels", "pos_weight", "float32", 32, "logits", (8, 5), scale=3.0,
        pos_weight="vector", soft=True)
    add("scalar array 3.0, soft labels", "pos_weight", "float64", 33, "logits", (12,), scale=2.0,
        pos_weight="scalar", soft=True)
    add("Python float 0.25 float32", "pos_weight", "float32", 34, "logits", (6, 3), scale=2.0, pos_weight=0.25)
    add("per-class, |z| up to 1e4", "pos_weight", "float64", 35, "logits", (6, 4), scale=1e4, pos_weight="vector",
        soft=True)
    return out


def _f32(a):
    """Exactly representable in float32, so both precisions see the same numbers."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    y = (rng.random(size=shape) < 0.5).astype(np.float64)
    if case.get("soft"):
        y = np.round(rng.random(size=shape) * 8) / 8
    inputs = {"y": y}
    if case["kind"] == "probs":
        p = _f32(rng.uniform(0.02, 0.98, size=shape))
        if case.get("extreme"):  # p exactly 0 or 1, with the label on either side
            p.reshape(-1)[:8] = [0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.5, 0.0]
            y.reshape(-1)[:8] = [1.0, 0.0, 0.0, 1.0, 0.25, 0.75, 1.0, 0.5]
        if case.get("tiny"):
            p[:] = [1e-60, 1e-60, 1e-40, 0.5, 1e-60, 0.9]
            y[:] = [1.0, 0.0, 1.0, 1.0, 0.5, 0.0]
        inputs["p"] = p
        return inputs
    if case.get("fixed"):
        z = np.array([[50.0, -50.0, 800.0, -800.0], [-50.0, 50.0, -800.0, 800.0]])
        y = np.array([[1.0, 1.0, 0.0, 0.0], [1.0, 0.0, 1.0, 0.0]])
        inputs["y"] = y
    else:
        z = rng.normal(size=shape) * case["scale"]
        if case["scale"] >= 1e4:
            z = rng.uniform(-1e4, 1e4, size=shape)
            z.reshape(-1)[:4] = [1e4, -1e4, 1e4, -1e4]
            y.reshape(-1)[:4] = [0.0, 1.0, 1.0, 0.0]
    inputs["z"] = _f32(z)
    pw = case.get("pos_weight")
    if pw == "vector":
        inputs["pos_weight"] = _f32(rng.uniform(0.25, 4.0, size=shape[-1]))
    elif pw == "scalar":
        inputs["pos_weight"] = np.array(3.0)
    return inputs


def _call(fn, what, scalar, dtype, *args, **kwargs):
    args = [a.copy() for a in args]
    named = dict(zip(("first", "y"), args, strict=True))
    kwargs = {k: v.copy() if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    before = contract.snapshot(**named, **{k: v for k, v in kwargs.items() if isinstance(v, np.ndarray)})
    result = fn(*args, **kwargs)
    contract.unchanged(before, {**named, **kwargs}, what)
    return contract.array(result, what, scalar=scalar, dtype=dtype)


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    y = inputs["y"].astype(dtype)
    if case["kind"] == "probs":
        p = inputs["p"].astype(dtype)
        return {"loss": _call(impl.binary_cross_entropy, "binary_cross_entropy", True, dtype, p, y)}
    z = inputs["z"].astype(dtype)
    kwargs = {}
    if "pos_weight" in inputs:
        kwargs["pos_weight"] = inputs["pos_weight"].astype(dtype)
    elif isinstance(case.get("pos_weight"), float):
        kwargs["pos_weight"] = case["pos_weight"]
    loss = _call(impl.bce_with_logits, "bce_with_logits", True, dtype, z, y, **kwargs)
    grad = _call(impl.bce_with_logits_grad, "bce_with_logits_grad", False, dtype, z, y, **kwargs)
    return {"loss": loss, "grad": grad}
