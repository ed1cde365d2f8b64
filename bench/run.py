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
FIRST_CARD = re.compile(r"done 0 · left \d+[\s\S]*(show answer|your choice|type a number|type the term)")
PEAK_MIB_TARGET = 60.0


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
            return [self.what, self.fmt(self.value), "", "", self.target, _mark(self.ok)]
        if not self.samples:
            return [self.what, "—", "", "", self.target, _mark(self.ok)]
        med = statistics.median(self.samples)
        spread = f"{self.fmt(min(self.samples))} – {self.fmt(max(self.samples))}" if len(self.samples) > 1 else ""
        return [self.what, self.fmt(med), spread, str(len(self.samples)), self.target, _mark(self.ok)]

    @property
    def median(self) -> float:
        return statistics.median(self.samples)


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


def launcher() -> Path:
    """The console script pip writes for `quizdl` (same code), run with this interpreter."""
    path = OUT / "bin" / "quizdl"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom quizdl.cli import main\n"
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


def run_timed(cmd: list[str], env: dict, *, ok_codes=(0,), cwd: Path | None = None) -> float:
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=cwd)
    dt = time.perf_counter() - t0
    if proc.returncode not in ok_codes:
        tail = proc.stdout.decode(errors="replace")[-2000:]
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{tail}")
    return dt


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
        """(exit status, peak RSS in bytes) of the child; killed first when asked."""
        if kill:
            os.killpg(self.proc.pid, signal.SIGKILL)
        else:
            while not self.eof:  # drain so the child never blocks on a full terminal
                try:
                    self.expect(r"(?!x)x", timeout=60)
                except RuntimeError:
                    break
        _, status, usage = os.wait4(self.proc.pid, 0)
        self.proc.returncode = os.waitstatus_to_exitcode(status)
        os.close(self.master)
        return self.proc.returncode, usage.ru_maxrss * 1024


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


def first_card_time(qz: list[str], ds: gen.Dataset, home: Path, *, cold: bool = False) -> float:
    if cold:
        shutil.rmtree(home / "cache", ignore_errors=True)
    pty = Pty([*qz, "study", "--cards", str(ds.decks)], env_for(home))
    try:
        return pty.expect(FIRST_CARD)
    finally:
        pty.finish(kill=True)


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
        pty.expect("Next card|No cards scheduled")
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
    from datetime import datetime, timezone

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
        scheduler = sched.make_scheduler(Config())
        now = datetime.now(timezone.utc)
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
    prefer = {"numpy": ("softmax-ce", "bn-backward")}
    for meta in sorted((REPO / "drills").glob("*/drill.yaml")):
        try:
            data = yaml.safe_load(meta.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        fw = data.get("framework")
        did = meta.parent.name
        if fw in ("torch", "numpy") and (meta.parent / "reference.py").is_file():
            if fw not in found or did in prefer.get(fw, ()):
                if fw in found and found[fw] in prefer.get(fw, ()):
                    continue
                found[fw] = did
    return found, "" if found else "no built-in drill with a reference.py yet"


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
            res = alternate(n, fns)
            warm = Row(f"`quizdl grade` {fw} drill ({drill}), warm", res[0], unit="s")
            coldrow = Row(f"`quizdl grade` {fw} drill ({drill}), cold", res[1], unit="s")
            if fw == "numpy":
                warm.target, warm.ok = "≤ 0.4 s", warm.median <= 0.4
                rows += [warm, coldrow]
            else:
                floor = Row('floor: `python -c "import torch"`', res[2], unit="s")
                ratio = warm.median / floor.median
                rows += [warm, coldrow, floor,
                         Row("→ grade torch (warm) ÷ import torch", unit="x", value=ratio, target="≤ 1.3", ok=ratio <= 1.3)]
    finally:
        shutil.rmtree(warm_home, ignore_errors=True)
    return rows


# --- the suite --------------------------------------------------------------------------------


def describe_env(sizes: dict, datasets: dict) -> str:
    import importlib.metadata as md

    versions = []
    for pkg in ("typer", "rich", "PyYAML", "fsrs", "pydantic", "pylatexenc"):
        try:
            versions.append(f"{pkg} {md.version(pkg)}")
        except md.PackageNotFoundError:
            pass
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
    ap.add_argument("--markdown", type=Path, help="also write the table (with the environment) to this file")
    args = ap.parse_args(argv)

    smoke = args.smoke
    n = args.repeats or (2 if smoke else 15)
    sizes = SMOKE_SIZES if smoke else FULL_SIZES
    OUT.mkdir(parents=True, exist_ok=True)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731
    t_start = time.perf_counter()
    log(f"quizdl bench ({'smoke' if smoke else 'full'}; {n} repeats)")
    datasets = {key: gen.dataset(c, r, log=log) for key, (c, r) in sizes.items()}
    script = launcher()
    qz = [PY, str(script)]
    made = subprocess.run([PY, str(BENCH / "bare_app.py"), str(OUT / "bin" / "quizdl-bare")],
                          env=env_for(None), capture_output=True, text=True)
    if made.returncode != 0:
        raise SystemExit(f"bench/bare_app.py failed:\n{made.stdout}{made.stderr}")
    bare = Path(made.stdout.strip())
    floor_cmd = [PY, "-c", FLOOR_IMPORTS]
    rows: list[Row] = []
    home_of = {key: ds.home for key, ds in datasets.items()}

    # 1. --help
    log("· --help")
    helpq, helpb = alternate(n, [lambda: run_timed([*qz, "--help"], env_for(None)),
                                 lambda: run_timed([PY, str(bare), "--help"], env_for(None))])
    rows += [Row("`quizdl --help`", helpq), Row("floor: bare typer app `--help` (same commands)", helpb)]
    ratio = statistics.median(helpq) / statistics.median(helpb)
    rows.append(Row("→ `--help` ÷ bare app", unit="x", value=ratio, target="≤ 1.2", ok=ratio <= 1.2))

    # 2. first card, both sizes, against the import floor
    log("· first card (pty)")
    floor_fn = lambda: run_timed(floor_cmd, env_for(None))  # noqa: E731
    small, big = datasets["small"], datasets["big"]
    fc_small, fc_big, floor = alternate(max(n * 2 // 3, 2), [
        lambda: first_card_time(qz, small, home_of["small"]),
        lambda: first_card_time(qz, big, home_of["big"]),
        floor_fn,
    ])
    rows.append(Row(f'floor: `python -c "{FLOOR_IMPORTS}"`', floor))
    fl = statistics.median(floor)
    for key, samples, target in (("small", fc_small, 1.5), ("big", fc_big, 2.0)):
        ds = datasets[key]
        label = f"{ds.cards:,} cards / {ds.reviews:,} reviews"
        rows.append(Row(f"`quizdl study` → first card, {label}", samples))
        r = statistics.median(samples) / fl
        rows.append(Row(f"→ first card ÷ floor, {label}", unit="x", value=r, target=f"≤ {target}", ok=r <= target))
    cold = alternate(max(n // 3, 2), [lambda: first_card_time(qz, big, home_of["big"], cold=True)], warmup=0)[0]
    rows.append(Row(f"`quizdl study` → first card, {big.cards:,} cards, deck cache cold (info)", cold))
    first_card_time(qz, big, home_of["big"])  # leave the cache warm

    # 3. topics and stats on the big dataset
    log("· topics / stats")
    for cmd in ("topics", "stats"):
        samples = alternate(max(n * 2 // 3, 2), [
            lambda c=cmd: run_timed([*qz, c, "--cards", str(big.decks)], env_for(home_of["big"]))])[0]
        med = statistics.median(samples)
        rows.append(Row(f"`quizdl {cmd}`, {big.cards:,} cards / {big.reviews:,} reviews", samples,
                        target="≤ 1 s", ok=med <= 1.0))

    # 4. one answer persisted
    log("· answer persisted")
    times = answer_times(big, 20 if smoke else 200)
    med = statistics.median(times)
    rows.append(Row(f"one answer persisted (Store.record_review + commit), {big.reviews:,}-row log", times,
                    target="≤ 5 ms", ok=med <= 0.005))

    # 5. peak memory of a study session
    log("· peak memory")
    for key in ("small", "big"):
        ds = datasets[key]
        peaks = [float(session_peak(qz, ds, home_of[key])) for _ in range(2 if smoke else 3)]
        row = Row(f"peak memory, `quizdl study` session, {ds.cards:,} cards", peaks, unit="MiB")
        if key == "big":
            row.target, row.ok = f"≤ {PEAK_MIB_TARGET:.0f} MiB", max(peaks) <= PEAK_MIB_TARGET * 2**20
        rows.append(row)

    # 6. grade
    if args.no_grade:
        rows.append(Row("`quizdl grade`", unit="text", note="skipped (--no-grade)"))
    else:
        log("· grade")
        rows += grade_rows(qz, n, smoke)

    env_text = describe_env(sizes, datasets)
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
