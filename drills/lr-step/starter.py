# quizdl drill: lr-step
"""Step and multi-step learning-rate decay (StepLR, MultiStepLR) in plain Python (torch is blocked).

Grade with: quizdl grade lr_step.py
"""


def step_lr(epoch: int, lr0: float, step_size: int, gamma: float = 0.1) -> float:
    """The learning rate of StepLR(step_size, gamma) at `epoch` (an int >= 0, the number of
    scheduler.step() calls so far): lr0 decayed by gamma once every step_size epochs."""
    raise NotImplementedError


def multistep_lr(epoch: int, lr0: float, milestones: list[int], gamma: float = 0.1) -> float:
    """The learning rate of MultiStepLR(milestones, gamma) at `epoch`: lr0 decayed by gamma once
    for each milestone reached. `milestones`: distinct ints in any order (may be empty); it is
    the caller's list: do not modify it."""
    raise NotImplementedError
