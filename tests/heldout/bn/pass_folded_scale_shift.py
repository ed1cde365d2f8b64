# quizdl drill: bn
# expect: pass
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
        n = x.shape[0]
        if self.training:
            mu = x.mean(0)
            sigma2 = (x - mu).square().mean(0)
            with torch.no_grad():
                upd_mean = self.momentum * mu + (1 - self.momentum) * self.running_mean
                upd_var = self.momentum * sigma2 * n / (n - 1) + (1 - self.momentum) * self.running_var
                self.running_mean.copy_(upd_mean)
                self.running_var.copy_(upd_var)
        else:
            mu, sigma2 = self.running_mean, self.running_var
        # fold into one scale and one shift per feature: y = x * scale + shift
        scale = self.weight / torch.sqrt(sigma2 + self.eps)
        shift = self.bias - mu * scale
        return x * scale + shift
