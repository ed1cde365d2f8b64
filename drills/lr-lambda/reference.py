"""Reference: LambdaLR and MultiplicativeLR in closed form (PyTorch's conventions)."""


def lambda_lr(epoch, lr0, fn):
    return lr0 * fn(epoch)  # fn scales the *initial* lr


def multiplicative_lr(epoch, lr0, fn):
    lr = lr0
    for k in range(1, epoch + 1):  # the k-th step() multiplies by fn(k): fn(0) is never used
        lr = lr * fn(k)
    return lr
