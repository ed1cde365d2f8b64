"""Sandbox attack suite: each attack ends in a clear non-pass, the grader stays intact and nothing
outside the sandbox's temp dir is touched. Attacks run on the cheap numpy drill (softmax-ce) with a
short timeout; forbidden-API attacks also run on the torch drill (bn)."""

from __future__ import annotations

from pathlib import Path

import pytest

from quizdl import paths
from quizdl.drills import load_folder
from quizdl.grading.engine import grade
from quizdl.grading.sandbox import Limits

SOFTMAX = load_folder(paths.builtin_dir("drills") / "softmax-ce")[0]
BN = load_folder(paths.builtin_dir("drills") / "bn")[0]
REFERENCE = SOFTMAX.reference_path.read_text(encoding="utf-8")
HEADER = "# quizdl drill: softmax-ce\nimport numpy as np\n"
FAST = Limits(timeout_s=2.0)


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "canary.txt"
    path.write_text("alive")
    return path


def _grade(source: str, cache_root: Path, drill=SOFTMAX, limits: Limits = FAST):
    result = grade(drill, source=source, limits=limits, cache_root=cache_root)
    assert result.status != "pass"
    return result


def _text(result) -> str:
    return " ".join([result.message or ""] + [g.message for g in result.groups])


def _intact(canary: Path) -> None:
    assert canary.exists() and canary.read_text() == "alive"


# --- runaway code -----------------------------------------------------------------------------


def test_infinite_loop_times_out(cache_root):
    result = _grade(HEADER + "while True:\n    pass\n", cache_root)
    assert result.status == "error" and "timed out" in result.message


def test_long_sleep_times_out(cache_root):
    result = _grade(HEADER + "import time\ntime.sleep(1e6)\n", cache_root)
    assert "timed out" in result.message


def test_infinite_loop_inside_a_case_times_out(cache_root):
    source = REFERENCE + "\ndef softmax(x, axis=-1):\n    while True:\n        pass\n"
    assert "timed out" in _grade(source, cache_root).message


def test_cpu_limit_stops_a_busy_loop_before_a_long_wall_clock_timeout(cache_root):
    result = _grade(HEADER + "while True:\n    pass\n", cache_root, limits=Limits(timeout_s=20.0, cpu_s=1))
    assert "CPU time" in result.message


def test_50_gb_allocation_is_a_memory_error(cache_root):
    result = _grade(HEADER + "x = np.ones(50_000_000_000 // 8)\n" + REFERENCE, cache_root)
    assert "out of memory" in result.message


def test_50_gb_allocation_inside_a_case(cache_root):
    source = REFERENCE + "\n_s = softmax\ndef softmax(x, axis=-1):\n    b = bytearray(50 * 1024**3)\n    return _s(x, axis)\n"
    assert "out of memory" in _text(_grade(source, cache_root))


def test_fork_bomb_is_stopped(cache_root):
    result = _grade(HEADER + "import os\nwhile True:\n    os.fork()\n", cache_root)
    assert "fork" in result.message and "sandbox" in result.message


def test_multiprocessing_fork_bomb_is_stopped(cache_root):
    source = HEADER + "import multiprocessing as mp\nwhile True:\n    mp.Process(target=print).start()\n"
    assert "sandbox" in _grade(source, cache_root).message


def test_subprocess_is_stopped(cache_root, tmp_path):
    marker = tmp_path / "pwned"
    source = HEADER + f"import subprocess\nsubprocess.run(['touch', {str(marker)!r}])\n"
    assert "starting a process" in _grade(source, cache_root).message
    assert not marker.exists()


def test_os_system_and_posix_spawn_are_stopped(cache_root, tmp_path):
    marker = tmp_path / "pwned"
    for call in (f"os.system('touch {marker}')", f"os.posix_spawn('/usr/bin/touch', ['touch', '{marker}'], {{}})"):
        assert "sandbox" in _grade(HEADER + "import os\n" + call + "\n", cache_root).message
    assert not marker.exists()


def test_a_fresh_fork_exec_cannot_be_loaded(cache_root):
    source = HEADER + "import importlib.util as u\nm = u.module_from_spec(u.find_spec('_posix' + 'subprocess'))\n"
    assert "sandbox" in _grade(source, cache_root).message


def test_ctypes_is_stopped(cache_root, tmp_path):
    marker = tmp_path / "pwned"
    source = HEADER + f"import ctypes\nctypes.CDLL(None).system(b'touch {marker}')\n"
    assert "sandbox" in _grade(source, cache_root).message
    assert not marker.exists()


def test_recursion_bomb(cache_root):
    source = REFERENCE + "\ndef softmax(x, axis=-1):\n    return softmax(x, axis)\n"
    assert "recursion" in _text(_grade(source, cache_root))


def test_recursion_bomb_with_raised_limit(cache_root):
    source = HEADER + "import sys\nsys.setrecursionlimit(10**8)\ndef f(n):\n    return f(n + 1) + 1\nf(0)\n"
    result = _grade(source, cache_root)
    assert result.status == "error" and result.message


def test_one_gigabyte_of_stdout_is_cut_off(cache_root):
    source = HEADER + "import sys\nchunk = 'x' * (1 << 20)\nfor _ in range(1024):\n    sys.stdout.write(chunk)\n" + REFERENCE
    result = _grade(source, cache_root)
    assert "MB" in result.message and "file size limit" in result.message
    assert len(result.output) <= 4096


# --- lying about the result ---------------------------------------------------------------------


def test_os_exit_0_at_import(cache_root):
    result = _grade(HEADER + "import os\nos._exit(0)\n", cache_root)
    assert "stopped before reporting results" in result.message


def test_sys_exit_0_after_printing_a_fake_pass(cache_root):
    result = _grade(HEADER + "print('PASS: all tests passed')\nimport sys\nsys.exit(0)\n", cache_root)
    assert "sys.exit" in result.message


def test_sys_exit_inside_a_case(cache_root):
    source = REFERENCE + "\ndef cross_entropy(logits, targets):\n    import sys\n    print('passed')\n    sys.exit(0)\n"
    result = _grade(source, cache_root)
    assert result.status == "fail" and "sys.exit" in _text(result)


def test_monkeypatching_numpy_comparisons_changes_nothing(cache_root):
    broken = REFERENCE.replace("return e / np.sum(e, axis=axis, keepdims=True)", "return e")
    source = broken + (
        "\nnp.allclose = lambda *a, **k: True\nnp.isclose = lambda *a, **k: True\n"
        "np.testing.assert_allclose = lambda *a, **k: None\nnp.array_equal = lambda *a, **k: True\n"
    )
    result = _grade(source, cache_root)
    assert result.status == "fail" and "softmax" in _text(result)


def test_monkeypatching_torch_comparisons_changes_nothing(cache_root):
    source = (BN.reference_path.read_text().replace("var * n / (n - 1)", "var")
              + "\ntorch.allclose = lambda *a, **k: True\ntorch.testing.assert_close = lambda *a, **k: None\n"
              "torch.equal = lambda *a, **k: True\n")
    result = _grade("# quizdl drill: bn\n" + source, cache_root, drill=BN, limits=Limits(timeout_s=30))
    assert result.status == "fail" and result.diagnosis and result.diagnosis.id == "biased-running-var"


def test_partial_output_fails(cache_root):
    source = REFERENCE + "\n_real = softmax\ncalls = []\ndef softmax(x, axis=-1):\n    calls.append(1)\n    if len(calls) > 3:\n        import os\n        os._exit(0)\n    return _real(x, axis)\n"
    result = _grade(source, cache_root)
    assert result.status == "error" and "stopped before reporting results" in result.message


def test_object_array_output_fails(cache_root):
    source = REFERENCE.replace("    return grad / n", "    return np.array([object()] * 3, dtype=object)")
    assert "not a plain numeric array" in _text(_grade(source, cache_root))


def test_pickled_output_is_never_unpickled(cache_root, capfd):
    source = REFERENCE + (
        "\nclass Evil:\n    def __reduce__(self):\n        return (print, ('UNPICKLED',))\n"
        "_save = np.savez\n"
        "def _evil(path, **kw):\n    _save(path, **{k: np.array([Evil()], dtype=object) for k in kw})\n"
        "np.savez = _evil\n"
    )
    result = _grade(source, cache_root)
    assert "not a plain numeric array" in _text(result)
    assert "UNPICKLED" not in capfd.readouterr().out


# --- the file system ---------------------------------------------------------------------------


def test_writing_outside_the_sandbox_is_stopped(cache_root, canary):
    result = _grade(HEADER + f"open({str(canary)!r}, 'w').write('pwned')\n" + REFERENCE, cache_root)
    assert "writing" in result.message
    _intact(canary)


def test_os_open_for_writing_outside_is_stopped(cache_root, canary):
    source = HEADER + f"import os\nfd = os.open({str(canary)!r}, os.O_WRONLY | os.O_TRUNC)\nos.write(fd, b'x')\n"
    assert "sandbox" in _grade(source, cache_root).message
    _intact(canary)


def test_deleting_outside_the_sandbox_is_stopped(cache_root, canary):
    result = _grade(HEADER + f"import os\nos.remove({str(canary)!r})\n" + REFERENCE, cache_root)
    assert "os.remove" in result.message
    _intact(canary)


def test_renaming_and_rmtree_outside_are_stopped(cache_root, canary):
    for code in (f"os.rename({str(canary)!r}, {str(canary)!r} + '.x')",
                 f"import shutil\nshutil.rmtree({str(canary.parent)!r})"):
        assert "sandbox" in _grade(HEADER + "import os\n" + code + "\n", cache_root).message
    _intact(canary)


def test_path_tricks_do_not_escape(cache_root, canary):
    tricky = f"../../../../../../../..{canary}"
    result = _grade(HEADER + f"import os\nos.chdir('/')\nopen({tricky!r}, 'w')\n", cache_root)
    assert "sandbox" in result.message
    result = _grade(HEADER + f"import os\nos.symlink({str(canary)!r}, 'link')\nopen('link', 'w').write('x')\n", cache_root)
    assert "sandbox" in result.message
    _intact(canary)


def test_reading_the_reference_is_stopped(cache_root):
    source = HEADER + f"exec(open({str(SOFTMAX.reference_path)!r}).read())\n"
    assert "grader files are off limits" in _grade(source, cache_root).message


def test_reading_the_cache_and_data_dir_is_stopped(cache_root, quizdl_home):
    quizdl_home.mkdir(parents=True, exist_ok=True)
    (quizdl_home / "progress.sqlite3").write_text("secret")
    source = HEADER + f"print(open({str(quizdl_home / 'progress.sqlite3')!r}).read())\n"
    assert "off limits" in _grade(source, cache_root).message
    source = HEADER + f"import os\nprint(os.listdir({str(SOFTMAX.folder)!r}))\n"
    assert "off limits" in _grade(source, cache_root).message


def test_writing_inside_the_sandbox_is_fine(cache_root):
    source = HEADER + "open('scratch.txt', 'w').write('ok')\n" + REFERENCE
    assert grade(SOFTMAX, source=source, limits=FAST, cache_root=cache_root).status == "pass"


def test_the_submission_never_runs_in_the_grading_process(cache_root, tmp_path):
    marker = tmp_path / "ran-here"
    source = HEADER + f"import os\nif os.getpid() == {__import__('os').getpid()}:\n    open({str(marker)!r}, 'w')\n" + REFERENCE
    grade(SOFTMAX, source=source, limits=FAST, cache_root=cache_root)
    assert not marker.exists()


# --- plain mistakes ------------------------------------------------------------------------------


def test_syntax_error_has_line_and_column(cache_root):
    result = _grade(HEADER + "def softmax(x, axis=-1)\n    return x\n", cache_root)
    assert result.status == "error" and "syntax error at line 3:" in result.message


def test_missing_entry_point(cache_root):
    result = _grade(HEADER + "def softmax(x, axis=-1):\n    return x\n", cache_root)
    assert "missing entry point" in result.message and "cross_entropy_grad" in result.message


def test_import_error(cache_root):
    result = _grade(HEADER + "import no_such_module_here\n", cache_root)
    assert "ModuleNotFoundError" in result.message and "line 3" in result.message


def test_exception_shows_only_the_users_frames(cache_root):
    source = REFERENCE + "\ndef helper(x):\n    return x / undefined_name\n\ndef softmax(x, axis=-1):\n    return helper(x)\n"
    text = _text(_grade(source, cache_root))
    assert "NameError" in text and "in helper" in text and "in softmax" in text
    assert "harness" not in text and "runner" not in text and "Traceback" not in text


def test_wrong_shape(cache_root):
    source = REFERENCE.replace("    return grad / n", "    return (grad / n).T")
    assert "has shape" in _text(_grade(source, cache_root))


def test_nan_output(cache_root):
    source = REFERENCE.replace("    return grad / n", "    return grad / n * np.nan")
    assert "is NaN" in _text(_grade(source, cache_root))


# --- forbidden APIs -----------------------------------------------------------------------------


def test_import_torch_in_a_numpy_drill(cache_root):
    assert "imports torch" in _grade(HEADER + "import torch\n" + REFERENCE, cache_root).message
    for trick in ("import importlib\nt = importlib.import_module('tor' + 'ch')\n", "t = __import__('tor' + 'ch')\n"):
        result = _grade(HEADER + trick + REFERENCE, cache_root)
        assert "import torch" in result.message and "does not allow" in result.message


BN_WRAPPER = '''
class BatchNorm1d(torch.nn.Module):
    def __init__(self, num_features, eps=1e-5, momentum=0.1):
        super().__init__()
        self.eps, self.momentum = eps, momentum
        self.weight = torch.nn.Parameter(torch.ones(num_features))
        self.bias = torch.nn.Parameter(torch.zeros(num_features))
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))

    def forward(self, x):
        return FN(x, self.running_mean, self.running_var, self.weight, self.bias,
                  self.training, self.momentum, self.eps)
'''
BN_HEADER = "# quizdl drill: bn\nimport importlib\nimport torch\nimport torch.nn.functional as F\n"


@pytest.mark.parametrize(
    ("how", "static"),
    [
        ("FN = F.batch_norm", True),
        ("from torch.nn.functional import batch_norm as FN", True),
        ("FN = getattr(F, 'batch_norm')", True),
        ("FN = getattr(F, 'batch_' + 'norm')", False),
        ("FN = getattr(importlib.import_module('torch.nn.' + 'functional'), 'batch_' + 'norm')", False),
        ("FN = lambda x, rm, rv, w, b, t, m, e: getattr(torch._C._VariableFunctions, 'batch_' + 'norm')"
         "(x, w, b, rm, rv, t, m, e, False)", False),
    ],
)
def test_forbidden_api_direct_and_hidden(cache_root, how, static):
    result = _grade(BN_HEADER + how + "\n" + BN_WRAPPER, cache_root, drill=BN, limits=Limits(timeout_s=30))
    assert result.status == "error"
    assert "batch_norm" in result.message
    if static:  # caught before anything runs
        assert result.message.startswith("line ")
    else:  # caught by the runtime tripwire
        assert "the submission used torch." in result.message


def test_tampering_with_the_stop_function_still_fails_closed(cache_root, canary):
    source = BN_HEADER + f"""
wire = F.__dict__['batch_' + 'norm']
stop = object.__getattribute__(wire, '_stop')
for cell in stop.__closure__:
    if getattr(cell.cell_contents, '__name__', '') in ('_exit', '_write_file'):
        cell.cell_contents = lambda *a, **k: None
try:
    open({str(canary)!r}, 'w').write('pwned')
except PermissionError:
    pass
""" + BN.reference_path.read_text()
    result = _grade(source, cache_root, drill=BN, limits=Limits(timeout_s=30))
    _intact(canary)
    assert result.status == "error"


# --- torch settled before the sandbox is armed ------------------------------------------------


def test_settled_torch_runs_optimizers_without_importing_dynamo():
    """Every Optimizer method a subclass uses skips torch._dynamo (as long as `import torch`);
    if a torch release renames these wrappers the list shrinks and this test says so."""
    import subprocess
    import sys

    code = """
import sys, torch
from quizdl.grading.child_runner import DYNAMO_DISABLED_METHODS, settle_torch
settled = settle_torch(torch)
assert settled == [*DYNAMO_DISABLED_METHODS, "_use_grad_for_differentiable"], settled
from torch.optim.optimizer import _use_grad_for_differentiable

class SGD(torch.optim.Optimizer):
    def __init__(self, params, lr):
        super().__init__(params, dict(lr=lr, differentiable=False))

    @_use_grad_for_differentiable
    def step(self, closure=None):
        assert not torch.is_grad_enabled()
        for group in self.param_groups:
            for p in group["params"]:
                p.add_(p.grad, alpha=-group["lr"])

p = torch.nn.Parameter(torch.ones(3))
opt = SGD([p], 0.5)
for _ in range(2):
    opt.zero_grad()
    (p ** 2).sum().backward()
    opt.step()
opt.load_state_dict(opt.state_dict())
opt.add_param_group({"params": [torch.nn.Parameter(torch.zeros(1))]})
assert torch.equal(p.detach(), torch.zeros(3)), p
assert "torch._dynamo" not in sys.modules
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


def test_optimizer_step_in_torchs_own_style_grades(cache_root):
    """A step decorated like torch's optimisers (their eager decorator) passes in the sandbox."""
    adam = load_folder(paths.builtin_dir("drills") / "adam")[0]
    source = adam.reference_path.read_text(encoding="utf-8")
    source = source.replace("    @torch.no_grad()\n    def step(", "    @_use_grad_for_differentiable\n    def step(", 1)
    source = source.replace("import torch\n", "import torch\nfrom torch.optim.optimizer import _use_grad_for_differentiable\n", 1)
    source = source.replace("weight_decay=weight_decay)", "weight_decay=weight_decay, differentiable=False)", 1)
    assert "@_use_grad_for_differentiable" in source and "differentiable=False" in source
    result = grade(adam, source=source, limits=Limits(timeout_s=60), cache_root=cache_root)
    assert result.status == "pass", result.message or [g.message for g in result.groups]
