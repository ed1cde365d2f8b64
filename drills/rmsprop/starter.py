# quizdl drill: rmsprop
"""The RMSprop optimiser, written by hand as a torch.optim.Optimizer subclass.

Grade with: quizdl grade rmsprop.py
"""

import torch


class RMSprop(torch.optim.Optimizer):
    """Same parameter updates as torch.optim.RMSprop (maximize=False).

    For every parameter p with p.grad not None, at every step:
        g = p.grad + weight_decay * p                  (L2 penalty added to the gradient)
        v = alpha * v + (1 - alpha) * g * g            (v starts at zero)
        centered=False: d = sqrt(v) + eps
        centered=True:  m = alpha * m + (1 - alpha) * g,  d = sqrt(v - m * m) + eps
        momentum == 0:  p = p - lr * g / d
        momentum > 0:   b = momentum * b + g / d,  p = p - lr * b
    Parameters whose .grad is None are skipped: neither they nor their state change.

    Hyper-parameters are read per parameter group (self.param_groups), so a group may override
    any of them. Pass the defaults to super().__init__(params, defaults).

    All per-parameter state (v, m, b, a step count) lives in self.state[p], so that state_dict() /
    load_state_dict() carry it. p.grad belongs to the caller: never modify it in place.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        raise NotImplementedError

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        If closure is given, call it once, with gradients enabled, before the update, and return
        what it returned (otherwise return None).
        """
        raise NotImplementedError
