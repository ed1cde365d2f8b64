"""The interface strings of the study, watch and interview screens and the grade report, in
English and Chinese, in one table (errors carry their own zh text: quizdl.errors.QuizdlError).

The `language` setting picks the cards' languages; the interface follows it: zh gives a Chinese
interface, en and both an English one (both shows the cards bilingual, the interface once).
"""

from __future__ import annotations

import re

from fsrs import Rating

_KEYS_EN = "s skip · u undo · q quit"
_KEYS_ZH = "s 跳过 · u 撤销 · q 退出"

STRINGS: dict[str, dict[str, str]] = {
    "show_answer": {"en": f"space/enter: show answer · {_KEYS_EN}", "zh": f"空格/回车：显示答案 · {_KEYS_ZH}"},
    "choose": {"en": f"1-{{n}}: your choice · {_KEYS_EN}", "zh": f"1-{{n}}：选择答案 · {_KEYS_ZH}"},
    "type_number": {"en": f"type a number (enter: no idea) · {_KEYS_EN} ›",  # ≤ 60 columns
                    "zh": f"输入数字（回车：不知道）· {_KEYS_ZH} ›"},
    "type_term": {"en": f"type the term (enter: no idea) · {_KEYS_EN} ›", "zh": f"输入术语（回车：不知道）· {_KEYS_ZH} ›"},
    "not_a_number": {"en": "{given} is not a number; accepted: {forms}", "zh": "{given} 不是数字；可以这样写：{forms}"},
    "rate": {"en": f"1-4 rate · space/enter = {{name}} · {_KEYS_EN}", "zh": f"1-4 评分 · 空格/回车 = {{name}} · {_KEYS_ZH}"},
    "answer": {"en": "answer", "zh": "答案"},
    "correct": {"en": "✓ correct — {expected}", "zh": "✓ 正确 — {expected}"},
    "wrong": {"en": "✗ {given} — expected {expected}", "zh": "✗ {given} — 正确答案：{expected}"},
    "no_answer": {"en": "(no answer)", "zh": "（未作答）"},
    "next_in": {"en": "{rating} → next in {interval}", "zh": "{rating} → {interval}后再见"},
    "leech_builtin": {"en": "leech (8+ lapses): set it aside with `quizdl cards suspend {card}`",
                      "zh": "难记卡（遗忘 8 次以上）：可用 `quizdl cards suspend {card}` 暂停它"},
    "leech_own": {"en": "leech (8+ lapses): consider rewriting it (e opens it in $EDITOR)",
                  "zh": "难记卡（遗忘 8 次以上）：考虑改写它（e 在 $EDITOR 中打开）"},
    "quit_key": {"en": " · q quit", "zh": " · q 退出"},
    "edit_key": {"en": " · e edit", "zh": " · e 编辑"},
    "practise": {"en": "practise it: quizdl drill {drill}", "zh": "动手练习：quizdl drill {drill}"},
    "skipped": {"en": "skipped {card} until tomorrow", "zh": "已跳过 {card}，明天再出现"},
    "undid_skip": {"en": "↶ undid the skip of {card}; it comes back now", "zh": "↶ 已撤销跳过 {card}；现在重新出现"},
    "undid": {"en": "↶ undid {rating} on {card}; it comes back now", "zh": "↶ 已撤销 {card} 的“{rating}”；现在重新出现"},
    "nothing_to_undo": {"en": "nothing to undo", "zh": "没有可撤销的操作"},
    "state_new": {"en": "new", "zh": "新卡"},
    "state_learning": {"en": "learning", "zh": "学习中"},
    "state_review": {"en": "review", "zh": "复习"},
    "state_relearning": {"en": "relearning", "zh": "重学中"},
    "from_drill": {"en": "from drill {drill} ({mistake})", "zh": "来自练习 {drill}（{mistake}）"},
    "learning_ahead": {"en": "learning ahead (due in {interval})", "zh": "提前学习（{interval}后到期）"},
    "count_new": {"en": "new {n}", "zh": "新 {n}"},
    "count_learning": {"en": "learning {n}", "zh": "学习 {n}"},
    "count_review": {"en": "review {n}", "zh": "复习 {n}"},
    "count_done": {"en": "done {n}", "zh": "已答 {n}"},
    "session_done": {"en": "Session done: ", "zh": "本次完成："},
    "cards_in": {"en": "{n} card(s) in {time}", "zh": "{n} 张卡，用时 {time}"},
    "retention": {"en": "Retention today (review cards): {percent}", "zh": "今日记忆保持率（复习卡）：{percent}"},
    "still_due_one": {"en": "1 card is still due now", "zh": "还有 1 张卡现在到期"},
    "still_due": {"en": "{n} cards are still due now", "zh": "还有 {n} 张卡现在到期"},
    "go_on": {"en": " — `quizdl study` to go on", "zh": " — 用 `quizdl study` 继续"},
    "allowance_one": {"en": "Today's new-card allowance is spent (1 new card waiting);",
                      "zh": "今天的新卡额度已用完（还有 1 张新卡）；"},
    "allowance": {"en": "Today's new-card allowance is spent ({n} new cards waiting);",
                  "zh": "今天的新卡额度已用完（还有 {n} 张新卡）；"},
    "study_more": {"en": "study more with `quizdl study --new {n}`", "zh": "要学更多：`quizdl study --new {n}`"},
    "none_scheduled": {"en": "No cards scheduled yet.", "zh": "还没有安排任何卡片。"},
    "due_now": {"en": "Next card is due now.", "zh": "下一张卡现在就到期。"},
    "next_due": {"en": "Next card due in {interval} ({when}).", "zh": "下一张卡 {interval}后到期（{when}）。"},
    "leeches_met": {"en": "Leeches met:", "zh": "遇到的难记卡："},
    "drills_due": {"en": "Drills due:", "zh": "到期的练习："},
    "drill_next": {"en": "start one with `quizdl drill next`", "zh": "用 `quizdl drill next` 开始"},
    "nothing_to_study": {"en": "Nothing to study right now — well done.", "zh": "现在没有要学的卡片 — 做得好。"},
    # quizdl grade's report (PASS, FAIL and ERROR stay as they are: scripts look for them)
    "grading": {"en": "Grading {file} against drill {drill}", "zh": "评测 {file}，练习 {drill}"},
    "passed_all": {"en": "{n}/{n} tests", "zh": "{n}/{n} 项测试全部通过"},
    "passed_some": {"en": "{passed}/{total} tests passed", "zh": "{passed}/{total} 项测试通过"},
    "expected": {"en": "expected", "zh": "期望"},
    "got": {"en": "got     ", "zh": "实际"},
    "same_error": {"en": "(same error)", "zh": "（同上）"},
    "diagnosis": {"en": "Diagnosis", "zh": "诊断"},
    "diagnosis_n": {"en": "Diagnosis: {n} mistakes", "zh": "诊断：{n} 处错误"},
    "kind_contract": {"en": "contract", "zh": "约定"},
    "kind_mistake": {"en": "mistake", "zh": "错误"},
    "see_card": {"en": "see card: quizdl cards show {card}", "zh": "相关卡片：quizdl cards show {card}"},
    "no_combination": {"en": "No combination of known mistakes explains every test;",
                       "zh": "已知错误的任何组合都解释不了全部测试；"},
    "per_test": {"en": "per test:", "zh": "逐项："},
    "looks_like": {"en": "{group}: looks like {mistakes}", "zh": "{group}：像是 {mistakes}"},
    "time": {"en": "time {seconds} s", "zh": "用时 {seconds} 秒"},
    "next_review": {"en": "next review {date}", "zh": "下次复习 {date}"},
    # the watch screen (quizdl grade FILE --watch, and the drill part of quizdl interview)
    "watch_title": {"en": "drill {drill} · attempt {n}", "zh": "练习 {drill} · 第 {n} 次"},
    "watch_grading": {"en": "grading {file} …", "zh": "正在评测 {file} …"},
    "watch_deleted": {"en": "{file} was deleted; waiting for it to come back", "zh": "{file} 被删除了；等它重新出现"},
    "watch_history": {"en": "history: ", "zh": "记录："},
    "watch_earlier": {"en": "… {n} earlier · ", "zh": "… 更早 {n} 次 · "},
    "watch_once": {"en": "graded once: no terminal to watch from", "zh": "只评测一次：没有可以监视的终端"},
    "watch_left": {"en": " · {left} left", "zh": " · 剩余 {left}"},
    "watch_keys": {"en": "h next hint · s solution (after a pass) · q quit",
                   "zh": "h 下一条提示 · s 参考答案（通过后）· q 退出"},
    "watch_keys_no_tty": {"en": "Ctrl-C quit (keys need a terminal)", "zh": "Ctrl-C 退出（按键需要终端）"},
    "watch_status": {"en": "watching for saves{left} · {keys}", "zh": "等待保存{left} · {keys}"},
    "watch_no_hints": {"en": "drill {drill} has no hints", "zh": "练习 {drill} 没有提示"},
    "watch_hints_spent": {"en": "all {n} hints are shown; the solution opens after a pass (s)",
                          "zh": "{n} 条提示都已显示；通过后可看参考答案（s）"},
    "watch_hint_cost": {"en": "a pass after a hint counts at most Hard for scheduling",
                        "zh": "看过提示后的通过，在排期中最多算“困难”"},
    "watch_solution_locked": {"en": "the solution opens after a pass (or: quizdl drill solution ID --force)",
                              "zh": "通过后才能看参考答案（或：quizdl drill solution ID --force）"},
    "watch_solution": {"en": "reference solution of {drill}", "zh": "{drill} 的参考答案"},
    "watch_time_up": {"en": "time is up", "zh": "时间到"},
    "watch_stopped": {"en": "watching {file} stopped: {error}", "zh": "对 {file} 的监视停止了：{error}"},
    # quizdl interview
    "iv_status": {"en": "interview · {deck} · {state} · card {n}/{count} · {left} left",
                  "zh": "面试 · {deck} · {state} · 第 {n}/{count} 张 · 剩余 {left}"},
    "iv_concept_over": {"en": "Time for the concept questions is up.", "zh": "概念题的时间到了。"},
    "iv_intro": {"en": "Mock interview", "zh": "模拟面试"},
    "iv_plan": {"en": "{minutes} min: concept questions for about {concept} ({cards}: {topics})",
                "zh": "{minutes} 分钟：概念题约 {concept}（{cards}：{topics}）"},
    "iv_cards_one": {"en": "1 card", "zh": "1 张卡"},
    "iv_cards": {"en": "{n} cards", "zh": "{n} 张卡"},
    "iv_then_drill": {"en": ", then drill {drill} for the rest", "zh": "，余下时间做练习 {drill}"},
    "iv_no_drill_on": {"en": "no drill on {topics}: the drill is chosen from all topics",
                       "zh": "{topics} 没有练习：从所有主题中选一个"},
    "iv_q_ends": {"en": "q ends the current part early; every answer is stored as a review.",
                  "zh": "q 提前结束当前部分；每个回答都记为一次复习。"},
    "iv_coding_drill": {"en": "Coding drill", "zh": "编程练习"},
    "iv_drill_line": {"en": "{drill} · topic {topic} ({why}) · {left} left", "zh": "{drill} · 主题 {topic}（{why}）· 剩余 {left}"},
    "iv_passed_before": {"en": "passed before", "zh": "以前通过过"},
    "iv_never_passed": {"en": "never passed", "zh": "从未通过"},
    "iv_due": {"en": ", due", "zh": "，已到期"},
    "iv_not_due": {"en": ", not due", "zh": "，未到期"},
    "iv_wrote": {"en": "Wrote {file} — fill it in and save; each save is graded.",
                 "zh": "已写入 {file} — 补全后保存；每次保存都会评测。"},
    "iv_graded_once": {"en": "stdin is not a terminal: the starter is graded once, then the interview ends.",
                       "zh": "标准输入不是终端：初始文件评测一次，然后面试结束。"},
    "sc_title": {"en": "Scorecard", "zh": "成绩单"},
    "sc_minutes": {"en": " · {minutes} min planned · {taken} taken", "zh": " · 计划 {minutes} 分钟 · 用时 {taken}"},
    "sc_cards": {"en": "Concept cards: ", "zh": "概念卡："},
    "sc_right_of": {"en": " right", "zh": " 答对"},
    "sc_none_answered": {"en": "Concept cards: none answered", "zh": "概念卡：一张也没答"},
    "sc_right": {"en": "{n} right", "zh": "对 {n}"},
    "sc_wrong": {"en": "{n} wrong", "zh": "错 {n}"},
    "sc_no_drill": {"en": "Drill: none", "zh": "练习：无"},
    "sc_drill": {"en": "Drill ", "zh": "练习 "},
    "sc_grades_one": {"en": "1 grade", "zh": "评测 1 次"},
    "sc_grades": {"en": "{n} grades", "zh": "评测 {n} 次"},
    "sc_passed_in": {"en": "passed in {time}", "zh": "{time} 内通过"},
    "sc_not_passed": {"en": "not passed", "zh": "未通过"},
    "sc_hints_one": {"en": "1 hint used", "zh": "用了 1 条提示"},
    "sc_hints": {"en": "{n} hints used", "zh": "用了 {n} 条提示"},
    "sc_mistakes": {"en": "Mistakes diagnosed: {mistakes}", "zh": "诊断出的错误：{mistakes}"},
    "sc_none": {"en": "none", "zh": "无"},
    "sc_keep_going": {"en": "keep going: quizdl grade {file} --watch", "zh": "继续：quizdl grade {file} --watch"},
    "sc_saved": {"en": "Saved: quizdl interview --history lists past interviews.",
                 "zh": "已保存：quizdl interview --history 列出以往的面试。"},
    "ih_none": {"en": "No interviews yet: start one with [bold]quizdl interview[/].",
                "zh": "还没有面试记录：用 [bold]quizdl interview[/] 开始一次。"},
    "ih_title": {"en": "Mock interviews", "zh": "模拟面试"},
    "ih_date": {"en": "date", "zh": "日期"},
    "ih_minutes": {"en": "minutes", "zh": "分钟"},
    "ih_cards": {"en": "cards", "zh": "卡片"},
    "ih_drill": {"en": "drill", "zh": "练习"},
    "ih_passed": {"en": "passed", "zh": "通过"},
    "ih_time_to_pass": {"en": "time to pass", "zh": "通过用时"},
    # notes under a grade report (quizdl/attempts.py's Note keys, as "note_<key>")
    "note_matched_by": {"en": "no '# quizdl drill:' line: graded as drill {drill} (from its {by})",
                        "zh": "没有 '# quizdl drill:' 这一行：按练习 {drill} 评测（根据{by}判断）"},
    "note_not_counted": {"en": "not counted: {reason}", "zh": "不计入复习：{reason}"},
    "note_passed_after_hints": {"en": "passed after {n} hint(s): counts as Hard for scheduling",
                                "zh": "看了 {n} 条提示后通过：排期按“困难”计"},
    "note_cards_flagged": {"en": "{cards} will open your next quizdl study",
                           "zh": "下次 quizdl study 会先出这些卡片：{cards}"},
    "note_stuck": {"en": "stuck? quizdl drill hint {drill}", "zh": "卡住了？quizdl drill hint {drill}"},
    "note_left_out": {"en": "left out (IPython syntax, not Python): {dropped}",
                      "zh": "已略去（IPython 语法，不是 Python）：{dropped}"},
    "reason_not_run": {"en": "the tests did not run, so this grade is not a review",
                       "zh": "测试没有运行，这次评测不算一次复习"},
    "reason_unchanged": {"en": "the file is unchanged since its last grade, so this is not a new review",
                         "zh": "文件自上次评测以来没有改动，不算新的一次复习"},
    "see_reference": {"en": "see the reference: quizdl drill solution {drill}", "zh": "参考答案：quizdl drill solution {drill}"},
    # the task screen of `quizdl drill ID`
    "task_not_allowed": {"en": "not allowed: {names}", "zh": "不允许使用：{names}"},
    "task_blocked_imports": {"en": "blocked imports: {names}", "zh": "禁止导入：{names}"},
    "task_cards": {"en": "cards: {names}", "zh": "相关卡片：{names}"},
}

RATING_NAMES = {
    "en": {Rating.Again: "Again", Rating.Hard: "Hard", Rating.Good: "Good", Rating.Easy: "Easy"},
    "zh": {Rating.Again: "重来", Rating.Hard: "困难", Rating.Good: "良好", Rating.Easy: "简单"},
}

_UNITS_ZH = {"s": "秒", "m": "分钟", "h": "小时", "d": "天", "mo": "个月", "y": "年"}


def ui_language(lang: str) -> str:
    """The interface language for a card language: zh for zh, English otherwise."""
    return "zh" if lang == "zh" else "en"


def t(ui: str, key: str, **values: object) -> str:
    """The string `key` in interface language `ui`, filled in."""
    return STRINGS[key][ui].format(**values)


def rating_name(ui: str, rating: Rating) -> str:
    return RATING_NAMES[ui][rating]


def interval(ui: str, short: str) -> str:
    """An interval from scheduler.format_interval ("10m", "2.1mo") in the interface language."""
    if ui != "zh":
        return short
    m = re.fullmatch(r"([\d.]+)(mo|[smhdy])", short)
    return f"{m.group(1)}{_UNITS_ZH[m.group(2)]}" if m else short


_MATCHED_BY_ZH = {"file name": "文件名", "entry points": "入口函数"}


def note_text(ui: str, note: str) -> str:
    """A grade report's note in the interface language: a quizdl.attempts.Note in zh by its key;
    anything else (or English) as written."""
    key = getattr(note, "key", None)
    if ui != "zh" or key is None or f"note_{key}" not in STRINGS:
        return str(note)
    values = dict(note.values)
    if key == "not_counted":
        from quizdl import drill_progress

        reason = {drill_progress.REASON_NOT_RUN: "reason_not_run",
                  drill_progress.REASON_UNCHANGED: "reason_unchanged"}.get(values["reason"])
        values["reason"] = t(ui, reason) if reason else values["reason"]
    if key == "matched_by":
        values["by"] = _MATCHED_BY_ZH.get(values["by"], values["by"])
    return t(ui, f"note_{key}", **values)
