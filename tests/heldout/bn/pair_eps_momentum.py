# quizdl drill: bn
# expect: eps-outside-sqrt, momentum-reversed
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
            var, mean = torch.var_mean(x, 0, unbiased=False)
            with torch.no_grad():
                self.running_mean.lerp_(mean, 1.0 - self.momentum)
                self.running_var.lerp_(torch.var(x, 0), 1.0 - self.momentum)
        else:
            mean, var = self.running_mean, self.running_var
        return (x - mean) / (var.sqrt() + self.eps) * self.weight + self.bias
