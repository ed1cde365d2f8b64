"""Reference BatchNorm1d: batch stats (biased var) in training, unbiased var into running_var."""

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
        if self.training:
            mean = x.mean(dim=0)
            var = ((x - mean) ** 2).mean(dim=0)  # biased: normalises this batch
            n = x.shape[0]
            var_running = var * n / (n - 1)  # unbiased: goes into running_var
            with torch.no_grad():
                w_batch = self.momentum
                w_running = 1 - self.momentum
                self.running_mean.mul_(w_running).add_(w_batch * mean)
                self.running_var.mul_(w_running).add_(w_batch * var_running)
        else:
            mean, var = self.running_mean, self.running_var
        y = (x - mean) / torch.sqrt(var + self.eps)
        return y * self.weight + self.bias
