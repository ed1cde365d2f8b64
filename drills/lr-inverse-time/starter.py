# quizdl drill: lr-inverse-time
"""Inverse time learning-rate decay in plain Python (torch and scipy are blocked).

Grade with: quizdl grade lr_inverse_time.py
"""


def inverse_time_decay(step: int, lr0: float, gamma: float, decay_steps: int = 1,
                       staircase: bool = False) -> float:
    """The learning rate at `step` (an int >= 0): lr0 / (1 + gamma * step / decay_steps).

    gamma >= 0 is the decay rate; with staircase=True the ratio step / decay_steps is rounded
    down to a whole number, so the rate drops in steps. Returns a float.
    """
    raise NotImplementedError
