# quizdl drill: bn
# expect: momentum-reversed, biased-running-var
import torch
import torch.nn as nn


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
            mu = x.mean(dim=0)
            sigma2 = ((x - mu) ** 2).mean(dim=0)
            with torch.no_grad():
                self.running_mean = self.momentum * self.running_mean + (1 - self.momentum) * mu
                self.running_var = self.momentum * self.running_var + (1 - self.momentum) * sigma2
        else:
            mu, sigma2 = self.running_mean, self.running_var
        x_hat = (x - mu) / torch.sqrt(sigma2 + self.eps)
        return self.weight * x_hat + self.bias
