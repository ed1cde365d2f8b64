"""Reference: PyTorch's AdaGrad (torch.optim.Adagrad), without torch.optim.Adagrad.

Per parameter: the running sum of squared gradients starts at initial_accumulator_value (set for
every parameter in __init__, as PyTorch does) and the step count at 0; at the parameter's own
step t the lr is lr / (1 + (t-1) lr_decay), and eps is added after the square root. Weight
decay is the L2 penalty added to the gradient first. All state lives in self.state[p]; p.grad is
only read.

One statement per line that a known mistake edits (drill.yaml), so that mistakes compose."""

import torch


class Adagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 eps=1e-10):
        defaults = dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                        initial_accumulator_value=initial_accumulator_value, eps=eps)
        super().__init__(params, defaults)
        for group in self.param_groups:
            for p in group["params"]:
                state = self.state[p]
                state["step"] = 0
                state["sum"] = torch.full_like(p, initial_accumulator_value)  # the accumulator's start

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():  # the closure runs backward(): it needs autograd
                loss = closure()

        for group in self.param_groups:
            lr = group["lr"]  # each group's own hyper-parameters
            lr_decay = group["lr_decay"]
            weight_decay = group["weight_decay"]
            eps = group["eps"]
            for p in group["params"]:  # every parameter of this group
                if p.grad is None:
                    continue  # no gradient this step: the parameter and its state stay as they are
                d_p = p.grad  # the caller's tensor: read, never modified
                if weight_decay != 0:
                    d_p = d_p + weight_decay * p  # L2 penalty, added to the gradient

                state = self.state[p]  # its step count and sum of squares
                state["step"] += 1  # this parameter's own step count
                t = state["step"]
                clr = lr / (1 + (t - 1) * lr_decay)  # the decayed lr of this parameter's step t
                state_sum = state["sum"]
                state_sum.addcmul_(d_p, d_p, value=1)
                std = state_sum.sqrt().add_(eps)  # eps after the square root
                p.addcdiv_(d_p, std, value=-clr)
        return loss
