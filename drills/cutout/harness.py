"""cutout harness: single images (C, H, W) and batches (N, C, H, W), float32 and float64, H != W,
odd and even sizes, centres inside the image, on the borders and in the corners (the square partly
outside), size 1 and a square larger than the image. Output `image` (C, H, W) or `batch`
(N, C, H, W)."""

import numpy as np
import quizdl_contract as contract

AXES = {"image": ["channel", "row", "column"], "batch": ["image", "channel", "row", "column"]}


def cases():
    out = []

    def add(group, shape, cy, cx, size, dtype="float64", seed=None):
        kind = "batch" if len(shape) == 4 else "image"
        name = f"{kind} {tuple(shape)} {dtype}: centre ({cy}, {cx}), size {size}"
        out.append({"name": name, "group": group, "dtype": dtype, "seed": seed if seed is not None else len(out) + 1,
                    "shape": shape, "cy": cy, "cx": cx, "size": size})

    g = "inside the image"
    add(g, [3, 9, 12], 4, 6, 3)
    add(g, [2, 10, 8], 5, 3, 4, "float32")
    add(g, [1, 12, 16], 6, 9, 5)
    add(g, [3, 11, 9], 3, 5, 2, "float32")
    g = "batches (N, C, H, W)"
    add(g, [2, 3, 8, 10], 3, 6, 3)
    add(g, [4, 2, 9, 7], 5, 2, 4, "float32")
    add(g, [3, 1, 6, 6], 0, 5, 3)
    g = "at the borders (clipped)"
    add(g, [2, 9, 12], 0, 0, 5)
    add(g, [2, 9, 12], 8, 11, 5, "float32")
    add(g, [1, 10, 8], 1, 7, 4)
    add(g, [3, 8, 11], 7, 1, 6)
    add(g, [2, 7, 9], 0, 4, 3, "float32")
    g = "size 1 and larger than the image"
    add(g, [2, 6, 7], 2, 5, 1)
    add(g, [2, 6, 7], 3, 3, 20)
    add(g, [1, 2, 5, 4], 1, 2, 9, "float32")
    return out


def make_inputs(case):
    rng = np.random.default_rng(case["seed"])
    images = rng.uniform(0.1, 2.0, size=tuple(case["shape"])) * rng.choice([-1.0, 1.0], size=tuple(case["shape"]))
    return {"images": images.astype(np.float32).astype(np.float64)}


def run(impl, case, inputs):
    images = inputs["images"].astype(np.dtype(case["dtype"]))
    before = contract.snapshot(images=images)
    result = impl.cutout(images, case["cy"], case["cx"], case["size"])
    contract.unchanged(before, {"images": images}, "cutout")
    result = contract.array(result, "cutout")
    return {"batch" if images.ndim == 4 else "image": result}
