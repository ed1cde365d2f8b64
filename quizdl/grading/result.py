"""Grade results as plain data. `GradeResult.to_dict()` is Exercism's results.json (version 2)
plus quizdl's fields: per-test rows are the drill's case groups; `diagnosis` names a known mistake."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

PASS, FAIL, ERROR = "pass", "fail", "error"


@dataclass
class CaseResult:
    name: str
    group: str
    status: str  # pass | fail | error
    message: str = ""
    output: str | None = None
    max_abs: float | None = None
    max_rel: float | None = None
    where: str | None = None
    expected: str | None = None
    got: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GroupResult:
    """One report row: all cases sharing a `group`, shown by their worst case."""

    name: str
    status: str
    cases: int
    failed: int
    message: str = ""
    max_abs: float | None = None
    max_rel: float | None = None
    where: str | None = None
    expected: str | None = None
    got: str | None = None

    def to_dict(self) -> dict:
        return {"name": self.name, "status": self.status, "message": self.message or None,
                "cases": self.cases, "failed": self.failed, "max_abs": self.max_abs,
                "max_rel": self.max_rel, "where": self.where, "expected": self.expected,
                "got": self.got}


@dataclass
class Diagnosis:
    """A named mistake: a known mistake of the drill (kind "mistake") or a broken contract
    (kind "contract", with `detail` saying where)."""

    id: str
    explanation: dict[str, str]
    card: str | None = None
    kind: str = "mistake"
    detail: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class PartialDiagnosis:
    """No combination of known mistakes reproduces every case: what reproduces one group."""

    group: str
    mistakes: list[str]

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class GradeResult:
    drill_id: str
    status: str  # pass | fail | error
    message: str | None = None  # why the tests could not run (status error) or a rule was broken
    groups: list[GroupResult] = field(default_factory=list)
    cases: list[CaseResult] = field(default_factory=list)
    diagnoses: list[Diagnosis] = field(default_factory=list)  # contracts first, then known mistakes
    duration_s: float = 0.0
    output: str = ""  # the tail of what the submission printed
    partial: list[PartialDiagnosis] = field(default_factory=list)
    unstarted: bool = False  # every case stopped at NotImplementedError: the starter as written

    @property
    def tests_ran(self) -> bool:
        """Whether the tests judged the user's work: False when the file never ran (syntax or
        import error, missing entry point, forbidden API, sandbox stop, time-out) or nothing in it
        was implemented yet. Such a grade is reported but is not a review."""
        return not (self.status == ERROR and self.message) and not self.unstarted

    @property
    def diagnosis(self) -> Diagnosis | None:
        """The first named mistake (results.json's `diagnosis`)."""
        return self.diagnoses[0] if self.diagnoses else None

    @property
    def diagnosis_ids(self) -> list[str]:
        return [d.id for d in self.diagnoses]

    @property
    def passed(self) -> bool:
        return self.status == PASS

    @property
    def tests_passed(self) -> int:
        return sum(g.status == PASS for g in self.groups)

    @property
    def tests_total(self) -> int:
        return len(self.groups)

    def to_dict(self) -> dict:
        return {
            "version": 2,
            "status": self.status,
            "message": self.message,
            "tests": [
                {"name": g.name, "status": g.status, "message": g.message or None} for g in self.groups
            ],
            "diagnosis": self.diagnosis.to_dict() if self.diagnosis else None,
            "diagnoses": [d.to_dict() for d in self.diagnoses],
            "partial_diagnosis": [p.to_dict() for p in self.partial],
            "drill": self.drill_id,
            "duration_ms": round(self.duration_s * 1000),
            "groups": [g.to_dict() for g in self.groups],
            "cases": [c.to_dict() for c in self.cases],
            "output": self.output or None,
            "tests_ran": self.tests_ran,
        }


def group_rows(cases: list[CaseResult]) -> list[GroupResult]:
    """Fold case results into rows in first-seen group order; the worst case speaks for the row."""
    order: list[str] = []
    members: dict[str, list[CaseResult]] = {}
    for c in cases:
        if c.group not in members:
            order.append(c.group)
            members[c.group] = []
        members[c.group].append(c)
    rows = []
    for name in order:
        items = members[name]
        bad = [c for c in items if c.status != PASS]
        status = ERROR if any(c.status == ERROR for c in items) else FAIL if bad else PASS
        worst = bad[0] if bad else max(items, key=lambda c: c.max_rel or 0.0)
        abs_errs = [c.max_abs for c in items if c.max_abs is not None]
        rel_errs = [c.max_rel for c in items if c.max_rel is not None]
        message = f"{worst.name}: {worst.message}" if bad else ""
        rows.append(GroupResult(
            name=name, status=status, cases=len(items), failed=len(bad), message=message,
            max_abs=worst.max_abs if bad else (max(abs_errs) if abs_errs else None),
            max_rel=worst.max_rel if bad else (max(rel_errs) if rel_errs else None),
            where=f"{worst.output}{worst.where} (case: {worst.name})" if worst.where else None,
            expected=worst.expected, got=worst.got,
        ))
    return rows
