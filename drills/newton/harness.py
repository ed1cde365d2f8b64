"""newton harness: newton_step on well- and ill-conditioned, indefinite, nearly singular and
singular Hessians; newton_minimize on quadratics (condition numbers 1 to 1e6), Rosenbrock, a
quartic (slow: max_iter), a nearly singular quadratic and a singular one, float32 and float64.
grad_fn / hess_fn are plain Python closures over numpy test functions, in x's dtype."""

import numpy as np
import quizdl_contract as contract

AXES = {"step": ["coordinate"], "x": ["coordinate"]}


def cases():
    out = []

    def add(name, group, dtype, seed, **params):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, **params}
        # float64 cases whose meaning needs float64: tol 1e-10, condition numbers of 1e6 and
        # more, systems that are nearly singular only in float64 (see run)
        if dtype == "float64" and (params["kind"] == "minimize" or params["problem"] in ("near", "singular")
                                   or params.get("cond", 1.0) >= 1e6):
            case["float64_only"] = True
        out.append(case)

    # newton_step
    add("3x3 SPD float64", "newton_step", "float64", 1, kind="step", problem="spd", n=3, cond=10.0)
    add("5x5 SPD float32", "newton_step", "float32", 2, kind="step", problem="spd", n=5, cond=10.0)
    add("1-D: 3x^2 - 12x + 5 at x = 10", "newton_step", "float64", 3, kind="step", problem="card")
    add("indefinite (saddle)", "newton_step", "float64", 4, kind="step", problem="indefinite", n=3)
    add("condition 1e6", "newton_step (ill-conditioned)", "float64", 5, kind="step", problem="spd", n=4, cond=1e6)
    add("nearly singular A", "newton_step (nearly singular)", "float64", 6, kind="step", problem="near", trial=1)
    add("nearly singular B", "newton_step (nearly singular)", "float64", 7, kind="step", problem="near", trial=3)
    add("nearly singular C", "newton_step (nearly singular)", "float64", 8, kind="step", problem="near", trial=5)
    add("[[1, 2], [2, 4]]", "singular Hessian", "float64", 9, kind="step", problem="singular")
    add("f ignores a coordinate", "singular Hessian", "float64", 10, kind="minimize", problem="flat")
    # newton_minimize
    add("quadratic, condition 1", "quadratic: one step", "float64", 11, kind="minimize", problem="quadratic", n=3, cond=1.0)
    add("quadratic, condition 1e3", "quadratic: one step", "float64", 12, kind="minimize", problem="quadratic", n=4, cond=1e3)
    add("quadratic, condition 1e6", "quadratic: one step", "float64", 13, kind="minimize", problem="quadratic", n=3, cond=1e6)
    add("quadratic float32 (tol 1e-3)", "quadratic: one step", "float32", 14, kind="minimize", problem="quadratic", n=3, cond=10.0, tol=1e-3)
    add("x0 is the minimum", "quadratic: one step", "float64", 15, kind="minimize", problem="quadratic", n=2, cond=5.0, at_min=True)
    add("nearly singular quadratic", "nearly singular quadratic", "float64", 16, kind="minimize", problem="near", trial=1)
    add("nearly singular quadratic B", "nearly singular quadratic", "float64", 17, kind="minimize", problem="near", trial=4)
    add("Rosenbrock from (-1.2, 1)", "Rosenbrock", "float64", 18, kind="minimize", problem="rosenbrock", x0=[-1.2, 1.0])
    add("Rosenbrock from (2, -1)", "Rosenbrock", "float64", 19, kind="minimize", problem="rosenbrock", x0=[2.0, -1.0])
    add("quartic, max_iter 5", "max_iter", "float64", 20, kind="minimize", problem="quartic", n=3, max_iter=5)
    add("quartic, max_iter 50", "max_iter", "float64", 21, kind="minimize", problem="quartic", n=2)
    add("Rosenbrock, max_iter 3", "max_iter", "float64", 22, kind="minimize", problem="rosenbrock", x0=[-1.2, 1.0], max_iter=3)
    add("loose tol: no step", "max_iter", "float64", 23, kind="minimize", problem="quadratic", n=2, cond=2.0, tol=100.0)
    return out


def _f32(a):
    """Exactly representable in float32, so both precisions see the same numbers."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def _spd(rng, n, cond):
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    h = q @ np.diag(np.geomspace(1.0, cond, n) / np.sqrt(cond)) @ q.T
    return _f32((h + h.T) / 2)


def _near_singular(trial):
    """B^T B + 2^-36 I with B an integer 2x3 matrix: condition about 1e12; b = B^T c lies in the
    well-conditioned directions, so a backward-stable solve leaves a residual of about 1e-16
    while inv(H) @ g leaves one of about 1e-5."""
    rng = np.random.default_rng(0)
    for _ in range(trial + 1):
        B = rng.integers(-3, 4, size=(2, 3)).astype(np.float64)
        c = rng.integers(-3, 4, size=2).astype(np.float64)
    return B.T @ B + 2.0 ** -36 * np.eye(3), B.T @ c


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    problem = case["problem"]
    if problem == "spd":
        return {"grad": _f32(rng.normal(size=case["n"])), "hess": _spd(rng, case["n"], case["cond"])}
    if problem == "card":
        return {"grad": np.array([48.0]), "hess": np.array([[6.0]])}
    if problem == "indefinite":
        q, _ = np.linalg.qr(rng.normal(size=(3, 3)))
        h = q @ np.diag([2.0, -1.0, 0.5]) @ q.T
        return {"grad": _f32(rng.normal(size=3)), "hess": _f32((h + h.T) / 2)}
    if problem == "near":
        A, b = _near_singular(case["trial"])
        if case["kind"] == "step":
            return {"grad": -b, "hess": A}
        return {"A": A, "b": b, "x0": np.zeros(3)}
    if problem == "singular":
        return {"grad": np.array([1.0, 2.0]), "hess": np.array([[1.0, 2.0], [2.0, 4.0]])}
    if problem == "flat":  # f(x) = (x0 - 1)^2: the Hessian [[2, 0], [0, 0]] is singular
        return {"A": np.array([[2.0, 0.0], [0.0, 0.0]]), "b": np.array([2.0, 0.0]), "x0": np.array([3.0, 1.0])}
    if problem == "quadratic":
        A = _spd(rng, case["n"], case["cond"])
        b = _f32(rng.normal(size=case["n"]))
        x0 = np.linalg.solve(A, b) if case.get("at_min") else _f32(rng.normal(size=case["n"]) * 2)
        return {"A": A, "b": b, "x0": x0}
    if problem == "rosenbrock":
        return {"x0": np.array(case["x0"])}
    if problem == "quartic":
        return {"x0": _f32(rng.uniform(0.5, 1.5, size=case["n"]) * rng.choice([-1.0, 1.0], size=case["n"]))}
    raise ValueError(problem)


def _functions(problem, inputs, dtype):
    """(f, grad_fn, hess_fn): closures in x's dtype."""
    if problem in ("quadratic", "near", "flat"):
        A, b = inputs["A"], inputs["b"]

        def f(x):
            return 0.5 * x @ (A.astype(x.dtype) @ x) - b.astype(x.dtype) @ x

        def grad(x):
            return A.astype(x.dtype) @ x - b.astype(x.dtype)

        def hess(x):
            return A.astype(x.dtype)
        return f, grad, hess
    if problem == "rosenbrock":
        def f(x):
            return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

        def grad(x):
            return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)], dtype=x.dtype)

        def hess(x):
            return np.array([[2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200]], dtype=x.dtype)
        return f, grad, hess
    if problem == "quartic":
        def f(x):
            return np.sum(x ** 4)

        def grad(x):
            return 4 * x ** 3

        def hess(x):
            return np.diag(12 * x ** 2)
        return f, grad, hess
    raise ValueError(problem)


def _raises(call):
    """1.0 when `call` raises ValueError or numpy's LinAlgError (the contract for a singular
    Hessian), else 0.0."""
    try:
        call()
    except (ValueError, np.linalg.LinAlgError):
        return np.array(1.0)
    return np.array(0.0)


def _backward_stable(hess, grad, step):
    """1.0 when H p = -g holds to rounding: ||H p + g|| <= 1e-12 (||H|| ||p|| + ||g||)."""
    residual = np.linalg.norm(hess @ step + grad)
    scale = np.linalg.norm(hess, 2) * np.linalg.norm(step) + np.linalg.norm(grad)
    return np.array(1.0 if np.isfinite(residual) and residual <= 1e-12 * scale else 0.0)


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    if dtype == np.float32 and case.get("float64_only"):
        # Only the grader asks for this, to measure what float32 rounding costs on a float64
        # case; in float32 these cases would measure float32's limits instead (no gradient
        # reaches 1e-10), so compute in float64 and round the results to float32.
        out = run(impl, dict(case, dtype="float64"), inputs)
        return {k: v.astype(np.float32) if v.dtype == np.float64 else v for k, v in out.items()}
    problem = case["problem"]
    if case["kind"] == "step":
        grad, hess = inputs["grad"].astype(dtype), inputs["hess"].astype(dtype)
        if problem == "singular":
            return {"raised": _raises(lambda: impl.newton_step(grad.copy(), hess.copy()))}
        before = contract.snapshot(grad=grad, hess=hess)
        step = impl.newton_step(grad, hess)
        contract.unchanged(before, {"grad": grad, "hess": hess}, "newton_step")
        step = contract.array(step, "newton_step")
        if problem == "near":
            return {"backward_stable": _backward_stable(hess, grad, step.astype(np.float64))}
        return {"step": step}

    f, grad_fn, hess_fn = _functions(problem, inputs, dtype)
    x0 = inputs["x0"].astype(dtype)
    kwargs = {k: case[k] for k in ("tol", "max_iter") if k in case}
    if problem == "flat":
        return {"raised": _raises(lambda: impl.newton_minimize(grad_fn, hess_fn, x0.copy(), **kwargs))}
    before = contract.snapshot(x0=x0)
    result = impl.newton_minimize(grad_fn, hess_fn, x0, **kwargs)
    contract.unchanged(before, {"x0": x0}, "newton_minimize")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"newton_minimize returned {type(result).__name__}; return a pair (x, iterations)")
    x, iterations = result
    x = contract.array(x, "newton_minimize's x")
    iterations = contract.array(iterations, "newton_minimize's iterations", scalar=True, dtype=np.int64)
    if iterations.dtype.kind not in "iu":
        raise AssertionError(f"newton_minimize's iterations is {iterations.dtype}; return an int")
    out = {"iterations": iterations.astype(np.int64)}
    if problem == "near":  # x is only determined to ~1e-5 along the flat direction: compare f(x)
        out["f"] = np.asarray(f(x.astype(np.float64)), dtype=np.float64)
    else:
        out["x"] = x
    return out
