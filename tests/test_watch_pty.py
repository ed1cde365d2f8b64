"""`quizdl grade FILE --watch` on a real terminal: one report per save, keys h / s / q."""

from __future__ import annotations

import contextlib
import os
import sys
import time

import pexpect

from quizdl import paths
from quizdl.drills import load_folder

LR_STEP = load_folder(paths.builtin_dir("drills") / "lr-step")[0]
REFERENCE = "# quizdl drill: lr-step\n" + LR_STEP.reference_path.read_text(encoding="utf-8")
WRONG = REFERENCE.replace("gamma ** decays", "gamma ** (decays + 1)", 1)


def _spawn(home, file, *options: str, columns: int = 100, lines: int = 60) -> pexpect.spawn:
    env = dict(os.environ, QUIZDL_HOME=str(home), NO_COLOR="1", COLUMNS=str(columns), LINES=str(lines), TERM="xterm")
    env["PYTHONPATH"] = str(paths.package_dir().parent)  # this checkout's quizdl
    return pexpect.spawn(sys.executable, ["-m", "quizdl", "grade", str(file), "--watch", *options], env=env,
                         encoding="utf-8", timeout=60, dimensions=(lines, columns))


def _save_in_place(path, text) -> None:
    with open(path, "w", encoding="utf-8") as f:  # truncate, then write in two parts
        f.write(text[:40])
        f.flush()
        time.sleep(0.005)  # an editor's two writes, milliseconds apart
        f.write(text[40:])


def _save_by_rename(path, text) -> None:
    tmp = path.with_name("." + path.name + ".swp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def _output_for(child: pexpect.spawn, seconds: float) -> str:
    """Everything the screen prints in the next `seconds`."""
    out, end = "", time.monotonic() + seconds
    while time.monotonic() < end:
        with contextlib.suppress(pexpect.TIMEOUT):
            out += child.read_nonblocking(100000, timeout=0.1)
    return out


def test_watch_regrades_each_save_once_and_offers_hints_and_the_solution(quizdl_home, tmp_path):
    assert WRONG != REFERENCE
    file = tmp_path / "sched.py"
    file.write_text(WRONG, encoding="utf-8")
    child = _spawn(quizdl_home, file)
    try:
        child.expect("attempt 1")
        child.expect("FAIL")
        child.expect("watching for saves")
        child.send("s")  # not passed yet
        child.expect("the solution opens after a pass")
        child.send("h")
        child.expect("Hint 1/3")
        _save_in_place(file, REFERENCE.replace("def step_lr", "def  step_lr_unused(): pass\n\n\ndef step_lr", 1))
        child.expect("attempt 2")
        child.expect("PASS")
        child.expect(r"history: #1 ✗ \d+/\d+ .* · #2 ✓")
        # an editor-style save by rename: exactly one more grade
        _save_by_rename(file, WRONG)
        child.expect("attempt 3")
        child.expect("FAIL")
        child.expect("watching for saves")
        assert "attempt 4" not in _output_for(child, 1.5)
        # saving the same text again (touch, a second write) grades nothing
        _save_in_place(file, WRONG)
        assert "attempt 4" not in _output_for(child, 1.5)
        child.send("s")  # passed before (attempt 2): the reference is shown
        child.expect("reference solution of lr-step")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 1  # the last grade failed


def test_watch_survives_a_syntax_error_and_a_deleted_file(quizdl_home, tmp_path):
    file = tmp_path / "lr_step.py"
    file.write_text("def step_lr(:\n", encoding="utf-8")
    child = _spawn(quizdl_home, file)
    try:
        child.expect("ERROR")
        child.expect("not counted")
        file.unlink()
        child.expect("was deleted")
        file.write_text(REFERENCE, encoding="utf-8")
        child.expect("PASS")
        child.sendcontrol("c")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 0


def test_watch_lang_zh_gives_the_report_and_the_screen_in_chinese(quizdl_home, tmp_path):
    """Issue #13 item 27: `quizdl grade FILE --watch --lang zh`, at 80 columns."""
    file = tmp_path / "sched.py"
    file.write_text(WRONG, encoding="utf-8")
    child = _spawn(quizdl_home, file, "--lang", "zh", columns=80, lines=40)
    try:
        child.expect(r"练习\s+(?:\x1b\[[0-9;]*m)*lr-step(?:\x1b\[[0-9;]*m)*\s+·\s+第\s+1\s+次")  # the watch screen's own lines follow --lang too
        child.expect("评测 ")
        child.expect(r"FAIL.* — \d+/\d+ 项测试通过")
        child.expect(r"记录：#1 ✗ \d+/\d+ ")
        child.expect("等待保存 · h 下一条提示 · s 参考答案（通过后）· q 退出")
        child.send("s")
        child.expect("通过后才能看参考答案")
        child.send("h")
        child.expect("看过提示后的通过，在排期中最多算“困难”")
        child.expect("等待保存")
        child.send("q")
        child.expect(pexpect.EOF)
    finally:
        child.close(force=True)
    assert child.exitstatus == 1
