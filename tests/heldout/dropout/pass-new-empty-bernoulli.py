# quizdl drill: dropout
# expect: pass
import torch.nn as nn


class Dropout(nn.Module):
    def __init__(self, p=0.5):
        super(Dropout, self).__init__()  # noqa: UP008 - the older spelling
        assert 0 <= p <= 1
        self.p = p
        self.keep = 1 - p

    def forward(self, x):
        if self.training and self.p > 0:
            if self.keep == 0:
                return x * 0
            noise = x.new_empty(x.size()).bernoulli_(self.keep)
            noise.div_(self.keep)  # our own tensor: in place is fine here
            return x * noise
        return x
