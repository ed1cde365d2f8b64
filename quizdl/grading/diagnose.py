"""Name the mistakes: find the smallest set of known mistakes whose combined edit of the
reference reproduces the failing submission, case by case.

Every known mistake's single forms are run on every case (trusted code, in this process, cached):
where a form's outputs differ from the reference's is its *footprint*. A set of mistakes can only
reproduce the submission if each member's footprint lies inside the submission's own (where it
differs from the reference), so pairs and triples are drawn from those candidates only, best
covering first, and each is run on the cases where something differs. The search is bounded in
combinations and time; when nothing reproduces every case, each failing group is matched alone.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable
from dataclasses import dataclass

from quizdl.grading import mutants
from quizdl.grading.compare import outputs_match
from quizdl.grading.mutants import Combo, Form
from quizdl.grading.reference import Harness, ImplRun, Inputs, combo_cached, combo_outputs

MAX_COMBOS = 150
MAX_SECONDS = 1.0

Key = tuple[int, str]  # (case index, output name), or (case index, ERROR_KEY)
ERROR_KEY = "!error"


@dataclass
class Submission:
    """What the submission did on each case, as the diagnosis sees it."""

    outputs: list[dict | None]  # only the outputs the reference has
    errors: list[str | None]  # an exception (not a contract stop)
    unknown: set[int]  # cases a contract check stopped: nothing to compare there


@dataclass
class Search:
    mistakes: list[str]  # the mistake ids of the combination found ([] when none)
    partial: list[tuple[str, list[str]]]  # per failing group, when no combination explains all
    evaluated: int = 0


def _same_case(harness: Harness, i: int, mine: dict | None, my_error: str | None,
               theirs: dict | None, their_error: str | None) -> bool:
    if my_error is not None or their_error is not None:  # the same kind of exception, or not alike
        return (my_error is not None and their_error is not None
                and my_error.split(":", 1)[0].strip() == their_error.split(":", 1)[0].strip())
    if mine is None or theirs is None:
        return False
    dtype = harness.cases[i]["dtype"]
    return outputs_match(mine, theirs, lambda name: harness.tolerance(name, dtype))


def footprint(harness: Harness, run: ImplRun, base: list[dict | None], cases: list[int]) -> set[Key]:
    """Where `run` differs from `base` (the reference in each case's dtype), per case and output."""
    keys: set[Key] = set()
    for i in cases:
        if i not in run.computed:
            continue
        if run.errors[i] is not None or run.outputs[i] is None or base[i] is None:
            if run.errors[i] is not None and base[i] is not None:
                keys.add((i, ERROR_KEY))
            continue
        dtype = harness.cases[i]["dtype"]
        for name, expected in base[i].items():
            got = run.outputs[i].get(name)
            if got is None or not outputs_match({name: expected}, {name: got},
                                                lambda n, d=dtype: harness.tolerance(n, d)):
                keys.add((i, name))
    return keys


def _trim(outs: dict | None, names: dict | None) -> dict | None:
    if outs is None or names is None:
        return outs
    return {k: v for k, v in outs.items() if k in names}


class Searcher:
    def __init__(self, harness: Harness, cache, inputs: Inputs, base: list[dict | None],
                 submission: Submission, property_pattern: Callable[[list[int], ImplRun], list] | None = None,
                 max_combos: int = MAX_COMBOS, max_seconds: float = MAX_SECONDS) -> None:
        self.h, self.cache, self.inputs, self.base, self.sub = harness, cache, inputs, base, submission
        self.property_pattern = property_pattern
        self.max_combos, self.deadline = max_combos, time.perf_counter() + max_seconds
        self.n = len(harness.cases)
        self.known = [i for i in range(self.n) if i not in submission.unknown]
        self.evaluated = 0
        self.runs: dict[str, ImplRun] = {}

    # -- evaluating ---------------------------------------------------------------------------

    def run(self, combo: Combo, cases: list[int] | None = None) -> ImplRun:
        name = mutants.combo_name(combo)
        run = self.runs.get(name)
        if run is None or (cases is not None and not set(cases) <= run.computed) or (cases is None and len(run.computed) < self.n):
            self.evaluated += 1
            run = combo_outputs(self.h, self.cache, self.inputs, combo, cases)
            self.runs[name] = run
        return run

    def keys(self, run: ImplRun) -> set[Key]:
        """Where `run` departs from the reference: per output, or per failing check."""
        if self.property_pattern is None:
            return footprint(self.h, run, self.base, self.known)
        cases = [i for i in self.known if i in run.computed]
        keys: set[Key] = set()
        for i, found in zip(cases, self.property_pattern(cases, run), strict=True):
            keys |= {(i, ERROR_KEY)} if found is None else {(i, c) for c in found}
        return keys

    def matches(self, run: ImplRun, cases: list[int]) -> bool:
        if self.property_pattern is not None:
            return self.property_pattern(cases, run) == self.property_pattern(cases, self.sub_run)
        for i in cases:
            theirs = _trim(run.outputs[i], self.base[i])
            if not _same_case(self.h, i, self.sub.outputs[i], self.sub.errors[i], theirs, run.errors[i]):
                return False
        return True

    def out_of_budget(self) -> bool:
        return self.evaluated >= self.max_combos or time.perf_counter() > self.deadline

    # -- the search ---------------------------------------------------------------------------

    def search(self, forms: list[Form], failing_groups: dict[str, list[int]]) -> Search:
        self.sub_run = ImplRun(self.sub.outputs, self.sub.errors, [[] for _ in range(self.n)], frozenset(self.known))
        target = self.keys(self.sub_run)
        touched = sorted({i for i, _ in target})
        singles: dict[str, tuple[Form, set[Key]]] = {}
        alone: dict[str, set[int]] = {}  # per form: the cases where its single run matches
        for form in forms:  # every single form, on every case: the footprints
            run = self.run((form,))
            singles[form.name] = (form, self.keys(run))
            alone[form.name] = {i for i in touched if self.matches(run, [i])}
            if target and self.matches(run, self.known):
                return Search([form.mistake], [], self.evaluated)
        errored = {i for i, name in target if name == ERROR_KEY}

        def fits(fp: set[Key]) -> bool:
            # where the submission raised, any change a mistake makes could be part of it
            return all(key in target or key[0] in errored for key in fp)

        candidates = [(f, fp) for f, fp in singles.values()
                      if not f.file and ((fp and fits(fp)) or f.contract is not None)]
        for size in (2, 3):
            combos = []
            for group in itertools.combinations(candidates, size):
                members = tuple(f for f, _ in group)
                if len({f.mistake for f in members}) < size or not mutants.composes(members):
                    continue
                union = set().union(*(fp for _, fp in group))
                unlikely = not self._plausible(group, alone, touched)
                combos.append((len(target - union), unlikely, members, union))
            combos.sort(key=lambda c: (c[0], c[1]))
            for _missing, _unlikely, members, union in combos:
                cases = sorted({i for i, _ in target | union})
                # The budget bounds what is computed now; what is cached is always looked at,
                # so a warm cache gives the same answer however busy the machine is.
                if self.out_of_budget() and not combo_cached(self.h, self.cache, members, cases):
                    continue
                run = self.run(members, cases)
                if self.matches(run, cases):
                    return Search([f.mistake for f in members], [], self.evaluated)
        return Search([], self._partial(failing_groups, touched), self.evaluated)

    @staticmethod
    def _plausible(group, alone: dict[str, set[int]], touched: list[int]) -> bool:
        """On a case only one member changes, that member alone usually reproduces the
        submission already (its single run is cached). Not always: a mistake invisible alone
        can show combined (a gradient that is 0 either way, until the other divides it), so
        this only orders the combinations, best bets first."""
        for i in touched:
            members = [f for f, fp in group if any(k[0] == i for k in fp)]
            if len(members) == 1 and i not in alone[members[0].name]:
                return False
        return True

    def _partial(self, failing_groups: dict[str, list[int]], touched: list[int]) -> list[tuple[str, list[str]]]:
        """For each failing group, the smallest evaluated combination reproducing its cases."""
        found = []
        ordered = sorted(self.runs.items(), key=lambda item: item[0].count("+"))
        for group, cases in failing_groups.items():
            cases = [i for i in cases if i in self.known]
            if not cases:
                continue
            for name, run in ordered:
                if set(cases) <= run.computed and self.matches(run, cases):
                    ids = [part.split("~")[0] for part in name.split("+")]
                    found.append((group, list(dict.fromkeys(ids))))
                    break
        return found


def failing_checks(harness: Harness, inputs: Inputs, outputs: list[dict | None], cases: list[int]) -> list:
    """Per case, the set of failing check-ids of a property-graded drill ('check-id: text')."""
    pattern = []
    for i in cases:
        outs = outputs[i]
        if outs is None:
            pattern.append(None)
            continue
        try:
            messages = harness.check(harness.cases[i], inputs.per_case[i], outs)
        except Exception:
            pattern.append(None)
            continue
        pattern.append(frozenset(m.split(":", 1)[0].strip() for m in messages))
    return pattern


def diagnose(harness: Harness, cache, inputs: Inputs, base: list[dict | None], submission: Submission,
             failing_groups: dict[str, list[int]], forms: list[Form] | None = None,
             max_combos: int = MAX_COMBOS, max_seconds: float = MAX_SECONDS,
             observed_contracts: set[str] | None = None) -> Search:
    """The smallest set of known mistakes reproducing `submission` on every comparable case."""
    if forms is None:
        # Contract mistakes are named by their checks; one whose check fired here may still
        # combine with a numeric mistake (kept autograd history changes the gradients of
        # another mistake), so it joins the search then.
        observed = observed_contracts or set()
        forms = [f for f in mutants.all_forms(harness.drill) if f.contract is None or f.contract in observed]
    pattern = None
    if harness.property_graded:

        def pattern(cases: list[int], run: ImplRun) -> list:
            return failing_checks(harness, inputs, run.outputs, cases)

    searcher = Searcher(harness, cache, inputs, base, submission, pattern, max_combos, max_seconds)
    return searcher.search(forms, failing_groups)
