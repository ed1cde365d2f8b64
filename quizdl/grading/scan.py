"""Static check of a submission before it runs: syntax, forbidden APIs and blocked imports.

Catches names and attribute chains rooted in an import (``F.batch_norm`` with
``import torch.nn.functional as F``, ``torch.nn.modules.batchnorm.BatchNorm1d``), ``from ... import``
of a forbidden name, and string constants naming one (``getattr(F, "batch_norm")``,
``importlib.import_module("torch")``). What slips through (computed strings) meets the runtime
tripwires in the sandbox.
"""

from __future__ import annotations

import ast
import threading
from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}:{self.col}: {self.message}"


@dataclass(frozen=True)
class SyntaxProblem:
    line: int
    col: int
    message: str
    text: str = ""

    def __str__(self) -> str:
        if not self.line:  # not a located syntax error: code Python cannot parse at all
            return f"cannot parse the code: {self.message}"
        where = f"line {self.line}:{self.col}"
        code = f"\n    {self.text.rstrip()}" if self.text.strip() else ""
        return f"syntax error at {where}: {self.message}{code}"


# CPython 3.11's AST builder keeps its recursion depth in interpreter-wide state (gh-106905):
# two threads parsing at once can fail with "SystemError: AST constructor recursion depth
# mismatch" (grades run in threads, e.g. the test suite's pool). One parse at a time here; and
# since parses this lock cannot see also exist (3.11's traceback module parses a line to place
# its carets), a parse that failed only by that race is simply done again.
_PARSE_LOCK = threading.Lock()
_RACE_RETRIES = 5


def parse_ast(source: str, filename: str = "<unknown>", mode: str = "exec") -> ast.AST:
    """ast.parse, one at a time, retried when another thread's parse corrupted the builder's
    shared depth counter (the source itself was fine)."""
    for attempt in range(_RACE_RETRIES + 1):
        try:
            with _PARSE_LOCK:
                return ast.parse(source, filename=filename, mode=mode)
        except SystemError as exc:
            if "recursion depth mismatch" not in str(exc) or attempt == _RACE_RETRIES:
                raise
    raise AssertionError("unreachable")


def parse(source: str, filename: str = "submission.py") -> ast.Module | SyntaxProblem:
    try:
        return parse_ast(source, filename=filename)
    except SyntaxError as exc:
        return SyntaxProblem(exc.lineno or 0, exc.offset or 0, exc.msg, exc.text or "")
    except ValueError as exc:  # e.g. null bytes
        return SyntaxProblem(0, 0, str(exc))
    except (RecursionError, MemoryError):  # e.g. 100k chained `1+1+…`: the parser's stack overflows
        return SyntaxProblem(0, 0, "it is nested too deeply for Python (an expression or block "
                             "thousands of levels deep); split it into smaller statements")


def _chain(node: ast.AST) -> list[str] | None:
    """`a.b.c` as ["a", "b", "c"], or None when the root is not a plain name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return parts[::-1]
    return None


def scan(
    tree: ast.Module,
    forbidden: list[str],
    blocked_imports: list[str],
    own_names: list[str] = (),
) -> list[Finding]:
    """Every use of a forbidden API or blocked module, in source order."""
    forbidden_set = set(forbidden)
    last_names = {name.rsplit(".", 1)[-1]: name for name in forbidden}
    roots = {name.split(".")[0] for name in forbidden}
    blocked = set(blocked_imports)
    string_names = {n for n in last_names if n not in set(own_names)} | forbidden_set
    aliases: dict[str, str] = {}  # local name -> dotted module/attribute path
    findings: list[Finding] = []

    def flag(node: ast.AST, message: str) -> None:
        findings.append(Finding(getattr(node, "lineno", 0), getattr(node, "col_offset", 0), message))

    def check_dotted(node: ast.AST, dotted: str) -> None:
        top = dotted.split(".")[0]
        if top in blocked:
            flag(node, f"uses {top}, which this drill does not allow")
        elif dotted in forbidden_set or (top in roots and dotted.rsplit(".", 1)[-1] in last_names):
            api = dotted if dotted in forbidden_set else last_names[dotted.rsplit(".", 1)[-1]]
            flag(node, f"uses the forbidden API {api}" + ("" if dotted == api else f" (as {dotted})"))

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in blocked:
                    flag(node, f"imports {alias.name}, which this drill does not allow")
                if alias.asname:
                    aliases[alias.asname] = alias.name
                else:
                    aliases[top] = top
                if top not in blocked:
                    check_dotted(node, alias.name)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            top = node.module.split(".")[0]
            if top in blocked:
                flag(node, f"imports from {node.module}, which this drill does not allow")
                continue
            for alias in node.names:
                dotted = f"{node.module}.{alias.name}"
                aliases[alias.asname or alias.name] = dotted
                check_dotted(node, dotted)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            parts = _chain(node)
            if parts and parts[0] in aliases:
                check_dotted(node, ".".join([aliases[parts[0]], *parts[1:]]))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value.strip()
            if text in string_names:
                flag(node, f"names the forbidden API {last_names.get(text, text)} in a string")
            elif text.split(".")[0] in blocked and text.replace(".", "").replace("_", "").isalnum():
                flag(node, f"names {text}, which this drill does not allow")
    # One finding per message (the first in the file): `torch.x` on ten lines is one problem.
    unique: dict[str, Finding] = {}
    for f in sorted(findings, key=lambda f: (f.line, f.col)):
        unique.setdefault(f.message, f)
    return list(unique.values())
