"""lr-lambda harness: lambda_lr and multiplicative_lr over epochs 0..N for several factor
functions (decays, staircases, warm-up, a factor that cannot be evaluated at 0) and initial lrs.

Every case evaluates one function at every epoch 0..N, so the index of an output is the epoch."""

import math

import numpy as np
import quizdl_contract as contract

TOLERANCES = {}
AXES = {"lr": ["epoch"]}

# Factor functions, by name. LambdaLR factors multiply the initial lr, MultiplicativeLR factors
# the current one.
FNS = {
    "exponential 0.9**e": lambda e: 0.9 ** e,
    "staircase 0.5**(e//7)": lambda e: 0.5 ** (e // 7),
    "warm-up min(1, (e+1)/6)": lambda e: min(1.0, (e + 1) / 6),
    "polynomial (1 - e/50)**2": lambda e: (1 - e / 50) ** 2,
    "inverse sqrt 1/sqrt(e+1)": lambda e: 1.0 / math.sqrt(e + 1),
    "constant 0.95": lambda e: 0.95,
    "every 10: 0.5 else 1": lambda e: 0.5 if e % 10 == 0 else 1.0,
    "ratio (e+1)/(e+2)": lambda e: (e + 1) / (e + 2),
    "shrinking 1 - 0.015*e": lambda e: 1.0 - 0.015 * e,
    "1 - 0.2/e (undefined at 0)": lambda e: 1.0 - 0.2 / e,
    "1 + 0.3*sin(e)": lambda e: 1.0 + 0.3 * math.sin(e),
}


def cases():
    out = []

    def add(group, kind, fn, lr0, epochs, seed):
        what = "lambda_lr" if kind == "lambda" else "multiplicative_lr"
        name = f"{what}, fn = {fn}, lr0 = {lr0:g}, epochs 0..{epochs}"
        out.append({"name": name, "group": group, "dtype": "float64", "seed": seed,
                    "kind": kind, "fn": fn, "lr0": lr0, "epochs": epochs})

    g = "LambdaLR: factor of the initial lr"
    add(g, "lambda", "exponential 0.9**e", 0.1, 40, 1)
    add(g, "lambda", "staircase 0.5**(e//7)", 3e-4, 30, 2)
    add(g, "lambda", "warm-up min(1, (e+1)/6)", 2.5, 20, 3)
    add(g, "lambda", "polynomial (1 - e/50)**2", 0.05, 50, 4)
    add(g, "lambda", "1 + 0.3*sin(e)", 0.2, 25, 5)
    g = "MultiplicativeLR: factor of the current lr"
    add(g, "multiplicative", "constant 0.95", 0.1, 40, 6)
    add(g, "multiplicative", "ratio (e+1)/(e+2)", 0.3, 30, 8)
    add(g, "multiplicative", "1 + 0.3*sin(e)", 0.02, 25, 9)
    add(g, "multiplicative", "warm-up min(1, (e+1)/6)", 0.7, 15, 10)
    g = "fn(0) is never used"
    add(g, "multiplicative", "every 10: 0.5 else 1", 1.0, 35, 7)
    add(g, "multiplicative", "1 - 0.2/e (undefined at 0)", 0.1, 30, 11)
    g = "long runs"
    add(g, "lambda", "inverse sqrt 1/sqrt(e+1)", 1e-3, 150, 12)
    add(g, "multiplicative", "shrinking 1 - 0.015*e", 0.5, 60, 13)
    return out


def make_inputs(case):
    return {"epochs": np.arange(case["epochs"] + 1, dtype=np.int64)}


def run(impl, case, inputs):
    fn, lr0 = FNS[case["fn"]], case["lr0"]
    what = "lambda_lr" if case["kind"] == "lambda" else "multiplicative_lr"
    f = getattr(impl, what)
    values = []
    for epoch in inputs["epochs"].tolist():
        value = contract.array(f(epoch, lr0, fn), what, scalar=True, dtype=np.float64)
        values.append(float(value))
    return {"lr": np.array(values, dtype=np.float64)}
