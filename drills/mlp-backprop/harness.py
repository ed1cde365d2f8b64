"""mlp-backprop harness: forward loss and backward gradients of affine - ReLU - affine - softmax
cross-entropy on small batches (one example, square layers D = H = C so transposed weight
gradients have the right shape, pre-activations exactly 0, scores near 1000), float32 and
float64. The params, x and y are checked unchanged after forward and after backward."""

import numpy as np
import quizdl_contract as contract

AXES = {"dW1": ["input", "hidden"], "db1": ["hidden"], "dW2": ["hidden", "class"], "db2": ["class"]}
KEYS = ("W1", "b1", "W2", "b2")


class ShapeError(AssertionError):
    """An output of the wrong shape (its own type, so a diagnosis can match it)."""


def cases():
    out = []

    def add(name, group, dtype, seed, n, d, h, c, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "sizes": [n, d, h, c], **params})

    g = "loss and gradients"
    add("N 4, D 3, H 5, C 2", g, "float64", 1, 4, 3, 5, 2)
    add("N 6, D 4, H 8, C 3, float32", g, "float32", 2, 6, 4, 8, 3)
    add("N 16, D 10, H 12, C 7", g, "float64", 3, 16, 10, 12, 7)
    add("one example", g, "float64", 4, 1, 3, 4, 3)
    g = "square layers (D = H = C)"
    add("N 5, D = H = C = 4", g, "float64", 11, 5, 4, 4, 4)
    add("N 3, D = H = C = 6, float32", g, "float32", 12, 3, 6, 6, 6)
    g = "ReLU at exactly 0"
    add("a dead unit and zero inputs", g, "float64", 21, 6, 4, 5, 3, zeros=True)
    add("a dead unit and zero inputs, float32", g, "float32", 22, 5, 3, 6, 4, zeros=True)
    g = "large scores"
    add("scores near 1000", g, "float64", 31, 5, 4, 6, 3, scale=300.0)
    add("scores near 1000, float32", g, "float32", 32, 4, 3, 5, 4, scale=300.0)
    return out


def _f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, d, h, c = case["sizes"]
    x = rng.normal(size=(n, d))
    W1 = rng.normal(size=(d, h)) / np.sqrt(d)
    b1 = rng.normal(size=h) * 0.1
    W2 = rng.normal(size=(h, c)) / np.sqrt(h) * case.get("scale", 1.0)
    b2 = rng.normal(size=c) * 0.1
    if case.get("scale"):
        b2 += 1000.0
    if case.get("zeros"):
        W1[:, 1] = 0.0  # unit 1: pre-activation exactly b1[1] = 0 for every example
        b1[1] = 0.0
        b1[3] = 0.0
        x[0] = 0.0  # example 0: pre-activation exactly 0 at unit 3
    y = rng.integers(0, c, size=n)
    return {"x": _f32(x), "y": y.astype(np.int64), "W1": _f32(W1), "b1": _f32(b1), "W2": _f32(W2), "b2": _f32(b2)}


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    params = {k: inputs[k].astype(dtype) for k in KEYS}
    x, y = inputs["x"].astype(dtype), inputs["y"].copy()
    before = contract.snapshot(x=x, y=y, **params)
    result = impl.forward(params, x, y)
    contract.unchanged(before, {"x": x, "y": y, **params}, "forward")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError("forward must return a pair (loss, cache)")
    loss = contract.array(result[0], "forward's loss", scalar=True, dtype=dtype)
    grads = impl.backward(result[1])
    contract.unchanged(before, {"x": x, "y": y, **params}, "backward")
    if not isinstance(grads, dict) or set(grads) != set(KEYS):
        keys = sorted(grads) if isinstance(grads, dict) else type(grads).__name__
        raise AssertionError(f"backward must return a dict with the keys W1, b1, W2, b2 (got {keys})")
    outs = {"loss": loss}
    for key in ("W2", "b2", "W1", "b1"):
        g = contract.array(grads[key], f"backward's grads[{key!r}]")
        if g.shape != params[key].shape:
            raise ShapeError(f"grads[{key!r}] has shape {g.shape}; expected {params[key].shape}, the shape of "
                             f"params[{key!r}]")
        outs["d" + key] = g
    return outs
