"""kaiming-init harness: calculate_gain graded exactly; kaiming_uniform_ / kaiming_normal_ graded by
properties of large draws (every tensor has 2**16 = 65536 elements), always against the KNOWN
target of the case (never against the reference's own draws, which may differ from the
submission's).

run() seeds torch, fills a NaN tensor (sometimes an nn.Parameter) and measures the result; it
checks the contract on the way: w itself returned and filled in place (not-in-place), the dtype
kept (wrong-dtype). check() then compares the measurements with the target; each failure id names
what it measured (the diagnosis compares these ids):

    gain               calculate_gain(...) differs from torch.nn.init.calculate_gain (rel. 1e-12)
    gain-error         calculate_gain of an unknown nonlinearity did not raise ValueError
    mode-error         a mode other than fan_in / fan_out did not raise ValueError
    non-finite         NaN or inf left in the tensor (then nothing else is measured)
    std                sqrt(mean(w²)) more than 2% away from gain / sqrt(fan)
    mean               |mean(w)| above 0.04 · sqrt(mean(w²))  (the std of the mean is 0.004)
    distribution       E[w⁴] / E[w²]² more than 0.3 away from 1.8 (uniform) or 3 (normal)
    bound              uniform: max |w| above b = sqrt(3)·std (by more than float rounding), or
                       below 0.999·b (2**16 uniform draws miss that with probability
                       0.999**65536 ≈ 5e-29)

False alarms: the std estimate has a relative standard error of 1/sqrt(2n) = 0.0028 (normal;
0.0017 uniform), so 2% is over 7 standard errors; E[w⁴]/E[w²]² has one of about 0.02-0.04, so
0.3 is over 7; the mean bound is 10. A correct solution fails with probability below 1e-11 per
case, whatever its draws; the mistakes are off by 5% or more (the bound's check id does not say
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
BOUND_ABOVE = 1e-6  # float32 rounding of the bound itself
GAIN_RTOL = 1e-12

GAIN_ONE = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d",
            "sigmoid"]


def true_gain(nonlinearity, param=None):
    """torch.nn.init.calculate_gain's table (tests/test_refs_init_clip.py checks it against torch)."""
    if nonlinearity in GAIN_ONE:
        return 1.0
    slope = 0.01 if param is None else param
    return {"tanh": 5.0 / 3.0, "relu": math.sqrt(2.0), "selu": 0.75,
            "leaky_relu": math.sqrt(2.0 / (1.0 + slope**2))}[nonlinearity]


def cases():
    out = []

    def gains(name, calls):
        out.append({"name": name, "group": "calculate_gain", "dtype": "float64", "seed": 0, "kind": "gain",
                    "calls": calls})

    gains("linear, sigmoid, tanh, relu, selu", [["linear", None], ["sigmoid", None], ["tanh", None],
                                               ["relu", None], ["selu", None]])
    gains("conv and conv_transpose", [[n, None] for n in GAIN_ONE[1:7]])
    gains("leaky_relu slopes", [["leaky_relu", None], ["leaky_relu", 0.2], ["leaky_relu", math.sqrt(5.0)],
                                ["leaky_relu", 1.0]])
    gains("leaky_relu with param=0", [["leaky_relu", 0], ["leaky_relu", 0.0]])
    out.append({"name": "unknown nonlinearity", "group": "calculate_gain", "dtype": "float64", "seed": 0,
                "kind": "gain-error", "names": ["gelu", "softmax"]})

    def init(kind, shape, dtype, seed, param=False, **kwargs):
        assert math.prod(shape) == N
        args = "".join(f", {k}={v:.4g}" if isinstance(v, float) else f", {k}={v!r}" for k, v in kwargs.items())
        p = " nn.Parameter" if param else ""
        out.append({"name": f"{tuple(shape)}{args} {dtype}{p}", "group": f"kaiming_{kind}_", "dtype": dtype,
                    "seed": seed, "kind": kind, "shape": shape, "kwargs": kwargs, "param": param})

    init("uniform", [256, 256], "float32", 11)
    init("uniform", [128, 512], "float64", 12, nonlinearity="relu")
    init("uniform", [512, 128], "float32", 13, mode="fan_out", nonlinearity="relu")
    init("uniform", [64, 16, 8, 8], "float64", 14, a=2.0)
    init("uniform", [256, 256], "float32", 15, param=True, nonlinearity="tanh")
    init("uniform", [256, 256], "float64", 16, nonlinearity="conv2d")
    init("normal", [256, 256], "float64", 21)
    init("normal", [1024, 64], "float32", 22, mode="fan_out", nonlinearity="relu")
    init("normal", [32, 32, 8, 8], "float32", 23, nonlinearity="linear")
    init("normal", [64, 64, 16], "float64", 24, param=True, a=math.sqrt(5.0))
    init("normal", [256, 256], "float32", 25, mode="fan_out", nonlinearity="selu")
    init("normal", [128, 512], "float64", 26, nonlinearity="sigmoid")
    init("normal", [256, 256], "float32", 27, a=0.5)
    out.append({"name": "mode='fan_avg'", "group": "kaiming_normal_", "dtype": "float64", "seed": 28,
                "kind": "mode-error", "shape": [4, 6]})
    return out


def make_inputs(case):
    return {"seed": np.array(case["seed"])}  # everything else is in the case


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


def _number(value, what):
    try:
        return float(value)
    except (TypeError, ValueError):
        raise AssertionError(f"{what} returned {value!r}; return a Python float") from None


def run(impl, case, inputs):
    import torch

    kind = case["kind"]
    if kind == "gain":
        got = []
        for name, param in case["calls"]:
            args = (name,) if param is None else (name, param)
            got.append(_number(impl.calculate_gain(*args), f"calculate_gain{args}"))
        return {"gains": np.array(got, dtype=np.float64)}
    if kind == "gain-error":
        raised = []
        for name in case["names"]:
            try:
                impl.calculate_gain(name)
                raised.append(0.0)
            except ValueError:
                raised.append(1.0)
        return {"raised": np.array(raised)}
    if kind == "mode-error":
        w = torch.zeros(tuple(case["shape"]), dtype=torch.float64)
        try:
            impl.kaiming_normal_(w, mode="fan_avg")
            raised = 0.0
        except ValueError:
            raised = 1.0
        return {"raised": np.array([raised])}

    torch.manual_seed(case["seed"])  # reproducible runs; the checks never depend on the draws
    dtype = getattr(torch, case["dtype"])
    shape = tuple(case["shape"])
    w = torch.full(shape, math.nan, dtype=dtype)
    if case["param"]:
        w = torch.nn.Parameter(w)
    what = f"kaiming_{kind}_"
    result = getattr(impl, what)(w, **case["kwargs"])
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
    kw = case["kwargs"]
    shape = case["shape"]
    k = math.prod(shape[2:])
    mode = kw.get("mode", "fan_in")
    fan = shape[1] * k if mode == "fan_in" else shape[0] * k
    nonlinearity = kw.get("nonlinearity", "leaky_relu")
    gain = true_gain(nonlinearity, kw.get("a", 0))
    return mode, fan, nonlinearity, gain, gain / math.sqrt(fan)


def check(case, inputs, outputs):
    kind = case["kind"]
    if kind == "gain":
        for (name, param), got in zip(case["calls"], outputs["gains"], strict=True):
            want = true_gain(name, param)
            if not abs(got - want) <= GAIN_RTOL * want:
                args = repr(name) if param is None else f"{name!r}, {param:.6g}"
                return [f"gain: calculate_gain({args}) returned {got:.10g}, expected {want:.10g}"]
        return []
    if kind == "gain-error":
        for name, raised in zip(case["names"], outputs["raised"], strict=True):
            if raised != 1.0:
                return [f"gain-error: calculate_gain({name!r}) must raise ValueError (unsupported nonlinearity)"]
        return []
    if kind == "mode-error":
        if outputs["raised"][0] != 1.0:
            return ["mode-error: kaiming_normal_(w, mode='fan_avg') must raise ValueError (only 'fan_in' and "
                    "'fan_out' exist)"]
        return []

    o = {k: float(v) for k, v in outputs.items()}
    shape = tuple(case["shape"])
    what = f"kaiming_{kind}_"
    if o["nonfinite"] > 0:
        return [f"non-finite: {o['nonfinite']:.0f} of {N} values are NaN or inf after {what} (is w filled?)"]
    mode, fan, nonlinearity, gain, std = target(case)
    fails = []
    if abs(o["rms"] / std - 1.0) > STD_RTOL:
        fails.append(f"std: the sample std is {o['rms']:.5g} ({o['rms'] / std:.3g} × the target), expected "
                     f"gain / sqrt(fan) = {std:.5g} for shape {shape} ({mode} = {fan}, gain of {nonlinearity!r} "
                     f"= {gain:.4g}), within ±2%")
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
            fails.append(f"bound: max |w| is {o['max_abs']:.5g}, above the bound b = sqrt(3)·std = "
                         f"gain·sqrt(3 / fan) = {bound:.5g}")
        elif o["max_abs"] < bound * (1 - BOUND_BELOW):
            fails.append(f"bound: max |w| is {o['max_abs']:.5g}, but {N} draws from U(-b, b) with "
                         f"b = gain·sqrt(3 / fan) = {bound:.5g} reach beyond 0.999·b")
    return fails
