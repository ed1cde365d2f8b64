"""Grading harness for bn-backward: forward output and all three gradients on random batches."""

import numpy as np
import quizdl_contract as contract

AXES = {
    "out": ["sample", "feature"],
    "dx": ["sample", "feature"],
    "dgamma": ["feature"],
    "dbeta": ["feature"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, n, d, **kw):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "n": n, "d": d}
        case.update({"eps": 1e-5, "x_scale": 1.0, "x_shift": 0.0, "dout_scale": 1.0})
        case.update(kw)
        out.append(case)

    small, typical = "batch of 2 or 3", "typical batches"
    large, tiny = "large magnitudes", "tiny variance (eps matters)"
    add("N=2 D=5 float64", small, "float64", 11, 2, 5)
    add("N=2 D=3 float32", small, "float32", 12, 2, 3)
    add("N=3 D=4 float64", small, "float64", 13, 3, 4)
    add("N=16 D=8 float64", typical, "float64", 21, 16, 8)
    add("N=32 D=6 float32", typical, "float32", 22, 32, 6)
    add("N=5 D=64 float64", typical, "float64", 23, 5, 64)
    add("x ~ 5e3 ± 1e3 float64", large, "float64", 31, 64, 10,
        x_scale=1e3, x_shift=5e3, dout_scale=1e2)
    add("x ~ 5e3 ± 1e3 float32", large, "float32", 32, 64, 10,
        x_scale=1e3, x_shift=5e3, dout_scale=1e2)
    add("std 3e-3, eps=1e-3 float64", tiny, "float64", 41, 16, 6, x_scale=3e-3, eps=1e-3)
    add("std 3e-3, eps=1e-3 float32", tiny, "float32", 42, 16, 6, x_scale=3e-3, eps=1e-3)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, d = case["n"], case["d"]
    x = rng.standard_normal((n, d)) * case["x_scale"] + case["x_shift"]
    x = x + rng.uniform(-1.0, 1.0, d) * case["x_scale"]  # a different mean per feature
    gamma = rng.uniform(0.5, 2.0, d) * rng.choice([-1.0, 1.0], d)
    beta = rng.standard_normal(d)
    dout = rng.standard_normal((n, d)) * case["dout_scale"]
    return {
        "x": _f32_exact(x),
        "gamma": _f32_exact(gamma),
        "beta": _f32_exact(beta),
        "dout": _f32_exact(dout),
    }


def _pair(result, what, count):
    if not isinstance(result, tuple | list) or len(result) != count:
        raise AssertionError(f"{what} must return a tuple of {count} values, got {type(result).__name__}")
    return result


def run(impl, case, inputs):
    dt = np.dtype(case["dtype"])
    x, gamma, beta, dout = (inputs[k].astype(dt) for k in ("x", "gamma", "beta", "dout"))
    before = contract.snapshot(x=x, gamma=gamma, beta=beta)
    out, cache = _pair(impl.batchnorm_forward(x, gamma, beta, case["eps"]), "batchnorm_forward", 2)
    contract.unchanged(before, {"x": x, "gamma": gamma, "beta": beta}, "batchnorm_forward")
    out = contract.array(out, "batchnorm_forward", dtype=dt).copy()  # before backward can touch it
    before = contract.snapshot(dout=dout)
    dx, dgamma, dbeta = _pair(impl.batchnorm_backward(dout, cache), "batchnorm_backward", 3)
    contract.unchanged(before, {"dout": dout}, "batchnorm_backward")
    return {
        "out": out,
        "dx": contract.array(dx, "batchnorm_backward (dx)", dtype=dt),
        "dgamma": contract.array(dgamma, "batchnorm_backward (dgamma)", dtype=dt),
        "dbeta": contract.array(dbeta, "batchnorm_backward (dbeta)", dtype=dt),
    }
