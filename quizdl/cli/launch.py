"""Console entry point (`quizdl`, `python -m quizdl`).

`quizdl grade FILE [--drill ID] [--json] [--verbose]`, the command run after every attempt, is
mostly two imports of numpy (the sandbox child's and the grader's), so it takes a short path:
the sandbox child is started first of all (grading/warm.py), and the CLI framework is skipped
(typer's import and command tree would cost about a fifth of a passing numpy grade). Anything
this small parser does not fully understand (--help, an unknown, repeated or combined option, a
missing value) goes to the typer app, which owns help and usage errors; both ways run the same
`quizdl.cli.grade.run`. Imports here stay minimal: they delay the child.
"""

from __future__ import annotations

import sys


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["grade"]:
        parsed = parse_grade_args(args[1:])
        if parsed is not None:
            from quizdl.cli.guard import reserve_std_fds

            reserve_std_fds()  # a closed fd 0/1/2 must not become the grader child's pipe
            from quizdl.grading import warm

            warm.start_early()
            from pathlib import Path

            from quizdl.cli.grade import run

            file, drill_id, json_out, verbose = parsed
            from quizdl.cli.guard import run_guarded

            run_guarded(lambda: run(Path(file), drill_id, json_out, verbose))
    from quizdl.cli.app import main as cli_main

    cli_main()


def parse_grade_args(tokens: list[str]) -> tuple[str, str | None, bool, bool] | None:
    """(file, drill id, --json, --verbose) for the plain forms of `quizdl grade`, else None."""
    file: str | None = None
    drill_id: str | None = None
    flags: set[str] = set()
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token in ("--drill", "-d") or token.startswith("--drill="):
            if drill_id is not None:
                return None
            if "=" in token:
                drill_id = token.split("=", 1)[1]
            elif i + 1 < len(tokens):
                i += 1
                drill_id = tokens[i]
            else:
                return None
            if not drill_id or drill_id.startswith("-"):
                return None
        elif token in ("--json", "--verbose", "-v"):
            name = "--verbose" if token == "-v" else token
            if name in flags:
                return None
            flags.add(name)
        elif token.startswith("-") or not token or file is not None:
            return None  # --help, an unknown or combined option, `--`, a second file
        else:
            file = token
        i += 1
    if file is None:
        return None
    return file, drill_id, "--json" in flags, "--verbose" in flags
