"""regression-losses harness: L1, MSE, Huber and smooth L1 losses and their gradients with
respect to pred, for reduction mean / sum / none, delta and beta other than 1, beta = 0,
pred == target at some elements and |pred - target| exactly at the threshold; float32 and
float64, 1-D to 3-D inputs. Every call gets fresh copies of pred and target."""

import numpy as np
import quizdl_contract as contract

AXES = {}

_PARAM = {"huber": "delta", "smooth_l1": "beta"}


def cases():
    out = []

    def add(name, group, dtype, seed, kind, shape, reduction="mean", param=None, **extra):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind,
                "shape": list(shape), "reduction": reduction, **extra}
        if param is not None:
            case["param"] = param
        out.append(case)

    add("L1 mean, (32,) float64", "L1 loss", "float64", 1, "l1", (32,), ties=0.2)
    add("L1 mean, (8, 6) float32", "L1 loss", "float32", 2, "l1", (8, 6), ties=0.2)
    add("L1 sum, (5, 4) float64", "L1 loss", "float64", 3, "l1", (5, 4), reduction="sum", ties=0.2)
    add("L1 none, (4, 3) float32", "L1 loss", "float32", 4, "l1", (4, 3), reduction="none", ties=0.2)
    add("L1 default reduction, (10,)", "L1 loss", "float64", 5, "l1", (10,), reduction=None)
    add("MSE mean, (32,) float64", "MSE loss", "float64", 11, "mse", (32,))
    add("MSE mean, (8, 6) float32", "MSE loss", "float32", 12, "mse", (8, 6))
    add("MSE sum, (5, 4) float32", "MSE loss", "float32", 13, "mse", (5, 4), reduction="sum")
    add("MSE none, (2, 3, 4) float64", "MSE loss", "float64", 14, "mse", (2, 3, 4), reduction="none")
    add("MSE default reduction, (10,)", "MSE loss", "float64", 15, "mse", (10,), reduction=None)
    add("delta 2.5, mean, (40,) float64", "Huber loss", "float64", 21, "huber", (40,), param=2.5, scale=4.0)
    add("delta 0.5, mean, (8, 5) float32", "Huber loss", "float32", 22, "huber", (8, 5), param=0.5)
    add("delta 0.5, sum, (6, 4) float64", "Huber loss", "float64", 23, "huber", (6, 4), reduction="sum", param=0.5)
    add("delta 2.5, none, (3, 5) float32", "Huber loss", "float32", 24, "huber", (3, 5), reduction="none", param=2.5, scale=4.0)
    add("default delta 1.0, (12,)", "Huber loss", "float64", 25, "huber", (12,), reduction=None)
    add("beta 2.5, mean, (40,) float64", "smooth L1 loss", "float64", 31, "smooth_l1", (40,), param=2.5, scale=4.0)
    add("beta 0.5, mean, (8, 5) float32", "smooth L1 loss", "float32", 32, "smooth_l1", (8, 5), param=0.5)
    add("beta 0.5, sum, (6, 4) float64", "smooth L1 loss", "float64", 33, "smooth_l1", (6, 4), reduction="sum", param=0.5)
    add("beta 2.5, none, (3, 5) float32", "smooth L1 loss", "float32", 34, "smooth_l1", (3, 5), reduction="none", param=2.5, scale=4.0)
    add("default beta 1.0, (12,)", "smooth L1 loss", "float64", 35, "smooth_l1", (12,), reduction=None)
    add("beta 0, mean, (4, 6) float64", "smooth L1 with beta = 0 (L1)", "float64", 41, "smooth_l1", (4, 6), param=0.0, ties=0.25)
    add("beta 0, none, (10,) float32", "smooth L1 with beta = 0 (L1)", "float32", 42, "smooth_l1", (10,), reduction="none", param=0.0, ties=0.3)
    add("L1, pred == target everywhere", "where pred == target", "float64", 51, "l1", (6,), ties=1.0)
    add("Huber delta 2.5, half equal", "where pred == target", "float64", 52, "huber", (3, 4), reduction="sum", param=2.5, ties=0.5)
    add("smooth L1 beta 0.5, half equal", "where pred == target", "float32", 53, "smooth_l1", (3, 4), reduction="none", param=0.5, ties=0.5)
    add("Huber delta 0.5, |d| = 0.5", "at |pred - target| = delta or beta", "float64", 61, "huber", (8,), reduction="none", param=0.5, at_threshold=True)
    add("smooth L1 beta 2.5, |d| = 2.5", "at |pred - target| = delta or beta", "float64", 62, "smooth_l1", (8,), reduction="none", param=2.5, at_threshold=True)
    add("L1 mean, one element", "a single element", "float64", 71, "l1", (1,))
    add("Huber delta 2.5, one element", "a single element", "float32", 72, "huber", (1,), param=2.5, scale=6.0)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    scale = case.get("scale", 2.0)
    target = rng.normal(size=shape)
    pred = target + rng.normal(size=shape) * scale
    # exactly representable in float32, so both precisions see the same numbers
    pred = pred.astype(np.float32).astype(np.float64)
    target = target.astype(np.float32).astype(np.float64)
    ties = case.get("ties", 0.0)
    if ties:
        equal = rng.random(size=shape) < ties
        equal.reshape(-1)[0] = True
        pred[equal] = target[equal]
    if case.get("at_threshold"):  # |d| exactly the threshold (representable: 0.5, 2.5)
        t = case["param"]
        sign = np.where(rng.random(size=shape) < 0.5, -1.0, 1.0)
        target = np.round(target * 8) / 8
        pred = target + sign * t
        pred[::3] += 0.25 * sign[::3]
    return {"pred": pred, "target": target}


def _call(fn, what, pred, target, kwargs, scalar):
    p, t = pred.copy(), target.copy()
    before = contract.snapshot(pred=p, target=t)
    result = fn(p, t, **kwargs)
    contract.unchanged(before, {"pred": p, "target": t}, what)
    return contract.array(result, what, scalar=scalar, dtype=pred.dtype)


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    pred, target = inputs["pred"].astype(dtype), inputs["target"].astype(dtype)
    kind = case["kind"]
    kwargs = {}
    if case["reduction"] is not None:
        kwargs["reduction"] = case["reduction"]
    if "param" in case:
        kwargs[_PARAM[kind]] = case["param"]
    scalar = case["reduction"] != "none"
    loss = _call(getattr(impl, f"{kind}_loss"), f"{kind}_loss", pred, target, kwargs, scalar)
    grad = _call(getattr(impl, f"{kind}_loss_grad"), f"{kind}_loss_grad", pred, target, kwargs, False)
    return {"loss": loss, "grad": grad}
