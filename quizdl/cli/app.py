"""The typer app: root options, quizdl's error guard, fast parameter conversion, the commands
registered from their modules (study, cards, stats, config, drills). No logic lives here."""

from __future__ import annotations

from pathlib import Path

import typer
import typer.core

from quizdl.cli.guard import print_error
from quizdl.errors import QuizdlError


class _Group(typer.core.TyperGroup):
    """Turns a QuizdlError raised anywhere below into a red one-liner and its exit code."""

    def invoke(self, ctx):  # type: ignore[override]
        args = [*getattr(ctx, "_protected_args", ()), *ctx.args]  # the command's, for its --lang (click empties them)
        try:
            return super().invoke(ctx)
        except QuizdlError as exc:
            _fail(exc, args)


# --- parameter conversion without pydantic --------------------------------------------------
# typer (0.29) converts every parameter, even an absent one, through a pydantic TypeAdapter:
# importing pydantic and building the adapters costs more than the rest of `quizdl study`'s
# start-up. The plain cases quizdl's commands have — str, int (with min/max), Path and lists of
# them — are converted here to exactly the values typer produces; anything else, and any value
# the fast path does not accept (so every error message), goes to typer's own conversion.


class _Slow(Exception):
    """This value takes typer's own conversion."""


class _FastCoercion:
    """Duck-types typer._coercion.RuntimeParam (the object `get_runtime_param()` returns)."""

    def __init__(self, descriptor) -> None:
        self.descriptor = descriptor
        self._typer = None

    def _full(self):
        if self._typer is None:
            from typer._coercion import build_runtime_param

            self._typer = build_runtime_param(self.descriptor)
        return self._typer

    def coerce(self, value, param, ctx):
        multi = param.multiple or param.nargs == -1
        if value is None:
            return () if multi else None
        try:
            if not multi:
                return self._leaf(self.descriptor.annotation, value)
            ann = self.descriptor.annotation
            if getattr(ann, "__origin__", None) is not list or not isinstance(value, list | tuple):
                raise _Slow
            (item,) = ann.__args__
            return [self._leaf(item, v) for v in value]
        except _Slow:
            return self._full().coerce(value, param=param, ctx=ctx)

    def _leaf(self, ann, value):
        info = self.descriptor.parameter_info
        if info.parser is not None:
            raise _Slow
        if ann is str and type(value) is str:
            return value
        if ann is int and not info.clamp:
            if type(value) is str and value.isascii() and value.isdigit():
                value = int(value)
            elif type(value) is not int:
                raise _Slow
            if (info.min is not None and value < info.min) or (info.max is not None and value > info.max):
                raise _Slow
            return value
        if (
            ann is Path and type(value) is str and info.path_type is None and not info.exists
            and info.file_okay and info.dir_okay and not info.writable and not info.resolve_path
            and not info.allow_dash
        ):
            import os

            path = Path(value)
            try:
                os.stat(path)
            except OSError:
                return path
            if info.readable and not os.access(path, os.R_OK):
                raise _Slow
            return path
        raise _Slow


def _install_fast_coercion() -> None:
    """Hand typer's parameters the fast conversion (built lazily, like typer's own)."""
    base = getattr(typer.core, "_TyperParameter", None)
    if base is None or not hasattr(base, "get_runtime_param") or getattr(base, "_quizdl_fast", False):
        return  # another typer version: nothing to speed up, or already done

    def get_runtime_param(self):
        if self._runtime_param is None:
            self._runtime_param = _FastCoercion(self.type_descriptor)
        return self._runtime_param

    base.get_runtime_param = get_runtime_param
    base._quizdl_fast = True


_install_fast_coercion()


# --- help that reads like a Unix tool's ------------------------------------------------------
# typer (0.29) shows Python types as metavars (`<list[str]>`, `<bool>` on a flag, `<int range>
# [x>=0]`), braces around required arguments (`{file}`) and, in rich markup mode, keeps a
# docstring's line breaks inside paragraphs. quizdl's help names values the conventional way:
# numbers N, files FILE, folders DIR, ids ID, anything else its name in capitals; flags none.

_METAVARS = {"file": "FILE", "path": "FILE", "paths": "PATH", "cards": "DIR", "drill": "ID",
             "drill_id": "ID", "card_id": "ID", "card_ids": "ID", "output": "PATH", "lang": "en|zh|both",
             "due": "now|today"}


def _metavar(param) -> str:
    """The conventional placeholder for a parameter's value."""
    name = param.name or ""
    if name in _METAVARS:
        return _METAVARS[name]
    annotation = param.type_descriptor.annotation
    item = getattr(annotation, "__args__", (annotation,))[0] if getattr(annotation, "__origin__", None) is list else annotation
    if item in (int, float):
        return "N"
    if item is Path:
        return "PATH"
    return name.removesuffix("_").upper()


def _install_help_style() -> None:
    core = typer.core
    option, argument = getattr(core, "TyperOption", None), getattr(core, "TyperArgument", None)
    if option is None or argument is None or getattr(option, "_quizdl_help", False):
        return

    def option_type(self, ctx):
        if self.is_flag or self.count:
            return None
        return self.metavar or _metavar(self)

    def argument_type(self, ctx):
        return None  # the name column already holds the metavar

    def argument_name(self):
        return self.metavar or _metavar(self)

    def usage_name(self):
        name = argument_name(self)
        if not self.required:
            name = f"[{name}]"
        return name + "..." if self.nargs != 1 else name

    option.display_type_rich = option_type
    option._get_number_range_help_str = lambda self: None  # the help text states the range
    argument.display_type_rich = argument_type
    argument.display_name_raw = property(argument_name)
    argument._usage_display_name = usage_name
    option._quizdl_help = True


_install_help_style()


def unwrap(doc: str | None) -> str | None:
    """A docstring's paragraphs as single lines (the terminal wraps them), blank lines kept."""
    if not doc:
        return doc
    import inspect

    return "\n\n".join(" ".join(p.split()) for p in inspect.cleandoc(doc).split("\n\n"))


def _unwrap_help(typer_app: typer.Typer) -> None:
    """Every command's and group's help, unwrapped (at registration: `--help` pays nothing)."""
    typer_app.info.help = unwrap(typer_app.info.help) if isinstance(typer_app.info.help, str) else typer_app.info.help
    for info in typer_app.registered_commands:
        if isinstance(info.help, str):
            info.help = unwrap(info.help)
        elif info.callback is not None and info.callback.__doc__:
            info.callback.__doc__ = unwrap(info.callback.__doc__)
    for group in typer_app.registered_groups:
        if isinstance(group.help, str):
            group.help = unwrap(group.help)
        if group.typer_instance is not None:
            _unwrap_help(group.typer_instance)


app = typer.Typer(
    cls=_Group,
    name="quizdl",
    help="Deep-learning interview prep: FSRS-scheduled concept cards and sandbox-graded coding drills.",
    add_completion=False,
    rich_markup_mode="rich",
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        from quizdl import __version__

        print(f"quizdl {__version__}")
        raise typer.Exit(0)


@app.callback(invoke_without_command=True)
def _root(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", help="Print quizdl's version and exit.", is_eager=True,
                                 callback=_version),
) -> None:
    """Deep-learning interview prep: FSRS-scheduled concept cards and sandbox-graded coding drills."""
    if ctx.invoked_subcommand is None:  # `quizdl` alone: the list of commands, and success
        text = ctx.get_help()  # rich mode prints it itself and returns ""
        if text:
            print(text)
        raise typer.Exit(0)


def main() -> None:
    """Run the typer app under quizdl's guard (launch.run_guarded): a QuizdlError becomes a
    one-line red message and its exit code, anything unexpected a short "internal error" line."""
    import sys

    if not sys.argv[1:]:
        sys.argv.append("--help")  # `quizdl` alone asks what there is: help, exit 0 (click's own says 2)
    elif len(sys.argv) == 2 and sys.argv[1] in {group.name for group in app.registered_groups}:
        sys.argv.append("--help")  # so does a group alone (`quizdl cards`): its commands, exit 0
    if sys.argv[1:2] and sys.argv[1] in _STANDALONE:
        # Start-up creates some 100k long-lived objects (modules, cards, states) and no garbage
        # cycles; the cyclic GC would walk them dozens of times (a third of the deck loading
        # time). It stays off until the first card waits for a key (study_screen.resume_gc), and
        # for the short topics/stats runs.
        import gc

        gc.disable()
    from quizdl.cli.guard import run_guarded

    run_guarded(_app_for(sys.argv[1:]))


# Commands run on their own: typer builds the whole command tree (every command's signature and
# annotations) on each start, about 5 ms spent on commands that will not run.
_STANDALONE = ("study", "topics", "stats")


def _app_for(args: list[str]) -> typer.Typer:
    """The app to run: for `quizdl study|topics|stats …`, the same app holding that one command
    (what runs and what it prints is the same); for anything else, the whole app."""
    if not args or args[0] not in _STANDALONE:
        return app
    import typer.main

    one = typer.Typer(
        cls=_Group, name=app.info.name, help=app.info.help, no_args_is_help=True, add_completion=False,
        rich_markup_mode="rich", pretty_exceptions_enable=False,
    )
    one.registered_commands = [
        info for info in app.registered_commands
        if (info.name or typer.main.get_command_name(info.callback.__name__)) == args[0]  # type: ignore[union-attr]
    ]
    if len(one.registered_commands) != 1:
        return app
    one.callback()(_no_root_options)  # keeps it a group (`quizdl study`), as typer makes one-command apps plain commands
    return one


def _no_root_options() -> None:
    pass


def _fail(exc: QuizdlError, args: list[str] | None = None) -> None:
    print_error(exc, args)
    raise typer.Exit(exc.exit_code)


def _register_commands() -> None:
    """Each command group lives in its own module; importing them stays cheap (no numpy/torch:
    every command imports what it needs when it runs)."""
    from quizdl.cli import cards, config, drills, export, stats, study

    for module in (study, cards, stats, config, drills, export):
        module.register(app)
    _unwrap_help(app)


_register_commands()
