"""bn2d harness: drive a BatchNorm2d on (N, C, H, W) input through training steps (outputs,
running statistics after every step, gradients), then eval. torch is imported inside run() and
builtin() only."""

import numpy as np
import quizdl_contract as contract

TOLERANCES = {
    # Gradients w.r.t. x are differences of nearly equal terms: a little more room in float32.
    "grad_x": {"float32": (1e-3, 1e-5), "float64": (1e-7, 1e-10)},
    "grad_x_eval": {"float32": (1e-4, 1e-6), "float64": (1e-7, 1e-10)},
}

# Per-step outputs stack one entry per training step: "y_train[after step 2, sample 0, channel 1, ...]".
AXES = {
    "y_train": ["step", "sample", "channel", "row", "column"],
    "y_eval": ["sample", "channel", "row", "column"],
    "running_mean": ["step", "channel"],
    "running_var": ["step", "channel"],
    "running_mean_after_eval": ["channel"],
    "running_var_after_eval": ["channel"],
    "grad_x": ["sample", "channel", "row", "column"],
    "grad_weight": ["channel"],
    "grad_bias": ["channel"],
    "grad_x_eval": ["sample", "channel", "row", "column"],
}

EVAL_AFTER = 10  # cases with at least this many training steps switch to eval at the end


def cases():
    out = []

    def add(name, group, dtype, seed, shape, **kw):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "shape": list(shape),
                "steps": 1, "eps": None, "momentum": None, "init_running": False,
                "set_params": True, "scale": 1.0, "shift": 0.0, "eval_only": False}
        case.update(kw)
        out.append(case)

    fwd, small, run, eps = "training forward", "small batches", "running statistics", "eps"
    add("(4, 3, 4, 4) defaults", fwd, "float64", 1, (4, 3, 4, 4), set_params=False)
    add("(3, 4, 3, 5)", fwd, "float64", 2, (3, 4, 3, 5))
    add("(4, 3, 3, 3) float32", fwd, "float32", 3, (4, 3, 3, 3))
    add("N=1 (1, 3, 2, 3)", small, "float64", 4, (1, 3, 2, 3), steps=3)
    add("1x1 images (3, 4, 1, 1)", small, "float64", 5, (3, 4, 1, 1), steps=3)
    add("(2, 3, 1, 2) float32", small, "float32", 6, (2, 3, 1, 2), steps=3)
    add("momentum 0.1, 4 steps", run, "float64", 7, (2, 3, 2, 2), steps=4, init_running=True)
    add("momentum 0.3, 4 steps", run, "float64", 8, (3, 2, 2, 3), steps=4, momentum=0.3,
        init_running=True)
    add("momentum 0.3 float32", run, "float32", 9, (2, 4, 2, 2), steps=4, momentum=0.3,
        init_running=True)
    add("eps=1e-3, small variance", eps, "float64", 10, (2, 3, 3, 3), eps=1e-3, scale=0.02)
    add("eps=0.1", eps, "float64", 11, (2, 2, 2, 3), steps=2, eps=0.1, scale=0.3)
    add("eps=1e-2 float32", eps, "float32", 12, (3, 3, 2, 2), eps=1e-2, scale=0.1)
    add("12 steps then eval", "steps, then eval", "float64", 13, (2, 3, 2, 2), steps=12,
        init_running=True)
    add("12 steps momentum 0.3 float32", "steps, then eval", "float32", 14, (3, 2, 2, 2), steps=12,
        momentum=0.3)
    add("eval with given running stats", "eval mode", "float64", 15, (3, 4, 2, 3), steps=0,
        init_running=True, eval_only=True)
    add("eval float32, eps=1e-3", "eval mode", "float32", 16, (2, 3, 3, 2), steps=0, init_running=True,
        eps=1e-3, eval_only=True)
    add("values around 1e4", "large magnitudes", "float64", 17, (4, 3, 3, 3), steps=2, scale=100.0,
        shift=1e4, init_running=True)
    add("values around 1e4 float32", "large magnitudes", "float32", 18, (4, 3, 3, 3), steps=2,
        scale=100.0, shift=1e4)
    return out


def _f32_exact(a):
    # Exactly representable in float32, so float32 and float64 runs see the same numbers.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, c, h, w = case["shape"]
    steps = max(case["steps"], 1)
    channel_shift = (rng.uniform(-2.0, 2.0, c) * case["scale"]).reshape(c, 1, 1)
    # Each sample gets its own offset too, so that mixing samples into a channel's rows shows.
    sample_shift = rng.uniform(-1.0, 1.0, (steps, n, 1, 1, 1)) * case["scale"]
    x = rng.standard_normal((steps, n, c, h, w)) * case["scale"] + channel_shift + sample_shift
    inputs = {
        "x": x + case["shift"],
        "dy": rng.standard_normal((steps, n, c, h, w)),
        "x_eval": rng.standard_normal((n, c, h, w)) * case["scale"] + channel_shift + case["shift"],
        "dy_eval": rng.standard_normal((n, c, h, w)),
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


def _forward(m, leaf, dy, what):
    """y = m(x) and backward of sum(y * dy); x (the caller's activations, not a leaf) must come
    back untouched."""
    x = leaf.clone()
    before = contract.snapshot(x=x)
    y = contract.tensor(m(x), what)
    contract.unchanged(before, {"x": x}, what)
    (y * dy).sum().backward()
    return contract.numpy(y)


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    c = case["shape"][1]
    kwargs = {}
    if case["eps"] is not None:
        kwargs["eps"] = case["eps"]
    if case["momentum"] is not None:
        kwargs["momentum"] = case["momentum"]
    m = contract.construct(lambda: impl.BatchNorm2d(c, **kwargs), "BatchNorm2d")
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
    if case["steps"] >= EVAL_AFTER or case["eval_only"]:
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
    """PyTorch's own BatchNorm2d, to measure float32 error (never run in the sandbox)."""
    import types

    import torch

    return types.SimpleNamespace(BatchNorm2d=torch.nn.BatchNorm2d)
