# quizdl drill: dropout
# expect: pass
import torch


class Dropout(torch.nn.Module):
    """Inverted dropout via masked_fill."""

    def __init__(self, p: float = 0.5):
        super().__init__()
        self.drop_prob = p

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training or self.drop_prob == 0:
            return x
        if self.drop_prob == 1:
            return x.mul(0.0)
        dropped = torch.rand(x.shape, device=x.device) < self.drop_prob
        return x.masked_fill(dropped, 0.0) / (1 - self.drop_prob)
