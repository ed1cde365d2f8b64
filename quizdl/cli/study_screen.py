"""The terminal side of `quizdl study`: single key presses on a terminal, lines from a pipe."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime

from fsrs import Rating
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from quizdl import scheduler as sched
from quizdl import text as cardtext
from quizdl.cards import NUMBER_FORMS, Card, check_numeric, check_term, parse_number
from quizdl.cli.i18n import interval, rating_name, t, ui_language
from quizdl.session import Skipped, StudySession, Summary

KEY_RATINGS = {"1": Rating.Again, "2": Rating.Hard, "3": Rating.Good, "4": Rating.Easy}
RATING_STYLE = {Rating.Again: "red", Rating.Hard: "yellow", Rating.Good: "green", Rating.Easy: "blue"}
ENTER_KEYS = {"\n", "\r", " ", ""}
QUIT, UNDO, SKIP, EDIT = "q", "u", "s", "e"


class Quit(Exception):
    """The user asked to stop (q, Ctrl-D/EOF)."""


def resume_gc() -> None:
    """Turn the cyclic GC back on if start-up paused it (cli.main), with everything allocated so
    far frozen: the library and modules live to the end, later collections skip them."""
    import gc

    if not gc.isenabled():
        gc.freeze()
        gc.enable()


class Keys:
    """Reads the user's input: one key press on a terminal, one line from a pipe (tests, scripts)."""

    def __init__(self, console: Console, stream=None) -> None:
        self.console = console
        self.stream = stream or sys.stdin
        try:
            self.tty = self.stream.isatty()
        except (AttributeError, ValueError):
            self.tty = False

    def key(self, prompt: str) -> str:
        self.console.print(Text(prompt, style="dim"))
        resume_gc()  # the user reads the card now
        if not self.tty:
            line = self.stream.readline()
            if not line:
                raise Quit
            return line.strip()[:1].lower() if line.strip() else "\n"
        with _cbreak(self.stream):
            ch = _read_key(self.stream.fileno())
        if ch in ("\x04", ""):
            raise Quit
        return ch.lower() if len(ch) == 1 else ch

    def line(self, prompt: str) -> str:
        resume_gc()
        if not self.tty:
            self.console.print(Text(prompt, style="dim"))
            line = self.stream.readline()
            if not line:
                raise Quit
            return line.rstrip("\n")
        try:
            return self.console.input(Text(prompt + " ", style="dim"))
        except EOFError:
            raise Quit from None


@contextmanager
def _cbreak(stream) -> Iterator[None]:
    import termios
    import tty

    fd = stream.fileno()
    saved = termios.tcgetattr(fd)
    try:
        # TCSAFLUSH: keys typed before this prompt are dropped, so a choice digit pressed twice
        # (or held) does not also rate the card on the next prompt.
        tty.setcbreak(fd, termios.TCSAFLUSH)
        yield
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, saved)


def _read_key(fd: int) -> str:
    """One key: a byte, a whole UTF-8 character, or an escape sequence (returned as 'esc')."""
    import select

    first = os.read(fd, 1)
    if not first:
        return ""
    if first == b"\x1b":
        while select.select([fd], [], [], 0.01)[0]:
            os.read(fd, 16)
        return "esc"
    data = first
    while True:
        try:
            return data.decode()
        except UnicodeDecodeError:
            if len(data) >= 4:
                return "?"
            data += os.read(fd, 1)


# --- rendering ------------------------------------------------------------------------------


def _texts(pair: dict[str, str], lang: str) -> list[tuple[str, str]]:
    langs = ["en", "zh"] if lang == "both" else [lang]
    return [(lg, pair[lg]) for lg in langs]


SEGMENT_STYLE = {"bold": "bold", "italic": "italic", "code": "bold cyan", "math": ""}


def show_text(console: Console, pair: dict[str, str], lang: str, *, title: str | None, style: str,
              subtitle: Text | None = None) -> None:
    """A card side in a panel, laid out by text.layout (CJK wraps between characters, formulas
    never break, display math centred) at the panel's inner width."""
    width = max(8, console.width - 4)  # panel border and padding
    body = Text()
    for i, (_lg, source) in enumerate(_texts(pair, lang)):
        if i:
            body.append("\n\n" + "─" * min(width, 20) + "\n\n", style="dim")
        for j, line in enumerate(cardtext.layout(source, width)):
            if j:
                body.append("\n")
            for segment, kind in line:
                body.append(segment, style=SEGMENT_STYLE.get(kind, ""))
    console.print(Panel(body, title=title, title_align="left", subtitle=subtitle, subtitle_align="right",
                        border_style=style))


def option_text(option: dict[str, str], lang: str) -> str:
    if lang == "both" and option["en"] != option["zh"]:
        return f"{cardtext.render(option['en'])}  /  {cardtext.render(option['zh'])}"
    return cardtext.render(option["zh" if lang == "zh" else "en"])


def ratings_line(outcomes, now: datetime, suggested: Rating, width: int = 80, ui: str = "en") -> Text:
    """The four ratings with their next intervals; on a narrow terminal two per line, so that no
    rating is split from its interval."""
    items = []
    for rating in sched.RATINGS:
        ivl = interval(ui, sched.format_interval(outcomes[rating].due - now.timestamp()))
        style = RATING_STYLE[rating] + (" bold reverse" if rating == suggested else "")
        items.append(Text(f"{int(rating)} {rating_name(ui, rating)} {ivl}", style=style))
    sep = Text("  ·  ", style="dim")
    line = sep.join(items)
    if line.cell_len > width:
        line = Text("\n").join([sep.join(items[:2]), sep.join(items[2:])])
    return line


def drills_practising(card: Card) -> list[str]:
    """The drills that practise this card: its own `drill:` link, then drills listing it."""
    from quizdl.drills import drills_by_card

    linked = drills_by_card().get(card.id, [])
    return ([card.drill] if card.drill else []) + [d for d in linked if d != card.drill]


def status_line(session: StudySession, card: Card, ui: str = "en") -> str:
    """The card panel's title: which card this is (its id, for `quizdl cards show`) and its state."""
    flag = session.flagged_by(card)
    origin = f" · {t(ui, 'from_drill', drill=flag[0], mistake=flag[1])}" if flag else ""
    early = session.ahead(card)
    if early >= 1:
        origin += f" · {t(ui, 'learning_ahead', interval=interval(ui, sched.format_interval(early)))}"
    return f"{card.id} · {t(ui, 'state_' + session.state_label(card))}{origin}"


def counts_line(session: StudySession, ui: str = "en") -> Text:
    """The panel's bottom line: Anki's new · learning · review counts (blue, red, green), then
    answers given and time spent."""
    new, learning, review = session.counts()
    elapsed = int(time.monotonic() - session.started)
    line = Text()
    line.append(t(ui, "count_new", n=new), style="blue")
    line.append(" · ")
    line.append(t(ui, "count_learning", n=learning), style="red")
    line.append(" · ")
    line.append(t(ui, "count_review", n=review), style="green")
    line.append(f" · {t(ui, 'count_done', n=len(session.history))} · {elapsed // 60}:{elapsed % 60:02d}")
    return line


# --- the loop -------------------------------------------------------------------------------


StatusLine = Callable[[StudySession, Card], str]


def fit_title(title: str, width: int) -> tuple[str, str | None]:
    """The status line split so the panel title fits `width` columns (the panel would crop it):
    the leading " · " parts that fit (the card id always), and the rest for a line above."""
    from rich.cells import cell_len

    parts = title.split(" · ")
    kept = parts[0]
    for i, part in enumerate(parts[1:], start=1):
        if cell_len(kept + " · " + part) > width:
            return kept, " · ".join(parts[i:])
        kept += " · " + part
    return kept, None


class Screen:
    """Where cards are drawn. On a terminal each state of a card replaces the last one (the
    question, then the question with the answer), so no stale prompt stays above the answer and
    the question never scrolls away; the previous card's outcome ("Good → next in 10m") is
    carried to the top of the next card. Piped, it is a log of lines, as scripts read it."""

    def __init__(self, console: Console, redraw: bool, ui: str = "en") -> None:
        self.console, self.redraw, self.ui = console, redraw, ui
        self.carried: list[Text] = []
        self.notes: list[Text] = []

    def note(self, text: Text) -> None:
        """A message about the card just done with, shown now and kept for the next page."""
        self.console.print(text)
        self.notes.append(text)

    def next_card(self) -> None:
        self.carried, self.notes = self.notes, []

    def page(self) -> None:
        """Start drawing the current card's state from a clean screen."""
        if not self.redraw:
            self.console.print()
            return
        self.console.clear()
        for text in self.carried:
            self.console.print(text)


def run(session: StudySession, console: Console, keys: Keys, lang: str, *, status: StatusLine = status_line,
        stop: Callable[[], bool] | None = None, redraw: bool = False) -> Summary:
    """Show cards until the queue is empty, the user quits or `stop()` is true (checked before
    each card); every answer is already stored. `status` writes each card's title line;
    `redraw` draws each state of a card on a clean screen (on a terminal, `quizdl study`; the
    interview keeps its intro and timer lines above the cards, so it stays a log)."""
    redraw = redraw and keys.tty and console.is_terminal
    ui = ui_language(lang)
    screen = Screen(console, redraw, ui)
    if status is status_line:
        def status(session: StudySession, card: Card) -> str:
            return status_line(session, card, ui)
    try:
        while (stop is None or not stop()) and (card := session.next_card()) is not None:
            screen.next_card()
            _study_one(session, screen, keys, lang, card, status)
    except (Quit, KeyboardInterrupt):
        console.print()
    return session.summary()


def _undo(session: StudySession, screen: Screen) -> None:
    undone, ui = session.undo(), screen.ui
    if undone is None:
        screen.note(Text(t(ui, "nothing_to_undo"), style="yellow"))
    elif isinstance(undone, Skipped):
        screen.note(Text(t(ui, "undid_skip", card=undone.card.id), style="yellow"))
    else:
        screen.note(Text(t(ui, "undid", rating=rating_name(ui, undone.rating), card=undone.card.id), style="yellow"))


def _study_one(session: StudySession, screen: Screen, keys: Keys, lang: str, card: Card,
               status: StatusLine = status_line) -> None:
    console, ui = screen.console, screen.ui
    shown = time.monotonic()
    order = session.option_order(card) if card.type == "choice" else None  # shuffled options

    def question() -> None:
        screen.page()
        title, rest = fit_title(status(session, card), console.width - 6)
        if rest:
            console.print(Text(rest, style="cyan"))
        show_text(console, card.front, lang, title=title, style="cyan", subtitle=counts_line(session, ui))
        for i, index in enumerate(order or [], start=1):
            console.print(f"  [bold]{i}[/]  {option_text(card.options[index], lang)}", highlight=False)

    question()
    correct: bool | None = None
    given = ""
    if card.type == "basic":
        while True:
            key = keys.key(_hint(t(ui, "show_answer"), card, ui))
            if _control(key, session, screen, card):
                return
            if key != EDIT:
                break
    elif order is not None:
        choices = {str(i) for i in range(1, len(card.options) + 1)}
        while True:
            key = keys.key(_hint(t(ui, "choose", n=len(card.options)), card, ui))
            if _control(key, session, screen, card):
                return
            if key in choices:
                given = key
                correct = order[int(key) - 1] == card.answer
                break
    else:
        prompt = t(ui, "type_number" if card.type == "numeric" else "type_term")
        while True:
            typed = keys.line(prompt)
            if typed.strip().lower() in (QUIT, UNDO, SKIP, EDIT) and _control(typed.strip().lower(), session, screen, card):
                return
            if typed.strip().lower() == EDIT:
                continue
            given = typed.strip()
            if card.type == "numeric" and given and parse_number(given) is None:
                # Not a number: ask again rather than grade it wrong.
                console.print(Text(t(ui, "not_a_number", given=repr(given), forms=NUMBER_FORMS), style="yellow"))
                continue
            break
        correct = check_numeric(card, given) if card.type == "numeric" else check_term(card, given)

    now = session.clock()
    outcomes = session.preview(card)
    if screen.redraw:
        question()  # the question stays on screen, with the answer below it
    if correct is not None:
        _verdict(console, card, correct, given, lang, order)
    show_text(console, card.back, lang, title=t(ui, "answer"), style="green" if correct is not False else "red")
    suggested = Rating.Good if correct is not False else Rating.Again
    console.print(ratings_line(outcomes, now, suggested, console.width, ui))
    while True:
        key = keys.key(t(ui, "rate", name=rating_name(ui, suggested)))
        if key in ENTER_KEYS:
            rating = suggested
            break
        if key in KEY_RATINGS:
            rating = KEY_RATINGS[key]
            break
        if _control(key, session, screen, card):
            return
    duration_ms = int((time.monotonic() - shown) * 1000)
    done = session.answer(card, rating, outcomes, duration_ms)
    ivl = interval(ui, sched.format_interval(done.after.due - now.timestamp()))
    note = t(ui, "next_in", rating=rating_name(ui, rating), interval=ivl)
    screen.note(Text(f"{card.id}: {note}" if screen.redraw else note, style=RATING_STYLE[rating]))
    if done.after.lapses >= 8:
        screen.note(Text(leech_note(card, ui), style="yellow"))
    drills = drills_practising(card)
    if drills:
        screen.note(Text(t(ui, "practise", drill=drills[0]), style="magenta"))


def leech_note(card: Card, ui: str = "en") -> str:
    """A leech of the user's own can be rewritten; a built-in one only set aside."""
    from quizdl.catalog import is_builtin

    return t(ui, "leech_builtin", card=card.id) if is_builtin(card) else t(ui, "leech_own")


def _hint(text: str, card: Card, ui: str = "en") -> str:
    """A key hint, with `e edit` for a card of the user's own (the only ones `e` can open; `e`
    works at every prompt, the hint is where it fits 60 columns)."""
    from quizdl.catalog import is_builtin

    quit_key = t(ui, "quit_key")
    return text if is_builtin(card) else text.replace(quit_key, t(ui, "edit_key") + quit_key)


def edit_card(console: Console, card: Card) -> None:
    """`e`: open a user's own deck in $EDITOR (or $VISUAL, else vi) at the card's line."""
    import shlex
    import subprocess

    from quizdl.catalog import is_builtin

    if is_builtin(card):
        console.print(Text(f"{card.id} is a built-in card and cannot be edited; "
                           f"`quizdl cards suspend {card.id}` takes it out of study", style="yellow"))
        return
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "vi"
    try:
        code = subprocess.call([*shlex.split(editor), f"+{card.line}", card.file])
    except OSError as exc:
        console.print(Text(f"cannot start the editor {editor!r}: {exc.strerror}", style="red"))
        return
    if code == 0:
        console.print(Text(f"edited {card.file}; changes show from the next session", style="yellow"))
    else:
        console.print(Text(f"the editor exited with {code}", style="yellow"))


def _control(key: str, session: StudySession, screen: Screen, card: Card) -> bool:
    """Handle q/u/s/e. True when the current card is done with (skipped or undo moved on)."""
    if key == QUIT:
        raise Quit
    if key == EDIT:
        edit_card(screen.console, card)
        return False
    if key == UNDO:
        _undo(session, screen)
        return True
    if key == SKIP:
        session.skip(card)
        screen.note(Text(t(screen.ui, "skipped", card=card.id), style="yellow"))
        return True
    return False


def _verdict(console: Console, card: Card, correct: bool, given: str, lang: str,
             order: list[int] | None = None) -> None:
    if card.type == "choice":
        right = option_text(card.options[card.answer], lang)  # type: ignore[index]
        shown_at = (order or list(range(len(card.options)))).index(card.answer)  # type: ignore[arg-type]
        expected = f"{shown_at + 1}. {right}"
    elif card.type == "numeric":
        tol = f" ± {card.tolerance:g}" if card.tolerance else ""
        expected = f"{card.answer:g}{tol}"
    else:
        expected = expected_term(card, lang)
    ui = ui_language(lang)
    if correct:
        console.print(Text(t(ui, "correct", expected=expected), style="bold green"))
    else:
        shown = given if given else t(ui, "no_answer")
        console.print(Text(t(ui, "wrong", given=shown, expected=expected), style="bold red"))


def expected_term(card: Card, lang: str) -> str:
    """A term card's answer in the card's language: in zh its Chinese alias (with the English
    term, which is what the literature uses), in both the two, in en the term."""
    zh = next((a for a in card.aliases if any("\u4e00" <= ch <= "\u9fff" for ch in a)), None)
    term = str(card.answer)
    if zh is None or lang == "en":
        return term
    return f"{zh}（{term}）" if lang == "zh" else f"{term} / {zh}"


def print_summary(console: Console, summary: Summary, ui: str = "en") -> None:
    console.print()
    if summary.answered:
        parts = [
            f"[{RATING_STYLE[r]}]{rating_name(ui, r)} {summary.ratings.get(r, 0)}[/]"
            for r in sched.RATINGS
        ]
        minutes, seconds = divmod(int(summary.elapsed_s), 60)
        done = t(ui, "cards_in", n=summary.answered, time=f"{minutes}:{seconds:02d}")
        console.print(f"[bold]{t(ui, 'session_done')}[/]{done}", highlight=False)
        console.print(" · ".join(parts), highlight=False)  # its own line: both fit 60 columns
    if summary.retention_today is not None:
        console.print(t(ui, "retention", percent=f"{summary.retention_today:.0%}"), highlight=False)
    if summary.due_now:
        due = t(ui, "still_due_one") if summary.due_now == 1 else t(ui, "still_due", n=summary.due_now)
        console.print(f"[bold]{due}[/]{t(ui, 'go_on')}", highlight=False)
    else:
        if summary.new_waiting:
            console.print(allowance_text(summary, ui), highlight=False)
        console.print(next_due_text(summary.next_due, ui), highlight=False)
    if summary.leeches:
        console.print(f"[yellow]{t(ui, 'leeches_met')}[/] {', '.join(summary.leeches)}", highlight=False)
    if summary.drills_due:
        console.print(f"[magenta]{t(ui, 'drills_due')}[/] {', '.join(summary.drills_due)} — {t(ui, 'drill_next')}",
                      highlight=False)


def allowance_text(summary: Summary, ui: str = "en") -> str:
    """Why new cards that exist are not shown, and the flag that shows them."""
    n = min(summary.new_waiting, summary.new_per_day or 20)
    spent = t(ui, "allowance_one") if summary.new_waiting == 1 else t(ui, "allowance", n=summary.new_waiting)
    return f"{spent}\n{t(ui, 'study_more', n=n)}"


def next_due_text(next_due: datetime | None, ui: str = "en") -> str:
    if next_due is None:
        return t(ui, "none_scheduled")
    now = datetime.now(next_due.tzinfo)
    wait = (next_due - now).total_seconds()
    local = next_due.astimezone()
    when = local.strftime("%H:%M") if wait < 86400 else local.strftime("%m-%d %H:%M" if ui == "zh" else "%a %d %b %H:%M")
    if wait <= 0:
        return t(ui, "due_now")
    return t(ui, "next_due", interval=interval(ui, sched.format_interval(wait)), when=when)
