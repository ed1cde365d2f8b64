"""`quizdl study` on a real terminal (pexpect) and surviving kill -9 mid-session (subprocess)."""

from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time

import pexpect
import pytest

from quizdl.store import Store
from tests.conftest import SAMPLE_DECKS, choice_key

STUDY = [sys.executable, "-m", "quizdl", "study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en"]


def spawn_env(home) -> dict:
    env = dict(os.environ, QUIZDL_HOME=str(home), NO_COLOR="1", COLUMNS="100", LINES="40", TERM="xterm")
    return env


def test_real_terminal_reveal_rate_undo_quit(quizdl_home):
    child = pexpect.spawn(STUDY[0], STUDY[1:], env=spawn_env(quizdl_home), encoding="utf-8", timeout=20,
                          dimensions=(40, 100))
    try:
        child.expect("What does BatchNorm use to normalise in eval mode")
        child.expect("show answer")
        child.send(" ")  # single key press, no Enter: reveal
        for label in ("1 Again 1m", "2 Hard 6m", "3 Good 10m", "4 Easy"):  # each rating with its interval
            child.expect(label)
        child.send("3")  # Good
        child.expect("Good → next in")

        child.expect("Default momentum of torch.nn.BatchNorm1d")
        child.expect("your choice")
        child.send(choice_key())  # the right option, wherever the shuffle put it
        child.expect("✓ correct")
        child.expect("space/enter = Good")
        child.send("4")  # override: Easy
        child.expect("Easy → next in")

        child.expect("Inverted dropout with p = 0.2")
        child.expect("type a number")
        child.sendline("1.25")
        child.expect("✓ correct")
        child.send(" ")  # space = Good
        child.expect("Good → next in")

        child.expect("root mean square")
        child.expect("type the term")
        child.sendline("u")  # undo the numeric card's answer
        child.expect("undid Good on sample-numeric")
        child.expect("Inverted dropout with p = 0.2")  # it comes back
        child.expect("type a number")
        child.sendline("q")
        child.expect(r"2 card\(s\) in")
        child.expect(pexpect.EOF)
    finally:
        child.close()
    assert child.exitstatus == 0
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [(r.item_id, r.rating) for r in store.reviews()] == [("sample-basic", 3), ("sample-choice", 4)]
        assert store.get_state("sample-numeric") is None


def test_kill_9_loses_no_answer(quizdl_home):
    proc = subprocess.Popen(STUDY, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=spawn_env(quizdl_home), text=True, bufsize=1)
    answers = ["\n", "3\n", "2\n", "4\n", "1.25\n", "\n"]  # three answered cards
    seen = ""
    try:
        for line in answers:
            proc.stdin.write(line)
            proc.stdin.flush()
        deadline = time.monotonic() + 20
        while seen.count("→ next in") < 3 and time.monotonic() < deadline:
            chunk = proc.stdout.readline()
            if not chunk:
                break
            seen += chunk
        assert seen.count("→ next in") == 3, seen
        os.kill(proc.pid, signal.SIGKILL)  # mid-session: the fourth card is on screen
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [r.item_id for r in store.reviews()] == ["sample-basic", "sample-choice", "sample-numeric"]


# --- issue #13: the study screen at 60 and 80 columns ----------------------------------------

WIDTHS = [60, 80]
ANSI = r"(?:\x1b\[[0-9;]*m)*"  # styling rich keeps under NO_COLOR (bold, dim)
INTERVAL = r"(\d+(?:\.\d)?(?:mo|[smhdy]))"


def spawn_study(home, cols: int, *args: str, lang: str = "en") -> pexpect.spawn:
    env = dict(spawn_env(home), COLUMNS=str(cols), LINES="30")
    argv = [*STUDY[1:-2], "--lang", lang, *args]
    return pexpect.spawn(STUDY[0], argv, env=env, encoding="utf-8", timeout=20, dimensions=(30, cols))


def finish(child: pexpect.spawn) -> str:
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    return child.before


@pytest.mark.parametrize("cols", WIDTHS)
@pytest.mark.parametrize("how", ["q", "ctrl-c", "limit"])
def test_a_session_cut_short_says_how_many_cards_are_still_due(quizdl_home, cols, how):
    """Item 2: after q, Ctrl-C or --limit, 'N cards are still due now', not 'next card due in 51s'."""
    child = spawn_study(quizdl_home, cols, *(["--limit", "1"] if how == "limit" else []))
    child.expect("show answer")
    child.send(" ")
    child.expect("Good")
    child.send("3")
    child.expect("next in")
    if how == "q":
        child.expect("your choice")
        child.send("q")
    elif how == "ctrl-c":
        child.expect("your choice")
        child.sendintr()
    tail = finish(child)
    assert "3 cards are still due now" in tail
    assert "Next card due" not in tail
    assert "Again 0 · Hard 0 · Good 1 · Easy 0" in tail  # the summary's ratings never split


@pytest.mark.parametrize("cols", WIDTHS)
def test_a_spent_new_card_allowance_is_named_with_the_flag_that_lifts_it(quizdl_home, cols):
    """Item 10: 'allowance spent (N waiting) — quizdl study --new N', not 'Nothing to study'."""
    quizdl_home.mkdir(parents=True, exist_ok=True)
    (quizdl_home / "config.yaml").write_text("new_per_day: 0\n")
    child = spawn_study(quizdl_home, cols)
    tail = finish(child)
    assert "Nothing to study" not in tail
    assert "Today's new-card allowance is spent (4 new cards waiting);" in tail
    assert "study more with `quizdl study --new 4`" in tail


@pytest.mark.parametrize("cols", WIDTHS)
def test_the_status_line_shows_the_card_id_and_ankis_three_counts(quizdl_home, cols):
    """Item 11: the card id in the title; new · learning · review counts that move."""
    child = spawn_study(quizdl_home, cols)
    child.expect("sample-basic · new")
    child.expect(r"new 4 · learning 0 · review 0 · done 0")
    child.expect("show answer")
    child.send(" ")
    child.expect("Good 10m")
    child.send("1")  # Again: back in a minute, a learning card now
    child.expect("next in")
    child.expect("sample-choice · new")
    child.expect(r"new 3 · learning 1 · review 0 · done 1")
    child.send("q")
    finish(child)


@pytest.mark.parametrize("cols", WIDTHS)
def test_undo_after_a_skip_brings_the_skipped_card_back(quizdl_home, cols):
    """Item 12: s buries till tomorrow; u takes the skip back (not the answer before it)."""
    child = spawn_study(quizdl_home, cols)
    child.expect("show answer")
    child.send(" ")
    child.expect("Good 10m")
    child.send("3")
    child.expect("next in")
    child.expect("sample-choice · new")
    child.expect("your choice")
    child.send("s")
    child.expect("skipped sample-choice until tomorrow")
    child.expect("sample-numeric · new")
    child.expect("type a number")
    child.sendline("u")
    child.expect("undid the skip of sample-choice")
    child.expect("sample-choice · new")
    child.send("q")
    finish(child)
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert store.buried_at(0) == set()
        assert [r.item_id for r in store.reviews()] == ["sample-basic"]


@pytest.mark.parametrize("cols", WIDTHS)
def test_a_learning_card_shown_early_says_learning_ahead(quizdl_home, cols):
    """Item 13: 'Good → next in 10m', and when it comes back early the screen says so."""
    child = spawn_study(quizdl_home, cols, "--new", "1")
    child.expect("show answer")
    child.send(" ")
    child.expect("Good 10m")
    child.send("3")
    child.expect("next in 10m")
    child.expect(r"sample-basic · learning · learning ahead \(due in 10m\)")
    child.send("q")
    finish(child)


@pytest.mark.parametrize("cols", WIDTHS)
def test_the_previewed_interval_is_applied_and_undo_shows_it_again(quizdl_home, cols):
    """Item 14: Easy's fuzzed interval is drawn once per presentation: shown = applied = after undo."""
    from quizdl.store import ItemState

    now = time.time()
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        store.record_review("sample-basic", 3, now - 40 * 86400, None, None,
                            ItemState("sample-basic", 2, None, 40.0, 5.0, now - 60, now - 40 * 86400, 3, 0))
        store.record_review("sample-choice", 3, now - 39 * 86400, None, None,  # shown second
                            ItemState("sample-choice", 2, None, 40.0, 5.0, now - 60, now - 39 * 86400, 3, 0))
    child = spawn_study(quizdl_home, cols, "--new", "0")
    child.expect("sample-basic · review")
    child.expect("show answer")
    child.send(" ")
    child.expect(r"4 Easy " + INTERVAL)
    shown = child.match.group(1)
    child.expect("space/enter = Good")
    child.send("4")
    child.expect(r"Easy → next in " + INTERVAL)
    assert child.match.group(1) == shown
    child.expect("sample-choice · review")
    child.send("u")
    child.expect("undid Easy on sample-basic")
    child.expect("show answer")
    child.send(" ")
    child.expect(r"4 Easy " + INTERVAL)
    assert child.match.group(1) == shown
    child.send("q")
    finish(child)


@pytest.mark.parametrize("cols", WIDTHS)
def test_choice_options_are_shuffled_and_a_double_press_does_not_rate(quizdl_home, cols):
    """Item 16: the options in today's shuffled order, the right one graded right wherever it is,
    and a choice digit pressed twice does not also rate the card."""
    child = spawn_study(quizdl_home, cols, "--new", "2")
    child.expect("show answer")
    child.send(" ")
    child.expect("Good 10m")
    child.send("3")
    child.expect("sample-choice · new")
    right = choice_key()
    child.expect(rf"{right}{ANSI}  0\.1\r\n")  # the right option is shown under the digit that picks it
    child.expect("your choice")
    child.send(right * 2)  # two presses in one burst: the second must not rate
    child.expect(rf"✓ correct — {right}\. 0\.1")
    child.expect("space/enter = Good")
    assert child.expect(["→ next in", pexpect.TIMEOUT], timeout=1) == 1
    child.send("4")
    child.expect("Easy → next in")
    child.expect("show answer")  # the first card, learning ahead
    child.send("q")
    finish(child)
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [(r.item_id, r.rating) for r in store.reviews()] == [("sample-basic", 3), ("sample-choice", 4)]


CLEAR = "\x1b[2J"


def last_page(log: str) -> list[str]:
    """The lines on screen since the last clear, styling removed."""
    page = log.rsplit(CLEAR, 1)[-1]
    return re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", page).split("\r\n")


@pytest.mark.parametrize("cols", WIDTHS)
def test_each_state_of_a_card_is_redrawn_with_the_question_on_screen(quizdl_home, cols):
    """Item 25: on a 30-line terminal, the question, then the question with the answer, on a
    clean screen (no stale prompt above the answer); the last outcome is carried to the next."""
    child = spawn_study(quizdl_home, cols)
    log = io.StringIO()
    child.logfile_read = log
    child.expect("show answer")
    page = last_page(log.getvalue())
    assert any("What does BatchNorm use to normalise" in line for line in page)
    child.send(" ")
    child.expect("1-4 rate")
    page = last_page(log.getvalue())
    text = "\n".join(page)
    assert len(page) <= 30
    assert "What does BatchNorm use to normalise" in text and "The running estimates" in text
    assert text.index("What does BatchNorm") < text.index("The running estimates")
    assert "show answer" not in text  # the stale prompt is gone
    child.send("3")
    child.expect("your choice")
    page = "\n".join(last_page(log.getvalue()))
    assert "sample-basic: Good → next in 10m" in page and "Default momentum" in page
    assert "What does BatchNorm" not in page
    child.send("q")
    finish(child)


def test_piped_study_stays_a_log_of_lines(quizdl_home):
    proc = subprocess.run(STUDY, input="\n3\nq\n", capture_output=True, text=True, env=spawn_env(quizdl_home),
                          timeout=30)
    assert proc.returncode == 0, proc.stderr
    assert CLEAR not in proc.stdout and "\x1b[H" not in proc.stdout
    assert proc.stdout.index("What does BatchNorm") < proc.stdout.index("The running estimates") \
        < proc.stdout.index("Good → next in 10m") < proc.stdout.index("Default momentum")


ENGLISH_UI = ["show answer", "skip", "undo", "quit", "your choice", "Session done", "next in", "correct",
              "expected", "still due", "Again", "Good", "learning", "review"]


@pytest.mark.parametrize("cols", WIDTHS)
def test_language_zh_gives_a_chinese_interface(quizdl_home, cols):
    """Item 27: every interface string follows `language` zh; a term's answer in the card's language."""
    child = spawn_study(quizdl_home, cols, lang="zh")
    log = io.StringIO()
    child.logfile_read = log
    child.expect("sample-basic · 新卡")
    child.expect("新 4 · 学习 0 · 复习 0 · 已答 0")
    child.expect("空格/回车：显示答案")
    child.send(" ")
    child.expect("3 良好 10分钟")
    child.expect("1-4 评分")
    child.send("3")
    child.expect("选择答案")
    child.send("s")
    child.expect("已跳过 sample-choice")
    child.expect("输入数字")
    child.sendline("abc")
    child.expect("不是数字")
    child.sendline("1.25")
    child.expect("✓ 正确 — 1.25")
    child.send(" ")
    child.expect("输入术语")
    child.sendline("LayerNorm")
    child.expect("正确答案：均方根归一化（RMSNorm）")
    child.expect("空格/回车 = 重来")
    child.send("u")  # takes back the numeric card's answer
    child.expect("已撤销 sample-numeric 的“良好”")
    child.expect("输入数字")
    child.sendline("q")
    tail = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", finish(child))
    assert "本次完成：1 张卡" in tail and "还有 2 张卡现在到期" in tail
    shown = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", log.getvalue() + tail)
    shown = shown.replace("BatchNorm", "").replace("RMSNorm", "")  # card text, not interface
    leaked = [word for word in ENGLISH_UI if word in shown]
    assert leaked == [], leaked


@pytest.mark.parametrize("cols", WIDTHS)
def test_language_both_gives_bilingual_cards_and_an_english_interface(quizdl_home, cols):
    child = spawn_study(quizdl_home, cols, "--new", "4", lang="both")
    child.expect("BatchNorm 在 eval 模式下")  # the card in both languages
    child.expect("show answer")
    child.send("s")
    child.expect("your choice")
    child.send("s")
    child.expect("type a number")
    child.sendline("s")
    child.expect("type the term")
    child.sendline("")
    child.expect(r"expected RMSNorm / 均方根归一化")
    child.send("q")
    tail = finish(child)
    assert "1 card is still due now" in tail and "Session done" not in tail  # nothing answered
