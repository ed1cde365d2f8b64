"""The one error class users see: the CLI prints its message in red and exits with its code."""

from __future__ import annotations


class QuizdlError(Exception):
    """A user-facing failure: a clear one-line message (more lines allowed) and an exit code."""

    def __init__(self, message: str, exit_code: int = 2) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code


INTERNAL_ERROR_EXIT = 70  # EX_SOFTWARE


def print_error(exc: QuizdlError) -> None:
    """`error: <message>` in red on stderr."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(f"[bold red]error:[/] {escape(exc.message)}", highlight=False, soft_wrap=True)


def print_internal_error(exc: BaseException) -> None:
    """One line for a bug in quizdl itself, instead of a traceback."""
    from rich.console import Console
    from rich.markup import escape

    Console(stderr=True).print(
        f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))} — this is a "
        "quizdl bug; rerun with QUIZDL_DEBUG=1 for details and please report it",
        highlight=False,
        soft_wrap=True,
    )
