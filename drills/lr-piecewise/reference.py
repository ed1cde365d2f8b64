"""Reference: piecewise constant schedule with MultiStepLR's convention (the value changes AT a
boundary: step == boundaries[i] already uses values[i + 1])."""


def piecewise_constant(step, boundaries, values):
    index = len(boundaries)  # past the last boundary: the last value
    for i, boundary in enumerate(boundaries):
        if step < boundary:
            index = i
            break
    return values[index]
