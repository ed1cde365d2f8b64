"""Grading harness for adam: parameter trajectories over many steps against torch.optim.Adam's rule.

Each case builds three parameters (p0, p1, p2), an optimiser over them (one group or several),
and feeds a fixed sequence of gradients: assigned to p.grad before every step() (p.grad = None
where the case says so), or accumulated by two backward() calls into the same .grad tensors, as a
training loop with zero_grad(set_to_none=False) does, or computed by a closure. The outputs are
every parameter's value after each step, shape (steps, *shape).

Contract checks: step() leaves p.grad alone (input-modified); it runs the closure with autograd
on (closure-grad: reported, while the closure computes its gradients anyway); the state of every parameter that
took steps is in self.state[p]; and in the cases with a `fork`, state_dict() after that step is
loaded (through a deep copy, like a checkpoint) into a fresh Adam over copies of the parameters,
which must then take the same steps as the original (state-dict).
"""

import copy

import numpy as np
import quizdl_contract as contract

SHAPES = [(3, 4), (5,), (2, 3)]
AXES = {"p0": ["step", "row", "column"], "p1": ["step", "element"], "p2": ["step", "row", "column"],
        "loss": ["step"]}


def cases():
    out = []

    def add(name, group, dtype, seed, **kw):
        case = {
            "name": name, "group": group, "dtype": dtype, "seed": seed, "steps": 60,
            "kwargs": {},                  # keyword arguments of Adam(...)
            "groups": None,                # None: Adam([p0, p1, p2], ...); else param groups
            "grad_scale": 1.0, "grad_bias": 0.3, "none": "never", "closure": False,
            "feed": "assign",              # or "backward": two backward() calls accumulate p.grad
            "fork": None,                  # after this many steps: the state_dict() round trip
        }
        case.update(kw)
        out.append(case)

    hyper, small = "default and custom hyper-parameters", "small gradients (~1e-4)"
    wd, groups = "weight decay (L2)", "several param groups"
    none, closure = "parameters without .grad", "step(closure)"
    backward = "gradients accumulated by backward()"
    add("defaults float64", hyper, "float64", 1, fork=30)
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
        groups=[{"params": [0, 1], "lr": 0.03}, {"params": [2], "weight_decay": 0.2}], fork=25)
    add("betas and lr per group float32", groups, "float32", 10,
        kwargs={"lr": 0.01, "weight_decay": 0.01},
        groups=[{"params": [0], "betas": [0.5, 0.9]}, {"params": [2, 1], "lr": 0.002}])
    # p1 has no gradient for its first 10 steps and on every 4th step after; p2 never has one.
    add("some grads None float64", none, "float64", 11, kwargs={"lr": 0.01}, none="some")
    add("some grads None, weight decay float32", none, "float32", 12,
        kwargs={"lr": 0.01, "weight_decay": 0.1}, none="some")
    add("some grads None, two groups float64", none, "float64", 13, kwargs={"lr": 0.01},
        none="some", groups=[{"params": [1]}, {"params": [0, 2], "lr": 0.05}], fork=20)
    # step(closure): the closure computes a quadratic loss and its gradients.
    add("quadratic loss float64", closure, "float64", 14, kwargs={"lr": 0.05}, closure=True,
        steps=50)
    add("quadratic loss float32", closure, "float32", 15, kwargs={"lr": 0.05}, closure=True,
        steps=50)
    # p.grad is zeroed in place and filled by two backward() calls each step, as in a training loop
    # with gradient accumulation: the same .grad tensors live on from step to step.
    add("two backward() per step float64", backward, "float64", 16, kwargs={"lr": 0.01},
        feed="backward", fork=30)
    add("two backward() per step, weight decay float32", backward, "float32", 17,
        kwargs={"lr": 0.01, "weight_decay": 0.05}, feed="backward")
    add("two backward(), weight decay per group float64", backward, "float64", 18,
        kwargs={"lr": 0.02}, feed="backward", fork=35,
        groups=[{"params": [0], "weight_decay": 0.1}, {"params": [1, 2], "betas": [0.8, 0.99]}])
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
        # backward cases: the step's gradient is g_a + g_b, from two backward() calls
        inputs[f"h{i}"] = _f32_exact(rng.standard_normal((steps,) + shape) * 0.5 * case["grad_scale"])
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


def _optimizer(impl, case, params):
    kwargs = dict(case["kwargs"])
    if "betas" in kwargs:
        kwargs["betas"] = tuple(kwargs["betas"])
    if case["groups"] is None:
        return impl.Adam(params, **kwargs)
    groups = []
    for g in case["groups"]:
        g = dict(g)
        g["params"] = [params[i] for i in g["params"]]
        if "betas" in g:
            g["betas"] = tuple(g["betas"])
        groups.append(g)
    return impl.Adam(groups, **kwargs)


def _feed(case, inputs, params, t, dtype):
    """Step t's gradients into p.grad: assigned, or accumulated by two backward() calls."""
    import torch

    if case["feed"] == "backward":
        for p in params:
            if p.grad is not None:
                p.grad.zero_()  # zero_grad(set_to_none=False): the same .grad tensors are reused
        for part in ("a", "b"):
            loss = 0
            for i, p in enumerate(params):
                g = inputs[f"g{i}"][t] - inputs[f"h{i}"][t] if part == "a" else inputs[f"h{i}"][t]
                loss = loss + (p * torch.tensor(g, dtype=dtype)).sum()
            loss.backward()
        return
    for i, p in enumerate(params):
        p.grad = None if inputs["none"][t, i] else torch.tensor(inputs[f"g{i}"][t], dtype=dtype)


def _grads(params):
    return {f"p{i}.grad": p.grad for i, p in enumerate(params)}


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    params = [
        torch.nn.Parameter(torch.tensor(inputs[f"p{i}"], dtype=dtype)) for i in range(len(SHAPES))
    ]
    opt = _optimizer(impl, case, params)
    twins, fresh = None, None  # after the fork: copies of the parameters and the reloaded optimiser

    history = [[] for _ in params]
    losses = []
    for t in range(case["steps"]):
        if case["closure"]:
            a = [torch.tensor(inputs[f"a{i}"], dtype=dtype) for i in range(len(params))]
            c = [torch.tensor(inputs[f"c{i}"], dtype=dtype) for i in range(len(params))]
            seen = {}

            def closure(a=a, c=c, seen=seen):
                if not torch.is_grad_enabled():  # reported; the gradients are computed all the same
                    contract.violation("closure-grad", "step() called the closure under torch.no_grad(): "
                                       "wrap the call in torch.enable_grad()")
                with torch.enable_grad():
                    for p in params:
                        p.grad = None
                    loss = sum((0.5 * ai * (p - ci) ** 2).sum() for p, ai, ci in zip(params, a, c, strict=True))
                    loss.backward()
                seen.update(contract.snapshot(**_grads(params)))
                return loss

            for p in params:
                p.grad = None  # the gradients must come from the closure
            loss = opt.step(closure)
            contract.unchanged(seen, _grads(params), "step()")
            if loss is None:
                raise AssertionError("step(closure) returned None: it must return the closure's loss")
            losses.append(float(loss.detach()) if torch.is_tensor(loss) else float(loss))
        else:
            _feed(case, inputs, params, t, dtype)
            before = contract.snapshot(**_grads(params))
            opt.step()
            contract.unchanged(before, _grads(params), "step()")
            if fresh is not None:
                _feed(case, inputs, twins, t, dtype)
                fresh.step()
        for i, p in enumerate(params):
            history[i].append(contract.numpy(p))
        if case["fork"] == t + 1:
            checkpoint = copy.deepcopy(opt.state_dict())  # as torch.save / torch.load would
            twins = [torch.nn.Parameter(p.detach().clone()) for p in params]
            fresh = _optimizer(impl, case, twins)
            fresh.load_state_dict(checkpoint)

    stepped = [p for i, p in enumerate(params) if case["closure"] or not inputs["none"][:, i].all()]
    contract.optimizer_state(opt, stepped)
    state = getattr(opt, "state", None) or {}
    if fresh is not None and all(state.get(p) for p in stepped):  # else already reported
        for i, (p, twin) in enumerate(zip(params, twins, strict=True)):
            a, b = contract.numpy(p), contract.numpy(twin)
            if not np.allclose(a, b, rtol=1e-6, atol=1e-9, equal_nan=True):
                j = int(np.argmax(np.abs(a - b)))
                contract.violation(
                    "state-dict",
                    f"after load_state_dict(state_dict()) at step {case['fork']}, a fresh Adam took other "
                    f"steps: p{i} after step {case['steps']} is {b.reshape(-1)[j]:.6g} instead of "
                    f"{a.reshape(-1)[j]:.6g}; keep every piece of state (step counts too) in self.state[p]")
                break

    out = {f"p{i}": np.stack(h) for i, h in enumerate(history)}
    if case["closure"]:
        out["loss"] = np.array(losses)
    return out


def builtin():
    """torch.optim.Adam itself, to measure float32 error."""
    import types

    import torch

    return types.SimpleNamespace(Adam=torch.optim.Adam)
