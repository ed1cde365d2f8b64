# quizdl drill: early-stopping
"""A correct solution written differently: mode max by negating the metric (best kept in the
metric's own sign), best starting at +inf on the negated scale, a list of the metrics seen."""

import math


class EarlyStopping:
    def __init__(self, patience, min_delta=0.0, mode="min"):
        self.patience, self.min_delta = patience, min_delta
        self.sign = 1.0 if mode == "min" else -1.0
        self.history = []
        self._best_score = math.inf
        self.best = None
        self.best_epoch = None
        self.wait = 0

    def step(self, metric):
        self.history.append(metric)
        score = self.sign * metric
        if self._best_score - score > self.min_delta or self.best_epoch is None:
            self._best_score = score
            self.best = metric
            self.best_epoch = len(self.history) - 1
            self.wait = 0
            return False
        self.wait += 1
        return self.wait >= self.patience
