"""Known mistakes as small edits of reference.py, and their combinations.

A mistake's edits each replace one exact occurrence of a text in the reference. Two mistakes
compose when their edits touch disjoint parts of the reference, so "momentum reversed *and* a
biased running_var" is built from the two single mistakes, never written by hand. A `Combo` is a
tuple of forms (mistake id, variant index); its source is the reference with all their edits
applied. Whole-file mistakes are single forms that compose with nothing.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path

from quizdl.drills import Drill, Edit


class BadEdit(ValueError):
    """Edits that do not apply to the reference, one message per problem."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Form:
    """One way of making a known mistake: the primary edits (variant 0) or a variant."""

    mistake: str
    variant: int
    spans: tuple[tuple[int, int, str], ...]  # (start, end, replacement) in the reference text
    file: Path | None = None  # a whole-file mistake
    contract: str | None = None

    @property
    def name(self) -> str:
        return self.mistake if self.variant == 0 else f"{self.mistake}~{self.variant}"

    def composes_with(self, other: Form) -> bool:
        """Different mistakes whose edits touch disjoint text; whole files compose with nothing."""
        if self.mistake == other.mistake or self.file or other.file:
            return False
        return all(a_end <= b_start or b_end <= a_start
                   for a_start, a_end, _ in self.spans for b_start, b_end, _ in other.spans)


Combo = tuple[Form, ...]


def combo_name(combo: Combo) -> str:
    return "+".join(f.name for f in combo)


def _spans(reference: str, edits: tuple[Edit, ...], label: str) -> tuple[tuple[int, int, str], ...]:
    problems = []
    spans = []
    for edit in edits:
        count = reference.count(edit.find)
        if count != 1:
            shown = edit.find if len(edit.find) <= 60 else edit.find[:57] + "..."
            problems.append(f"{label}: {shown!r} occurs {count} times in reference.py (must be once)")
            continue
        start = reference.index(edit.find)
        spans.append((start, start + len(edit.find), edit.replace))
    spans.sort()
    for (_a0, a1, _), (b0, _b1, _) in itertools.pairwise(spans):
        if b0 < a1:
            problems.append(f"{label}: two of its edits overlap")
    if problems:
        raise BadEdit(problems)
    return tuple(spans)


def apply(reference: str, combo: Combo) -> str:
    """The reference with every edit of `combo` applied (a whole-file form: that file)."""
    if len(combo) == 1 and combo[0].file is not None:
        return combo[0].file.read_text(encoding="utf-8")
    spans = sorted(s for form in combo for s in form.spans)
    out, at = [], 0
    for start, end, replacement in spans:
        if start < at:
            raise BadEdit([f"{combo_name(combo)}: edits overlap"])
        out.append(reference[at:start])
        out.append(replacement)
        at = end
    out.append(reference[at:])
    return "".join(out)


_FORMS: dict[tuple[str, str, str], tuple[Form, ...]] = {}


def _forms(folder: str, reference: str, drill: Drill) -> tuple[Form, ...]:
    problems: list[str] = []
    forms: list[Form] = []
    for mistake in drill.mistakes:
        if mistake.file:
            forms.append(Form(mistake.id, 0, (), Path(folder) / mistake.file, mistake.contract))
            continue
        for index, edits in enumerate(mistake.forms):
            label = f"mistake {mistake.id}" + (f" variant {index}" if index else "")
            try:
                spans = _spans(reference, edits, label)
            except BadEdit as exc:
                problems.extend(exc.problems)
                continue
            form = Form(mistake.id, index, spans, None, mistake.contract)
            try:
                compile(apply(reference, (form,)), f"<{label}>", "exec")
            except SyntaxError as exc:
                problems.append(f"{label}: the edited reference does not compile ({exc.msg}, line {exc.lineno})")
                continue
            forms.append(form)
    if problems:
        raise BadEdit(problems)
    return tuple(forms)


def all_forms(drill: Drill) -> tuple[Form, ...]:
    """Every form of every known mistake, in drill.yaml order; BadEdit lists what does not apply."""
    reference = drill.reference_path.read_text(encoding="utf-8")
    key = (str(drill.folder), reference, repr(drill.mistakes))
    if key not in _FORMS:
        _FORMS[key] = _forms(str(drill.folder), reference, drill)
    return _FORMS[key]


def primary(forms: tuple[Form, ...]) -> list[Form]:
    return [f for f in forms if f.variant == 0]


def compatible_pairs(forms: list[Form]) -> list[Combo]:
    """Pairs of composable forms (each pair once, in drill.yaml order)."""
    return [(a, b) for a, b in itertools.combinations(forms, 2) if a.composes_with(b)]


def composes(combo: Combo) -> bool:
    return all(a.composes_with(b) for a, b in itertools.combinations(combo, 2))
