"""The study screen's string table (issue #13 item 27)."""

from __future__ import annotations

import string

import pytest

from quizdl.cli import i18n


@pytest.mark.parametrize("key", sorted(i18n.STRINGS))
def test_every_string_has_both_languages_with_the_same_fields(key):
    entry = i18n.STRINGS[key]
    assert set(entry) == {"en", "zh"}
    fields = {lang: {f for _, f, _, _ in string.Formatter().parse(text) if f} for lang, text in entry.items()}
    assert fields["en"] == fields["zh"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in entry["zh"]) or entry["zh"] == entry["en"]


def test_ui_language_follows_the_card_language():
    assert [i18n.ui_language(lang) for lang in ("en", "zh", "both")] == ["en", "zh", "en"]


@pytest.mark.parametrize(("short", "zh"), [("45s", "45秒"), ("10m", "10分钟"), ("3h", "3小时"), ("4d", "4天"),
                                          ("2.1mo", "2.1个月"), ("1.3y", "1.3年")])
def test_intervals_in_chinese(short, zh):
    assert i18n.interval("zh", short) == zh and i18n.interval("en", short) == short


def test_nothing_to_study_in_chinese(quizdl_home):
    from typer.testing import CliRunner

    from quizdl.cli.app import app
    from tests.conftest import SAMPLE_DECKS

    result = CliRunner().invoke(app, ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "zh",
                                      "--new", "0"])
    assert result.exit_code == 0, result.output
    assert "现在没有要学的卡片" in result.output and "还没有安排任何卡片。" in result.output


def _lr_step_file(tmp_path):
    from quizdl import paths

    file = tmp_path / "lr_step.py"
    file.write_text((paths.builtin_dir("drills") / "lr-step" / "starter.py").read_text(encoding="utf-8"), encoding="utf-8")
    return file


@pytest.mark.parametrize("language", ["zh", "en", "both"])
def test_the_watch_screen_follows_the_language_setting(language, quizdl_home, tmp_path):
    import io
    import time

    from rich.console import Console

    from quizdl.cli.watch_screen import WatchScreen

    quizdl_home.mkdir(parents=True)
    (quizdl_home / "config.yaml").write_text(f"language: {language}\n", encoding="utf-8")
    out = io.StringIO()
    screen = WatchScreen(_lr_step_file(tmp_path), "lr-step", Console(file=out, width=80), stream=io.StringIO(),
                         deadline=time.monotonic() + 90)
    try:
        status = screen.status_text()
        screen.on_key("s")  # not passed: the solution stays closed
        screen.watching = False
        once = screen.status_text()
    finally:
        screen.store.close()
    text = out.getvalue()
    if language == "zh":
        assert status.startswith("等待保存 · 剩余 01:") and "Ctrl-C 退出（按键需要终端）" in status
        assert "通过后才能看参考答案" in text and "第 0 次" in text
        assert once == "只评测一次：没有可以监视的终端"
        assert "watching" not in status + text and "attempt" not in text
    else:
        assert status.startswith("watching for saves · 01:") and " left · Ctrl-C quit" in status
        assert "the solution opens after a pass" in text and "drill lr-step · attempt 0" in text
        assert once == "graded once: no terminal to watch from"
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in status + text)


def test_the_watch_history_line_in_chinese():
    from datetime import datetime

    from quizdl.cli.watch_screen import Attempt, _history_line

    history = [Attempt(n, "fail", 1, 3, 0.5, datetime(2026, 1, 1, 12)) for n in range(1, 9)]
    assert _history_line(history, ui="zh").startswith("记录：… 更早 2 次 · #3 ")
    assert _history_line(history).startswith("history: … 2 earlier · #3 ")


def _scorecard(passed: bool):
    from quizdl import interview as iv

    drill = iv.DrillScore(drill_id="lr-step", file="lr_step.interview-1.py", passed=passed, grades=2,
                          seconds_to_pass=65.0 if passed else None, hints_used=1, mistakes=["off-by-one"])
    return iv.Scorecard(started_at=0.0, minutes=20, elapsed_s=600.0,
                        topics=[iv.TopicScore("normalization", 2, 1)], drill=drill, filter=[])


@pytest.mark.parametrize("passed", [True, False])
def test_the_scorecard_and_history_in_chinese(passed):
    import io

    from rich.console import Console

    from quizdl.cli import interview_screen

    out = io.StringIO()
    console = Console(file=out, width=80, no_color=True)
    interview_screen.print_scorecard(console, _scorecard(passed), "zh")
    interview_screen.print_history(console, [_scorecard(passed)], "zh")
    interview_screen.print_history(console, [], "zh")
    text = out.getvalue()
    assert "成绩单 · 计划 20 分钟 · 用时 10:00" in text and "概念卡：2/3 答对" in text
    assert "normalization  对 2 · 错 1" in text and "评测 2 次 · 用了 1 条提示" in text
    assert "诊断出的错误：off-by-one" in text and "已保存：quizdl interview --history" in text
    assert ("01:05 内通过" in text) == passed and ("未通过" in text) != passed
    assert ("继续：quizdl grade lr_step.interview-1.py --watch" in text) != passed
    assert "模拟面试" in text and "通过用时" in text and "还没有面试记录" in text
    for english in ("Scorecard", "right", "wrong", "2 grades", "hint used", "Mistakes", "Saved", "date", "No interviews"):
        assert english not in text
    out.truncate(0)
    interview_screen.print_scorecard(console, _scorecard(passed))  # English by default, as before
    assert "Scorecard · 20 min planned" in out.getvalue() and "2 grades · 1 hint used" in out.getvalue()


def test_interview_in_chinese_end_to_end(quizdl_home, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from quizdl.cli.app import app
    from tests.conftest import SAMPLE_DECKS

    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    result = runner.invoke(app, ["interview", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "zh",
                                 "--minutes", "10"], input="q\n")
    assert result.exit_code == 0, result.output
    out = result.output
    assert "模拟面试 · 10 分钟：概念题约 04:00（3 张卡：sample），余下时间做练习 " in out and "q 提前结束当前部分" in out
    assert "面试 · sample · 新卡 · 第 1/3 张 · 剩余 " in out
    assert "编程练习 · " in out and ("（从未通过，未到期）" in out or "（从未通过，已到期）" in out)
    assert "sample 没有练习：从所有主题中选一个" in out
    assert "已写入 " in out and "标准输入不是终端：初始文件评测一次" in out and "只评测一次" in out
    assert "成绩单 · 计划 10 分钟" in out and "概念卡：一张也没答" in out and "未通过 · 评测 1 次" in out
    for english in ("Mock interview", "left", "Coding drill", "Wrote", "Scorecard", "graded once", "card 1/"):
        assert english not in out
    history = runner.invoke(app, ["interview", "--history", "--lang", "zh"])
    assert history.exit_code == 0 and "模拟面试" in history.output and "日期" in history.output


def test_grade_notes_and_the_task_screen_follow_the_language(quizdl_home, tmp_path, monkeypatch):
    """Issue #13 item 27: the grade report's notes (not counted, see the reference) and the task
    screen's labels are Chinese with --lang zh, English otherwise; --json keeps English."""
    import json
    import shutil

    from typer.testing import CliRunner

    from quizdl import paths
    from quizdl.cli.app import app

    runner = CliRunner()
    monkeypatch.chdir(tmp_path)
    solution = tmp_path / "lr_step.py"
    shutil.copy(paths.builtin_dir("drills") / "lr-step" / "reference.py", solution)
    first = runner.invoke(app, ["grade", str(solution), "--drill", "lr-step", "--lang", "zh"])
    assert first.exit_code == 0, first.output
    assert "参考答案：quizdl drill solution lr-step" in first.output and "see the reference" not in first.output
    again = runner.invoke(app, ["grade", str(solution), "--drill", "lr-step", "--lang", "zh"])
    assert "不计入复习：文件自上次评测以来没有改动" in again.output and "not counted" not in again.output
    english = runner.invoke(app, ["grade", str(solution), "--drill", "lr-step", "--lang", "en"])
    assert "not counted: the file is unchanged since its last grade" in english.output
    assert "see the reference: quizdl drill solution lr-step" in english.output
    assert english.output.count("quizdl drill solution lr-step") == 1  # said once
    as_json = runner.invoke(app, ["grade", str(solution), "--drill", "lr-step", "--json", "--lang", "zh"])
    assert json.loads(as_json.output)["status"] == "pass"  # JSON is for scripts: keys and statuses stay as they are

    zh_task = runner.invoke(app, ["drill", "show", "bn", "--lang", "zh"])
    assert zh_task.exit_code == 0, zh_task.output
    assert "不允许使用：" in zh_task.output and "相关卡片：" in zh_task.output and "not allowed:" not in zh_task.output
    en_task = runner.invoke(app, ["drill", "show", "bn", "--lang", "en"])
    assert "not allowed:" in en_task.output and "cards:" in en_task.output


def test_every_note_key_has_both_languages():
    from quizdl.attempts import Note

    note = Note("stuck", "stuck? quizdl drill hint bn", drill="bn")
    assert note == "stuck? quizdl drill hint bn" and i18n.note_text("zh", note) == "卡住了？quizdl drill hint bn"
    assert i18n.note_text("en", note) == "stuck? quizdl drill hint bn"
    for key in [k for k in i18n.STRINGS if k.startswith(("note_", "reason_", "task_", "see_reference"))]:
        assert set(i18n.STRINGS[key]) == {"en", "zh"}
