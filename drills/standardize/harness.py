"""standardize harness: min-max scaling and z-scoring fitted on a training set and applied to
the training set and to a test set (whose values leave the training range), feature ranges
(0, 1), (-1, 1), (2, 5) and (-0.5, 0.5), features that are constant in the training data, a single
training sample; float32 and float64. Every call gets fresh copies of its input."""

import numpy as np
import quizdl_contract as contract

AXES = {"train": ["sample", "feature"], "test": ["sample", "feature"]}


def cases():
    out = []

    def add(name, group, dtype, seed, kind, n=20, d=4, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind, "n": n, "d": d,
                    **params})

    add("min-max 20x4 float64", "min-max (0, 1)", "float64", 1, "minmax")
    add("min-max 30x3 float32", "min-max (0, 1)", "float32", 2, "minmax", n=30, d=3)
    add("min-max default range", "min-max (0, 1)", "float64", 3, "minmax", n=12, d=5, default_range=True)
    add("(-1, 1) float64", "min-max feature_range", "float64", 11, "minmax", feature_range=[-1, 1])
    add("(2, 5) float32", "min-max feature_range", "float32", 12, "minmax", n=15, d=3, feature_range=[2, 5])
    add("(-0.5, 0.5) float64", "min-max feature_range", "float64", 13, "minmax", n=10, d=2, feature_range=[-0.5, 0.5])
    add("z-score 20x4 float64", "z-score", "float64", 21, "zscore")
    add("z-score 30x3 float32", "z-score", "float32", 22, "zscore", n=30, d=3)
    add("z-score 8x6, shifted and scaled", "z-score", "float64", 23, "zscore", n=8, d=6, offset=50.0)
    add("min-max, constant column, float64", "constant features", "float64", 31, "minmax", constant=[1])
    add("min-max (2, 5), constant columns, float32", "constant features", "float32", 32, "minmax",
        constant=[0, 2], feature_range=[2, 5])
    add("z-score, constant column, float64", "constant features", "float64", 33, "zscore", constant=[2])
    add("z-score, constant column, float32", "constant features", "float32", 34, "zscore", constant=[0])
    add("min-max, one training sample", "a single training sample", "float64", 41, "minmax", n=1, d=3)
    add("z-score, one training sample", "a single training sample", "float32", 42, "zscore", n=1, d=3)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, d = case["n"], case["d"]
    scale = rng.uniform(0.5, 4.0, size=d)
    shift = rng.uniform(-3.0, 3.0, size=d) + case.get("offset", 0.0)
    train = rng.normal(size=(n, d)) * scale + shift
    test = rng.normal(size=(7, d)) * scale * 1.5 + shift  # leaves the training range
    for j in case.get("constant", []):
        train[:, j] = 2.5  # exactly constant: its sum and mean are exact
    # exactly representable in float32, so both precisions see the same numbers
    return {"train": train.astype(np.float32).astype(np.float64), "test": test.astype(np.float32).astype(np.float64)}


def _call(fn, what, X, *args, **kwargs):
    before = contract.snapshot(X=X)
    result = fn(X, *args, **kwargs)
    contract.unchanged(before, {"X": X}, what)
    return result


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    train, test = inputs["train"].astype(dtype), inputs["test"].astype(dtype)
    if case["kind"] == "minmax":
        fit, transform, name = impl.minmax_fit, impl.minmax_transform, "minmax"
        kwargs = {} if case.get("default_range") else {"feature_range": tuple(case.get("feature_range", (0, 1)))}
    else:
        fit, transform, name = impl.zscore_fit, impl.zscore_transform, "zscore"
        kwargs = {}
    stats = _call(fit, f"{name}_fit", train.copy(), **kwargs)
    out_train = contract.array(_call(transform, f"{name}_transform", train.copy(), stats), f"{name}_transform")
    out_test = contract.array(_call(transform, f"{name}_transform", test.copy(), stats), f"{name}_transform")
    return {"train": out_train, "test": out_test}
