# quizdl drill: lr-natural-exp
"""Natural exponential learning-rate decay in plain Python (torch and scipy are blocked).

Grade with: quizdl grade lr_natural_exp.py
"""


def natural_exp_decay(step: int, lr0: float, gamma: float, decay_steps: int = 1,
                      staircase: bool = False) -> float:
    """The learning rate at `step` (an int >= 0): lr0 * exp(-gamma * step / decay_steps).

    gamma >= 0 is a decay rate (0 = no decay); with staircase=True the ratio step / decay_steps
    is rounded down to a whole number, so the rate drops in steps. Returns a float.
    """
    raise NotImplementedError
