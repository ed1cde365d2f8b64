"""One drill attempt: read a submission (.py or .ipynb), find its drill, grade it in the sandbox,
record the attempt and the review it earns, and say what the report should note.

The core of `quizdl grade`, watch mode and the interview's drill; they only print what this
returns (quizdl/cli/grade.py renders it)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path


class Note(str):
    """A remark for the report: reads as its English text (JSON, tests, logs), and carries a `key`
    and the `values` it was made from, so the terminal can say it in the interface language."""

    key: str
    values: dict

    def __new__(cls, key: str, text: str, **values: object) -> Note:
        note = super().__new__(cls, text)
        note.key, note.values = key, values
        return note


@dataclass
class Submission:
    """A file read for grading: its Python source and the drill it is for."""

    file: Path
    source: str
    drill: object  # quizdl.drills.Drill
    matched_by: str | None = None  # "file name" / "entry points" when the file has no marker
    notebook: object = None  # quizdl.notebook.NotebookCode for .ipynb files


@dataclass
class Graded:
    """One grade, recorded: the result, what it did to the schedule, and notes for the report."""

    result: object  # GradeResult
    recorded: object  # drill_progress.Recorded
    hints: list[int]
    notes: list[str]
    isolation: dict | None


def read(file: Path, drill_id: str | None = None, drills=None) -> Submission:
    """Read `file` (a .py or .ipynb) and find its drill: --drill, the marker line, the file name
    or the entry points it defines."""
    from quizdl.drills import get_drill, load_drills, marker_drill_id, match_drill
    from quizdl.grading import engine

    notebook = None
    if file.suffix.lower() == ".ipynb":
        from quizdl import notebook as nb

        notebook = nb.read_code(engine.read_submission_bytes(file, nb.MAX_NOTEBOOK_BYTES), str(file))
        source = engine.check_submission_size(notebook.source, f"the code cells of {file}", f"{file} 的代码单元格")
    else:
        source = engine.read_submission(file)
    matched_by = None
    if drill_id is None:
        drill_id = marker_drill_id(source)
        if drill_id is None:
            drill_id, matched_by = match_drill(file.name, source, drills or load_drills(strict=False))
    return Submission(file, source, get_drill(drill_id, drills), matched_by, notebook)


def grade_and_record(sub: Submission, store, scheduler, on_started=None) -> Graded:
    """Grade in the sandbox, store the attempt (and the review it earns), write the notes.
    `on_started()` runs while the sandbox child works (the one-shot command opens the store then)."""
    from quizdl import drill_progress
    from quizdl.grading import engine
    from quizdl.store import DrillAttempt

    drill = sub.drill
    now = datetime.now(UTC)
    pending = engine.start(drill, source=sub.source)
    try:
        if on_started is not None:
            store, scheduler = on_started()
    except BaseException:
        pending.cancel()
        raise
    result = pending.finish()  # cleans up after itself, whatever happens
    hints = drill_progress.hints_seen(store, drill.id)
    attempt = DrillAttempt(
        drill_id=drill.id,
        attempted_at=now.timestamp(),
        passed=result.passed,
        tests_passed=result.tests_passed,
        tests_total=result.tests_total,
        diagnosis="+".join(result.diagnosis_ids) or None,
        duration_ms=round(result.duration_s * 1000),
        hints_used=len(hints),
        source_sha=drill_progress.source_sha(sub.source),
    )
    recorded = drill_progress.record_grade(store, scheduler, attempt, now, result.tests_ran)
    counted_failure = recorded.not_a_review is None and not result.passed
    flagged = drill_progress.flag_cards(store, drill.id, result.diagnoses, now) if counted_failure else []
    notes: list[Note] = []
    if sub.matched_by:
        notes.append(Note("matched_by", f"no '# quizdl drill:' line: graded as drill {drill.id} (from its {sub.matched_by})",
                          drill=drill.id, by=sub.matched_by))
    if recorded.not_a_review:
        notes.append(Note("not_counted", f"not counted: {recorded.not_a_review}", reason=recorded.not_a_review))
    elif result.passed and hints:
        notes.append(Note("passed_after_hints", f"passed after {len(hints)} hint{'s' * (len(hints) > 1)}: counts as Hard for scheduling",
                          n=len(hints)))
    if flagged:
        notes.append(Note("cards_flagged", f"card{'s' * (len(flagged) > 1)} {', '.join(flagged)} will open your next quizdl study",
                          cards=", ".join(flagged)))
    if not result.passed and len(hints) < drill_progress.HINTS_PER_DRILL and drill.hints:
        notes.append(Note("stuck", f"stuck? quizdl drill hint {drill.id}", drill=drill.id))
    _make_visible(result)  # the submission's own text: no control characters reach the terminal
    if sub.notebook is not None:
        _map_strings(result, sub.notebook.relabel)  # "line 12" of the joined cells -> "cell 3, line 5"
        if sub.notebook.dropped:
            dropped = "; ".join(sub.notebook.dropped)
            notes.insert(0, Note("left_out", "left out (IPython syntax, not Python): " + dropped, dropped=dropped))
    return Graded(result, recorded, hints, notes, pending.isolation)


def json_report(sub: Submission, graded: Graded) -> dict:
    from quizdl.grading import isolation

    report = graded.result.to_dict()
    recorded = graded.recorded
    report["review"] = {"counted": recorded.not_a_review is None,
                        "rating": int(recorded.rating) if recorded.rating else None,
                        "not_a_review": recorded.not_a_review, "hints_used": len(graded.hints),
                        "matched_by": sub.matched_by}
    if sub.notebook is not None:
        report["notebook"] = {"dropped": sub.notebook.dropped}
    report["isolation"] = {name: {"active": active, "detail": text}
                           for name, active, text in isolation.layers(graded.isolation)}
    return isolation.visible_tree(report)


def _make_visible(obj) -> None:
    """isolation.visible() on every string field of the result, its rows and diagnoses: one
    place, so every way a report prints child-provided text (messages, output) is covered."""
    from quizdl.grading.isolation import visible

    _map_strings(obj, visible)


def _map_strings(obj, fn) -> None:
    """Replace every string field of a result (its rows, cases and diagnoses too) by fn(string)."""
    import dataclasses

    def clean(value):
        if isinstance(value, str):
            return fn(value)
        if isinstance(value, list):
            return [clean(v) for v in value]
        if isinstance(value, dict):
            return {k: clean(v) for k, v in value.items()}
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                setattr(value, f.name, clean(getattr(value, f.name)))
        return value

    clean(obj)
