# quizdl drill: lr-exponential
"""Exponential decay through exp/log, periods counted with // when staircase."""

import math


def exponential_decay(step, lr0, gamma, decay_steps=1, staircase=False):
    periods = step // decay_steps if staircase else step / decay_steps
    return lr0 * math.exp(periods * math.log(gamma))
