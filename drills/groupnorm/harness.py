"""groupnorm harness: outputs and gradients (x, weight, bias) of a GroupNorm on inputs of rank
2 to 5, G = 1, G = C and in between, affine or not; the ValueError of an indivisible C; the
module contract checked (super().__init__(), registered (C,) parameters or none, x untouched, a
torch.Tensor of the input's dtype). torch is imported inside run() and builtin() only."""

import numpy as np
import quizdl_contract as contract

TOLERANCES = {
    # Gradients w.r.t. x are differences of nearly equal terms: a little more room in float32.
    "grad_x": {"float32": (1e-3, 1e-5), "float64": (1e-7, 1e-10)},
}

AXES = {
    "y": ["sample", "channel", "position"],
    "grad_x": ["sample", "channel", "position"],
    "grad_weight": ["channel"],
    "grad_bias": ["channel"],
}


def cases():
    out = []

    def add(name, group, dtype, seed, shape, groups, **kw):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "shape": list(shape),
                "groups": groups, "eps": None, "affine": None, "set_params": True, "scale": 1.0,
                "shift": 0.0, "indivisible": False}
        case.update(kw)
        out.append(case)

    four, rank, ends = "4-D input", "2-D, 3-D and 5-D input", "G = 1 and G = C"
    add("(2, 6, 3, 3) G=3, default weight and bias", four, "float64", 1, (2, 6, 3, 3), 3,
        set_params=False)
    add("(3, 8, 2, 3) G=4", four, "float64", 2, (3, 8, 2, 3), 4)
    add("(2, 6, 3, 2) G=2 float32", four, "float32", 3, (2, 6, 3, 2), 2)
    add("(4, 6) G=3", rank, "float64", 4, (4, 6), 3)
    add("(3, 4, 5) G=2", rank, "float64", 5, (3, 4, 5), 2)
    add("(2, 6, 4) G=3 float32", rank, "float32", 6, (2, 6, 4), 3)
    add("(2, 4, 2, 2, 2) G=2", rank, "float64", 7, (2, 4, 2, 2, 2), 2)
    add("G=1 (2, 4, 3, 3)", ends, "float64", 8, (2, 4, 3, 3), 1)
    add("G=C (2, 4, 2, 3)", ends, "float64", 9, (2, 4, 2, 3), 4)
    add("G=C (3, 3, 4) float32", ends, "float32", 10, (3, 3, 4), 3)
    add("(2, 6, 3, 3) G=3", "affine=False", "float64", 11, (2, 6, 3, 3), 3, affine=False)
    add("(3, 4, 5) G=2 float32", "affine=False", "float32", 12, (3, 4, 5), 2, affine=False)
    add("eps=1e-3, x ~ 1e-2", "eps", "float64", 13, (2, 4, 2, 3), 2, eps=1e-3, scale=0.01)
    add("eps=0.1", "eps", "float64", 14, (2, 6, 2, 2), 3, eps=0.1, scale=0.3)
    add("eps=1e-2 float32", "eps", "float32", 15, (2, 4, 3), 2, eps=1e-2, scale=0.1)
    add("values around 1e4", "large magnitudes", "float64", 16, (2, 6, 3, 3), 3, scale=100.0,
        shift=1e4)
    add("values around 1e4 float32", "large magnitudes", "float32", 17, (2, 6, 3, 3), 3, scale=100.0,
        shift=1e4)
    bad = "C not divisible by G"
    add("GroupNorm(3, 4)", bad, "float64", 18, (2, 4, 3), 3, indivisible=True)
    add("GroupNorm(4, 6)", bad, "float64", 19, (2, 6, 2), 4, indivisible=True)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    n, c = shape[:2]
    per_channel = (1, c) + (1,) * (len(shape) - 2)
    per_sample = (n, 1) + (1,) * (len(shape) - 2)
    # Every channel and every sample gets its own offset and spread, so that statistics taken
    # over the wrong channels or across samples show in the outputs.
    x = (rng.standard_normal(shape) * rng.uniform(0.5, 2.0, per_channel)
         + rng.uniform(-2.0, 2.0, per_channel) + rng.uniform(-1.0, 1.0, per_sample))
    return {
        "x": _f32_exact(x * case["scale"] + case["shift"]),
        "dy": _f32_exact(rng.standard_normal(shape)),
        "weight": _f32_exact(rng.uniform(0.5, 2.0, c) * rng.choice([-1.0, 1.0], c)),
        "bias": _f32_exact(rng.standard_normal(c)),
    }


def _parameter(m, name, c, dtype):
    """The parameter `name` of shape (c,): checked (registered, shape), in the case's dtype."""
    t = contract.parameter(m, name, (c,))
    if name not in dict(m.named_parameters()):  # recorded as not-registered; .to(dtype) missed it
        t = t.detach().to(dtype).requires_grad_(True)
        setattr(m, name, t)
    return t


def _grad(t, name, shape=None):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    g = contract.numpy(t.grad)
    if shape is not None and g.size == int(np.prod(shape)):
        g = g.reshape(shape)  # a wrongly shaped parameter is reported as wrong-shape, its values still compared
    return g


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    shape = tuple(case["shape"])
    c, g = shape[1], case["groups"]
    if case["indivisible"]:
        try:
            contract.construct(lambda: impl.GroupNorm(g, c), "GroupNorm")
        except ValueError:
            return {"raises_value_error": np.array(1.0)}
        return {"raises_value_error": np.array(0.0)}
    kwargs = {}
    if case["eps"] is not None:
        kwargs["eps"] = case["eps"]
    if case["affine"] is not None:
        kwargs["affine"] = case["affine"]
    m = contract.construct(lambda: impl.GroupNorm(g, c, **kwargs).to(dtype), "GroupNorm")
    affine = case["affine"] is not False
    params = {}
    if affine:
        params = {name: _parameter(m, name, c, dtype) for name in ("weight", "bias")}
        if case["set_params"]:
            with torch.no_grad():
                for name, t in params.items():
                    t.copy_(torch.as_tensor(inputs[name], dtype=dtype).reshape(t.shape))
    count = float(sum(p.numel() for p in m.parameters()))
    x_leaf = torch.tensor(inputs["x"], dtype=dtype, requires_grad=True)
    x = x_leaf.clone()  # the caller's activations, as in a network (not a leaf)
    before = contract.snapshot(x=x)
    y = contract.tensor(m(x), "forward")
    contract.unchanged(before, {"x": x}, "forward")
    (y * torch.as_tensor(inputs["dy"], dtype=dtype)).sum().backward()
    # Forward output first, then the parameter count, then the gradients.
    out = {"y": contract.numpy(y).reshape(shape[0], c, -1) if y.shape == shape else contract.numpy(y),
           "parameter_count": np.array(count)}
    out["grad_x"] = _grad(x_leaf, "x").reshape(shape[0], c, -1)
    for name, t in params.items():
        out["grad_" + name] = _grad(t, name, (c,))
    return out


def builtin():
    """PyTorch's own GroupNorm, to measure float32 error (never run in the sandbox)."""
    import types

    import torch

    return types.SimpleNamespace(GroupNorm=torch.nn.GroupNorm)
