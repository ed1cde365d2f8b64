"""lr-plateau harness: ReduceLROnPlateau driven over long metric series (plateaus, noise, slow
creeps just above and below the threshold, cooldowns, mode max, min_lr, eps, a NaN loss), the lr
returned by each step() recorded.

The output `lr` is indexed by step() call: lr[after step 3] is what the third call returned."""

import numpy as np
import quizdl_contract as contract

AXES = {"lr": ["step"]}


def _plateaus(rng, n):
    """Improving phases and long flat phases (tiny changes far below any threshold)."""
    out, level = [], 2.0
    while len(out) < n:
        for _ in range(25):
            level *= 0.95
            out.append(level)
        for _ in range(int(rng.integers(14, 30))):
            out.append(level * (1 - 1e-6 * rng.random()))
    return np.array(out[:n])


def _steps_down(rng, n):
    """A big improvement every 5 epochs, slight rises in between."""
    out, level = [], 1.0
    for t in range(n):
        if t % 5 == 0:
            level *= 0.9
            out.append(level)
        else:
            out.append(level * (1 + 0.01 * rng.random()))
    return np.array(out)


def _noisy(rng, n, nan_at=()):
    t = np.arange(n)
    x = 2.0 * np.exp(-t / 40.0) + 0.3 + rng.normal(0.0, 0.02, size=n)
    for i in nan_at:
        x[i] = np.nan
    return x


def _creep(rng, n, level, per_epoch):
    """Decreases by `per_epoch` (absolute) each epoch, with a flat stretch every 20 epochs."""
    out, x = [], level
    for t in range(n):
        if t % 20 < 15:
            x -= per_epoch
        out.append(x)
    return np.array(out)


def _cooldown_series(rng, n):
    """Flat stretches that trigger reductions, bad epochs and an improvement inside cooldowns."""
    pattern = [1.0, 0.9, 0.95, 0.96, 0.97, 0.98, 0.85, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.8,
               0.81, 0.82, 0.83, 0.84, 0.7, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]
    reps = -(-n // len(pattern))
    return np.array([v * 0.5**k for k in range(reps) for v in pattern][:n])


def _accuracy(rng, n):
    """Rises and saturates around 0.9 with noise: mode max."""
    t = np.arange(n)
    return 0.9 - 0.6 * np.exp(-t / 15.0) + rng.normal(0.0, 0.004, size=n)


def _log_likelihood(rng, n):
    """Negative values rising towards -1 (mode max with a negative metric)."""
    t = np.arange(n)
    return -1.0 - 1.5 * np.exp(-t / 12.0) + rng.normal(0.0, 0.002, size=n)


SERIES = {
    "plateaus": _plateaus,
    "steps down": _steps_down,
    "noisy": _noisy,
    "noisy with NaN": lambda rng, n: _noisy(rng, n, nan_at=(17, 18, 60)),
    "creep 3e-5 at 0.1": lambda rng, n: _creep(rng, n, 0.1, 3e-5),
    "creep 1e-7 at 1": lambda rng, n: _creep(rng, n, 1.0, 1e-7),
    "creep 0.03 at 5": lambda rng, n: _creep(rng, n, 5.0, 0.03),
    "cooldown pattern": _cooldown_series,
    "accuracy": _accuracy,
    "log-likelihood": _log_likelihood,
    "flat": lambda rng, n: np.ones(n),
}


def cases():
    out = []

    def add(group, series, n, seed, lr, **params):
        shown = ", ".join(f"{k}={v!r}" if isinstance(v, str) else f"{k}={v:g}" for k, v in params.items())
        out.append({"name": f"{series} x{n}: ReduceLROnPlateau(lr={lr:g}{', ' if shown else ''}{shown})",
                    "group": group, "dtype": "float64", "seed": seed, "series": series, "n": n,
                    "lr": lr, "params": params})

    g = "plateaus (defaults and short patience)"
    add(g, "plateaus", 160, 1, 0.1)
    add(g, "steps down", 80, 2, 1.0, factor=0.5, patience=3)
    add(g, "plateaus", 100, 3, 0.3, factor=0.5, patience=0)
    g = "noisy losses"
    add(g, "noisy", 200, 4, 0.1, factor=0.5, patience=5)
    add(g, "noisy", 150, 5, 0.05, factor=0.3, patience=2, threshold=1e-3)
    add(g, "noisy with NaN", 90, 6, 0.1, factor=0.5, patience=1)
    g = "relative and absolute threshold"
    add(g, "creep 3e-5 at 0.1", 100, 7, 0.1, factor=0.5, patience=2)
    add(g, "creep 1e-7 at 1", 60, 8, 0.1, factor=0.5, patience=3)
    add(g, "creep 0.03 at 5", 100, 9, 0.1, factor=0.5, patience=2, threshold=0.01, threshold_mode="abs")
    add(g, "creep 3e-5 at 0.1", 100, 10, 0.2, factor=0.5, patience=1, threshold=2e-5, threshold_mode="abs")
    g = "cooldown"
    add(g, "cooldown pattern", 100, 11, 0.1, factor=0.5, patience=2, cooldown=3)
    add(g, "cooldown pattern", 100, 12, 1.0, factor=0.7, patience=0, cooldown=5)
    add(g, "noisy", 120, 13, 0.1, factor=0.5, patience=1, cooldown=2)
    g = "mode max"
    add(g, "accuracy", 120, 14, 0.1, mode="max", factor=0.5, patience=3, threshold=1e-3)
    add(g, "accuracy", 100, 15, 0.01, mode="max", factor=0.2, patience=2, threshold=0.01, threshold_mode="abs")
    add(g, "log-likelihood", 100, 16, 0.1, mode="max", factor=0.5, patience=2, threshold=1e-3)
    add(g, "accuracy", 80, 17, 0.1, mode="max", factor=0.5, patience=1, cooldown=2, min_lr=0.004)
    g = "min_lr and eps"
    add(g, "flat", 40, 18, 0.1, factor=0.5, patience=1, min_lr=1e-3)
    add(g, "flat", 30, 19, 1e-6, factor=0.1, patience=0)
    add(g, "flat", 30, 20, 0.01, factor=0.5, patience=0, eps=1e-3)
    add(g, "noisy", 200, 21, 0.1, factor=0.1, patience=2, min_lr=1e-4)
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    return {"metrics": SERIES[case["series"]](rng, case["n"]).astype(np.float64)}


def run(impl, case, inputs):
    scheduler = impl.ReduceLROnPlateau(case["lr"], **case["params"])
    lrs = []
    for metric in inputs["metrics"].tolist():
        lr = contract.array(scheduler.step(metric), "step", scalar=True, dtype=np.float64)
        lrs.append(float(lr))
    return {"lr": np.array(lrs, dtype=np.float64)}
