"""Grading harness for clip-loss: the loss and its gradients with respect to both embeddings and
logit_scale, for batches of 1 to 8 pairs, rows of very different norms, CLIP's initial scale
(1 / 0.07), scale 1 and its clipping maximum 100, float32 and float64.

image_emb and text_emb reach the function as results of earlier operations (not leaves), as they
do behind an encoder, so an in-place change is caught; logit_scale is a leaf parameter."""

import math

import numpy as np
import quizdl_contract as contract


def cases():
    out = []

    def add(name, group, dtype, seed, n, d, log_scale, norms=(1.0, 1.0), noise=0.8):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "n": n, "d": d,
                    "logit_scale": log_scale, "norms": list(norms), "noise": noise})

    init, scales, edge = "CLIP's initial scale (1 / 0.07)", "other scales", "edge cases"
    t07 = math.log(1 / 0.07)
    add("N=6 D=8 float64", init, "float64", 1, 6, 8, t07, norms=(0.2, 5.0))
    add("N=8 D=16 float32", init, "float32", 2, 8, 16, t07, norms=(0.5, 3.0))
    add("N=5 D=4, unit-norm rows float64", init, "float64", 3, 5, 4, t07)
    add("scale 1 (logit_scale 0) float64", scales, "float64", 4, 6, 6, 0.0, norms=(0.3, 4.0))
    # At scale 100 the pairs are barely related (noise 4): the softmax is not one-hot, so the
    # loss and its gradients (logit_scale's too) stay far from zero.
    add("scale 100 (CLIP's maximum) float32", scales, "float32", 5, 7, 8, math.log(100.0),
        norms=(0.5, 2.0), noise=4.0)
    add("scale 100 float64", scales, "float64", 6, 4, 12, math.log(100.0), norms=(1.0, 10.0),
        noise=4.0)
    add("N=1 float64", edge, "float64", 7, 1, 5, t07, norms=(0.5, 2.0))
    add("N=2 D=3 float32", edge, "float32", 8, 2, 3, 1.0, norms=(0.1, 8.0))
    return out


def _f32_exact(a):
    # Values exactly representable in float32, so float32 and float64 runs see the same inputs.
    return np.asarray(a, dtype=np.float32).astype(np.float64)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    n, d = case["n"], case["d"]
    lo, hi = case["norms"]
    text = rng.standard_normal((n, d))
    image = text + case["noise"] * rng.standard_normal((n, d))  # pairs correlate: the loss is not flat
    image *= rng.uniform(lo, hi, (n, 1)) / np.linalg.norm(image, axis=1, keepdims=True)
    text *= rng.uniform(lo, hi, (n, 1)) / np.linalg.norm(text, axis=1, keepdims=True)
    return {"image_emb": _f32_exact(image), "text_emb": _f32_exact(text),
            "logit_scale": _f32_exact(case["logit_scale"])}


def _grad(t, name):
    if t.grad is None:
        raise AssertionError(f"{name}.grad is None after backward(): no gradient reached {name}")
    return contract.numpy(t.grad)


def run(impl, case, inputs):
    import torch

    dtype = getattr(torch, case["dtype"])
    leaves = {k: torch.tensor(inputs[k], dtype=dtype, requires_grad=True) for k in ("image_emb", "text_emb")}
    image, text = (t.clone() for t in leaves.values())  # encoder outputs: not leaves
    logit_scale = torch.tensor(inputs["logit_scale"], dtype=dtype, requires_grad=True)
    args = {"image_emb": image, "text_emb": text, "logit_scale": logit_scale}
    before = contract.snapshot(**args)
    loss = impl.clip_loss(image, text, logit_scale)
    contract.unchanged(before, args, "clip_loss")
    loss = contract.tensor(loss, "clip_loss")
    if loss.numel() != 1:
        raise AssertionError(f"clip_loss returned a tensor of shape {tuple(loss.shape)}; return the scalar mean loss")
    if not loss.requires_grad:
        raise AssertionError("clip_loss returned a tensor without autograd history (computed under "
                             "torch.no_grad() or detached?): gradients cannot flow back")
    loss.reshape(()).backward()
    # A logit_scale used as a Python number (.item()) gets no gradient: graded as zeros, so that
    # the other outputs are still compared.
    d_scale = contract.numpy(logit_scale.grad) if logit_scale.grad is not None else np.zeros((), dtype=loss.detach().numpy().dtype)
    return {
        "loss": contract.numpy(loss).reshape(()),
        "d_image": _grad(leaves["image_emb"], "image_emb"),
        "d_text": _grad(leaves["text_emb"], "text_emb"),
        "d_logit_scale": d_scale,
    }
