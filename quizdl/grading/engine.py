"""Grade one submission: static scan, sandboxed run, parent-side comparison, diagnosis.

`start()` scans the file and hands the job to a sandbox child (one `quizdl grade` started
before anything else, see warm.py, or a new one); with a warm cache (cases + inputs on disk) this
happens before this process imports numpy. `PendingGrade.finish()` then loads the harness and the
reference outputs (cached, or computed while the child imports torch), waits and compares, so a
passing torch drill costs about one torch import and a numpy drill about one numpy import.
"""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

from quizdl.drills import Drill
from quizdl.errors import QuizdlError
from quizdl.grading import scan
from quizdl.grading.reference import (
    Cache,
    Harness,
    ImplRun,
    Inputs,
    builtin32_outputs,
    inputs_for,
    load_harness,
    reference32_outputs,
    reference_outputs,
)
from quizdl.grading.result import (
    ERROR,
    FAIL,
    PASS,
    CaseResult,
    Diagnosis,
    GradeResult,
    PartialDiagnosis,
    group_rows,
)
from quizdl.grading.sandbox import (
    RUNNER_EXIT,
    ChildJob,
    ChildOutcome,
    Limits,
    RunningChild,
    signal_name,
)

MAX_SOURCE_BYTES = 512 * 1024

# APIs that read files natively (no audit event) or load native code: never allowed in a drill.
SANDBOX_FORBIDDEN = {
    "torch": ["torch.from_file", "torch.UntypedStorage.from_file", "torch.TypedStorage.from_file",
              "torch.ops.load_library", "torch.classes.load_library"],
    "numpy": [],
}


def read_submission_bytes(path: Path, limit: int = MAX_SOURCE_BYTES) -> bytes:
    """The submission file's bytes, or a usage error (exit 2) when it cannot be read."""
    if not path.exists():
        raise QuizdlError(f"no such file: {path}", exit_code=2, zh=f"没有这个文件：{path}")
    if not path.is_file():
        raise QuizdlError(f"not a file: {path}", exit_code=2, zh=f"不是文件：{path}")
    try:
        with path.open("rb") as f:
            data = f.read(limit + 1)
    except OSError as exc:
        raise QuizdlError(f"cannot read {path}: {exc.strerror}", exit_code=2,
                          zh=f"无法读取 {path}：{exc.strerror}") from None
    if len(data) > limit:
        raise QuizdlError(f"{path} is larger than {limit // 1024} KB; is it really a solution?", exit_code=2,
                          zh=f"{path} 超过 {limit // 1024} KB；它真的是一份解答吗？")
    return data


def check_submission_size(source: str, what: str, what_zh: str | None = None) -> str:
    """`source` itself, or a usage error when it is too large; `what` (and `what_zh`, its
    Chinese) names it in the error, e.g. "the code cells of x.ipynb"."""
    if len(source.encode("utf-8")) > MAX_SOURCE_BYTES:
        raise QuizdlError(f"{what} are larger than {MAX_SOURCE_BYTES // 1024} KB; is it really a solution?", exit_code=2,
                          zh=f"{what_zh or '提交的代码'}超过 {MAX_SOURCE_BYTES // 1024} KB；它真的是一份解答吗？")
    return source


def read_submission(path: Path) -> str:
    """The submission's text, or a usage error (exit 2) when it cannot be read. A UTF-8 byte
    order mark (some Windows editors write one) is dropped: Python ignores it in a file, so must
    the marker line and the parser."""
    data = read_submission_bytes(path)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QuizdlError(f"{path} is not UTF-8 text", exit_code=2, zh=f"{path} 不是 UTF-8 文本") from None


def protected_paths(drill: Drill) -> list[str]:
    """Folders the submission may not read: quizdl itself, drills (built-in and user), the data dir."""
    from quizdl import paths

    candidates = [paths.package_dir(), paths.builtin_dir("drills"), paths.user_drills_dir(),
                  drill.folder, paths.cache_dir()]
    builtin = paths.builtin_dir("drills")
    if builtin.parent == paths.package_dir().parent and (builtin.parent / ".git").exists():
        candidates.append(builtin.parent / ".git")  # a checkout: history holds the references
    tmp = os.path.realpath(tempfile.gettempdir())
    home = Path(os.path.realpath(paths.home()))
    if not (tmp == str(home) or tmp.startswith(str(home) + os.sep)):
        candidates.append(home)
    else:  # the sandbox lives under the data dir: protect its contents one by one
        candidates += [home / "progress.sqlite3", home / "config.yaml", home / "cards"]
    out = []
    for c in candidates:
        real = os.path.realpath(c)
        if not (tmp == real or tmp.startswith(real + os.sep)) and real not in out:
            out.append(real)
    return out


def _harness(drill: Drill) -> Harness:
    try:
        harness = load_harness(drill)
        harness.cases  # noqa: B018 - evaluated now so a broken drill fails here, clearly
    except Exception as exc:
        raise QuizdlError(
            f"drill {drill.id} is broken: its harness failed ({type(exc).__name__}: {exc}); "
            "run `quizdl drill check`", exit_code=2,
            zh=f"练习 {drill.id} 已损坏：它的评测程序（harness）出错了（{type(exc).__name__}: {exc}）；"
               "请运行 `quizdl drill check`",
        ) from None
    return harness


def _error_result(drill: Drill, harness: Harness | None, message: str, start: float, output: str = "") -> GradeResult:
    cases = []
    if harness is not None:
        cases = [CaseResult(c["name"], c["group"], ERROR, "not run") for c in harness.cases]
    return GradeResult(drill.id, ERROR, message, group_rows(cases), cases, [],
                       time.perf_counter() - start, output)


def _fatal_message(outcome: ChildOutcome, limits: Limits) -> str | None:
    """Why the run as a whole failed, or None when the per-case results can be trusted to exist."""
    v = outcome.violation  # present whenever a tripwire or the audit hook fired, whatever the exit
    if v and v["kind"] == "forbidden":
        return f"the submission used {v['what']}, which this drill does not allow"
    if v:
        return f"the submission tried {v['what']}; a solution may only compute (stopped by the sandbox)"
    if outcome.timed_out:
        return f"timed out after {limits.timeout_s:g} s (an infinite loop, a sleep or a very slow solution?)"
    sig = signal_name(outcome.returncode)
    if sig == "SIGXCPU":
        return f"used more than {limits.cpu_seconds} s of CPU time (an infinite loop?)"
    if sig == "SIGXFSZ":
        return _too_much_output(limits)
    if sig == "SIGSEGV":
        return "crashed (segmentation fault), often from very deep recursion"
    if sig == "SIGKILL":
        return "was killed (out of memory?)"
    if sig is not None:
        return f"was killed by {sig}"
    if outcome.returncode in (86, 87):
        return "stopped by the sandbox (a forbidden API or operation)"
    if outcome.returncode == RUNNER_EXIT:
        detail = outcome.fatal["message"] if outcome.fatal else "unknown problem"
        return f"the grader could not run this drill ({detail}); please report it"
    if outcome.fatal:
        kind, message = outcome.fatal["kind"], outcome.fatal["message"]
        if kind == "entry_point":
            return f"missing entry point(s): {message}; define them at the top level of the file"
        if kind == "exit":
            return f"the file called sys.exit() while being imported ({message})"
        if message.startswith("MemoryError"):
            return f"ran out of memory while importing the file (limit {limits.data_bytes // 1024**3} GB)"
        if "File too large" in message:
            return _too_much_output(limits)
        return f"error while importing the file: {message}"
    if outcome.returncode not in (0, None):
        return f"the submission process exited with code {outcome.returncode} before finishing"
    if outcome.outputs is None:
        reason = outcome.outputs_problem or "no outputs"
        return f"the submission process stopped before reporting results ({reason}); did it call os._exit or sys.exit?"
    return None


def _too_much_output(limits: Limits) -> str:
    mb = limits.file_size_bytes // (1024 * 1024)
    return f"wrote more than {mb} MB (printing in a loop?); stopped by the file size limit"


def _case_error_message(message: str, limits: Limits) -> str:
    if "File too large" in message:
        return _too_much_output(limits)
    if message.startswith("SystemExit"):
        return "called sys.exit() during the test: " + message
    if message.startswith("MemoryError"):
        return f"ran out of memory (limit {limits.data_bytes // 1024**3} GB)"
    if message.startswith("RecursionError"):
        return "maximum recursion depth exceeded: " + message.split("\n", 1)[-1]
    if "\n  line " not in message and not message.startswith(("NotImplementedError", "AssertionError")):
        # None of your lines is in the traceback: the harness tripped over what your code
        # returned or built (a list for an array, a missing attribute, a wrong shape).
        return (f"the grader could not use what your code returned or built ({message.splitlines()[0]}); "
                "check the types, shapes and attributes the prompt asks for")
    return "raised " + message


def grade(
    drill: Drill,
    submission: Path | None = None,
    *,
    source: str | None = None,
    limits: Limits | None = None,
    cache_root: Path | None = None,
) -> GradeResult:
    """Grade `submission` (or `source`) against `drill`. Usage errors raise QuizdlError;
    everything the submission does wrong is in the result."""
    return start(drill, submission, source=source, limits=limits, cache_root=cache_root).finish()


def start(
    drill: Drill,
    submission: Path | None = None,
    *,
    source: str | None = None,
    limits: Limits | None = None,
    cache_root: Path | None = None,
) -> PendingGrade:
    """Check the submission statically and start its sandbox child; `finish()` the result.

    With a warm cache (cases and inputs on disk) the child starts before this process imports
    numpy or the harness, so a caller can do its own work (open the store, import its renderer)
    while the child runs."""
    began = time.perf_counter()
    if source is None:
        source = read_submission(Path(submission))
    pending = PendingGrade(drill, source, limits or Limits(timeout_s=drill.timeout), Cache(drill, cache_root), began)
    try:
        pending._start()
    except BaseException:
        pending.cancel()
        raise
    return pending


class PendingGrade:
    """A grade in progress: the static check is done and, unless it failed, the child runs."""

    def __init__(self, drill: Drill, source: str, limits: Limits, cache: Cache, began: float) -> None:
        self.drill, self.source, self.limits, self.cache, self.began = drill, source, limits, cache, began
        self.harness: Harness | None = None
        self.inputs: Inputs | None = None
        self.child: RunningChild | None = None
        self.early: GradeResult | None = None  # decided without running anything
        self._scratch: tempfile.TemporaryDirectory | None = None
        self.isolation: dict | None = None  # the kernel layers the child reported (isolation.py)

    def _start(self) -> None:
        drill, cache = self.drill, self.cache
        tree = scan.parse(self.source)
        cases = cache.load_cases()  # a warm cache: no harness (hence no numpy) needed to start
        if cases is None or not cache.path("inputs").exists():
            self.harness = _harness(drill)
        if isinstance(tree, scan.SyntaxProblem):
            self.early = _error_result(drill, self.harness or _harness(drill), str(tree), self.began)
            return
        forbidden = drill.forbidden + SANDBOX_FORBIDDEN.get(drill.framework, [])
        findings = scan.scan(tree, forbidden, drill.all_blocked_imports, drill.entry_points)
        if findings:
            message = "\n".join(str(f) for f in findings[:8])
            self.early = _error_result(drill, self.harness or _harness(drill), message, self.began)
            return
        if self.harness is not None:
            self.inputs = inputs_for(self.harness, cache, self._scratch_dir)
            cases, inputs_npz = self.harness.cases, self.inputs.npz
        else:
            inputs_npz = cache.path("inputs")
        job = ChildJob(
            submission_source=self.source,
            harness_path=drill.harness_path,
            inputs_npz=inputs_npz,
            cases=cases,
            framework=drill.framework,
            entry_points=drill.entry_points,
            forbidden=forbidden,
            blocked_imports=drill.all_blocked_imports,
            protected=protected_paths(drill),
        )
        self.child = RunningChild(job, self.limits)

    def _scratch_dir(self) -> Path:
        """A temp dir for inputs that cannot be cached (read-only data dir); made when needed."""
        if self._scratch is None:
            self._scratch = tempfile.TemporaryDirectory(prefix="quizdl-inputs-")
        return Path(self._scratch.name)

    def cancel(self) -> None:
        """Stop the child (if any) and remove the temp files; the grade is abandoned."""
        if self.child is not None:
            self.child.discard()
            self.child = None
        if self._scratch is not None:
            self._scratch.cleanup()
            self._scratch = None

    def finish(self) -> GradeResult:
        """Wait for the child and compare its outputs with the reference (all in this process)."""
        if self.early is not None:
            return self.early
        drill, cache, limits, child = self.drill, self.cache, self.limits, self.child
        assert child is not None
        try:  # all of this overlaps the child's start-up and imports
            harness = self.harness or _harness(drill)
            inputs = self.inputs or inputs_for(harness, cache, self._scratch_dir)
            reference = reference_outputs(harness, cache, inputs)
            reference32_outputs(harness, cache, inputs)  # the float32 budget and the dtypes
        except BaseException as exc:
            self.cancel()
            if isinstance(exc, Exception) and not isinstance(exc, QuizdlError):
                raise QuizdlError(
                    f"cannot compute drill {drill.id}'s reference outputs ({type(exc).__name__}: {exc}); "
                    "is its framework installed?", exit_code=2,
                    zh=f"无法计算练习 {drill.id} 的参考输出（{type(exc).__name__}: {exc}）；它所用的框架装好了吗？",
                ) from None
            raise
        try:
            outcome = child.wait()
            self.isolation = outcome.isolation
        finally:
            self.child = None
            self.cancel()
        fatal = _fatal_message(outcome, limits)
        if fatal:
            return _error_result(drill, harness, fatal, self.began, outcome.stdout)
        result = evaluate(
            harness, cache, inputs, reference, outcome.outputs or {}, outcome.case_errors,
            outcome.bad_outputs, limits, outcome.case_contracts,
        )
        result.duration_s = time.perf_counter() - self.began
        result.output = outcome.stdout
        return result


# float32 cases: the budget is this many times the error the reference itself makes in float32
# on the same inputs (or the framework's built-in, whichever is larger), never below the drill's
# float32 tolerance. float64 cases use the drill's tolerance as it is.
TOLERANCE_FACTOR = 10.0


def _measured(expected: dict, runs: list[ImplRun | None], i: int) -> dict[str, float]:
    """Per output, the largest error the float32 runs (reference, built-in) make on case `i`."""
    from quizdl.grading.compare import max_abs_error

    worst: dict[str, float] = {}
    for run in runs:
        if run is None or i >= len(run.outputs) or run.outputs[i] is None:
            continue
        for name, err in max_abs_error(expected, run.outputs[i]).items():
            worst[name] = max(worst.get(name, 0.0), err)
    return worst


def _budget(harness: Harness, dtype: str, measured: dict[str, float]):
    def tolerance(name: str) -> tuple[float, float]:
        rtol, atol = harness.tolerance(name, dtype)
        if dtype == "float32":
            atol = max(atol, TOLERANCE_FACTOR * measured.get(name, 0.0))
        return rtol, atol

    return tolerance


def _dtype_problems(expected_dtypes: dict | None, got: dict, case_dtype: str) -> list[tuple[str, str]]:
    """wrong-dtype violations: an output whose floating dtype differs from the reference's own."""
    problems = []
    for name, want in (expected_dtypes or {}).items():
        value = got.get(name)
        if value is None or want.kind != "f":
            continue
        if value.dtype != want:
            problems.append(("wrong-dtype", f"{name} is {value.dtype} for {case_dtype} input (expected {want})"))
            break
    return problems


def _precision_note(harness: Harness, expected: dict, got: dict, check) -> str | None:
    """For a float64 case that misses: is it within the drill's float32 tolerance? Then say so.
    (The drill's fixed float32 tolerance, not a budget measured on this case: a float32 run of
    an iterative reference can fail to converge, and its error says nothing about rounding.)"""
    import math

    from quizdl.grading.compare import compare_case

    name = check.output
    if name is None or expected[name].dtype.kind != "f" or got[name].dtype.kind != "f":
        return None
    if not compare_case(expected, got, lambda n: harness.tolerance(n, "float32")).ok:
        return None
    rel = check.max_rel or 0.0
    digits = max(1, int(-math.log10(rel))) if 0 < rel < 1 else 1
    return (f"matches to {digits} digits: float32 arithmetic in a float64 case "
            f"(a float32 tensor, array or constant somewhere?)")


def _contract_diagnoses(drill: Drill, violations: dict[str, str]) -> list[Diagnosis]:
    from quizdl.grading.contract import CONTRACTS

    out = []
    by_contract = {m.contract: m for m in drill.mistakes if m.contract}
    for cid, message in violations.items():
        mistake = by_contract.get(cid)
        if mistake is not None:
            out.append(Diagnosis(mistake.id, dict(mistake.explanation), mistake.card, "contract", message))
        else:
            text = CONTRACTS.get(cid, {"en": message, "zh": message})
            out.append(Diagnosis(cid, dict(text), None, "contract", message))
    return out


def evaluate(
    harness: Harness,
    cache: Cache,
    inputs: Inputs,
    reference: ImplRun,
    outputs: dict[int, dict],
    case_errors: dict[int, str],
    bad_outputs: dict[int, str] | None = None,
    limits: Limits | None = None,
    case_contracts: dict[int, list[tuple[str, str]]] | None = None,
    diagnose_budget: tuple[int, float] | None = None,
) -> GradeResult:
    """Compare a finished run's outputs (case index -> arrays) with the reference, check the
    contract, and name the mistakes of a failure. All of it happens in the grading process, on
    plain arrays: nothing the submission wrote is trusted beyond being compared."""
    from quizdl.grading import diagnose as diag
    from quizdl.grading.compare import compare_case, structure_problem

    bad_outputs = bad_outputs or {}
    case_contracts = case_contracts or {}
    limits = limits or Limits()
    ref32 = reference32_outputs(harness, cache, inputs)
    try:
        builtin32 = builtin32_outputs(harness, cache, inputs)
    except Exception:  # the framework's built-in is a yardstick, never a requirement
        builtin32 = None
    results: list[CaseResult] = []
    violations: dict[str, str] = {}
    sub_outputs: list[dict | None] = []
    sub_errors: list[str | None] = []
    unknown: set[int] = set()
    numbers_wrong = False
    failing_groups: dict[str, list[int]] = {}
    for i, case in enumerate(harness.cases):
        name, group, dtype = case["name"], case["group"], case["dtype"]
        got = outputs.get(i)
        expected = reference.outputs[i]
        found = [(str(c), str(m)) for c, m in case_contracts.get(i, [])]
        sub_out: dict | None = None
        sub_err: str | None = None
        if expected is None:
            results.append(CaseResult(name, group, ERROR, f"the reference failed on this case (a drill bug): {reference.errors[i]}"))
            unknown.add(i)
        elif i in case_errors and found:  # a contract check stopped the case
            results.append(CaseResult(name, group, FAIL, found[0][1]))
            unknown.add(i)
        elif i in case_errors:
            results.append(CaseResult(name, group, ERROR, _case_error_message(case_errors[i], limits)))
            sub_err = case_errors[i]
            numbers_wrong = True
        elif i in bad_outputs:
            results.append(CaseResult(name, group, FAIL, bad_outputs[i]))
            unknown.add(i)
        else:
            problem = structure_problem(expected, got)
            if problem is None:
                own = ref32 if dtype == "float32" else reference
                own_dtypes = {k: v.dtype for k, v in (own.outputs[i] or {}).items()}
                found += _dtype_problems(own_dtypes, got, dtype)
                sub_out = {k: got[k] for k in expected}
            if harness.property_graded:
                messages = [problem] if problem else harness.check(case, inputs.per_case[i], got)
                numbers_wrong = numbers_wrong or bool(messages)
                messages += [m for _, m in found]
                results.append(CaseResult(name, group, FAIL if messages else PASS, "; ".join(messages)))
            else:
                measured = _measured(expected, [ref32, builtin32] if dtype == "float32" else [], i)
                check = compare_case(expected, got, _budget(harness, dtype, measured), harness.axes)
                message = check.message
                if not check.ok:
                    numbers_wrong = True
                    if problem is None and dtype == "float64":
                        note = _precision_note(harness, expected, got, check)
                        if note:
                            message = f"{message} — {note}"
                if found:
                    message = "; ".join([message] * bool(message) + [m for _, m in found])
                results.append(CaseResult(
                    name, group, PASS if check.ok and not found else FAIL, message, check.output,
                    check.max_abs, check.max_rel, check.where, check.expected, check.got,
                ))
        for cid, message in found:
            violations.setdefault(cid, message)
        if results[-1].status != PASS:
            failing_groups.setdefault(group, []).append(i)
        sub_outputs.append(sub_out)
        sub_errors.append(sub_err)
    status = PASS if all(r.status == PASS for r in results) else FAIL
    diagnoses: list[Diagnosis] = []
    partial: list[PartialDiagnosis] = []
    # Every case stopped at NotImplementedError: nothing written yet, so nothing to diagnose.
    unstarted = len(case_errors) == len(harness.cases) > 0 and all(
        str(e).startswith("NotImplementedError") for e in case_errors.values())
    if status == FAIL and not unstarted:
        diagnoses = _contract_diagnoses(harness.drill, violations)
        if numbers_wrong and len(unknown) < len(harness.cases):
            base = [ref32.outputs[i] if c["dtype"] == "float32" else reference.outputs[i]
                    for i, c in enumerate(harness.cases)]
            budget = diagnose_budget or (diag.MAX_COMBOS, diag.MAX_SECONDS)
            try:
                found_search = diag.diagnose(
                    harness, cache, inputs, base, diag.Submission(sub_outputs, sub_errors, unknown),
                    failing_groups, max_combos=budget[0], max_seconds=budget[1],
                    observed_contracts=set(violations),
                )
            except Exception:  # a broken mistake is the drill's problem, never the user's
                found_search = diag.Search([], [])
            named = {d.id for d in diagnoses}
            for mistake_id in found_search.mistakes:
                m = harness.drill.mistake(mistake_id)
                if m is not None and m.id not in named:
                    diagnoses.append(Diagnosis(m.id, dict(m.explanation), m.card))
            if not found_search.mistakes:
                partial = [PartialDiagnosis(g, ids) for g, ids in found_search.partial]
            else:  # a named mistake explains the small differences: no "float32 arithmetic" remark
                for r in results:
                    r.message = r.message.split(" — matches to ")[0]
    return GradeResult(harness.drill.id, status, None, group_rows(results), results, diagnoses,
                       partial=partial, unstarted=unstarted)
