# quizdl drill: lr-lambda
"""A correct solution written differently: functools.reduce over the factors fn(1)..fn(epoch)."""

from functools import reduce


def lambda_lr(epoch, lr0, fn):
    factor = fn(epoch)
    return float(factor * lr0)


def multiplicative_lr(epoch, lr0, fn):
    if epoch == 0:
        return lr0
    return reduce(lambda lr, e: lr * fn(e), range(1, epoch + 1), lr0)
