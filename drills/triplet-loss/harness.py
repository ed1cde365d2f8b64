"""Grading harness for triplet-loss: triplet_margin_loss against F.triplet_margin_loss (margins,
p-norms 1, 2, 3, eps, swap) and the batch-hard loss on small clustered batches (every label at
least twice, some anchors with zero loss, no two equal embeddings); the loss and the gradients
with respect to every input, float32 and float64."""

import numpy as np
import quizdl_contract as contract


def cases():
    out = []

    def add(name, group, dtype, seed, kind, **kw):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind, **kw})

    tml, swap, hard = "triplet_margin_loss", "triplet_margin_loss, swap=True", "batch_hard_triplet_loss"
    add("defaults, N=8 D=5 float64", tml, "float64", 1, "triplet", n=8, d=5)
    add("margin 0.5, p=1, N=10 D=4 float32", tml, "float32", 2, "triplet", n=10, d=4,
        margin=0.5, p_norm=1)
    add("p=3, eps=1e-3, N=6 D=6 float64", tml, "float64", 3, "triplet", n=6, d=6, margin=1.5,
        p_norm=3, eps=1e-3)
    add("eps=1e-2, N=8 D=3 float32", tml, "float32", 4, "triplet", n=8, d=3, margin=0.8, eps=1e-2)
    add("swap, N=10 D=4 float64", swap, "float64", 5, "triplet", n=10, d=4, swap=True)
    add("swap, p=1, margin 2, N=8 D=5 float32", swap, "float32", 6, "triplet", n=8, d=5,
        margin=2.0, p_norm=1, swap=True)
    add("swap, p=3, eps=1e-3, N=6 D=3 float64", swap, "float64", 7, "triplet", n=6, d=3,
        margin=0.6, p_norm=3, eps=1e-3, swap=True)
    add("4 identities x 2, margin 0.3 float64", hard, "float64", 8, "batch",
        labels=[0, 0, 1, 1, 2, 2, 3, 3], d=4, margin=0.3)
    add("3 identities x 4, margin 1 float32", hard, "float32", 9, "batch",
        labels=[0, 1, 2] * 4, d=6, margin=1.0)
    add("2 identities x 3, margin 1.5 float64", hard, "float64", 10, "batch",
        labels=[1, 0, 1, 0, 1, 0], d=3, margin=1.5)
    add("uneven identities (2, 3, 4), margin 0.2 float64", hard, "float64", 11, "batch",
        labels=[5, 7, 7, 9, 9, 9, 5, 7, 9], d=5, margin=0.2)
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    d = case["d"]
    if case["kind"] == "triplet":
        n = case["n"]
        a = rng.standard_normal((n, d))
        p = a + 0.5 * rng.standard_normal((n, d))
        # negatives at very different distances: some triplets are satisfied (zero loss), some not
        n_ = a + rng.standard_normal((n, d)) * rng.uniform(0.2, 1.5, (n, 1))
        return {"a": _f32_exact(a), "p": _f32_exact(p), "n": _f32_exact(n_)}
    labels = np.asarray(case["labels"], dtype=np.int64)
    centres = {c: rng.standard_normal(d) * 1.2 for c in sorted(set(case["labels"]))}
    emb = np.stack([centres[c] for c in labels]) + 0.5 * rng.standard_normal((len(labels), d))
    return {"emb": _f32_exact(emb), "labels": labels}


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return contract.numpy(t.grad)


def _scalar(loss, what):
    loss = contract.tensor(loss, what)
    if loss.numel() != 1:
        raise AssertionError(f"{what} returned a tensor of shape {tuple(loss.shape)}; return the scalar mean loss")
    if not loss.requires_grad:
        raise AssertionError(f"{what} returned a tensor without autograd history (computed under "
                             "torch.no_grad() or detached?): gradients cannot flow back")
    loss.reshape(()).backward()
    return contract.numpy(loss).reshape(())


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    if case["kind"] == "triplet":
        leaves = {k: torch.tensor(inputs[k], dtype=dtype, requires_grad=True) for k in "apn"}
        args = {k: t.clone() for k, t in leaves.items()}  # embeddings of a network: not leaves
        kwargs = {k: case[k] for k in ("margin", "p_norm", "eps", "swap") if k in case}
        before = contract.snapshot(**args)
        loss = impl.triplet_margin_loss(args["a"], args["p"], args["n"], **kwargs)
        contract.unchanged(before, args, "triplet_margin_loss")
        return {"loss": _scalar(loss, "triplet_margin_loss"), "da": _grad(leaves["a"], "a"),
                "dp": _grad(leaves["p"], "p"), "dn": _grad(leaves["n"], "n")}
    leaf = torch.tensor(inputs["emb"], dtype=dtype, requires_grad=True)
    emb = leaf.clone()
    labels = torch.as_tensor(inputs["labels"])
    before = contract.snapshot(emb=emb, labels=labels)
    loss = impl.batch_hard_triplet_loss(emb, labels, case["margin"])
    contract.unchanged(before, {"emb": emb, "labels": labels}, "batch_hard_triplet_loss")
    return {"loss": _scalar(loss, "batch_hard_triplet_loss"), "d_emb": _grad(leaf, "emb")}


def builtin():
    """torch's F.triplet_margin_loss, and batch-hard mining on torch.cdist: the float32 yardstick."""
    import types

    import torch
    import torch.nn.functional as F  # noqa: N812

    def triplet_margin_loss(a, p, n, margin=1.0, p_norm=2, eps=1e-6, swap=False):
        return F.triplet_margin_loss(a, p, n, margin=margin, p=p_norm, eps=eps, swap=swap)

    def batch_hard_triplet_loss(emb, labels, margin):
        dist = torch.cdist(emb, emb)
        same = labels[:, None] == labels[None, :]
        eye = torch.eye(len(labels), dtype=torch.bool)
        pos = torch.where(same & ~eye, dist, -torch.inf).amax(dim=1)
        neg = torch.where(~same, dist, torch.inf).amin(dim=1)
        return torch.relu(pos - neg + margin).mean()

    return types.SimpleNamespace(triplet_margin_loss=triplet_margin_loss,
                                 batch_hard_triplet_loss=batch_hard_triplet_loss)
