"""bn harness: drive a BatchNorm1d through training steps (outputs, gradients, running
statistics after every step), then eval. torch is imported inside run() only."""

import numpy as np

TOLERANCES = {
    # Gradients w.r.t. x are differences of nearly equal terms: a little more room in float32.
    "grad_x": {"float32": (1e-3, 1e-5), "float64": (1e-7, 1e-10)},
    "grad_x_eval": {"float32": (1e-4, 1e-6), "float64": (1e-7, 1e-10)},
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
    return t.grad.detach().cpu().numpy().copy()


def _buffer(module, name):
    buffers = dict(module.named_buffers())
    if name not in buffers:
        raise AssertionError(f"{name} must be a buffer registered with self.register_buffer")
    return buffers[name].detach().cpu().numpy().copy()


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    kwargs = {}
    if case["eps"] is not None:
        kwargs["eps"] = case["eps"]
    if case["momentum"] is not None:
        kwargs["momentum"] = case["momentum"]
    m = impl.BatchNorm1d(case["c"], **kwargs).to(dtype)
    params = dict(m.named_parameters())
    for name in ("weight", "bias"):
        if name not in params:
            raise AssertionError(f"{name} must be a torch.nn.Parameter")
    with torch.no_grad():
        if case["set_params"]:
            params["weight"].copy_(torch.as_tensor(inputs["weight"], dtype=dtype))
            params["bias"].copy_(torch.as_tensor(inputs["bias"], dtype=dtype))
        if case["init_running"]:
            dict(m.named_buffers())["running_mean"].copy_(torch.as_tensor(inputs["running_mean"], dtype=dtype))
            dict(m.named_buffers())["running_var"].copy_(torch.as_tensor(inputs["running_var"], dtype=dtype))

    out = {}
    ys, means, variances = [], [], []
    m.train()
    for step in range(case["steps"]):
        m.zero_grad(set_to_none=True)
        x = torch.tensor(inputs["x"][step], dtype=dtype, requires_grad=True)
        y = m(x)
        (y * torch.as_tensor(inputs["dy"][step], dtype=dtype)).sum().backward()
        ys.append(y.detach().cpu().numpy().copy())
        means.append(_buffer(m, "running_mean"))
        variances.append(_buffer(m, "running_var"))
        if step == case["steps"] - 1:
            out["grad_x"] = _grad(x, "x")
            out["grad_weight"] = _grad(params["weight"], "weight")
            out["grad_bias"] = _grad(params["bias"], "bias")
    if ys:
        out["y_train"] = np.stack(ys)
        out["running_mean"] = np.stack(means)
        out["running_var"] = np.stack(variances)
    if case["steps"] >= 50 or case["eval_only"]:
        m.eval()
        m.zero_grad(set_to_none=True)
        x = torch.tensor(inputs["x_eval"], dtype=dtype, requires_grad=True)
        y = m(x)
        (y * torch.as_tensor(inputs["dy_eval"], dtype=dtype)).sum().backward()
        out["y_eval"] = y.detach().cpu().numpy().copy()
        out["grad_x_eval"] = _grad(x, "x")
        out["running_mean_after_eval"] = _buffer(m, "running_mean")
        out["running_var_after_eval"] = _buffer(m, "running_var")
    return out
