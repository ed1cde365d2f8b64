"""sampling harness: top_k_filter (random logits, ties at the k-th value, k = 1 and k = V),
top_p_filter (cuts after 1, 3 and most tokens, ties in the sorted distribution, logits near
1000), and sample over a dozen u per case: temperature 1, 0.5 and 2, top-k, top-p and both,
temperature 0 with tied maxima, u = 0 with token 0 filtered out, u exactly on a cdf value.
Logits are float32-exact; p and random u keep a margin from every cumulative sum so float32 and
float64 pick the same tokens."""

import numpy as np
import quizdl_contract as contract

AXES = {"filtered": ["token"], "tokens": ["draw"]}


def cases():
    out = []

    def add(name, group, dtype, seed, kind, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind, **params})

    g = "top_k_filter"
    add("V 10, k 3", g, "float64", 1, "top_k", vocab=10, k=3)
    add("V 12, k 5, float32", g, "float32", 2, "top_k", vocab=12, k=5)
    add("ties at the k-th value", g, "float64", 3, "top_k", fixed=[1.0, 3.0, 2.0, 3.0, 0.0, 2.0, 2.0, -1.0], k=4)
    add("ties at the k-th value, float32", g, "float32", 4, "top_k",
        fixed=[0.5, -1.0, 0.5, 2.0, 0.5, 0.5, -3.0], k=3)
    add("k 1", g, "float64", 5, "top_k", vocab=9, k=1)
    add("k = V", g, "float32", 6, "top_k", vocab=7, k=7)
    g = "top_p_filter"
    add("V 10, keeps 3", g, "float64", 11, "top_p", vocab=10, keep=3)
    add("V 16, keeps 12, float32", g, "float32", 12, "top_p", vocab=16, keep=12)
    add("p below the top probability", g, "float64", 13, "top_p", vocab=8, keep=1)
    add("ties in the sorted distribution", g, "float64", 14, "top_p", fixed=[2.0, 1.0, 2.0, 0.0, 1.0, -1.0], keep=3)
    add("ties in the sorted distribution, float32", g, "float32", 15, "top_p",
        fixed=[0.0, 1.5, 0.0, 1.5, 0.0, -2.0, 0.0], keep=4)
    add("logits near 1000", g, "float64", 16, "top_p", vocab=10, keep=4, offset=1000.0)
    add("logits near 1000, float32", g, "float32", 17, "top_p", vocab=10, keep=5, offset=1000.0)
    g = "sample: temperature and the inverse CDF"
    add("temperature 1, V 8", g, "float64", 21, "sample", vocab=8)
    add("temperature 1, V 8, float32", g, "float32", 22, "sample", vocab=8)
    add("temperature 0.5", g, "float64", 23, "sample", vocab=10, temperature=0.5)
    add("temperature 2, float32", g, "float32", 24, "sample", vocab=10, temperature=2.0)
    add("u on a cdf value", g, "float64", 25, "sample", fixed=[0.0, 0.0, 0.0, 0.0], us=[0.25, 0.5, 0.75, 0.0, 0.6])
    add("u on a cdf value, float32", g, "float32", 26, "sample", fixed=[1.0, 1.0], us=[0.5, 0.0, 0.25, 0.75])
    add("sample, logits near 1000", g, "float64", 27, "sample", vocab=8, offset=1000.0)
    add("sample, logits near 1000, float32", g, "float32", 28, "sample", vocab=8, offset=1000.0, temperature=0.8)
    g = "sample: greedy (temperature 0)"
    add("greedy", g, "float64", 31, "sample", vocab=9, temperature=0.0)
    add("greedy, tied maxima, float32", g, "float32", 32, "sample",
        fixed=[0.5, 2.0, -1.0, 2.0, 2.0, 0.0], temperature=0.0)
    g = "sample: with top-k and top-p"
    add("top-k 4", g, "float64", 41, "sample", vocab=10, top_k=4)
    add("top-k 3, temperature 0.7, float32", g, "float32", 42, "sample", vocab=12, top_k=3, temperature=0.7)
    add("top-k 3, u = 0 (token 0 filtered out)", g, "float64", 43, "sample",
        fixed=[-2.0, 1.0, 0.5, -1.0, 2.0, 0.0], top_k=3, us=[0.0, 0.3, 0.95])
    add("top-p, keeps 4", g, "float64", 44, "sample", vocab=10, keep=4)
    add("top-p, keeps 2, temperature 2, float32", g, "float32", 45, "sample", vocab=8, keep=2, temperature=2.0)
    add("top-k 6 then top-p, temperature 0.8", g, "float64", 46, "sample", vocab=12, top_k=6, keep=3,
        temperature=0.8)
    add("top-k 5 then top-p, float32", g, "float32", 47, "sample", vocab=10, top_k=5, keep=2)
    return out


def _f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


def _top_k(z, k):
    keep = np.argsort(-z, kind="stable")[:k]
    out = np.full_like(z, -np.inf)
    out[keep] = z[keep]
    return out


def _p_between(z, keep):
    """A p whose sorted prefix of `keep` tokens is the first to reach it, far from every cum sum."""
    probs = _softmax(z)
    cum = np.cumsum(probs[np.argsort(-probs, kind="stable")])
    lo = cum[keep - 2] if keep >= 2 else 0.0
    return float((lo + cum[keep - 1]) / 2)


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if "fixed" in case:
        logits = np.array(case["fixed"], dtype=np.float64)
    else:
        logits = _f32(rng.normal(0.0, 2.0, size=case["vocab"]) + case.get("offset", 0.0))
    inputs = {"logits": logits}
    if case["kind"] == "top_p":
        inputs["p"] = np.array(_p_between(logits, case["keep"]))
    if case["kind"] != "sample":
        return inputs
    t = case.get("temperature", 1.0)
    z = logits / t if t else logits
    if case.get("top_k"):
        z = _top_k(z, case["top_k"])
    if case.get("keep"):
        p = _p_between(z, case["keep"])
        inputs["p"] = np.array(p)
        probs = _softmax(z)
        order = np.argsort(-probs, kind="stable")
        z = z.copy()
        z[order[case["keep"]:]] = -np.inf
    if "us" in case:
        inputs["u"] = np.array(case["us"], dtype=np.float64)
        return inputs
    cdf = np.cumsum(_softmax(z))
    us = []
    while len(us) < 12:
        u = float(rng.random())
        if np.min(np.abs(cdf - u)) > 1e-4:
            us.append(u)
    inputs["u"] = np.array(us)
    return inputs


def _token(value, what):
    if isinstance(value, np.ndarray) and value.ndim == 0:
        value = value[()]
    if isinstance(value, bool | np.bool_) or not isinstance(value, int | np.integer):
        raise contract.ContractError("wrong-type", f"{what} returned {type(value).__name__}; return the token "
                                     "index as an int")
    return int(value)


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    logits = inputs["logits"].astype(dtype)
    before = contract.snapshot(logits=logits)
    if case["kind"] == "top_k":
        out = contract.array(impl.top_k_filter(logits, case["k"]), "top_k_filter")
        contract.unchanged(before, {"logits": logits}, "top_k_filter")
        return {"filtered": out}
    if case["kind"] == "top_p":
        out = contract.array(impl.top_p_filter(logits, float(inputs["p"])), "top_p_filter")
        contract.unchanged(before, {"logits": logits}, "top_p_filter")
        return {"filtered": out}
    kwargs = {}
    if "temperature" in case:
        kwargs["temperature"] = case["temperature"]
    if case.get("top_k"):
        kwargs["top_k"] = case["top_k"]
    if "p" in inputs:
        kwargs["top_p"] = float(inputs["p"])
    tokens = [_token(impl.sample(logits, float(u), **kwargs), "sample") for u in inputs["u"]]
    contract.unchanged(before, {"logits": logits}, "sample")
    return {"tokens": np.array(tokens, dtype=np.int64)}
