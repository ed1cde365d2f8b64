"""mixup harness: mixup on batches of vectors and images (float32 and float64) with one-hot
labels, random permutations (never their own inverse), lam inside (0, 1), at 0 and 0.5, the
identity permutation; sample_lam over several draws from a seeded Generator for several alpha,
alpha = 0, and the generator's next draw afterwards (exactly one rng.beta call per sample)."""

import numpy as np
import quizdl_contract as contract

AXES = {"y_mixed": ["example", "class"], "lam": ["draw"]}


def cases():
    out = []

    def add(name, group, dtype, seed, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, **params})

    g = "mixup: inputs and labels"
    add("x (8, 5), lam 0.3", g, "float64", 1, kind="mixup", shape=[8, 5], classes=3, lam=0.3)
    add("x (6, 4) float32, lam 0.8", g, "float32", 2, kind="mixup", shape=[6, 4], classes=4, lam=0.8)
    add("x (5, 2, 3, 3) images, lam 0.65", g, "float64", 3, kind="mixup", shape=[5, 2, 3, 3], classes=5, lam=0.65)
    add("x (4, 3, 4, 4) float32 images, lam 0.1", g, "float32", 4, kind="mixup", shape=[4, 3, 4, 4], classes=2, lam=0.1)
    g = "mixup: special lam and perm"
    add("lam 0: the partners", g, "float64", 6, kind="mixup", shape=[6, 3], classes=3, lam=0.0)
    add("lam 0.5", g, "float32", 7, kind="mixup", shape=[7, 4], classes=3, lam=0.5)
    add("identity perm", g, "float64", 8, kind="mixup", shape=[5, 3], classes=4, lam=0.35, identity=True)
    add("batch of 3, lam 0.9", g, "float64", 9, kind="mixup", shape=[3, 6], classes=3, lam=0.9)
    g = "sample_lam"
    add("alpha 0.2", g, "float64", 10, kind="sample", alpha=0.2)
    add("alpha 0.4", g, "float64", 11, kind="sample", alpha=0.4)
    add("alpha 1 (uniform)", g, "float64", 12, kind="sample", alpha=1.0)
    add("alpha 2", g, "float64", 13, kind="sample", alpha=2.0)
    add("alpha 0: mixup off", g, "float64", 14, kind="sample", alpha=0.0)
    return out


def _perm(rng, n):
    """A random permutation that is not its own inverse (so x[perm] and x[argsort(perm)] differ)."""
    while True:
        perm = rng.permutation(n)
        if n < 3 or not np.array_equal(perm[perm], np.arange(n)):
            return perm


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case["kind"] == "sample":
        return {}
    n = case["shape"][0]
    x = rng.normal(0.0, 1.0, size=tuple(case["shape"])).astype(np.float32).astype(np.float64)
    labels = rng.integers(0, case["classes"], size=n)
    labels[:case["classes"]] = np.arange(case["classes"])  # every class present
    rng.shuffle(labels)
    y = np.eye(case["classes"])[labels]
    perm = np.arange(n) if case.get("identity") else _perm(rng, n)
    return {"x": x, "y": y, "perm": perm.astype(np.int64)}


DRAWS = 6


def run(impl, case, inputs):
    if case["kind"] == "sample":
        rng = np.random.default_rng(1000 + case["seed"])
        lams = []
        for _ in range(DRAWS):
            lam = contract.array(impl.sample_lam(case["alpha"], rng), "sample_lam", scalar=True, dtype=np.float64)
            lams.append(float(lam))
        return {"lam": np.array(lams, dtype=np.float64), "rng_next": np.array(rng.random(), dtype=np.float64)}
    dtype = np.dtype(case["dtype"])
    x, y, perm = inputs["x"].astype(dtype), inputs["y"].astype(dtype), inputs["perm"].copy()
    before = contract.snapshot(x=x, y_onehot=y, perm=perm)
    result = impl.mixup(x, y, case["lam"], perm)
    contract.unchanged(before, {"x": x, "y_onehot": y, "perm": perm}, "mixup")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"mixup returned {type(result).__name__}; return a pair (x_mixed, y_mixed)")
    x_mixed = contract.array(result[0], "mixup's x_mixed")
    y_mixed = contract.array(result[1], "mixup's y_mixed")
    return {"x_mixed": x_mixed, "y_mixed": y_mixed}
