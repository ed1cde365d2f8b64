"""`quizdl optimize` at scale: fit FSRS-6 to 100,000 synthetic reviews (target ≤ 2 s).

The history is bench/gen.py's (the app's own scheduler, a simulated learner weaker than FSRS's
defaults), cached under bench/out/data. Two figures: the in-process work of the command (read the
review log, build the items, fit on 80 %, score default and fitted on 20 %), best of 3, and the
whole `quizdl optimize --dry-run` process, start-up included.

Usage: ``python bench/bench_optimize.py [--reviews 100000] [--cards 5000]``
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
TARGET_S = 2.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reviews", type=int, default=100_000)
    ap.add_argument("--cards", type=int, default=5_000)
    ap.add_argument("--data", type=Path, default=None, help="dataset cache folder (default bench/out/data)")
    args = ap.parse_args()
    sys.path.insert(0, str(BENCH))
    sys.path.insert(0, str(REPO))
    import gen

    from quizdl import optimize as opt
    from quizdl.store import Store

    ds = gen.dataset(args.cards, args.reviews, base=args.data)
    best = float("inf")
    result = None
    for _ in range(3):
        t0 = time.perf_counter()
        with Store.open(ds.db) as store:
            rows = opt.card_reviews(store)
        result = opt.fit(rows)
        best = min(best, time.perf_counter() - t0)
    assert result is not None
    with tempfile.TemporaryDirectory() as home:
        shutil.copy(ds.db, Path(home) / "progress.sqlite3")
        env = dict(os.environ, QUIZDL_HOME=home, PYTHONPATH=str(REPO))
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "quizdl", "optimize", "--dry-run"], env=env,
                              capture_output=True, text=True)
        whole = time.perf_counter() - t0
    if proc.returncode != 0:
        print(proc.stdout + proc.stderr)
        return 1
    print(f"| measurement ({result.reviews:,} reviews) | time | target |")
    print("|---|---|---|")
    print(f"| `quizdl optimize`: read, fit, score (best of 3) | {best:.2f} s | ≤ {TARGET_S:.0f} s |")
    print(f"| `quizdl optimize --dry-run`, whole process | {whole:.2f} s | |")
    print(f"held-out log loss {result.default.log_loss:.4f} default → {result.fitted.log_loss:.4f} fitted; "
          f"RMSE(bins) {result.default.rmse_bins:.4f} → {result.fitted.rmse_bins:.4f}")
    return 0 if best <= TARGET_S or args.reviews < 100_000 else 1


if __name__ == "__main__":
    sys.exit(main())
