# quizdl drill: softmax-ce
import numpy as np
import torch


def softmax(x, axis=-1):
    return torch.softmax(torch.from_numpy(x), dim=axis).numpy()


def log_softmax(x, axis=-1):
    return torch.log_softmax(torch.from_numpy(x), dim=axis).numpy()


def cross_entropy(logits, targets):
    return float(torch.nn.functional.cross_entropy(torch.from_numpy(logits), torch.from_numpy(targets)))


def cross_entropy_grad(logits, targets):
    return (softmax(logits, 1) - np.eye(logits.shape[1])[targets]) / len(targets)
