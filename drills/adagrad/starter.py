# quizdl drill: adagrad
"""AdaGrad, written by hand as a torch.optim.Optimizer subclass.

Grade with: quizdl grade adagrad.py
"""

import torch


class Adagrad(torch.optim.Optimizer):
    """Same parameter updates as torch.optim.Adagrad (maximize=False, dense gradients).

    For every parameter p with p.grad not None, at its own step t = 1, 2, ... (counted per
    parameter, in self.state[p]):
        g    = p.grad + weight_decay * p                  (L2 penalty added to the gradient)
        lr_t = lr / (1 + (t - 1) * lr_decay)
        s    = s + g * g                                  (s starts at initial_accumulator_value)
        p    = p - lr_t * g / (sqrt(s) + eps)
    Parameters whose .grad is None are skipped: neither they nor their state change.

    lr, lr_decay, weight_decay and eps are read per parameter group (self.param_groups);
    initial_accumulator_value is the constructor's. Pass the defaults to
    super().__init__(params, defaults).

    All per-parameter state (s, the step count) lives in self.state[p], so that state_dict() /
    load_state_dict() carry it. p.grad belongs to the caller: never modify it in place.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 eps=1e-10):
        raise NotImplementedError

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        If closure is given, call it once, with gradients enabled, before the update, and return
        what it returned (otherwise return None).
        """
        raise NotImplementedError
