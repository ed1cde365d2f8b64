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
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from types import ModuleType

from quizdl.drills import Drill
from quizdl.grading import mutants
from quizdl.grading.mutants import Combo, combo_name

CACHE_FORMAT = 2
Outputs = dict[str, "object"]  # output name -> np.ndarray


def _exec_module(name: str, loader_source: str | None, path: Path) -> ModuleType:
    """Import `path` (or `loader_source` as if it were that file) as module `name`."""
    if loader_source is None:
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"cannot import {path}")
        module = importlib.util.module_from_spec(spec)
    else:
        module = ModuleType(name)
        module.__file__ = str(path)
    sys.modules[name] = module
    # No __pycache__ in drill folders (an installed package's may be read-only).
    writing, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        if loader_source is None:
            spec.loader.exec_module(module)
        else:
            exec(compile(loader_source, str(path), "exec"), module.__dict__)
    except BaseException:
        sys.modules.pop(name, None)
        raise
    finally:
        sys.dont_write_bytecode = writing
    return module


def _import_file(path: Path, name: str) -> ModuleType:
    return _exec_module(name, None, path)


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

    @property
    def builtin(self) -> Callable[[], object] | None:
        """`builtin()` of the harness: the framework's own implementation with the drill's entry
        points (e.g. torch.nn.BatchNorm1d behind `BatchNorm1d`), run to measure float32 error."""
        fn = getattr(self.module, "builtin", None)
        return fn if callable(fn) else None

    def axes(self, output: str) -> list[str] | None:
        """Names of an output's axes (harness AXES), for messages like 'after step 2, feature 3'."""
        names = (getattr(self.module, "AXES", None) or {}).get(output)
        return list(names) if names else None


_HARNESSES: dict[tuple[str, float], Harness] = {}


def load_harness(drill: Drill) -> Harness:
    from quizdl.grading import contract

    sys.modules.setdefault("quizdl_contract", contract)  # the name harnesses import it by
    key = (str(drill.harness_path), drill.harness_path.stat().st_mtime)
    if key not in _HARNESSES:
        _HARNESSES[key] = Harness(drill, _import_file(drill.harness_path, _module_name(drill, "harness")))
    return _HARNESSES[key]


def load_impl(drill: Drill, combo: Combo | None = None) -> ModuleType:
    """The reference (no combo) or the reference with known mistakes applied: trusted code."""
    if not combo:
        return _import_file(drill.reference_path, _module_name(drill, "reference"))
    reference = drill.reference_path.read_text(encoding="utf-8")
    tag = hashlib.sha1(combo_name(combo).encode()).hexdigest()[:10]
    return _exec_module(_module_name(drill, "mistake_" + tag), mutants.apply(reference, combo), drill.reference_path)


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


def _contract_source() -> bytes:
    """The code that decides what a run computes besides the drill: the contract helpers, how
    mistakes are applied and how runs are made (so a changed engine never reads stale runs)."""
    global _contract_bytes
    if _contract_bytes is None:
        here = Path(__file__)
        _contract_bytes = b"".join(here.with_name(n).read_bytes() for n in ("contract.py", "mutants.py", "reference.py"))
    return _contract_bytes


_contract_bytes: bytes | None = None


def cache_key(drill: Drill) -> str:
    h = hashlib.sha256()
    h.update(f"{CACHE_FORMAT}|{drill.id}|{drill.version}|numpy={_version('numpy')}".encode())
    if drill.framework == "torch":
        h.update(f"|torch={_version('torch')}".encode())
    h.update(_contract_source())  # the harnesses' contract helpers decide outputs too
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
    """One implementation's run over the cases (None where a case was not computed or raised)."""

    outputs: list[dict | None]
    errors: list[str | None]
    contracts: list[list[tuple[str, str]]] = field(default_factory=list)  # per case: (id, message)
    computed: frozenset[int] = frozenset()

    def broke(self, i: int) -> set[str]:
        return {c for c, _ in self.contracts[i]} if self.contracts else set()


def _run_impl(harness: Harness, module: object, inputs: Inputs, dtype: str | None,
              indices: list[int]) -> dict[int, tuple[dict | None, str | None, list]]:
    """Run `module` through the harness on the cases `indices`: (outputs, error, contracts) each."""
    import numpy as np

    from quizdl.grading import contract

    done = {}
    for i in indices:
        case, case_inputs = harness.cases[i], inputs.per_case[i]
        run_case = dict(case, dtype=dtype) if dtype else dict(case)
        contract.begin_case()
        try:
            # Mistakes overflow and divide by zero on purpose: no floating-point or library
            # warning of theirs may reach the user's terminal.
            with np.errstate(all="ignore"), warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = harness.module.run(module, run_case, {k: v.copy() for k, v in case_inputs.items()})
            found = contract.end_case()
            done[i] = ({k: np.asarray(v) for k, v in result.items()}, None, found)
        except Exception as exc:
            found = contract.end_case()
            if isinstance(exc, contract.ContractError):
                found = [(exc.contract, str(exc)), *[f for f in found if f[0] != exc.contract]]
            done[i] = (None, f"{type(exc).__name__}: {exc}", found)
    return done


RUN_FORMAT = 1


def _run_path(cache: Cache, name: str) -> Path:
    return cache.dir / f"{name}.run"


def _load_run(cache: Cache, name: str, n: int) -> ImplRun | None:
    """A cached run, checked: one file, a JSON header line then the arrays' bytes; the header's
    digest must match the bytes and every computed case must have outputs or an error (an
    emptied or truncated cache is a miss, never "nothing expected"). Far faster to read than an
    .npz of hundreds of small members."""
    import numpy as np

    try:
        data = _run_path(cache, name).read_bytes()
        head, _, payload = data.partition(b"\n")
        meta = json.loads(head)
        if (meta.get("format") != RUN_FORMAT or meta.get("cases") != n
                or meta.get("digest") != hashlib.sha256(payload).hexdigest()):
            return None
        computed = frozenset(int(i) for i in meta["computed"])
        errors = {int(k): str(v) for k, v in meta["errors"].items()}
        contracts = {int(k): [(str(c), str(m)) for c, m in v] for k, v in meta["contracts"].items()}
        outputs: list[dict | None] = [None] * n
        for index, out_name, dtype, shape, offset in meta["index"]:
            dt = np.dtype(dtype)
            if dt.kind not in "biuf" or not 0 <= int(index) < n:
                return None
            count = int(np.prod(shape)) if shape else 1
            array = np.frombuffer(payload, dtype=dt, count=count, offset=int(offset)).reshape(shape)
            case_outputs = outputs[int(index)]
            if case_outputs is None:
                case_outputs = outputs[int(index)] = {}
            case_outputs[str(out_name)] = array
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    errs: list[str | None] = [None] * n
    for i in computed:
        if i in errors:
            errs[i], outputs[i] = errors[i], None
        elif outputs[i] is None:
            return None
    if any(outputs[i] is not None for i in range(n) if i not in computed):
        return None
    return ImplRun(outputs, errs, [contracts.get(i, []) for i in range(n)], computed)


def _save_run(cache: Cache, name: str, run: ImplRun) -> None:
    import numpy as np

    index, chunks, offset = [], [], 0
    for i, outs in enumerate(run.outputs):
        for out_name, value in (outs or {}).items():
            array = np.asarray(value)
            if not array.flags.c_contiguous:
                array = array.copy(order="C")  # (np.ascontiguousarray would make a 0-d array 1-d)
            pad = (-offset) % 8  # aligned, so frombuffer views are cheap
            if pad:
                chunks.append(b"\0" * pad)
                offset += pad
            index.append([i, out_name, array.dtype.str, list(array.shape), offset])
            chunks.append(array.tobytes())
            offset += array.nbytes
    payload = b"".join(chunks)
    meta = {
        "format": RUN_FORMAT,
        "cases": len(run.outputs),
        "computed": sorted(run.computed),
        "errors": {str(i): e for i, e in enumerate(run.errors) if e is not None},
        "contracts": {str(i): [list(c) for c in found] for i, found in enumerate(run.contracts) if found},
        "index": index,
        "digest": hashlib.sha256(payload).hexdigest(),
    }
    path = _run_path(cache, name)
    with contextlib.suppress(OSError):
        cache.dir.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_bytes(json.dumps(meta).encode() + b"\n" + payload)
        tmp.replace(path)


_RUNS: dict[tuple[str, str], ImplRun] = {}


def _cached_run(harness: Harness, cache: Cache, inputs: Inputs, name: str, make_module,
                dtype: str | None, indices: list[int] | None = None) -> ImplRun:
    """A run from memory, the cache or computed now (only the missing cases) and cached."""
    n = len(harness.cases)
    wanted = set(range(n)) if indices is None else set(indices)
    key = (str(cache.dir), name)
    run = _RUNS.get(key) or _load_run(cache, name, n)
    if run is None:
        run = ImplRun([None] * n, [None] * n, [[] for _ in range(n)], frozenset())
    missing = sorted(wanted - run.computed)
    if missing:
        for i, (outs, err, found) in _run_impl(harness, make_module(), inputs, dtype, missing).items():
            run.outputs[i], run.errors[i], run.contracts[i] = outs, err, found
        run.computed = run.computed | frozenset(missing)
        _save_run(cache, name, run)
    _RUNS[key] = run
    return run


def combo_cached(harness: Harness, cache: Cache, combo: Combo, indices: list[int]) -> bool:
    """Whether a combination's run on `indices` is already computed (in memory or on disk)."""
    name = "mistake-" + combo_name(combo)
    key = (str(cache.dir), name)
    run = _RUNS.get(key) or _load_run(cache, name, len(harness.cases))
    if run is None:
        return False
    _RUNS[key] = run
    return set(indices) <= run.computed


def reference_outputs(harness: Harness, cache: Cache, inputs: Inputs) -> ImplRun:
    """The reference on every case, in float64: the truth."""
    return _cached_run(harness, cache, inputs, "reference",
                       lambda: load_impl(harness.drill), "float64")


def reference32_outputs(harness: Harness, cache: Cache, inputs: Inputs) -> ImplRun:
    """The reference on every case in float32: what float32 arithmetic costs on each case (the
    tolerance of float32 cases is measured from it) and the dtypes the contract expects."""
    return _cached_run(harness, cache, inputs, "reference32",
                       lambda: load_impl(harness.drill), "float32")


def builtin32_outputs(harness: Harness, cache: Cache, inputs: Inputs) -> ImplRun | None:
    """The framework's own implementation in float32 (harness `builtin()`), where there is one."""
    if harness.builtin is None:
        return None
    return _cached_run(harness, cache, inputs, "builtin32", harness.builtin, "float32")


def combo_outputs(harness: Harness, cache: Cache, inputs: Inputs, combo: Combo,
                  indices: list[int] | None = None) -> ImplRun:
    """Known mistakes applied together, run in each case's own dtype (as the submission ran)."""
    return _cached_run(harness, cache, inputs, "mistake-" + combo_name(combo),
                       lambda: load_impl(harness.drill, combo), None, indices)


def mistake_outputs(harness: Harness, cache: Cache, inputs: Inputs, mistake_id: str) -> ImplRun:
    """One known mistake (its primary form) on every case."""
    form = next(f for f in mutants.all_forms(harness.drill) if f.mistake == mistake_id and f.variant == 0)
    return combo_outputs(harness, cache, inputs, (form,))
