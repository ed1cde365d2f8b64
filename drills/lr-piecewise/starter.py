# quizdl drill: lr-piecewise
"""Piecewise constant learning-rate schedule in plain Python (torch and scipy are blocked).

Grade with: quizdl grade lr_piecewise.py
"""


def piecewise_constant(step: int, boundaries: list[int], values: list[float]) -> float:
    """The learning rate at `step` (an int >= 0).

    boundaries: strictly increasing ints b_0 < b_1 < ... < b_{k-1};
    values: k + 1 floats. The schedule uses values[0] before b_0, values[i] between b_{i-1} and
    b_i, values[k] after b_{k-1}; the value changes AT each boundary, as MultiStepLR does
    (step == b_i already uses values[i + 1]). Returns a float; the lists are the caller's:
    do not modify them.
    """
    raise NotImplementedError
