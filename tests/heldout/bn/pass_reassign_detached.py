# quizdl drill: bn
# expect: pass
import torch


class BatchNorm1d(torch.nn.Module):
    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = torch.nn.Parameter(torch.ones(num_features))
        self.bias = torch.nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if not self.training:
            x_hat = (x - self.running_mean) / torch.sqrt(self.running_var + self.eps)
            return self.weight * x_hat + self.bias
        batch_mean = x.sum(dim=0) / x.shape[0]
        centered = x - batch_mean
        batch_var = centered.pow(2).sum(dim=0) / x.shape[0]
        unbiased = centered.pow(2).sum(dim=0) / (x.shape[0] - 1)
        m = self.momentum
        self.running_mean = (1 - m) * self.running_mean + m * batch_mean.detach()
        self.running_var = (1 - m) * self.running_var + m * unbiased.detach()
        x_hat = centered / torch.sqrt(batch_var + self.eps)
        return self.weight * x_hat + self.bias
