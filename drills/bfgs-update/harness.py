"""bfgs-update harness: the inverse update (N&W eq. 6.17) on random positive definite H and
curvature pairs (H_new @ y, which must equal s, then H_new), and bfgs_minimize on quadratics
(condition numbers 1 to 1e3), Rosenbrock, max_iter, a double well and Himmelblau's function where
y^T s < 0 occurs, and f = ||x||^2 (+ a small cubic), where the full first step lands exactly on -x0,
so f does not decrease: there Armijo's c1 decides. f, grad_fn are plain Python closures over
numpy test functions, in x's dtype."""

import numpy as np
import quizdl_contract as contract

# A converged x is only determined to about tol / (smallest curvature) (1e-8 / 0.03 in float64,
# 1e-3 / 0.3 in the float32 case): two trajectories that both stop at the minimum agree to that,
# and whether they took the same path shows in the iteration count, compared exactly.
TOLERANCES = {"x": {"float32": (1e-2, 1e-2), "float64": (1e-6, 1e-6)}}

AXES = {"secant": ["coordinate"], "H_new": ["row", "column"], "x": ["coordinate"]}


def cases():
    out = []

    def add(name, group, dtype, seed, **params):
        case = {"name": name, "group": group, "dtype": dtype, "seed": seed, **params}
        if dtype == "float64" and params["kind"] == "minimize":
            # tol 1e-8 means nothing in float32 (see run)
            case["float64_only"] = True
        out.append(case)

    # bfgs_inverse_update
    add("H = I, n = 3", "inverse update (eq. 6.17)", "float64", 1, kind="update", n=3, identity=True)
    add("random H, n = 4", "inverse update (eq. 6.17)", "float64", 2, kind="update", n=4)
    add("random H, n = 5 float32", "inverse update (eq. 6.17)", "float32", 3, kind="update", n=5)
    add("1-D: H = 1, s = 2, y = 4", "inverse update (eq. 6.17)", "float64", 4, kind="update", n=1, fixed=True)
    add("random H, n = 3, small y^T s", "inverse update (eq. 6.17)", "float64", 5, kind="update", n=3, small=True)
    # bfgs_minimize
    add("quadratic, condition 1", "quadratics", "float64", 11, kind="minimize", problem="quadratic", n=3, cond=1.0)
    add("quadratic, condition 10", "quadratics", "float64", 12, kind="minimize", problem="quadratic", n=4, cond=10.0)
    add("quadratic, condition 1e3", "quadratics", "float64", 13, kind="minimize", problem="quadratic", n=3, cond=1e3)
    add("quadratic, condition 1e3, n = 5", "quadratics", "float64", 14, kind="minimize", problem="quadratic", n=5, cond=1e3)
    add("quadratic float32 (tol 1e-3)", "quadratics", "float32", 15, kind="minimize", problem="quadratic", n=3, cond=10.0, tol=1e-3)
    add("x0 is the minimum", "quadratics", "float64", 16, kind="minimize", problem="quadratic", n=2, cond=5.0, at_min=True)
    add("Rosenbrock from (-1.2, 1)", "Rosenbrock", "float64", 17, kind="minimize", problem="rosenbrock", x0=[-1.2, 1.0])
    add("Rosenbrock from (2, 2)", "Rosenbrock", "float64", 18, kind="minimize", problem="rosenbrock", x0=[2.0, 2.0])
    add("Rosenbrock, max_iter 10", "max_iter", "float64", 19, kind="minimize", problem="rosenbrock", x0=[-1.2, 1.0], max_iter=10)
    add("loose tol: no step", "max_iter", "float64", 20, kind="minimize", problem="quadratic", n=2, cond=2.0, tol=100.0)
    add("||x||^2: f(x0 + p) = f(x0)", "line search (Armijo)", "float64", 21, kind="minimize", problem="cubic", eps=0.0, x0=[1.0, -0.5])
    add("||x||^2 + 5e-5 sum x^3: f rises a little", "line search (Armijo)", "float64", 22, kind="minimize", problem="cubic", eps=5e-5, x0=[1.0, -0.5])
    add("||x||^2 - 5e-5 sum x^3: f falls a little", "line search (Armijo)", "float64", 23, kind="minimize", problem="cubic", eps=-5e-5, x0=[1.0, -0.5])
    add("Himmelblau from (0, -1): y^T s < 0", "negative curvature", "float64", 24, kind="minimize", problem="himmelblau", x0=[0.0, -1.0])
    add("double well from (0.1, 2): y^T s < 0", "negative curvature", "float64", 25, kind="minimize", problem="well", x0=[0.1, 2.0])
    return out


def _f32(a):
    """Exactly representable in float32, so both precisions see the same numbers."""
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def _spd(rng, n, cond):
    q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    h = q @ np.diag(np.geomspace(1.0, cond, n) / np.sqrt(cond)) @ q.T
    return _f32((h + h.T) / 2)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case["kind"] == "update":
        n = case["n"]
        if case.get("fixed"):
            return {"H": np.array([[1.0]]), "s": np.array([2.0]), "y": np.array([4.0])}
        H = np.eye(n) if case.get("identity") else _spd(rng, n, 10.0)
        s = _f32(rng.normal(size=n))
        y = _f32(_spd(rng, n, 5.0) @ s)  # y^T s > 0: a curvature pair from a convex function
        if case.get("small"):  # y nearly orthogonal to s (y^T s small but positive)
            y = _f32(y - 0.95 * (y @ s) / (s @ s) * s)
        return {"H": H, "s": s, "y": y}
    problem = case["problem"]
    if problem == "quadratic":
        n = case["n"]
        A = _spd(rng, n, case["cond"])
        x_min = _f32(rng.normal(size=n))
        x0 = x_min.copy() if case.get("at_min") else _f32(rng.normal(size=n) * 2)
        return {"A": A, "x_min": x_min, "x0": x0}
    return {"x0": np.array(case["x0"])}


def _functions(case, inputs, dtype):
    """(f, grad_fn): closures in x's dtype. Every minimum has f = 0, so f's rounding near the
    minimum stays far below the decreases Armijo compares."""
    problem = case["problem"]
    if problem == "quadratic":
        A, x_min = inputs["A"], inputs["x_min"]

        def f(x):
            d = x - x_min.astype(x.dtype)
            return 0.5 * d @ (A.astype(x.dtype) @ d)

        def grad(x):
            return A.astype(x.dtype) @ (x - x_min.astype(x.dtype))
        return f, grad
    if problem == "rosenbrock":
        def f(x):
            return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

        def grad(x):
            return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)], dtype=x.dtype)
        return f, grad
    if problem == "cubic":
        eps = case["eps"]

        def f(x):
            return np.sum(x ** 2) + eps * np.sum(x ** 3)

        def grad(x):
            return 2 * x + 3 * eps * x ** 2
        return f, grad
    if problem == "well":  # (x0^2 - 1)^2 / 4 + x1^2: concave in x0 for |x0| < 1/sqrt(3)
        def f(x):
            return (x[0] ** 2 - 1) ** 2 / 4 + x[1] ** 2

        def grad(x):
            return np.array([x[0] ** 3 - x[0], 2 * x[1]], dtype=x.dtype)
        return f, grad
    if problem == "himmelblau":  # four minima, all with f = 0
        def f(x):
            return (x[0] ** 2 + x[1] - 11) ** 2 + (x[0] + x[1] ** 2 - 7) ** 2

        def grad(x):
            return np.array([4 * x[0] * (x[0] ** 2 + x[1] - 11) + 2 * (x[0] + x[1] ** 2 - 7),
                             2 * (x[0] ** 2 + x[1] - 11) + 4 * x[1] * (x[0] + x[1] ** 2 - 7)], dtype=x.dtype)
        return f, grad
    raise ValueError(problem)


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    if dtype == np.float32 and case.get("float64_only"):
        # Only the grader asks for this, to measure what float32 rounding costs on a float64
        # case; in float32 a gradient of 1e-8 is out of reach and the line search decides
        # differently, so compute in float64 and round the results to float32.
        out = run(impl, dict(case, dtype="float64"), inputs)
        return {k: v.astype(np.float32) if v.dtype == np.float64 else v for k, v in out.items()}
    if case["kind"] == "update":
        H, s, y = (inputs[k].astype(dtype) for k in ("H", "s", "y"))
        before = contract.snapshot(H=H, s=s, y=y)
        H_new = impl.bfgs_inverse_update(H, s, y)
        contract.unchanged(before, {"H": H, "s": s, "y": y}, "bfgs_inverse_update")
        H_new = contract.array(H_new, "bfgs_inverse_update")
        if H_new.shape != H.shape:
            raise AssertionError(f"bfgs_inverse_update returned shape {H_new.shape}; expected {H.shape}")
        return {"secant": H_new @ y, "H_new": H_new}

    f, grad_fn = _functions(case, inputs, dtype)
    x0 = inputs["x0"].astype(dtype)
    kwargs = {k: case[k] for k in ("tol", "max_iter") if k in case}
    before = contract.snapshot(x0=x0)
    result = impl.bfgs_minimize(f, grad_fn, x0, **kwargs)
    contract.unchanged(before, {"x0": x0}, "bfgs_minimize")
    if not isinstance(result, tuple | list) or len(result) != 2:
        raise AssertionError(f"bfgs_minimize returned {type(result).__name__}; return a pair (x, iterations)")
    x, iterations = result
    x = contract.array(x, "bfgs_minimize's x")
    iterations = contract.array(iterations, "bfgs_minimize's iterations", scalar=True, dtype=np.int64)
    if iterations.dtype.kind not in "iu":
        raise AssertionError(f"bfgs_minimize's iterations is {iterations.dtype}; return an int")
    return {"iterations": iterations.astype(np.int64), "x": x}
