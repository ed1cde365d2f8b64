# quizdl drill: adamw
"""The AdamW optimiser (Adam with decoupled weight decay), written by hand as a
torch.optim.Optimizer subclass.

Grade with: quizdl grade adamw.py
"""

import torch


class AdamW(torch.optim.Optimizer):
    """Same parameter updates as torch.optim.AdamW (amsgrad=False, maximize=False).

    For every parameter p with p.grad not None, at its own step t = 1, 2, ... (counted per
    parameter, in self.state[p]), with g = p.grad:
        m = beta1 * m + (1 - beta1) * g                (m, v start at zero)
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        p = p - lr * m_hat / (sqrt(v_hat) + eps)
    plus decoupled weight decay: p is shrunk in proportion to lr * weight_decay, outside the
    moments (where exactly is part of the exercise). Parameters whose .grad is None are skipped:
    neither they nor their state change.

    Hyper-parameters are read per parameter group (self.param_groups), so a group may override
    lr, betas, eps or weight_decay. Pass the defaults to super().__init__(params, defaults).

    All per-parameter state (m, v, the step count) lives in self.state[p], so that state_dict() /
    load_state_dict() carry it. p.grad belongs to the caller: never modify it in place.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2):
        raise NotImplementedError

    @torch.no_grad()
    def step(self, closure=None):
        """One update of every parameter that has a gradient.

        If closure is given, call it once, with gradients enabled, before the update, and return
        what it returned (otherwise return None).
        """
        raise NotImplementedError
