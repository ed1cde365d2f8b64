"""lr-warmup harness: warmup_then_cosine and warmup_then_constant over whole step ranges and at
chosen steps (step 0, the switch at warmup_steps and its neighbours, total_steps and beyond), with
start_lr and lr_min 0 and > 0, one-step warm-ups and no warm-up at all.

The output `lr` is indexed by k; each case's name gives its steps."""

import numpy as np
import quizdl_contract as contract

AXES = {"lr": ["k"]}


def cases():
    out = []

    def add(group, fn, params, steps, seed):
        shown = ", ".join(f"{k}={v:g}" for k, v in params.items())
        if steps == list(range(len(steps))):
            grid = f"steps k = 0..{len(steps) - 1}"
        else:
            grid = f"steps {', '.join(map(str, steps))} (k = 0..{len(steps) - 1})"
        out.append({"name": f"{fn}({shown}), {grid}", "group": group, "dtype": "float64", "seed": seed,
                    "fn": fn, "params": params, "steps": steps})

    cos, const = "warmup_then_cosine", "warmup_then_constant"
    g = "warm-up then cosine, whole runs"
    add(g, cos, {"lr_max": 0.1, "warmup_steps": 10, "total_steps": 50}, list(range(61)), 1)
    add(g, cos, {"lr_max": 1.0, "warmup_steps": 8, "total_steps": 40, "start_lr": 0.1, "lr_min": 0.05},
        list(range(46)), 2)
    add(g, cos, {"lr_max": 0.1, "warmup_steps": 0, "total_steps": 30, "lr_min": 0.01}, list(range(31)), 8)
    g = "the switch at warmup_steps"
    add(g, cos, {"lr_max": 3e-4, "warmup_steps": 100, "total_steps": 1000, "start_lr": 1e-6, "lr_min": 1e-5},
        [0, 1, 50, 98, 99, 100, 101, 102], 3)
    add(g, cos, {"lr_max": 0.5, "warmup_steps": 5, "total_steps": 6, "start_lr": 0.05}, list(range(9)), 4)
    add(g, cos, {"lr_max": 2.0, "warmup_steps": 1, "total_steps": 20, "lr_min": 0.2}, list(range(23)), 5)
    g = "cosine decay and total_steps"
    add(g, cos, {"lr_max": 3e-4, "warmup_steps": 100, "total_steps": 1000, "start_lr": 1e-6, "lr_min": 1e-5},
        [100, 250, 550, 900, 999, 1000, 1001, 1500, 5000], 6)
    add(g, cos, {"lr_max": 6e-4, "warmup_steps": 2000, "total_steps": 100000, "lr_min": 6e-5},
        [0, 1999, 2000, 2001, 51000, 99999, 100000, 200000], 7)
    g = "warm-up then constant"
    add(g, const, {"lr_max": 0.1, "warmup_steps": 10}, list(range(21)), 10)
    add(g, const, {"lr_max": 2e-3, "warmup_steps": 4, "start_lr": 1e-4}, list(range(11)), 11)
    add(g, const, {"lr_max": 1.0, "warmup_steps": 1, "start_lr": 0.25}, [0, 1, 2, 1000], 12)
    add(g, const, {"lr_max": 0.05, "warmup_steps": 0}, list(range(6)), 9)
    return out


def make_inputs(case):
    return {"steps": np.array(case["steps"], dtype=np.int64)}


def run(impl, case, inputs):
    fn = getattr(impl, case["fn"])
    values = []
    for step in inputs["steps"].tolist():
        value = contract.array(fn(step, **case["params"]), case["fn"], scalar=True, dtype=np.float64)
        values.append(float(value))
    return {"lr": np.array(values, dtype=np.float64)}
