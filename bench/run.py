"""quizdl's benchmark suite: one command, one table, every target checked.

    /work/venv/bin/python bench/run.py            # full run (first time: generates ~0.6 GB of data)
    /work/venv/bin/python bench/run.py --smoke    # tiny sizes, 2 repeats: a few seconds (CI test)

Everything is timed from outside, with this very interpreter (``sys.executable``), in processes
launched the way the installed ``quizdl`` console script launches them. Each ratio is measured side
by side in one run: the two commands alternate, so drift hits both. Figures are medians over the
repeats, with min–max. Targets (see the issue): ✓ met, ✗ missed.

* ``--help`` floor: a generated typer app with the same commands and options but empty bodies
  (bench/bare_app.py), rich help mode, like quizdl.
* study floor: ``python -c "import typer, rich.console, yaml, fsrs, sqlite3"``.
* first card: ``quizdl study`` launched on a real pty (os.openpty, 100x40, TERM=xterm-256color),
  timed until the first card's panel and its key prompt are on screen, then killed (SIGKILL). The
  deck parse cache is warm (a daily start); "cold" rows remove it first.
* topics / stats: the commands run to completion (output to a pipe).
* answer persisted: ``Store.record_review`` in-process on a copy of the big database, commit
  included (WAL, synchronous=NORMAL, as quizdl opens it), median over 200 answers.
* peak memory: ru_maxrss of the study process (os.wait4), for a whole short session on a pty:
  first card, reveal, rate Good, undo, quit.
* grade: ``quizdl grade drills/<id>/reference.py --drill <id>`` for a torch and a numpy drill; cold =
  a fresh QUIZDL_HOME each run, warm = the same home after a first run. Targets apply to warm.

Datasets (bench/gen.py, cached in bench/out/data/): the built-in decks load too and count.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import select
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
PY = sys.executable
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(REPO))

import gen  # noqa: E402  (bench/gen.py)

FULL_SIZES = {"small": (2_000, 100_000), "big": (10_000, 1_000_000)}
SMOKE_SIZES = {"small": (30, 300), "big": (60, 1_500)}
FLOOR_IMPORTS = "import typer, rich.console, yaml, fsrs, sqlite3"
ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\r")
FIRST_CARD = re.compile(r"done 0 · \d+:\d\d[\s\S]*(show answer|your choice|type a number|type the term)")
PEAK_MIB_TARGET = 60.0
SECTIONS = ("help", "first", "topics", "answer", "memory", "grade")


# --- results ----------------------------------------------------------------------------------


@dataclass
class Row:
    what: str
    samples: list[float] = field(default_factory=list)  # seconds or bytes
    unit: str = "ms"  # ms | s | MiB | x | text
    target: str = ""
    ok: bool | None = None
    note: str = ""
    value: float | None = None  # for ratios / single figures

    def fmt(self, v: float) -> str:
        if self.unit == "ms":
            return f"{v * 1000:.0f} ms" if v >= 0.01 else f"{v * 1000:.2f} ms"
        if self.unit == "s":
            return f"{v:.2f} s"
        if self.unit == "MiB":
            return f"{v / 2**20:.1f} MiB"
        if self.unit == "x":
            return f"{v:.2f}×"
        return str(v)

    def cells(self) -> list[str]:
        if self.unit == "text":
            return [self.what, self.note or "—", "", "", self.target, _mark(self.ok)]
        if self.value is not None and not self.samples:
            return [self.what, self.fmt(self.value), self.note, "", self.target, _mark(self.ok)]
        if not self.samples:
            return [self.what, "—", "", "", self.target, _mark(self.ok)]
        med = statistics.median(self.samples)
        spread = f"{self.fmt(min(self.samples))} – {self.fmt(max(self.samples))}" if len(self.samples) > 1 else ""
        return [self.what, self.fmt(med), spread, str(len(self.samples)), self.target, _mark(self.ok)]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


def ratio_row(what: str, num: list[float], den: list[float], limit: float) -> Row:
    """median(num) / median(den) against `≤ limit`; the CPU-time ratio alongside, for reference
    (it moves less than wall time when the machine is busy)."""
    r = statistics.median(num) / statistics.median(den)
    note = ""
    if all(isinstance(x, Timing) for x in (*num, *den)):
        cpu = statistics.median(x.cpu for x in num) / statistics.median(x.cpu for x in den)  # type: ignore[attr-defined]
        note = f"CPU-time ratio {cpu:.2f}×"
    return Row(what, unit="x", value=r, target=f"≤ {limit}", ok=r <= limit, note=note)


def _mark(ok: bool | None) -> str:
    return "" if ok is None else ("✓" if ok else "✗")


def table(rows: list[Row]) -> str:
    head = ["measurement", "median", "min – max", "n", "target", ""]
    body = [r.cells() for r in rows]
    widths = [max(len(x) for x in col) for col in zip(head, *body, strict=True)]
    line = lambda cells: "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"  # noqa: E731
    out = [line(head), "|" + "|".join("-" * (w + 2) for w in widths) + "|"]
    out += [line(c) for c in body]
    return "\n".join(out)


# --- launching --------------------------------------------------------------------------------


def launcher(folder: Path) -> Path:
    """The console script pip writes for `quizdl` (same code, same entry point as pyproject's
    [project.scripts]), run with this interpreter."""
    import tomllib

    entry = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["scripts"]["quizdl"]
    module, func = entry.split(":")
    path = folder / "quizdl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom {module} import {func} as main\n"
        "if __name__ == \"__main__\":\n"
        "    sys.argv[0] = re.sub(r\"(-script\\.pyw|\\.exe)?$\", \"\", sys.argv[0])\n"
        "    sys.exit(main())\n"
    )
    return path


def env_for(home: Path | None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON") and k not in ("NO_COLOR", "FORCE_COLOR")}
    env.update(PYTHONPATH=str(REPO), COLUMNS="100", LINES="40", TERM="xterm-256color", LANG="C.UTF-8")
    if home is not None:
        env["QUIZDL_HOME"] = str(home)
    return env


class Timing(float):
    """Wall-clock seconds, carrying the child's CPU seconds (user + sys) as .cpu."""

    cpu: float

    def __new__(cls, wall: float, cpu: float) -> Timing:
        obj = super().__new__(cls, wall)
        obj.cpu = cpu
        return obj


def _reap(proc: subprocess.Popen) -> tuple[int, object]:
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, usage


def run_timed(cmd: list[str], env: dict, *, ok_codes=(0,), cwd: Path | None = None) -> Timing:
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd)
    out = proc.stdout.read()  # type: ignore[union-attr]
    code, usage = _reap(proc)
    dt = time.perf_counter() - t0
    proc.stdout.close()  # type: ignore[union-attr]
    if code not in ok_codes:
        tail = out.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {code}:\n{tail}")
    return Timing(dt, usage.ru_utime + usage.ru_stime)  # type: ignore[attr-defined]


class Pty:
    """A child on a pseudo-terminal; read what it shows, send keys, reap it with its rusage."""

    def __init__(self, cmd: list[str], env: dict) -> None:
        import fcntl
        import struct
        import termios

        self.master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 100, 0, 0))
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.raw = b""
        self.mark = 0
        self.eof = False

    def screen(self) -> str:
        return ANSI.sub("", self.raw.decode("utf-8", errors="replace"))

    def expect(self, pattern: re.Pattern | str, timeout: float = 60.0) -> float:
        """Wait for pattern (after the previous match); return the time since launch."""
        pat = re.compile(pattern) if isinstance(pattern, str) else pattern
        deadline = time.monotonic() + timeout
        while True:
            m = pat.search(self.screen(), self.mark)
            if m:
                self.mark = m.end()
                return time.perf_counter() - self.t0
            if self.eof or time.monotonic() > deadline:
                raise RuntimeError(f"never saw {pat.pattern!r}; screen:\n{self.screen()[-3000:]}")
            ready, _, _ = select.select([self.master], [], [], max(0.0, deadline - time.monotonic()))
            if ready:
                try:
                    data = os.read(self.master, 65536)
                except OSError:  # EIO: the child closed the terminal
                    data = b""
                if not data:
                    self.eof = True
                self.raw += data

    def send(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def send_key(self, key: str, timeout: float = 20.0) -> None:
        """Send one key press once the child reads single keys: it switches the terminal to
        cbreak with TCSAFLUSH, which drops anything typed before."""
        import termios

        deadline = time.monotonic() + timeout
        while termios.tcgetattr(self.master)[3] & termios.ICANON:
            if time.monotonic() > deadline:
                raise RuntimeError("the child never switched the terminal to cbreak")
            time.sleep(0.002)
        self.send(key)

    def finish(self, kill: bool) -> tuple[int, int]:
        """(exit status, peak RSS in bytes) of the child; killed first when asked. The child's
        CPU seconds are left in self.cpu."""
        if kill:
            os.killpg(self.proc.pid, signal.SIGKILL)
        else:
            while not self.eof:  # drain so the child never blocks on a full terminal
                try:
                    self.expect(r"(?!x)x", timeout=60)
                except RuntimeError:
                    break
        code, usage = _reap(self.proc)
        os.close(self.master)
        self.cpu = usage.ru_utime + usage.ru_stime  # type: ignore[attr-defined]
        return code, usage.ru_maxrss * 1024  # type: ignore[attr-defined]


# --- measurements -----------------------------------------------------------------------------


def alternate(n: int, fns: list[Callable[[], float]], warmup: int = 1) -> list[list[float]]:
    """Run the functions in turn, n rounds (after `warmup` unmeasured rounds)."""
    for _ in range(warmup):
        for fn in fns:
            fn()
    out: list[list[float]] = [[] for _ in fns]
    for _ in range(n):
        for i, fn in enumerate(fns):
            out[i].append(fn())
    return out


def first_card_time(qz: list[str], ds: gen.Dataset, home: Path, *, cold: bool = False) -> Timing:
    if cold:
        shutil.rmtree(home / "cache", ignore_errors=True)
    pty = Pty([*qz, "study", "--cards", str(ds.decks)], env_for(home))
    try:
        wall = pty.expect(FIRST_CARD)
    finally:
        pty.finish(kill=True)  # at once: the CPU time is (almost only) start-up to the first card
    return Timing(wall, pty.cpu)


def session_peak(qz: list[str], ds: gen.Dataset, home: Path) -> int:
    """A short real session on a pty — first card, reveal, Good, undo, quit; its peak RSS."""
    pty = Pty([*qz, "study", "--cards", str(ds.decks)], env_for(home))
    try:
        pty.expect(FIRST_CARD)
        pty.mark = 0
        kind = _prompt(pty)
        _press(pty, kind, {"show answer": " ", "your choice": "1"}.get(kind, ""))  # empty line: don't know
        pty.expect("1-4 rate")
        pty.send_key("3")
        pty.expect("next in")
        _press(pty, _prompt(pty), "u")
        pty.expect("undid")
        _press(pty, _prompt(pty), "q")
        pty.expect("Next card|No cards scheduled|still due now")
    except BaseException:
        pty.finish(kill=True)
        raise
    status, peak = pty.finish(kill=False)
    if status != 0:
        raise RuntimeError(f"study session exited {status}:\n{pty.screen()[-2000:]}")
    return peak


PROMPT = re.compile(r"show answer|your choice|type a number|type the term")


def _prompt(pty: Pty) -> str:
    """Wait for the next card prompt; which kind it is."""
    pty.expect(PROMPT)
    return PROMPT.findall(pty.screen())[-1]


def _press(pty: Pty, kind: str, key: str) -> None:
    if kind in ("show answer", "your choice"):
        pty.send_key(key)
    else:
        pty.send(key + "\r")  # numeric and term cards read a typed line


def answer_times(ds: gen.Dataset, n: int) -> list[float]:
    """Store.record_review, commit included, on a copy of the dataset's database."""
    from datetime import datetime

    from fsrs import Rating

    from quizdl import scheduler as sched
    from quizdl.config import Config
    from quizdl.store import Store

    with tempfile.TemporaryDirectory(dir=OUT) as tmp:
        db = Path(tmp) / "progress.sqlite3"
        src = sqlite3.connect(ds.db)
        src.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        src.close()
        shutil.copyfile(ds.db, db)
        fd = os.open(db, os.O_RDONLY)  # flush the copy now: a WAL checkpoint's fsync would
        os.fsync(fd)  # otherwise write out the whole fresh file inside one timed answer
        os.close(fd)
        scheduler = sched.make_scheduler(Config())
        now = datetime.now(UTC)
        times = []
        with Store.open(db) as store:
            states = list(store.all_states().values())[:n]
            for i in range(n):
                before = states[i % len(states)] if states else None
                item = before.item_id if before else f"bench-new-{i}"
                after = sched.review(scheduler, item, before, Rating.Good, now)
                t0 = time.perf_counter()
                store.record_review(item, int(Rating.Good), now.timestamp(), 4200, before, after)
                times.append(time.perf_counter() - t0)
    return times


def drills_available(qz: list[str]) -> tuple[dict[str, str], str]:
    """{'torch': id, 'numpy': id} of built-in drills gradeable now, or the reason why none."""
    home = Path(tempfile.mkdtemp(dir=OUT, prefix="grade-probe-"))
    try:
        proc = subprocess.run([*qz, "grade", "--help"], env=env_for(home), capture_output=True, text=True)
        if proc.returncode != 0:
            return {}, "`quizdl grade` not available yet"
    finally:
        shutil.rmtree(home, ignore_errors=True)
    import yaml

    found: dict[str, str] = {}
    # bn is the typical torch drill; adam also imports torch._dynamo (torch.optim.Optimizer does).
    prefer = {"numpy": ("softmax-ce", "bn-backward"), "torch": ("bn", "layernorm", "rmsnorm", "attention")}
    for meta in sorted((REPO / "drills").glob("*/drill.yaml")):
        try:
            data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        fw = data.get("framework")
        did = meta.parent.name
        if fw not in ("torch", "numpy") or not (meta.parent / "reference.py").is_file():
            continue
        ranks = prefer.get(fw, ())
        if fw not in found or _rank(did, ranks) < _rank(found[fw], ranks):
            found[fw] = did
    return found, "" if found else "no built-in drill with a reference.py yet"


def _rank(drill: str, preferred: tuple[str, ...]) -> int:
    return preferred.index(drill) if drill in preferred else len(preferred)


def grade_rows(qz: list[str], repeats: int, smoke: bool) -> list[Row]:
    found, why = drills_available(qz)
    if not found:
        return [Row("`quizdl grade` (torch and numpy drills)", unit="text", note=f"not available: {why}",
                    target="", ok=None)]
    rows: list[Row] = []
    warm_home = Path(tempfile.mkdtemp(dir=OUT, prefix="grade-warm-"))

    def grade(drill: str, home: Path) -> float:
        ref = REPO / "drills" / drill / "reference.py"
        return run_timed([*qz, "grade", str(ref), "--drill", drill], env_for(home))

    def cold(drill: str) -> float:
        home = Path(tempfile.mkdtemp(dir=OUT, prefix="grade-cold-"))
        try:
            return grade(drill, home)
        finally:
            shutil.rmtree(home, ignore_errors=True)

    try:
        for fw in ("numpy", "torch"):
            drill = found.get(fw)
            if drill is None:
                rows.append(Row(f"`quizdl grade` {fw} drill", unit="text", note="not available: no such drill yet"))
                continue
            if fw == "torch" and smoke:
                rows.append(Row(f"`quizdl grade` torch drill ({drill})", unit="text", note="skipped in --smoke"))
                continue
            n = repeats if fw == "numpy" else max(3, repeats // 2)
            fns = [lambda d=drill: grade(d, warm_home), lambda d=drill: cold(d)]
            if fw == "torch":
                fns.append(lambda: run_timed([PY, "-c", "import torch"], env_for(None)))
            try:
                res = alternate(n, fns)
            except RuntimeError as exc:  # the engine is not ours to debug here: report, go on
                first = str(exc).strip().splitlines()[0][:120]
                rows.append(Row(f"`quizdl grade` {fw} drill ({drill})", unit="text", note=f"failed: {first}",
                                target="passes", ok=False))
                continue
            warm = Row(f"`quizdl grade` {fw} drill ({drill}), warm", res[0], unit="s")
            coldrow = Row(f"`quizdl grade` {fw} drill ({drill}), cold", res[1], unit="s")
            if fw == "numpy":
                warm.target, warm.ok = "≤ 0.4 s", warm.median <= 0.4
                rows += [warm, coldrow]
            else:
                floor = Row('floor: `python -c "import torch"`', res[2], unit="s")
                rows += [warm, coldrow, floor, ratio_row("→ grade torch (warm) ÷ import torch", res[0], res[2], 1.3)]
    finally:
        shutil.rmtree(warm_home, ignore_errors=True)
    return rows


# --- the sections ---------------------------------------------------------------------------


@dataclass
class Ctx:
    qz: list[str]
    bare: Path
    n: int
    smoke: bool
    datasets: dict
    log: Callable[[str], None]


def section_help(c: Ctx) -> list[Row]:
    helpq, helpb = alternate(c.n, [lambda: run_timed([*c.qz, "--help"], env_for(None)),
                                   lambda: run_timed([PY, str(c.bare), "--help"], env_for(None))])
    return [Row("`quizdl --help`", helpq), Row("floor: bare typer app `--help` (same commands)", helpb),
            ratio_row("→ `--help` ÷ bare app", helpq, helpb, 1.2)]


def section_first(c: Ctx) -> list[Row]:
    small, big = c.datasets["small"], c.datasets["big"]
    fc_small, fc_big, floor = alternate(max(c.n * 2 // 3, 2), [
        lambda: first_card_time(c.qz, small, small.home),
        lambda: first_card_time(c.qz, big, big.home),
        lambda: run_timed([PY, "-c", FLOOR_IMPORTS], env_for(None)),
    ])
    rows = [Row(f'floor: `python -c "{FLOOR_IMPORTS}"`', floor)]
    for ds, samples, target in ((small, fc_small, 1.5), (big, fc_big, 2.0)):
        label = f"{ds.cards:,} cards / {ds.reviews:,} reviews"
        rows.append(Row(f"`quizdl study` → first card, {label}", samples))
        rows.append(ratio_row(f"→ first card ÷ floor, {label}", samples, floor, target))
    cold = alternate(max(c.n // 3, 2), [lambda: first_card_time(c.qz, big, big.home, cold=True)], warmup=0)[0]
    rows.append(Row(f"`quizdl study` → first card, {big.cards:,} cards, deck cache cold (info)", cold))
    first_card_time(c.qz, big, big.home)  # leave the cache warm
    return rows


def section_topics(c: Ctx) -> list[Row]:
    big = c.datasets["big"]
    rows = []
    for cmd in ("topics", "stats"):
        samples = alternate(max(c.n * 2 // 3, 2), [
            lambda cmd=cmd: run_timed([*c.qz, cmd, "--cards", str(big.decks)], env_for(big.home))])[0]
        rows.append(Row(f"`quizdl {cmd}`, {big.cards:,} cards / {big.reviews:,} reviews", samples,
                        target="≤ 1 s", ok=statistics.median(samples) <= 1.0))
    return rows


def section_answer(c: Ctx) -> list[Row]:
    big = c.datasets["big"]
    times = answer_times(big, 20 if c.smoke else 200)
    return [Row(f"one answer persisted (Store.record_review + commit), {big.reviews:,}-row log", times,
                target="≤ 5 ms", ok=statistics.median(times) <= 0.005)]


def section_memory(c: Ctx) -> list[Row]:
    rows = []
    for key in ("small", "big"):
        ds = c.datasets[key]
        peaks = [float(session_peak(c.qz, ds, ds.home)) for _ in range(2 if c.smoke else 3)]
        row = Row(f"peak memory, `quizdl study` session, {ds.cards:,} cards", peaks, unit="MiB")
        if key == "big":
            row.target, row.ok = f"≤ {PEAK_MIB_TARGET:.0f} MiB", max(peaks) <= PEAK_MIB_TARGET * 2**20
        rows.append(row)
    return rows


def section_grade(c: Ctx) -> list[Row]:
    return grade_rows(c.qz, c.n, c.smoke)


SECTION_FNS = {"help": section_help, "first": section_first, "topics": section_topics,
               "answer": section_answer, "memory": section_memory, "grade": section_grade}


# --- the suite --------------------------------------------------------------------------------


def describe_env(sizes: dict, datasets: dict) -> str:
    import importlib.metadata as md

    versions = []
    for pkg in ("typer", "rich", "PyYAML", "fsrs", "pydantic", "pylatexenc"):
        with contextlib.suppress(md.PackageNotFoundError):
            versions.append(f"{pkg} {md.version(pkg)}")
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    builtin = sum(1 for _ in (REPO / "cards").glob("*.yaml"))
    lines = [
        f"machine: {os.cpu_count()} cores ({cpu}), {platform.system()} {platform.release()}",
        f"python: {platform.python_version()} ({PY}); SQLite {sqlite3.sqlite_version}; " + ", ".join(versions),
    ]
    for key, ds in datasets.items():
        lines.append(f"dataset {key}: {ds.cards:,} synthetic cards in {len(list(ds.decks.glob('*.yaml')))} decks "
                     f"+ the {builtin} built-in decks, {ds.reviews:,} review-log rows ({ds.root.name})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--smoke", action="store_true", help="tiny sizes, 2 repeats (seconds; used by the tests)")
    ap.add_argument("--repeats", type=int, help="runs per measurement (default 15, smoke 2)")
    ap.add_argument("--no-grade", action="store_true", help="skip the grade timings")
    ap.add_argument("--only", nargs="+", choices=SECTIONS, help="run only these sections")
    ap.add_argument("--markdown", type=Path, help="also write the table (with the environment) to this file")
    args = ap.parse_args(argv)

    smoke = args.smoke
    n = args.repeats or (2 if smoke else 15)
    sizes = SMOKE_SIZES if smoke else FULL_SIZES
    OUT.mkdir(parents=True, exist_ok=True)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    t_start = time.perf_counter()
    load_start = os.getloadavg()[0]
    log(f"quizdl bench ({'smoke' if smoke else 'full'}; {n} repeats)")
    # A smoke run works in a folder of its own (tiny data, made in a second): runs in parallel,
    # e.g. the test suite's and a manual one, never share files.
    work = Path(tempfile.mkdtemp(dir=OUT, prefix="smoke-")) if smoke else OUT
    try:
        return _run(args, n, smoke, sizes, work, log, t_start, load_start)
    finally:
        if smoke:
            shutil.rmtree(work, ignore_errors=True)


def _run(args, n: int, smoke: bool, sizes: dict, work: Path, log, t_start: float, load_start: float) -> int:
    datasets = {key: gen.dataset(c, r, log=log, base=work / "data") for key, (c, r) in sizes.items()}
    script = launcher(work / "bin")
    qz = [PY, str(script)]
    made = subprocess.run([PY, str(BENCH / "bare_app.py"), str(work / "bin" / "quizdl-bare")],
                          env=env_for(None), capture_output=True, text=True)
    if made.returncode != 0:
        raise SystemExit(f"bench/bare_app.py failed:\n{made.stdout}{made.stderr}")
    bare = Path(made.stdout.strip())
    rows: list[Row] = []

    want = set(args.only or SECTIONS)
    if args.no_grade:
        want.discard("grade")
    ctx = Ctx(qz=qz, bare=bare, n=n, smoke=smoke, datasets=datasets, log=log)
    for name in SECTIONS:
        if name in want:
            log(f"· {name}")
            rows += SECTION_FNS[name](ctx)
        elif name == "grade" and args.no_grade:
            rows.append(Row("`quizdl grade`", unit="text", note="skipped (--no-grade)"))

    env_text = describe_env(sizes, datasets)
    env_text += f"\nload average (1 min) at start / end: {load_start:.2f} / {os.getloadavg()[0]:.2f}"
    out = table(rows)
    print(env_text)
    print(f"command: {PY} bench/run.py{' --smoke' if smoke else ''}   ({time.perf_counter() - t_start:.0f} s)")
    print()
    print(out)
    missed = [r.what for r in rows if r.ok is False]
    print()
    print("all targets met" if not missed else f"targets missed: {len(missed)}")
    (OUT / ("results-smoke.json" if smoke else "results.json")).write_text(json.dumps({
        "env": env_text,
        "rows": [{"what": r.what, "samples": r.samples, "unit": r.unit, "value": r.value, "target": r.target,
                  "ok": r.ok, "note": r.note} for r in rows],
    }, indent=1, ensure_ascii=False))
    if args.markdown:
        args.markdown.write_text(env_text + "\n\n" + out + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
