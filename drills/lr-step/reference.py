"""Reference: StepLR and MultiStepLR in closed form. gamma ** (number of decays so far): every
step_size epochs, or once for each milestone <= epoch (milestones in any order)."""


def step_lr(epoch, lr0, step_size, gamma=0.1):
    decays = epoch // step_size
    return lr0 * gamma ** decays


def multistep_lr(epoch, lr0, milestones, gamma=0.1):
    passed = 0
    for milestone in sorted(milestones):
        if milestone > epoch:
            break
        passed += 1
    return lr0 * gamma ** passed
