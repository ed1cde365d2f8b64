"""xavier-init harness: fans graded exactly; xavier_uniform_ / xavier_normal_ graded by properties
of large draws (every tensor has 2**16 = 65536 elements), always against the KNOWN target of the
case (never against the reference's own draws, which may differ from the submission's).

run() seeds torch, fills a NaN tensor (sometimes an nn.Parameter) and measures the result; it
checks the contract on the way: w itself returned and filled in place (not-in-place), the dtype
kept (wrong-dtype). check() then compares the measurements with the target; each failure id names
what it measured (the diagnosis compares these ids):

    fans               (fan_in, fan_out) differs from shape[1]·k, shape[0]·k, k = prod(shape[2:])
    fans-1d            fans() of a shape with fewer than 2 dimensions did not raise ValueError
    non-finite         NaN or inf left in the tensor (then nothing else is measured)
    std                sqrt(mean(w²)) more than 2% away from gain·sqrt(2 / (fan_in + fan_out))
    mean               |mean(w)| above 0.04 · sqrt(mean(w²))  (the std of the mean is 0.004)
    distribution       E[w⁴] / E[w²]² more than 0.3 away from 1.8 (uniform) or 3 (normal)
    bound              uniform: max |w| above a = sqrt(3)·std (by more than float rounding), or
                       below 0.999·a (2**16 uniform draws miss that with probability
                       0.999**65536 ≈ 5e-29)

False alarms: the std estimate has a relative standard error of 1/sqrt(2n) = 0.0028 (normal;
0.0017 uniform), so 2% is over 7 standard errors; E[w⁴]/E[w²]² has one of about 0.02-0.04, so
0.3 is over 7; the mean bound is 10. A correct solution fails with probability below 1e-11 per
case, whatever its draws; the mistakes are off by 5% or more (the bound's check ids do not say
in which direction, so that two mistakes combine into the union of their failures).
"""

import math

import numpy as np
import quizdl_contract as contract

N = 2**16
STD_RTOL = 0.02
MEAN_TOL = 0.04
KURT_TOL = 0.3
KURTOSIS = {"uniform": 1.8, "normal": 3.0}
BOUND_BELOW = 1e-3
BOUND_ABOVE = 1e-6  # float32 rounding of a itself

LINEAR = [[3, 5], [10, 10], [1, 7], [64, 3]]
CONV = [[8, 4, 3], [16, 3, 5, 5], [4, 2, 3, 3, 3], [6, 1, 1, 1], [32, 16, 3, 1]]


def cases():
    out = []

    def fans_case(name, shapes, size=False):
        out.append({"name": name, "group": "fans of linear and conv weights", "dtype": "float64", "seed": 0,
                    "kind": "fans", "shapes": shapes, "size": size})

    fans_case("linear weights (out, in)", LINEAR)
    fans_case("conv weights (out, in, *kernel)", CONV)
    fans_case("torch.Size shapes", [[5, 2], [3, 4, 2, 2]], size=True)
    out.append({"name": "fewer than 2 dimensions", "group": "fans of linear and conv weights", "dtype": "float64",
                "seed": 0, "kind": "fans-1d", "shapes": [[5], []]})

    def init(kind, shape, dtype, seed, gain=None, param=False):
        assert math.prod(shape) == N
        what = f"xavier_{kind}_"
        g = "" if gain is None else f", gain={gain:.4g}"
        p = " nn.Parameter" if param else ""
        out.append({"name": f"{tuple(shape)}{g} {dtype}{p}", "group": what, "dtype": dtype, "seed": seed,
                    "kind": kind, "shape": shape, "gain": gain, "param": param})

    init("uniform", [256, 256], "float32", 11)
    init("uniform", [128, 512], "float64", 12)
    init("uniform", [512, 128], "float32", 13, gain=5.0 / 3.0)
    init("uniform", [64, 16, 8, 8], "float64", 14)
    init("uniform", [256, 256], "float32", 15, gain=math.sqrt(2.0), param=True)
    init("normal", [256, 256], "float64", 21)
    init("normal", [1024, 64], "float32", 22, gain=0.5)
    init("normal", [16, 64, 8, 8], "float32", 23)
    init("normal", [64, 32, 32], "float64", 24, gain=5.0 / 3.0, param=True)
    init("normal", [256, 256], "float32", 25, gain=2.0)
    return out


def make_inputs(case):
    return {"seed": np.array(case["seed"])}  # everything else is in the case


def true_fans(shape):
    k = math.prod(shape[2:])
    return shape[1] * k, shape[0] * k


def _pair(got, what):
    try:
        fan_in, fan_out = got
        return [float(fan_in), float(fan_out)]
    except (TypeError, ValueError):
        raise AssertionError(f"{what} returned {got!r}; return a tuple (fan_in, fan_out) of two ints") from None


def _measure(t):
    import torch

    x = t.detach().reshape(-1).to(torch.float64)
    finite = torch.isfinite(x)
    bad = int((~finite).sum())
    x = x[finite]
    if x.numel() == 0:
        stats = [math.nan] * 4
    else:
        m2 = float((x * x).mean())
        stats = [float(x.mean()), math.sqrt(m2), float(x.abs().max()), float((x**4).mean()) / (m2 * m2)]
    names = ("mean", "rms", "max_abs", "kurtosis")
    return {"nonfinite": np.array(float(bad)), **{k: np.array(v) for k, v in zip(names, stats, strict=True)}}


def run(impl, case, inputs):
    import torch

    kind = case["kind"]
    if kind == "fans":
        got = []
        for shape in case["shapes"]:
            arg = torch.Size(shape) if case["size"] else tuple(shape)
            got.append(_pair(impl.fans(arg), f"fans({arg})"))
        return {"fans": np.array(got, dtype=np.float64)}
    if kind == "fans-1d":
        raised = []
        for shape in case["shapes"]:
            try:
                impl.fans(tuple(shape))
                raised.append(0.0)
            except ValueError:
                raised.append(1.0)
        return {"raised": np.array(raised)}

    torch.manual_seed(case["seed"])  # reproducible runs; the checks never depend on the draws
    dtype = getattr(torch, case["dtype"])
    shape = tuple(case["shape"])
    w = torch.full(shape, math.nan, dtype=dtype)
    if case["param"]:
        w = torch.nn.Parameter(w)
    what = f"xavier_{kind}_"
    fn = getattr(impl, what)
    result = fn(w) if case["gain"] is None else fn(w, gain=case["gain"])
    t = w
    if result is not w:
        if isinstance(result, torch.Tensor) and tuple(result.shape) == shape:
            t = result  # measure what it returned, so its numbers can still be named
            contract.violation("not-in-place", f"{what} returned a new tensor instead of filling w and returning it")
        else:
            contract.violation("not-in-place", f"{what} returned {type(result).__name__}, not w itself")
    if t.dtype != dtype:
        contract.violation("wrong-dtype", f"{what} gave a {t.dtype} tensor for a {dtype} w")
    return _measure(t)


def target(case):
    fan_in, fan_out = true_fans(case["shape"])
    gain = 1.0 if case["gain"] is None else case["gain"]
    return fan_in, fan_out, gain, gain * math.sqrt(2.0 / (fan_in + fan_out))


def check(case, inputs, outputs):
    kind = case["kind"]
    if kind == "fans":
        fails = []
        for shape, (fi, fo) in zip(case["shapes"], outputs["fans"], strict=True):
            want = true_fans(shape)
            if (fi, fo) != want:
                fails.append(f"fans: fans({tuple(shape)}) returned ({fi:g}, {fo:g}), expected {want} "
                             "(fan_in = shape[1]·k, fan_out = shape[0]·k, k = the product of shape[2:])")
        return fails[:1]
    if kind == "fans-1d":
        for shape, raised in zip(case["shapes"], outputs["raised"], strict=True):
            if raised != 1.0:
                return [f"fans-1d: fans({tuple(shape)}) must raise ValueError (fewer than 2 dimensions)"]
        return []

    o = {k: float(v) for k, v in outputs.items()}
    shape = tuple(case["shape"])
    what = f"xavier_{kind}_"
    if o["nonfinite"] > 0:
        return [f"non-finite: {o['nonfinite']:.0f} of {N} values are NaN or inf after {what} (is w filled?)"]
    fan_in, fan_out, gain, std = target(case)
    fails = []
    if abs(o["rms"] / std - 1.0) > STD_RTOL:
        fails.append(f"std: the sample std is {o['rms']:.5g} ({o['rms'] / std:.3g} × the target), expected "
                     f"gain·sqrt(2 / (fan_in + fan_out)) = {std:.5g} for shape {shape} (fan_in {fan_in}, "
                     f"fan_out {fan_out}, gain {gain:.4g}), within ±2%")
    if abs(o["mean"]) > MEAN_TOL * o["rms"]:
        fails.append(f"mean: the sample mean is {o['mean']:.3g}, {abs(o['mean']) / o['rms']:.3g} × the sample std; "
                     f"expected 0 (within 0.04 × std)")
    want_k = KURTOSIS[kind]
    if abs(o["kurtosis"] - want_k) > KURT_TOL:
        seen = next((n for n, k in KURTOSIS.items() if abs(o["kurtosis"] - k) <= KURT_TOL), None)
        like = f", like a {seen} distribution" if seen else ""
        fails.append(f"distribution: E[w⁴]/E[w²]² is {o['kurtosis']:.3g}{like}; {what} draws from a {kind} "
                     f"distribution ({want_k:g}, within ±{KURT_TOL:g})")
    if kind == "uniform":
        bound = math.sqrt(3.0) * std
        if o["max_abs"] > bound * (1 + BOUND_ABOVE):
            fails.append(f"bound: max |w| is {o['max_abs']:.5g}, above the bound a = sqrt(3)·std = "
                         f"gain·sqrt(6 / (fan_in + fan_out)) = {bound:.5g}")
        elif o["max_abs"] < bound * (1 - BOUND_BELOW):
            fails.append(f"bound: max |w| is {o['max_abs']:.5g}, but {N} draws from U(-a, a) with "
                         f"a = gain·sqrt(6 / (fan_in + fan_out)) = {bound:.5g} reach beyond 0.999·a")
    return fails
