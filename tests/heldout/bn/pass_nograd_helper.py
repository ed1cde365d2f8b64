# quizdl drill: bn
# expect: pass
import torch
import torch.nn as nn


class BatchNorm1d(nn.Module):
    """BatchNorm over (N, C) with a separate, gradient-free update of the running estimates."""

    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super(BatchNorm1d, self).__init__()  # noqa: UP008 - the old spelling, on purpose
        self.eps = eps
        self.momentum = momentum
        self.weight = nn.Parameter(torch.ones(num_features))
        self.bias = nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    @torch.no_grad()
    def _track(self, mean, var_unbiased):
        self.running_mean.mul_(1.0 - self.momentum).add_(mean, alpha=self.momentum)
        self.running_var.mul_(1.0 - self.momentum).add_(var_unbiased, alpha=self.momentum)

    def forward(self, x):
        if self.training:
            mean = torch.mean(x, 0)
            var = torch.var(x, 0, correction=0)
            self._track(mean, torch.var(x, 0, correction=1))
        else:
            mean = self.running_mean
            var = self.running_var
        inv_std = 1.0 / torch.sqrt(var + self.eps)
        return torch.addcmul(self.bias, (x - mean) * inv_std, self.weight)
