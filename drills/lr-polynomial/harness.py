"""lr-polynomial harness: polynomial_decay over whole step ranges (every step from 0, so an index
is the step), past decay_steps with and without cycle, powers 0.5 to 3, end_lr 0 and > 0, the
defaults, step 0 with cycle on its own, random settings and steps up to 10^7. Scalars in, a float
out: the harness collects the schedule as a float64 array. A ZeroDivisionError counts as NaN
(NumPy's 0 / 0) and a complex result (a negative base to a fractional power) as NaN too."""

import math

import numpy as np
import quizdl_contract as contract

FN = "polynomial_decay"
# lr[at step 30] is the value at step 30 (whole ranges; NaN below a case's first step, which the
# harness fills itself); lr_at_listed_steps[index 2] is the third of the steps the case lists.
AXES = {"lr": ["at step"], "lr_at_listed_steps": ["index"]}
LARGE = [1, 99999, 100000, 100001, 150000, 199999, 200000, 200001, 1000000, 10000000]
KEYS = ("lr0", "decay_steps", "end_lr", "power", "cycle")


def cases():
    out = []

    def add(name, group, seed, **params):
        out.append({"name": name, "group": group, "dtype": "float64", "seed": seed, **params})

    add("linear to 0, decay_steps=10 (defaults)", "no cycle: decay, then end_lr", 1, lr0=0.1, decay_steps=10,
        stop=16)
    add("power 2, end_lr 0.01, decay_steps=20", "no cycle: decay, then end_lr", 2, lr0=0.1, decay_steps=20,
        end_lr=0.01, power=2.0, cycle=False, stop=31)
    add("power 0.5, end_lr 0.001, decay_steps=8", "no cycle: decay, then end_lr", 3, lr0=1.0, decay_steps=8,
        end_lr=0.001, power=0.5, stop=17)
    add("power 3, decay_steps=5, cycle=False passed", "no cycle: decay, then end_lr", 4, lr0=0.5, decay_steps=5,
        power=3.0, cycle=False, stop=12)
    add("linear, end_lr 0.01, decay_steps=10, steps 1..45", "cycle", 5, lr0=0.1, decay_steps=10, end_lr=0.01,
        power=1.0, cycle=True, start=1, stop=46)
    add("power 2, decay_steps=7, steps 1..30", "cycle", 6, lr0=1.0, decay_steps=7, power=2.0, cycle=True,
        start=1, stop=31)
    add("power 0.5, end_lr 0.001, decay_steps=4, steps 1..20", "cycle", 7, lr0=0.2, decay_steps=4,
        end_lr=0.001, power=0.5, cycle=True, start=1, stop=21)
    add("cycle at step 0", "cycle at step 0", 8, lr0=0.1, decay_steps=10, power=1.0, cycle=True, stop=1)
    add("cycle at step 0, power 2", "cycle at step 0", 9, lr0=0.3, decay_steps=3, power=2.0, cycle=True, stop=1)
    add("decay_steps=10^5, steps 1..10^7", "large steps", 10, lr0=0.1, decay_steps=100000, end_lr=0.0001,
        power=1.0, cycle=False, steps=LARGE)
    add("decay_steps=10^5 cycle, steps 1..10^7", "large steps", 11, lr0=0.1, decay_steps=100000,
        end_lr=0.0001, power=2.0, cycle=True, steps=LARGE)
    for seed in (21, 22, 23, 24):
        add(f"random settings (seed {seed})", "random settings", seed, random=True, stop=60)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case.get("random"):
        lr0 = float(10.0 ** rng.uniform(-3, 0))
        params = {
            "lr0": lr0,
            "decay_steps": int(rng.integers(3, 16)),
            "end_lr": float(lr0 * rng.uniform(0.0, 0.3)),
            "power": float(rng.choice([0.5, 0.9, 1.0, 2.0, 3.0])),
            "cycle": bool(case["seed"] % 2),
        }
    else:
        params = {k: case[k] for k in KEYS if k in case}
    steps = case["steps"] if "steps" in case else list(range(case.get("start", 0), case["stop"]))
    inputs = {k: np.asarray(v) for k, v in params.items()}
    inputs["steps"] = np.array(steps, dtype=np.int64)
    return inputs


def _number(value):
    if isinstance(value, complex):  # (negative) ** fractional power in Python; NumPy gives NaN
        return math.nan
    return float(contract.array(value, FN, scalar=True, dtype=np.float64))


def run(impl, case, inputs):
    fn = getattr(impl, FN)
    lr0, decay_steps = float(inputs["lr0"]), int(inputs["decay_steps"])
    kwargs = {}
    if "end_lr" in inputs:
        kwargs["end_lr"] = float(inputs["end_lr"])
    if "power" in inputs:
        kwargs["power"] = float(inputs["power"])
    if "cycle" in inputs:
        kwargs["cycle"] = bool(inputs["cycle"])
    values = []
    for step in inputs["steps"].tolist():
        try:
            value = fn(step, lr0, decay_steps, **kwargs)
        except ZeroDivisionError:  # Python's 0 / 0; NumPy gives NaN, and so does the report
            value = math.nan
        values.append(_number(value))
    if "steps" in case:
        return {"lr_at_listed_steps": np.array(values, dtype=np.float64)}
    lr = np.full(case["stop"], np.nan)  # steps below the case's start are not asked
    lr[case.get("start", 0):] = values
    return {"lr": lr}
