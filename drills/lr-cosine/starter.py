# quizdl drill: lr-cosine
"""Cosine annealing and cosine annealing with warm restarts (SGDR) as plain functions of the
epoch t (no torch, no scipy).

Grade with: quizdl grade lr_cosine.py
"""


def cosine_annealing(t: float, lr_max: float, T_max: int, lr_min: float = 0.0) -> float:
    """The closed form of torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max, eta_min=lr_min)
    for an optimizer created with lr=lr_max, at epoch t >= 0 (t may be fractional and may exceed
    T_max: the closed form goes on). Returns a float (float64)."""
    raise NotImplementedError


def cosine_warm_restarts(t: float, lr_max: float, T_0: int, T_mult: int = 1, lr_min: float = 0.0) -> float:
    """The lr of torch.optim.lr_scheduler.CosineAnnealingWarmRestarts(opt, T_0, T_mult,
    eta_min=lr_min) for an optimizer created with lr=lr_max, after scheduler.step(t), at a real
    t >= 0 (the first cycle lasts T_0 epochs, each later one T_mult times longer than the one
    before). Returns a float (float64)."""
    raise NotImplementedError
