# quizdl drill: layernorm
# expect: pass
import torch


class LayerNorm(torch.nn.Module):
    def __init__(self, normalized_shape: int, eps: float = 1e-5):
        super(LayerNorm, self).__init__()  # noqa: UP008 - the old spelling, on purpose
        self.normalized_shape = (normalized_shape,)
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.empty(normalized_shape).fill_(1.0))
        self.bias = torch.nn.Parameter(torch.empty(normalized_shape).fill_(0.0))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        mu = x.mean(-1).unsqueeze(-1)
        sd = x.sub(mu).pow(2).mean(-1).add(self.eps).sqrt().unsqueeze(-1)
        return x.sub(mu).div(sd).mul(self.weight).add(self.bias)
