"""Sandbox child: runs one submission on every case and writes its outputs as plain arrays.

This file is copied into a fresh temp dir and run as ``python -I -B runner.py LIMITS``; it reads
the path of its config.json from stdin once numpy is imported (see warm.py).
It never imports quizdl and never sees expected values: the grader compares in its own process.
Order matters: import numpy/torch and the harness, load inputs, apply the CPU limit, then arm the
tripwires, the import blocker and the audit hook, and only then import the submission.

Exit codes: 0 done (outputs may still be wrong or partial), 86 a forbidden API was used,
87 a sandboxed operation was attempted, 88 the runner itself could not start.
"""

import contextlib
import json
import os
import sys

TRIPWIRE_EXIT = 86
SANDBOX_EXIT = 87
RUNNER_EXIT = 88
MAX_MESSAGE = 2000
MAX_REPORT = 60_000

# Modules that create processes or load native code, partly without audit events (sockets are
# audited on use, and numpy.testing imports socket, so importing it stays allowed).
DANGEROUS_MODULES = frozenset(
    {"_posixsubprocess", "_ctypes", "ctypes", "_multiprocessing", "multiprocessing", "pty",
     "_posixshmem", "_sqlite3", "_xxsubinterpreters"}
)


def _write_file(path, text, _open=os.open, _write=os.write, _close=os.close):
    fd = _open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        _write(fd, text.encode("utf-8", "replace")[:MAX_REPORT])
    finally:
        _close(fd)


def make_stopper(workdir, _exit=os._exit, _write_file=_write_file, _dumps=json.dumps):
    """A function that records why the run stopped and leaves at once (os._exit, no cleanup).
    Everything it needs is bound now, so monkeypatching os or json later changes nothing."""
    path = os.path.join(workdir, "violation.json")

    def stop(kind, what, code):
        try:
            _write_file(path, _dumps({"kind": kind, "what": str(what)[:MAX_MESSAGE]}))
        finally:
            _exit(code)

    return stop


class Tripwire:
    """Stands in for a forbidden API: calling it, subclassing it or reading an attribute stops the run."""

    __slots__ = ("_api", "_stop")

    def __init__(self, api, stop):
        object.__setattr__(self, "_api", api)
        object.__setattr__(self, "_stop", stop)

    def _trip(self):
        api = object.__getattribute__(self, "_api")
        object.__getattribute__(self, "_stop")("forbidden", api, TRIPWIRE_EXIT)
        raise RuntimeError(f"quizdl sandbox: {api} is not allowed")

    def __call__(self, *args, **kwargs):
        self._trip()

    def __getattr__(self, name):
        self._trip()

    def __mro_entries__(self, bases):
        self._trip()

    def __instancecheck__(self, obj):
        return False

    def __repr__(self):
        return f"<forbidden {object.__getattribute__(self, '_api')}>"


class GuardedNamespace:
    """Proxy for a read-only namespace (e.g. torch._C._VariableFunctions) hiding forbidden names."""

    __slots__ = ("_target", "_blocked")

    def __init__(self, target, blocked):
        object.__setattr__(self, "_target", target)
        object.__setattr__(self, "_blocked", blocked)

    def __getattr__(self, name):
        blocked = object.__getattribute__(self, "_blocked")
        if name in blocked:
            return blocked[name]
        return getattr(object.__getattribute__(self, "_target"), name)

    def __dir__(self):
        return dir(object.__getattribute__(self, "_target"))


def _resolve(dotted):
    """(parent object, attribute name, object) for an importable dotted name, else None."""
    import importlib

    parts = dotted.split(".")
    for cut in range(len(parts) - 1, 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        parent = None
        try:
            for attr in parts[cut:]:
                parent, obj = obj, getattr(obj, attr)
        except AttributeError:
            return None
        return parent, parts[-1], obj
    return None


def _sweep(replacements, prefixes):
    """Replace every module-level reference to a replaced object (aliases like
    torch.nn.modules.batchnorm.BatchNorm1d) in loaded modules under `prefixes`."""
    by_id = {id(old): new for old, new in replacements}
    for name, module in list(sys.modules.items()):
        if not name.startswith(prefixes):
            continue
        namespace = getattr(module, "__dict__", None)
        if not isinstance(namespace, dict):
            continue
        for key, value in list(namespace.items()):
            new = by_id.get(id(value))
            if new is not None:
                namespace[key] = new


def _extra_namespaces(top):
    """Read-only namespaces that hold second references to framework functions."""
    if top != "torch" or "torch" not in sys.modules:
        return []
    c = getattr(sys.modules["torch"], "_C", None)
    return [ns for ns in (getattr(c, "_VariableFunctions", None), getattr(c, "_nn", None)) if ns is not None]


def install_tripwires(forbidden, stop):
    """Swap every forbidden API object (and its aliases) for a Tripwire."""
    replacements = []
    prefixes = set()
    readonly = {}
    for dotted in forbidden:
        found = _resolve(dotted)
        if found is None:
            continue
        parent, attr, obj = found
        wire = Tripwire(dotted, stop)
        prefixes.add(dotted.split(".")[0])
        try:
            setattr(parent, attr, wire)
        except (AttributeError, TypeError):
            readonly.setdefault(id(parent), (parent, {}))[1][attr] = wire
        replacements.append((obj, wire))
        for namespace in _extra_namespaces(dotted.split(".")[0]):
            if namespace is not parent and getattr(namespace, attr, None) is obj:
                readonly.setdefault(id(namespace), (namespace, {}))[1][attr] = wire
    for parent, blocked in readonly.values():
        replacements.append((parent, GuardedNamespace(parent, blocked)))
    if replacements:
        _sweep(replacements, tuple(p + "." for p in prefixes) + tuple(prefixes))


def close_process_doors(stop):
    """fork_exec makes processes without an audit event: swap it (and its aliases) for a tripwire,
    and refuse to load a fresh copy of any dangerous extension module."""
    import _imp

    try:
        import _posixsubprocess
    except ImportError:
        _posixsubprocess = None
    if _posixsubprocess is not None:
        original = _posixsubprocess.fork_exec
        wire = Tripwire("subprocess (process creation)", stop)
        _posixsubprocess.fork_exec = wire
        by_id = {id(original): wire}
        for module in list(sys.modules.values()):
            namespace = getattr(module, "__dict__", None)
            if isinstance(namespace, dict):
                for key, value in list(namespace.items()):
                    if id(value) in by_id:
                        namespace[key] = wire
    create_dynamic = _imp.create_dynamic

    def guarded_create_dynamic(spec, *args, _orig=create_dynamic, _bad=DANGEROUS_MODULES):
        if spec.name.split(".")[0] in _bad:
            stop("sandbox", f"loading the {spec.name} extension module", SANDBOX_EXIT)
            raise ImportError(f"quizdl sandbox: {spec.name}")
        return _orig(spec, *args)

    _imp.create_dynamic = guarded_create_dynamic


class ImportBlocker:
    """Meta-path finder refusing blocked top-level modules (e.g. torch in a numpy drill)."""

    def __init__(self, blocked, stop):
        self._blocked = frozenset(blocked)
        self._stop = stop

    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in self._blocked:
            self._stop("forbidden", f"import {name}", TRIPWIRE_EXIT)
            raise ImportError(f"quizdl sandbox: import {name} is not allowed")
        return None


def make_audit_hook(workdir, protected, blocked_imports):
    """The audit hook: writes, deletes and directory changes only inside `workdir`; no reading
    of `protected` paths; no processes, sockets, ctypes, rlimit changes or gc introspection.
    Every helper is bound here (closure and defaults) so later monkeypatching cannot reach it."""
    import posix
    import stat

    lstat = posix.lstat
    readlink = posix.readlink
    getcwd = posix.getcwd
    fsdecode = os.fsdecode
    is_link = stat.S_ISLNK
    write_flags = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
    _isinstance, _str, _bytes, _int, _tuple, _any = isinstance, str, bytes, int, tuple, any
    _Exception = Exception
    _PermissionError = PermissionError

    _open, _write, _close, _exit, _dumps = os.open, os.write, os.close, os._exit, json.dumps
    violation_path = os.path.join(workdir, "violation.json")
    create = os.O_WRONLY | os.O_CREAT | os.O_TRUNC

    def deny(kind, what, code):
        """Record why, then leave at once. Uses only functions bound here: tampering with the
        tripwires' `stop` (reachable from a Tripwire) cannot weaken the hook."""
        try:
            fd = _open(violation_path, create, 0o600)
            try:
                _write(fd, _dumps({"kind": kind, "what": what[:MAX_MESSAGE]}).encode("utf-8", "replace"))
            finally:
                _close(fd)
        finally:
            _exit(code)
        raise _PermissionError(f"quizdl sandbox: {what}")  # not reached; fail closed regardless

    workdir = workdir.rstrip("/")
    protected = _tuple(p.rstrip("/") for p in protected)
    blocked_imports = frozenset(blocked_imports)
    my_proc = (f"/proc/{os.getpid()}", "/proc/self", "/proc/thread-self")
    forbidden_events = {
        "subprocess.Popen": "starting a process", "os.system": "starting a process",
        "os.exec": "starting a process", "os.fork": "forking", "os.forkpty": "forking",
        "os.posix_spawn": "starting a process", "os.spawn": "starting a process",
        "os.kill": "sending signals", "os.killpg": "sending signals",
        "os.chdir": "changing directory", "os.chroot": "changing root",
        "resource.setrlimit": "changing resource limits", "resource.prlimit": "changing resource limits",
        "gc.get_objects": "gc introspection", "gc.get_referrers": "gc introspection",
        "gc.get_referents": "gc introspection",
        "os.symlink": "creating symlinks", "os.link": "creating hard links",
        "os.setuid": "changing user", "os.setsid": "leaving the process group",
        "os.setpgid": "leaving the process group", "sys.remote_exec": "remote exec",
        "webbrowser.open": "opening a browser", "shutil.unpack_archive": "unpacking archives",
    }
    path_events = {
        "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod", "os.chown", "os.chflags",
        "os.lchflags", "os.truncate", "os.utime", "os.mkfifo", "os.mknod", "os.setxattr",
        "os.removexattr", "shutil.rmtree", "shutil.move", "shutil.copyfile", "shutil.copymode",
        "shutil.copystat", "shutil.copytree", "shutil.chown",
    }
    listing_events = {"os.listdir", "os.scandir", "glob.glob", "glob.glob/2", "os.listxattr",
                      "os.getxattr"}

    def real(path):
        """Absolute path with symlinks resolved (a small realpath on bound C functions)."""
        if _isinstance(path, _bytes):
            path = fsdecode(path)
        if not path.startswith("/"):
            path = getcwd() + "/" + path
        parts = []
        todo = path.split("/")[::-1]
        hops = 0
        while todo:
            part = todo.pop()
            if part in ("", "."):
                continue
            if part == "..":
                if parts:
                    parts.pop()
                continue
            candidate = "/" + "/".join(parts + [part])
            try:
                link = is_link(lstat(candidate).st_mode)
            except _Exception:
                link = False
            if link and hops < 40:
                hops += 1
                target = readlink(candidate)
                if target.startswith("/"):
                    parts = []
                todo.extend(target.split("/")[::-1])
            else:
                parts.append(part)
        return "/" + "/".join(parts)

    def inside(path, root):
        return path == root or path.startswith(root + "/")

    def check_read(path, event):
        if _isinstance(path, _int):
            return
        full = real(path)
        for root in protected:
            if inside(full, root):
                deny("sandbox", f"{event} {path!s} (grader files are off limits)", SANDBOX_EXIT)
        other_process = full.startswith("/proc/") and full.split("/")[2].isdigit()
        if other_process and not _any(inside(full, p) for p in my_proc):
            deny("sandbox", f"{event} {path!s} (other processes are off limits)", SANDBOX_EXIT)

    def check_write(path, event):
        if _isinstance(path, _int):
            return
        full = real(path)
        if not (inside(full, workdir) or full == "/dev/null"):
            deny("sandbox", f"{event} {path!s} (only the sandbox's own folder is writable)", SANDBOX_EXIT)

    def hook(event, args):
        if event == "open":
            path, mode, flags = args[0], args[1], args[2]
            if path is None:
                return
            check_read(path, "reading")
            writing = (_isinstance(flags, _int) and flags & write_flags) or (
                _isinstance(mode, _str) and _any(c in mode for c in "wax+")
            )
            if writing:
                check_write(path, "writing")
            return
        if event in path_events:
            for arg in args[:2]:
                if _isinstance(arg, (_str, _bytes)):
                    check_write(arg, event)
            return
        if event in listing_events:
            if args and _isinstance(args[0], (_str, _bytes)):
                check_read(args[0], event)
            return
        if event == "import":
            top = args[0].split(".")[0]
            if top in blocked_imports:
                deny("forbidden", f"import {args[0]}", TRIPWIRE_EXIT)
            if args[0] in DANGEROUS_MODULES:
                deny("sandbox", f"importing {args[0]}", SANDBOX_EXIT)
            return
        what = forbidden_events.get(event)
        if what is None and event.startswith(("socket.", "ctypes.", "_ctypes.", "sqlite3.")):
            what = "networking" if event.startswith("socket.") else event.split(".")[0]
        if what is not None:
            deny("sandbox", f"{what} ({event})", SANDBOX_EXIT)

    return hook


def finish(code, _exit=os._exit):
    """Flush what the submission printed (stdout is a file, block-buffered), then leave without
    running atexit handlers or waiting for threads the submission started."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(BaseException):
            stream.flush()
    _exit(code)


def short_traceback(exc, user_file, extract_tb):
    """'Type: message' plus the user's own frames only (never the runner's or the harness's)."""
    try:
        detail = str(exc)
    except Exception:
        detail = ""
    text = f"{type(exc).__name__}: {detail}" if detail else type(exc).__name__
    lines = []
    try:
        for frame in extract_tb(exc.__traceback__)[-30:]:
            if os.path.realpath(frame.filename) == user_file:
                code = (frame.line or "").strip()
                lines.append(f"  line {frame.lineno}, in {frame.name}: {code}")
    except Exception:
        pass
    if lines:
        text += "\n" + "\n".join(lines[-6:])
    return text[:MAX_MESSAGE]


def user_tasks():
    """How many tasks (processes and threads) this user runs: the base for RLIMIT_NPROC."""
    uid, count = os.getuid(), 0
    with os.scandir("/proc") as entries:
        for entry in entries:
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    if entry.stat().st_uid == uid:
                        count += len(os.listdir(f"/proc/{entry.name}/task"))
    return count


def watch_grader(grader_pid, _getppid=os.getppid, _exit=os._exit):
    """Leave as soon as the grader is gone (killed, or its terminal closed): it enforces the
    wall-clock timeout, so an orphan running `while True: sleep()` would otherwise live on."""
    import threading
    import time

    def watch(_sleep=time.sleep):
        while True:
            _sleep(0.5)
            if _getppid() != grader_pid:
                _exit(0)

    threading.Thread(target=watch, name="quizdl-watch-grader", daemon=True).start()


def apply_limits(limits):
    """Memory, file size, open files, no core dumps: set first, before numpy/torch load."""
    import resource

    for name, value in limits.items():
        which = getattr(resource, name)
        soft, hard = resource.getrlimit(which)
        if hard != resource.RLIM_INFINITY:
            value = min(value, hard)
        resource.setrlimit(which, (value, value))


def read_config_path():
    """The path of config.json, sent on stdin by the grader once the job is ready ('' when it
    went away). stdin then becomes /dev/null: the submission never reads from the grader."""
    data = b""
    while not data.endswith(b"\n"):
        chunk = os.read(0, 4096)
        if not chunk:
            break
        data += chunk
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    return data.decode("utf-8", "replace").strip()


def load_isolation(plan_arg):
    """quizdl_isolation.py (copied next to this file; -I keeps this folder off sys.path), or None
    when the grader asked for no kernel isolation."""
    if not plan_arg:
        return None, {}
    import importlib.util

    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "quizdl_isolation.py")
    spec = importlib.util.spec_from_file_location("quizdl_isolation", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, json.loads(plan_arg)


# Optimizer methods decorated with torch._disable_dynamo import torch._dynamo on their first call
# (about as long as `import torch` itself) only to mark themselves "not for torch.compile". The
# wrapper skips the import once the undecorated function carries `__dynamo_disable`.
DYNAMO_DISABLED_METHODS = ("add_param_group", "zero_grad", "state_dict", "load_state_dict")


def settle_torch(torch):
    """Make torch eager-only and load now what it loads lazily, before the sandbox is armed.

    Without this every Optimizer subclass pays ~2 s for torch._dynamo in each grade, and the first
    Optimizer.step() imports the profiler's modules (ctypes among them), which the armed sandbox
    refuses. torch.compile is not used in a grade, so skipping dynamo changes no result. Returns the
    names of the Optimizer methods that now run without importing torch._dynamo.
    """
    import functools

    torch.set_num_threads(1)
    with torch.autograd.profiler.record_function("quizdl warm-up"):
        pass
    from torch.optim import optimizer

    settled = []
    for name in DYNAMO_DISABLED_METHODS:
        plain = getattr(getattr(optimizer.Optimizer, name, None), "__wrapped__", None)
        if plain is not None:
            plain.__dynamo_disable = plain
            settled.append(name)

    def _use_grad_for_differentiable(func):
        """torch's decorator for optimiser steps, in eager mode (its graph breaks import dynamo)."""

        def _use_grad(*args, **kwargs):
            prev_grad = torch.is_grad_enabled()
            try:
                torch.set_grad_enabled(args[0].defaults["differentiable"])
                return func(*args, **kwargs)
            finally:
                torch.set_grad_enabled(prev_grad)

        return functools.update_wrapper(_use_grad, func)

    if hasattr(optimizer, "_use_grad_for_differentiable"):  # for steps copied from torch's source
        optimizer._use_grad_for_differentiable = _use_grad_for_differentiable
        settled.append("_use_grad_for_differentiable")
    return settled


def main(limits_arg, plan_arg=""):
    # 1. Limits first, then the namespaces and the uid drop, 2. numpy (the slow part, done while
    # the grader prepares the job), 3. the job, 4. torch if the drill needs it, the harness and
    # the inputs, 5. Landlock and seccomp, 6. the Python-level sandbox.
    grader_pid = os.getppid()
    apply_limits({name: int(value) for name, value in (item.split("=") for item in limits_arg.split(","))})
    isolation, plan = load_isolation(plan_arg)
    in_pid_namespace = isolation.enter(plan, grader_pid) if isolation else False
    try:
        import numpy as np
    except ImportError as exc:
        np, missing = None, exc.name
    # What every job needs (reading the inputs, loading the harness, tracebacks, limits), imported
    # while no job is known yet: off a grade's critical path.
    import importlib.util
    import resource
    import traceback
    import zipfile  # noqa: F401 - np.load's

    if np is not None:
        import numpy.lib.format  # noqa: F401
    if plan.get("preload") == "torch":  # watch mode: the next torch grade's imports, done now
        try:
            import torch

            settle_torch(torch)
        except ImportError:
            pass  # reported once the job says it needs torch
    config_path = read_config_path()
    if not config_path:
        os._exit(0)
    if not in_pid_namespace:  # otherwise the relay outside the namespace watches
        watch_grader(grader_pid)
    with open(config_path, encoding="utf-8") as f:
        config = json.load(f)
    workdir = config["workdir"]
    stop = make_stopper(workdir)
    report = {"fatal": None, "cases": {}}
    errors_path = os.path.join(workdir, config["errors"])

    def save_report():
        _write_file(errors_path, json.dumps(report))

    try:
        if np is None:
            raise ImportError(name=missing)
        if config["framework"] == "torch":
            import torch

            settle_torch(torch)
    except ImportError as exc:
        report["fatal"] = {"kind": "runner", "message": f"cannot import {exc.name}: is it installed?"}
        save_report()
        os._exit(RUNNER_EXIT)

    def load(name, filename):
        spec = importlib.util.spec_from_file_location(name, os.path.join(workdir, filename))
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    try:
        contract = load("quizdl_contract", config["contract"])
        harness = load("quizdl_harness", config["harness"])
        with np.load(os.path.join(workdir, config["inputs"]), allow_pickle=False) as data:
            flat = {key: data[key] for key in data.files}
    except Exception as exc:  # a broken drill, not the user's fault
        report["fatal"] = {"kind": "runner", "message": f"{type(exc).__name__}: {exc}"}
        save_report()
        os._exit(RUNNER_EXIT)
    cases = config["cases"]
    inputs = [{} for _ in cases]
    for key, value in flat.items():
        index, name = key.split("/", 1)
        inputs[int(index)][name] = value

    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime) + 1
    cpu = int(config["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (spent + cpu, spent + cpu + 1))
    # Processes: a few more tasks than this user runs now (RLIMIT_NPROC counts every thread of
    # the user), enough for a library thread, not for a fork bomb. Root is exempt from it; the
    # audit hook blocks process creation for everyone.
    # Under the private filesystem view /proc is the sandbox's own: the count was taken on the
    # host's before it was mounted, plus the threads this process started since.
    host_tasks = getattr(isolation, "host_tasks", None) if isolation is not None else None
    with contextlib.suppress(ValueError, OSError):
        if host_tasks is None:
            base = user_tasks()
        else:
            try:
                base = host_tasks + len(os.listdir("/proc/self/task")) - 1
            except OSError:  # no /proc in the view: a few threads' margin
                base = host_tasks + 4
        resource.setrlimit(resource.RLIMIT_NPROC, (base + 16,) * 2)

    if isolation is not None:  # the kernel's layers, last before anything of the user's runs
        try:
            isolation.restrict(plan, workdir, config["protected"])
        except Exception as exc:
            report["fatal"] = {"kind": "runner", "message": f"sandbox isolation failed: {type(exc).__name__}: {exc}"}
            save_report()
            os._exit(RUNNER_EXIT)
        isolation = None  # (never in sys.modules) nothing left that holds ctypes
    install_tripwires(config["forbidden"], stop)
    close_process_doors(stop)
    blocked = set(config["blocked_imports"])
    if blocked:
        sys.meta_path.insert(0, ImportBlocker(blocked, stop))
    sys.addaudithook(make_audit_hook(workdir, config["protected"], blocked))

    user_file = os.path.realpath(os.path.join(workdir, config["submission"]))
    extract_tb = traceback.extract_tb
    submission_name = config["module_name"]
    try:
        module = load(submission_name, config["submission"])
    except BaseException as exc:  # SystemExit and KeyboardInterrupt too: the user's code raised them
        kind = "exit" if isinstance(exc, SystemExit) else "import"
        report["fatal"] = {"kind": kind, "message": short_traceback(exc, user_file, extract_tb)}
        save_report()
        finish(0)
    missing = [name for name in config["entry_points"] if not hasattr(module, name)]
    if missing:
        report["fatal"] = {"kind": "entry_point", "message": ", ".join(missing)}
        save_report()
        finish(0)

    outputs = {}
    report["contracts"] = {}
    begin_case, end_case, contract_error = contract.begin_case, contract.end_case, contract.ContractError
    for index, case in enumerate(cases):
        begin_case()
        try:
            result = harness.run(module, dict(case), inputs[index])
            if not isinstance(result, dict):
                raise TypeError("the harness returned no outputs")
            for name, value in result.items():
                array = np.asarray(value)
                if array.dtype.kind not in "biuf":
                    raise TypeError(f"output {name!r} is not a plain numeric array (dtype {array.dtype})")
                outputs[f"{index}/{name}"] = array
            found = end_case()
        except BaseException as exc:
            found = end_case()
            if isinstance(exc, contract_error):  # a contract stop: its message is the whole story
                found = [(exc.contract, str(exc)[:MAX_MESSAGE])] + [f for f in found if f[0] != exc.contract]
                report["cases"][str(index)] = str(exc)[:MAX_MESSAGE]
            else:
                report["cases"][str(index)] = short_traceback(exc, user_file, extract_tb)
        if found:
            report["contracts"][str(index)] = [list(f) for f in found]
    np.savez(os.path.join(workdir, config["outputs"]), **outputs)
    save_report()
    finish(0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2] if len(sys.argv) > 2 else "")  # the limits (NAME=value,...), the isolation plan (JSON)
