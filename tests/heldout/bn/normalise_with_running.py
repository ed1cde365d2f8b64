# quizdl drill: bn
# expect: running-stats-in-training
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
            with torch.no_grad():
                m = self.momentum
                self.running_mean.copy_((1 - m) * self.running_mean + m * x.mean(0))
                self.running_var.copy_((1 - m) * self.running_var + m * x.var(0, unbiased=True))
        y = (x - self.running_mean) / torch.sqrt(self.running_var + self.eps)
        return y * self.weight + self.bias
