"""lr-inverse-time harness: inverse_time_decay(step, lr0, gamma, decay_steps, staircase) over whole step ranges
(every step from 0, so an index is the step), smooth and staircase, decay_steps 1, non-divisors and
10^5, the defaults, random settings and steps up to 10^7. Scalars in, a float out: the harness
collects the schedule as a float64 array (a ZeroDivisionError counts as inf, NumPy's lr0 / 0)."""

import math

import numpy as np
import quizdl_contract as contract

FN = "inverse_time_decay"
# lr[at step 30] is the value at step 30 (whole ranges; NaN below a case's first step, which the
# harness fills itself); lr_at_listed_steps[index 2] is the third of the steps the case lists.
AXES = {"lr": ["at step"], "lr_at_listed_steps": ["index"]}
LARGE = [1, 99999, 100000, 100001, 250000, 1000000, 1000001, 10000000]


def cases():
    out = []

    def add(name, group, seed, **params):
        out.append({"name": name, "group": group, "dtype": "float64", "seed": seed, **params})

    add("defaults: lr0 0.1, gamma 0.5, steps 0..40", "decay every step (defaults)", 1, lr0=0.1, gamma=0.5, stop=41)
    add("decay_steps=1 passed, steps 1..30", "decay every step (defaults)", 2, lr0=1.0, gamma=0.25,
        decay_steps=1, staircase=False, start=1, stop=31)
    add("decay_steps=10, steps 0..60", "smooth (staircase=False)", 3, lr0=0.1, gamma=0.5, decay_steps=10,
        staircase=False, stop=61)
    add("decay_steps=7, staircase not passed, steps 1..50", "smooth (staircase=False)", 4, lr0=0.05, gamma=2.0,
        decay_steps=7, start=1, stop=50)
    add("decay_steps=10 staircase, steps 0..60", "staircase", 5, lr0=0.1, gamma=0.5, decay_steps=10,
        staircase=True, stop=61)
    add("decay_steps=7 staircase, steps 7..50", "staircase", 6, lr0=0.05, gamma=1.5, decay_steps=7,
        staircase=True, start=7, stop=50)
    add("decay_steps=1 staircase", "staircase", 7, lr0=1.0, gamma=0.3, decay_steps=1, staircase=True, stop=20)
    add("decay_steps=10^5, steps 1..10^7", "large steps", 8, lr0=1.0, gamma=0.5, decay_steps=100000,
        staircase=False, steps=LARGE)
    add("decay_steps=10^5 staircase, steps 10^5..10^7", "large steps", 9, lr0=1.0, gamma=0.5,
        decay_steps=100000, staircase=True, steps=LARGE[2:])
    for seed in (11, 12, 13, 14):
        add(f"random settings (seed {seed})", "random settings", seed, random=True, stop=80)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case.get("random"):
        params = {
            "lr0": float(10.0 ** rng.uniform(-3, 0)),
            "gamma": float(rng.uniform(0.05, 2.0)),
            "decay_steps": int(rng.integers(2, 21)),
            "staircase": bool(case["seed"] % 2),
        }
    else:
        params = {k: case[k] for k in ("lr0", "gamma", "decay_steps", "staircase") if k in case}
    steps = case["steps"] if "steps" in case else list(range(case.get("start", 0), case["stop"]))
    inputs = {k: np.asarray(v) for k, v in params.items()}
    inputs["steps"] = np.array(steps, dtype=np.int64)
    return inputs


def run(impl, case, inputs):
    fn = getattr(impl, FN)
    lr0, gamma = float(inputs["lr0"]), float(inputs["gamma"])
    kwargs = {}
    if "decay_steps" in inputs:
        kwargs["decay_steps"] = int(inputs["decay_steps"])
    if "staircase" in inputs:
        kwargs["staircase"] = bool(inputs["staircase"])
    values = []
    for step in inputs["steps"].tolist():
        try:
            value = fn(step, lr0, gamma, **kwargs)
        except ZeroDivisionError:  # Python's x / 0.0; NumPy gives inf, and so does the report
            value = math.inf
        values.append(float(contract.array(value, FN, scalar=True, dtype=np.float64)))
    if "steps" in case:
        return {"lr_at_listed_steps": np.array(values, dtype=np.float64)}
    lr = np.full(case["stop"], np.nan)  # steps below the case's start are not asked
    lr[case.get("start", 0):] = values
    return {"lr": lr}
