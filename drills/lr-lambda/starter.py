# quizdl drill: lr-lambda
"""LambdaLR and MultiplicativeLR as plain functions of the epoch (no torch, no scipy).

Grade with: quizdl grade lr_lambda.py
"""

from collections.abc import Callable


def lambda_lr(epoch: int, lr0: float, fn: Callable[[int], float]) -> float:
    """The learning rate torch.optim.lr_scheduler.LambdaLR(opt, fn) sets after `epoch` calls of
    scheduler.step(), for an optimizer created with lr=lr0 (epoch 0: before any call).

    Returns a float (float64).
    """
    raise NotImplementedError


def multiplicative_lr(epoch: int, lr0: float, fn: Callable[[int], float]) -> float:
    """The learning rate torch.optim.lr_scheduler.MultiplicativeLR(opt, fn) sets after `epoch`
    calls of scheduler.step(), for an optimizer created with lr=lr0 (epoch 0: before any call).
    Each step() multiplies the current lr by fn(e), e being the epoch counter after that call.

    Returns a float (float64).
    """
    raise NotImplementedError
