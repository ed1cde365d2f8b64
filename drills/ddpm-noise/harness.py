"""ddpm-noise harness: linear schedules (T = 1000, 50 with other ends, 10, 1), cosine schedules
(T = 1000 with the final beta clipped, 50, 20 with max_beta 0.5, another s); q_sample with an int
t (0, middle, T - 1) and with one t per example for vectors, images and an (N, N) batch; the
posterior mean and variance at t = 0, 1, the middle and T - 1 of linear and cosine schedules;
float32 and float64 (schedules are float64 inputs, x0 / noise / xt in the case's dtype)."""

import numpy as np
import quizdl_contract as contract

AXES = {"betas": ["t"]}


class ShapeError(AssertionError):
    """An output of the wrong shape (its own type, so a diagnosis can match it)."""


def cases():
    out = []

    def add(name, group, dtype, seed, kind, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind, **params})

    g = "linear_betas"
    add("T 1000", g, "float64", 0, "linear", T=1000)
    add("T 50, start 1e-3, end 0.05", g, "float64", 0, "linear", T=50, start=1e-3, end=0.05)
    add("T 10", g, "float64", 0, "linear", T=10)
    add("T 1", g, "float64", 0, "linear", T=1)
    g = "cosine_betas"
    add("T 1000 (last beta clipped)", g, "float64", 0, "cosine", T=1000)
    add("T 50", g, "float64", 0, "cosine", T=50)
    add("T 20, max_beta 0.5", g, "float64", 0, "cosine", T=20, max_beta=0.5)
    add("T 100, s 0.1", g, "float64", 0, "cosine", T=100, s=0.1)
    g = "q_sample"
    add("int t = 0, (4, 6)", g, "float64", 11, "q", shape=[4, 6], t=0, schedule="linear")
    add("int t = 500, (4, 6) float32", g, "float32", 12, "q", shape=[4, 6], t=500, schedule="linear")
    add("int t = T - 1, cosine", g, "float64", 13, "q", shape=[3, 5], t=99, schedule="cosine")
    add("t per example, (5, 7)", g, "float64", 14, "q", shape=[5, 7], t="per-example", schedule="linear")
    add("t per example, images (3, 2, 4, 4) float32", g, "float32", 15, "q", shape=[3, 2, 4, 4],
        t="per-example", schedule="cosine")
    add("t per example, (4, 4) batch", g, "float64", 16, "q", shape=[4, 4], t="per-example", schedule="linear")
    add("t per example, (4, 4) batch, float32", g, "float32", 17, "q", shape=[4, 4], t="per-example",
        schedule="cosine")
    g = "posterior mean and variance"
    add("t = 0 (variance 0)", g, "float64", 21, "posterior", shape=[4, 5], t=0, schedule="linear")
    add("t = 0, float32", g, "float32", 22, "posterior", shape=[3, 4], t=0, schedule="cosine")
    add("t = 1", g, "float64", 23, "posterior", shape=[4, 5], t=1, schedule="linear")
    add("t = 1, cosine, float32", g, "float32", 24, "posterior", shape=[2, 3, 4], t=1, schedule="cosine")
    add("t = 400", g, "float64", 25, "posterior", shape=[6, 3], t=400, schedule="linear")
    add("t = 60, cosine", g, "float64", 26, "posterior", shape=[2, 2, 3, 3], t=60, schedule="cosine")
    add("t = T - 1, float32", g, "float32", 27, "posterior", shape=[4, 5], t=999, schedule="linear")
    return out


def _schedule(name):
    if name == "linear":
        return np.linspace(1e-4, 0.02, 1000)
    t = np.arange(100, dtype=np.float64)
    ab = lambda u: np.cos((u / 100 + 0.008) / 1.008 * np.pi / 2) ** 2  # noqa: E731
    return np.minimum(1.0 - ab(t + 1) / ab(t), 0.999)


def _f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def make_inputs(case):
    if case["kind"] in ("linear", "cosine"):
        return {}
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    betas = _schedule(case["schedule"])
    x0 = _f32(rng.normal(size=shape))
    if case["kind"] == "q":
        if case["t"] == "per-example":
            t = rng.integers(0, len(betas), size=shape[0])
            t[0], t[-1] = 0, len(betas) - 1
        else:
            t = np.array(case["t"])
        return {"x0": x0, "noise": _f32(rng.normal(size=shape)), "t": t.astype(np.int64),
                "alphas_cumprod": np.cumprod(1.0 - betas)}
    return {"x0": x0, "xt": _f32(rng.normal(size=shape)), "betas": betas}


def _schedule_out(values, what, T):
    betas = contract.array(values, what)
    if betas.shape != (T,):
        raise ShapeError(f"{what} returned shape {betas.shape}; expected ({T},), one beta per step")
    return {"betas": betas}


def run(impl, case, inputs):
    kind = case["kind"]
    if kind == "linear":
        kwargs = {k: case[k] for k in ("start", "end") if k in case}
        return _schedule_out(impl.linear_betas(case["T"], **kwargs), "linear_betas", case["T"])
    if kind == "cosine":
        kwargs = {k: case[k] for k in ("s", "max_beta") if k in case}
        return _schedule_out(impl.cosine_betas(case["T"], **kwargs), "cosine_betas", case["T"])
    dtype = np.dtype(case["dtype"])
    x0 = inputs["x0"].astype(dtype)
    if kind == "q":
        noise, ac = inputs["noise"].astype(dtype), inputs["alphas_cumprod"].copy()
        t = int(inputs["t"]) if inputs["t"].ndim == 0 else inputs["t"].copy()
        before = contract.snapshot(x0=x0, noise=noise, alphas_cumprod=ac, t=t)
        xt = contract.array(impl.q_sample(x0, t, noise, ac), "q_sample")
        contract.unchanged(before, {"x0": x0, "noise": noise, "alphas_cumprod": ac, "t": t}, "q_sample")
        if xt.shape != x0.shape:
            raise ShapeError(f"q_sample returned shape {xt.shape}; expected x0's shape {x0.shape}")
        return {"xt": xt}
    xt, betas = inputs["xt"].astype(dtype), inputs["betas"].copy()
    before = contract.snapshot(x0=x0, xt=xt, betas=betas)
    result = impl.posterior_mean_variance(x0, xt, case["t"], betas)
    contract.unchanged(before, {"x0": x0, "xt": xt, "betas": betas}, "posterior_mean_variance")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError("posterior_mean_variance must return a pair (mean, variance)")
    mean = contract.array(result[0], "posterior_mean_variance's mean")
    variance = contract.array(result[1], "posterior_mean_variance's variance", scalar=True, dtype=dtype)
    if mean.shape != x0.shape:
        raise ShapeError(f"the posterior mean has shape {mean.shape}; expected x0's shape {x0.shape}")
    if variance.size != 1:
        raise ShapeError(f"the posterior variance has shape {variance.shape}; expected a scalar")
    return {"mean": mean, "variance": variance.reshape(())}
