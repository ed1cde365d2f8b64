# quizdl drill: lr-polynomial
"""Polynomial learning-rate decay with TensorFlow's `cycle`, in plain Python (torch is blocked).

Grade with: quizdl grade lr_polynomial.py
"""


def polynomial_decay(step: int, lr0: float, decay_steps: int, end_lr: float = 0.0,
                     power: float = 1.0, cycle: bool = False) -> float:
    """The learning rate at `step` (an int >= 0): (lr0 - end_lr) * (1 - step / T) ** power + end_lr.

    cycle=False: the step is clipped to T = decay_steps, so the rate stays at end_lr afterwards.
    cycle=True: T is the first multiple of decay_steps that is >= step (step 0 uses T =
    decay_steps), so the rate jumps up after each multiple and decays again. Returns a float.
    """
    raise NotImplementedError
