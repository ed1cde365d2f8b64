# quizdl drill: sgd-momentum
"""SGD with momentum, written by hand as a torch.optim.Optimizer subclass.

Grade with: quizdl grade sgd_momentum.py
"""

import torch


class SGDMomentum(torch.optim.Optimizer):
    """Same parameter updates as torch.optim.SGD(..., nesterov=False) (maximize=False).

    For every parameter p with p.grad not None:
        g = p.grad + weight_decay * p                  (L2 penalty added to the gradient)
        b = momentum * b + (1 - dampening) * g         (the momentum buffer; its first value
                                                        must be PyTorch's)
        p = p - lr * b
    Parameters whose .grad is None are skipped: neither they nor their buffer change.

    Hyper-parameters are read per parameter group (self.param_groups), so a group may override
    lr, momentum, dampening or weight_decay, and an lr scheduler may change group["lr"] between
    steps. Pass the defaults to super().__init__(params, defaults).

    The buffer lives in self.state[p], so that state_dict() / load_state_dict() carry it.
    p.grad belongs to the caller: never modify it in place, never keep it as the buffer.
    """

    def __init__(self, params, lr=1e-3, momentum=0.9, dampening=0.0, weight_decay=0.0):
        raise NotImplementedError

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        If closure is given, call it once, with gradients enabled, before the update, and return
        what it returned (otherwise return None).
        """
        raise NotImplementedError
