"""The terminal side of `quizdl interview`: the cards through study_screen, the drill through the
watch screen, then the scorecard. What is asked and what is stored is quizdl/interview.py's.

On a terminal the drill is watched until it passes and the user quits (q), or the time is up.
When stdin is not a terminal (a pipe, a script, a test) the cards read one line per key as in
`quizdl study`, and the drill part grades the starter file once, reports and ends: nothing could
end a watch there but Ctrl-C.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from quizdl import interview as iv
from quizdl.cards import Card, Library
from quizdl.cli import study_screen
from quizdl.cli.i18n import t, ui_language
from quizdl.config import Config
from quizdl.session import StudySession
from quizdl.store import Store


def run(plan: iv.Plan, store: Store, library: Library, config: Config, console: Console, lang: str,
        folder: Path | None = None, stream=None) -> iv.Scorecard:
    """The whole interview; returns its scorecard, already stored."""
    folder = folder or Path.cwd()
    ui = ui_language(lang)
    timer = iv.Timer(plan.minutes)
    started_at = time.time()
    keys = study_screen.Keys(console, stream)
    _intro(console, plan, ui)

    session = iv.InterviewSession(store, library, config, plan.cards)
    count = len(plan.cards)

    def status(session: StudySession, card: Card) -> str:
        number = min(len(session.history) + 1, count)
        return t(ui, "iv_status", deck=card.deck, state=t(ui, "state_" + session.state_label(card)), n=number,
                 count=count, left=iv.format_left(timer.left()))

    study_screen.run(session, console, keys, lang, status=status, stop=timer.concept_over)
    if timer.concept_over() and session.next_card() is not None:
        console.print(f"[yellow]{t(ui, 'iv_concept_over')}[/]", highlight=False)

    drill_score = None
    if plan.drill is not None:
        drill_score = _drill_part(plan.drill, store, console, lang, folder, timer, keys.tty, stream)
    card = iv.Scorecard(
        started_at=started_at, minutes=plan.minutes, elapsed_s=timer.elapsed(),
        topics=iv.topic_scores(session.history), drill=drill_score, filter=list(plan.topics),
    )
    iv.save(store, card)
    print_scorecard(console, card, ui)
    return card


def _plural(ui: str, key: str, n: int) -> str:
    return t(ui, f"{key}_one") if n == 1 else t(ui, key, n=n)


def _intro(console: Console, plan: iv.Plan, ui: str = "en") -> None:
    concept = iv.format_left(plan.concept_seconds)
    topics = ", ".join(plan.asked_topics)
    line = f"[bold]{t(ui, 'iv_intro')}[/] · " + t(
        ui, "iv_plan", minutes=f"{plan.minutes:g}", concept=concept, cards=_plural(ui, "iv_cards", len(plan.cards)),
        topics=escape(topics))
    if plan.drill is not None:
        line += t(ui, "iv_then_drill", drill=f"[bold]{plan.drill.drill.id}[/]")
    console.print(line, highlight=False)
    console.print(f"[dim]{t(ui, 'iv_q_ends')}[/]", highlight=False)
    if plan.drill is not None and plan.drill.note:
        # the one note there is (interview.make_plan): no drill on the --topic filter
        note = t(ui, "iv_no_drill_on", topics=", ".join(plan.topics)) if ui == "zh" else plan.drill.note
        console.print(f"[dim]{escape(note)}[/]", highlight=False)


def _drill_part(choice: iv.DrillChoice, store: Store, console: Console, lang: str, folder: Path,
                timer: iv.Timer, tty: bool, stream) -> iv.DrillScore:
    from quizdl.cli.drills import _print_task
    from quizdl.cli.watch_screen import WatchScreen
    from quizdl.grading import prepare

    drill = choice.drill
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # as quizdl.cli.grade: small arrays, one thread
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    ui = ui_language(lang)
    console.print()
    why = t(ui, "iv_passed_before" if choice.passed_before else "iv_never_passed")
    why += t(ui, "iv_due" if choice.due else "iv_not_due")
    console.print(f"[bold]{t(ui, 'iv_coding_drill')}[/] · " + t(ui, "iv_drill_line", drill=drill.id, topic=drill.topic,
                  why=why, left=iv.format_left(timer.left())), highlight=False)
    since = time.time()
    path = iv.write_starter(drill, folder)
    _print_task(drill, lang)
    shown = _relative(path)
    console.print("\n" + t(ui, "iv_wrote", file=f"[bold]{escape(shown)}[/]"), highlight=False)
    prepare.start_in_background(drill.id)  # known mistakes computed while you write
    # The watch screen counts on time.monotonic(), whatever clock the timer runs on.
    screen = WatchScreen(Path(shown), drill.id, console, stream=stream, deadline=time.monotonic() + timer.left())
    screen.config.language = lang  # the interview's --lang, for the report and the watch screen's own lines
    if tty:
        screen.run(grade_first=False)
    else:
        console.print(f"[dim]{t(ui, 'iv_graded_once')}[/]", highlight=False)
        screen.grade_once()
    return iv.drill_score(store, drill.id, shown, since)


def _relative(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


# --- the scorecard and the history ---------------------------------------------------------------


def _duration(seconds: float | None) -> str:
    return "—" if seconds is None else iv.format_left(seconds)


def print_scorecard(console: Console, card: iv.Scorecard, ui: str = "en") -> None:
    console.print()
    console.print(f"[bold]{t(ui, 'sc_title')}[/]" + t(ui, "sc_minutes", minutes=f"{card.minutes:g}",
                                                      taken=_duration(card.elapsed_s)), highlight=False)
    if card.cards_total:
        console.print(f"{t(ui, 'sc_cards')}[bold]{card.cards_right}/{card.cards_total}[/]{t(ui, 'sc_right_of')}",
                      highlight=False)
        width = max(len(ts.topic) for ts in card.topics)
        for ts in card.topics:
            wrong = f"[red]{t(ui, 'sc_wrong', n=ts.wrong)}[/]" if ts.wrong else t(ui, "sc_wrong", n=0)
            console.print(f"  {escape(ts.topic):<{width}}  [green]{t(ui, 'sc_right', n=ts.right)}[/] · {wrong}",
                          highlight=False)
    else:
        console.print(t(ui, "sc_none_answered"), highlight=False)
    drill = card.drill
    if drill is None:
        console.print(t(ui, "sc_no_drill"), highlight=False)
    else:
        grades = _plural(ui, "sc_grades", drill.grades)
        if drill.passed:
            verdict = f"[green]{t(ui, 'sc_passed_in', time=_duration(drill.seconds_to_pass))}[/]"
        else:
            verdict = f"[red]{t(ui, 'sc_not_passed')}[/]"
        hints = _plural(ui, "sc_hints", drill.hints_used)
        console.print(f"{t(ui, 'sc_drill')}[bold]{drill.drill_id}[/] ({escape(drill.file)}): {verdict} · {grades} · {hints}",
                      highlight=False)
        mistakes = ", ".join(drill.mistakes) if drill.mistakes else t(ui, "sc_none")
        console.print(escape(t(ui, "sc_mistakes", mistakes=mistakes)), highlight=False)
        if not drill.passed:
            console.print(f"[dim]{escape(t(ui, 'sc_keep_going', file=drill.file))}[/]", highlight=False)
    console.print(f"[dim]{t(ui, 'sc_saved')}[/]", highlight=False)


def print_history(console: Console, cards: list[iv.Scorecard], ui: str = "en") -> None:
    if not cards:
        console.print(t(ui, "ih_none"), highlight=False)
        return
    table = Table(title=t(ui, "ih_title"))
    for key in ("date", "minutes", "cards", "drill", "passed", "time_to_pass"):
        table.add_column(t(ui, f"ih_{key}"), justify="right" if key in ("minutes", "cards", "time_to_pass") else "left")
    for card in cards:
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(card.started_at))
        drill = card.drill
        passed = "—" if drill is None else ("✓" if drill.passed else "✗")
        table.add_row(when, f"{card.minutes:g}", f"{card.cards_right}/{card.cards_total}",
                      drill.drill_id if drill else "—", passed,
                      _duration(drill.seconds_to_pass) if drill else "—")
    console.print(table)
