"""Grading harness for adam: parameter trajectories over many steps against torch.optim.Adam's rule.

Each case builds three parameters (p0, p1, p2), an optimiser over them (one group or several),
and feeds a fixed sequence of gradients, setting p.grad before every step() (p.grad = None where the
case says so). The outputs are every parameter's value after each step, shape (steps, *shape).
"""

import sys

import numpy as np

SHAPES = [(3, 4), (5,), (2, 3)]

# torch.optim.Optimizer methods import torch._dynamo lazily on their first call, and that import
# pulls in modules the sandbox refuses once it is armed (ctypes.wintypes). The sandbox child imports
# torch before this harness and arms itself after, so warm the import up here. The grader process
# imports this harness without torch and is left alone.
if "torch" in sys.modules:
    import torch._dynamo  # noqa: F401


def cases():
    out = []

    def add(name, group, dtype, seed, **kw):
        case = {
            "name": name, "group": group, "dtype": dtype, "seed": seed, "steps": 60,
            "kwargs": {},                  # keyword arguments of Adam(...)
            "groups": None,                # None: Adam([p0, p1, p2], ...); else param groups
            "grad_scale": 1.0, "grad_bias": 0.3, "none": "never", "closure": False,
        }
        case.update(kw)
        out.append(case)

    hyper, small = "default and custom hyper-parameters", "small gradients (~1e-4)"
    wd, groups = "weight decay (L2)", "several param groups"
    none, closure = "parameters without .grad", "step(closure)"
    add("defaults float64", hyper, "float64", 1)
    add("defaults float32", hyper, "float32", 2)
    add("lr=0.05 betas=(0.8, 0.95) eps=1e-6 float64", hyper, "float64", 3,
        kwargs={"lr": 0.05, "betas": [0.8, 0.95], "eps": 1e-6})
    # Gradients of ~1e-4: v is ~1e-8, the same size as eps, so where eps goes matters.
    add("lr=0.01 float64", small, "float64", 4, kwargs={"lr": 0.01}, grad_scale=1e-4)
    add("lr=0.01 float32", small, "float32", 5, kwargs={"lr": 0.01}, grad_scale=1e-4)
    add("weight_decay=0.1 float64", wd, "float64", 6, kwargs={"lr": 0.01, "weight_decay": 0.1})
    add("weight_decay=0.05, 80 steps float32", wd, "float32", 7,
        kwargs={"lr": 0.02, "betas": [0.85, 0.99], "weight_decay": 0.05}, steps=80)
    add("weight_decay=0.01, grads ~1e-4 float64", wd, "float64", 8,
        kwargs={"lr": 0.01, "weight_decay": 1e-2}, grad_scale=1e-4)
    add("lr and weight_decay per group float64", groups, "float64", 9, kwargs={"lr": 1e-3},
        groups=[{"params": [0, 1], "lr": 0.03}, {"params": [2], "weight_decay": 0.2}])
    add("betas and lr per group float32", groups, "float32", 10,
        kwargs={"lr": 0.01, "weight_decay": 0.01},
        groups=[{"params": [0], "betas": [0.5, 0.9]}, {"params": [2, 1], "lr": 0.002}])
    # p1 has no gradient for its first 10 steps and on every 4th step after; p2 never has one.
    add("some grads None float64", none, "float64", 11, kwargs={"lr": 0.01}, none="some")
    add("some grads None, weight decay float32", none, "float32", 12,
        kwargs={"lr": 0.01, "weight_decay": 0.1}, none="some")
    add("some grads None, two groups float64", none, "float64", 13, kwargs={"lr": 0.01},
        none="some", groups=[{"params": [1]}, {"params": [0, 2], "lr": 0.05}])
    # step(closure): the closure computes a quadratic loss and its gradients.
    add("quadratic loss float64", closure, "float64", 14, kwargs={"lr": 0.05}, closure=True,
        steps=50)
    add("quadratic loss float32", closure, "float32", 15, kwargs={"lr": 0.05}, closure=True,
        steps=50)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    steps = case["steps"]
    inputs = {}
    for i, shape in enumerate(SHAPES):
        inputs[f"p{i}"] = _f32_exact(rng.uniform(-1.0, 1.0, shape))
        drift = rng.uniform(-1.0, 1.0, shape) * case["grad_bias"]  # so parameters keep moving
        noise = rng.standard_normal((steps,) + shape)
        inputs[f"g{i}"] = _f32_exact((drift + noise) * case["grad_scale"])
        # closure cases: loss = sum(0.5 * a * (p - c) ** 2)
        inputs[f"a{i}"] = _f32_exact(rng.uniform(0.5, 2.0, shape))
        inputs[f"c{i}"] = _f32_exact(rng.uniform(-1.0, 1.0, shape))
    none = np.zeros((steps, len(SHAPES)), dtype=bool)
    if case["none"] == "some":
        none[:10, 1] = True
        none[10::4, 1] = True
        none[:, 2] = True
    inputs["none"] = none
    return inputs


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    params = [
        torch.nn.Parameter(torch.tensor(inputs[f"p{i}"], dtype=dtype)) for i in range(len(SHAPES))
    ]
    kwargs = dict(case["kwargs"])
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    if case["groups"] is None:
        opt = impl.Adam(params, **kwargs)
    else:
        groups = []
        for g in case["groups"]:
            g = dict(g)
            g["params"] = [params[i] for i in g["params"]]
            if "betas" in g:
                g["betas"] = tuple(g["betas"])
            groups.append(g)
        opt = impl.Adam(groups, **kwargs)

    history = [[] for _ in params]
    losses = []
    for t in range(case["steps"]):
        if case["closure"]:
            a = [torch.tensor(inputs[f"a{i}"], dtype=dtype) for i in range(len(params))]
            c = [torch.tensor(inputs[f"c{i}"], dtype=dtype) for i in range(len(params))]

            def closure(a=a, c=c):
                for p in params:
                    p.grad = None
                loss = sum((0.5 * ai * (p - ci) ** 2).sum() for p, ai, ci in zip(params, a, c, strict=True))
                loss.backward()
                return loss

            for p in params:
                p.grad = None  # the gradients must come from the closure
            loss = opt.step(closure)
            if loss is None:
                raise AssertionError("step(closure) returned None: it must return the closure's loss")
            losses.append(float(loss.detach()) if torch.is_tensor(loss) else float(loss))
        else:
            for i, p in enumerate(params):
                if inputs["none"][t, i]:
                    p.grad = None
                else:
                    p.grad = torch.tensor(inputs[f"g{i}"][t], dtype=dtype)
            opt.step()
        for i, p in enumerate(params):
            history[i].append(p.detach().cpu().numpy().copy())

    out = {f"p{i}": np.stack(h) for i, h in enumerate(history)}
    if case["closure"]:
        out["loss"] = np.array(losses)
    return out
