"""Grading harness for dropout: graded by properties (the masks are random), never by a seed.

run() drives one module through: two training calls on the same x (train, train_again), a third
training call whose output is back-propagated with upstream gradient g (train_for_grad, grad), and a
call in eval mode (eval). Around every call it checks the contract: the output is a torch.Tensor,
the caller's x is left alone; the grader compares each output's dtype with the reference's.

check() then measures, and every failure id names what it measured (the diagnosis compares these
ids, so it can never say something else than the line it explains):

    non-finite                 a training output or the gradient holds NaN or inf (then only eval
                               mode is checked besides)
    zero-fraction-is-keep-prob the share of zeros in training is 1 - p instead of p
    all-zero                   every training output is zero although p < 1
    no-zeros                   no training output is zero although p > 0
    zero-fraction              the share of zeros is neither p nor 1 - p (6-sigma binomial bound)
    survivors-not-rescaled     the kept elements are x * 1
    survivors-times-keep-prob  the kept elements are x * (1 - p)
    survivors-times-p          the kept elements are x * p
    survivors-halved           the kept elements are x * 0.5 at p = 0.5 (there p = 1 - p)
    survivors-divided-by-p     the kept elements are x / p
    survivor-scale             the kept elements are x times another factor, or several factors
    same-mask                  two training calls dropped exactly the same elements
    eval-times-keep-prob       eval mode returns x * (1 - p) (vanilla dropout's test factor)
    eval-not-identity          eval mode returns something else than x (zeros, NaN, ...)
                               (eval mode is checked for p < 1)
    backward-mask              the gradient is not g * (the factor the forward pass applied), p < 1
"""

import numpy as np
import quizdl_contract as contract

RTOL = {"float32": 1e-5, "float64": 1e-12}
SIGMAS = 6.0


def cases():
    out = []

    def add(name, group, dtype, seed, p, shape):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "p": p,
                    "shape": list(shape)})

    train, shapes, edge = "training, eval and backward", "any shape", "p = 0 and p = 1"
    add("p=0.2 (50, 80) float64", train, "float64", 1, 0.2, (50, 80))
    add("p=0.2 (50, 80) float32", train, "float32", 2, 0.2, (50, 80))
    add("p=0.7 (40, 100) float64", train, "float64", 3, 0.7, (40, 100))
    add("p=0.5 (50, 60) float32", train, "float32", 4, 0.5, (50, 60))
    add("p=0.3 (5, 10, 60) float32", shapes, "float32", 5, 0.3, (5, 10, 60))
    add("p=0.1 (2, 3, 20, 25) float64", shapes, "float64", 6, 0.1, (2, 3, 20, 25))
    add("p=0.4 (4000,) float64", shapes, "float64", 7, 0.4, (4000,))
    add("p=0 float64", edge, "float64", 8, 0.0, (40, 50))
    add("p=1 float32", edge, "float32", 9, 1.0, (40, 50))
    add("p=1 float64", edge, "float64", 10, 1.0, (40, 50))
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


def _forward(m, x):
    """m(x) on the caller's x, checked: x left alone, a torch.Tensor returned."""
    before = contract.snapshot(x=x)
    y = m(x)
    contract.unchanged(before, {"x": x}, "forward")
    return contract.tensor(y, "forward")


def run(impl, case, inputs):
    import torch

    torch.manual_seed(case["seed"])  # reproducible runs; the checks never depend on the mask drawn
    dtype = getattr(torch, case["dtype"])
    x = torch.tensor(inputs["x"], dtype=dtype)
    m = contract.construct(lambda: impl.Dropout(p=case["p"]), "Dropout")
    m.train()
    train = _forward(m, x.clone())
    train_again = _forward(m, x.clone())
    # In a network dropout's input is an activation, not a leaf: give it one step of history.
    leaf = x.clone().requires_grad_(True)
    y = _forward(m, leaf.clone())
    if y.requires_grad:
        (y * torch.tensor(inputs["g"], dtype=dtype)).sum().backward()
    # An output cut off from x (e.g. a fresh zeros tensor at p = 1) has a zero gradient.
    grad = leaf.grad if leaf.grad is not None else torch.zeros_like(x)
    m.eval()
    with torch.no_grad():
        ev = _forward(m, x.clone())
    return {
        "train": contract.numpy(train),
        "train_again": contract.numpy(train_again),
        "train_for_grad": contract.numpy(y),
        "grad": contract.numpy(grad),
        "eval": contract.numpy(ev),
    }


def _close(a, b, rtol):
    return np.abs(a - b) <= rtol * np.abs(b)


def _zero_fraction(p, frac, n):
    """The failure (if any) for `frac` zeros among `n` training outputs (p is the drop rate)."""

    def near(q):
        return abs(frac - q) <= SIGMAS * np.sqrt(q * (1.0 - q) / n)

    if near(p):
        return None
    if frac == 1.0:
        return f"all-zero: every training output is zero, expected a share p = {p} of zeros"
    if frac == 0.0:
        return f"no-zeros: no training output is zero, expected a share p = {p} of zeros"
    if near(1.0 - p):
        return (f"zero-fraction-is-keep-prob: {frac:.4f} of the training outputs are zero, that is "
                f"1 - p = {1.0 - p:.4g}; expected p = {p} (p is the drop probability)")
    bound = SIGMAS * np.sqrt(p * (1.0 - p) / n)
    return (f"zero-fraction: {frac:.4f} of the training outputs are zero, expected p = {p} "
            f"(within {bound:.4f})")


def _survivor_scale(p, got, xs, rtol):
    """The failure (if any) for kept values `got` of inputs `xs`: which factor was applied."""
    want = 1.0 / (1.0 - p)
    factors = got / xs
    if np.all(_close(factors, want, rtol)):
        return None
    lo, hi = float(factors.min()), float(factors.max())
    expected = f"inverted dropout scales them by 1 / (1 - p) = {want:.4g}"
    if not np.all(_close(factors, np.median(factors), rtol)):
        return (f"survivor-scale: kept elements are x times factors from {lo:.4g} to {hi:.4g}, not one "
                f"factor; {expected}")
    named = [(cid, name, value) for cid, name, value in (
        ("survivors-not-rescaled", "x * 1 (not rescaled)", 1.0),
        ("survivors-times-keep-prob", "x * (1 - p)", 1.0 - p),
        ("survivors-times-p", "x * p", p),
        ("survivors-divided-by-p", "x / p", 1.0 / p if p > 0 else np.inf),
    ) if np.all(_close(factors, value, rtol))]
    if len(named) > 1:  # p = 0.5: p and 1 - p coincide
        return (f"survivors-halved: kept elements are x * {lo:.4g}, which is both x * p and x * (1 - p) "
                f"at p = {p}; {expected}")
    if named:
        cid, name, _ = named[0]
        return f"{cid}: kept elements are {name} = x * {lo:.4g}; {expected}"
    return f"survivor-scale: kept elements are x * {lo:.4g}; {expected}"


def _eval(p, ev, x, rtol):
    if np.all(_close(ev, x, rtol)):
        return None
    if p < 1.0 and np.all(_close(ev, x * (1.0 - p), rtol)):
        return (f"eval-times-keep-prob: in eval mode the output is x * (1 - p) = x * {1.0 - p:.4g}; "
                f"inverted dropout returns x itself")
    if not np.isfinite(ev).all():
        seen = "holds NaN or inf"
    elif (ev == 0).any():
        seen = f"has {float(np.mean(ev == 0)):.4f} zeros"
    else:
        seen = "differs from x"
    return f"eval-not-identity: in eval mode the output {seen}; it must be x itself (check self.training)"


def check(case, inputs, outputs):
    p = case["p"]
    rtol = RTOL[case["dtype"]]
    x, g = inputs["x"], inputs["g"]
    o = {k: np.asarray(v, dtype=np.float64) for k, v in outputs.items()}
    # eval mode is measured on its own, so a NaN in training does not hide it (nor the reverse).
    # Not at p = 1: there a module that keeps everything (p taken as the keep probability) would
    # hide dropout left on in eval mode, and the p < 1 cases check eval mode anyway.
    fails = [_eval(p, o["eval"], x, rtol) if p < 1.0 else None]
    bad = [k for k in ("train", "train_again", "train_for_grad", "grad") if not np.isfinite(o[k]).all()]
    if bad:
        fails.append(f"non-finite: NaN or inf in {', '.join(bad)} (p = {p})")
        return [f for f in fails if f]

    scale = 0.0 if p == 1.0 else 1.0 / (1.0 - p)

    # share of zeros, on the three training outputs pooled
    trains = [o["train"], o["train_again"], o["train_for_grad"]]
    zeros = sum(int((t == 0).sum()) for t in trains)
    fails.append(_zero_fraction(p, zeros / (3 * x.size), 3 * x.size))

    # the survivors: exactly x / (1 - p) (at p = 1 there must be none: the zero share covers it)
    if p < 1.0:
        kept = [t != 0 for t in trains]
        got = np.concatenate([t[k] for t, k in zip(trains, kept, strict=True)])
        xs = np.concatenate([x[k] for k in kept])
        if got.size:
            fails.append(_survivor_scale(p, got, xs, rtol))

    # a fresh mask per call
    if 0.0 < p < 1.0 and np.array_equal(o["train"] == 0, o["train_again"] == 0):
        fails.append("same-mask: two training calls dropped exactly the same elements; draw a "
                     "new mask on every call")

    # d(sum(y * g))/dx = g * (the factor applied to each element: y / x). Not at p = 1, where the
    # right output is zero whatever its graph (a module keeping everything there would otherwise
    # reveal a cut-off graph that the p < 1 cases report anyway); a NaN gradient is caught above.
    want = g * (o["train_for_grad"] / x)
    if p < 1.0 and not np.all(np.abs(o["grad"] - want) <= rtol * np.abs(g) * max(scale, 1.0)):
        if not o["grad"].any():
            fails.append("backward-mask: no gradient reaches x (is the output cut off from x's graph: "
                         "x.detach(), x.data, torch.no_grad()?); expected g * mask / (1 - p)")
        else:
            fails.append("backward-mask: the gradient is not g * mask / (1 - p) with the mask of the "
                         "forward pass")
    return [f for f in fails if f]
