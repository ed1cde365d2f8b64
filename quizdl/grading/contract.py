"""Contract checks: what a submission must honour besides computing the right numbers.

Harnesses call these helpers (as `import quizdl_contract as contract`: this file is copied into the
sandbox under that name, and the grader aliases it so the same harness runs in both places). A
check either records a violation for the current case (the case fails, its outputs are still
compared, so a second mistake can be named too) or, when the run cannot go on, raises
ContractError. The grader turns each violation id into a named diagnosis from CONTRACTS.

Standalone on purpose: standard library and numpy only; torch is imported inside the functions
that need it.
"""

from __future__ import annotations

import contextlib
import threading

import numpy as np

# id -> (English, Chinese): the diagnosis shown for a violation. The harness's message says
# where; this says what the rule is and how to keep it.
CONTRACTS: dict[str, dict[str, str]] = {
    "wrong-dtype": {
        "en": "An output's dtype differs from the input's: float32 in must give float32 out. A float64 "
              "constant array, torch.tensor(...) / np.array(...) without dtype=, or np.float64 maths "
              "promotes the result; build constants with the input's dtype (x.new_tensor, "
              "torch.zeros_like, np.asarray(c, dtype=x.dtype)).",
        "zh": "输出的 dtype 与输入不同：float32 输入必须得到 float32 输出。float64 常量数组、没写 dtype= 的 "
              "torch.tensor(...) / np.array(...)、或 np.float64 运算都会把结果提升成 float64；常量要用输入的 "
              "dtype 构造（x.new_tensor、torch.zeros_like、np.asarray(c, dtype=x.dtype)）。",
    },
    "wrong-type": {
        "en": "A function returned the wrong kind of object: a torch drill returns torch.Tensor (not a "
              "numpy array, list or Python number), a numpy drill returns numpy arrays.",
        "zh": "函数返回的对象类型不对：torch 题要返回 torch.Tensor（不是 numpy 数组、list 或 Python 数），"
              "numpy 题要返回 numpy 数组。",
    },
    "input-modified": {
        "en": "An input was changed in place (x -= max, logits[...] = ..., p.grad.add_(...)). The caller "
              "still owns its arrays and tensors: compute into new ones (x = x - m) or work on a copy.",
        "zh": "原地修改了输入（x -= max、logits[...] = ...、p.grad.add_(...)）。输入仍归调用者所有："
              "要生成新的数组/张量（x = x - m），或者先复制一份再改。",
    },
    "missing-super-init": {
        "en": "The module's __init__ does not call super().__init__() first, so torch.nn.Module cannot "
              "register parameters, buffers or submodules.",
        "zh": "模块的 __init__ 没有先调用 super().__init__()，torch.nn.Module 因而无法注册参数、缓冲区和子模块。",
    },
    "not-registered": {
        "en": "A parameter or buffer is a plain tensor attribute: wrap learnable tensors in "
              "torch.nn.Parameter and register running statistics with self.register_buffer, so that "
              "named_parameters(), named_buffers(), .to(dtype) and state_dict() see them.",
        "zh": "参数或缓冲区只是普通的张量属性：可学习的张量要用 torch.nn.Parameter 包装，滑动统计量要用 "
              "self.register_buffer 注册，这样 named_parameters()、named_buffers()、.to(dtype) 和 "
              "state_dict() 才能看到它们。",
    },
    "wrong-shape": {
        "en": "A parameter or buffer has the wrong shape, typically (1, C) from keepdim=True where "
              "PyTorch keeps (C,). Reduce without keepdim (or squeeze) before storing.",
        "zh": "参数或缓冲区的形状不对，常见的是 keepdim=True 得到的 (1, C)，而 PyTorch 存的是 (C,)。"
              "存之前不要 keepdim（或者 squeeze 掉）。",
    },
    "buffer-history": {
        "en": "A buffer carries autograd history (it has a grad_fn or requires grad): the running "
              "statistics must be updated under torch.no_grad() (or from detached values), or the next "
              "backward() walks into the previous step's graph.",
        "zh": "缓冲区带着 autograd 历史（有 grad_fn 或 requires_grad）：滑动统计量必须在 torch.no_grad() 下"
              "更新（或者用 detach 后的值），否则下一次 backward() 会走进上一步的计算图。",
    },
    "state-outside-self-state": {
        "en": "The optimiser keeps its per-parameter state outside self.state[p] (e.g. in its own dicts "
              "or lists): state_dict(), load_state_dict() and checkpointing then lose it. Keep moments "
              "and step counts in self.state[p].",
        "zh": "优化器把每个参数的状态放在了 self.state[p] 之外（例如自己建的 dict 或 list）："
              "state_dict()、load_state_dict() 和断点续训都会丢掉它。动量和步数要放在 self.state[p] 里。",
    },
    "state-dict": {
        "en": "After state_dict() is loaded into a fresh optimiser, the fresh one does not continue the "
              "same trajectory: some state is not in self.state[p] or param_groups, or is shared "
              "between steps in a way load_state_dict() cannot restore.",
        "zh": "把 state_dict() 加载到一个新的优化器后，它没有沿着同样的轨迹继续：有些状态不在 self.state[p] "
              "或 param_groups 里，或者以 load_state_dict() 无法恢复的方式存放。",
    },
}


class ContractError(AssertionError):
    """A contract broken so that the case cannot go on (e.g. forward returned a numpy array)."""

    def __init__(self, contract: str, message: str) -> None:
        super().__init__(message)
        self.contract = contract


_local = threading.local()  # per thread: the grader may run several implementations at once


def _found() -> list[tuple[str, str]]:
    if not hasattr(_local, "found"):
        _local.found = []
    return _local.found


def begin_case() -> None:
    _found().clear()


def end_case() -> list[tuple[str, str]]:
    found = list(_found())
    _found().clear()
    return found


def violation(contract: str, message: str) -> None:
    """Record a broken contract for this case (once per id: the first message says where)."""
    found = _found()
    if all(c != contract for c, _ in found):
        found.append((contract, message))


def _type_name(value: object) -> str:
    t = type(value)
    return t.__name__ if t.__module__ == "builtins" else f"{t.__module__.split('.')[0]}.{t.__name__}"


def tensor(value: object, what: str):
    """`value`, which must be a torch.Tensor (torch drills)."""
    import torch

    if not isinstance(value, torch.Tensor):
        raise ContractError("wrong-type", f"{what} returned {_type_name(value)}; return a torch.Tensor")
    return value


def array(value: object, what: str, scalar: bool = False, dtype: object = None) -> np.ndarray:
    """`value` as a numpy array (numpy drills), dtype kept. `scalar`: a Python number is accepted
    for this output too (read in `dtype`: a Python float cannot be float32)."""
    if isinstance(value, np.ndarray | np.generic):
        return np.asarray(value)
    if scalar and isinstance(value, int | float) and not isinstance(value, bool):
        return np.asarray(value, dtype=dtype)
    kind = "a number" if scalar else "a numpy array"
    raise ContractError("wrong-type", f"{what} returned {_type_name(value)}; return {kind}")


def numpy(t) -> np.ndarray:
    """A copy of a tensor's values, dtype kept (the grader checks it)."""
    return t.detach().cpu().numpy().copy()


def snapshot(**values) -> dict[str, np.ndarray]:
    """Copies of the inputs a call receives, to check afterwards that it left them alone."""
    out = {}
    for name, v in values.items():
        if v is None:
            continue
        out[name] = numpy(v) if hasattr(v, "detach") else np.array(v, copy=True)
    return out


def unchanged(before: dict[str, np.ndarray], after: dict, what: str) -> None:
    """Record input-modified when any input differs from its snapshot (NaN equals NaN)."""
    for name, old in before.items():
        v = after.get(name)
        if v is None:
            continue
        now = numpy(v) if hasattr(v, "detach") else np.asarray(v)
        if now.shape != old.shape or not np.array_equal(now, old, equal_nan=True):
            violation("input-modified", f"{what} changed its input {name} in place")
            return


_SUPER_INIT_HINTS = ("Module.__init__", "_parameters", "_buffers", "_modules", "_backward_hooks",
                     "_forward_hooks", "_forward_pre_hooks", "_state_dict_hooks", "_non_persistent")


def construct(factory, what: str):
    """`factory()` (a module's constructor); a missing super().__init__() becomes a clear error."""
    try:
        return factory()
    except AttributeError as exc:
        if any(h in str(exc) for h in _SUPER_INIT_HINTS):
            raise ContractError("missing-super-init",
                                f"{what}.__init__ must call super().__init__() first ({exc})") from None
        raise


def _shape_note(t, shape: tuple[int, ...]) -> str:
    return f"has shape {tuple(t.shape)}, expected {tuple(shape)}"


def parameter(module, name: str, shape: tuple[int, ...]):
    """The registered parameter `name` (checked: registered, shape)."""
    if "_parameters" not in vars(module):
        raise ContractError("missing-super-init", "the module's __init__ must call super().__init__() first")
    params = dict(module.named_parameters())
    if name in params:
        t = params[name]
    else:
        t = getattr(module, name, None)
        if t is None or not hasattr(t, "detach"):
            raise AssertionError(f"the module has no parameter {name!r}")
        violation("not-registered", f"{name} is a plain tensor: wrap it in torch.nn.Parameter")
        if not t.requires_grad and t.is_leaf:
            t.requires_grad_(True)
    if tuple(t.shape) != tuple(shape):
        violation("wrong-shape", f"parameter {name} {_shape_note(t, shape)}")
    return t


def buffer(module, name: str, shape: tuple[int, ...]):
    """The buffer `name` (checked: registered, shape, no autograd history). A buffer with
    history is recorded and then detached, so that the later steps still say something."""
    if "_buffers" not in vars(module):
        raise ContractError("missing-super-init", "the module's __init__ must call super().__init__() first")
    buffers = dict(module.named_buffers())
    if name in buffers:
        t = buffers[name]
    else:
        t = getattr(module, name, None)
        if t is None or not hasattr(t, "detach"):
            raise AssertionError(f"the module has no buffer {name!r}: register it with self.register_buffer")
        violation("not-registered", f"{name} is a plain attribute: register it with self.register_buffer")
    if t.grad_fn is not None or t.requires_grad:
        violation("buffer-history", f"{name} carries autograd history: update it under torch.no_grad()")
        t = t.detach()
        with contextlib.suppress(TypeError, AttributeError):
            setattr(module, name, t)
    if tuple(t.shape) != tuple(shape):
        violation("wrong-shape", f"buffer {name} {_shape_note(t, shape)}")
    return t


def buffer_value(module, name: str, shape: tuple[int, ...]) -> np.ndarray:
    """A checked buffer's values in `shape` (a (1, C) buffer is reported, then read as (C,))."""
    t = buffer(module, name, shape)
    value = numpy(t)
    if value.size == int(np.prod(shape)):
        value = value.reshape(shape)
    return value


def optimizer_state(opt, stepped) -> None:
    """Every parameter that took a step has its state in opt.state[p]."""
    state = getattr(opt, "state", None)
    for p in stepped:
        if state is None or not state.get(p):
            violation("state-outside-self-state",
                      "self.state[p] is empty for a parameter that took steps: keep its moments there")
            return


# Optimisers: step(closure) must run the closure with autograd on (its loss.backward() needs it).
CONTRACTS["closure-grad"] = {
    "en": "step(closure) called the closure under torch.no_grad() (step itself runs under it), so "
          "the loss it computes has no graph and its backward() cannot work. Call it as "
          "`with torch.enable_grad(): loss = closure()`.",
    "zh": "step(closure) 在 torch.no_grad() 下调用了 closure（step 本身就运行在 no_grad 下），于是 closure "
          "算出的 loss 没有计算图，其中的 backward() 无法工作。要这样调用："
          "`with torch.enable_grad(): loss = closure()`。",
}

# Initialisers (torch.nn.init style): a trailing-underscore function fills its argument in place
# and returns that same tensor.
CONTRACTS["not-in-place"] = {
    "en": "An in-place initialiser (the trailing underscore, as in torch.nn.init.xavier_uniform_) "
          "must fill the tensor it is given and return that same tensor: callers write "
          "`init(layer.weight)` and ignore the result. Fill it with w.uniform_(...) / w.normal_(...) "
          "(or w.copy_(...)) under torch.no_grad(), then `return w`.",
    "zh": "原地初始化函数（名字以下划线结尾，如 torch.nn.init.xavier_uniform_）必须填充传入的张量并返回"
          "同一个张量：调用者写的是 `init(layer.weight)`，并不使用返回值。应在 torch.no_grad() 下用 "
          "w.uniform_(...) / w.normal_(...)（或 w.copy_(...)）填充，然后 `return w`。",
}
