# quizdl drill: sgd-momentum
"""A correct alternative: out-of-place arithmetic, the buffer re-stored every step, `p -= ...`."""

import torch
from torch.optim import Optimizer


class SGDMomentum(Optimizer):
    def __init__(self, params, lr=1e-3, momentum=0.9, dampening=0.0, weight_decay=0.0):
        super().__init__(params, {"lr": lr, "momentum": momentum, "dampening": dampening,
                                  "weight_decay": weight_decay})

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                for param in group["params"]:
                    if param.grad is None:
                        continue
                    g = param.grad.detach()
                    if group["weight_decay"]:
                        g = g + group["weight_decay"] * param.detach()
                    st = self.state[param]
                    if "momentum_buffer" in st:
                        velocity = group["momentum"] * st["momentum_buffer"] + (1.0 - group["dampening"]) * g
                    else:
                        velocity = g.clone()
                    st["momentum_buffer"] = velocity
                    param -= group["lr"] * velocity
        return loss
