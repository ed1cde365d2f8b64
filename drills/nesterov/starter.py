# quizdl drill: nesterov
"""Nesterov momentum, written by hand as a torch.optim.Optimizer subclass.

Grade with: quizdl grade nesterov.py
"""

import torch


class Nesterov(torch.optim.Optimizer):
    """Same parameter updates as torch.optim.SGD(..., dampening=0, nesterov=True) (maximize=False).

    Look-ahead form: v = momentum * v - lr * grad_f(x + momentum * v); x = x + v. Store the
    look-ahead point p = x + momentum * v instead, so the gradient autograd gives (at p) is the
    one the update needs; keep PyTorch's momentum buffer (lr outside it) in self.state[p].
    g = p.grad + weight_decay * p (L2 penalty added to the gradient). Parameters whose .grad is
    None are skipped: neither they nor their buffer change.

    Hyper-parameters are read per parameter group (self.param_groups), so a group may override
    lr, momentum or weight_decay, and an lr scheduler may change group["lr"] between steps.
    Pass the defaults to super().__init__(params, defaults).

    The buffer lives in self.state[p], so that state_dict() / load_state_dict() carry it.
    p.grad belongs to the caller: never modify it in place, never keep it as the buffer.
    """

    def __init__(self, params, lr=1e-3, momentum=0.9, weight_decay=0.0):
        raise NotImplementedError

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        If closure is given, call it once, with gradients enabled, before the update, and return
        what it returned (otherwise return None).
        """
        raise NotImplementedError
