"""bn harness: drive a BatchNorm1d through training steps (outputs, running statistics after every
step, gradients), then eval. torch is imported inside run() and builtin() only."""

import numpy as np
import quizdl_contract as contract

TOLERANCES = {
    # Gradients w.r.t. x are differences of nearly equal terms: a little more room in float32.
    "grad_x": {"float32": (1e-3, 1e-5), "float64": (1e-7, 1e-10)},
    "grad_x_eval": {"float32": (1e-4, 1e-6), "float64": (1e-7, 1e-10)},
}

# Per-step outputs stack one entry per training step: "y_train[after step 2, sample 0, feature 3]".
AXES = {
    "y_train": ["step", "sample", "feature"],
    "y_eval": ["sample", "feature"],
    "running_mean": ["step", "feature"],
    "running_var": ["step", "feature"],
    "running_mean_after_eval": ["feature"],
    "running_var_after_eval": ["feature"],
    "grad_x": ["sample", "feature"],
    "grad_weight": ["feature"],
    "grad_bias": ["feature"],
    "grad_x_eval": ["sample", "feature"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, n, c, **kw):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "n": n, "c": c,
                "steps": 1, "eps": None, "momentum": None, "init_running": False,
                "set_params": True, "scale": 1.0, "shift": 0.0, "eval_only": False}
        case.update(kw)
        out.append(case)

    add("N=8 C=4 defaults", "training forward", "float64", 1, 8, 4, set_params=False)
    add("N=16 C=5", "training forward", "float64", 2, 16, 5)
    add("N=32 C=6 float32", "training forward", "float32", 3, 32, 6)
    add("N=2 C=3", "batch of 2", "float64", 4, 2, 3, steps=3)
    add("N=2 C=5 float32", "batch of 2", "float32", 5, 2, 5, steps=3)
    add("momentum 0.1, 5 steps", "running statistics", "float64", 6, 8, 4, steps=5, init_running=True)
    add("momentum 0.3, 5 steps", "running statistics", "float64", 7, 6, 3, steps=5, momentum=0.3,
        init_running=True)
    add("momentum 0.3 float32", "running statistics", "float32", 8, 10, 4, steps=5, momentum=0.3,
        init_running=True)
    add("eps=1e-3, small variance", "eps", "float64", 9, 8, 4, eps=1e-3, scale=0.02)
    add("eps=0.1", "eps", "float64", 10, 8, 4, steps=2, eps=0.1, scale=0.3)
    add("eps=1e-2 float32", "eps", "float32", 11, 12, 3, eps=1e-2, scale=0.1)
    add("60 steps then eval", "60 steps, then eval", "float64", 12, 16, 4, steps=60, momentum=0.1,
        init_running=True)
    add("60 steps momentum 0.3 then eval", "60 steps, then eval", "float64", 13, 8, 3, steps=60,
        momentum=0.3)
    add("60 steps float32 then eval", "60 steps, then eval", "float32", 14, 16, 5, steps=60,
        init_running=True)
    add("eval with given running stats", "eval mode", "float64", 15, 6, 4, steps=0, init_running=True,
        eval_only=True)
    add("eval float32", "eval mode", "float32", 16, 5, 3, steps=0, init_running=True, eps=1e-3,
        eval_only=True)
    add("values around 1e4", "large magnitudes", "float64", 17, 16, 4, steps=3, scale=100.0,
        shift=1e4, init_running=True)
    add("values around 1e4 float32", "large magnitudes", "float32", 18, 16, 4, steps=3, scale=100.0,
        shift=1e4)
    return out


def _f32_exact(a):
    # Exactly representable in float32, so float32 and float64 runs see the same numbers.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, c, steps = case["n"], case["c"], max(case["steps"], 1)
    feature_shift = rng.uniform(-2.0, 2.0, c) * case["scale"]
    x = rng.standard_normal((steps, n, c)) * case["scale"] + feature_shift + case["shift"]
    inputs = {
        "x": x,
        "dy": rng.standard_normal((steps, n, c)),
        "x_eval": rng.standard_normal((n, c)) * case["scale"] + feature_shift + case["shift"],
        "dy_eval": rng.standard_normal((n, c)),
        "weight": rng.uniform(0.5, 2.0, c) * rng.choice([-1.0, 1.0], c),
        "bias": rng.standard_normal(c),
        "running_mean": rng.standard_normal(c) * case["scale"] + case["shift"],
        "running_var": rng.uniform(0.5, 3.0, c) * case["scale"] ** 2,
    }
    return {k: _f32_exact(v) for k, v in inputs.items()}


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return contract.numpy(t.grad)


def _buffers(m, c, dtype):
    """The two running-statistic buffers, checked; a plain attribute that did not follow
    .to(dtype) is converted (after the violation is recorded) so the numbers still say something."""
    out = {}
    for name in ("running_mean", "running_var"):
        t = contract.buffer(m, name, (c,))
        if t.dtype != dtype:
            t = t.detach().to(dtype)
            setattr(m, name, t)
        out[name] = t
    return out


def _forward(m, x, dy, what):
    """y = m(x) and backward of sum(y * dy); x must come back untouched."""
    before = contract.snapshot(x=x)
    y = contract.tensor(m(x), what)
    contract.unchanged(before, {"x": x}, what)
    (y * dy).sum().backward()
    return contract.numpy(y)


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    c = case["c"]
    kwargs = {}
    if case["eps"] is not None:
        kwargs["eps"] = case["eps"]
    if case["momentum"] is not None:
        kwargs["momentum"] = case["momentum"]
    m = contract.construct(lambda: impl.BatchNorm1d(c, **kwargs), "BatchNorm1d")
    m.to(dtype)
    weight = contract.parameter(m, "weight", (c,))
    bias = contract.parameter(m, "bias", (c,))
    buffers = _buffers(m, c, dtype)
    with torch.no_grad():
        if case["set_params"]:
            weight.copy_(torch.as_tensor(inputs["weight"], dtype=dtype).reshape(weight.shape))
            bias.copy_(torch.as_tensor(inputs["bias"], dtype=dtype).reshape(bias.shape))
        if case["init_running"]:
            for name, t in buffers.items():
                t.copy_(torch.as_tensor(inputs[name], dtype=dtype).reshape(t.shape))

    def tensor(a, grad=False):
        return torch.tensor(a, dtype=dtype, requires_grad=grad)

    ys, means, variances, grads = [], [], [], {}
    m.train()
    for step in range(case["steps"]):
        m.zero_grad(set_to_none=True)
        x = tensor(inputs["x"][step], grad=True)
        ys.append(_forward(m, x, tensor(inputs["dy"][step]), "forward"))
        means.append(contract.buffer_value(m, "running_mean", (c,)))
        variances.append(contract.buffer_value(m, "running_var", (c,)))
        if step == case["steps"] - 1:
            grads = {"grad_x": _grad(x, "x"), "grad_weight": _grad(weight, "weight"),
                     "grad_bias": _grad(bias, "bias")}
    evaluated = {}
    if case["steps"] >= 50 or case["eval_only"]:
        m.eval()
        m.zero_grad(set_to_none=True)
        x = tensor(inputs["x_eval"], grad=True)
        evaluated["y_eval"] = _forward(m, x, tensor(inputs["dy_eval"]), "forward (eval)")
        evaluated["running_mean_after_eval"] = contract.buffer_value(m, "running_mean", (c,))
        evaluated["running_var_after_eval"] = contract.buffer_value(m, "running_var", (c,))
        evaluated["grad_x_eval"] = _grad(x, "x")

    # The order a human debugs in: forward outputs, then buffers, then gradients.
    out = {}
    if ys:
        out["y_train"] = np.stack(ys)
    if "y_eval" in evaluated:
        out["y_eval"] = evaluated["y_eval"]
    if ys:
        out["running_mean"] = np.stack(means)
        out["running_var"] = np.stack(variances)
    for name in ("running_mean_after_eval", "running_var_after_eval"):
        if name in evaluated:
            out[name] = evaluated[name]
    out.update(grads)
    if "grad_x_eval" in evaluated:
        out["grad_x_eval"] = evaluated["grad_x_eval"]
    return out


def builtin():
    """PyTorch's own BatchNorm1d, to measure float32 error (never run in the sandbox)."""
    import types

    import torch

    return types.SimpleNamespace(BatchNorm1d=torch.nn.BatchNorm1d)
