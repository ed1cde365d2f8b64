"""Errors follow the interface language (issue #13 item 27): with `language: zh` (or --lang zh)
the common errors and the guard's own messages are printed in Chinese after `错误：`; with en or
both, in English after `error: `. One mechanism: QuizdlError's zh text, chosen by the guard."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import zipfile

import pytest
from typer.testing import CliRunner

from quizdl import paths
from quizdl.cli import guard
from quizdl.cli.app import app
from quizdl.errors import QuizdlError
from tests.conftest import SAMPLE_DECKS

runner = CliRunner()


def _set_language(home, language: str | None) -> None:
    home.mkdir(parents=True, exist_ok=True)
    if language is not None:
        (home / "config.yaml").write_text(f"language: {language}\n", encoding="utf-8")


def _has_cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# (arguments, what sets it up, the English needle, the Chinese needle)
def _no_db(home):
    pass


def _corrupt_db(home):
    (home / "progress.sqlite3").write_bytes(b"this is not a database, it is text" * 100)


def _not_a_zip(home):
    (home.parent / "notes.zip").write_text("not a zip", encoding="utf-8")


def _a_folder(home):
    (home / "d").mkdir()


def _db_is_a_folder(home):
    (home / "progress.sqlite3").mkdir()


def _notebooks(home):
    (home / "a.ipynb").write_text("not json", encoding="utf-8")
    (home / "b.ipynb").write_text('{"cells": 3}', encoding="utf-8")
    (home / "c.ipynb").write_text('{"cells": [{"cell_type": "markdown", "source": "x"}]}', encoding="utf-8")


def _unmatched_solution(home):
    (home / "zzz.py").write_text("x = 1\n", encoding="utf-8")


def _huge_solution(home):
    (home / "big.py").write_text("#" * (600 * 1024), encoding="utf-8")


CASES = {
    "unknown card id": (["cards", "show", "norm-rmsnorm-epz"], _no_db, "unknown card id 'norm-rmsnorm-epz' — did you mean",
                        "未知卡片 id 'norm-rmsnorm-epz' — 是不是"),
    "unknown drill id": (["drill", "start", "lr-stpe"], _no_db, "unknown drill 'lr-stpe' — did you mean",
                         "未知练习 'lr-stpe' — 是不是"),
    "unknown topic": (["study", "--cards", str(SAMPLE_DECKS), "-t", "sampel"], _no_db,
                      "unknown topic 'sampel': not a deck id or tag — did you mean sample", "未知主题 'sampel'"),
    "grade: no such file": (["grade", "no-such-file.py"], _no_db, "no such file: no-such-file.py",
                            "没有这个文件：no-such-file.py"),
    "config set: bad value": (["config", "set", "new_per_day", "lots"], _no_db, "new_per_day must be a whole number",
                              "new_per_day 的值 'lots' 无效"),
    "corrupt database": (["stats"], _corrupt_db, "is unreadable or corrupt", "无法读取或已损坏"),
    "optimize: too few reviews": (["optimize"], _no_db, "optimizing needs at least", "优化至少需要"),
    "unbury: neither id nor --all": (["cards", "unbury"], _no_db, "give a card id or --all (not both)",
                                     "请给出一个卡片 id 或 --all"),
    "interview: --json alone": (["interview", "--json"], _no_db, "--json goes with --history", "--json 要和 --history 一起用"),
    "bad --lang": (["study", "--lang", "fr"], _no_db, "--lang must be one of en, zh, both, not 'fr'",
                   "--lang 只能是 en, zh, both 之一，而不是 'fr'"),
    "grade: --watch with --json": (["grade", "x.py", "--watch", "--json"], _no_db, "--watch and --json do not go together",
                             "--watch 和 --json 不能一起用"),
    "restore: no such file": (["restore", "nope.zip"], _no_db, "no backup file nope.zip", "没有备份文件 nope.zip"),
    "restore: not a zip": (["restore", "../notes.zip"], _not_a_zip, "is not a quizdl backup (not a zip archive)",
                           "不是 quizdl 备份（不是 zip 压缩包）"),
    "cards list: bad --type": (["cards", "list", "--type", "essay"], _no_db,
                               "--type must be one of basic, choice, numeric, term, not 'essay'",
                               "--type 只能是 basic, choice, numeric, term 之一，而不是 'essay'"),
    "cards list: bad --state": (["cards", "list", "--state", "lost"], _no_db, "--state must be one of new,",
                                "--state 只能是 new, learning, review, suspended, buried 之一，而不是 'lost'"),
    "cards list: bad --due": (["cards", "list", "--due", "never"], _no_db, "--due must be one of now, today, not 'never'",
                              "--due 只能是 now, today 之一，而不是 'never'"),
    "cards search: no text": (["cards", "search", " "], _no_db, "search for what? give some text",
                              "要搜索什么？请给出一些文字，例如 `quizdl cards search dropout`"),
    "config get: unknown setting": (["config", "get", "nope"], _no_db, "unknown setting 'nope'; settings:",
                                    "未知设置 'nope'；可用的设置："),
    "config unset: unknown setting": (["config", "unset", "nope"], _no_db, "unknown setting 'nope'; settings:",
                                      "未知设置 'nope'；可用的设置："),
    "backup: a folder": (["backup", "d"], _a_folder, "d is a directory; give a file name such as quizdl-backup.zip",
                         "d 是目录；请给出文件名，例如 quizdl-backup.zip"),
    "export csv: cannot write": (["export", "csv", "d"], _a_folder, "cannot write d: ", "无法写入 d："),
    "database is a folder": (["stats"], _db_is_a_folder, "progress.sqlite3 is a directory, not a file",
                             "progress.sqlite3 是目录，而不是文件"),
    "grade: notebook not JSON": (["grade", "a.ipynb"], _notebooks, "a.ipynb is not a readable notebook (not nbformat JSON",
                                 "a.ipynb 不是可读的 notebook（不是 nbformat JSON"),
    "grade: notebook without cells": (["grade", "b.ipynb"], _notebooks, "b.ipynb is not a Jupyter notebook (no list of cells)",
                                      "b.ipynb 不是 Jupyter notebook（没有单元格列表）"),
    "grade: notebook without code": (["grade", "c.ipynb"], _notebooks, "c.ipynb has no code cells", "c.ipynb 没有代码单元格"),
    "grade: no drill matches": (["grade", "zzz.py"], _unmatched_solution,
                                "zzz.py has no '# quizdl drill: ID' first line, and neither its name",
                                "zzz.py 的第一行不是 '# quizdl drill: ID'，它的文件名和定义也都对不上任何练习"),
    "grade: file too large": (["grade", "big.py"], _huge_solution, "big.py is larger than 512 KB",
                              "big.py 超过 512 KB；它真的是一份解答吗？"),
}


@pytest.mark.parametrize("language", ["zh", "en", "both", None])
@pytest.mark.parametrize("case", sorted(CASES))
def test_common_errors_follow_the_configured_language(case, language, quizdl_home, monkeypatch):
    args, setup, en, zh = CASES[case]
    _set_language(quizdl_home, language)
    setup(quizdl_home)
    monkeypatch.chdir(quizdl_home)
    result = runner.invoke(app, args)
    assert result.exit_code != 0 and "Traceback" not in result.output, result.output
    if language == "zh":
        assert result.output.startswith("错误："), result.output
        assert zh in result.output and "error:" not in result.output, result.output
    else:
        assert result.output.startswith("error: "), result.output
        assert en in result.output and not _has_cjk(result.output), result.output


def test_restore_over_progress_is_refused_in_chinese(quizdl_home, tmp_path, monkeypatch):
    from quizdl.backup import backup

    _set_language(quizdl_home, "zh")
    first = runner.invoke(app, ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en"], input="\n\n")
    assert first.exit_code == 0, first.output  # one answer stored: the data dir holds progress
    backup(tmp_path / "b.zip", quizdl_home)
    refused = runner.invoke(app, ["restore", str(tmp_path / "b.zip")])
    assert refused.exit_code == 2 and refused.output.startswith("错误：") and "里已有学习进度" in refused.output
    (quizdl_home / "config.yaml").write_text("language: both\n", encoding="utf-8")
    refused = runner.invoke(app, ["restore", str(tmp_path / "b.zip")])
    assert refused.output.startswith("error: ") and "already holds progress" in refused.output


def test_a_damaged_backup_is_refused_in_chinese(quizdl_home, tmp_path):
    _set_language(quizdl_home, "zh")
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("hello.txt", "hi")
    result = runner.invoke(app, ["restore", str(tmp_path / "other.zip")])
    assert result.output.startswith("错误：") and "没有 manifest.json" in result.output


def test_lang_option_overrides_the_configured_language(quizdl_home):
    _set_language(quizdl_home, "zh")
    en = runner.invoke(app, ["study", "--cards", str(SAMPLE_DECKS), "-t", "sampel", "--lang", "en"])
    assert en.output.startswith("error: unknown topic"), en.output
    _set_language(quizdl_home, "en")
    zh = runner.invoke(app, ["grade", "missing.py", "--lang=zh"])
    assert zh.output.startswith("错误：没有这个文件"), zh.output


def test_config_problems_lead_with_a_chinese_line_and_keep_every_problem(quizdl_home):
    quizdl_home.mkdir(parents=True)
    (quizdl_home / "config.yaml").write_text("language: zh\nnew_per_day: -3\nday_starts_at: 30\n", encoding="utf-8")
    result = runner.invoke(app, ["stats"])
    lines = result.output.splitlines()
    assert result.exit_code == 2 and lines[0].startswith("错误：配置文件 ") and lines[0].endswith("有 2 处问题：")
    assert any(":new_per_day:" in line for line in lines) and any(":day_starts_at:" in line for line in lines)
    assert "用 `quizdl config set KEY VALUE`" in lines[-1]
    (quizdl_home / "config.yaml").write_text("language: both\nnew_per_day: -3\n", encoding="utf-8")
    result = runner.invoke(app, ["stats"])
    assert result.output.startswith("error: ") and not _has_cjk(result.output)


def test_a_config_that_cannot_be_parsed_still_gets_its_own_error(quizdl_home):
    quizdl_home.mkdir(parents=True)
    (quizdl_home / "config.yaml").write_text("language: zh\nnew_per_day: [1, 2\n", encoding="utf-8")
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 2 and result.output.startswith("错误：无法读取配置文件"), result.output
    (quizdl_home / "config.yaml").write_bytes(b"\xff\xfe garbage \x00\x01")
    result = runner.invoke(app, ["stats"])
    assert result.exit_code == 2 and result.output.startswith("error: cannot read config file"), result.output


@pytest.mark.parametrize(("text", "ui"), [
    ("language: zh\n", "zh"), ("language: 'zh'  # Chinese\n", "zh"), ('new_per_day: 5\nlanguage: "zh"\n', "zh"),
    ("language: both\n", "en"), ("language: en\n", "en"), ("other:\n  language: zh\n", "en"), ("", "en"),
])
def test_the_interface_language_is_read_from_the_config_text(text, ui, quizdl_home):
    quizdl_home.mkdir(parents=True)
    (quizdl_home / "config.yaml").write_text(text, encoding="utf-8")
    assert guard.interface_language([]) == ui
    assert guard.interface_language(["--lang", "en"]) == "en" and guard.interface_language(["--lang=ZH"]) == "zh"
    assert guard.interface_language(["--lang", "fr"]) == ui  # a wrong --lang: the setting decides


def test_no_config_or_a_data_dir_that_is_a_file_means_english(quizdl_home):
    assert guard.interface_language([]) == "en"
    quizdl_home.parent.mkdir(parents=True, exist_ok=True)
    quizdl_home.write_text("a file, not a folder", encoding="utf-8")
    assert guard.interface_language([]) == "en"


@pytest.mark.parametrize(("message", "en", "zh"), [
    ("database is locked", "is locked by another quizdl process", "正被另一个 quizdl 进程锁定"),
    ("database or disk is full", "disk full: cannot write to", "磁盘已满"),
    ("file is not a database", "is unreadable or corrupt", "无法读取或已损坏"),
])
def test_database_errors_have_chinese_texts(message, en, zh, tmp_path):
    from quizdl.store import Store

    with Store.open(tmp_path / "p.sqlite3") as store:
        exc = store._user_error(sqlite3.OperationalError(message))
    assert isinstance(exc, QuizdlError)
    assert en in exc.text("en") and zh in exc.text("zh") and exc.text("en") == exc.message


def test_an_error_without_a_zh_text_stays_english_under_the_english_prefix(quizdl_home, capsys):
    _set_language(quizdl_home, "zh")
    guard.print_error(QuizdlError("something only said in English"), [])
    assert capsys.readouterr().err.startswith("error: something only said in English")


def test_internal_error_line_in_chinese(quizdl_home, capsys, monkeypatch):
    monkeypatch.setattr(sys, "argv", ["quizdl", "stats"])
    _set_language(quizdl_home, "zh")
    guard.print_internal_error(ValueError("boom"))
    err = capsys.readouterr().err
    assert err.startswith("内部错误：ValueError: boom") and "QUIZDL_DEBUG=1" in err
    _set_language(quizdl_home, "en")
    guard.print_internal_error(ValueError("boom"))
    assert capsys.readouterr().err.startswith("internal error: ValueError: boom")


# The guard's own messages, in a real process (they happen before or around the command).
def _quizdl(home, *args: str, shell_suffix: str = "", **env: str) -> subprocess.CompletedProcess:
    environ = dict(os.environ, QUIZDL_HOME=str(home), NO_COLOR="1", PYTHONPATH=str(paths.package_dir().parent), **env)
    command = " ".join([sys.executable, "-m", "quizdl", *args]) + shell_suffix
    return subprocess.run(["sh", "-c", command], env=environ, capture_output=True, text=True, timeout=60)


@pytest.mark.parametrize("language", ["zh", "both"])
def test_guard_messages_follow_the_language(language, quizdl_home):
    _set_language(quizdl_home, language)
    narrow = _quizdl(quizdl_home, "stats", COLUMNS="30")
    closed = _quizdl(quizdl_home, "study", "--cards", str(SAMPLE_DECKS), "-t", "sample", shell_suffix=" <&-")
    full = _quizdl(quizdl_home, "topics", shell_suffix=" > /dev/full")
    if language == "zh":
        assert narrow.stderr.startswith("错误：终端太窄（30 列）；quizdl 至少需要 40 列"), narrow.stderr
        assert closed.stderr.startswith("错误：标准输入已关闭"), closed.stderr
        assert full.stderr.startswith("错误：无法写出输出（磁盘已满"), full.stderr
    else:
        assert narrow.stderr.startswith("error: the terminal is too narrow (30 columns)"), narrow.stderr
        assert closed.stderr.startswith("error: standard input is closed"), closed.stderr
        assert full.stderr.startswith("error: cannot write the output (disk full"), full.stderr
    assert (narrow.returncode, closed.returncode, full.returncode) == (2, 2, guard.OUTPUT_ERROR_EXIT)


def test_problem_lists_and_submission_sizes_have_chinese_texts():
    from quizdl.cards import DeckError, Problem
    from quizdl.drills import DrillProblems
    from quizdl.grading import engine

    deck = DeckError([Problem("d.yaml", 3, "c1", "no front")])
    assert deck.text("en").startswith("1 problem in card decks:") and deck.text("zh").startswith("卡组中有 1 处问题：")
    assert deck.text("zh").splitlines()[1:] == deck.text("en").splitlines()[1:]
    drills = DrillProblems(["x: y: bad"], hint=("run `quizdl drill check` for details", "详情请运行 `quizdl drill check`"))
    assert drills.problems == ["x: y: bad", "run `quizdl drill check` for details"]
    assert drills.text("zh") == "x: y: bad\n详情请运行 `quizdl drill check`"
    with pytest.raises(QuizdlError) as info:
        engine.check_submission_size("#" * (engine.MAX_SOURCE_BYTES + 1), "the code cells of n.ipynb", "n.ipynb 的代码单元格")
    assert info.value.text("en").startswith("the code cells of n.ipynb are larger than")
    assert info.value.text("zh").startswith("n.ipynb 的代码单元格超过")
