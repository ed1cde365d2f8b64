# quizdl drill: regression-losses
"""L1, MSE, Huber and smooth L1 losses and their gradients, NumPy only (torch is blocked).

Grade with: quizdl grade regression-losses.py
"""

import numpy as np


def l1_loss(pred: np.ndarray, target: np.ndarray, reduction: str = "mean"):
    """|pred - target| reduced by "mean" (all elements), "sum" or "none" (like torch.nn.L1Loss)."""
    raise NotImplementedError


def l1_loss_grad(pred: np.ndarray, target: np.ndarray, reduction: str = "mean") -> np.ndarray:
    """d l1_loss / d pred, shape of pred (0 where pred == target)."""
    raise NotImplementedError


def mse_loss(pred: np.ndarray, target: np.ndarray, reduction: str = "mean"):
    """(pred - target)**2 reduced (like torch.nn.MSELoss, no factor 1/2)."""
    raise NotImplementedError


def mse_loss_grad(pred: np.ndarray, target: np.ndarray, reduction: str = "mean") -> np.ndarray:
    """d mse_loss / d pred, shape of pred."""
    raise NotImplementedError


def huber_loss(pred: np.ndarray, target: np.ndarray, reduction: str = "mean", delta: float = 1.0):
    """The Huber loss, equal to torch.nn.HuberLoss(reduction, delta)."""
    raise NotImplementedError


def huber_loss_grad(pred: np.ndarray, target: np.ndarray, reduction: str = "mean", delta: float = 1.0) -> np.ndarray:
    """d huber_loss / d pred, shape of pred."""
    raise NotImplementedError


def smooth_l1_loss(pred: np.ndarray, target: np.ndarray, reduction: str = "mean", beta: float = 1.0):
    """The smooth L1 loss, equal to torch.nn.SmoothL1Loss(reduction, beta); beta = 0 is L1."""
    raise NotImplementedError


def smooth_l1_loss_grad(pred: np.ndarray, target: np.ndarray, reduction: str = "mean", beta: float = 1.0) -> np.ndarray:
    """d smooth_l1_loss / d pred, shape of pred.

    All functions: results in the inputs' dtype (float32 in, float32 out); pred and target are
    never modified.
    """
    raise NotImplementedError
