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
    inputs_for,
    load_harness,
    reference_outputs,
)
from quizdl.grading.result import ERROR, FAIL, PASS, CaseResult, GradeResult, group_rows
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


def read_submission(path: Path) -> str:
    """The submission's text, or a usage error (exit 2) when it cannot be read."""
    if not path.exists():
        raise QuizdlError(f"no such file: {path}", exit_code=2)
    if not path.is_file():
        raise QuizdlError(f"not a file: {path}", exit_code=2)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise QuizdlError(f"cannot read {path}: {exc.strerror}", exit_code=2) from None
    if len(data) > MAX_SOURCE_BYTES:
        raise QuizdlError(f"{path} is larger than {MAX_SOURCE_BYTES // 1024} KB; is it really a solution?", exit_code=2)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise QuizdlError(f"{path} is not UTF-8 text", exit_code=2) from None


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
        ) from None
    return harness


def _error_result(drill: Drill, harness: Harness | None, message: str, start: float, output: str = "") -> GradeResult:
    cases = []
    if harness is not None:
        cases = [CaseResult(c["name"], c["group"], ERROR, "not run") for c in harness.cases]
    return GradeResult(drill.id, ERROR, message, group_rows(cases), cases, None,
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
        except BaseException as exc:
            self.cancel()
            if isinstance(exc, Exception) and not isinstance(exc, QuizdlError):
                raise QuizdlError(
                    f"cannot compute drill {drill.id}'s reference outputs ({type(exc).__name__}: {exc}); "
                    "is its framework installed?", exit_code=2,
                ) from None
            raise
        try:
            outcome = child.wait()
        finally:
            self.child = None
            self.cancel()
        fatal = _fatal_message(outcome, limits)
        if fatal:
            return _error_result(drill, harness, fatal, self.began, outcome.stdout)
        result = evaluate(
            harness, cache, inputs, reference, outcome.outputs or {}, outcome.case_errors,
            outcome.bad_outputs, limits,
        )
        result.duration_s = time.perf_counter() - self.began
        result.output = outcome.stdout
        return result


def evaluate(
    harness: Harness,
    cache: Cache,
    inputs: Inputs,
    reference: ImplRun,
    outputs: dict[int, dict],
    case_errors: dict[int, str],
    bad_outputs: dict[int, str] | None = None,
    limits: Limits | None = None,
) -> GradeResult:
    """Compare a finished run's outputs (case index -> arrays) with the reference, and diagnose
    a failure. Everything here happens in the grading process on plain arrays."""
    from quizdl.grading.compare import compare_case, structure_problem
    from quizdl.grading.diagnose import diagnose

    bad_outputs = bad_outputs or {}
    limits = limits or Limits()
    results: list[CaseResult] = []
    submitted: list[dict | None] = []
    for i, case in enumerate(harness.cases):
        name, group = case["name"], case["group"]
        got = outputs.get(i)
        submitted.append(None if i in case_errors or i in bad_outputs else got)
        expected = reference.outputs[i]
        if expected is None:
            results.append(CaseResult(name, group, ERROR, f"the reference failed on this case (a drill bug): {reference.errors[i]}"))
        elif i in case_errors:
            results.append(CaseResult(name, group, ERROR, _case_error_message(case_errors[i], limits)))
        elif i in bad_outputs:
            results.append(CaseResult(name, group, FAIL, bad_outputs[i]))
        elif harness.property_graded:
            problem = structure_problem(expected, got)
            messages = [problem] if problem else harness.check(case, inputs.per_case[i], got)
            results.append(CaseResult(name, group, FAIL if messages else PASS, "; ".join(messages)))
        else:
            check = compare_case(expected, got, lambda out, dt=case["dtype"]: harness.tolerance(out, dt))
            results.append(CaseResult(
                name, group, PASS if check.ok else FAIL, check.message, check.output,
                check.max_abs, check.max_rel, check.where, check.expected, check.got,
            ))
    status = PASS if all(r.status == PASS for r in results) else FAIL
    diagnosis = None
    if status == FAIL:
        names = [sorted(o) if o is not None else [] for o in reference.outputs]
        try:
            diagnosis = diagnose(harness, cache, inputs, submitted, names)
        except Exception:
            diagnosis = None
    return GradeResult(harness.drill.id, status, None, group_rows(results), results, diagnosis)
