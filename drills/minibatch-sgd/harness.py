"""minibatch-sgd harness: the batches of two epochs cut by minibatches (count, sizes, indices), and
linear regression trained by batch GD, SGD and mini-batch GD (w, b, the loss after each epoch) in
float32 and float64. The submission and the reference each get a fresh
np.random.default_rng(seed), so the same code draws the same permutations."""

import numpy as np
import quizdl_contract as contract

AXES = {
    "n_batches": ["call"],
    "batch_sizes": ["call", "batch"],
    "indices": ["call", "batch", "slot"],
    "w": ["feature"],
    "losses": ["epoch"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, **params})

    # minibatches: two calls (two epochs) on one generator
    add("n=10 batch 3", "batches (last one smaller)", "float64", 1, kind="batches", n=10, batch_size=3, drop_last=False)
    add("n=23 batch 5", "batches (last one smaller)", "float64", 2, kind="batches", n=23, batch_size=5, drop_last=False)
    add("n=7 batch 10", "batches (last one smaller)", "float64", 3, kind="batches", n=7, batch_size=10, drop_last=False)
    add("n=12 batch 4", "batches (even split)", "float64", 4, kind="batches", n=12, batch_size=4, drop_last=False)
    add("n=6 batch 1", "batches (even split)", "float64", 5, kind="batches", n=6, batch_size=1, drop_last=False)
    add("n=9 batch 9", "batches (even split)", "float64", 6, kind="batches", n=9, batch_size=9, drop_last=False)
    add("n=10 batch 3 drop_last", "drop_last=True", "float64", 7, kind="batches", n=10, batch_size=3, drop_last=True)
    add("n=23 batch 5 drop_last", "drop_last=True", "float64", 8, kind="batches", n=23, batch_size=5, drop_last=True)
    add("n=12 batch 4 drop_last", "drop_last=True", "float64", 9, kind="batches", n=12, batch_size=4, drop_last=True)
    # training
    add("batch GD float64", "batch GD (batch_size = n)", "float64", 10, kind="train", n=20, d=3, lr=0.1, epochs=5, batch_size=20)
    add("batch GD float32", "batch GD (batch_size = n)", "float32", 11, kind="train", n=16, d=2, lr=0.05, epochs=4, batch_size=16)
    add("SGD float64", "SGD (batch_size = 1)", "float64", 12, kind="train", n=12, d=3, lr=0.02, epochs=3, batch_size=1)
    add("SGD float32", "SGD (batch_size = 1)", "float32", 13, kind="train", n=10, d=2, lr=0.03, epochs=2, batch_size=1)
    add("n=50 batch 8 float64", "mini-batch GD", "float64", 14, kind="train", n=50, d=4, lr=0.05, epochs=6, batch_size=8)
    add("n=50 batch 8 float32", "mini-batch GD", "float32", 15, kind="train", n=50, d=4, lr=0.05, epochs=6, batch_size=8)
    add("n=30 batch 10", "mini-batch GD", "float64", 16, kind="train", n=30, d=2, lr=0.1, epochs=4, batch_size=10)
    add("one epoch", "mini-batch GD", "float64", 17, kind="train", n=13, d=3, lr=0.1, epochs=1, batch_size=4)
    return out


def make_inputs(case):
    if case["kind"] != "train":
        return {}
    rng = np.random.default_rng(1000 + case["seed"])
    n, d = case["n"], case["d"]
    X = rng.normal(size=(n, d))
    w_true = rng.normal(size=d)
    y = X @ w_true + 0.5 + 0.1 * rng.normal(size=n)
    # Exactly representable in float32, so both precisions see the same numbers.
    return {"X": X.astype(np.float32).astype(np.float64), "y": y.astype(np.float32).astype(np.float64)}


def _batches(impl, case, rng, what):
    """One call: (number of batches, sizes, indices) in fixed shapes so that a wrong count
    still compares: room for ceil(n / batch_size) + 1 batches of batch_size slots, size 0 and
    index -1 where there is no batch (a batch longer than batch_size shows in its size)."""
    n, size = case["n"], case["batch_size"]
    rows = -(-n // size) + 1
    sizes = np.zeros(rows, dtype=np.int64)
    indices = np.full((rows, size), -1, dtype=np.int64)
    count = 0
    for batch in impl.minibatches(n, size, rng, drop_last=case["drop_last"]):
        batch = contract.array(batch, what)
        if batch.dtype.kind not in "iu":
            raise AssertionError(f"{what} yielded an array of {batch.dtype}; yield integer index arrays")
        batch = batch.reshape(-1)
        if count < rows:
            sizes[count] = batch.size
            indices[count, :min(size, batch.size)] = batch[:size]
        count += 1
    return count, sizes, indices


def run(impl, case, inputs):
    rng = np.random.default_rng(case["seed"])
    if case["kind"] == "batches":
        calls = [_batches(impl, case, rng, f"minibatches (call {k})") for k in (1, 2)]
        return {
            "n_batches": np.array([c[0] for c in calls], dtype=np.int64),
            "batch_sizes": np.stack([c[1] for c in calls]),
            "indices": np.stack([c[2] for c in calls]),
        }
    dtype = np.dtype(case["dtype"])
    X, y = inputs["X"].astype(dtype), inputs["y"].astype(dtype)
    before = contract.snapshot(X=X, y=y)
    w, b, losses = impl.train_linear_regression(X, y, case["lr"], case["epochs"], case["batch_size"], rng)
    contract.unchanged(before, {"X": X, "y": y}, "train_linear_regression")
    w = contract.array(w, "train_linear_regression's w")
    b = contract.array(b, "train_linear_regression's b", scalar=True, dtype=dtype)
    losses = list(losses)
    if len(losses) != case["epochs"]:
        raise AssertionError(f"losses has {len(losses)} entries for {case['epochs']} epochs; "
                             "give one full-data MSE per epoch")
    # Any float type is fine for the losses (Python floats included): read them as float64.
    values = [contract.array(v, "each entry of losses", scalar=True, dtype=np.float64) for v in losses]
    return {
        "w": w,
        "b": b,
        "losses": np.array([float(v) for v in values], dtype=np.float64),
    }
