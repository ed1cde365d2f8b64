"""lr-step harness: step_lr and multistep_lr over whole epoch ranges (every epoch from 0, so an
index is the epoch), each decay epoch exactly, the default gamma, step_size 1, milestones sorted,
unsorted, at epoch 0 and none, random settings and epochs up to 10^6."""

import numpy as np
import quizdl_contract as contract

# step_lr[at epoch 30] is the value at epoch 30 (whole ranges from 0); *_at_listed_epochs[index 2]
# is the third of the epochs the case lists (its name says which).
AXES = {"step_lr": ["at epoch"], "multistep_lr": ["at epoch"],
        "step_lr_at_listed_epochs": ["index"], "multistep_lr_at_listed_epochs": ["index"]}
LARGE = [999, 1000, 1001, 99999, 100000, 100001, 1000000]


def cases():
    out = []

    def add(name, group, seed, **params):
        out.append({"name": name, "group": group, "dtype": "float64", "seed": seed, **params})

    add("step_size 30, default gamma, epochs 0..100", "step_lr", 1, fn="step_lr", lr0=0.1, step_size=30,
        stop=101)
    add("step_size 1, gamma 0.5", "step_lr", 2, fn="step_lr", lr0=1.0, step_size=1, gamma=0.5, stop=20)
    add("step_size 7, gamma 0.3", "step_lr", 3, fn="step_lr", lr0=0.05, step_size=7, gamma=0.3, stop=45)
    add("step_size 1000, gamma 0.99, epochs 999..10^6", "step_lr", 4, fn="step_lr", lr0=0.1, step_size=1000,
        gamma=0.99, epochs=LARGE)
    add("milestones [30, 60, 80], default gamma", "multistep_lr", 5, fn="multistep_lr", lr0=0.1,
        milestones=[30, 60, 80], stop=101)
    add("milestones [5, 6, 15], gamma 0.5", "multistep_lr", 6, fn="multistep_lr", lr0=1.0,
        milestones=[5, 6, 15], gamma=0.5, stop=20)
    add("milestones [1000, 100000], epochs 999..10^6", "multistep_lr", 7, fn="multistep_lr", lr0=0.1,
        milestones=[1000, 100000], gamma=0.2, epochs=LARGE)
    add("unsorted milestones [60, 10, 35]", "unsorted milestones", 8, fn="multistep_lr", lr0=0.1,
        milestones=[60, 10, 35], gamma=0.5, stop=70)
    add("unsorted milestones [9, 3, 4, 1]", "unsorted milestones", 9, fn="multistep_lr", lr0=1.0,
        milestones=[9, 3, 4, 1], gamma=0.3, stop=12)
    add("milestone at epoch 0", "edge cases", 10, fn="multistep_lr", lr0=0.1, milestones=[0, 5], gamma=0.1,
        stop=8)
    add("no milestones", "edge cases", 11, fn="multistep_lr", lr0=0.3, milestones=[], gamma=0.1, stop=5)
    add("step_size larger than the range", "edge cases", 12, fn="step_lr", lr0=0.3, step_size=50, gamma=0.1,
        stop=10)
    for seed in (21, 22, 23):
        add(f"random step_lr (seed {seed})", "random settings", seed, fn="step_lr", random=True, stop=60)
    for seed in (31, 32, 33):
        add(f"random multistep_lr (seed {seed})", "random settings", seed, fn="multistep_lr", random=True,
            stop=60)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case.get("random"):
        params = {"lr0": float(10.0 ** rng.uniform(-3, 0)), "gamma": float(rng.uniform(0.1, 0.9))}
        if case["fn"] == "step_lr":
            params["step_size"] = int(rng.integers(2, 15))
        else:  # distinct milestones in a random order
            params["milestones"] = rng.permutation(rng.choice(np.arange(1, 60), size=int(rng.integers(2, 6)),
                                                              replace=False))
    else:
        params = {k: case[k] for k in ("lr0", "step_size", "milestones", "gamma") if k in case}
    inputs = {k: np.asarray(v) for k, v in params.items()}
    if "milestones" in inputs:
        inputs["milestones"] = inputs["milestones"].astype(np.int64).reshape(-1)
    epochs = case["epochs"] if "epochs" in case else list(range(case["stop"]))
    inputs["epochs"] = np.array(epochs, dtype=np.int64)
    return inputs


def run(impl, case, inputs):
    name = case["fn"]
    fn = getattr(impl, name)
    lr0 = float(inputs["lr0"])
    kwargs = {"gamma": float(inputs["gamma"])} if "gamma" in inputs else {}
    values = []
    for epoch in inputs["epochs"].tolist():
        if name == "step_lr":
            value = fn(epoch, lr0, int(inputs["step_size"]), **kwargs)
        else:
            milestones = [int(m) for m in inputs["milestones"]]  # a fresh list: the caller's
            before = contract.snapshot(milestones=milestones)
            value = fn(epoch, lr0, milestones, **kwargs)
            contract.unchanged(before, {"milestones": milestones}, name)
        values.append(float(contract.array(value, name, scalar=True, dtype=np.float64)))
    key = f"{name}_at_listed_epochs" if "epochs" in case else name
    return {key: np.array(values, dtype=np.float64)}
