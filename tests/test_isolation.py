"""Kernel isolation under the audit hook (issue #10): attacks that reach the kernel without a
Python audit event (dir_fd, native calls, pidfd, ioctl) and attacks on the grader itself (FIFOs,
oversized headers, deep trees, SIGSTOP, a killed grader). Each ends in a non-pass with nothing
outside the temp dir changed, no process left and the next grade unaffected; the main ones also
run with layers switched off (QUIZDL_SANDBOX_DISABLE), where grading must still work."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from quizdl import paths
from quizdl.drills import load_folder
from quizdl.grading import isolation, warm
from quizdl.grading.engine import grade
from quizdl.grading.sandbox import Limits

SOFTMAX = load_folder(paths.builtin_dir("drills") / "softmax-ce")[0]
BN = load_folder(paths.builtin_dir("drills") / "bn")[0]
REFERENCE = SOFTMAX.reference_path.read_text(encoding="utf-8")
HEADER = "# quizdl drill: softmax-ce\nimport os\nimport numpy as np\n"
FAST = Limits(timeout_s=3.0)
# full; no mount view (Landlock and the rest); the mount view without Landlock and namespaces;
# neither (root: the uid drop and seccomp are what is left)
MODES = {"full": "", "no-mount": "mount", "mount-only": "landlock,userns", "degraded": "landlock,userns,mount"}
GONE = "No such file or directory"  # what the mount view answers for anything outside it
linux = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="Linux isolation")


@pytest.fixture(scope="module")
def cache_root(tmp_path_factory):
    return tmp_path_factory.mktemp("cache")


@pytest.fixture(params=sorted(MODES))
def mode(request, monkeypatch):
    monkeypatch.setenv(isolation.DISABLE_ENV, MODES[request.param])
    return request.param


@pytest.fixture
def canary(tmp_path):
    path = tmp_path / "canary.txt"
    path.write_text("alive")
    return path


def _grade(source: str, cache_root: Path, limits: Limits = FAST, drill=SOFTMAX):
    before = _grade_dirs()
    result = grade(drill, source=source, limits=limits, cache_root=cache_root)
    assert result.status != "pass"
    assert _grade_dirs() <= before, "a temp dir survived the grade"
    assert not _runners(), "a sandbox process survived the grade"
    return result


def _text(result) -> str:
    return " ".join([result.message or ""] + [g.message for g in result.groups] + [result.output])


def _owner_alive(name: str) -> bool:
    """Whether the grader that made temp dir `name` still holds its lock (other graders, e.g. a
    concurrent test run, may be working in the same temp folder)."""
    import fcntl

    try:
        fd = os.open(os.path.join(tempfile.gettempdir(), name + ".lock"), os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        return False
    except OSError:
        return True
    finally:
        os.close(fd)


def _grade_dirs() -> set[str]:
    """Temp dirs (and locks) whose grader is gone: what must not survive a grade."""
    tmp = tempfile.gettempdir()
    names = [n for n in os.listdir(tmp) if n.startswith(warm.PREFIX)]
    return {n for n in names if not _owner_alive(n.removesuffix(".lock"))}


def _runners() -> list[int]:
    """Sandbox processes whose grader is gone."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if warm.PREFIX in cmdline and "runner.py" in cmdline:
            workdir = next((a for a in cmdline.split("\0") if warm.PREFIX in a), "")
            if not _owner_alive(os.path.basename(os.path.dirname(workdir))):
                found.append(int(pid))
    return found


def _reference_status(cache_root: Path) -> str:
    return grade(SOFTMAX, source=REFERENCE, limits=FAST, cache_root=cache_root).status


# --- the filesystem -----------------------------------------------------------------------------


@linux
def test_dir_fd_cannot_write_or_read_outside(cache_root, canary, mode):
    baseline = _reference_status(cache_root)
    source = HEADER + (
        f"fd = os.open({str(canary.parent)!r}, os.O_PATH)\n"
        "w = os.open('canary.txt', os.O_WRONLY | os.O_TRUNC, dir_fd=fd)\n"
        "os.write(w, b'pwned')\n"
    ) + REFERENCE
    result = _grade(source, cache_root)
    assert canary.read_text() == "alive"
    assert any(why in _text(result) for why in ("Permission denied", GONE, "sandbox"))
    assert _reference_status(cache_root) == baseline


@linux
def test_dir_fd_cannot_touch_the_reference_cache(cache_root):
    baseline = _reference_status(cache_root)
    files = {p: p.read_bytes() for p in cache_root.rglob("*") if p.is_file()}
    assert files
    source = HEADER + (
        f"fd = os.open({str(cache_root)!r}, os.O_PATH)\n"
        f"for name in {[str(p.relative_to(cache_root)) for p in files]!r}:\n"
        "    os.unlink(name, dir_fd=fd)\n"
    ) + REFERENCE
    result = _grade(source, cache_root)
    assert any(why in _text(result) for why in ("Permission denied", GONE, "sandbox"))
    assert {p: p.read_bytes() for p in files} == files
    assert _reference_status(cache_root) == baseline


@linux
def test_the_drills_and_the_checkout_are_invisible(cache_root):
    target = SOFTMAX.reference_path
    source = HEADER + (
        "fd = os.open('/', os.O_PATH)\n"
        f"r = os.open({str(target)[1:]!r}, os.O_RDONLY, dir_fd=fd)\n"
        "print(os.read(r, 200))\n"
    ) + REFERENCE
    result = _grade(source, cache_root)
    assert "def " not in result.output and ("Permission denied" in _text(result) or GONE in _text(result))


# --- the mount namespace: nothing outside the view exists ----------------------------------------

PROBE = (  # prints only what was NOT gone (the output's tail is a few KB)
    "import errno, json\nseen, probes = {}, 0\n"
    "for i, p in enumerate(PATHS):\n"
    "    for name, call in (('stat', os.stat), ('lstat', os.lstat), ('readlink', os.readlink)):\n"
    "        probes += 1\n"
    "        try:\n            call(p); seen[f'{i} {name}'] = 'ok'\n"
    "        except OSError as e:\n"
    "            if e.errno != errno.ENOENT:\n                seen[f'{i} {name}'] = e.errno\n"
    "    probes += 1\n"
    "    if os.path.exists(p):\n        seen[f'{i} exists'] = True\n"
    "print('PROBE', probes, json.dumps(seen))\n"
)


def _outside_paths(cache_root: Path, data_dir: Path) -> list[str]:
    """The data dir (and a file in it), the reference cache, the drills, the checkout and $HOME
    entries that do not hold the interpreter."""
    checkout = paths.package_dir().parent
    home = Path.home()
    interpreter = [os.path.realpath(p) for p in (sys.prefix, sys.base_prefix, sys.executable)]
    in_home = [str(p) for p in sorted(home.iterdir())[:20]
               if not any(i == str(p) or i.startswith(str(p) + "/") for i in interpreter)]
    found = [str(data_dir), str(data_dir / "progress.sqlite3"), str(cache_root),
             *[str(p) for p in sorted(cache_root.rglob("*"))[:5]],
             str(paths.builtin_dir("drills")), str(SOFTMAX.reference_path),
             str(paths.package_dir()), str(paths.package_dir() / "grading" / "reference.py"),
             str(checkout / "pyproject.toml"), str(checkout / "README.md"), *in_home]
    return [p for p in found if os.path.lexists(p)]


def _probe(paths_: list[str], cache_root: Path, drill=SOFTMAX, reference=REFERENCE):
    """Grade a passing submission that first probes `paths_`: (what it saw, result, isolation)."""
    import json

    from quizdl.grading import engine

    source = HEADER + f"PATHS = {paths_!r}\n" + PROBE + reference
    pending = engine.start(drill, source=source, limits=Limits(timeout_s=30.0), cache_root=cache_root)
    result = pending.finish()
    line = next((x for x in result.output.splitlines() if x.startswith("PROBE ")), None)
    assert line, result.to_dict()
    count, seen = line[len("PROBE "):].split(" ", 1)
    assert int(count) == 4 * len(paths_)
    return json.loads(seen), result, pending.isolation or {}


@linux
def test_outside_paths_do_not_exist_in_the_view(cache_root, tmp_path, monkeypatch):
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    (data_dir / "progress.sqlite3").write_bytes(b"private")
    monkeypatch.setenv("QUIZDL_HOME", str(data_dir))
    _reference_status(cache_root)  # fills the reference cache
    probed = _outside_paths(cache_root, data_dir)
    assert len(probed) >= 9
    seen, result, report = _probe(probed, cache_root)
    if not report.get("mount"):
        pytest.skip(f"no mount namespace here: {report.get('mount_error')}")
    assert result.status == "pass"  # the view holds all a numpy grade needs
    assert {probed[int(k.split()[0])] + " " + k.split()[1]: v for k, v in seen.items()} == {}
    # ...and it is the view that hides them: without it they can be probed
    monkeypatch.setenv(isolation.DISABLE_ENV, "mount")
    seen, result, report = _probe(probed, cache_root)
    assert not report.get("mount")
    assert result.status == "pass"
    assert seen[f"{probed.index(str(SOFTMAX.reference_path))} stat"] == "ok"
    assert seen[f"{probed.index(str(data_dir))} exists"] is True


@linux
def test_the_view_keeps_the_temp_dir_writable_and_the_rest_read_only(cache_root):
    source = HEADER + (
        "import tempfile\nwith open('scratch.txt', 'w') as f:\n    f.write('kept')\n"
        "assert open('scratch.txt').read() == 'kept'\n"
        "fd, name = tempfile.mkstemp(); os.write(fd, b'x'); os.close(fd); os.unlink(name)\n"
        "refused = []\n"
        "for p in ('tmp/escape.txt', 'escape.txt', os.path.dirname(np.__file__)[1:] + '/escape.txt', 'proc/escape'):\n"  # dir_fd: past the hook
        "    try:\n        os.close(os.open(p, os.O_CREAT | os.O_WRONLY, dir_fd=os.open('/', os.O_PATH)))\n"
        "    except OSError:\n        refused.append(p)\n"
        "print('REFUSED', len(refused))\n"
        f"print('GRADER', os.path.exists('/proc/{os.getpid()}'), 'SELF', os.path.exists('/proc/self/status'))\n"
    ) + REFERENCE
    from quizdl.grading import engine

    pending = engine.start(SOFTMAX, source=source, limits=FAST, cache_root=cache_root)
    result = pending.finish()
    if not (pending.isolation or {}).get("mount"):
        pytest.skip("no mount namespace here")
    assert result.status == "pass", result.message
    assert "REFUSED 4" in result.output
    assert "GRADER False SELF True" in result.output  # a /proc of the sandbox's own PID namespace
    assert not Path("/tmp/escape.txt").exists()


@linux
@pytest.mark.parametrize("view", ["on", "off"])
def test_numpy_and_torch_references_pass_with_the_view_on_and_off(cache_root, monkeypatch, view):
    from quizdl.grading import engine

    monkeypatch.setenv(isolation.DISABLE_ENV, "" if view == "on" else "mount")
    drills = [SOFTMAX] + ([BN] if BN is not None and _has_torch() else [])
    for drill in drills:
        pending = engine.start(drill, drill.reference_path, limits=Limits(timeout_s=60.0), cache_root=cache_root)
        result = pending.finish()
        assert result.status == "pass", (drill.id, result.to_dict())
        shown = bool((pending.isolation or {}).get("mount"))
        assert shown is (view == "on") or (view == "on" and (pending.isolation or {}).get("mount_error"))
        rows = {name: active for name, active, _ in isolation.layers(pending.isolation)}
        assert rows["filesystem view (mount namespace)"] is shown
        if shown and os.geteuid() == 0:  # in the view, nobody needs no capability to import
            assert pending.isolation["uid"] == isolation.NOBODY and not pending.isolation["read_search_cap"]


def _has_torch() -> bool:
    import importlib.util

    return importlib.util.find_spec("torch") is not None


VIEW_ROW = "filesystem view (mount namespace)"


@linux
@pytest.mark.parametrize("disable", ["", "mount"])
def test_doctor_verbose_and_json_report_the_view(monkeypatch, disable):
    import json

    from typer.testing import CliRunner

    from quizdl.cli.app import app

    monkeypatch.setenv(isolation.DISABLE_ENV, disable)
    runner = CliRunner()
    doctor = runner.invoke(app, ["doctor"])
    assert doctor.exit_code == 0, doctor.output
    row = next(line for line in doctor.output.splitlines() if VIEW_ROW in line)
    ref = str(SOFTMAX.reference_path)
    verbose = runner.invoke(app, ["grade", ref, "--drill", "softmax-ce", "--verbose"])
    assert verbose.exit_code == 0 and VIEW_ROW in verbose.output
    as_json = runner.invoke(app, ["grade", ref, "--drill", "softmax-ce", "--json"])
    view = json.loads(as_json.output)["isolation"][VIEW_ROW]
    if disable:
        assert row.lstrip().startswith("OFF") and isolation.DISABLE_ENV in row
        assert view["active"] is False and isolation.DISABLE_ENV in view["detail"]
    else:
        assert row.lstrip().startswith("on") == view["active"]
        assert view["active"] or "off (" in view["detail"]


def test_the_view_leaves_out_quizdl_and_its_checkout():
    """view_paths() in this interpreter: quizdl's source root (this checkout, on sys.path) is
    not shown, its package is hidden, and a site-packages folder holding quizdl's entries is
    shown entry by entry."""
    from quizdl.grading import child_isolation

    checkout = str(paths.package_dir().parent)
    sys.path.append(checkout)
    try:
        show, hide, split = child_isolation.view_paths([str(paths.builtin_dir("drills"))])
    finally:
        sys.path.remove(checkout)
    assert checkout not in show and str(paths.package_dir()) in hide
    assert str(paths.builtin_dir("drills")) in hide
    assert any(p.endswith("python{}.{}".format(*sys.version_info[:2])) for p in show)
    for site in split:
        assert os.path.basename(site) in child_isolation.SITE_DIR_NAMES


def test_the_plan_asks_for_the_view_and_names_what_to_hide(monkeypatch, tmp_path):
    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path))
    monkeypatch.setenv(isolation.DISABLE_ENV, "")
    plan = isolation.plan()
    if not sys.platform.startswith("linux"):
        assert plan["layers"] == []
        return
    assert "mount" in plan["layers"]
    assert str(paths.package_dir()) in plan["hide"] and str(tmp_path) in plan["hide"]
    monkeypatch.setenv(isolation.DISABLE_ENV, "mount")
    assert "mount" not in isolation.plan()["layers"] and isolation.plan()["hide"] == []
    assert "mount" in isolation.disabled()
    monkeypatch.setenv(isolation.DISABLE_ENV, "all")
    assert "mount" in isolation.disabled()


@linux
def test_metadata_of_a_readable_file_cannot_change(cache_root):
    """fchmod/fchown/utime/setxattr on a file the child may read (site-packages): refused."""
    site = Path(np_dir()).parent
    victim = site / f"isolation-test-victim-{os.getpid()}.txt"  # (quizdl-* is hidden in the view)
    victim.write_text("x")
    try:
        before = victim.stat()
        source = HEADER + (
            f"fd = os.open({str(victim)!r}, os.O_RDONLY)\n"
            "done = []\n"
            "for name, call in [('fchmod', lambda: os.fchmod(fd, 0o4777)), ('fchown', lambda: os.fchown(fd, 0, 0)),\n"
            "                   ('utime', lambda: os.utime(fd, (0, 0))), ('setxattr', lambda: os.setxattr(fd, 'user.q', b'1'))]:\n"
            "    try:\n        call(); done.append(name)\n    except OSError:\n        pass\n"
            "print('CHANGED', done)\nraise SystemExit(1)\n"
        )
        result = _grade(source, cache_root)
        assert "CHANGED []" in result.output
        after = victim.stat()
        assert (after.st_mode, after.st_uid, after.st_mtime_ns) == (before.st_mode, before.st_uid, before.st_mtime_ns)
        assert not os.listxattr(victim)
    finally:
        victim.unlink()


def np_dir() -> str:
    import numpy

    return os.path.dirname(numpy.__file__)


# --- processes, network, terminal -------------------------------------------------------------


@linux
def test_an_outside_process_cannot_be_signalled(cache_root, mode):
    sleeper = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        source = HEADER + f"import signal\nsignal.pidfd_send_signal(os.pidfd_open({sleeper.pid}), 9)\n" + REFERENCE
        _grade(source, cache_root)
        assert sleeper.poll() is None
    finally:
        sleeper.kill()
        sleeper.wait()


@linux
def test_the_graders_environ_cannot_be_read(cache_root, monkeypatch):
    monkeypatch.setenv("QUIZDL_TEST_SECRET", "hunter2-secret")
    source = HEADER + (
        "fd = os.open('/proc', os.O_PATH)\n"
        f"r = os.open('{os.getpid()}/environ', os.O_RDONLY, dir_fd=fd)\n"
        "print(os.read(r, 100000))\n"
    ) + REFERENCE
    result = _grade(source, cache_root)
    assert "hunter2" not in _text(result)


@linux
def test_tiocsti_reaches_no_terminal(cache_root, mode):
    source = HEADER + (
        "import fcntl, termios\nhit = []\n"
        "for fd in list(range(20)):\n"
        "    try:\n        fcntl.ioctl(fd, termios.TIOCSTI, b'x'); hit.append(fd)\n    except OSError:\n        pass\n"
        "try:\n    t = os.open('tty', os.O_RDONLY, dir_fd=os.open('/dev', os.O_PATH))\n    fcntl.ioctl(t, termios.TIOCSTI, b'x'); hit.append('tty')\nexcept OSError:\n    pass\n"
        "print('TTY HITS', hit)\nraise SystemExit(1)\n"
    )
    result = _grade(source, cache_root)
    assert "TTY HITS []" in result.output


# --- the grader never trusts the temp dir ----------------------------------------------------


def test_fifo_outputs_do_not_hang_the_grader(cache_root, mode):
    source = HEADER + "for n in ('outputs.npz', 'errors.json', 'violation.json'):\n    os.mkfifo(n)\nos._exit(0)\n"
    start = time.perf_counter()
    result = _grade(source, cache_root)
    assert time.perf_counter() - start < FAST.timeout_s + 2
    assert result.status == "error"


def test_an_npy_header_claiming_10e13_elements_is_a_verdict(cache_root):
    source = HEADER + (
        "import zipfile, io\nfrom numpy.lib import format as f\n"
        "b = io.BytesIO(); f.write_array_header_1_0(b, {'descr': '<f8', 'fortran_order': False, 'shape': (10**13,)})\n"
        "with zipfile.ZipFile('outputs.npz', 'w') as z:\n    z.writestr('0/y.npy', b.getvalue() + b'x' * 64)\n"
        "os._exit(0)\n"
    )
    result = _grade(source, cache_root)
    assert result.status in ("fail", "error")


def test_a_3000_deep_tree_and_unreadable_entries_are_removed(cache_root, mode):
    source = HEADER + (
        "fd = os.open('.', os.O_RDONLY)\n"
        "for _ in range(3000):\n"
        "    os.mkdir('d', dir_fd=fd); new = os.open('d', os.O_RDONLY, dir_fd=fd); os.close(fd); fd = new\n"
        "os.close(os.open('locked.txt', os.O_CREAT | os.O_WRONLY, 0, dir_fd=fd))\n"
        "os.mkdir('locked', 0, dir_fd=fd)\nos.mkdir('top-locked', 0)\n"
        "raise SystemExit(1)\n"
    )
    _grade(source, cache_root, limits=Limits(timeout_s=10.0))


def test_a_child_that_stops_itself_is_killed_and_reaped(cache_root, mode):
    source = HEADER + "import signal\nsignal.raise_signal(signal.SIGSTOP)\n" + REFERENCE
    result = _grade(source, cache_root, limits=Limits(timeout_s=1.5))
    assert "timed out" in result.message


@linux
def test_a_killed_grader_leaves_nothing_for_long(cache_root, tmp_path):
    code = (
        "from pathlib import Path; from quizdl import paths; from quizdl.drills import load_folder;"
        "from quizdl.grading.engine import grade; from quizdl.grading.sandbox import Limits;"
        "d = load_folder(paths.builtin_dir('drills') / 'softmax-ce')[0];"
        f"grade(d, source='import time\\ntime.sleep(60)\\n', limits=Limits(timeout_s=60), cache_root=Path({str(cache_root)!r}))"
    )
    before = set(os.listdir(tempfile.gettempdir()))
    grader = subprocess.Popen([sys.executable, "-c", code], env=dict(os.environ, QUIZDL_HOME=str(tmp_path)))
    deadline = time.time() + 30
    mine: set[str] = set()
    while time.time() < deadline and not mine:
        time.sleep(0.1)
        mine = {n for n in set(os.listdir(tempfile.gettempdir())) - before if n.startswith(warm.PREFIX)}
    assert mine, "the grade never started"
    time.sleep(1.0)  # the child is running the submission's sleep
    grader.send_signal(signal.SIGKILL)
    grader.wait()
    deadline = time.time() + 5
    while time.time() < deadline and _runners():
        time.sleep(0.1)
    assert not _runners(), "the sandbox outlived its grader"
    stale = _grade_dirs() & mine
    assert stale  # the killed grader could not clean up...
    grade(SOFTMAX, source=REFERENCE, limits=FAST, cache_root=cache_root)  # sweeps stale dirs
    assert not (_grade_dirs() & stale)


def test_a_sweep_between_lock_and_dir_cannot_orphan_a_live_grade(monkeypatch):
    """Another grader's sweep_stale running between a new grade's mkstemp (its lock) and flock
    takes the still-free lock, sees no dir and unlinks it. The new grade must notice and take
    another name: a dir without its lock is swept as a dead grader's while its child runs (seen
    in CI as 'the submission process exited with code 2': runner.py gone)."""
    import fcntl

    real_mkstemp = tempfile.mkstemp
    swept = []

    def mkstemp_then_sweep(*args, **kwargs):
        fd, path = real_mkstemp(*args, **kwargs)
        if not swept:  # the first lock only: a sweep runs before this grader locks it
            swept.append(path)
            warm.sweep_stale()
        return fd, path

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp_then_sweep)
    lock_fd, workdir = warm._make_workdir()
    try:
        monkeypatch.setattr(tempfile, "mkstemp", real_mkstemp)
        assert swept and not os.path.exists(swept[0])  # the sweep did unlink the first lock
        lock = workdir + ".lock"
        assert os.path.samestat(os.fstat(lock_fd), os.lstat(lock))  # the dir has its (held) lock
        warm.sweep_stale()
        assert os.path.isdir(workdir), "a live grade's dir was swept"
        probe = os.open(lock, os.O_RDWR)
        try:
            with pytest.raises(OSError):
                fcntl.flock(probe, fcntl.LOCK_EX | fcntl.LOCK_NB)
        finally:
            os.close(probe)
    finally:
        os.rmdir(workdir)
        os.unlink(workdir + ".lock")
        os.close(lock_fd)


def _pids_with(text: str) -> list[int]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if text in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                found.append(int(pid))
        except OSError:
            continue
    return found


@linux
@pytest.mark.parametrize("disable", ["", "mount"])
def test_the_namespace_dies_with_its_relay(cache_root, monkeypatch, disable):
    """The relay (the grader's child, outside the PID namespace) killed alone: the namespace's
    init has PDEATHSIG, re-armed after its uid drop (a uid change clears it), so the sleeping
    worker goes too."""
    from quizdl.grading import engine

    monkeypatch.setenv(isolation.DISABLE_ENV, disable)
    pending = engine.start(SOFTMAX, source="import time\ntime.sleep(30)\n", limits=Limits(timeout_s=30.0),
                           cache_root=cache_root)
    try:
        workdir, relay = str(pending.child.workdir), pending.child.proc.pid
        deadline = time.time() + 10
        while time.time() < deadline and len(_pids_with(workdir)) < 3:  # relay, init, worker
            time.sleep(0.05)
        inside = [pid for pid in _pids_with(workdir) if pid != relay]
        if len(inside) < 2:
            pytest.skip("no PID namespace here")
        time.sleep(0.5)
        os.kill(relay, signal.SIGKILL)
        deadline = time.time() + 5
        while time.time() < deadline and any(pid in _pids_with(workdir) for pid in inside):
            time.sleep(0.05)
        assert not [pid for pid in inside if pid in _pids_with(workdir)], "the namespace outlived its relay"
    finally:
        pending.cancel()


# --- torch native code ------------------------------------------------------------------------

needs_bn = pytest.mark.skipif(BN is None, reason="the bn drill does not load")


@linux
@needs_bn
def test_torch_native_file_and_socket_access_is_refused(cache_root, canary):
    pytest.importorskip("torch")
    source = BN.reference_path.read_text(encoding="utf-8") + (
        "\nimport torch\nhits = []\n"
        f"try:\n    torch._C.StorageBase.from_file({str(SOFTMAX.reference_path)!r}, False, 100); hits.append('read')\nexcept Exception:\n    pass\n"
        f"try:\n    torch._C.StorageBase.from_file({str(canary)!r}, True, 5); hits.append('shared')\nexcept Exception:\n    pass\n"
        "try:\n    import torch.distributed as dist\n    dist.TCPStore('127.0.0.1', 29531, 1, True, timeout=__import__('datetime').timedelta(seconds=1)); hits.append('listen')\nexcept Exception:\n    pass\n"
        "print('NATIVE HITS', hits)\nraise SystemExit(1)\n"
    )
    result = _grade(source, cache_root, drill=BN, limits=Limits(timeout_s=30.0))
    assert "NATIVE HITS []" in result.output or result.status == "error"
    assert canary.read_text() == "alive"


# --- reporting ---------------------------------------------------------------------------------


def test_visible_shows_escape_sequences():
    shown = isolation.visible("\x1b[2J\x1b[1;32mPASS\x9b31m\rok\u202e\tend\n")
    assert "\x1b" not in shown and "\x9b" not in shown and "\r" not in shown and "\u202e" not in shown
    assert shown.startswith("\\e[2J") and shown.endswith("\tend\n")


def test_degraded_mode_grades_and_says_which_layers_are_off(cache_root, monkeypatch):
    from quizdl.grading import engine

    monkeypatch.setenv(isolation.DISABLE_ENV, "all")
    pending = engine.start(SOFTMAX, source=REFERENCE, limits=FAST, cache_root=cache_root)
    result = pending.finish()
    monkeypatch.setenv(isolation.DISABLE_ENV, "")
    assert result.status == _reference_status(cache_root)
    off = isolation.missing(pending.isolation)
    assert "filesystem (Landlock)" in off and "network (namespace)" in off
    note = isolation.degraded_note(pending.isolation, remember=False)
    assert note and "Landlock" in note
