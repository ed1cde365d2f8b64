# quizdl drill: bn
# expect: float64-leak
import torch


class BatchNorm1d(torch.nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.weight = torch.nn.Parameter(torch.ones(num_features))
        self.bias = torch.nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        xd = x.to(torch.float64)  # statistics in double precision for stability
        if self.training:
            n = xd.shape[0]
            mean = xd.mean(0)
            var = ((xd - mean) ** 2).mean(0)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * mean)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * var * n / (n - 1))
        else:
            mean, var = self.running_mean.double(), self.running_var.double()
        xhat = (xd - mean) / torch.sqrt(var + self.eps)
        return xhat * self.weight + self.bias
