"""lr-cosine harness: cosine_annealing and cosine_warm_restarts on grids t = k * dt (k = 0..K),
integer and fractional, with lr_min 0 and > 0, past T_max, with T_mult 1, 2 and 3, and exactly at
and around every restart.

The output `lr` is indexed by k; each case's name gives its grid."""

import numpy as np
import quizdl_contract as contract

AXES = {"lr": ["k"]}


def cases():
    out = []

    def add(group, fn, params, dt, count, seed, points=None):
        shown = ", ".join(f"{k}={v:g}" for k, v in params.items())
        grid = (f"t = {', '.join(f'{p:g}' for p in points)} (k = 0..{len(points) - 1})" if points is not None
                else f"t = k·{dt:g} for k = 0..{count}")
        out.append({"name": f"{fn}({shown}), {grid}", "group": group, "dtype": "float64", "seed": seed,
                    "fn": fn, "params": params, "dt": dt, "count": count, "points": points})

    ca, wr = "cosine_annealing", "cosine_warm_restarts"
    g = "cosine annealing, 0 <= t <= T_max"
    add(g, ca, {"lr_max": 0.1, "T_max": 10}, 1, 10, 1)
    add(g, ca, {"lr_max": 0.05, "T_max": 37, "lr_min": 1e-3}, 1, 37, 2)
    add(g, ca, {"lr_max": 3e-4, "T_max": 100, "lr_min": 1e-5}, 1, 100, 3)
    add(g, ca, {"lr_max": 1.0, "T_max": 2}, 0.125, 16, 4)
    g = "cosine annealing, fractional t"
    add(g, ca, {"lr_max": 0.2, "T_max": 12, "lr_min": 0.02}, 0.25, 48, 5)
    g = "cosine annealing past T_max"
    add(g, ca, {"lr_max": 0.1, "T_max": 10, "lr_min": 0.01}, 1, 35, 6)
    add(g, ca, {"lr_max": 0.5, "T_max": 4}, 0.5, 40, 7)
    g = "warm restarts, T_mult = 1"
    add(g, wr, {"lr_max": 0.1, "T_0": 10}, 1, 45, 8)
    add(g, wr, {"lr_max": 0.05, "T_0": 7, "lr_min": 5e-3}, 0.25, 100, 9)
    g = "warm restarts, T_mult > 1"
    add(g, wr, {"lr_max": 0.1, "T_0": 10, "T_mult": 2}, 1, 75, 10)
    add(g, wr, {"lr_max": 0.3, "T_0": 5, "T_mult": 2, "lr_min": 0.01}, 0.5, 160, 11)
    add(g, wr, {"lr_max": 1.0, "T_0": 1, "T_mult": 3, "lr_min": 0.1}, 0.5, 260, 12)
    g = "fractional epochs (one step per batch)"
    add(g, wr, {"lr_max": 0.1, "T_0": 2, "T_mult": 2}, 0.1, 70, 13)
    add(g, wr, {"lr_max": 0.02, "T_0": 3, "lr_min": 1e-3}, 1 / 3, 30, 14)
    g = "at and around the restarts"
    add(g, wr, {"lr_max": 0.1, "T_0": 10, "T_mult": 2, "lr_min": 1e-3}, 0, 0, 15,
        points=[0, 9.99, 10, 10.01, 29.99, 30, 30.01, 69.99, 70, 70.01, 150])
    add(g, wr, {"lr_max": 0.1, "T_0": 4, "lr_min": 1e-3}, 0, 0, 16,
        points=[3.999, 4, 4.001, 8, 12, 16, 400, 401.5])
    add(g, wr, {"lr_max": 0.1, "T_0": 2, "T_mult": 3}, 0, 0, 17,
        points=[1.5, 2, 2.5, 7.9, 8, 26, 80, 242, 243.5])
    return out


def make_inputs(case):
    if case["points"] is not None:
        t = np.array(case["points"], dtype=np.float64)
    else:
        t = np.arange(case["count"] + 1, dtype=np.float64) * case["dt"]
        if float(case["dt"]).is_integer():
            t = np.round(t)
    return {"t": t}


def run(impl, case, inputs):
    fn = getattr(impl, case["fn"])
    params = case["params"]
    values = []
    for t in inputs["t"].tolist():
        t = int(t) if float(t).is_integer() and float(case["dt"]).is_integer() else t
        value = contract.array(fn(t, **params), case["fn"], scalar=True, dtype=np.float64)
        values.append(float(value))
    return {"lr": np.array(values, dtype=np.float64)}
