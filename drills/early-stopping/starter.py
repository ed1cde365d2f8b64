# quizdl drill: early-stopping
"""Early stopping on a validation metric, as a plain Python class.

Grade with: quizdl grade early_stopping.py
"""


class EarlyStopping:
    """Stop training when a monitored metric has stopped improving.

    patience (>= 1): how many consecutive calls without an improvement stop training;
    min_delta (>= 0): an improvement must beat best by more than this; mode: "min" (a loss) or
    "max" (an accuracy). Attributes: best (the best metric so far) and best_epoch (the index of
    the call that set it, counted from 0).
    """

    def __init__(self, patience: int, min_delta: float = 0.0, mode: str = "min") -> None:
        raise NotImplementedError

    def step(self, metric: float) -> bool:
        """Take one epoch's metric (a float, possibly NaN, which never improves) and return True
        when training should stop (on the patience-th consecutive call without an improvement),
        else False. The first call always improves."""
        raise NotImplementedError
