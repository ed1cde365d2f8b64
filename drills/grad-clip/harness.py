"""grad-clip harness: clip_grad_norm_ and clip_grad_value_ on a few parameters' gradients (float32
and float64), the gradients compared after the call, the returned total norm too.

Cases: the total norm over all parameters together, nothing to do below max_norm, tiny gradients
(where the 1e-6 in the scale shows), p = 1, 3 and inf, None gradients, a generator and a single
tensor as `params`, non-finite gradients with and without error_if_nonfinite, and no gradient at
all. run() checks the contract: the total norm is a torch.Tensor (wrong-type, recorded, then read
as a number so that the gradients still speak), the parameters' values are left alone
(input-modified), the dtypes kept (compared by the grader).
"""

import math

import numpy as np
import quizdl_contract as contract

TOLERANCES = {"raised": {"float32": (0.0, 0.0), "float64": (0.0, 0.0)}}


def cases():
    out = []

    def add(name, group, dtype, seed, shapes, fn="norm", **kw):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "shapes": shapes, "fn": fn,
                    "scale": kw.pop("scale", 1.0), "none": kw.pop("none", []), "special": kw.pop("special", None),
                    "as": kw.pop("as_", "list"), "kwargs": kw})

    three = [[4, 3], [5], [2, 2, 2]]
    g_all, g_below, g_tiny = "one norm over all parameters", "total norm below max_norm", "tiny gradients"
    g_p, g_inf, g_none = "p = 1, 3 (norm_type)", "p = inf", "None gradients"
    g_iter, g_bad, g_value = "a generator or a single tensor", "non-finite gradients", "clip_grad_value_"
    add("3 params, max_norm=1 float64", g_all, "float64", 1, three, max_norm=1.0)
    add("3 params, max_norm=0.5 float32", g_all, "float32", 2, three, max_norm=0.5)
    add("2 params, very different norms", g_all, "float64", 3, [[6, 2], [3]], max_norm=2.0, special="lopsided")
    add("max_norm=100 float64", g_below, "float64", 4, three, max_norm=100.0)
    add("max_norm=20 float32", g_below, "float32", 5, [[3, 3], [4]], max_norm=20.0)
    add("gradients ~1e-4, max_norm=1e-4 float64", g_tiny, "float64", 6, three, max_norm=1e-4, scale=1e-4)
    add("gradients ~1e-4, max_norm=2e-4 float32", g_tiny, "float32", 7, three, max_norm=2e-4, scale=1e-4)
    add("p=1 float64", g_p, "float64", 8, three, max_norm=1.0, norm_type=1.0)
    add("p=3 float64", g_p, "float64", 9, three, max_norm=0.8, norm_type=3.0)
    add("p=1 float32", g_p, "float32", 10, three, max_norm=2.0, norm_type=1)
    add("p=inf float64", g_inf, "float64", 11, three, max_norm=0.5, norm_type=math.inf, scale=2.0)
    add("p=inf float32", g_inf, "float32", 12, [[3, 4], [6]], max_norm=1.0, norm_type=math.inf, scale=3.0)
    add("p=inf below max_norm", g_inf, "float64", 13, three, max_norm=10.0, norm_type=math.inf, scale=0.5)
    add("second of 3 has no grad float64", g_none, "float64", 14, three, max_norm=1.0, none=[1])
    add("first has no grad, p=inf float32", g_none, "float32", 15, three, max_norm=0.5, norm_type=math.inf,
        none=[0])
    add("no gradient at all", g_none, "float64", 16, [[2, 2], [3]], max_norm=1.0, none=[0, 1])
    add("params as a generator float64", g_iter, "float64", 17, three, max_norm=1.0, as_="generator")
    add("params as one tensor float32", g_iter, "float32", 18, [[4, 5]], max_norm=1.0, as_="tensor")
    add("inf gradient, no error", g_bad, "float64", 19, three, max_norm=1.0, special="inf")
    add("NaN gradient, no error", g_bad, "float32", 20, three, max_norm=1.0, special="nan")
    add("inf gradient, error_if_nonfinite", g_bad, "float64", 21, three, max_norm=1.0, special="inf",
        error_if_nonfinite=True)
    add("finite gradients, error_if_nonfinite", g_bad, "float32", 22, three, max_norm=1.0, error_if_nonfinite=True)
    add("clip_value=0.5 float64, a None grad", g_value, "float64", 23, three, fn="value", clip_value=0.5, none=[2])
    add("clip_value=1 float32", g_value, "float32", 24, three, fn="value", clip_value=1.0, scale=2.0)
    add("one tensor, clip_value=0.3 float64", g_value, "float64", 25, [[5, 4]], fn="value", clip_value=0.3,
        as_="tensor")
    add("generator, clip_value=2 float32", g_value, "float32", 26, three, fn="value", clip_value=2.0, scale=3.0,
        as_="generator")
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    inputs = {}
    for i, shape in enumerate(case["shapes"]):
        inputs[f"p{i}"] = rng.normal(0.0, 1.0, shape)
        if i in case["none"]:
            continue
        g = rng.normal(0.0, 1.0, shape) * case["scale"]
        if case["special"] == "lopsided":
            g = g * (10.0 if i == 0 else 0.05)
        if case["special"] in ("inf", "nan") and i == 1:
            g[2] = math.inf if case["special"] == "inf" else math.nan
        inputs[f"g{i}"] = g
    # Exactly representable in float32, so both precisions see the same numbers.
    return {k: v.astype(np.float32).astype(np.float64) for k, v in inputs.items()}


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    params = []
    for i in range(len(case["shapes"])):
        p = torch.nn.Parameter(torch.tensor(inputs[f"p{i}"], dtype=dtype))
        if f"g{i}" in inputs:
            p.grad = torch.tensor(inputs[f"g{i}"], dtype=dtype)
        params.append(p)
    before = contract.snapshot(**{f"parameter {i}": p for i, p in enumerate(params)})
    kind = case["as"]
    arg = params[0] if kind == "tensor" else (p for p in params) if kind == "generator" else list(params)
    out = {}
    if case["fn"] == "norm":
        what = "clip_grad_norm_"
        kw = dict(case["kwargs"])
        max_norm = kw.pop("max_norm")
        raised = 0.0
        if kw.get("error_if_nonfinite"):
            try:
                total = impl.clip_grad_norm_(arg, max_norm, **kw)
            except RuntimeError as exc:
                if isinstance(exc, NotImplementedError):
                    raise
                total, raised = torch.tensor(-1.0, dtype=dtype), 1.0  # no norm: a value no norm can take
        else:
            total = impl.clip_grad_norm_(arg, max_norm, **kw)
        if not isinstance(total, torch.Tensor):
            contract.violation("wrong-type", f"{what} returned {type(total).__name__}; return the total norm as a "
                               "torch.Tensor")
            total = torch.tensor(float(total), dtype=dtype)
        if all(f"g{i}" not in inputs for i in range(len(params))):
            total = total.to(dtype)  # no gradient at all: torch returns tensor(0.) in the default dtype
        out["total_norm"] = contract.numpy(total).reshape(())
        if case["kwargs"].get("error_if_nonfinite"):
            out["raised"] = np.array(raised)
    else:
        what = "clip_grad_value_"
        impl.clip_grad_value_(arg, case["kwargs"]["clip_value"])
    contract.unchanged(before, {f"parameter {i}": p for i, p in enumerate(params)}, what)
    for i, p in enumerate(params):
        if f"g{i}" in inputs:
            if p.grad is None:
                raise AssertionError(f"{what} removed parameter {i}'s .grad")
            out[f"grad of parameter {i}"] = contract.numpy(p.grad)
    return out


def builtin():
    """torch.nn.utils's own functions (the float32 yardstick)."""
    import types

    import torch

    return types.SimpleNamespace(clip_grad_norm_=torch.nn.utils.clip_grad_norm_,
                                 clip_grad_value_=torch.nn.utils.clip_grad_value_)
