# quizdl drill: kaiming-init
"""He (Kaiming) initialisation from scratch: calculate_gain, kaiming_uniform_ and kaiming_normal_
(torch.nn.init's own kaiming_*, calculate_gain and fan helpers are not allowed).

Grade with: quizdl grade kaiming_init.py
"""

import math  # noqa: F401

import torch  # noqa: F401


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain of torch.nn.init.calculate_gain for this nonlinearity.

    nonlinearity: "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d",
    "conv_transpose3d", "sigmoid", "tanh", "relu", "leaky_relu" or "selu"; anything else raises
    ValueError. param: leaky_relu's negative slope (None means torch's default, 0.01).
    """
    raise NotImplementedError


def kaiming_uniform_(w: torch.Tensor, a: float = 0, mode: str = "fan_in",
                     nonlinearity: str = "leaky_relu") -> torch.Tensor:
    """Fill w in place from He's uniform distribution and return w itself.

    a: the negative slope of the rectifier (used with "leaky_relu"); mode: "fan_in" or "fan_out"
    (else ValueError). w may be a torch.nn.Parameter (requires_grad=True): record no autograd
    history.
    """
    raise NotImplementedError


def kaiming_normal_(w: torch.Tensor, a: float = 0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu") -> torch.Tensor:
    """Fill w in place from He's normal distribution (mean 0) and return w itself."""
    raise NotImplementedError
