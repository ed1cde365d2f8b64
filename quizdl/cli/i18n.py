"""The study screen's interface strings in English and Chinese, in one table.

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
