# quizdl drill: layernorm
# expect: pass
import torch


class LayerNorm(torch.nn.Module):
    def __init__(self, normalized_shape, eps=1e-5):
        super().__init__()
        self.eps = eps
        self.weight = torch.nn.Parameter(torch.ones(normalized_shape))
        self.bias = torch.nn.Parameter(torch.zeros(normalized_shape))

    def forward(self, inputs):
        mean = torch.mean(inputs, -1, keepdim=True)
        variance = torch.var(inputs, -1, unbiased=False, keepdim=True)
        normed = (inputs - mean) / (variance + self.eps).sqrt()
        return torch.addcmul(self.bias, normed, self.weight)
