"""iou-nms harness: box_iou on random boxes, disjoint and touching boxes, nested and identical
boxes, zero-area boxes (lines, points, two of them: union 0); nms on clusters of boxes with
thresholds 0.25 to 0.7, tied scores, an IoU exactly at the threshold, a suppression chain
(A suppresses B, B alone would suppress C), zero-area boxes, one box and none. Coordinates are
float32-exact (integers where thresholds matter), so both precisions decide alike. nms's kept
indices are compared padded with -1 to the number of boxes."""

import numpy as np
import quizdl_contract as contract

AXES = {"iou": ["box in a", "box in b"], "keep": ["rank"]}


class ShapeError(AssertionError):
    """An output of the wrong shape (its own type, so a diagnosis can match it)."""


def cases():
    out = []

    def add(name, group, dtype, seed, kind, **params):
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed, "kind": kind, **params})

    g = "box_iou"
    add("random boxes (5, 7)", g, "float64", 1, "iou", n=5, m=7)
    add("random boxes (6, 4), float32", g, "float32", 2, "iou", n=6, m=4)
    add("random boxes (8, 8), same set", g, "float64", 3, "iou", n=8, m=8, same=True)
    g = "box_iou: disjoint, nested, identical"
    add("disjoint and touching", g, "float64", 4, "iou", fixed="disjoint")
    add("disjoint and touching, float32", g, "float32", 5, "iou", fixed="disjoint")
    add("nested and identical", g, "float64", 6, "iou", fixed="nested")
    g = "box_iou: zero-area boxes"
    add("lines and points", g, "float64", 7, "iou", fixed="degenerate")
    add("lines and points, float32", g, "float32", 8, "iou", fixed="degenerate")
    g = "nms"
    add("3 clusters, threshold 0.5", g, "float64", 11, "nms", clusters=3, per=4, threshold=0.5)
    add("4 clusters, threshold 0.3, float32", g, "float32", 12, "nms", clusters=4, per=4, threshold=0.3)
    add("2 clusters, threshold 0.7", g, "float64", 13, "nms", clusters=2, per=6, threshold=0.7)
    add("5 clusters, threshold 0.45, float32", g, "float32", 14, "nms", clusters=5, per=3, threshold=0.45)
    g = "nms: ties, the threshold, chains"
    add("tied scores", g, "float64", 21, "nms", clusters=3, per=4, threshold=0.4, ties=True)
    add("tied scores, float32", g, "float32", 22, "nms", clusters=2, per=5, threshold=0.5, ties=True)
    add("IoU exactly 0.5 at threshold 0.5", g, "float64", 23, "nms", fixed="at-threshold", threshold=0.5)
    add("IoU exactly 0.25 at threshold 0.25, float32", g, "float32", 24, "nms", fixed="at-threshold",
        threshold=0.25)
    add("suppression chain", g, "float64", 25, "nms", fixed="chain", threshold=0.4)
    g = "nms: edge cases"
    add("zero-area boxes", g, "float64", 31, "nms", fixed="nms-degenerate", threshold=0.5)
    add("one box", g, "float32", 32, "nms", fixed="one", threshold=0.5)
    add("no boxes", g, "float64", 33, "nms", fixed="none", threshold=0.5)
    return out


_FIXED = {
    "disjoint": ([[0, 0, 2, 2], [5, 5, 7, 8], [0, 3, 4, 6]],
                 [[2, 0, 4, 2], [3, 3, 4, 4], [2, 2, 3, 3], [-3, -2, -1, 0], [6, 0, 9, 4]]),
    "nested": ([[0, 0, 4, 4], [1, 1, 3, 3], [0.5, 0.25, 2.5, 3.75]],
               [[0, 0, 4, 4], [1, 1, 3, 3], [0.5, 0.25, 2.5, 3.75], [-1, -1, 5, 5]]),
    "degenerate": ([[1, 1, 1, 4], [2, 2, 2, 2], [0, 0, 3, 3], [1, 2, 3, 2]],
                   [[1, 1, 1, 4], [2, 2, 2, 2], [1, 2, 3, 2], [0, 0, 3, 3], [1, 0, 1, 5]]),
    # boxes, scores: box 1 lies in box 0 with half its area (IoU 0.5); box 3 covers a quarter of box 2
    "at-threshold": ([[0, 0, 10, 10], [0, 0, 10, 5], [20, 0, 30, 10], [20, 0, 25, 5], [40, 0, 44, 4]],
                     [0.9, 0.8, 0.7, 0.6, 0.5]),
    # IoU(A, B) = 60/140, IoU(B, C) = 60/140, IoU(A, C) = 20/180
    "chain": ([[0, 0, 10, 10], [4, 0, 14, 10], [8, 0, 18, 10], [30, 30, 32, 33]], [0.9, 0.8, 0.7, 0.6]),
    "nms-degenerate": ([[0, 0, 10, 10], [5, 5, 5, 9], [5, 5, 5, 9], [1, 1, 10, 10], [3, 3, 3, 3]],
                       [0.5, 0.9, 0.8, 0.4, 0.7]),
    "one": ([[1, 2, 3, 4]], [0.3]),
    "none": (np.zeros((0, 4)), np.zeros(0)),
}


def _f32(a):
    return np.asarray(a, dtype=np.float64).astype(np.float32).astype(np.float64)


def _random_boxes(rng, n):
    xy = rng.uniform(0.0, 10.0, size=(n, 2))
    wh = rng.uniform(0.5, 6.0, size=(n, 2))
    return _f32(np.concatenate([xy, xy + wh], axis=1))


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if case["kind"] == "iou":
        if "fixed" in case:
            a, b = _FIXED[case["fixed"]]
            return {"a": np.array(a, dtype=np.float64).reshape(-1, 4), "b": np.array(b, dtype=np.float64).reshape(-1, 4)}
        a = _random_boxes(rng, case["n"])
        return {"a": a, "b": a.copy() if case.get("same") else _random_boxes(rng, case["m"])}
    if "fixed" in case:
        boxes, scores = _FIXED[case["fixed"]]
        return {"boxes": np.array(boxes, dtype=np.float64).reshape(-1, 4), "scores": _f32(scores)}
    boxes = []
    for _ in range(case["clusters"]):  # integer boxes jittered around a centre
        cx, cy = rng.integers(10, 90, size=2)
        for _ in range(case["per"]):
            w, h = rng.integers(6, 16, size=2)
            x, y = cx + rng.integers(-4, 5) - w // 2, cy + rng.integers(-4, 5) - h // 2
            boxes.append([x, y, x + w, y + h])
    n = len(boxes)
    if case.get("ties"):
        scores = rng.choice([0.25, 0.5, 0.75, 0.875], size=n)
    else:
        scores = _f32(rng.permutation(n) / n + rng.uniform(0.0, 0.5 / n, size=n))
    return {"boxes": np.array(boxes, dtype=np.float64), "scores": np.asarray(scores, dtype=np.float64)}


def run(impl, case, inputs):
    dtype = np.dtype(case["dtype"])
    if case["kind"] == "iou":
        a, b = inputs["a"].astype(dtype), inputs["b"].astype(dtype)
        before = contract.snapshot(a=a, b=b)
        iou = contract.array(impl.box_iou(a, b), "box_iou")
        contract.unchanged(before, {"a": a, "b": b}, "box_iou")
        if iou.shape != (len(a), len(b)):
            raise ShapeError(f"box_iou(a, b) returned shape {iou.shape}; expected {(len(a), len(b))} (N, M)")
        return {"iou": iou}
    boxes, scores = inputs["boxes"].astype(dtype), inputs["scores"].astype(dtype)
    before = contract.snapshot(boxes=boxes, scores=scores)
    keep = impl.nms(boxes, scores, case["threshold"])
    if isinstance(keep, list | tuple):  # recorded, then compared anyway (so other mistakes still show)
        contract.violation("wrong-type", f"nms returned a {type(keep).__name__}; return an int64 numpy array")
        keep = np.asarray(keep, dtype=np.int64).reshape(-1)
    keep = contract.array(keep, "nms")
    contract.unchanged(before, {"boxes": boxes, "scores": scores}, "nms")
    if keep.dtype != np.int64:
        contract.violation("wrong-dtype", f"nms returned indices of dtype {keep.dtype}; return int64 indices")
    n = len(boxes)
    if keep.ndim != 1 or len(keep) > n:
        raise ShapeError(f"nms returned shape {keep.shape}; expected a 1-D array of at most {n} indices")
    padded = np.full(n, -1, dtype=np.int64)
    padded[:len(keep)] = keep
    return {"keep": padded}
