"""`quizdl interview` on a real terminal (pexpect): a card answered with single keys, the drill
watched with a countdown, a passing save, q, the scorecard."""

from __future__ import annotations

import os
import re
import sys

import pexpect

from quizdl import interview as iv
from quizdl import paths
from quizdl.store import Store
from tests.conftest import SAMPLE_DECKS, choice_key

S = r"(?:\x1b\[[0-9;]*m)*"  # styles (bold, dim) that NO_COLOR keeps


def _styled(*parts: str) -> str:
    """A regex for these parts (regexes themselves) with any styling between them."""
    return S.join(parts)


def test_interview_on_a_terminal_answers_a_card_passes_the_drill_and_quits_with_q(quizdl_home, tmp_path):
    env = dict(os.environ, QUIZDL_HOME=str(quizdl_home), NO_COLOR="1", COLUMNS="100", LINES="50", TERM="xterm")
    env["PYTHONPATH"] = str(paths.package_dir().parent)  # this checkout's quizdl
    args = ["-m", "quizdl", "interview", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en", "--minutes", "10"]
    child = pexpect.spawn(sys.executable, args, env=env, cwd=str(tmp_path), encoding="utf-8", timeout=60,
                          dimensions=(50, 100))
    try:
        child.expect(r"card 1/3 · 10:00 left")
        child.expect("Default momentum of torch.nn.BatchNorm1d")
        child.expect("your choice")
        child.send(choice_key())  # a single key press: the right option (options are shuffled)
        child.expect("✓ correct")
        child.send(" ")  # space = Good
        child.expect("Good → next in")
        child.expect(r"card 2/3 · \d\d:\d\d left")
        child.expect("type a number")
        child.sendline("q")  # ends the concept part
        child.expect("Coding drill")
        child.expect(r"\.interview-1\.py")
        [file] = tmp_path.glob("*.interview-1.py")
        drill_id = file.read_text(encoding="utf-8").splitlines()[0].removeprefix("# quizdl drill:").strip()
        child.expect(r"watching for saves · \d\d:\d\d left · h next hint")
        child.expect(r"\x1b\[1A\r\x1b\[2K.*?watching for saves · \d\d:\d\d left")  # the countdown ticks in place
        reference = (paths.builtin_dir("drills") / drill_id / "reference.py").read_text(encoding="utf-8")
        file.write_text(f"# quizdl drill: {drill_id}\n" + reference, encoding="utf-8")
        child.expect("PASS")
        child.expect(r"watching for saves · \d\d:\d\d left")
        child.send("q")
        child.expect(_styled("Scorecard", " · 10 min planned"))
        child.expect(_styled("Concept cards: ", "1/1", " right"))
        child.expect(_styled("Drill ", re.escape(drill_id), re.escape(f" ({file.name}): "), r"passed in \d\d:\d\d",
                             r" · 1 grade · 0 hints used"))
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [(r.item_id, r.rating) for r in store.reviews() if not r.item_id.startswith("drill:")] == [
            ("sample-choice", 3)]
        [past] = iv.history(store)
    assert (past.cards_right, past.cards_total, past.minutes) == (1, 1, 10)
    assert past.drill.drill_id == drill_id and past.drill.passed and past.drill.seconds_to_pass is not None


def test_interview_in_chinese_on_an_80_column_terminal(quizdl_home, tmp_path):
    """Issue #13 item 27: the status line, the countdown (rewritten in place) and the scorecard in zh."""
    env = dict(os.environ, QUIZDL_HOME=str(quizdl_home), NO_COLOR="1", COLUMNS="80", LINES="40", TERM="xterm")
    env["PYTHONPATH"] = str(paths.package_dir().parent)
    args = ["-m", "quizdl", "interview", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "zh", "--minutes", "10"]
    child = pexpect.spawn(sys.executable, args, env=env, cwd=str(tmp_path), encoding="utf-8", timeout=60,
                          dimensions=(40, 80))
    try:
        child.expect(_styled("模拟面试", r" · 10 分钟：概念题约 04:00"))
        child.expect(r"面试 · sample · 新卡 · 第 1/3 张 · 剩余 10:00")
        child.expect("选择答案")
        child.send("q")  # ends the concept part
        child.expect(_styled("编程练习", r" · [a-z0-9-]+ · 主题 "))
        child.expect("已写入 ")
        child.expect(r"等待保存 · 剩余 \d\d:\d\d · h 下一条提示")
        child.expect(r"\x1b\[1A\r\x1b\[2K.*?等待保存 · 剩余 \d\d:\d\d")  # the countdown ticks in place
        child.send("q")
        child.expect(_styled("成绩单", " · 计划 10 分钟"))
        child.expect("概念卡：一张也没答")
        child.expect(r"未通过 · 评测 0 次 · 用了\s+0\s+条提示")  # the line may wrap at 80 columns
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0
