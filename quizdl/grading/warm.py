"""Starting sandbox children: Python and numpy load while the grader is still reading the drill.

Most of a numpy drill's grade is two imports of numpy: the child's, to run the submission, and
the grader's, to compare. The child's does not depend on what it will run, so the runner is
started with nothing but its resource limits; it applies them, imports numpy and then waits on
its stdin for the path of its config.json, which the grader writes once it knows the job
(sandbox.RunningChild). `quizdl grade` starts one as its very first step (launch.py) with the
default limits; RunningChild adopts it when the job's limits are the same and otherwise starts
its own. A child nobody adopted is killed, and its temp dir removed, when the grader exits; a
child whose grader vanished reads end-of-file and exits.

This module is imported before anything else on that path, so it imports only what it needs.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child_runner.py")
GiB = 1024**3

# Default limits (sandbox.Limits uses the same). Torch's import maps ~0.7 GB of address space,
# so the address-space cap is a generous backstop and RLIMIT_DATA is the real memory limit.
DATA_BYTES = 2 * GiB
ADDRESS_SPACE_BYTES = 6 * GiB
FILE_SIZE_BYTES = 64 * 1024 * 1024
OPEN_FILES = 256
# CPU time is a backstop until the runner's imports are done; it then lowers the limit to
# (CPU used so far + the drill's budget), before any submission code runs.
CPU_BACKSTOP_S = 600


def rlimits(
    data_bytes: int = DATA_BYTES,
    address_space_bytes: int = ADDRESS_SPACE_BYTES,
    file_size_bytes: int = FILE_SIZE_BYTES,
    open_files: int = OPEN_FILES,
) -> dict[str, int]:
    """The limits a child applies as its very first step (no preexec_fn: safe with threads)."""
    return {
        "RLIMIT_DATA": data_bytes,
        "RLIMIT_AS": address_space_bytes,
        "RLIMIT_FSIZE": file_size_bytes,
        "RLIMIT_NOFILE": open_files,
        "RLIMIT_CORE": 0,
        "RLIMIT_CPU": CPU_BACKSTOP_S,
    }


def child_env(workdir: str) -> dict[str, str]:
    """A minimal environment: nothing of the user's, one thread per numeric library."""
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": workdir,
        "TMPDIR": workdir,
        "LANG": "C.UTF-8",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "NUMEXPR_NUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
    }


class StartedChild:
    """A runner process in its own temp dir (0700) and session, waiting for its config."""

    def __init__(self, limits: dict[str, int]) -> None:
        self.limits = dict(limits)
        self.workdir = os.path.realpath(tempfile.mkdtemp(prefix="quizdl-grade-"))
        self.stdout = self.stderr = None
        try:
            os.chmod(self.workdir, 0o700)
            runner = os.path.join(self.workdir, "runner.py")
            with open(RUNNER, "rb") as src, open(runner, "wb") as dst:
                dst.write(src.read())
            self.stdout = open(os.path.join(self.workdir, "stdout.txt"), "wb")  # noqa: SIM115 - closed by the owner
            self.stderr = open(os.path.join(self.workdir, "stderr.txt"), "wb")  # noqa: SIM115
            arg = ",".join(f"{name}={value}" for name, value in self.limits.items())
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-B", runner, arg],
                cwd=self.workdir,
                env=child_env(self.workdir),
                stdin=subprocess.PIPE,
                stdout=self.stdout,
                stderr=self.stderr,
                close_fds=True,
                start_new_session=True,
            )
        except BaseException:
            self.discard()
            raise

    def go(self, config_path: str) -> None:
        """Hand the child its config (files must be in place); it runs from here on."""
        try:
            self.proc.stdin.write(config_path.encode() + b"\n")  # type: ignore[union-attr]
            self.proc.stdin.close()  # type: ignore[union-attr]
        except OSError:  # it already died (e.g. killed from outside): its exit code tells
            pass

    def kill(self) -> None:
        import signal

        proc = getattr(self, "proc", None)
        if proc is not None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(proc.pid, signal.SIGKILL)

    def stop(self) -> None:
        """Kill its process group (strays included), reap it and close its files; the temp dir
        and what the child wrote there stay, to be read."""
        self.kill()
        proc = getattr(self, "proc", None)
        if proc is not None:
            proc.wait()
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        for f in (self.stdout, self.stderr):
            if f is not None:
                f.close()

    def remove_dir(self) -> None:
        import shutil

        shutil.rmtree(self.workdir, ignore_errors=True)

    def discard(self) -> None:
        """Kill it and remove its temp dir, reading nothing."""
        try:
            self.stop()
        finally:
            self.remove_dir()


_waiting: StartedChild | None = None


def start_early(limits: dict[str, int] | None = None) -> None:
    """Start a child now for a grade about to be set up; never fails (grading then starts its own)."""
    global _waiting
    if _waiting is not None:
        return
    try:
        _waiting = StartedChild(limits or rlimits())
    except Exception:
        _waiting = None
        return
    import atexit

    atexit.register(_discard_unused)


def take(limits: dict[str, int]) -> StartedChild:
    """The early child if it is still waiting and has these limits, else a new one."""
    global _waiting
    early, _waiting = _waiting, None
    if early is not None:
        if early.limits == limits and early.proc.poll() is None:
            return early
        early.discard()
    return StartedChild(limits)


def _discard_unused() -> None:
    global _waiting
    early, _waiting = _waiting, None
    if early is not None:
        early.discard()
