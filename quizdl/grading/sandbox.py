"""Run a submission in a separate, resource-limited Python process and collect what it wrote.

The child (started by warm.py, possibly before the job was known) has a fresh temp dir holding
copies of the runner, the harness, the submission and the inputs; a minimal environment; its own
session (so a timeout kills the whole process group); and rlimits on memory, file size, open
files and core dumps, which the runner applies as its very first step (CPU time is lowered after
its numpy/torch imports, before any submission code runs). Nothing the child writes is trusted:
outputs are read with ``np.load(allow_pickle=False)``, reports with ``json.loads`` and both are
size-capped.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from quizdl.grading import warm

TRIPWIRE_EXIT = 86
SANDBOX_EXIT = 87
RUNNER_EXIT = 88

MAX_REPORT_BYTES = 256 * 1024
CONTRACT_HELPERS = Path(__file__).with_name("contract.py")  # the harnesses' quizdl_contract
MAX_TAIL_BYTES = 4096


@dataclass(frozen=True)
class Limits:
    """Resource limits for one child (defaults in warm.py). Torch's import maps ~0.7 GB of
    address space, so the address space cap is a generous backstop and RLIMIT_DATA is the real
    memory limit."""

    timeout_s: float = 20.0
    cpu_s: int | None = None  # default: the timeout, rounded up
    data_bytes: int = warm.DATA_BYTES
    address_space_bytes: int = warm.ADDRESS_SPACE_BYTES
    file_size_bytes: int = warm.FILE_SIZE_BYTES
    open_files: int = warm.OPEN_FILES

    @property
    def cpu_seconds(self) -> int:
        return self.cpu_s if self.cpu_s is not None else max(1, int(self.timeout_s + 0.999))

    def rlimits(self) -> dict[str, int]:
        """Applied by the child before its imports (the CPU limit is lowered after them)."""
        return warm.rlimits(self.data_bytes, self.address_space_bytes, self.file_size_bytes, self.open_files)


@dataclass
class ChildJob:
    """Everything the child needs; written into the temp dir as files and config.json."""

    submission_source: str
    harness_path: Path
    inputs_npz: Path
    cases: list[dict]
    framework: str
    entry_points: list[str]
    forbidden: list[str]
    blocked_imports: list[str]
    protected: list[str]
    module_name: str = "submission"


@dataclass
class ChildOutcome:
    """What came back from the child, still untrusted data (never a verdict by itself)."""

    returncode: int | None
    timed_out: bool
    elapsed_s: float
    stdout: str = ""
    stderr: str = ""
    fatal: dict | None = None  # {"kind", "message"} from the child's report
    case_errors: dict[int, str] = field(default_factory=dict)
    case_contracts: dict[int, list[tuple[str, str]]] = field(default_factory=dict)  # (id, message)
    violation: dict | None = None  # {"kind": "forbidden"|"sandbox", "what"}
    outputs: dict[int, dict] | None = None  # case index -> output name -> array
    bad_outputs: dict[int, str] = field(default_factory=dict)  # case index -> why unreadable
    outputs_problem: str | None = None
    isolation: dict | None = None  # the kernel layers the child reported (see isolation.py)


class RunningChild:
    """A started child process; `wait()` collects its outcome and removes the temp dir."""

    def __init__(self, job: ChildJob, limits: Limits, keep_dir: bool = False) -> None:
        self.limits = limits
        self.keep_dir = keep_dir
        self._child = warm.take(limits.rlimits(), job.framework)  # started early (launch.py, watch), or now
        self.proc = self._child.proc
        self.workdir = Path(self._child.workdir)
        try:
            self._prepare(job)
            self._child.share_files()
        except BaseException:
            self._child.discard()
            raise
        self.started = time.perf_counter()
        self._child.go(str(self.workdir / "config.json"))
        with contextlib.suppress(Exception):  # housekeeping, while the child starts: temp
            warm.sweep_stale()  # dirs left by graders that were killed (kill -9)

    def _prepare(self, job: ChildJob) -> None:
        w = self.workdir
        shutil.copyfile(job.harness_path, w / "harness.py")
        shutil.copyfile(CONTRACT_HELPERS, w / "quizdl_contract.py")
        shutil.copyfile(job.inputs_npz, w / "inputs.npz")
        (w / "submission.py").write_text(job.submission_source, encoding="utf-8")
        config = {
            "workdir": str(w),
            "submission": "submission.py",
            "harness": "harness.py",
            "contract": "quizdl_contract.py",
            "inputs": "inputs.npz",
            "outputs": "outputs.npz",
            "errors": "errors.json",
            "framework": job.framework,
            "entry_points": job.entry_points,
            "forbidden": job.forbidden,
            "blocked_imports": job.blocked_imports,
            "protected": job.protected,
            "cpu_seconds": self.limits.cpu_seconds,
            "cases": job.cases,
            "module_name": job.module_name,
        }
        (w / "config.json").write_text(json.dumps(config), encoding="utf-8")

    def kill(self) -> None:
        self._child.kill()

    def discard(self) -> None:
        """Kill the child and remove its temp dir without reading anything it wrote."""
        try:
            self._child.stop()
        finally:
            self._remove_dir()

    def _remove_dir(self) -> None:
        if not self.keep_dir:
            self._child.remove_dir()

    def wait(self) -> ChildOutcome:
        """Wait (up to the timeout), kill what is left and collect; the temp dir goes whatever
        happens, an interrupt included."""
        try:
            remaining = self.limits.timeout_s - (time.perf_counter() - self.started)
            timed_out = False
            try:
                _wait_for_exit(self.proc, max(0.01, remaining))
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                self._child.stop()  # the whole group: also strays left behind by a finished child
            return self._collect(timed_out, time.perf_counter() - self.started)
        finally:
            self._remove_dir()

    def _collect(self, timed_out: bool, elapsed: float) -> ChildOutcome:
        out = ChildOutcome(
            returncode=None if timed_out else self.proc.returncode,
            timed_out=timed_out,
            elapsed_s=elapsed,
            stdout=self._tail("stdout"),
            stderr=self._tail("stderr"),
            isolation=self._child.isolation,
        )
        report = _read_json(self._child.dir_fd, "errors.json")
        if isinstance(report, dict):
            fatal = report.get("fatal")
            if isinstance(fatal, dict):
                out.fatal = {"kind": str(fatal.get("kind", "")), "message": str(fatal.get("message", ""))[:4000]}
            cases = report.get("cases")
            if isinstance(cases, dict):
                for key, message in cases.items():
                    if str(key).isdigit():
                        out.case_errors[int(key)] = str(message)[:4000]
            contracts = report.get("contracts")
            if isinstance(contracts, dict):
                for key, found in contracts.items():
                    if str(key).isdigit() and isinstance(found, list):
                        out.case_contracts[int(key)] = [
                            (str(item[0])[:100], str(item[1])[:1000]) for item in found[:20]
                            if isinstance(item, list) and len(item) == 2
                        ]
        violation = _read_json(self._child.dir_fd, "violation.json")
        if isinstance(violation, dict):
            out.violation = {"kind": str(violation.get("kind", "")), "what": str(violation.get("what", ""))[:500]}
        out.outputs, out.bad_outputs, out.outputs_problem = _read_outputs(
            self._child.dir_fd, "outputs.npz", self.limits.file_size_bytes
        )
        return out

    def _tail(self, which: str) -> str:
        """The end of what the child printed, read through the grader's own descriptor, with
        control characters and escape sequences made visible."""
        from quizdl.grading.isolation import visible

        return visible(self._child.tail(which, MAX_TAIL_BYTES).decode("utf-8", "replace"))


def _wait_for_exit(proc: subprocess.Popen, timeout: float) -> None:
    """proc.wait(timeout), woken the moment the child exits: Popen.wait polls with sleeps of up
    to 50 ms, a quarter of a watch-mode re-grade. A pidfd (Linux 5.3+) becomes readable on exit."""
    import select

    try:
        fd = os.pidfd_open(proc.pid)
    except (AttributeError, OSError):  # another OS, an old kernel: polling it is
        proc.wait(timeout=timeout)
        return
    try:
        if not select.select([fd], [], [], timeout)[0]:
            raise subprocess.TimeoutExpired(proc.args, timeout)
        proc.wait()  # exited: reap it
    finally:
        os.close(fd)


def open_untrusted(dir_fd: int | None, name: str, max_bytes: int):
    """A regular file the child wrote, opened without following links or blocking on a FIFO,
    as (binary file, size); None when it is missing, not a regular file or larger than allowed."""
    import os
    import stat

    if dir_fd is None:
        return None
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > max_bytes:
            os.close(fd)
            return None
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st.st_size
    except OSError:
        os.close(fd)
        return None


def _read_json(dir_fd: int | None, name: str) -> object:
    """A small JSON file written by the child, or None. Only ever treated as message text."""
    opened = open_untrusted(dir_fd, name, MAX_REPORT_BYTES)
    if opened is None:
        return None
    f, _ = opened
    try:
        with f:
            data = f.read(MAX_REPORT_BYTES + 1)
        if len(data) > MAX_REPORT_BYTES:
            return None
        return json.loads(data.decode("utf-8", "replace"))
    except (OSError, ValueError, RecursionError, MemoryError):
        return None


MAX_MEMBERS = 10_000


def _read_member(zf, info, budget: int):
    """One .npy member as a plain numeric array, its header checked before any allocation:
    (array, None) or (None, why). Never unpickles; reads at most what the header promises."""
    import io

    import numpy as np
    from numpy.lib import format as npy

    with zf.open(info) as member:
        head = member.read(16 * 1024)
        buf = io.BytesIO(head)
        try:
            version = npy.read_magic(buf)
            if version == (1, 0):
                shape, fortran, dtype = npy.read_array_header_1_0(buf, max_header_size=4096)
            elif version in ((2, 0), (3, 0)):
                shape, fortran, dtype = npy.read_array_header_2_0(buf, max_header_size=4096)
            else:
                return None, "is not a plain numeric array"
        except (ValueError, SyntaxError, TypeError):
            return None, "is not a plain numeric array"
        if dtype.hasobject or dtype.fields is not None or dtype.kind not in "biuf" or dtype.subdtype is not None:
            return None, "is not a plain numeric array"
        count = 1
        for dim in shape:
            if not isinstance(dim, int) or dim < 0:
                return None, "is not a plain numeric array"
            count *= dim
        nbytes = count * dtype.itemsize
        if nbytes > budget:
            return None, "is too large"
        offset = buf.tell()
        data = head[offset:] + member.read(max(0, nbytes - (len(head) - offset)) + 1)
    if len(data) != nbytes:
        return None, "is truncated or has trailing data"
    array = np.frombuffer(data, dtype=dtype, count=count).reshape(shape, order="F" if fortran else "C")
    return array.copy(), None


def _read_outputs(dir_fd: int | None, name: str, max_bytes: int) -> tuple[dict[int, dict] | None, dict[int, str], str | None]:
    """Per-case arrays from outputs.npz: a regular file only, every size checked against the
    limit before reading, never unpickling; anything odd is a problem or a bad output, never an
    exception."""
    import zipfile

    opened = open_untrusted(dir_fd, name, max_bytes)
    if opened is None:
        return None, {}, "no outputs were written (or not as a regular file within the size limit)"
    f, _ = opened
    try:
        with f, zipfile.ZipFile(f) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS or sum(info.file_size for info in infos) > max_bytes:
                return None, {}, "the outputs are too large"
            outputs: dict[int, dict] = {}
            bad: dict[int, str] = {}
            budget = max_bytes
            for info in infos:
                key = info.filename[:-4] if info.filename.endswith(".npy") else info.filename
                index, _, out_name = key.partition("/")
                if not index.isdigit() or not out_name or len(index) > 6:
                    continue
                array, why = _read_member(zf, info, budget)
                if array is None:
                    bad[int(index)] = f"output {out_name!r} {why}"
                    continue
                budget -= array.nbytes
                outputs.setdefault(int(index), {})[out_name] = array
        return outputs, bad, None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError,
            RuntimeError, MemoryError, OverflowError):
        return None, {}, "the outputs file is unreadable"


def signal_name(returncode: int | None) -> str | None:
    if returncode is None or returncode >= 0:
        return None
    try:
        return signal.Signals(-returncode).name
    except ValueError:
        return f"signal {-returncode}"
