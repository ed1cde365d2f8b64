"""sinusoidal-pe harness: tables for even and odd d_model (odd: the table for d_model + 1 without
its last column), d_model 1 and 2, one position, long sequences, base other than 10000. No array
inputs: every case is float64 and the table must be float64."""

import quizdl_contract as contract


class ShapeError(AssertionError):
    """An output of the wrong shape (its own type, so a diagnosis can match it)."""


AXES = {"pe": ["position", "dimension"]}


def cases():
    out = []

    def add(name, group, length, d_model, base=None):
        out.append({"name": name, "group": group, "dtype": "float64", "seed": 0,
                    "length": length, "d_model": d_model, "base": base})

    g = "even d_model"
    add("length 16, d_model 8", g, 16, 8)
    add("length 50, d_model 32", g, 50, 32)
    add("length 128, d_model 64", g, 128, 64)
    add("d_model 2", g, 12, 2)
    g = "odd d_model"
    add("length 10, d_model 7", g, 10, 7)
    add("length 40, d_model 15", g, 40, 15)
    add("d_model 1", g, 6, 1)
    g = "edge lengths"
    add("one position", g, 1, 8)
    add("2048 positions, d_model 16", g, 2048, 16)
    g = "other bases"
    add("base 2000, d_model 12", g, 30, 12, base=2000.0)
    add("base 500000, d_model 16", g, 64, 16, base=500000.0)
    add("base 10, d_model 9", g, 20, 9, base=10.0)
    return out


def make_inputs(case):
    return {}


def run(impl, case, inputs):
    kwargs = {} if case["base"] is None else {"base": case["base"]}
    pe = contract.array(impl.sinusoidal_positions(case["length"], case["d_model"], **kwargs),
                        "sinusoidal_positions")
    want = (case["length"], case["d_model"])
    if pe.shape != want:
        raise ShapeError(f"sinusoidal_positions({case['length']}, {case['d_model']}) returned shape "
                         f"{pe.shape}; expected {want} (length, d_model)")
    return {"pe": pe}
