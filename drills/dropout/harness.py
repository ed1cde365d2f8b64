"""Grading harness for dropout: graded by properties (the masks are random), never by a seed.

run() drives one module through: two training calls on the same x (train, train_again), a third
training call whose output is back-propagated with upstream gradient g (train_for_grad, grad), and a
call in eval mode (eval). check() then tests, with failure ids that name what is wrong:

    non-finite             an output holds NaN or inf (nothing else is checked then)
    zero-fraction          the share of zeros in training is not p (6-sigma binomial bound)
    survivors-not-rescaled survivors equal x: the 1/(1-p) factor is missing
    survivors-scaled-down  survivors are smaller than x (scaled by (1-p)?)
    survivor-scale         survivors are not x / (1 - p) for another reason
    same-mask              two training calls dropped exactly the same elements
    eval-not-identity      eval mode does not return x
    backward-mask          the gradient is not g * (the factor the forward pass applied)
"""

import numpy as np

RTOL = {"float32": 1e-5, "float64": 1e-12}
SIGMAS = 6.0


def cases():
    out = []

    def add(name, group, dtype, seed, p, shape):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "p": p,
                    "shape": list(shape)})

    train, shapes, edge = "training, eval and backward", "any shape", "p = 0 and p = 1"
    add("p=0.2 (400, 500) float64", train, "float64", 1, 0.2, (400, 500))
    add("p=0.2 (400, 500) float32", train, "float32", 2, 0.2, (400, 500))
    add("p=0.7 (200, 1000) float64", train, "float64", 3, 0.7, (200, 1000))
    add("p=0.5 (100, 1000) float32", train, "float32", 4, 0.5, (100, 1000))
    add("p=0.3 (20, 50, 100) float32", shapes, "float32", 5, 0.3, (20, 50, 100))
    add("p=0.1 (4, 8, 50, 50) float64", shapes, "float64", 6, 0.1, (4, 8, 50, 50))
    add("p=0.4 (50000,) float64", shapes, "float64", 7, 0.4, (50000,))
    add("p=0 float64", edge, "float64", 8, 0.0, (100, 100))
    add("p=1 float32", edge, "float32", 9, 1.0, (100, 100))
    add("p=1 float64", edge, "float64", 10, 1.0, (100, 100))
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    shape = tuple(case["shape"])
    # Never zero, so a zero in the output always means "dropped".
    x = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    g = rng.uniform(0.5, 2.0, shape) * rng.choice([-1.0, 1.0], shape)
    return {
        "x": x.astype(np.float32).astype(np.float64),
        "g": g.astype(np.float32).astype(np.float64),
    }


def run(impl, case, inputs):
    import torch

    torch.manual_seed(case["seed"])  # reproducible runs; the checks never depend on the mask drawn
    dtype = getattr(torch, case["dtype"])
    x = torch.tensor(inputs["x"], dtype=dtype)
    m = impl.Dropout(p=case["p"])
    m.train()
    train = m(x.clone())
    train_again = m(x.clone())
    xg = x.clone().requires_grad_(True)
    y = m(xg)
    if y.requires_grad:
        (y * torch.tensor(inputs["g"], dtype=dtype)).sum().backward()
    # An output cut off from x (e.g. a fresh zeros tensor at p = 1) has a zero gradient.
    grad = xg.grad if xg.grad is not None else torch.zeros_like(x)
    m.eval()
    with torch.no_grad():
        ev = m(x.clone())
    return {
        "train": train.detach().cpu().numpy(),
        "train_again": train_again.detach().cpu().numpy(),
        "train_for_grad": y.detach().cpu().numpy(),
        "grad": grad.detach().cpu().numpy(),
        "eval": ev.detach().cpu().numpy(),
    }


def _close(a, b, rtol):
    return np.abs(a - b) <= rtol * np.abs(b)


def check(case, inputs, outputs):
    p = case["p"]
    rtol = RTOL[case["dtype"]]
    x, g = inputs["x"], inputs["g"]
    o = {k: np.asarray(v, dtype=np.float64) for k, v in outputs.items()}
    bad = [k for k, v in o.items() if not np.isfinite(v).all()]
    if bad:
        return [f"non-finite: NaN or inf in {', '.join(sorted(bad))} (p = {p})"]

    fails = []
    n = x.size
    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)

    # share of zeros, on the three training outputs pooled
    trains = [o["train"], o["train_again"], o["train_for_grad"]]
    zeros = sum(int((t == 0).sum()) for t in trains)
    frac = zeros / (3 * n)
    bound = SIGMAS * np.sqrt(p * (1.0 - p) / (3 * n))
    if abs(frac - p) > bound:
        fails.append(f"zero-fraction: {frac:.4f} of the training outputs are zero, expected "
                     f"p = {p} (within {bound:.4f})")

    # the survivors: exactly x / (1 - p) (at p = 1 there must be none: zero-fraction covers it)
    kept = [(t, t != 0) for t in trains] if p < 1.0 else []
    got = np.concatenate([t[k] for t, k in kept] + [np.zeros(0)])
    want = np.concatenate([(x * scale)[k] for t, k in kept] + [np.zeros(0)])
    xs = np.concatenate([x[k] for t, k in kept] + [np.zeros(0)])
    if got.size and not _close(got, want, rtol).all():
        wrong = ~_close(got, want, rtol)
        ratio = float(np.median(got[wrong] / xs[wrong]))
        if _close(got, xs, rtol).all():
            fails.append(f"survivors-not-rescaled: kept elements equal x; inverted dropout scales "
                         f"them by 1/(1-p) = {scale:.4g}")
        elif np.all(np.abs(got) < np.abs(xs)):
            fails.append(f"survivors-scaled-down: kept elements are x * {ratio:.4g}; they must be "
                         f"scaled up by 1/(1-p) = {scale:.4g}")
        else:
            fails.append(f"survivor-scale: kept elements are x * {ratio:.4g}, expected x / (1 - p)"
                         f" = x * {scale:.4g}")

    # a fresh mask per call
    if 0.0 < p < 1.0 and np.array_equal(o["train"] == 0, o["train_again"] == 0):
        fails.append("same-mask: two training calls dropped exactly the same elements; draw a "
                     "new mask on every call")

    if not _close(o["eval"], x, rtol).all():
        fails.append("eval-not-identity: in eval mode the output must be x itself")

    # d(sum(y * g))/dx = g * (the factor applied to each element: y / x)
    if not np.all(np.abs(o["grad"] - g * (o["train_for_grad"] / x))
                  <= rtol * np.abs(g) * max(scale, 1.0)):
        fails.append("backward-mask: the gradient is not g * mask / (1 - p) with the mask of the "
                     "forward pass")
    return fails
