# quizdl drill: bn2d
"""BatchNorm2d from scratch: must match torch.nn.BatchNorm2d for (N, C, H, W) input, train and eval.

Grade with: quizdl grade bn2d.py
"""

import torch


class BatchNorm2d(torch.nn.Module):
    """Batch normalisation of (N, C, H, W) input: one statistic per channel.

    Parameters: self.weight (ones) and self.bias (zeros), nn.Parameter of shape (C,).
    Buffers (self.register_buffer): self.running_mean (zeros), self.running_var (ones), shape (C,)
    (not (1, C, 1, 1)), updated without autograd history. Call super().__init__() first.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Training: normalise each channel with the mean and BIASED variance of all its values in
        the batch, then update running = (1 - momentum) * running + momentum * batch_stat
        (running_var gets the UNBIASED variance), without tracking gradients.
        Eval: normalise with running_mean and running_var.
        Both: y = (x - mean) / sqrt(var + eps) * weight + bias, per channel, differentiable in x,
        weight and bias. Returns a torch.Tensor of shape (N, C, H, W) in x's dtype (float32 in,
        float32 out); x is not modified.
        """
        raise NotImplementedError
