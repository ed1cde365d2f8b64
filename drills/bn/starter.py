# quizdl drill: bn
"""BatchNorm1d from scratch: must match torch.nn.BatchNorm1d for (N, C) input, train and eval.

Grade with: quizdl grade bn.py
"""

import torch


class BatchNorm1d(torch.nn.Module):
    """Batch normalisation over the batch dimension of (N, C) input.

    Parameters: self.weight (ones) and self.bias (zeros), nn.Parameter of shape (C,).
    Buffers (self.register_buffer): self.running_mean (zeros), self.running_var (ones), shape (C,)
    (not (1, C)), updated without autograd history. Call super().__init__() first.
    """

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        raise NotImplementedError

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Training: normalise with the batch mean and BIASED variance, then update
        running = (1 - momentum) * running + momentum * batch_stat (running_var gets the
        UNBIASED variance), without tracking gradients.
        Eval: normalise with running_mean and running_var.
        Both: y = (x - mean) / sqrt(var + eps) * weight + bias, differentiable in x, weight, bias.
        Returns a torch.Tensor of shape (N, C) in x's dtype (float32 in, float32 out); x is not
        modified.
        """
        raise NotImplementedError
