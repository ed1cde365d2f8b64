"""dropout-vanilla harness: vanilla_dropout and inverted_equivalent in training and in eval mode,
vectors, matrices and (N, C, H, W) activations, float32 and float64, p in {0, 0.2, 0.3, 0.5, 0.9},
masks drawn with keep probability 1 - p (True = kept)."""

import numpy as np
import quizdl_contract as contract


def cases():
    out = []

    def add(group, fn, train, shape, p, dtype="float64"):
        mode = "train" if train else "eval"
        name = f"{fn}({mode}) {tuple(shape)} {dtype}, p {p:g}"
        out.append({"name": name, "group": group, "dtype": dtype, "seed": len(out) + 1, "fn": fn,
                    "train": train, "shape": shape, "p": p})

    g = "vanilla dropout: training"
    add(g, "vanilla_dropout", True, [6, 5], 0.3)
    add(g, "vanilla_dropout", True, [4, 8], 0.5, "float32")
    add(g, "vanilla_dropout", True, [2, 3, 4, 4], 0.2)
    add(g, "vanilla_dropout", True, [10], 0.9, "float32")
    g = "vanilla dropout: eval"
    add(g, "vanilla_dropout", False, [6, 5], 0.3)
    add(g, "vanilla_dropout", False, [4, 8], 0.2, "float32")
    add(g, "vanilla_dropout", False, [2, 3, 4, 4], 0.9)
    g = "inverted equivalent: training"
    add(g, "inverted_equivalent", True, [6, 5], 0.3)
    add(g, "inverted_equivalent", True, [4, 8], 0.5, "float32")
    add(g, "inverted_equivalent", True, [2, 3, 4, 4], 0.2)
    add(g, "inverted_equivalent", True, [10], 0.9, "float32")
    g = "inverted equivalent: eval"
    add(g, "inverted_equivalent", False, [6, 5], 0.3)
    add(g, "inverted_equivalent", False, [4, 8], 0.2, "float32")
    g = "p = 0"
    add(g, "vanilla_dropout", True, [5, 4], 0.0)
    add(g, "vanilla_dropout", False, [5, 4], 0.0, "float32")
    add(g, "inverted_equivalent", True, [5, 4], 0.0, "float32")
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    x = rng.normal(0.0, 1.0, size=shape).astype(np.float32).astype(np.float64)
    mask = rng.random(size=shape) >= case["p"]
    if case["p"] > 0:  # at least one unit dropped and one kept
        mask.reshape(-1)[0], mask.reshape(-1)[-1] = False, True
    return {"x": x, "mask": mask}


def run(impl, case, inputs):
    x = inputs["x"].astype(np.dtype(case["dtype"]))
    mask = inputs["mask"].copy()
    fn = getattr(impl, case["fn"])
    before = contract.snapshot(x=x, mask=mask)
    result = fn(x, case["p"], mask, train=case["train"])
    contract.unchanged(before, {"x": x, "mask": mask}, case["fn"])
    return {"out": contract.array(result, case["fn"])}
