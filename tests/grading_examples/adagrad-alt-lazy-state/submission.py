# quizdl drill: adagrad
"""A correct alternative: state created lazily on a parameter's first step, out-of-place maths."""

import torch


class Adagrad(torch.optim.Optimizer):
    def __init__(self, params, lr=1e-2, lr_decay=0.0, weight_decay=0.0, initial_accumulator_value=0.0,
                 eps=1e-10):
        super().__init__(params, dict(lr=lr, lr_decay=lr_decay, weight_decay=weight_decay,
                                      initial_accumulator_value=initial_accumulator_value, eps=eps))

    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        with torch.no_grad():
            for group in self.param_groups:
                for w in group["params"]:
                    if w.grad is None:
                        continue
                    grad = w.grad + group["weight_decay"] * w if group["weight_decay"] else w.grad
                    st = self.state[w]
                    if not st:
                        st["step"] = 0
                        st["sum"] = torch.full_like(w, group["initial_accumulator_value"])
                    st["step"] += 1
                    st["sum"] = st["sum"] + grad * grad
                    rate = group["lr"] / (1.0 + (st["step"] - 1) * group["lr_decay"])
                    w.sub_(rate * (grad / (torch.sqrt(st["sum"]) + group["eps"])))
        return loss
