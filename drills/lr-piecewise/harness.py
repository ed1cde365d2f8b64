"""lr-piecewise harness: the schedule over whole step ranges (every step from 0, so an index is
the step), around each boundary exactly, with one, two and many boundaries, a boundary at step 0
or 1, random schedules and steps up to 10^7."""

import numpy as np
import quizdl_contract as contract

# lr[at step 30] is the value at step 30 (whole ranges from step 0); lr_at_listed_steps[index 2]
# is the third of the steps the case lists (its name says which).
AXES = {"lr": ["at step"], "lr_at_listed_steps": ["index"]}


def cases():
    out = []

    def add(name, group, seed, **params):
        out.append({"name": name, "group": group, "dtype": "float64", "seed": seed, **params})

    add("boundaries [30, 60], steps 0..70", "around the boundaries", 1,
        boundaries=[30, 60], values=[0.1, 0.01, 0.001], stop=71)
    add("one boundary [10], steps 0..20", "around the boundaries", 2,
        boundaries=[10], values=[1.0, 0.5], stop=21)
    add("boundaries [5, 12, 13, 20], steps 0..25", "around the boundaries", 3,
        boundaries=[5, 12, 13, 20], values=[0.4, 0.3, 0.2, 0.1, 0.05], stop=26)
    add("rising values [4, 8], steps 0..12", "around the boundaries", 4,
        boundaries=[4, 8], values=[0.01, 0.1, 0.05], stop=13)
    add("boundary at step 0", "edge cases", 5, boundaries=[0, 3], values=[1.0, 0.1, 0.01], stop=6)
    add("boundaries [1, 2, 3]", "edge cases", 6, boundaries=[1, 2, 3], values=[0.4, 0.3, 0.2, 0.1], stop=6)
    add("no boundaries", "edge cases", 7, boundaries=[], values=[0.25], stop=4)
    for seed in (11, 12, 13):
        add(f"random schedule (seed {seed})", "random schedules", seed, boundaries="random", stop=120)
    add("steps 999, 1000, 1001, ..., 10^6 + 1, 10^7 around [1000, 100000, 1000000]", "large steps", 21,
        boundaries=[1000, 100000, 1000000], values=[0.1, 0.03, 0.01, 0.003],
        steps=[999, 1000, 1001, 99999, 100000, 100001, 999999, 1000000, 1000001, 10000000])
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case["boundaries"] == "random":
        k = int(rng.integers(2, 7))
        boundaries = np.sort(rng.choice(np.arange(1, case["stop"]), size=k, replace=False))
        values = rng.uniform(1e-4, 1.0, size=k + 1)
    else:
        boundaries = np.array(case["boundaries"], dtype=np.int64)
        values = np.array(case["values"], dtype=np.float64)
    steps = np.array(case["steps"] if "steps" in case else np.arange(case["stop"]), dtype=np.int64)
    return {"steps": steps, "boundaries": boundaries.astype(np.int64), "values": values}


def run(impl, case, inputs):
    boundaries = [int(b) for b in inputs["boundaries"]]
    values = [float(v) for v in inputs["values"]]
    lr = []
    for step in inputs["steps"].tolist():
        b, v = list(boundaries), list(values)  # fresh lists: the caller's, to be left alone
        before = contract.snapshot(boundaries=b, values=v)
        value = impl.piecewise_constant(step, b, v)
        contract.unchanged(before, {"boundaries": b, "values": v}, "piecewise_constant")
        lr.append(float(contract.array(value, "piecewise_constant", scalar=True, dtype=np.float64)))
    return {"lr_at_listed_steps" if "steps" in case else "lr": np.array(lr, dtype=np.float64)}
