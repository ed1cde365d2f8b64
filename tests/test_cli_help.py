"""Help texts: every example in every command's help runs (no usage error, no traceback), metavars
are conventional (TOPIC, N, FILE, ID; none on flags) and paragraphs are not broken mid-sentence."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import pytest
import typer.main
from typer.testing import CliRunner

from quizdl import __version__
from quizdl.cli.app import app

runner = CliRunner()
REPO = Path(__file__).resolve().parent.parent


def _commands():
    """(path, click command) for every command and group, the root included."""
    def walk(command, path):
        yield path, command
        for name, sub in sorted(getattr(command, "commands", {}).items()):
            yield from walk(sub, [*path, name])

    return list(walk(typer.main.get_command(app), []))


COMMANDS = _commands()


def _examples(help_text: str) -> list[str]:
    """The commands in a help text's `Example:` paragraph (each in [bold]…[/])."""
    out = []
    for paragraph in help_text.split("\n\n"):
        _, sep, tail = paragraph.partition("Example")
        if sep:
            out += re.findall(r"\[bold\](quizdl [^\[]+)\[/\]", tail)
    return out


EXAMPLES = [(" ".join(path), ex) for path, command in COMMANDS for ex in _examples(command.help or "")]


def test_examples_were_found_for_every_command():
    with_examples = {path for path, _ in EXAMPLES}
    leaves = {" ".join(p) for p, c in COMMANDS if p and not hasattr(c, "commands")}
    missing = leaves - with_examples - {"config path"}
    assert not missing, f"commands without an Example: {sorted(missing)}"
    assert len(EXAMPLES) >= 30


@pytest.fixture
def example_world(tmp_path, monkeypatch, quizdl_home):
    """A home dir holding what the examples name: ~/my-decks and a drill of the user's own; an
    empty working directory."""
    home = tmp_path / "user"
    (home / "my-decks").mkdir(parents=True)
    shutil.copy(REPO / "tests" / "data" / "decks" / "sample.yaml", home / "my-decks" / "sample.yaml")
    mine = home / ".local" / "share" / "quizdl" / "drills" / "my-drill"
    shutil.copytree(REPO / "drills" / "softmax-ce", mine)
    for file in mine.iterdir():
        file.write_text(file.read_text(encoding="utf-8").replace("softmax-ce", "my-drill"), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.setenv("HOME", str(home))
    return home


def _solutions() -> None:
    """bn.py and mine.py for the grade examples (the drill examples write their own)."""
    for name, drill in (("bn.py", "bn"), ("mine.py", "softmax-ce")):
        Path(name).write_text((REPO / "drills" / drill / "starter.py").read_text(encoding="utf-8"), encoding="utf-8")


@pytest.mark.parametrize(("command", "example"), EXAMPLES, ids=[e for _, e in EXAMPLES])
def test_every_help_example_runs(command, example, example_world, quizdl_home):
    import datetime

    line = example.split("|", 1)[0]  # `quizdl stats --json | jq …`: quizdl's part
    line = line.replace("$(date +%F)", datetime.date.today().isoformat())  # what the shell would do
    args = [str(example_world) + a[1:] if a.startswith("~/") else a for a in shlex.split(line)[1:]]
    if args[0] == "grade":
        _solutions()
    if args[0] == "restore":  # restores what a backup wrote, into a fresh data dir
        assert runner.invoke(app, ["backup", args[1]]).exit_code == 0
        shutil.rmtree(quizdl_home, ignore_errors=True)
    if "--watch" in args:  # a watch ends on q, read from a terminal only
        _run_on_a_pty(args)
        return
    result = runner.invoke(app, args, input="q\n")
    out = result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), (example, repr(result.exception), out)
    assert "Traceback" not in out and "internal error" not in out, (example, out)
    for usage in ("Usage:", "No such option", "Missing argument", "Invalid value", "unknown card id", "unknown drill"):
        assert usage not in out, (example, out)
    assert result.exit_code in (0, 1), (example, result.exit_code, out)


def _run_on_a_pty(args: list[str]) -> None:
    import os
    import sys

    import pexpect

    env = dict(os.environ, NO_COLOR="1", COLUMNS="100", LINES="60", TERM="xterm", PYTHONPATH=str(REPO))
    child = pexpect.spawn(sys.executable, ["-m", "quizdl", *args], env=env, encoding="utf-8", timeout=90,
                          dimensions=(60, 100))
    try:
        child.expect("watching for saves")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    out = child.before or ""
    assert "Traceback" not in out and "Usage:" not in out, out
    assert child.exitstatus in (0, 1), (args, child.exitstatus, out)


@pytest.mark.parametrize("path", [p for p, _ in COMMANDS], ids=[" ".join(p) or "quizdl" for p, _ in COMMANDS])
def test_help_metavars_are_conventional(path):
    result = runner.invoke(app, [*path, "--help"], env={"COLUMNS": "100"})
    assert result.exit_code == 0, result.output
    out = result.output
    for pythonic in ("<bool>", "<str>", "<int", "<list[", "<path>", "<float", "{file}", "[x>=", "[paths]"):
        assert pythonic not in out, (path, pythonic, out)
    assert re.search(r"--help\s+Show this message", out), "flags carry no metavar"
    assert "Usage:" in out


def test_study_help_names_values_the_usual_way():
    out = runner.invoke(app, ["study", "--help"], env={"COLUMNS": "100"}).output
    assert re.search(r"--topic\s+-t\s+TOPIC", out)
    assert re.search(r"--new\s+N\b", out) and re.search(r"--cards\s+DIR", out)
    grade = runner.invoke(app, ["grade", "--help"], env={"COLUMNS": "100"}).output
    assert re.search(r"grade \[OPTIONS\] FILE\s*$", grade, re.M)
    assert re.search(r"--drill\s+-d\s+ID", grade) and re.search(r"--json\s+Print", grade)


def test_help_paragraphs_are_not_broken_mid_sentence():
    """At 160 columns, a paragraph of the docstring is one line: its source line breaks are gone."""
    out = runner.invoke(app, ["study", "--help"], env={"COLUMNS": "160"}).output
    line = next(x for x in out.splitlines() if "Keys: space/enter" in x)
    assert "u undoes the last answer" in line  # it followed a line break in the docstring
    top = runner.invoke(app, [], env={"COLUMNS": "120"}).output
    doctor = [x for x in top.splitlines() if "doctor" in x][0]
    assert "isolation layers (Landlock" in doctor


def test_quizdl_alone_prints_help_and_succeeds():
    result = runner.invoke(app, [])
    assert result.exit_code == 0
    assert "Commands" in result.output and "study" in result.output and "cards" in result.output


def test_version():
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0 and result.output.strip() == f"quizdl {__version__}"


def test_card_show_example_names_a_real_card():
    from quizdl.cards import load_library

    (show,) = [ex for path, ex in EXAMPLES if path == "cards show"]
    assert show.split()[-1] in load_library().cards


def test_readme_commands_section_lists_every_command_and_option():
    """README's Commands table has a row for every command, naming each of its options (the
    shared --cards and --lang are described once above the table)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Commands", 1)[1].split("\n## ", 1)[0]
    assert "`--cards DIR`" in section and "`--lang en|zh|both`" in section and "--version" in section
    table = [line for line in section.splitlines() if line.startswith("| `quizdl")]
    for path, command in COMMANDS:
        if not path or hasattr(command, "commands"):
            continue
        name = " ".join(path)
        if path == ["drill", "start"]:
            rows = [r for r in table if "`quizdl drill ID" in r]
        else:
            rows = [r for r in table if re.search(rf"(quizdl |`){re.escape(name)}[ `]", r.split("|")[1])]
        assert rows, f"no README row for quizdl {name}"
        for param in command.params:
            names = [o for o in (*param.opts, *param.secondary_opts) if o.startswith("-")]
            if not names or "--help" in names or set(names) & {"--cards", "--lang"}:
                continue
            assert any(re.search(re.escape(o) + r"(?![\w-])", r) for o in names for r in rows), (name, names)
