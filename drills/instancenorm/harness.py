"""instancenorm harness: an InstanceNorm2d through two training-mode forwards and one in eval
mode (outputs and gradients w.r.t. x, weight and bias), on (N, C, H, W) and unbatched (C, H, W)
input, affine or not; the module contract checked (super().__init__(), registered (C,)
parameters or none, x untouched, a torch.Tensor of the input's dtype). torch is imported inside
run() and builtin() only."""

import numpy as np
import quizdl_contract as contract

TOLERANCES = {
    # Gradients w.r.t. x are differences of nearly equal terms: a little more room in float32.
    "grad_x": {"float32": (1e-3, 1e-5), "float64": (1e-7, 1e-10)},
    "grad_x_eval": {"float32": (1e-3, 1e-5), "float64": (1e-7, 1e-10)},
}

# Unbatched (C, H, W) cases are reported as a batch of one image.
AXES = {
    "y_train": ["step", "sample", "channel", "row", "column"],
    "y_eval": ["sample", "channel", "row", "column"],
    "grad_x": ["sample", "channel", "row", "column"],
    "grad_weight": ["channel"],
    "grad_bias": ["channel"],
    "grad_x_eval": ["sample", "channel", "row", "column"],
}

TRAIN_STEPS = 2


def cases():
    out = []

    def add(name, group, dtype, seed, shape, **kw):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, "shape": list(shape),
                "eps": None, "affine": None, "scale": 1.0, "shift": 0.0}
        case.update(kw)
        out.append(case)

    four, unbatched, affine = "(N, C, H, W) input", "unbatched (C, H, W) input", "affine=True"
    add("(2, 3, 4, 4) defaults", four, "float64", 1, (2, 3, 4, 4))
    add("(3, 2, 3, 5)", four, "float64", 2, (3, 2, 3, 5))
    add("(2, 4, 3, 3) float32", four, "float32", 3, (2, 4, 3, 3))
    add("(3, 4, 5)", unbatched, "float64", 4, (3, 4, 5))
    add("(2, 3, 3) float32", unbatched, "float32", 5, (2, 3, 3))
    add("(2, 3, 3, 4) affine", affine, "float64", 6, (2, 3, 3, 4), affine=True)
    add("(2, 2, 4, 3) affine float32", affine, "float32", 7, (2, 2, 4, 3), affine=True)
    add("(3, 2, 4) affine, unbatched", affine, "float64", 8, (3, 2, 4), affine=True)
    add("affine=False given explicitly", affine, "float64", 9, (2, 3, 2, 3), affine=False)
    add("1x3 images", "small images", "float64", 10, (2, 3, 1, 3))
    add("2x2 images float32", "small images", "float32", 11, (3, 2, 2, 2))
    add("eps=1e-3, x ~ 1e-2", "eps", "float64", 12, (2, 3, 3, 3), eps=1e-3, scale=0.01)
    add("eps=0.1", "eps", "float64", 13, (2, 2, 3, 2), eps=0.1, scale=0.3, affine=True)
    add("eps=1e-2 float32", "eps", "float32", 14, (2, 3, 2, 3), eps=1e-2, scale=0.1)
    add("values around 1e4", "large magnitudes", "float64", 15, (2, 3, 4, 4), scale=100.0, shift=1e4)
    add("values around 1e4 float32", "large magnitudes", "float32", 16, (2, 3, 4, 4), scale=100.0,
        shift=1e4, affine=True)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    c = shape[-3]
    batch = shape[:-3]

    def images(count):
        # Every (image, channel) gets its own offset and spread, so that statistics shared
        # across images or channels show in the outputs.
        lead = (count,) + batch
        x = (rng.standard_normal(lead + shape[-3:]) * rng.uniform(0.5, 2.0, lead + (c, 1, 1))
             + rng.uniform(-2.0, 2.0, lead + (c, 1, 1)))
        return x * case["scale"] + case["shift"]

    return {k: _f32_exact(v) for k, v in {
        "x": images(TRAIN_STEPS),
        "dy": rng.standard_normal((TRAIN_STEPS,) + shape),
        "x_eval": images(1)[0],
        "dy_eval": rng.standard_normal(shape),
        "weight": rng.uniform(0.5, 2.0, c) * rng.choice([-1.0, 1.0], c),
        "bias": rng.standard_normal(c),
    }.items()}


def _parameter(m, name, c, dtype):
    """The parameter `name` of shape (c,): checked (registered, shape), in the case's dtype."""
    t = contract.parameter(m, name, (c,))
    if name not in dict(m.named_parameters()):  # recorded as not-registered; .to(dtype) missed it
        t = t.detach().to(dtype).requires_grad_(True)
        setattr(m, name, t)
    return t


def _grad(t, name, shape):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    g = contract.numpy(t.grad)
    if g.size == int(np.prod(shape)):
        g = g.reshape(shape)  # a wrongly shaped parameter is reported as wrong-shape, its values still compared
    return g


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    shape = tuple(case["shape"])
    c = shape[-3]
    as_batch = (-1,) + shape[-3:]  # unbatched cases are reported as a batch of one image
    kwargs = {}
    if case["eps"] is not None:
        kwargs["eps"] = case["eps"]
    if case["affine"] is not None:
        kwargs["affine"] = case["affine"]
    m = contract.construct(lambda: impl.InstanceNorm2d(c, **kwargs).to(dtype), "InstanceNorm2d")
    params = {}
    if case["affine"]:
        params = {name: _parameter(m, name, c, dtype) for name in ("weight", "bias")}
        with torch.no_grad():
            for name, t in params.items():
                t.copy_(torch.as_tensor(inputs[name], dtype=dtype).reshape(t.shape))
    count = float(sum(p.numel() for p in m.parameters()))

    def forward(x_values, dy_values, what):
        leaf = torch.tensor(x_values, dtype=dtype, requires_grad=True)
        x = leaf.clone()  # the caller's activations, as in a network (not a leaf)
        before = contract.snapshot(x=x)
        y = contract.tensor(m(x), what)
        contract.unchanged(before, {"x": x}, what)
        (y * torch.as_tensor(dy_values, dtype=dtype)).sum().backward()
        out = contract.numpy(y)
        return (out.reshape(as_batch) if out.shape == shape else out), leaf

    m.train()
    ys = []
    for step in range(TRAIN_STEPS):
        m.zero_grad(set_to_none=True)
        y, leaf = forward(inputs["x"][step], inputs["dy"][step], "forward")
        ys.append(y)
    grads = {"grad_x": _grad(leaf, "x", shape).reshape(as_batch)}
    for name, t in params.items():
        grads["grad_" + name] = _grad(t, name, (c,))
    m.eval()
    m.zero_grad(set_to_none=True)
    y_eval, leaf = forward(inputs["x_eval"], inputs["dy_eval"], "forward (eval)")
    # Forward outputs first, then the parameter count, then the gradients.
    out = {"y_train": np.stack(ys), "y_eval": y_eval, "parameter_count": np.array(count)}
    out.update(grads)
    out["grad_x_eval"] = _grad(leaf, "x", shape).reshape(as_batch)
    return out


def builtin():
    """PyTorch's own InstanceNorm2d, to measure float32 error (never run in the sandbox)."""
    import types

    import torch

    return types.SimpleNamespace(InstanceNorm2d=torch.nn.InstanceNorm2d)
