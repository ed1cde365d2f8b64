"""Drill commands: `quizdl drill ...` and `quizdl grade FILE`.

Importing this module stays cheap: numpy, torch and the grader are imported inside the commands.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
import typer.core

from quizdl.cli.grade import local_date
from quizdl.errors import QuizdlError

LangOption = typer.Option(None, "--lang", help="Prompt language: en, zh or both (default: config).")


class DrillGroup(typer.core.TyperGroup):
    """`quizdl drill ID` starts a drill: a name that is not a subcommand is taken as a drill id."""

    def resolve_command(self, ctx, args):  # type: ignore[override]
        if args and not args[0].startswith("-") and self.get_command(ctx, args[0]) is None:
            return "start", self.get_command(ctx, "start"), args
        return super().resolve_command(ctx, args)


drill_app = typer.Typer(
    cls=DrillGroup,
    help=(
        "Coding drills graded in a sandbox. [bold]quizdl drill ID[/] prints the task and writes a "
        "starter file; then [bold]quizdl grade FILE[/].\n\n"
        "Example: [bold]quizdl drill list[/]   ·   [bold]quizdl drill softmax-ce[/]   ·   "
        "[bold]quizdl drill next[/]"
    ),
    no_args_is_help=True,
    rich_markup_mode="rich",
)


# --- helpers ----------------------------------------------------------------------------------


def _console():
    from rich.console import Console

    return Console()


def _now() -> datetime:
    return datetime.now(UTC)


def _lang(lang: str | None) -> str:
    from quizdl import config as cfg

    lang = lang or cfg.load().language
    if lang not in cfg.LANGUAGES:
        raise QuizdlError(f"--lang must be one of {', '.join(cfg.LANGUAGES)}, not {lang!r}",
                          zh=f"--lang 只能是 {', '.join(cfg.LANGUAGES)} 之一，而不是 {lang!r}")
    return lang


def _drills():
    from quizdl.drills import load_drills

    return load_drills()


def _drill(drill_id: str):
    from quizdl.drills import get_drill

    return get_drill(drill_id, _drills())


def _print_task(drill, lang: str) -> None:
    from rich.markdown import Markdown

    console = _console()
    title = drill.text(drill.title, "en" if lang == "both" else lang)
    console.print(
        f"[bold]{drill.id}[/] — {title}  ·  {drill.topic} · {drill.difficulty} · {drill.framework}",
        highlight=False,
    )
    if lang == "both":
        console.print(Markdown(drill.prompt["en"]))
        console.print()
        console.print(Markdown(drill.prompt["zh"]))
    else:
        console.print(Markdown(drill.text(drill.prompt, lang)))
    from quizdl.cli.i18n import t, ui_language

    ui = ui_language(lang)
    notes = []
    if drill.forbidden:
        notes.append(t(ui, "task_not_allowed", names=", ".join(drill.forbidden)))
    if drill.all_blocked_imports:
        notes.append(t(ui, "task_blocked_imports", names=", ".join(drill.all_blocked_imports)))
    if drill.cards:
        notes.append(t(ui, "task_cards", names=", ".join(drill.cards)))
    for note in notes:
        console.print(f"[dim]{note}[/]", highlight=False)


def _task_markdown(drill, lang: str) -> str:
    """The task as markdown, for a notebook's first cell."""
    title = drill.text(drill.title, "en" if lang == "both" else lang)
    parts = [f"# {drill.id} — {title}", ""]
    parts += [drill.prompt["en"], "", drill.prompt["zh"]] if lang == "both" else [drill.text(drill.prompt, lang)]
    parts += ["", f"Grade with: `quizdl grade {default_starter_path(drill.id).with_suffix('.ipynb')}`"]
    return "\n".join(parts)


def default_starter_path(drill_id: str) -> Path:
    return Path(f"{drill_id.replace('-', '_')}.py")


# --- drill commands ----------------------------------------------------------------------------


@drill_app.command("list")
def drill_list(lang: str = LangOption) -> None:
    """List drills with your status: new / failed / passed, attempts and next review.

    Example: [bold]quizdl drill list --lang zh[/]
    """
    from quizdl.drill_progress import item_id
    from quizdl.store import Store

    language = _lang(lang)
    show = "zh" if language == "zh" else "en"
    drills = _drills()
    console = _console()
    console.print(f"[bold]{len(drills)} drill(s)[/]  [dim](start one: quizdl drill ID)[/]", highlight=False)
    id_width = max(len(d) for d in drills) if drills else 2
    with Store.open() as store:
        for drill in drills.values():
            attempts = [a for a in store.drill_attempts(drill.id) if a.counted]
            state = store.get_state(item_id(drill.id))
            if not attempts:
                status = "[dim]new[/]"
            else:
                word = "[green]passed[/]" if attempts[-1].passed else "[red]failed[/]"
                if not attempts[-1].passed and any(a.passed for a in attempts):
                    word = "[yellow]passed before, failing now[/]"
                tries = f"{len(attempts)} attempt{'s' if len(attempts) != 1 else ''}"
                status = f"{word} · {tries}" + (f" · next {local_date(state.due)}" if state else "")
            console.print(
                f"  [bold]{drill.id:<{id_width}}[/]  {drill.framework:<5}  {drill.difficulty:<6}  {status}",
                highlight=False,
            )
            console.print(f"  {'':<{id_width}}  [dim]{drill.topic} · {drill.title[show]}[/]", highlight=False)


@drill_app.command("start")
def drill_start(
    drill_id: str = typer.Argument(..., metavar="ID", help="Drill id, as in `quizdl drill list`."),
    output: Path = typer.Option(None, "--output", "-o", help="Where to write the starter (default: ./ID.py, '-' as '_').", show_default=False),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing file."),
    notebook: bool = typer.Option(False, "--notebook", help="Write a Jupyter notebook (ID.ipynb: the task, then the starter) instead of a .py file."),
    lang: str = LangOption,
) -> None:
    """Print the task and write a starter file (also: [bold]quizdl drill ID[/]).

    Example: [bold]quizdl drill bn[/]   ·   [bold]quizdl drill softmax-ce -o ~/prep/ce.py[/]   ·   [bold]quizdl drill bn --notebook[/]
    """
    drill = _drill(drill_id)
    language = _lang(lang)
    target = output or default_starter_path(drill.id)
    if notebook and output is None:
        target = target.with_suffix(".ipynb")
    review_note = None
    if target.exists() and not force and output is None:
        review = _review_path(drill, target)
        if review is None:
            raise QuizdlError(
                f"{target} already exists; grade it (quizdl grade {target}), or use --force to "
                "overwrite it or -o to pick another file", exit_code=2,
                zh=f"{target} 已存在；评测它（quizdl grade {target}），或用 --force 覆盖、用 -o 另选文件")
        target, review_note = review, f"{drill.id} is due for review: a fresh starter in {review}, your earlier file is kept"
    if target.exists() and not force:
        raise QuizdlError(f"{target} already exists; use --force to overwrite it or -o to pick another file", exit_code=2,
                          zh=f"{target} 已存在；用 --force 覆盖它，或用 -o 另选文件")
    if target.exists() and target.is_dir():
        raise QuizdlError(f"{target} is a directory; pass a file name with -o", exit_code=2,
                          zh=f"{target} 是目录；请用 -o 给出文件名")
    _print_task(drill, language)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        starter = drill.starter_path.read_text(encoding="utf-8")
        if notebook or target.suffix.lower() == ".ipynb":
            from quizdl.notebook import starter_notebook

            starter = starter_notebook(starter, _task_markdown(drill, language))
        target.write_text(starter, encoding="utf-8")
    except OSError as exc:
        raise QuizdlError(f"cannot write {target}: {exc.strerror}", exit_code=2,
                          zh=f"无法写入 {target}：{exc.strerror}") from None
    if review_note:
        _console().print(f"\n[yellow]{review_note}[/]", highlight=False)
    _console().print(f"\nWrote [bold]{target}[/] — fill it in, then: [bold]quizdl grade {target}[/]", highlight=False)
    from quizdl.grading import prepare

    prepare.start_in_background(drill.id)  # known mistakes computed while you write


def _review_path(drill, existing: Path) -> Path | None:
    """Where a review's fresh starter goes when the drill was passed and is due again
    (bn.review-2.py, bn.review-3.py, ...); None when it is not a review."""
    from quizdl.drill_progress import has_passed, item_id
    from quizdl.store import Store

    with Store.open() as store:
        state = store.get_state(item_id(drill.id))
        if not has_passed(store.drill_attempts(drill.id)) or state is None or state.due > _now().timestamp():
            return None
    n = 2
    while (path := existing.with_name(f"{existing.stem}.review-{n}{existing.suffix}")).exists():
        n += 1
    return path


@drill_app.command("hint")
def drill_hint(
    drill_id: str = typer.Argument(..., metavar="ID", help="Drill id."),
    all_seen: bool = typer.Option(False, "--all", help="Show the hints seen so far instead of a new one."),
    lang: str = LangOption,
) -> None:
    """Show the next hint: 1 the idea, 2 the key formula or convention, 3 almost the code.

    Hints seen are recorded; a pass after a hint counts at most Hard for scheduling. After a pass
    the next review starts with no hints seen.

    Example: [bold]quizdl drill hint bn[/]   ·   [bold]quizdl drill hint bn --all --lang zh[/]
    """
    from quizdl import drill_progress
    from quizdl.store import Store

    drill = _drill(drill_id)
    language = _lang(lang)
    if not drill.hints:
        raise QuizdlError(f"drill {drill.id} has no hints", exit_code=1, zh=f"练习 {drill.id} 没有提示")
    with Store.open() as store:
        if all_seen:
            numbers = drill_progress.hints_seen(store, drill.id)
            if not numbers:
                _console().print(f"No hints seen for {drill.id} yet: [bold]quizdl drill hint {drill.id}[/] shows the first.",
                                 highlight=False)
                return
        else:
            number = drill_progress.take_hint(store, drill.id, _now())
            if number is None:
                raise QuizdlError(
                    f"all {len(drill.hints)} hints of {drill.id} are seen (quizdl drill hint {drill.id} --all "
                    f"shows them); the solution opens after a pass: quizdl drill solution {drill.id}", exit_code=1,
                    zh=f"{drill.id} 的 {len(drill.hints)} 条提示都看过了（quizdl drill hint {drill.id} --all 显示全部）；"
                       f"通过后可看参考答案：quizdl drill solution {drill.id}")
            numbers = [number]
    console = _console()
    for number in sorted(numbers):
        _print_hint(console, drill, number, language)


HINT_LABELS = {1: ("the idea", "思路"), 2: ("the key formula", "关键公式"), 3: ("almost the code", "接近代码")}


def _print_hint(console, drill, number: int, language: str) -> None:
    from rich.markdown import Markdown

    en, zh = HINT_LABELS[number]
    label = {"en": en, "zh": zh, "both": f"{en} · {zh}"}[language]
    console.print(f"[bold]Hint {number}/{len(drill.hints)}[/] — {label}", highlight=False)
    hint = drill.hints[number - 1]
    if language == "both":
        console.print(Markdown(hint["en"]))
        console.print(Markdown(hint["zh"]))
    else:
        console.print(Markdown(drill.text(hint, language)))


@drill_app.command("show")
def drill_show(
    drill_id: str = typer.Argument(..., metavar="ID", help="Drill id."),
    lang: str = LangOption,
) -> None:
    """Print a drill's task only (no starter file).

    Example: [bold]quizdl drill show bn --lang both[/]
    """
    _print_task(_drill(drill_id), _lang(lang))


@drill_app.command("solution")
def drill_solution(
    drill_id: str = typer.Argument(..., metavar="ID", help="Drill id."),
    force: bool = typer.Option(False, "--force", help="Show it even though you have not passed yet (recorded)."),
) -> None:
    """Show the reference implementation, once you have passed the drill.

    Example: [bold]quizdl drill solution softmax-ce[/]   ·   [bold]quizdl drill solution bn --force[/]
    """
    from rich.syntax import Syntax

    from quizdl.drill_progress import has_passed
    from quizdl.store import Store

    drill = _drill(drill_id)
    with Store.open() as store:
        passed = has_passed(store.drill_attempts(drill.id))
        if not passed and not force:
            raise QuizdlError(
                f"pass drill {drill.id} first (quizdl grade FILE), or use --force to see the solution anyway "
                "(that is recorded)",
                exit_code=1,
                zh=f"请先通过练习 {drill.id}（quizdl grade FILE），或用 --force 直接看参考答案（会被记录）",
            )
        store.record_solution_view(drill.id, _now().timestamp(), forced=not passed)
    import sys

    code = drill.reference_path.read_text(encoding="utf-8")
    if not sys.stdout.isatty():  # piped or redirected: the file itself, byte for byte
        if not passed:
            print("Shown before passing (recorded).", file=sys.stderr)
        sys.stdout.write(code)
        return
    console = _console()
    if not passed:
        console.print("[yellow]Shown before passing (recorded).[/]")
    # On a terminal: highlighted, long lines wrapped (never cropped).
    console.print(Syntax(code, "python", theme="ansi_dark", word_wrap=True))


@drill_app.command("next")
def drill_next(lang: str = LangOption) -> None:
    """The drill most overdue for review; new drills count as due.

    Example: [bold]quizdl drill next[/]
    """
    from quizdl import scheduler as sched
    from quizdl.drill_progress import item_id
    from quizdl.store import Store

    show = "zh" if _lang(lang) == "zh" else "en"
    now = _now().timestamp()
    drills = _drills()
    order = {"easy": 0, "medium": 1, "hard": 2}
    overdue, new, later = [], [], []
    with Store.open() as store:
        for drill in drills.values():
            state = store.get_state(item_id(drill.id))
            if state is None:
                new.append(drill)
            elif state.due <= now:
                overdue.append((state.due, drill))
            else:
                later.append((state.due, drill))
    console = _console()
    if overdue:
        due, drill = min(overdue, key=lambda pair: pair[0])
        why = f"due {sched.format_interval(now - due)} ago"
    elif new:
        drill = min(new, key=lambda d: (order[d.difficulty], d.id))
        why = "new"
    else:
        if not later:
            console.print("No drills installed.")
            return
        due, drill = min(later, key=lambda pair: pair[0])
        console.print(
            f"Nothing is due. Next: [bold]{drill.id}[/] on {local_date(due)} (in {sched.format_interval(due - now)}).",
            highlight=False,
        )
        return
    console.print(f"[bold]{drill.id}[/] — {drill.title[show]} ({why})", highlight=False)
    console.print(f"Start it with: [bold]quizdl drill {drill.id}[/]", highlight=False)


@drill_app.command("check")
def drill_check(
    paths: list[Path] = typer.Argument(None, help="Drill folders, or folders of drills (default: built-in and your own).", show_default=False, metavar="[PATH]..."),
    quick: bool = typer.Option(False, "--quick", help="Only the folder checks; skip running the mutation test."),
    no_pairs: bool = typer.Option(False, "--no-pairs", help="Mutation test without the pairs of mistakes."),
) -> None:
    """Validate drill folders and run each drill's mutation test.

    Folder checks: drill.yaml, files, starter marker, harness cases, card links, mistake edits that
    apply. Mutation test: the reference passes; every known mistake (and each variant) and every
    pair of composable mistakes fails and is diagnosed as exactly itself; no two mistakes behave
    identically; the unmodified starter fails cleanly. Every problem is reported at once as
    path: drill-id: message, with exit code 2.

    Without --quick the mutation test takes minutes for all 60 built-in drills. Example: [bold]quizdl drill check --quick[/]   ·   [bold]quizdl drill check --quick ~/.local/share/quizdl/drills/my-drill[/]
    """
    from quizdl import paths as qpaths
    from quizdl.drills import DrillProblems, card_ids_in, check_paths

    roots = paths or [p for p in (qpaths.builtin_dir("drills"), qpaths.user_drills_dir()) if p.is_dir()]
    card_ids = _card_ids(card_ids_in, qpaths)
    drills, problems = check_paths(list(roots), card_ids)
    if problems:
        raise DrillProblems(problems)
    console = _console()
    if quick:
        console.print(f"[green]✓[/] {len(drills)} drill(s): no problems (mutation test skipped)", highlight=False)
        return
    from quizdl.grading.mutation import check_drill

    singles = pairs = masked = 0
    for drill in drills:
        try:
            report = check_drill(drill, pairs=not no_pairs)
        except Exception as exc:  # a harness or reference that crashes is a drill problem
            problems.append(f"{drill.folder}: {drill.id}: mutation test crashed: {type(exc).__name__}: {exc}")
            continue
        problems.extend(f"{drill.folder}: {drill.id}: {p}" for p in report.problems)
        singles, pairs, masked = singles + report.singles, pairs + report.pairs, masked + len(report.masked)
        mark = "[green]✓[/]" if report.ok else "[red]✗[/]"
        console.print(f"{mark} {drill.id}: {report.singles} mistake form(s), {report.pairs} pair(s)"
                      + (f", {len(report.masked)} masked" if report.masked else ""), highlight=False)
    if problems:
        raise DrillProblems(problems)
    console.print(f"[green]✓[/] {len(drills)} drill(s): no problems · {singles} mistakes and {pairs} pairs "
                  f"each diagnosed as themselves ({masked} pairs where one mistake hides the other)",
                  highlight=False)


def _card_ids(card_ids_in, qpaths) -> set[str] | None:
    """Card ids from the loaded decks (the lead's loader), else a raw scan of the deck files."""
    try:
        from quizdl.cards import load_library

        return set(load_library().cards)
    except Exception:
        return card_ids_in([qpaths.builtin_dir("cards"), qpaths.user_cards_dir()])


# --- grade --------------------------------------------------------------------------------------


def grade(
    file: Path = typer.Argument(..., help="Your solution file (its first line names the drill).", show_default=False),
    drill_id: str = typer.Option(None, "--drill", "-d", help="Grade against this drill instead of the file's marker.", show_default=False),
    json_out: bool = typer.Option(False, "--json", help="Print an Exercism-style result as JSON."),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Also show every case and what your code printed."),
    watch: bool = typer.Option(False, "--watch", "-w", help="Re-grade on every save; keys: h hint, s solution (after a pass), q quit."),
    lang: str = typer.Option(None, "--lang", help="Language of the diagnoses: en, zh or both (default: config).", show_default=False),
) -> None:
    """Grade a drill solution (.py or .ipynb) in a sandbox. Exit 0 pass, 1 fail, 2 usage error.

    The file's first line names the drill (# quizdl drill: ID); without it the file name or the
    entry points it defines do. With --watch the report is redrawn after each save, with one line
    of history, the next hint on [bold]h[/] and the reference on [bold]s[/] once you have passed.

    Example: [bold]quizdl grade bn.py[/]   ·   [bold]quizdl grade bn.py --watch[/]   ·   [bold]quizdl grade mine.py --drill softmax-ce --json[/]
    """
    from quizdl.cli import grade as grade_report

    if watch:
        if json_out:
            raise QuizdlError("--watch and --json do not go together: --json is for one grade", exit_code=2,
                              zh="--watch 和 --json 不能一起用：--json 只用于单次评测")
        from quizdl.cli import watch_screen

        code = watch_screen.run(file, drill_id, grade_report.check_lang(lang))
        raise typer.Exit(code)

    code = grade_report.run(file, drill_id, json_out, verbose, lang)
    if code:
        raise typer.Exit(code)


def doctor() -> None:
    """Check the grading sandbox: grade the softmax-ce reference and list which isolation layers
    (Landlock, the mount-namespace view, network and PID namespaces, uid drop, seccomp, no
    terminal) this machine grants.
    Exit 0 when that grade passes (grading works; a layer marked OFF is simply not there).

    Example: [bold]quizdl doctor[/]
    """
    from quizdl.grading import isolation

    ok, lines = isolation.doctor()
    typer.echo("\n".join(lines))
    if not ok:
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    """Add `doctor`, `drill` (group) and `grade` to the main app."""
    app.command()(doctor)
    app.add_typer(drill_app, name="drill")
    app.command("grade")(grade)
