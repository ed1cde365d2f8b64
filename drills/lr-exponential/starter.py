# quizdl drill: lr-exponential
"""Exponential learning-rate decay in plain Python (torch and scipy are blocked).

Grade with: quizdl grade lr_exponential.py
"""


def exponential_decay(step: int, lr0: float, gamma: float, decay_steps: int = 1,
                      staircase: bool = False) -> float:
    """The learning rate at `step` (an int >= 0): lr0 * gamma ** (step / decay_steps).

    gamma is the factor applied every decay_steps steps (0 < gamma <= 1); with staircase=True the
    exponent step / decay_steps is rounded down to a whole number, so the rate drops in steps.
    Returns a float.
    """
    raise NotImplementedError
