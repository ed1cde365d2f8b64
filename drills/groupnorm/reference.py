"""Reference GroupNorm: each sample's C channels split into G groups of C/G adjacent channels; the
mean and biased variance of each (sample, group) over its channels and all their positions; then a
per-channel weight and bias (affine=True).

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import torch


class GroupNorm(torch.nn.Module):
    def __init__(self, num_groups, num_channels, eps=1e-5, affine=True):
        super().__init__()
        if num_channels % num_groups != 0:
            raise ValueError(f"num_channels ({num_channels}) must be divisible by num_groups ({num_groups})")
        self.num_groups = num_groups
        self.num_channels = num_channels
        self.eps = eps
        self.affine = affine
        if affine:
            self.weight = torch.nn.Parameter(torch.ones(num_channels))
            self.bias = torch.nn.Parameter(torch.zeros(num_channels))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        n, c = x.shape[0], x.shape[1]
        groups = x.reshape(n, self.num_groups, c // self.num_groups, -1)  # (N, G, C/G, positions)
        dims = (2, 3)  # per sample and group: the group's channels and all their positions
        mean = groups.mean(dim=dims, keepdim=True)
        centred = groups - mean  # a new tensor: the caller's x stays untouched
        var = centred.pow(2).mean(dim=dims, keepdim=True)  # biased (divide by the group's size)
        std = torch.sqrt(var + self.eps)
        y = (centred / std).reshape(x.shape)
        if self.affine:
            shape = (1, c) + (1,) * (x.dim() - 2)  # per channel, broadcast over the positions
            y = y * self.weight.reshape(shape) + self.bias.reshape(shape)
        return y
