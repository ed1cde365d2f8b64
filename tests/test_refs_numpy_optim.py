"""The numpy optimisation drills' references (minibatch-sgd, newton, bfgs-update): hand-computed
values, the mini-batch gradient against torch autograd in float64, Newton's and BFGS's defining
properties (one step on a quadratic, the secant condition)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

DRILLS = Path(__file__).resolve().parents[1] / "drills"


def _reference(drill_id: str):
    spec = importlib.util.spec_from_file_location(f"ref_{drill_id.replace('-', '_')}", DRILLS / drill_id / "reference.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------------ minibatch-sgd

def test_minibatches_cut_one_permutation_in_order():
    ref = _reference("minibatch-sgd")
    assert np.random.default_rng(0).permutation(5).tolist() == [2, 4, 3, 0, 1]
    rng = np.random.default_rng(0)
    assert [b.tolist() for b in ref.minibatches(5, 2, rng)] == [[2, 4], [3, 0], [1]]
    second = [b.tolist() for b in ref.minibatches(5, 2, rng)]  # the next epoch: a new permutation
    expected = np.random.default_rng(0)
    expected.permutation(5)
    flat = expected.permutation(5).tolist()
    assert second == [flat[0:2], flat[2:4], flat[4:5]]
    rng = np.random.default_rng(0)
    assert [b.tolist() for b in ref.minibatches(5, 2, rng, drop_last=True)] == [[2, 4], [3, 0]]
    rng = np.random.default_rng(0)
    assert [b.tolist() for b in ref.minibatches(5, 5, rng, drop_last=True)] == [[2, 4, 3, 0, 1]]
    assert [b.tolist() for b in ref.minibatches(3, 10, np.random.default_rng(0))] == [
        np.random.default_rng(0).permutation(3).tolist()]
    assert list(ref.minibatches(3, 10, np.random.default_rng(0), drop_last=True)) == []


def test_batch_gd_step_by_hand():
    # X = [1, 2], y = [1, 2], w = b = 0: r = [-1, -2]; dL/dw = 2 * (1*-1 + 2*-2) / 2 = -5,
    # dL/db = 2 * (-3) / 2 = -3; lr 0.1 -> w = 0.5, b = 0.3; loss = (0.2**2 + 0.7**2) / 2 = 0.265.
    ref = _reference("minibatch-sgd")
    X = np.array([[1.0], [2.0]])
    y = np.array([1.0, 2.0])
    w, b, losses = ref.train_linear_regression(X, y, 0.1, 1, 2, np.random.default_rng(3))
    assert w.tolist() == pytest.approx([0.5], abs=1e-15)
    assert float(b) == pytest.approx(0.3, abs=1e-15)
    assert [float(v) for v in losses] == pytest.approx([0.265], abs=1e-15)


def test_sgd_steps_by_hand():
    # batch_size 1 on X = [1, 2], y = [2, 4] (w = 2 fits exactly), lr 0.1, order from the rng.
    ref = _reference("minibatch-sgd")
    X = np.array([[1.0], [2.0]])
    y = np.array([2.0, 4.0])
    order = np.random.default_rng(5).permutation(2)
    w, b = 0.0, 0.0
    for i in order:
        r = X[i, 0] * w + b - y[i]
        w, b = w - 0.1 * 2 * r * X[i, 0], b - 0.1 * 2 * r
    got_w, got_b, losses = ref.train_linear_regression(X, y, 0.1, 1, 1, np.random.default_rng(5))
    assert got_w.tolist() == pytest.approx([w], abs=1e-15)
    assert float(got_b) == pytest.approx(b, abs=1e-15)
    assert float(losses[0]) == pytest.approx(np.mean((X[:, 0] * w + b - y) ** 2), abs=1e-15)


def test_float32_in_float32_out():
    ref = _reference("minibatch-sgd")
    rng = np.random.default_rng(1)
    X = rng.normal(size=(9, 2)).astype(np.float32)
    y = rng.normal(size=9).astype(np.float32)
    w, b, losses = ref.train_linear_regression(X, y, 0.05, 2, 4, np.random.default_rng(2))
    assert w.dtype == np.float32 and np.asarray(b).dtype == np.float32 and len(losses) == 2


@pytest.mark.parametrize(("n", "d", "batch_size", "epochs", "lr"),
                         [(20, 3, 20, 6, 0.1), (12, 2, 1, 3, 0.05), (50, 4, 8, 5, 0.05), (30, 5, 7, 4, 0.08)])
def test_minibatch_gradient_matches_torch_autograd(n, d, batch_size, epochs, lr):
    torch = pytest.importorskip("torch")
    ref = _reference("minibatch-sgd")
    rng = np.random.default_rng(n * 100 + batch_size)
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + 0.3 + 0.1 * rng.normal(size=n)
    w, b, losses = ref.train_linear_regression(X, y, lr, epochs, batch_size, np.random.default_rng(7))

    Xt, yt = torch.tensor(X), torch.tensor(y)
    wt = torch.zeros(d, dtype=torch.float64, requires_grad=True)
    bt = torch.zeros((), dtype=torch.float64, requires_grad=True)
    batches_rng = np.random.default_rng(7)
    torch_losses = []
    for _ in range(epochs):
        for idx in ref.minibatches(n, batch_size, batches_rng):
            i = torch.as_tensor(idx)
            loss = torch.mean((Xt[i] @ wt + bt - yt[i]) ** 2)
            gw, gb = torch.autograd.grad(loss, (wt, bt))
            with torch.no_grad():
                wt -= lr * gw
                bt -= lr * gb
        with torch.no_grad():
            torch_losses.append(float(torch.mean((Xt @ wt + bt - yt) ** 2)))
    assert np.max(np.abs(w - wt.detach().numpy())) <= 1e-12
    assert abs(float(b) - float(bt.detach())) <= 1e-12
    assert np.max(np.abs(np.array(losses, dtype=np.float64) - np.array(torch_losses))) <= 1e-12


# ------------------------------------------------------------------ newton

def test_newton_step_by_hand():
    ref = _reference("newton")
    # f = 3x^2 - 12x + 5 at x = 10: g = 48, H = 6, p = -8 (card opt-newton-step-quadratic)
    assert ref.newton_step(np.array([48.0]), np.array([[6.0]])).tolist() == [-8.0]
    # H = diag(2, 4), g = (2, 4): p = (-1, -1); an indefinite H still gives -H^-1 g
    assert ref.newton_step(np.array([2.0, 4.0]), np.diag([2.0, 4.0])).tolist() == [-1.0, -1.0]
    assert ref.newton_step(np.array([2.0, 4.0]), np.diag([2.0, -4.0])).tolist() == [-1.0, 1.0]
    p = ref.newton_step(np.array([1.0, 1.0], dtype=np.float32), np.eye(2, dtype=np.float32))
    assert p.dtype == np.float32


def test_newton_singular_hessian_raises():
    ref = _reference("newton")
    with pytest.raises((ValueError, np.linalg.LinAlgError), match="singular"):
        ref.newton_step(np.array([1.0, 2.0]), np.array([[1.0, 2.0], [2.0, 4.0]]))


def test_newton_minimize_counts_steps_before_testing():
    ref = _reference("newton")
    x, k = ref.newton_minimize(lambda x: 6 * x - 12, lambda x: np.array([[6.0]]), np.array([10.0]))
    assert (x.tolist(), k) == ([2.0], 1)  # a quadratic: one step, then the test passes
    x0 = np.array([2.0])
    x, k = ref.newton_minimize(lambda x: 6 * x - 12, lambda x: np.array([[6.0]]), x0)
    assert (x.tolist(), k) == ([2.0], 0) and x is not x0
    # sum x^4: the Newton step is x - 4x^3 / (12x^2) = 2x/3, so 3 steps from 1 give 8/27
    x, k = ref.newton_minimize(lambda x: 4 * x ** 3, lambda x: np.diag(12 * x ** 2), np.array([1.0]), max_iter=3)
    assert k == 3 and x[0] == pytest.approx(8 / 27, rel=1e-15)
    # Rosenbrock from (-1.2, 1) converges to (1, 1)
    def grad(x):
        return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])

    def hess(x):
        return np.array([[2 - 400 * x[1] + 1200 * x[0] ** 2, -400 * x[0]], [-400 * x[0], 200.0]])

    x, k = ref.newton_minimize(grad, hess, np.array([-1.2, 1.0]))
    assert x.tolist() == pytest.approx([1.0, 1.0], abs=1e-12) and np.linalg.norm(grad(x)) <= 1e-10 and k < 10


def test_newton_nearly_singular_solve_beats_inverse():
    ref = _reference("newton")
    B = np.array([[1.0, -2.0, 0.0], [3.0, 1.0, -1.0]])
    H = B.T @ B + 2.0 ** -36 * np.eye(3)
    g = -(B.T @ np.array([2.0, -1.0]))
    p = ref.newton_step(g, H)
    scale = np.linalg.norm(H, 2) * np.linalg.norm(p) + np.linalg.norm(g)
    assert np.linalg.norm(H @ p + g) <= 1e-12 * scale
    p_inv = -np.linalg.inv(H) @ g  # the mistake the harness's nearly singular cases catch
    assert np.linalg.norm(H @ p_inv + g) > 1e-10 * scale


# ------------------------------------------------------------------ bfgs-update

def test_bfgs_inverse_update_by_hand():
    ref = _reference("bfgs-update")
    # 1-D: the update is s / y whatever H was
    assert ref.bfgs_inverse_update(np.array([[1.0]]), np.array([2.0]), np.array([4.0])).tolist() == [[0.5]]
    # H = I, s = (1, 1), y = (1, 2): rho = 1/3, V = I - s y^T / 3 = [[2/3, -2/3], [-1/3, 1/3]],
    # V V^T = [[8/9, -4/9], [-4/9, 2/9]], + s s^T / 3 -> [[11/9, -1/9], [-1/9, 5/9]]
    H = ref.bfgs_inverse_update(np.eye(2), np.array([1.0, 1.0]), np.array([1.0, 2.0]))
    assert np.max(np.abs(H - np.array([[11 / 9, -1 / 9], [-1 / 9, 5 / 9]]))) <= 1e-15
    assert (H @ np.array([1.0, 2.0])).tolist() == pytest.approx([1.0, 1.0], abs=1e-15)  # H y = s
    H32 = ref.bfgs_inverse_update(np.eye(2, dtype=np.float32), np.ones(2, np.float32), np.array([1, 2], np.float32))
    assert H32.dtype == np.float32


def test_bfgs_inverse_update_secant_symmetry_definiteness():
    ref = _reference("bfgs-update")
    rng = np.random.default_rng(0)
    for n in (2, 3, 5, 8):
        q, _ = np.linalg.qr(rng.normal(size=(n, n)))
        H = q @ np.diag(rng.uniform(0.1, 10, size=n)) @ q.T
        H = (H + H.T) / 2
        s = rng.normal(size=n)
        y = s + 0.3 * rng.normal(size=n)
        if y @ s <= 0:
            y = -y
        H_new = ref.bfgs_inverse_update(H, s, y)
        assert np.max(np.abs(H_new @ y - s)) <= 1e-12 * (1 + np.max(np.abs(s))) * np.linalg.cond(H)
        assert np.max(np.abs(H_new - H_new.T)) <= 1e-12 * np.max(np.abs(H_new))
        assert np.min(np.linalg.eigvalsh(H_new)) > 0
        swapped = ref.bfgs_inverse_update(H, y, s)  # the s/y mistake: DFP's Hessian update, B s = y
        assert np.max(np.abs(swapped @ s - y)) <= 1e-9 * np.linalg.cond(H)


def test_bfgs_armijo_halves_a_step_that_does_not_decrease_f():
    # f = ||x||^2 from x0 = (1, -0.5), H0 = I: p = -2 x0, so x0 + p = -x0 has the same f: Armijo
    # (decrease of at least 1e-4 * |g.p|) rejects alpha = 1; alpha = 1/2 lands on 0 exactly.
    ref = _reference("bfgs-update")
    x, k = ref.bfgs_minimize(lambda x: np.sum(x ** 2), lambda x: 2 * x, np.array([1.0, -0.5]))
    assert (x.tolist(), k) == ([0.0, 0.0], 1)
    x0 = np.array([0.0, 0.0])
    x, k = ref.bfgs_minimize(lambda x: np.sum(x ** 2), lambda x: 2 * x, x0)
    assert k == 0 and x is not x0


def test_bfgs_skips_the_update_when_curvature_is_negative():
    # Double well f = (x^2 - 1)^2 / 4 from 0.3 (1-D): g = x^3 - x = -0.273, p = 0.273 (H = I),
    # alpha = 1 is accepted (f drops from 0.207 to 0.113); y = g(0.573) - g(0.3) < 0, so H stays
    # I and the second step is -g(0.573) again.
    ref = _reference("bfgs-update")

    def f(x):
        return np.sum((x ** 2 - 1) ** 2 / 4)

    def g(x):
        return x ** 3 - x

    x1 = 0.3 - g(np.array([0.3]))[0]
    assert x1 == pytest.approx(0.573, abs=1e-15)
    assert (g(np.array([x1])) - g(np.array([0.3])))[0] * (x1 - 0.3) < 0
    x2 = x1 - g(np.array([x1]))[0]
    assert f(np.array([x2])) <= f(np.array([x1])) + 1e-4 * -(g(np.array([x1]))[0] ** 2)  # alpha = 1 again
    x, k = ref.bfgs_minimize(f, g, np.array([0.3]), max_iter=2)
    assert k == 2 and x[0] == pytest.approx(x2, abs=1e-15)
    x, k = ref.bfgs_minimize(f, g, np.array([0.3]))
    assert x[0] == pytest.approx(1.0, abs=1e-8) and abs(g(x)[0]) <= 1e-8


def test_bfgs_minimizes_rosenbrock():
    ref = _reference("bfgs-update")

    def f(x):
        return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2

    def grad(x):
        return np.array([-2 * (1 - x[0]) - 400 * x[0] * (x[1] - x[0] ** 2), 200 * (x[1] - x[0] ** 2)])

    x, k = ref.bfgs_minimize(f, grad, np.array([-1.2, 1.0]))
    assert np.linalg.norm(grad(x)) <= 1e-8 and x.tolist() == pytest.approx([1.0, 1.0], abs=1e-7) and k < 100
    x, k = ref.bfgs_minimize(f, grad, np.array([-1.2, 1.0]), max_iter=3)
    assert k == 3
