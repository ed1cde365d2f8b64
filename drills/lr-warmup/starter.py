# quizdl drill: lr-warmup
"""Linear learning-rate warm-up followed by a cosine decay or a constant, as plain functions of
the step (no torch, no scipy).

Grade with: quizdl grade lr_warmup.py
"""


def warmup_then_cosine(step: int, lr_max: float, warmup_steps: int, total_steps: int,
                       start_lr: float = 0.0, lr_min: float = 0.0) -> float:
    """The lr at step `step` (integer >= 0): a linear warm-up from start_lr (at step 0) towards
    lr_max during the first warmup_steps steps (warmup_steps = 0: no warm-up), then a half cosine
    from lr_max down to lr_min at total_steps, and lr_min from then on. Returns a float."""
    raise NotImplementedError


def warmup_then_constant(step: int, lr_max: float, warmup_steps: int, start_lr: float = 0.0) -> float:
    """The same linear warm-up, then lr_max for ever. Returns a float."""
    raise NotImplementedError
