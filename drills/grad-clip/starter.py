# quizdl drill: grad-clip
"""Gradient clipping from scratch: clip_grad_norm_ and clip_grad_value_ as in torch.nn.utils
(torch.nn.utils.clip_grad_norm_ / clip_grad_value_ / get_total_norm are not allowed).

Grade with: quizdl grade grad_clip.py
"""

import math  # noqa: F401

import torch  # noqa: F401


def clip_grad_norm_(params, max_norm: float, norm_type: float = 2.0,
                    error_if_nonfinite: bool = False) -> torch.Tensor:
    """Scale the gradients of `params` (an iterable of tensors, possibly a generator, or a single
    tensor) in place so that their total norm is at most max_norm, like
    torch.nn.utils.clip_grad_norm_; parameters whose .grad is None are skipped.

    Returns the total norm from before clipping as a 0-dim tensor in the gradients' dtype.
    error_if_nonfinite=True: raise RuntimeError (and change nothing) when that norm is NaN or inf.
    """
    raise NotImplementedError


def clip_grad_value_(params, clip_value: float) -> None:
    """Clamp every gradient entry of `params` into [-clip_value, clip_value] in place."""
    raise NotImplementedError
