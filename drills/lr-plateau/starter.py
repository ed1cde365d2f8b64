# quizdl drill: lr-plateau
"""ReduceLROnPlateau for a single learning rate, as a plain Python class (no torch, no scipy).

Grade with: quizdl grade lr_plateau.py
"""


class ReduceLROnPlateau:
    """Reduce the learning rate when a monitored metric stops improving, exactly as
    torch.optim.lr_scheduler.ReduceLROnPlateau does for one param group whose lr starts at `lr`.

    mode: "min" (a loss) or "max" (an accuracy); factor: new lr = lr * factor; patience: how many
    epochs without improvement are tolerated; threshold, threshold_mode ("rel" or "abs"): how much
    better than the best value so far a metric must be to count as an improvement; cooldown:
    epochs to wait after a reduction before counting bad epochs again; min_lr: lower bound of the
    lr; eps: a reduction that changes the lr by no more than eps is skipped.
    """

    def __init__(self, lr: float, mode: str = "min", factor: float = 0.1, patience: int = 10,
                 threshold: float = 1e-4, threshold_mode: str = "rel", cooldown: int = 0,
                 min_lr: float = 0.0, eps: float = 1e-8) -> None:
        raise NotImplementedError

    def step(self, metric: float) -> float:
        """Take one epoch's metric (a float, possibly NaN) and return the lr in force after this
        call (a float)."""
        raise NotImplementedError
