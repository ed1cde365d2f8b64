"""What naming the mistakes costs: `quizdl grade` of a passing file, a one-mistake file and a
two-mistake file of the same drill, each as a whole process (as a user runs it), warm cache.

    python bench/bench_diagnose.py [--repeat 3] [--drills softmax-ce,bn]

The failing files are the drill's reference with known mistakes applied (the first composable
pair). "diagnosis adds" = median failing grade - median passing grade. Also one cold figure: the
first failing grade of a drill whose known mistakes were never computed (what `quizdl drill ID`
computes in the background while the user writes code).
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


def _grade(file: Path, home: Path) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(REPO), QUIZDL_HOME=str(home), QUIZDL_NO_PREPARE="1")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "quizdl", "grade", str(file), "--json"],
                         capture_output=True, text=True, env=env)
    took = time.perf_counter() - start
    import json

    data = json.loads(out.stdout)
    return took, ",".join(d["id"] for d in data["diagnoses"]) or data["status"]


def main() -> None:
    from quizdl.drills import load_drills
    from quizdl.grading import mutants

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--drills", default="softmax-ce,bn")
    args = parser.parse_args()
    drills = load_drills(strict=False)
    print(f"{'drill':14s} {'pass':>7s} {'1 mistake':>10s} {'2 mistakes':>11s} {'adds':>6s} {'cold 1st fail':>14s}  diagnosed")
    for drill_id in args.drills.split(","):
        drill = drills[drill_id]
        reference = drill.reference_path.read_text(encoding="utf-8")
        forms = [f for f in mutants.primary(mutants.all_forms(drill)) if f.contract is None]
        pair = mutants.compatible_pairs(forms)[0]
        with tempfile.TemporaryDirectory() as tmp:
            tmp = Path(tmp)
            files = {}
            for label, combo in (("pass", ()), ("one", (forms[0],)), ("two", pair)):
                path = tmp / f"{label}.py"
                path.write_text(f"# quizdl drill: {drill_id}\n" + (mutants.apply(reference, combo) if combo else reference))
                files[label] = path
            cold_home = tmp / "cold"
            _grade(files["pass"], cold_home)  # references cached, mistakes not yet
            cold, _ = _grade(files["two"], cold_home)
            home = tmp / "home"
            for path in files.values():
                _grade(path, home)  # warm everything
            times, names = {}, {}
            for label, path in files.items():
                runs = [_grade(path, home) for _ in range(args.repeat)]
                times[label] = statistics.median(t for t, _ in runs)
                names[label] = runs[0][1]
        adds = max(times["one"], times["two"]) - times["pass"]
        print(f"{drill_id:14s} {times['pass']:6.2f}s {times['one']:9.2f}s {times['two']:10.2f}s {adds:5.2f}s "
              f"{cold:13.2f}s  {names['one']} | {names['two']}")


if __name__ == "__main__":
    main()
