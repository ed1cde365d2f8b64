"""The guard every command runs under, whichever way it was started (launch's short path or the
typer app): what a user sees when a command ends other than normally."""

from __future__ import annotations

import errno
import io
import os
import re  # already imported by pathlib at start-up
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import NoReturn

    from quizdl.errors import QuizdlError


OUTPUT_ERROR_EXIT = 74  # EX_IOERR: the output could not be written
MIN_COLUMNS = 40  # narrower than this, cards and tables are unreadable


def run_guarded(command: Callable[[], int | None]) -> NoReturn:
    """Run a command and exit: a QuizdlError becomes a red one-liner and its exit code, a broken
    pipe a quiet exit 1, output that cannot be written (a full disk, /dev/full, a terminal
    whose encoding cannot show the text) one line and exit 74, Ctrl-C "Aborted!" (as click
    prints it), anything else one "internal error" line (QUIZDL_DEBUG=1 shows the traceback)."""
    from quizdl.errors import INTERNAL_ERROR_EXIT, QuizdlError

    try:
        _prepare_std_streams()
        check_width(sys.argv[1:])
        try:
            code = command()
        except SystemExit as exc:  # the typer app exits by itself; its output still needs flushing
            code = exc.code
        sys.stdout.flush()  # what is still buffered fails here, not silently at interpreter exit
    except QuizdlError as exc:
        print_error(exc, sys.argv[1:])
        code = exc.exit_code
    except BrokenPipeError:  # output piped into `head` and the like
        _silence_stdout()
        code = 1
    except KeyboardInterrupt:
        print("\n已中止！" if interface_language(sys.argv[1:]) == "zh" else "\nAborted!", file=sys.stderr)
        code = 1
    except UnicodeEncodeError as exc:
        if not _is_output_encoding(exc):
            code = _internal(exc, INTERNAL_ERROR_EXIT)
        else:
            _silence_stdout()
            _print_plain_error(  # in English: a terminal that cannot show quizdl's text cannot show Chinese
                f"this terminal's encoding ({exc.encoding}) cannot show quizdl's text; use a UTF-8 "
                "locale (e.g. export LANG=C.UTF-8) or PYTHONIOENCODING=utf-8"
            )
            code = OUTPUT_ERROR_EXIT
    except OSError as exc:
        if not getattr(exc, "quizdl_stdout", False):
            code = _internal(exc, INTERNAL_ERROR_EXIT)
        else:
            _silence_stdout()
            full = exc.errno in (errno.ENOSPC, errno.EDQUOT)
            what, what_zh = ("disk full", "磁盘已满") if full else ("output error", "输出错误")
            _print_plain_error(f"cannot write the output ({what}: {exc.strerror or exc})",
                               f"无法写出输出（{what_zh}：{exc.strerror or exc}）")
            code = OUTPUT_ERROR_EXIT
    except Exception as exc:
        code = _internal(exc, INTERNAL_ERROR_EXIT)
    raise SystemExit(code or 0)


def _internal(exc: Exception, code: int) -> int:
    if os.environ.get("QUIZDL_DEBUG"):
        raise exc
    print_internal_error(exc)
    return code


def check_width(args: list[str]) -> None:
    """Refuse to draw into fewer than MIN_COLUMNS columns, with one line saying so. A COLUMNS
    that is not a positive number (COLUMNS=0 made rich print nothing at all) is ignored: the
    real terminal's width applies, or 80 when output is not a terminal. Machine-readable
    output (--json) and --version have no width."""
    from quizdl.errors import QuizdlError

    if "--json" in args or "--version" in args:
        return
    columns: int | None = None
    raw = os.environ.get("COLUMNS")
    if raw is not None:
        raw = raw.strip()
        if raw.isascii() and raw.isdigit() and int(raw) > 0:
            columns = int(raw)
        else:
            del os.environ["COLUMNS"]
    if columns is None:
        try:
            if sys.stdout.isatty():
                columns = os.get_terminal_size(sys.stdout.fileno()).columns or None
        except (AttributeError, ValueError, OSError):
            columns = None
    if columns is not None and columns < MIN_COLUMNS:
        raise QuizdlError(
            f"the terminal is too narrow ({columns} column{'' if columns == 1 else 's'}); quizdl needs at least {MIN_COLUMNS}: "
            "widen the window (or set COLUMNS)",
            zh=f"终端太窄（{columns} 列）；quizdl 至少需要 {MIN_COLUMNS} 列：请加宽窗口（或设置 COLUMNS）",
        )


class _ClosedStdin:
    """Stands in for a closed stdin (`quizdl study <&-`): reading it is a clear error."""

    encoding = "utf-8"

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        raise self._closed()

    def read(self, *args: object) -> str:
        raise self._closed()

    readline = read

    def __iter__(self):
        raise self._closed()

    @staticmethod
    def _closed() -> QuizdlError:
        from quizdl.errors import QuizdlError

        return QuizdlError(
            "standard input is closed, so there is nothing to read answers from; run this in a "
            "terminal or pipe keys into it (e.g. `quizdl study < keys.txt`)",
            zh="标准输入已关闭，无从读取答案；请在终端中运行，或把按键通过管道输入（例如 `quizdl study < keys.txt`）",
        )


def reserve_std_fds() -> None:
    """Reopen a closed fd 0, 1 or 2 on /dev/null, before anything else opens a file or a pipe:
    else the next one opened (the progress database, the grader child's pipe) would take its
    number and be read or written as stdin or stdout."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != fd:  # cannot happen while the lower fds are open, but never leak one
                os.dup2(opened, fd)
                os.close(opened)


def _prepare_std_streams() -> None:
    """Closed standard streams become clear errors when used, and piped stdout gets a thin
    writer that marks its OSErrors, so a full disk behind stdout is told apart from any other."""
    reserve_std_fds()
    if sys.stdin is None:
        sys.stdin = _ClosedStdin()  # type: ignore[assignment]
    if sys.stdout is None:
        sys.stdout = _ClosedStdout()  # type: ignore[assignment]
        return
    out = sys.stdout
    if type(out) is not io.TextIOWrapper or getattr(out, "name", None) != "<stdout>" or out.isatty():
        return  # a terminal (nothing to mark, and readline's input() wants the real stream) or a test's capture
    out.flush()
    sys.stdout = _marked_output(out.fileno(), out.encoding, out.errors, out.line_buffering, out.write_through)


class _ClosedStdout:
    """Stands in for a closed stdout (`quizdl stats >&-`): printing is a clear error."""

    encoding = "utf-8"
    errors = "strict"

    def isatty(self) -> bool:
        return False

    def write(self, text: str) -> int:
        if not text:
            return 0
        exc = OSError(errno.EBADF, "standard output is closed")
        exc.quizdl_stdout = True  # type: ignore[attr-defined]
        raise exc

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        raise io.UnsupportedOperation("standard output is closed")


class _MarkedFile(io.FileIO):
    """fd 1, whose write errors (other than a broken pipe) carry `quizdl_stdout`."""

    def write(self, data) -> int:  # type: ignore[override]
        try:
            return super().write(data)
        except BrokenPipeError:
            raise
        except OSError as exc:
            exc.quizdl_stdout = True  # type: ignore[attr-defined]
            raise


def _marked_output(fd: int, encoding: str, errors: str | None, line_buffering: bool,
                   write_through: bool) -> io.TextIOWrapper:
    """stdout as Python made it (same fd, encoding, buffering), over a _MarkedFile."""
    raw = _MarkedFile(fd, "w", closefd=False)
    return io.TextIOWrapper(io.BufferedWriter(raw), encoding=encoding, errors=errors,
                            line_buffering=line_buffering, write_through=write_through)


def _is_output_encoding(exc: UnicodeEncodeError) -> bool:
    """Whether the failed encoding is the output's (a non-UTF-8 terminal), not some other."""
    names = {getattr(stream, "encoding", None) for stream in (sys.stdout, sys.__stdout__)}
    import codecs

    try:
        return codecs.lookup(exc.encoding).name in {codecs.lookup(n).name for n in names if n}
    except LookupError:
        return False


def _silence_stdout() -> None:
    """What is still buffered goes nowhere, quietly (no second error at interpreter exit)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _print_plain_error(message: str, zh: str | None = None) -> None:
    """`error: …` on stderr without rich (the output's own trouble may be what failed)."""
    try:
        if zh is not None and interface_language(sys.argv[1:]) == "zh":
            sys.stderr.write(f"{ERROR_ZH}{zh}\n")
        else:
            sys.stderr.write(f"error: {message}\n")
        sys.stderr.flush()
    except (OSError, ValueError, AttributeError):
        pass


ERROR_ZH = "错误："


def interface_language(args: list[str]) -> str:
    """zh or en, for an error's text: `--lang X` among the command's arguments, else the
    `language:` line of config.yaml, read as plain text. No YAML parser and no validation on
    purpose: this runs when something already failed (possibly the config itself, which must
    still get its own error printed), so it must be cheap and unable to fail."""
    for i, arg in enumerate(args):
        if arg == "--":
            break
        given = args[i + 1] if arg == "--lang" and i + 1 < len(args) else arg[7:] if arg.startswith("--lang=") else None
        if given is not None and given.strip().lower() in ("en", "zh", "both"):
            return _ui(given)  # a wrong --lang is itself the error: the setting decides its language
    try:
        from quizdl import paths

        with open(paths.config_path(), "rb") as f:
            text = f.read(_CONFIG_READ_LIMIT).decode("utf-8", errors="replace")
    except Exception:  # no config (the usual case), unreadable, no home: the default, both
        return "en"
    match = _LANGUAGE_LINE.search(text)
    return _ui(match.group(1)) if match else "en"


_CONFIG_READ_LIMIT = 64 * 1024  # a settings file is a few hundred bytes; never read a huge one whole


def _ui(language: str) -> str:
    return "zh" if language.strip().lower() == "zh" else "en"


# A top-level `language: zh` line (quoted or not, a comment after it allowed).
_LANGUAGE_LINE = re.compile(r"""^language[ \t]*:[ \t]*["']?([A-Za-z]+)["']?[ \t]*(?:#.*)?$""", re.MULTILINE)


def print_error(exc: QuizdlError, args: list[str] | None = None) -> None:
    """`error: <message>` in red on stderr; `错误：<zh message>` when the interface is zh and the
    error has a zh text. `args`: the command's arguments, for its --lang."""
    from rich.console import Console
    from rich.markup import escape

    ui = interface_language(sys.argv[1:] if args is None else args)
    head = f"[bold red]{ERROR_ZH}[/]" if ui == "zh" and exc.zh else "[bold red]error:[/] "
    Console(stderr=True).print(head + escape(exc.text(ui)), highlight=False, soft_wrap=True)


def print_internal_error(exc: BaseException) -> None:
    """One line for a bug in quizdl itself, instead of a traceback."""
    from rich.console import Console
    from rich.markup import escape

    if interface_language(sys.argv[1:]) == "zh":
        line = (f"[bold red]内部错误：[/]{escape(type(exc).__name__)}: {escape(str(exc))} — 这是 quizdl 的 bug；"
                "请用 QUIZDL_DEBUG=1 重新运行以查看详情，并报告它")
    else:
        line = (f"[bold red]internal error:[/] {escape(type(exc).__name__)}: {escape(str(exc))} — this is a "
                "quizdl bug; rerun with QUIZDL_DEBUG=1 for details and please report it")
    Console(stderr=True).print(line, highlight=False, soft_wrap=True)
