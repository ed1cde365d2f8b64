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
import json
import os
import subprocess
import sys
import tempfile

RUNNER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child_runner.py")
ISOLATION = os.path.join(os.path.dirname(os.path.abspath(__file__)), "child_isolation.py")
PREFIX = "quizdl-grade-"
STATUS_BYTES = 65536
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
        "BLIS_NUM_THREADS": "1",
        "VECLIB_MAXIMUM_THREADS": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8",
    }


def _make_workdir() -> tuple[int, str]:
    """A lock file quizdl-grade-XXXX.lock, held (flock) for the grade's lifetime, then the temp
    dir quizdl-grade-XXXX (0700): a dir whose lock is free belongs to a grader that died."""
    import fcntl

    tmp = os.path.realpath(tempfile.gettempdir())
    for _ in range(100):
        fd, lock = tempfile.mkstemp(prefix=PREFIX, suffix=".lock", dir=tmp)
        fcntl.flock(fd, fcntl.LOCK_EX)
        # Between mkstemp and flock another grader's sweep_stale may have taken this lock, seen no
        # dir and unlinked it; a dir made now would have no lock and be swept as a dead grader's
        # while its child runs. So the lock must still be the file at that path.
        try:
            still_ours = os.path.samestat(os.fstat(fd), os.lstat(lock))
        except FileNotFoundError:
            still_ours = False
        if not still_ours:
            os.close(fd)
            continue
        try:
            os.mkdir(lock[: -len(".lock")], 0o700)
        except FileExistsError:
            os.unlink(lock)
            os.close(fd)
            continue
        return fd, lock[: -len(".lock")]
    raise FileExistsError("no free temp dir name")


def _write_into(dir_fd: int, name: str, data: bytes, mode: int = 0o644) -> None:
    fd = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, mode, dir_fd=dir_fd)
    try:
        os.write(fd, data)
        os.fchmod(fd, mode)  # whatever the umask: a dropped-uid child must read it
    finally:
        os.close(fd)


class StartedChild:
    """A runner process in its own temp dir (0700) and session, waiting for its config.

    The grader never trusts that dir: it keeps a descriptor of it from the start (the child may
    rename or replace what lies inside), reads the child's output through the descriptors it
    opened itself, and removes the dir iteratively, whatever its depth or permissions."""

    def __init__(self, limits: dict[str, int], preload: str | None = None) -> None:
        from quizdl.grading import isolation

        self.limits = dict(limits)
        self.preload = preload  # "torch": imported (and settled) while waiting, for torch drills
        self.stdout = self.stderr = None
        self.status_fd: int | None = None
        self.isolation: dict | None = None  # what the child reported, once it is stopped
        self.lock_fd, self.workdir = _make_workdir()
        self.dir_fd = os.open(self.workdir, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        self.plan = isolation.plan()
        write_end = None
        try:
            if self.plan.get("uid") is not None:  # root: the child drops to nobody and owns its dir
                os.fchown(self.dir_fd, self.plan["uid"], self.plan["uid"])
            for name, source in (("runner.py", RUNNER), ("quizdl_isolation.py", ISOLATION)):
                with open(source, "rb") as src:
                    _write_into(self.dir_fd, name, src.read())
            self.stdout = self._output_file("stdout.txt")
            self.stderr = self._output_file("stderr.txt")
            self.status_fd, write_end = os.pipe()
            os.set_blocking(self.status_fd, False)
            plan = dict(self.plan, status_fd=write_end)  # even with no layers: the child reports
            if preload:
                plan["preload"] = preload
            arg = ",".join(f"{name}={value}" for name, value in self.limits.items())
            runner = os.path.join(self.workdir, "runner.py")
            self.proc = subprocess.Popen(
                [sys.executable, "-I", "-B", runner, arg] + ([json.dumps(plan)] if plan else []),
                cwd=self.workdir,
                env=child_env(self.workdir),
                stdin=subprocess.PIPE,
                stdout=self.stdout,
                stderr=self.stderr,
                close_fds=True,
                pass_fds=(write_end,),
                start_new_session=True,
            )
        except BaseException:
            self.discard()
            raise
        finally:
            if write_end is not None:
                os.close(write_end)

    def _output_file(self, name: str):
        """stdout/stderr: opened here for reading back later through this same descriptor."""
        fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600, dir_fd=self.dir_fd)
        return os.fdopen(fd, "w+b")

    def share_files(self) -> None:
        """Let a child that dropped to nobody read what the grader put in its dir (any umask)."""
        if self.plan.get("uid") is None:
            return
        with os.scandir(self.dir_fd) as entries:
            for entry in entries:
                if entry.is_file(follow_symlinks=False) and entry.name not in ("stdout.txt", "stderr.txt"):
                    os.chmod(entry.name, 0o644, dir_fd=self.dir_fd)

    def tail(self, which: str, limit: int) -> bytes:
        """The last `limit` bytes the child wrote to its stdout or stderr (read via our fd)."""
        f = self.stdout if which == "stdout" else self.stderr
        if f is None or f.closed:
            return b""
        try:
            size = os.fstat(f.fileno()).st_size
            return os.pread(f.fileno(), limit, max(0, size - limit))
        except OSError:
            return b""

    def _read_status(self) -> None:
        if self.status_fd is None:
            return
        data = b""
        try:
            while len(data) < STATUS_BYTES:
                chunk = os.read(self.status_fd, STATUS_BYTES)
                if not chunk:
                    break
                data += chunk
        except OSError:  # nothing (more) written
            pass
        finally:
            os.close(self.status_fd)
            self.status_fd = None
        try:
            status = json.loads(data.decode("utf-8", "replace")) if data else None
        except ValueError:
            status = None
        self.isolation = status if isinstance(status, dict) else None

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
        """Kill its process group (strays included) and reap it; the temp dir and what the child
        wrote there stay, to be read (stdout/stderr through our descriptors, see tail())."""
        self.kill()
        proc = getattr(self, "proc", None)
        if proc is not None:
            proc.wait()
            if proc.stdin is not None:
                with contextlib.suppress(OSError):
                    proc.stdin.close()
        self._read_status()

    def remove_dir(self) -> None:
        """Remove the temp dir and its lock; never raises, never follows a link out of it."""
        for f in (self.stdout, self.stderr):
            if f is not None:
                with contextlib.suppress(OSError):
                    f.close()
        if self.status_fd is not None:
            self._read_status()
        if self.dir_fd is not None:
            remove_tree(self.dir_fd, self.workdir)
            self.dir_fd = None
        if self.lock_fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(self.workdir + ".lock")
            os.close(self.lock_fd)
            self.lock_fd = None

    def discard(self) -> None:
        """Kill it and remove its temp dir, reading nothing."""
        try:
            self.stop()
        finally:
            self.remove_dir()


def _open_dir(name: str, dir_fd: int | None) -> int:
    return os.open(name, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC, dir_fd=dir_fd)


def _unlock_dir(name: str, dir_fd: int) -> None:
    """Make a directory the child made unreadable (chmod 000) ours to list again."""
    with contextlib.suppress(OSError):
        os.chmod(name, 0o700, dir_fd=dir_fd, follow_symlinks=True)  # a directory (checked), no link


def remove_tree(top_fd: int, path: str | None, max_steps: int = 10_000_000) -> None:
    """Delete everything under the directory `top_fd` (then `path` itself, if it is still that
    directory) without recursion and with one directory descriptor open at a time, so any depth
    works; closes `top_fd`. Entries that cannot be removed are skipped, never retried forever."""
    import stat

    with contextlib.suppress(OSError):
        os.fchmod(top_fd, 0o700)
    names: list[str] = []  # the path from the top, as names: no descriptors held per level
    stuck: list[set[str]] = [set()]
    fd = top_fd
    steps = 0
    try:
        while steps < max_steps:
            steps += 1
            sub = None
            try:
                with os.scandir(fd) as entries:
                    for entry in entries:
                        if entry.name in stuck[-1]:
                            continue
                        try:
                            is_dir = entry.is_dir(follow_symlinks=False)
                        except OSError:
                            is_dir = False
                        if is_dir:
                            sub = entry.name
                            break
                        try:
                            os.unlink(entry.name, dir_fd=fd)
                        except OSError:
                            stuck[-1].add(entry.name)
            except OSError:
                pass
            if sub is not None:
                try:
                    if not stat.S_ISDIR(os.lstat(sub, dir_fd=fd).st_mode):
                        raise NotADirectoryError(sub)
                    _unlock_dir(sub, fd)
                    new = _open_dir(sub, fd)
                except OSError:
                    with contextlib.suppress(OSError):
                        os.rmdir(sub, dir_fd=fd)
                    stuck[-1].add(sub)
                    continue
                if fd != top_fd:
                    os.close(fd)
                fd = new
                names.append(sub)
                stuck.append(set())
                continue
            if not names:
                break
            parent = top_fd if len(names) == 1 else _open_dir("..", fd)
            if fd != top_fd:
                os.close(fd)
            fd = parent
            name = names.pop()
            stuck.pop()
            try:
                os.rmdir(name, dir_fd=fd)
            except OSError:
                stuck[-1].add(name)
    except OSError:
        pass
    finally:
        if fd != top_fd:
            with contextlib.suppress(OSError):
                os.close(fd)
        if path is not None:
            with contextlib.suppress(OSError):
                if os.path.samestat(os.lstat(path), os.fstat(top_fd)):
                    os.rmdir(path)
        os.close(top_fd)


def sweep_stale() -> None:
    """Remove the temp dirs of graders that died (kill -9): their lock is free (or gone)."""
    import fcntl
    import stat

    tmp = os.path.realpath(tempfile.gettempdir())
    try:
        names = [n for n in os.listdir(tmp) if n.startswith(PREFIX)]
    except OSError:
        return
    mine = {os.geteuid()}
    if os.geteuid() == 0:
        from quizdl.grading.isolation import NOBODY

        mine.add(NOBODY)
    for name in names:
        if name.endswith(".lock"):
            continue
        lock = os.path.join(tmp, name + ".lock")
        try:
            st = os.lstat(os.path.join(tmp, name))
            if not stat.S_ISDIR(st.st_mode) or st.st_uid not in mine:
                continue
            lock_fd = os.open(lock, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
        except FileNotFoundError:
            lock_fd = None  # a live dir always has its lock (made first, removed last)
        except OSError:
            continue
        try:
            if lock_fd is not None:
                try:
                    fcntl.flock(lock_fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except OSError:
                    continue  # its grader is alive
            try:
                top = _open_dir(os.path.join(tmp, name), None)
            except OSError:
                top = None
            if top is not None:
                remove_tree(top, os.path.join(tmp, name))
            if lock_fd is not None:
                with contextlib.suppress(OSError):
                    os.unlink(lock)
        finally:
            if lock_fd is not None:
                os.close(lock_fd)
    for name in names:  # locks left without a dir (killed between unlink and rmdir)
        if name.endswith(".lock") and name[: -len(".lock")] not in names:
            path = os.path.join(tmp, name)
            try:
                fd = os.open(path, os.O_RDWR | os.O_NOFOLLOW | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                if os.path.samestat(os.fstat(fd), os.lstat(path)) and not os.path.exists(path[: -len(".lock")]):
                    os.unlink(path)
            except OSError:
                pass
            finally:
                os.close(fd)


_waiting: StartedChild | None = None


_atexit_registered = False


def start_early(limits: dict[str, int] | None = None, preload: str | None = None) -> None:
    """Start a child now for a grade about to be set up; never fails (grading then starts its own).

    `preload="torch"` has the child import torch while it waits: watch mode starts the next grade's
    child as soon as one ends, so a re-grade pays for the tests, not the imports. Only for torch
    drills: an imported torch would be reachable from a numpy drill's submission."""
    global _waiting, _atexit_registered
    if _waiting is not None:
        if _waiting.preload == preload and _waiting.proc.poll() is None:
            return
        _discard_unused()
    try:
        _waiting = StartedChild(limits or rlimits(), preload)
    except Exception:
        _waiting = None
        return
    if not _atexit_registered:
        import atexit

        atexit.register(_discard_unused)
        _atexit_registered = True


def take(limits: dict[str, int], framework: str | None = None) -> StartedChild:
    """The early child if it is still waiting with these limits (and torch preloaded only for a
    torch drill), else a new one."""
    global _waiting
    early, _waiting = _waiting, None
    if early is not None:
        fits = early.preload is None or early.preload == framework
        if fits and early.limits == limits and early.proc.poll() is None and early.plan == _plan():
            return early
        early.discard()
    return StartedChild(limits)


def _plan() -> dict:
    from quizdl.grading import isolation

    return isolation.plan()


def _discard_unused() -> None:
    global _waiting
    early, _waiting = _waiting, None
    if early is not None:
        early.discard()
