"""prf1 harness: confusion matrices (repeated pairs, empty classes, one sample) and precision /
recall / F1 with average binary, macro, micro and weighted on balanced and imbalanced labels,
classes never predicted or never true (zero division), labels that occur only in y_pred and
label sets with gaps. Labels are int64 arrays; every call gets fresh copies."""

import numpy as np
import quizdl_contract as contract

AXES = {"confusion": ["true class", "predicted class"]}


def cases():
    out = []

    def add(name, group, seed, kind, **params):
        out.append({"name": name, "group": group, "dtype": "float64", "seed": seed, "kind": kind, **params})

    add("3 classes, 20 samples", "confusion matrix", 1, "cm", classes=3, n=20, noise=0.4)
    add("5 classes, 60 samples", "confusion matrix", 2, "cm", classes=5, n=60, noise=0.5)
    add("class 3 of 4 never occurs", "confusion matrix", 3, "cm", classes=4, n=25, noise=0.3, use=[0, 1, 2])
    add("one sample", "confusion matrix", 4, "cm", classes=3, n=1, noise=0.0)
    add("binary, 40 samples", "binary (positive class 1)", 11, "prf", average="binary", classes=2, n=40, noise=0.35)
    add("binary, default average", "binary (positive class 1)", 12, "prf", average=None, classes=2, n=30, noise=0.3)
    add("binary, imbalanced", "binary (positive class 1)", 13, "prf", average="binary", classes=2, n=50,
        noise=0.3, probs=[0.85, 0.15])
    add("macro, 4 classes, balanced", "macro", 21, "prf", average="macro", classes=4, n=60, noise=0.5)
    add("macro, 5 classes, imbalanced", "macro", 22, "prf", average="macro", classes=5, n=80, noise=0.4,
        probs=[0.5, 0.2, 0.15, 0.1, 0.05])
    add("micro, 4 classes, balanced", "micro", 31, "prf", average="micro", classes=4, n=60, noise=0.5)
    add("micro, 5 classes, imbalanced", "micro", 32, "prf", average="micro", classes=5, n=80, noise=0.4,
        probs=[0.5, 0.2, 0.15, 0.1, 0.05])
    add("weighted, 4 classes, balanced", "weighted", 41, "prf", average="weighted", classes=4, n=60, noise=0.5)
    add("weighted, 5 classes, imbalanced", "weighted", 42, "prf", average="weighted", classes=5, n=80, noise=0.4,
        probs=[0.5, 0.2, 0.15, 0.1, 0.05])
    add("binary, nothing predicted positive", "zero division", 51, "prf", average="binary", fixed="no-pred-pos")
    add("binary, no positive in y_true", "zero division", 52, "prf", average="binary", fixed="no-true-pos")
    add("macro, class 2 never predicted", "zero division", 53, "prf", average="macro", fixed="never-predicted")
    add("weighted, class 2 never predicted", "zero division", 54, "prf", average="weighted", fixed="never-predicted")
    add("macro, label 3 only in y_pred", "labels only in y_pred", 61, "prf", average="macro", fixed="pred-only")
    add("micro, label 3 only in y_pred", "labels only in y_pred", 63, "prf", average="micro", fixed="pred-only")
    add("macro, labels {0, 2, 5}", "labels with gaps", 71, "prf", average="macro", fixed="gaps")
    add("weighted, labels {1, 4}", "labels with gaps", 72, "prf", average="weighted", fixed="gaps2")
    add("macro, all correct", "perfect predictions", 81, "prf", average="macro", classes=3, n=12, noise=0.0)
    add("binary, all correct", "perfect predictions", 82, "prf", average="binary", classes=2, n=12, noise=0.0)
    return out


_FIXED = {
    "no-pred-pos": ([0, 1, 1, 0, 1, 0, 0], [0, 0, 0, 0, 0, 0, 0]),
    "no-true-pos": ([0, 0, 0, 0, 0, 0], [0, 1, 0, 1, 0, 0]),
    "never-predicted": ([0, 1, 2, 2, 0, 1, 2, 0, 1, 1], [0, 1, 1, 0, 0, 1, 1, 1, 0, 1]),
    "pred-only": ([0, 1, 2, 0, 1, 2, 0, 1, 2, 2], [0, 1, 3, 0, 2, 2, 3, 1, 2, 1]),
    "gaps": ([0, 2, 5, 5, 0, 2, 5, 0, 2, 2, 5], [0, 2, 5, 0, 0, 5, 5, 2, 2, 0, 5]),
    "gaps2": ([1, 4, 4, 1, 4, 4, 4, 1], [1, 4, 1, 1, 4, 1, 4, 4]),
}


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    if "fixed" in case:
        y_true, y_pred = _FIXED[case["fixed"]]
        return {"y_true": np.array(y_true, dtype=np.int64), "y_pred": np.array(y_pred, dtype=np.int64)}
    classes, n = case["classes"], case["n"]
    use = np.array(case.get("use", range(classes)))
    probs = case.get("probs")
    y_true = rng.choice(use, size=n, p=probs)
    y_pred = np.where(rng.random(size=n) < case["noise"], rng.choice(use, size=n), y_true)
    return {"y_true": y_true.astype(np.int64), "y_pred": y_pred.astype(np.int64)}


def run(impl, case, inputs):
    y_true, y_pred = inputs["y_true"].copy(), inputs["y_pred"].copy()
    before = contract.snapshot(y_true=y_true, y_pred=y_pred)
    if case["kind"] == "cm":
        cm = impl.confusion_matrix(y_true, y_pred, case["classes"])
        contract.unchanged(before, {"y_true": y_true, "y_pred": y_pred}, "confusion_matrix")
        cm = contract.array(cm, "confusion_matrix")
        if cm.dtype.kind not in "iu":
            contract.violation("wrong-dtype", f"confusion_matrix returned {cm.dtype} counts; return an integer array")
            if cm.dtype.kind == "f" and np.all(np.isfinite(cm)):
                cm = cm.astype(np.int64)
        return {"confusion": cm.astype(np.int64) if cm.dtype.kind in "iu" else cm}
    kwargs = {} if case["average"] is None else {"average": case["average"]}
    result = impl.precision_recall_f1(y_true, y_pred, **kwargs)
    contract.unchanged(before, {"y_true": y_true, "y_pred": y_pred}, "precision_recall_f1")
    if not isinstance(result, tuple | list) or len(result) != 3:
        raise AssertionError(f"precision_recall_f1 returned {type(result).__name__}; return a tuple (precision, recall, f1)")
    names = ("precision", "recall", "f1")
    return {k: contract.array(v, f"precision_recall_f1's {k}", scalar=True, dtype=np.float64).astype(np.float64)
            for k, v in zip(names, result, strict=True)}
