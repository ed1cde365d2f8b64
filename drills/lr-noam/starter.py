# quizdl drill: lr-noam
"""The Noam learning-rate schedule of the original Transformer as a plain function of the step
(no torch, no scipy).

Grade with: quizdl grade lr_noam.py
"""


def noam(step: int, d_model: int, warmup_steps: int, factor: float = 1.0) -> float:
    """The learning rate at optimizer step `step` (an integer >= 0) of the schedule in
    "Attention Is All You Need" (Vaswani et al. 2017, section 5.3), scaled by `factor`: a linear
    warm-up for `warmup_steps` steps, then decay with the inverse square root of the step. At
    step 0 it is 0.0. Returns a float (float64)."""
    raise NotImplementedError
