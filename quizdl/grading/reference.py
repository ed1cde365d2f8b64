"""Trusted side of grading: the drill's harness, inputs, reference and mistake outputs, cached.

Reference outputs (float64) and mistake outputs (in each case's dtype) are deterministic, so they
are cached under paths.cache_dir() keyed by drill id + version + a hash of the drill folder's files
+ numpy/torch versions: a warm grade never imports torch in the grading process.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import json
import os
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from types import ModuleType

from quizdl.drills import Drill

CACHE_FORMAT = 1
Outputs = dict[str, "object"]  # output name -> np.ndarray


def _import_file(path: Path, name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot import {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    # No __pycache__ in drill folders (an installed package's may be read-only).
    writing, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        spec.loader.exec_module(module)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        sys.dont_write_bytecode = writing
    return module


def _module_name(drill: Drill, kind: str) -> str:
    digest = hashlib.sha1(str(drill.folder).encode()).hexdigest()[:8]
    return f"quizdl_drill_{drill.id.replace('-', '_')}_{digest}_{kind}"


@dataclass
class Harness:
    """A drill's harness.py imported in the grading process (numpy only at import)."""

    drill: Drill
    module: ModuleType

    @cached_property
    def cases(self) -> list[dict]:
        cases = self.module.cases()
        return [dict(c) for c in cases]

    @property
    def property_graded(self) -> bool:
        return callable(getattr(self.module, "check", None))

    def tolerance(self, output: str, dtype: str) -> tuple[float, float]:
        per_output = getattr(self.module, "TOLERANCES", {}) or {}
        if output in per_output and dtype in per_output[output]:
            rtol, atol = per_output[output][dtype]
            return float(rtol), float(atol)
        return self.drill.tolerances[dtype]

    def check(self, case: dict, inputs: dict, outputs: dict) -> list[str]:
        return [str(m) for m in self.module.check(dict(case), inputs, outputs)]


_HARNESSES: dict[tuple[str, float], Harness] = {}


def load_harness(drill: Drill) -> Harness:
    key = (str(drill.harness_path), drill.harness_path.stat().st_mtime)
    if key not in _HARNESSES:
        _HARNESSES[key] = Harness(drill, _import_file(drill.harness_path, _module_name(drill, "harness")))
    return _HARNESSES[key]


def load_impl(drill: Drill, kind: str) -> ModuleType:
    """The reference (`kind="reference"`) or a mistake (`kind="mistake:<id>"`), trusted code."""
    if kind == "reference":
        return _import_file(drill.reference_path, _module_name(drill, "reference"))
    mistake_id = kind.split(":", 1)[1]
    return _import_file(drill.mistake_path(mistake_id), _module_name(drill, "mistake_" + mistake_id.replace("-", "_")))


# --- cache ----------------------------------------------------------------------------------


def _version(dist: str) -> str:
    """The installed version of `dist`, read off its `<name>-<version>.dist-info` folder name:
    importlib.metadata would cost ~25 ms of imports (an email parser) on every grade."""
    prefix = dist.lower() + "-"
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            if name.endswith(".dist-info") and name.lower().startswith(prefix) and name[len(prefix)].isdigit():
                return name[len(prefix):-len(".dist-info")]
    from importlib import metadata  # an unusual layout (egg-info, zip): ask the slow way

    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "none"


def cache_key(drill: Drill) -> str:
    h = hashlib.sha256()
    h.update(f"{CACHE_FORMAT}|{drill.id}|{drill.version}|numpy={_version('numpy')}".encode())
    if drill.framework == "torch":
        h.update(f"|torch={_version('torch')}".encode())
    for path in sorted(drill.folder.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix in (".py", ".yaml", ".md", ".json"):
            h.update(str(path.relative_to(drill.folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()[:20]


class Cache:
    """Per-drill cache folder; files are written atomically and read without pickle."""

    def __init__(self, drill: Drill, root: Path | None = None) -> None:
        from quizdl import paths

        root = root or paths.cache_dir()
        self.dir = root / "drills" / drill.id / cache_key(drill)

    def path(self, name: str) -> Path:
        return self.dir / f"{name}.npz"

    def load(self, name: str) -> dict[str, object] | None:
        import numpy as np

        path = self.path(name)
        if not path.exists():
            return None
        try:
            with np.load(path, allow_pickle=False) as data:
                return {k: data[k] for k in data.files}
        except (OSError, ValueError, EOFError):
            return None

    def load_cases(self) -> list[dict] | None:
        """The harness's cases as saved beside the inputs (JSON), so a warm grade can start the
        sandbox before importing the harness or numpy."""
        try:
            cases = json.loads((self.dir / "cases.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return cases if isinstance(cases, list) else None

    def save_cases(self, cases: list[dict]) -> None:
        with contextlib.suppress(OSError, TypeError, ValueError):
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = self.dir / f".cases.{os.getpid()}.{threading.get_ident()}.tmp"
            tmp.write_text(json.dumps(cases), encoding="utf-8")
            tmp.replace(self.dir / "cases.json")

    def save(self, name: str, flat: dict[str, object]) -> Path | None:
        import numpy as np

        path = self.path(name)
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            tmp = path.with_name(f".{path.stem}.{os.getpid()}.{threading.get_ident()}.tmp.npz")
            np.savez(tmp, **flat)
            tmp.replace(path)
            return path
        except OSError:
            return None


def flatten(per_case: list[dict]) -> dict[str, object]:
    return {f"{i}/{name}": value for i, outs in enumerate(per_case) for name, value in outs.items()}


def unflatten(flat: dict[str, object], n_cases: int) -> list[dict]:
    out: list[dict] = [{} for _ in range(n_cases)]
    for key, value in flat.items():
        index, _, name = key.partition("/")
        if index.isdigit() and int(index) < n_cases:
            out[int(index)][name] = value
    return out


# --- computing ----------------------------------------------------------------------------


class Inputs:
    """Every case's input arrays and the file holding them (copied into the sandbox). Read from
    the file on first use: comparing outputs does not need them, so a passing grade never does."""

    def __init__(self, npz: Path, n_cases: int, per_case: list[dict] | None = None) -> None:
        self.npz = npz
        self._n_cases = n_cases
        if per_case is not None:
            self.__dict__["per_case"] = per_case

    @cached_property
    def per_case(self) -> list[dict]:
        import numpy as np

        with np.load(self.npz, allow_pickle=False) as data:
            return unflatten({k: data[k] for k in data.files}, self._n_cases)


def inputs_for(harness: Harness, cache: Cache, scratch: Path | Callable[[], Path]) -> Inputs:
    """The inputs of every case: from the cache, else made by the harness (and cached; in
    `scratch`, a folder or a function making one, when the cache cannot be written)."""
    import numpy as np

    n = len(harness.cases)
    if cache.path("inputs").is_file():
        if cache.load_cases() is None:
            cache.save_cases(harness.cases)
        return Inputs(cache.path("inputs"), n)
    per_case = []
    for case in harness.cases:
        made = harness.module.make_inputs(dict(case))
        per_case.append({k: np.asarray(v) for k, v in made.items()})
    flat = flatten(per_case)
    cache.save_cases(harness.cases)
    path = cache.save("inputs", flat)
    if path is None:  # unwritable cache: a scratch copy will do
        path = (scratch() if callable(scratch) else scratch) / "inputs.npz"
        np.savez(path, **flat)
    return Inputs(path, n, per_case)


@dataclass
class ImplRun:
    outputs: list[dict | None]  # per case; None when the implementation raised
    errors: list[str | None]


def _run_impl(harness: Harness, module: ModuleType, inputs: Inputs, dtype: str | None) -> ImplRun:
    import numpy as np

    outputs: list[dict | None] = []
    errors: list[str | None] = []
    for case, case_inputs in zip(harness.cases, inputs.per_case, strict=True):
        run_case = dict(case, dtype=dtype) if dtype else dict(case)
        try:
            with np.errstate(all="ignore"):  # mistakes overflow on purpose
                result = harness.module.run(module, run_case, {k: v.copy() for k, v in case_inputs.items()})
            outputs.append({k: np.asarray(v) for k, v in result.items()})
            errors.append(None)
        except Exception as exc:
            outputs.append(None)
            errors.append(f"{type(exc).__name__}: {exc}")
    return ImplRun(outputs, errors)


def _cached_run(harness: Harness, cache: Cache, inputs: Inputs, kind: str, dtype: str | None) -> ImplRun:
    """Outputs of the reference or a mistake, from the cache or computed now (and cached)."""
    name = kind.replace(":", "-")
    n = len(harness.cases)
    flat = cache.load(name)
    meta_path = cache.dir / f"{name}.json"
    if flat is not None and meta_path.exists():
        try:
            errors = json.loads(meta_path.read_text(encoding="utf-8"))["errors"]
        except (OSError, ValueError, KeyError):
            errors = None
        if isinstance(errors, list) and len(errors) == n:
            per_case = unflatten(flat, n)
            return ImplRun([None if e else o for o, e in zip(per_case, errors, strict=True)], errors)
    run = _run_impl(harness, load_impl(harness.drill, kind), inputs, dtype)
    cache.save(name, flatten([o or {} for o in run.outputs]))
    with contextlib.suppress(OSError):
        tmp = meta_path.with_name(f".{meta_path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps({"errors": run.errors}), encoding="utf-8")
        tmp.replace(meta_path)
    return run


def reference_outputs(harness: Harness, cache: Cache, inputs: Inputs) -> ImplRun:
    """The reference on every case, in float64."""
    return _cached_run(harness, cache, inputs, "reference", "float64")


def mistake_outputs(harness: Harness, cache: Cache, inputs: Inputs, mistake_id: str) -> ImplRun:
    """A known mistake on every case, in the case's own dtype (as the submission ran)."""
    return _cached_run(harness, cache, inputs, f"mistake:{mistake_id}", None)
