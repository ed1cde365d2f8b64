"""Reference BatchNorm2d: one mean and one variance per channel, over N * H * W values; the biased
variance normalises the batch, the unbiased one (n = N * H * W) goes into running_var.

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import torch


class BatchNorm2d(torch.nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.momentum = momentum
        self.weight = torch.nn.Parameter(torch.ones(num_features))
        self.bias = torch.nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        c = x.shape[1]
        if self.training:
            rows = x.transpose(0, 1).reshape(c, -1)  # (C, N*H*W): every value of one channel in a row
            mean = rows.mean(dim=1)
            var = ((rows - mean.unsqueeze(-1)) ** 2).mean(dim=1)  # biased: normalises this batch
            n = rows.shape[1]  # N * H * W values per channel
            var_running = var * n / (n - 1)  # unbiased: goes into running_var
            with torch.no_grad():
                w_batch = self.momentum
                w_running = 1 - self.momentum
                self.running_mean.mul_(w_running).add_(w_batch * mean)
                self.running_var.mul_(w_running).add_(w_batch * var_running)
        else:
            mean, var = self.running_mean, self.running_var
        shape = (1, -1, 1, 1)  # one value per channel, broadcast over N, H and W
        y = (x - mean.reshape(shape)) / torch.sqrt(var.reshape(shape) + self.eps)
        return y * self.weight.reshape(shape) + self.bias.reshape(shape)
