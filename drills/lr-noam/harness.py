"""lr-noam harness: noam(step, d_model, warmup_steps, factor) over contiguous step ranges around
short warm-ups and at chosen steps of the paper's setting (step 0, 1, the peak, long runs).

The output `lr` is indexed by k; each case's name gives its steps."""

import numpy as np
import quizdl_contract as contract

AXES = {"lr": ["k"]}


def cases():
    out = []

    def add(group, d_model, warmup, factor, steps, seed):
        if steps == list(range(len(steps))):
            shown = f"steps k = 0..{len(steps) - 1}"
        else:
            shown = f"steps {', '.join(map(str, steps))} (k = 0..{len(steps) - 1})"
        out.append({"name": f"d_model={d_model}, warmup_steps={warmup}, factor={factor:g}, {shown}",
                    "group": group, "dtype": "float64", "seed": seed,
                    "d_model": d_model, "warmup": warmup, "factor": factor, "steps": steps})

    g = "warm-up and decay"
    add(g, 64, 10, 1.0, list(range(41)), 1)
    add(g, 256, 25, 2.0, list(range(81)), 2)
    add(g, 1024, 7, 0.5, list(range(30)), 3)
    g = "the paper's setting (d_model 512, 4000 warm-up steps)"
    add(g, 512, 4000, 1.0, [0, 1, 2, 10, 1000, 3999, 4000, 4001, 8000, 16000, 100000], 4)
    add(g, 512, 4000, 2.0, [1, 500, 2000, 4000, 6000, 40000], 5)
    g = "step 0 and step 1"
    add(g, 128, 50, 1.0, [0, 1], 6)
    add(g, 768, 1000, 0.7, [0, 1, 2], 7)
    g = "no warm-up (warmup_steps = 1)"
    add(g, 32, 1, 1.0, list(range(21)), 8)
    g = "long runs"
    add(g, 4096, 10000, 1.0, [1, 9999, 10000, 10001, 250000, 10**6, 10**7], 9)
    return out


def make_inputs(case):
    return {"steps": np.array(case["steps"], dtype=np.int64)}


def run(impl, case, inputs):
    values = []
    for step in inputs["steps"].tolist():
        value = impl.noam(step, case["d_model"], case["warmup"], factor=case["factor"])
        values.append(float(contract.array(value, "noam", scalar=True, dtype=np.float64)))
    return {"lr": np.array(values, dtype=np.float64)}
