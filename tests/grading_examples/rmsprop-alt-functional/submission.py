# quizdl drill: rmsprop
"""A correct solution written differently: new tensors every step (no in-place arithmetic on the
state, which is reassigned into self.state[p]), variance written as v - m**2, the momentum
buffer created on first use, hyper-parameters looked up through the group dict."""

import torch
from torch.optim import Optimizer


class RMSprop(Optimizer):
    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0.0, momentum=0.0,
                 centered=False):
        super().__init__(params, {"lr": lr, "alpha": alpha, "eps": eps, "weight_decay": weight_decay,
                                  "momentum": momentum, "centered": centered})

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                a = group["alpha"]
                for p in group["params"]:
                    if p.grad is None:
                        continue
                    g = p.grad
                    if group["weight_decay"] != 0:
                        g = g + group["weight_decay"] * p
                    st = self.state[p]
                    if "square_avg" not in st:
                        st["step"] = 0
                        st["square_avg"] = torch.zeros_like(p)
                    st["step"] += 1
                    v = a * st["square_avg"] + (1 - a) * g * g
                    st["square_avg"] = v
                    if group["centered"]:
                        m = a * st.get("grad_avg", torch.zeros_like(p)) + (1 - a) * g
                        st["grad_avg"] = m
                        d = torch.sqrt(v - m**2) + group["eps"]
                    else:
                        d = torch.sqrt(v) + group["eps"]
                    if group["momentum"] > 0:
                        b = group["momentum"] * st.get("momentum_buffer", torch.zeros_like(p)) + g / d
                        st["momentum_buffer"] = b
                        p.sub_(group["lr"] * b)
                    else:
                        p.sub_(group["lr"] * g / d)
        return loss
