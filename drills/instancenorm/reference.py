"""Reference InstanceNorm2d: each channel of each image normalised over its own H x W positions,
with the mean and the biased variance; no running statistics (train and eval mode agree); a
per-channel weight and bias only with affine=True.

Each step is its own line, so that the known mistakes (drill.yaml) are small edits that combine."""

import torch


class InstanceNorm2d(torch.nn.Module):
    def __init__(self, num_features, eps=1e-5, affine=False):
        super().__init__()
        self.num_features = num_features
        self.eps = eps
        self.affine = affine
        if affine:
            self.weight = torch.nn.Parameter(torch.ones(num_features))
            self.bias = torch.nn.Parameter(torch.zeros(num_features))
        else:
            self.register_parameter("weight", None)
            self.register_parameter("bias", None)

    def forward(self, x):
        dims = (-2, -1)  # (N, C, H, W) or (C, H, W): each channel of each image over its H x W
        mean = x.mean(dim=dims, keepdim=True)
        centred = x - mean  # a new tensor: the caller's x stays untouched
        var = centred.pow(2).mean(dim=dims, keepdim=True)  # biased (divide by H * W)
        # no running statistics: train and eval mode both use the instance's own statistics
        std = torch.sqrt(var + self.eps)
        y = centred / std
        if self.affine:
            y = y * self.weight.reshape(-1, 1, 1) + self.bias.reshape(-1, 1, 1)
        return y
