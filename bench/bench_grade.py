"""Grading cost: cold (empty cache) and warm grades of a numpy and a torch drill, next to the cost
of `python -c "import torch"` measured in the same run (the floor for a torch drill).

    python bench/bench_grade.py [--repeat 3]

Cold = empty cache dir: the grader computes reference outputs (importing torch for torch drills)
while the sandbox child imports torch. Warm = cached references: the grader never imports torch.
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


def _time_import_torch() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", "import torch"], check=True)
    return time.perf_counter() - start


def _time_grade(drill_id: str, cache: Path) -> float:
    """One grade of the drill's reference in a fresh process (as `quizdl grade` would run it)."""
    code = (
        "import sys, time; from pathlib import Path;"
        "from quizdl.drills import load_drills; from quizdl.grading.engine import grade;"
        f"d = load_drills()[{drill_id!r}]; t = time.perf_counter();"
        f"r = grade(d, d.reference_path, cache_root=Path({str(cache)!r}));"
        "assert r.passed, r.to_dict(); print(time.perf_counter() - t)"
    )
    env = dict(os.environ, PYTHONPATH=str(REPO), QUIZDL_HOME=str(cache / "home"))
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, env=env)
    return float(out.stdout.strip().splitlines()[-1])


def _time_cli(drill_id: str, home: Path) -> float:
    """`quizdl grade` as a whole process (Python start-up, imports, grading, recording)."""
    example = {"softmax-ce": "softmax-ce-alt-logaddexp", "bn": "bn-alt-lerp"}[drill_id]
    env = dict(os.environ, PYTHONPATH=str(REPO), QUIZDL_HOME=str(home))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "quizdl", "grade", str(REPO / "tests" / "grading_examples" / example / "submission.py")],
                   check=True, capture_output=True, env=env)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = [("python -c 'import torch'", [_time_import_torch() for _ in range(args.repeat)])]
    for drill_id in ("softmax-ce", "bn"):
        cold, warm = [], []
        for _ in range(args.repeat):
            with tempfile.TemporaryDirectory() as tmp:
                cold.append(_time_grade(drill_id, Path(tmp)))
                warm.append(_time_grade(drill_id, Path(tmp)))
        rows += [(f"grade {drill_id} (cold cache)", cold), (f"grade {drill_id} (warm cache)", warm)]
        with tempfile.TemporaryDirectory() as tmp:
            _time_cli(drill_id, Path(tmp))  # warm the cache
            rows.append((f"`quizdl grade` {drill_id} (warm, process)", [_time_cli(drill_id, Path(tmp)) for _ in range(args.repeat)]))
    for name, times in rows:
        print(f"{name:40s} median {statistics.median(times):6.2f} s   all {', '.join(f'{t:.2f}' for t in times)}")


if __name__ == "__main__":
    main()
