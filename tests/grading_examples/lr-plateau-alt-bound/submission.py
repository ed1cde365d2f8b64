# quizdl drill: lr-plateau
"""A correct solution written differently: the improvement bound computed once per step, mode max
handled with its own comparison (not by negating), counters named after Keras' wait."""

import math


class ReduceLROnPlateau:
    def __init__(self, lr, mode="min", factor=0.1, patience=10, threshold=1e-4,
                 threshold_mode="rel", cooldown=0, min_lr=0.0, eps=1e-8):
        if mode not in {"min", "max"} or threshold_mode not in {"rel", "abs"}:
            raise ValueError("unknown mode or threshold_mode")
        if not factor < 1.0:
            raise ValueError("factor must be below 1")
        self.current_lr = float(lr)
        self.sign = 1.0 if mode == "min" else -1.0
        self.mode, self.factor, self.patience = mode, factor, patience
        self.threshold, self.threshold_mode = threshold, threshold_mode
        self.cooldown, self.min_lr, self.eps = cooldown, min_lr, eps
        self.best = None
        self.wait = 0
        self.cool = 0

    def _bound(self):
        if self.threshold_mode == "rel":
            return self.best * (1.0 - self.sign * self.threshold)
        return self.best - self.sign * self.threshold

    def step(self, metric):
        value = float(metric)
        if self.best is None:
            improved = not math.isnan(value)
        elif self.mode == "min":
            improved = value < self._bound()
        else:
            improved = value > self._bound()
        if improved:
            self.best, self.wait = value, 0
        else:
            self.wait += 1
        if self.cool:
            self.cool -= 1
            self.wait = 0
        if self.wait > self.patience:
            candidate = max(self.current_lr * self.factor, self.min_lr)
            if self.current_lr - candidate > self.eps:
                self.current_lr = candidate
            self.cool, self.wait = self.cooldown, 0
        return self.current_lr
