# quizdl drill: bn
# expect: momentum-reversed
import torch
from torch import nn


class BatchNorm1d(nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps = eps
        self.momentum = momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        if self.training:
            var, mean = torch.var_mean(x, dim=0, correction=0)
            unbiased = torch.var(x, dim=0, correction=1)
            with torch.no_grad():
                # keep `momentum` of the old estimate, like an optimiser's momentum
                self.running_mean.lerp_(mean, 1 - self.momentum)
                self.running_var.lerp_(unbiased, 1 - self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return self.weight * (x - mean) / torch.sqrt(var + self.eps) + self.bias
