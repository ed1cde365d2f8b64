# quizdl drill: adadelta
"""The Adadelta optimiser, written by hand as a torch.optim.Optimizer subclass.

Grade with: quizdl grade adadelta.py
"""

import torch


class Adadelta(torch.optim.Optimizer):
    """Same parameter updates as torch.optim.Adadelta (maximize=False).

    For every parameter p with p.grad not None, at every step:
        g = p.grad + weight_decay * p                  (L2 penalty added to the gradient)
        E[g^2] and E[dx^2]: exponential moving averages with decay rho, starting at zero
        dx = sqrt(E[dx^2] + eps) / sqrt(E[g^2] + eps) * g
        p = p - lr * dx
    (in which order the two averages are updated is part of the exercise).
    Parameters whose .grad is None are skipped: neither they nor their state change.

    Hyper-parameters are read per parameter group (self.param_groups), so a group may override
    lr, rho, eps or weight_decay. Pass the defaults to super().__init__(params, defaults).

    All per-parameter state (both averages, a step count) lives in self.state[p], so that
    state_dict() / load_state_dict() carry it. p.grad belongs to the caller: never modify it in place.
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0.0):
        raise NotImplementedError

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        If closure is given, call it once, with gradients enabled, before the update, and return
        what it returned (otherwise return None).
        """
        raise NotImplementedError
