# quizdl drill: lr-step
"""StepLR with int(), MultiStepLR with bisect_right over a sorted copy."""

from bisect import bisect_right


def step_lr(epoch, lr0, step_size, gamma=0.1):
    return lr0 * gamma ** int(epoch / step_size)


def multistep_lr(epoch, lr0, milestones, gamma=0.1):
    reached = bisect_right(sorted(milestones), epoch)
    return lr0 * gamma ** reached
