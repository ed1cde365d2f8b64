"""Passing-grade time of every built-in drill against its target: numpy drills <= 0.4 s, torch
drills <= 1.3 x `python -c "import torch"` measured in the same run. Each grade is a whole
`quizdl grade` process on the drill's reference, warm cache (one untimed grade first).

    python bench/bench_drills.py [--repeat 3] [--drills a,b,...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def _timed(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(args, check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    from quizdl import paths
    from quizdl.drills import load_drills

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--drills", default="")
    args = parser.parse_args()
    drills = load_drills([(paths.builtin_dir("drills"), True)], strict=False)  # a broken one is skipped
    chosen = [d for d in sorted(drills) if not args.drills or d in args.drills.split(",")]
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, PYTHONPATH=str(REPO), QUIZDL_HOME=home, QUIZDL_NO_PREPARE="1")
        torch_s = statistics.median(_timed([sys.executable, "-c", "import torch"], env) for _ in range(args.repeat))
        numpy_s = statistics.median(_timed([sys.executable, "-c", "import numpy"], env) for _ in range(args.repeat))
        print(f"python -c 'import torch': {torch_s:.2f} s, 'import numpy': {numpy_s:.2f} s (medians of {args.repeat})")
        print(f"{'drill':20s} {'framework':9s} {'median':>7s}  target")
        met = 0
        for drill_id in chosen:
            drill = drills[drill_id]
            grade = [sys.executable, "-m", "quizdl", "grade", str(drill.reference_path), "--drill", drill_id]
            _timed(grade, env)  # warm the cache
            median = statistics.median(_timed(grade, env) for _ in range(args.repeat))
            if drill.framework == "numpy":
                ok, target = median <= 0.4, f"<= 0.4 s ({median / numpy_s:.1f} x import numpy)"
            else:
                ok, target = median <= 1.3 * torch_s, f"<= 1.3 x import torch ({median / torch_s:.2f} x)"
            met += ok
            print(f"{drill_id:20s} {drill.framework:9s} {median:6.2f}s  {target} {'✓' if ok else '✗'}")
        print(f"{met}/{len(chosen)} drills within target")


if __name__ == "__main__":
    main()
