"""Reference: early stopping on a monitored metric (Keras' EarlyStopping rule: an improvement
beats the best value by more than min_delta; stop at the patience-th consecutive call without
one)."""


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0, mode="min"):
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max', not {mode!r}")
        if patience < 1:
            raise ValueError("patience must be >= 1")
        if min_delta < 0:
            raise ValueError("min_delta must be >= 0")
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode
        self.best = None
        self.best_epoch = None
        self.epoch = 0
        self.num_bad = 0

    def _improves(self, metric):
        if self.best is None:  # the first call always improves
            return True
        if self.mode == "min":
            threshold = self.best - self.min_delta
            return metric < threshold
        threshold = self.best + self.min_delta
        return metric > threshold

    def step(self, metric):
        epoch = self.epoch
        self.epoch += 1
        if self._improves(metric):
            self.best = metric
            self.best_epoch = epoch
            self.num_bad = 0
            return False
        self.num_bad += 1
        return self.num_bad >= self.patience
