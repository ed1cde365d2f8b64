"""label-smoothing-ce harness: the loss and its gradient without smoothing, with smoothing 0.1,
0.2, 0.3 and 1.0 (C = 2 too), ignored rows with the default ignore_index -100 and with a class id
as ignore_index, every row ignored (loss NaN, gradient 0), logits near 1000; float32 and float64.
Every call gets fresh copies of its inputs."""

import numpy as np
import quizdl_contract as contract

AXES = {"grad": ["row", "class"]}


def cases():
    out = []

    def add(name, group, dtype, seed, shape, eps=0.0, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "shape": list(shape),
                    "eps": eps, **params})

    g = "no smoothing"
    add("(8, 5)", g, "float64", 1, (8, 5))
    add("(6, 4) float32", g, "float32", 2, (6, 4))
    add("one row (1, 3)", g, "float64", 3, (1, 3))
    g = "label smoothing"
    add("eps 0.1, (10, 6)", g, "float64", 11, (10, 6), eps=0.1)
    add("eps 0.2, (7, 5) float32", g, "float32", 12, (7, 5), eps=0.2)
    add("eps 1.0: uniform target", g, "float64", 13, (5, 4), eps=1.0)
    add("eps 0.3, two classes", g, "float64", 14, (6, 2), eps=0.3)
    g = "ignore_index"
    add("3 of 10 rows ignored (-100)", g, "float64", 21, (10, 4), ignored=3)
    add("eps 0.1, 2 of 8 ignored, float32", g, "float32", 22, (8, 5), eps=0.1, ignored=2)
    add("ignore_index = 1 (a class id), eps 0.15", g, "float64", 23, (9, 3), eps=0.15, ignore_index=1)
    add("every row ignored", g, "float64", 24, (4, 3), eps=0.1, ignored=4)
    add("every row ignored, float32", g, "float32", 25, (3, 5), ignored=3)
    g = "large logits"
    add("logits near 1000, eps 0.1", g, "float64", 31, (6, 5), eps=0.1, offset=1000.0, ignored=1)
    add("logits near 1000, float32", g, "float32", 32, (5, 4), eps=0.2, offset=1000.0)
    return out


def _f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, c = case["shape"]
    logits = _f32(rng.normal(0.0, 2.0, size=(n, c)) + case.get("offset", 0.0))
    targets = rng.integers(0, c, size=n)
    ignore_index = case.get("ignore_index", -100)
    if ignore_index != -100:
        targets[: max(1, n // 3)] = ignore_index  # some rows ignored, others still of class 1
        targets[-1] = ignore_index + 1 if ignore_index + 1 < c else 0
        rng.shuffle(targets)
    if case.get("ignored"):
        targets[rng.permutation(n)[: case["ignored"]]] = -100
    return {"logits": logits, "targets": targets.astype(np.int64)}


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    kwargs = {}
    if case["eps"]:
        kwargs["label_smoothing"] = case["eps"]
    if "ignore_index" in case:
        kwargs["ignore_index"] = case["ignore_index"]
    outs = {}
    for name, what in (("loss", "cross_entropy"), ("grad", "cross_entropy_grad")):
        logits, targets = inputs["logits"].astype(dtype), inputs["targets"].copy()
        before = contract.snapshot(logits=logits, targets=targets)
        value = getattr(impl, what)(logits, targets, **kwargs)
        contract.unchanged(before, {"logits": logits, "targets": targets}, what)
        outs[name] = contract.array(value, what, scalar=name == "loss", dtype=dtype)
    if outs["grad"].shape != tuple(case["shape"]):
        raise AssertionError(f"cross_entropy_grad returned shape {outs['grad'].shape}; expected {tuple(case['shape'])}")
    return outs
