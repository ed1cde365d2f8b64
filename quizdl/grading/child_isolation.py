"""Kernel-enforced isolation for the sandbox child (Linux): namespaces, a private filesystem view,
uid drop, Landlock, seccomp.

Copied next to the runner (as quizdl_isolation.py) and imported by it before anything else; it
uses only the standard library and ctypes, which it removes from sys.modules when it is done, so
a later ``import ctypes`` raises the import audit event and is refused. Two steps:

``enter(plan)``, first of all (before numpy): new network, IPC and PID namespaces (plus a user
namespace when not root), the drop to an unprivileged uid when run as root, and the process
layout a PID namespace needs: this process stays in the grader's namespace as a relay (it waits,
passes the exit status on and watches the grader), its child is the namespace's init (it reaps,
and its death kills everything in the namespace) and the grandchild returns from ``enter`` and
runs the job. The worker then gets its own mount namespace whose root is a fresh tmpfs holding
read-only bind mounts of only what the interpreter needs (its stdlib, the site-packages entries
except quizdl's own, the system libraries), a few /dev nodes, a fresh /proc and its temp dir
read-write; pivot_root and the detached old root make everything else (the data dir, the
reference cache, the drills, the checkout, $HOME) nonexistent, for stat and readlink too. Only
then does a root child drop its uid (it needs CAP_SYS_ADMIN for the mounts).

``restrict(...)``, after the imports and before any submission code: Landlock (read-only the
interpreter, stdlib, site-packages and system libraries; read-write the temp dir; no TCP; no
signals or abstract sockets outside) and a seccomp filter refusing metadata changes (chmod,
chown, utime, xattrs), ptrace, other processes' memory and TIOCSTI. Then the report of what is
in force goes to the grader on a pipe that is closed before the submission runs.

Every layer is best effort: what the kernel refuses is reported, never fatal.
"""

import contextlib
import os
import struct
import sys

NOBODY = 65534
CLONE_NEWNS = 0x00020000
CLONE_NEWIPC = 0x08000000
CLONE_NEWUSER = 0x10000000
CLONE_NEWPID = 0x20000000
CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PR_SET_KEEPCAPS = 8
PR_CAPBSET_DROP = 24
PR_SET_NO_NEW_PRIVS = 38
PR_SET_SECCOMP = 22
SECCOMP_MODE_FILTER = 2
CAP_DAC_READ_SEARCH = 2
SYS_LANDLOCK_CREATE_RULESET = 444  # the same number on every architecture
SYS_LANDLOCK_ADD_RULE = 445
SYS_LANDLOCK_RESTRICT_SELF = 446

# Landlock filesystem rights, by ABI version.
LL_EXECUTE, LL_WRITE_FILE, LL_READ_FILE, LL_READ_DIR = 1, 2, 4, 8
LL_REMOVE_DIR, LL_REMOVE_FILE, LL_MAKE_CHAR, LL_MAKE_DIR = 16, 32, 64, 128
LL_MAKE_REG, LL_MAKE_SOCK, LL_MAKE_FIFO, LL_MAKE_BLOCK, LL_MAKE_SYM = 256, 512, 1024, 2048, 4096
LL_REFER, LL_TRUNCATE, LL_IOCTL_DEV = 8192, 16384, 32768
LL_FILE_RIGHTS = LL_EXECUTE | LL_WRITE_FILE | LL_READ_FILE | LL_TRUNCATE | LL_IOCTL_DEV
LL_READ = LL_EXECUTE | LL_READ_FILE | LL_READ_DIR

# mount(2) flags and the rest of what the private filesystem view uses.
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_REC, MS_PRIVATE = 4096, 16384, 1 << 18
MNT_DETACH = 2
AT_FDCWD, AT_RECURSIVE = -100, 0x8000
MOUNT_ATTR_RDONLY, MOUNT_ATTR_NOSUID, MOUNT_ATTR_NODEV = 1, 2, 4
SYS_MOUNT_SETATTR = 442  # the same number on every architecture
SYS_PIVOT_ROOT = {"x86_64": 155, "aarch64": 41}
STAGING = ".sandbox-root"  # the new root's mount point, inside the temp dir (empty once pivoted)
SYSTEM_PATHS = ("/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo",
                "/etc/ld.so.cache", "/sys/devices/system/cpu")
DEVICES = ("/dev/null", "/dev/zero", "/dev/urandom", "/dev/random")
SITE_DIR_NAMES = ("site-packages", "dist-packages")
# quizdl's own entries in a site-packages folder (the package, its metadata, editable hooks)
QUIZDL_NAMES = ("quizdl", "_editable_impl_quizdl", "__editable__.quizdl", "__editable___quizdl")

report = {}  # layer -> detail; sent to the grader by restrict()
_state = {"libc": None}
host_tasks = None  # the uid's tasks counted on the host's /proc, before the fresh one hides them


def _libc():
    if _state["libc"] is None:
        import ctypes

        _state["libc"] = ctypes.CDLL(None, use_errno=True)
    return _state["libc"]


def _call(name, *args):
    import ctypes

    fn = getattr(_libc(), name)
    result = fn(*args)
    if result == -1:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return result


def _syscall(number, *args):
    import ctypes

    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    result = libc.syscall(ctypes.c_long(number), *args)
    if result == -1:
        errno = ctypes.get_errno()
        raise OSError(errno, os.strerror(errno))
    return result


def landlock_abi():
    """The kernel's Landlock ABI version, 0 when it has none (or refuses)."""
    try:
        return int(_syscall(SYS_LANDLOCK_CREATE_RULESET, None, 0, 1))
    except (OSError, AttributeError):
        return 0


def _write(path, text):
    fd = os.open(path, os.O_WRONLY)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _drop_uid(keep_read_search):
    """setresuid(nobody) from root, keeping (only) CAP_DAC_READ_SEARCH if asked."""
    import ctypes

    if keep_read_search:
        _call("prctl", PR_SET_KEEPCAPS, 1, 0, 0, 0)
    for cap in range(64):  # the bounding set: only matters for exec, which is refused anyway
        if cap != CAP_DAC_READ_SEARCH or not keep_read_search:
            try:
                _call("prctl", PR_CAPBSET_DROP, cap, 0, 0, 0)
            except OSError:
                break  # EINVAL: past the last capability this kernel knows
    os.setgroups([])
    os.setresgid(NOBODY, NOBODY, NOBODY)
    os.setresuid(NOBODY, NOBODY, NOBODY)
    if keep_read_search:
        header = struct.pack("Ii", 0x20080522, 0)  # _LINUX_CAPABILITY_VERSION_3, this process
        bit = 1 << CAP_DAC_READ_SEARCH
        data = struct.pack("6I", bit, bit, 0, 0, 0, 0)  # effective, permitted, inheritable (x2)
        hbuf, dbuf = ctypes.create_string_buffer(header), ctypes.create_string_buffer(data)
        _call("capset", hbuf, dbuf)
        _call("prctl", PR_SET_KEEPCAPS, 0, 0, 0, 0)


def _unreadable_for_others(dirs):
    """The first folder (or an ancestor) that another user could not read or enter, else None."""
    for d in dirs:
        path = d
        while True:
            try:
                mode = os.stat(path).st_mode
            except OSError:
                return path
            if mode & 0o001 == 0 or (path == d and mode & 0o004 == 0):
                return path
            if path == "/":
                break
            path = os.path.dirname(path)
    return None


def enter(plan, grader_pid):
    """Namespaces, the private filesystem view and the uid drop; returns True when this process
    is now the worker inside a PID namespace (it must not watch the grader itself: the relay does)."""
    want = set(plan.get("layers", ()))
    root = os.geteuid() == 0
    uid, gid = os.getuid(), os.getgid()
    namespaces = []
    if "userns" in want:
        flags = CLONE_NEWNET | CLONE_NEWIPC | CLONE_NEWPID | (0 if root else CLONE_NEWUSER)
        try:
            _call("unshare", flags)
            if not root:
                _write("/proc/self/setgroups", "deny")
                _write("/proc/self/uid_map", f"{uid} {uid} 1")
                _write("/proc/self/gid_map", f"{gid} {gid} 1")
                namespaces.append("user")
            namespaces += ["net", "ipc", "pid"]
        except OSError as exc:
            report["namespaces_error"] = exc.strerror
    report["namespaces"] = namespaces
    report["uid"] = uid
    mount = "mount" in want and (root or "user" in namespaces)
    if "mount" in want and not mount:
        report["mount_error"] = "needs a user namespace, which is off" if "userns" not in want \
            else f"needs a user namespace ({report.get('namespaces_error', 'not granted')})"
    drop = root and plan.get("uid") is not None
    if drop and not mount:  # as before the mount layer: everyone drops now
        _drop(want)
        drop = False
    worker = False
    if "pid" in namespaces:
        worker = _relay(grader_pid, plan.get("status_fd"), _drop_quietly if drop else None)
    if mount:
        global host_tasks
        host_tasks = count_tasks(plan["uid"] if drop else uid)
        import time

        started = time.perf_counter()
        try:
            report["mount"] = _private_root(plan, proc=True)
            report["mount_ms"] = round((time.perf_counter() - started) * 1000, 1)
        except Exception as exc:  # never fatal: grading goes on with the host's view
            report["mount"] = False
            report["mount_error"] = getattr(exc, "strerror", None) or f"{type(exc).__name__}: {exc}"
            host_tasks = None
    if drop:
        _drop(want)
    return worker


def _drop(want):
    """setresuid(nobody), keeping CAP_DAC_READ_SEARCH when the interpreter lives where nobody
    cannot look (/root/.pyenv, without the mount view) or, without the view, when Landlock will
    decide what may be read: even then, reading as root but writing and changing metadata as
    nobody beats staying root. In the view the interpreter's folders are reachable by anyone."""
    keep = _unreadable_for_others(read_only_roots())
    if not report.get("mount"):  # in the view there is nothing more to read than the interpreter
        keep = keep or ("landlock" in want and landlock_abi() >= 1)
    try:
        _drop_uid(bool(keep))
        report["uid"] = os.getuid()
        report["read_search_cap"] = bool(keep)
    except OSError as exc:
        report["uid_error"] = exc.strerror


def _drop_quietly():
    """The relay's and init's drop: they read nothing, so they keep no capability; a failure
    must not end the grade (the worker reports its own)."""
    with contextlib.suppress(OSError):
        _drop_uid(False)


def count_tasks(uid):
    """How many tasks (processes and threads) `uid` runs on the host: RLIMIT_NPROC's base."""
    count = 0
    try:
        with os.scandir("/proc") as entries:
            for entry in entries:
                if entry.name.isdigit():
                    try:
                        if entry.stat().st_uid == uid:
                            count += len(os.listdir(f"/proc/{entry.name}/task"))
                    except OSError:
                        pass
    except OSError:
        return None
    return count


def _inside_any(path, roots):
    return any(_inside(path, r) for r in roots)


def _is_site_dir(path):
    return os.path.basename(path.rstrip("/")) in SITE_DIR_NAMES


def _is_source_root(path):
    """A sys.path entry that is a checkout holding quizdl's sources (an editable install)."""
    return not _is_site_dir(path) and os.path.isfile(os.path.join(path, "quizdl", "__init__.py"))


def _holds_quizdl(path):
    try:
        return any(name.startswith(QUIZDL_NAMES) for name in os.listdir(path))
    except OSError:
        return False


def view_paths(hide=()):
    """(paths to show read-only, paths to hide, site-packages folders to show entry by entry):
    the interpreter, the sys.path entries except quizdl's checkout, the system libraries; hidden
    are quizdl's package, its metadata and what the grader named (its drills, the data dir).
    Literal paths and their real ones: the view keeps the names Python knows. Only these paths
    are shown, so when the interpreter lives in the checkout or $HOME (a .venv in the checkout,
    /root/.pyenv) their parents exist in the view as empty folders holding just that path."""
    hide = [os.path.realpath(h) for h in hide if h]
    show, split = [], []
    for p in [sys.executable, os.path.realpath(sys.executable)] + list(sys.path) + list(SYSTEM_PATHS):
        if not p or not os.path.isabs(p) or not os.path.lexists(p):
            continue
        p = os.path.normpath(p)
        if os.path.isdir(p) and _is_source_root(p):
            hide.append(os.path.realpath(os.path.join(p, "quizdl")))
            continue
        for q in (p, os.path.realpath(p)):
            if q not in show:
                show.append(q)
            if _is_site_dir(q) and os.path.isdir(q) and _holds_quizdl(q) and q not in split:
                split.append(q)
    return sorted(show, key=lambda q: q.count("/")), hide, split


class _Builder:
    """The new root, built under `top` (a fresh tmpfs): mount points first, then binds."""

    def __init__(self, top, hide, split):
        self.top = top
        self.hide = hide
        self.split = split
        self.bound = []  # the paths (as the child sees them) that are bind mounts

    def target(self, path):
        return self.top + path

    def _mkdirs(self, path):
        os.makedirs(self.target(path), 0o755, exist_ok=True)

    def _bind(self, path, source=None):
        """A recursive bind of `source` (default: the host's `path`) at `path` in the new root."""
        source = source or path
        target = self.target(path)
        if os.path.isdir(source):
            os.makedirs(target, 0o755, exist_ok=True)
        else:
            os.makedirs(os.path.dirname(target), 0o755, exist_ok=True)
            if not os.path.lexists(target):
                os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644))
        _call("mount", source.encode(), target.encode(), None, MS_BIND | MS_REC, None)
        self.bound.append(path)

    def show(self, path, depth=0):
        """Make `path` visible read-only, except what is hidden: a folder holding a hidden path
        (or quizdl's entries in site-packages) is recreated and shown entry by entry."""
        if _inside_any(path, self.hide) or _inside_any(path, self.bound):
            return
        if os.path.islink(path):
            link = self.target(path)
            if not os.path.lexists(link):
                os.makedirs(os.path.dirname(link), 0o755, exist_ok=True)
                os.symlink(os.readlink(path), link)
            return
        inner = [h for h in self.hide if _inside(h, path)] + [s for s in self.split if _inside(s, path)]
        site = path in self.split
        if not inner:
            if os.path.isdir(path) or os.path.isfile(path):
                self._bind(path)
            return
        self._mkdirs(path)
        if depth > 8:
            return
        try:
            names = sorted(os.listdir(path))
        except OSError:
            return
        for name in names:
            if site and name.startswith(QUIZDL_NAMES):
                continue
            self.show(os.path.join(path, name), depth + 1)


def _mount_setattr(path, attr_set, attr_clr=0, recursive=True):
    import ctypes

    attr = ctypes.create_string_buffer(struct.pack("QQQQ", attr_set, attr_clr, 0, 0), 32)
    flags = AT_RECURSIVE if recursive else 0
    _syscall(SYS_MOUNT_SETATTR, ctypes.c_int(AT_FDCWD), path.encode(), ctypes.c_uint(flags), attr, ctypes.c_size_t(32))


def _read_only(builder):
    """Every mount under the new root read-only, nosuid, nodev (one call on Linux 5.12+)."""
    try:
        _mount_setattr(builder.top, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV)
        return
    except OSError as exc:
        if exc.errno not in (38, 22):  # ENOSYS, EINVAL: an older kernel, remount one by one
            raise
    locked = {os.ST_NOSUID: MS_NOSUID, os.ST_NODEV: MS_NODEV, os.ST_NOEXEC: MS_NOEXEC,
              os.ST_NOATIME: 1024, os.ST_NODIRATIME: 2048, os.ST_RELATIME: 1 << 21}
    for target in [builder.top] + [builder.target(p) for p in builder.bound]:
        flags = MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV
        for st_flag, ms_flag in locked.items():  # a user namespace must keep what it inherited
            if os.statvfs(target).f_flag & st_flag:
                flags |= ms_flag
        _call("mount", None, target.encode(), None, flags, None)


def _private_root(plan, proc):
    """This process's own mount namespace, rooted in a tmpfs that shows only what the job needs
    (see view_paths), with the temp dir (the cwd) read-write; True once the old root is gone."""
    machine = os.uname().machine
    if machine not in SYS_PIVOT_ROOT:
        raise OSError(0, f"no pivot_root number for {machine}")
    workdir = os.path.realpath(os.getcwd())
    show, hide, split = view_paths(plan.get("hide", ()))
    _call("unshare", CLONE_NEWNS)
    _call("mount", None, b"/", None, MS_REC | MS_PRIVATE, None)  # nothing propagates to the host
    top = os.path.join(workdir, STAGING)
    os.mkdir(top, 0o700)
    _call("mount", b"tmpfs", top.encode(), b"tmpfs", MS_NOSUID | MS_NODEV, b"mode=0755,size=1m,nr_inodes=4096")
    pivoted = False
    try:
        builder = _Builder(top, hide + [workdir], split)
        for p in show:
            builder.show(p)
        for d in DEVICES:  # mount points now: the root goes read-only before they are bound
            if os.path.exists(d):
                builder._mkdirs(os.path.dirname(d))
                os.close(os.open(builder.target(d), os.O_WRONLY | os.O_CREAT | os.O_CLOEXEC, 0o644))
        builder._mkdirs(workdir)
        builder._mkdirs("/proc")
        _read_only(builder)
        for d in DEVICES:
            if os.path.exists(d):
                _call("mount", d.encode(), builder.target(d).encode(), None, MS_BIND, None)
                _call("mount", None, builder.target(d).encode(), None, MS_REMOUNT | MS_BIND | MS_NOSUID, None)
        _call("mount", workdir.encode(), builder.target(workdir).encode(), None, MS_BIND, None)
        _call("mount", None, builder.target(workdir).encode(), None, MS_REMOUNT | MS_BIND | MS_NOSUID | MS_NODEV, None)
        if proc:  # mounted from inside the PID namespace: it lists only the sandbox's processes
            try:
                _call("mount", b"proc", builder.target("/proc").encode(), b"proc",
                      MS_NOSUID | MS_NODEV | MS_NOEXEC, None)
                report["mount_proc"] = True
            except OSError as exc:
                report["mount_proc_error"] = exc.strerror
        os.chdir(top)
        _syscall(SYS_PIVOT_ROOT[machine], b".", b".")
        pivoted = True
        _call("umount2", b".", MNT_DETACH)  # the old root, stacked on the new one, goes
        os.chdir(workdir)
    except BaseException:
        with contextlib.suppress(OSError):
            os.chdir(workdir)
        if not pivoted:
            with contextlib.suppress(OSError):
                _call("umount2", top.encode(), MNT_DETACH)
        raise
    report["mount_binds"] = len(builder.bound)
    return True


def _status_code(status):
    if os.WIFSIGNALED(status):
        return 128 + os.WTERMSIG(status)
    return os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1


def _to_devnull(fd):
    devnull = os.open(os.devnull, os.O_RDWR)
    os.dup2(devnull, fd)
    os.close(devnull)


def _relay(grader_pid, status_fd, drop=None):
    import signal  # now: the relay may drop to a uid that cannot read the stdlib
    import time

    init = os.fork()
    if init == 0:  # the namespace's init: reap everything, leave with the worker's status
        try:
            # (getppid() is 0 in here: the relay is outside. Were it killed before this
            # prctl, it was by the grader's killpg, which reaches this process too.)
            _call("prctl", PR_SET_PDEATHSIG, 9, 0, 0, 0)
            worker = os.fork()
        except BaseException:
            os._exit(1)
        if worker == 0:
            return True
        if drop is not None:  # the worker drops after its mounts; a uid change clears PDEATHSIG
            drop()
            try:
                _call("prctl", PR_SET_PDEATHSIG, 9, 0, 0, 0)
            except OSError:
                os._exit(1)
        _to_devnull(0)
        if status_fd is not None:
            os.close(status_fd)
        while True:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                os._exit(1)
            if pid == worker:
                os._exit(_status_code(status))  # and the kernel kills what is left in here
    # The relay, in the grader's namespace: same process group, so a timeout's killpg reaches
    # all three; when it goes, init gets SIGKILL (PDEATHSIG) and takes the namespace with it.
    if drop is not None:
        drop()
    _to_devnull(0)
    if status_fd is not None:
        os.close(status_fd)
    # No thread can be started after unshare(CLONE_NEWPID): wait for SIGCHLD with a timeout and
    # check on the grader between waits (it enforces the timeout; an orphan would run on).
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    while True:
        pid, status = os.waitpid(init, os.WNOHANG)
        if pid:
            break
        if os.getppid() != grader_pid:
            os.kill(init, signal.SIGKILL)
            os._exit(0)
        signal.sigtimedwait({signal.SIGCHLD}, 0.5)
    code = _status_code(status)
    if 128 < code < 128 + 65:  # the worker died of a signal: die of the same one
        sig = code - 128
        try:
            signal.signal(sig, signal.SIG_DFL)
            os.kill(os.getpid(), sig)
            time.sleep(1)
        except (OSError, ValueError, RuntimeError):
            pass
    os._exit(code)


def _real_dirs(paths):
    out = []
    for p in paths:
        if p and os.path.isdir(p):
            real = os.path.realpath(p)
            if real not in out:
                out.append(real)
    return out


def _inside(path, root):
    return path == root or path.startswith(root.rstrip("/") + "/")


def read_only_roots(extra=()):
    """What Python, numpy and torch need to keep importing: the prefixes, the sys.path entries
    inside them, the loaded numeric packages' folders and the system libraries."""
    prefixes = _real_dirs([sys.prefix, sys.exec_prefix, sys.base_prefix, sys.base_exec_prefix])
    entries = [p for p in _real_dirs(sys.path) if any(_inside(p, r) for r in prefixes)]
    packages = []
    for name in ("numpy", "torch"):
        module = sys.modules.get(name)
        file = getattr(module, "__file__", None)
        if file:
            packages.append(os.path.dirname(file))
    system = ["/usr/lib", "/usr/lib64", "/lib", "/lib64", "/usr/local/lib", "/usr/share/zoneinfo"]
    return _real_dirs(prefixes + entries + packages + system + list(extra))


def _rules(read_dirs, workdir, protected):
    """(path, rights) pairs: a folder holding a protected path is opened up entry by entry."""
    protected = [os.path.realpath(p) for p in protected]
    rules = []

    def allow(path, depth=0):
        if any(_inside(path, p) for p in protected):
            return
        inner = [p for p in protected if _inside(p, path)]
        if not inner:
            rules.append((path, LL_READ))
            return
        rules.append((path, LL_READ_DIR))  # names only: the import system lists folders
        if depth > 8:
            return
        try:
            names = os.listdir(path)
        except OSError:
            return
        for name in names:
            child = os.path.join(path, name)
            if os.path.isdir(child) and not os.path.islink(child):
                allow(child, depth + 1)
            elif not any(_inside(child, p) for p in protected):
                rules.append((child, LL_EXECUTE | LL_READ_FILE))

    for d in read_dirs:
        allow(d)
    for f in ("/etc/ld.so.cache", "/dev/urandom", "/dev/random", "/proc/self", "/proc/cpuinfo",
              "/proc/meminfo", "/sys/devices/system/cpu"):
        if os.path.exists(f):
            rules.append((f, LL_READ if os.path.isdir(f) else LL_READ_FILE))
    rules.append(("/dev/null", LL_READ_FILE | LL_WRITE_FILE))
    rw = (1 << 16) - 1 & ~(LL_MAKE_CHAR | LL_MAKE_BLOCK | LL_MAKE_SOCK | LL_IOCTL_DEV)
    rules.append((workdir, rw))
    return rules


def _landlock(workdir, protected):
    import ctypes

    abi = landlock_abi()
    if abi < 1:
        report["landlock_error"] = "not offered by this kernel"
        return 0
    fs = (1 << 13) - 1
    if abi >= 2:
        fs |= LL_REFER
    if abi >= 3:
        fs |= LL_TRUNCATE
    if abi >= 5:
        fs |= LL_IOCTL_DEV
    net = 3 if abi >= 4 else 0  # bind and connect TCP: no rule allows either
    scoped = 3 if abi >= 6 else 0  # abstract unix sockets and signals outside the sandbox
    attr = struct.pack("QQQ", fs, net, scoped)[: 8 if abi < 4 else 16 if abi < 6 else 24]
    abuf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = _syscall(SYS_LANDLOCK_CREATE_RULESET, abuf, ctypes.c_size_t(len(attr)), 0)
    try:
        for path, rights in _rules(read_only_roots(), workdir, protected):
            try:
                fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
            except OSError:
                continue
            try:
                is_dir = os.path.isdir(path)
                rights &= fs if is_dir else (fs & LL_FILE_RIGHTS)
                rule = ctypes.create_string_buffer(struct.pack("=Qi", rights, fd), 12)
                _syscall(SYS_LANDLOCK_ADD_RULE, ruleset, 1, rule, 0)
            finally:
                os.close(fd)
        _call("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
        _syscall(SYS_LANDLOCK_RESTRICT_SELF, ruleset, 0)
    finally:
        os.close(ruleset)
    report["landlock_fs"] = True
    report["landlock_net"] = bool(net)
    report["landlock_scoped"] = bool(scoped)
    return abi


# Syscalls refused with EPERM by the seccomp filter: metadata changes, ptrace, other processes'
# memory, new namespaces, keyrings, bpf and userfaultfd. (name: (x86_64, aarch64) number)
SECCOMP_DENY = {
    "chmod": (90, None), "fchmod": (91, 52), "fchmodat": (268, 53), "fchmodat2": (452, 452),
    "chown": (92, None), "fchown": (93, 55), "lchown": (94, None), "fchownat": (260, 54),
    "utime": (132, None), "utimes": (235, None), "futimesat": (261, None), "utimensat": (280, 88),
    "setxattr": (188, 5), "lsetxattr": (189, 6), "fsetxattr": (190, 7), "removexattr": (197, 14),
    "lremovexattr": (198, 15), "fremovexattr": (199, 16), "setxattrat": (463, 463),
    "removexattrat": (466, 466), "ptrace": (101, 117), "process_vm_readv": (310, 270),
    "process_vm_writev": (311, 271), "unshare": (272, 97), "setns": (308, 268),
    "keyctl": (250, 219), "add_key": (248, 217), "request_key": (249, 218), "bpf": (321, 280),
    "userfaultfd": (323, 282), "perf_event_open": (298, 241), "mount": (165, 40),
    "name_to_handle_at": (303, 264), "open_by_handle_at": (304, 265),
}
SECCOMP_ARCH = {"x86_64": (0, 0xC000003E, 16), "aarch64": (1, 0xC00000B7, 29)}  # ioctl numbers
TIOCSTI = 0x5412


def _seccomp():
    import ctypes

    machine = os.uname().machine
    if machine not in SECCOMP_ARCH:
        report["seccomp_error"] = f"no syscall table for {machine}"
        return False
    column, audit_arch, ioctl_nr = SECCOMP_ARCH[machine]
    numbers = sorted({nrs[column] for nrs in SECCOMP_DENY.values() if nrs[column] is not None})
    ld_w_abs, jeq_k, ret_k, jge_k = 0x20, 0x15, 0x06, 0x35
    allow, errno_eperm, kill = 0x7FFF0000, 0x00050000 | 1, 0x80000000
    prog = [(ld_w_abs, 0, 0, 4), (jeq_k, 1, 0, audit_arch), (ret_k, 0, 0, kill), (ld_w_abs, 0, 0, 0)]
    if machine == "x86_64":  # the x32 ABI reaches the same calls under other numbers
        prog += [(jge_k, 0, 1, 0x40000000), (ret_k, 0, 0, errno_eperm)]
    for nr in numbers:
        prog += [(jeq_k, 0, 1, nr), (ret_k, 0, 0, errno_eperm)]
    # ioctl(fd, TIOCSTI, ...): the low 32 bits of the second argument (little endian)
    prog += [(jeq_k, 0, 3, ioctl_nr), (ld_w_abs, 0, 0, 24), (jeq_k, 0, 1, TIOCSTI),
             (ret_k, 0, 0, errno_eperm), (ret_k, 0, 0, allow)]
    code = b"".join(struct.pack("HBBI", *ins) for ins in prog)
    filters = ctypes.create_string_buffer(code, len(code))
    fprog = ctypes.create_string_buffer(struct.pack("HxxxxxxP", len(prog), ctypes.addressof(filters)))
    _call("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _call("prctl", PR_SET_SECCOMP, SECCOMP_MODE_FILTER, fprog, 0, 0)
    return True


def restrict(plan, workdir, protected):
    """Landlock and seccomp, then the report to the grader; the last step before user code."""
    want = set(plan.get("layers", ()))
    if "landlock" in want:
        try:
            report["landlock"] = _landlock(workdir, protected)
        except OSError as exc:
            report["landlock"] = 0
            report["landlock_error"] = exc.strerror
    if "seccomp" in want:
        try:
            report["seccomp"] = _seccomp()
        except OSError as exc:
            report["seccomp"] = False
            report["seccomp_error"] = exc.strerror
    report["tty"] = any(_isatty(fd) for fd in range(3))
    fd = plan.get("status_fd")
    if fd is not None:
        import json

        try:
            os.write(fd, json.dumps(report).encode()[:60_000])
        finally:
            os.close(fd)
    _state["libc"] = None
    for name in [n for n in sys.modules if n == "ctypes" or n.startswith(("ctypes.", "_ctypes"))]:
        del sys.modules[name]


def _isatty(fd):
    try:
        return os.isatty(fd)
    except OSError:
        return False
