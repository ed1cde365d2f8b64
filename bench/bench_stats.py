"""`quizdl stats` at scale: 10,000 cards / 1,000,000 reviews (bench/gen.py), target ≤ 1 s.

    python bench/bench_stats.py [--repeat 10] [--cards 10000 --reviews 1000000] [--data DIR]
                                [--migration]

Times the whole command as a user runs it (the console script, output to a pipe): the pictures
(plain, as piped), `--lang zh` and `--json`; then, in-process, each part of quizdl/stats.py's
compute, to show where the time goes. `--migration` also times migration 5 (the review-interval
column and its index) on a copy of the database with that migration undone: what the first
`quizdl` after the upgrade costs once. Data: bench/out/data/ unless --data (delete it when done).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import gen  # noqa: E402
import run  # noqa: E402  (bench/run.py: the launcher and the timing helpers)


def _fmt(samples: list[float]) -> str:
    return f"{statistics.median(samples) * 1000:6.0f} ms  ({min(samples) * 1000:.0f}–{max(samples) * 1000:.0f}, n={len(samples)})"


def _parts(ds: gen.Dataset) -> list[tuple[str, float]]:
    """Seconds per part of stats.compute, in-process (decks from the warm cache), with the cyclic
    GC paused as the command runs (cli/app.py pauses it during start-up)."""
    import gc
    import os
    from datetime import UTC, datetime

    os.environ["QUIZDL_HOME"] = str(ds.home)
    from quizdl import config as cfg
    from quizdl import scheduler as sched
    from quizdl import stats
    from quizdl.cards import load_library
    from quizdl.store import Store

    out = []
    gc.disable()
    t0 = time.perf_counter()
    library = load_library(extra=[ds.decks])
    out.append(("load decks (cache warm)", time.perf_counter() - t0))
    config = cfg.load()
    now = datetime.now(UTC)
    with Store.open(ds.db) as store:
        today = sched.day_start(now, config.day_starts_at)
        steps = [
            ("all_states", lambda: store.all_states()),
            ("heatmap + streak days", lambda: stats._heatmap(store, today.astimezone().date(), config.day_starts_at)),
            ("true retention (4 windows)", lambda: stats._retention(store, today, config.desired_retention)),
            ("topics (R now per card)", lambda: stats._topics(library, store.all_states(), config, now, "en")),
            ("drills", lambda: stats._drills(store)),
            ("compute, everything", lambda: stats.compute(library, store, config, now)),
        ]
        for name, fn in steps:
            fn()
            samples = []
            for _ in range(3):
                t0 = time.perf_counter()
                fn()
                samples.append(time.perf_counter() - t0)
            out.append((name, statistics.median(samples)))
    gc.enable()
    return out


def _migration(ds: gen.Dataset) -> float:
    """Seconds of migration 5 (the review-interval column and its index) on a copy of the
    database with its change undone: the migration itself, in one transaction, as Store runs it."""
    from quizdl import store as store_module

    with tempfile.TemporaryDirectory(dir=ds.root) as tmp:
        copy = Path(tmp) / "progress.sqlite3"
        shutil.copyfile(ds.db, copy)
        db = sqlite3.connect(copy, isolation_level=None)
        db.execute("DROP INDEX review_log_retention")
        db.execute("ALTER TABLE review_log DROP COLUMN last_interval")
        t0 = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        store_module.m005_review_intervals(db)
        db.execute("COMMIT")
        elapsed = time.perf_counter() - t0
        db.close()
        return elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=10)
    ap.add_argument("--cards", type=int, default=10_000)
    ap.add_argument("--reviews", type=int, default=1_000_000)
    ap.add_argument("--data", type=Path, default=None, help="dataset folder (default bench/out/data)")
    ap.add_argument("--migration", action="store_true", help="also time migration 5 once")
    args = ap.parse_args()
    ds = gen.dataset(args.cards, args.reviews, base=args.data)
    from quizdl.store import Store

    Store.open(ds.db).close()  # a dataset made before migration 5 is migrated before any timing
    with tempfile.TemporaryDirectory() as tmp:
        qz = [run.PY, str(run.launcher(Path(tmp)))]
        env = run.env_for(ds.home)
        cards = ["--cards", str(ds.decks)]
        runs = [lambda extra=extra: run.run_timed([*qz, "stats", *cards, *extra], env)
                for extra in ([], ["--lang", "zh"], ["--json"])]
        plain, zh, js = run.alternate(args.repeat, runs)
    label = f"{ds.cards:,} cards / {ds.reviews:,} reviews"
    print(f"quizdl stats, {label} (whole process, output to a pipe; target ≤ 1 s)")
    for name, samples in (("stats", plain), ("stats --lang zh", zh), ("stats --json", js)):
        ok = "✓" if statistics.median(samples) <= 1.0 else "✗"
        print(f"  {name:<18} {_fmt(samples)}  {ok}")
    print("in-process parts (median of 3):")
    for name, seconds in _parts(ds):
        print(f"  {name:<28} {seconds * 1000:6.0f} ms")
    if args.migration:
        print(f"migration 5 (once, on upgrade): {_migration(ds):.2f} s")


if __name__ == "__main__":
    main()
