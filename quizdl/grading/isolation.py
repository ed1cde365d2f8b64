"""Which kernel isolation layers the sandbox child runs under, and how quizdl reports them.

The child applies them itself (child_isolation.py: namespaces, its private filesystem view and
the uid drop first of all,
Landlock and seccomp after its imports, before any submission code) and reports what the kernel
granted on a pipe it closes before the submission runs; this module plans the request, turns the
report into lines for `quizdl grade --verbose` and `quizdl doctor`, and makes any text that came
from the child safe to print. No typer or rich here: the CLI layers are thin wrappers.

QUIZDL_SANDBOX_DISABLE=landlock,seccomp,userns,mount,uid (or `all`) switches layers off, to try
or test grading where the kernel offers less; `userns` means the user, network, IPC and PID
namespaces, `mount` the private filesystem view (a mount namespace; without root it needs the
user namespace).
"""

from __future__ import annotations

import os
import re
import sys

NOBODY = 65534
LAYERS = ("landlock", "seccomp", "userns", "mount", "uid")
DISABLE_ENV = "QUIZDL_SANDBOX_DISABLE"


def disabled() -> set[str]:
    raw = os.environ.get(DISABLE_ENV, "")
    names = {part.strip().lower() for part in raw.split(",") if part.strip()}
    if "all" in names:
        return set(LAYERS)
    if "namespaces" in names:
        names.add("userns")
    return names & set(LAYERS)


def plan() -> dict:
    """What the next child is asked to apply: {"layers": [...], "uid": 65534 or None, "hide":
    [...]}; `hide` names what the filesystem view must leave out even inside a folder it shows."""
    if not sys.platform.startswith("linux"):
        return {"layers": [], "uid": None}
    layers = [layer for layer in LAYERS if layer not in disabled()]
    uid = NOBODY if os.geteuid() == 0 and "uid" in layers else None
    return {"layers": layers, "uid": uid, "hide": hidden_paths() if "mount" in layers else []}


def hidden_paths() -> list[str]:
    """quizdl's package, the built-in drills and cards, and the data dir (when set by
    QUIZDL_HOME; the platform's default lies in $HOME, which the view never shows)."""
    from quizdl import paths

    package = paths.package_dir()
    found = [package, package.parent / "drills", package.parent / "cards", package / "_builtin"]
    home = os.environ.get("QUIZDL_HOME")
    if home:
        found.append(os.path.expanduser(home))
    return [str(p) for p in found]


# --- text from the child -----------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape_char(match: re.Match) -> str:
    ch = match.group()
    code = ord(ch)
    if code == 0x1B:
        return "\\e"
    if code == 0x0D:
        return "\\r"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: object) -> str:
    """Text the submission controls (its output, exception and violation texts) with every
    control character, escape sequence introducer and bidi override shown as an escape
    (``\\e[32m``), so nothing it prints can move the cursor, recolour or retitle the terminal,
    or draw a fake verdict. Newlines and tabs stay."""
    return _CONTROL.sub(_escape_char, str(text))


def visible_tree(value: object) -> object:
    """visible() applied to every string in a JSON-like structure (the --json report)."""
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [visible_tree(v) for v in value]
    if isinstance(value, dict):
        return {k: visible_tree(v) for k, v in value.items()}
    return value


# --- reporting ---------------------------------------------------------------------------------


def layers(report: dict | None, requested: dict | None = None) -> list[tuple[str, bool, str]]:
    """(layer, active, what it means or why it is off) for each layer, from the child's report."""
    requested = requested if requested is not None else plan()
    asked = set(requested.get("layers", ()))
    report = report or {}

    def off(layer: str, error: str | None) -> str:
        if layer not in asked:
            why = f"switched off by {DISABLE_ENV}" if layer in disabled() else "not available on this OS"
            return f"off ({why})"
        return f"off ({error or 'not granted by the kernel'})"

    rows = []
    abi = int(report.get("landlock") or 0)
    if abi:
        net = "; no TCP bind/connect" if report.get("landlock_net") else ""
        scope = "; no signals or abstract sockets outside" if report.get("landlock_scoped") else ""
        rows.append(("filesystem (Landlock)", True,
                     f"ABI {abi}: reads only the interpreter, stdlib, site-packages and system "
                     f"libraries; writes only its temp dir{net}{scope}"))
    else:
        rows.append(("filesystem (Landlock)", False, off("landlock", report.get("landlock_error"))))
    if report.get("mount"):
        proc = "no /proc" if not report.get("mount_proc") else (
            "a /proc of its own" if "pid" in (report.get("namespaces") or []) else "/proc")
        rows.append(("filesystem view (mount namespace)", True,
                     "only the interpreter, stdlib, site-packages (not quizdl) and system libraries "
                     f"exist, read-only, with its temp dir and {proc}: the data dir, reference cache, "
                     "drills, checkout and $HOME are not there (not even for stat)"))
    else:
        rows.append(("filesystem view (mount namespace)", False, off("mount", report.get("mount_error"))))
    namespaces = report.get("namespaces") or []
    error = report.get("namespaces_error")
    rows.append(("network (namespace)", "net" in namespaces,
                 "no interfaces up, no route anywhere" if "net" in namespaces else off("userns", error)))
    rows.append(("processes (PID namespace)", "pid" in namespaces,
                 "sees and signals only its own processes; killed as a whole"
                 if "pid" in namespaces else off("userns", error)))
    uid = report.get("uid")
    if requested.get("uid") is not None or uid == NOBODY:
        dropped = uid == NOBODY
        text = f"runs as uid {NOBODY} (nobody), not root: writes and metadata changes as nobody"
        if dropped and report.get("read_search_cap"):
            text += ("; keeps CAP_DAC_READ_SEARCH, reads limited by Landlock" if report.get("landlock")
                     else "; keeps CAP_DAC_READ_SEARCH (the interpreter is root-only): it may READ what root can")
        rows.append(("user (uid drop)", dropped, text if dropped else off("uid", report.get("uid_error"))))
    elif report:
        rows.append(("user", True, f"runs as uid {uid} (not root, nothing to drop)"
                     + ("; in a user namespace" if "user" in namespaces else "")))
    rows.append(("syscall filter (seccomp)", bool(report.get("seccomp")),
                 "chmod/chown/utime/xattr changes, ptrace, other processes' memory and TIOCSTI refused"
                 if report.get("seccomp") else off("seccomp", report.get("seccomp_error"))))
    if report:
        no_tty = not report.get("tty")
        rows.append(("terminal", no_tty, "no controlling terminal; stdin, stdout, stderr are not ttys"
                     if no_tty else "a terminal reached the child"))
    rows.append(("audit hook and tripwires", True, "forbidden APIs, processes, sockets, ctypes, "
                 "writes outside the temp dir (Python level)"))
    return rows


def missing(report: dict | None) -> list[str]:
    """The names of the layers that are off (after a grade, from the child's report)."""
    return [name for name, active, _ in layers(report) if not active]


def format_rows(rows: list[tuple[str, bool, str]]) -> list[str]:
    width = max(len(name) for name, _, _ in rows)
    return [f"  {'on ' if active else 'OFF'}  {name.ljust(width)}  {text}" for name, active, text in rows]


def degraded_note(report: dict | None, remember: bool = True) -> str | None:
    """One line saying which layers are off, the first time this set is seen (a marker file in
    the cache dir remembers it); None when everything is on or it was said before."""
    if report is None:
        return None
    off = missing(report)
    if not off:
        return None
    note = "note: the sandbox runs without " + ", ".join(off) + " here (`quizdl doctor` explains)"
    if not remember:
        return note
    from quizdl import paths

    key = re.sub(r"[^a-z0-9]+", "-", "-".join(off).lower()).strip("-")[:120]
    marker = paths.cache_dir() / f"isolation-notice-{key}"
    try:
        if marker.exists():
            return None
        marker.parent.mkdir(parents=True, exist_ok=True)
        marker.touch()
    except OSError:
        pass
    return note


def doctor() -> tuple[bool, list[str]]:
    """Grade the built-in softmax-ce reference in the sandbox and report its isolation layers:
    (all layers on and the grade passed, lines to print)."""
    from quizdl import paths
    from quizdl.drills import load_folder
    from quizdl.grading import engine

    drill = load_folder(paths.builtin_dir("drills") / "softmax-ce")[0]
    pending = engine.start(drill, drill.reference_path)
    result = pending.finish()
    report = pending.isolation
    rows = layers(report)
    lines = ["Sandbox isolation (from a grade of the softmax-ce reference):"]
    lines += format_rows(rows)
    verdict = "passed" if result.passed else f"did NOT pass ({visible(result.message or result.status)})"
    lines.append(f"  the reference grade {verdict} in {result.duration_s:.2f} s")
    if report is None:
        lines.append("  the child sent no isolation report (it may have died before its sandbox was set up)")
    off = [name for name, active, _ in rows if not active]
    if off and result.passed:
        lines.append("  grading works; the layers marked OFF are not there, the others still hold")
    return result.passed, lines
