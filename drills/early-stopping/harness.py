"""early-stopping harness: EarlyStopping driven over metric series (exact ties, improvements just
below, at and above min_delta, plateaus, noisy losses on a 1/64 grid, mode max, a NaN), one step()
per epoch over the whole series (also after a True: the value says "stop now" at every epoch).

Outputs, indexed by epoch (from 0): stop (what step() returned, as 0/1), best and best_epoch read
after each call."""

import math

import numpy as np
import quizdl_contract as contract

AXES = {"stop": ["epoch"], "best": ["epoch"], "best_epoch": ["epoch"]}


def _noisy(rng, n, start, end, noise, grid=1 / 64):
    t = np.arange(n)
    x = end + (start - end) * np.exp(-t / (n / 4)) + rng.normal(0.0, noise, size=n)
    return np.round(x / grid) * grid  # on a grid: ties happen, differences are exact


SERIES = {
    "ties": [1.0, 0.75, 0.75, 0.75, 0.5, 0.5, 0.625, 0.5, 0.5, 0.5, 0.25, 0.25],
    "plateau": [2.0, 1.5, 1.25, 1.125, 1.0, 1.0625, 1.03125, 1.25, 1.5, 1.0, 1.125, 0.5, 0.75, 0.75, 1.0, 1.0, 2.0],
    "late best": [0.5, 0.75, 1.0, 0.625, 0.5, 0.875, 0.25, 1.0, 2.0, 1.0, 0.25, 0.5, 0.5, 0.75, 1.0, 0.5, 0.5],
    "slow": [1.0, 0.875, 0.75, 0.6875, 0.5, 0.4375, 0.375, 0.375, 0.34375, 0.25, 0.25, 0.21875, 0.1875, 0.1875, 0.1875, 0.1875, 0.1875],
    "steps of 1/4": [3.0, 2.75, 2.5, 2.375, 2.25, 2.0, 1.875, 1.75, 1.75, 1.5, 1.4375, 1.25, 1.25, 1.25, 1.25],
    "accuracy": [0.5, 0.625, 0.75, 0.75, 0.8125, 0.875, 0.875, 0.875, 0.9375, 0.9375, 0.9375, 0.9375, 0.90625, 0.9375],
    "accuracy slow": [0.25, 0.5, 0.5625, 0.625, 0.75, 0.78125, 0.8125, 0.84375, 0.875, 0.875, 0.9, 0.90625, 0.90625, 0.90625],
    "log-likelihood": [-3.0, -2.5, -2.5, -2.25, -2.125, -2.0, -2.0, -2.125, -2.0, -1.75, -1.75, -1.8125, -1.75, -1.75],
    "with NaN": [1.0, 0.75, math.nan, 0.5, math.nan, math.nan, 0.625, 0.5, 0.25, math.nan, 0.5, 0.5, 0.5],
}


def cases():
    out = []

    def add(group, series, seed=0, **params):
        shown = ", ".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v:g}" for k, v in params.items())
        out.append({"name": f"{series}: EarlyStopping({shown})", "group": group, "dtype": "float64",
                    "seed": seed, "series": series, "params": params})

    g = "ties are not improvements"
    add(g, "ties", patience=3)
    add(g, "ties", patience=2)
    add(g, "late best", patience=3)
    g = "patience"
    add(g, "plateau", patience=3)
    add(g, "plateau", patience=2)
    add(g, "plateau", patience=4)
    add(g, "late best", patience=8)
    g = "min_delta"
    add(g, "slow", patience=2, min_delta=0.0625)
    add(g, "steps of 1/4", patience=2, min_delta=0.125)
    add(g, "slow", patience=3, min_delta=0.125)
    add(g, "steps of 1/4", patience=3, min_delta=0.25)
    g = "mode max"
    add(g, "accuracy", patience=2, mode="max")
    add(g, "accuracy slow", patience=2, mode="max", min_delta=0.03125)
    add(g, "log-likelihood", patience=3, mode="max")
    add(g, "log-likelihood", patience=2, mode="max", min_delta=0.125)
    g = "noisy losses"
    for seed, (patience, min_delta) in enumerate([(3, 0.0), (5, 1 / 64), (4, 1 / 32), (8, 1 / 64)], start=1):
        add(g, "noisy", seed, patience=patience, min_delta=min_delta)
    add(g, "noisy accuracy", 5, patience=4, mode="max", min_delta=1 / 64)
    add(g, "with NaN", patience=3)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case["series"] == "noisy":
        metrics = _noisy(rng, 80, 2.0, 0.5, 0.04)
    elif case["series"] == "noisy accuracy":
        metrics = _noisy(rng, 80, 0.3, 0.9, 0.02)
    else:
        metrics = np.array(SERIES[case["series"]], dtype=np.float64)
    return {"metrics": metrics}


def run(impl, case, inputs):
    stopper = impl.EarlyStopping(**case["params"])
    stops, bests, best_epochs = [], [], []
    for metric in inputs["metrics"].tolist():
        result = stopper.step(metric)
        if not isinstance(result, bool | np.bool_):
            raise AssertionError(f"step returned {type(result).__name__}; return True or False")
        best = contract.array(stopper.best, "best", scalar=True, dtype=np.float64)
        best_epoch = contract.array(stopper.best_epoch, "best_epoch", scalar=True, dtype=np.int64)
        if best_epoch.dtype.kind not in "iu":
            raise AssertionError(f"best_epoch is {best_epoch.dtype}; make it an int")
        stops.append(int(bool(result)))
        bests.append(float(best))
        best_epochs.append(int(best_epoch))
    return {"stop": np.array(stops, dtype=np.int64), "best": np.array(bests, dtype=np.float64),
            "best_epoch": np.array(best_epochs, dtype=np.int64)}
