"""The built-in decks: valid, linked, bilingual, covering every curriculum section, formulas render."""

from __future__ import annotations

import math
import re
from collections import Counter

import pytest

from quizdl import paths
from quizdl.cards import known_drill_ids, load_library
from quizdl.text import check_formula, formula_problems, formulas, latex_to_unicode


@pytest.fixture(scope="module")
def library():
    return load_library([paths.builtin_dir("cards")], drill_ids=known_drill_ids(), use_cache=False)


def test_builtin_decks_validate_with_unique_ids_and_resolved_links(library):
    # load_library raises on duplicates and dangling see/drill links; check the links are real too.
    for card in library.cards.values():
        assert all(target in library.cards for target in card.see)
        if card.drill:
            assert (paths.builtin_dir("drills") / card.drill / "drill.yaml").is_file()


def test_every_curriculum_section_has_cards(library):
    per_section = Counter()
    for deck in library.decks.values():
        assert deck.section is not None, f"built-in deck {deck.id} must name its curriculum section"
        per_section[deck.section] += len(deck.cards)
    assert sorted(per_section) == list(range(1, 11))
    assert all(count >= 10 for count in per_section.values()), per_section


def test_size_and_auto_graded_share(library):
    cards = list(library.cards.values())
    assert len(cards) >= 220
    assert sum(c.auto_graded for c in cards) >= 50
    assert {c.type for c in cards} == {"basic", "choice", "numeric", "term"}


def test_every_card_is_bilingual_and_non_empty(library):
    for card in library.cards.values():
        for side in (card.front, card.back):
            assert side["en"].strip() and side["zh"].strip(), card.id
            assert any("\u4e00" <= ch <= "\u9fff" for ch in side["zh"]), f"{card.id}: zh text has no Chinese"


def test_no_two_cards_share_a_front(library):
    fronts = Counter(" ".join(c.front["en"].split()).casefold() for c in library.cards.values())
    assert [f for f, n in fronts.items() if n > 1] == []
    fronts_zh = Counter(" ".join(c.front["zh"].split()) for c in library.cards.values())
    assert [f for f, n in fronts_zh.items() if n > 1] == []


def test_every_formula_renders(library):
    count = 0
    for card in library.cards.values():
        texts = [*card.front.values(), *card.back.values()]
        texts += [o[lang] for o in card.options for lang in ("en", "zh")]
        for text in texts:
            assert formula_problems(text) == [], card.id  # parses, no unknown macro, no stray $
            for expr in formulas(text):
                check_formula(expr)
                rendered = latex_to_unicode(expr)
                assert rendered and "\\" not in rendered, (card.id, expr, rendered)
                assert "\ue000" not in rendered and "\ue001" not in rendered, (card.id, expr)
                # a one-letter ASCII script never runs into what follows (`y_klog`, `∑_tη_t`)
                assert not re.search(r"(?<!\w\w)\S_[A-Za-z0-9][A-Za-zα-ωΑ-Ω∑∏√∇𝔼]", rendered), (card.id, rendered)
                count += 1
    assert count > 1000  # the decks are formula-heavy; this guards the regex from matching nothing


def test_choice_answers_in_range_and_numeric_tolerances_sane(library):
    for card in library.cards.values():
        if card.type == "choice":
            assert 0 <= card.answer < len(card.options)
        if card.type == "numeric":
            assert card.tolerance < max(0.5 * abs(card.answer), 1e-3), card.id


def test_card_fixes_checked_against_torch_and_papers(library):
    rms = library.cards["norm-rmsnorm-eps-default"]
    right = rms.options[rms.answer]
    assert "torch.finfo(torch.float32).eps" in right["en"] and "torch.finfo(torch.float32).eps" in right["zh"]
    for lang in ("en", "zh"):
        assert "torch.finfo(torch.float32).eps" in rms.back[lang] and "float64" in rms.back[lang]
    choosing = library.cards["lr-choosing"]
    assert "linearly" in choosing.back["en"] and "accuracy" in choosing.back["en"]
    assert "线性增长" in choosing.back["zh"] and "准确率" in choosing.back["zh"]
    scaling = library.cards["opt-linear-scaling-rule"]
    assert "did poorly" not in scaling.back["en"] and "效果不如线性缩放" not in scaling.back["zh"]
    running = library.cards["norm-running-var-unbiased"]
    assert "N·L" in running.back["en"] and "N·L" in running.back["zh"]
    cost = library.cards["reg-regularized-cost"]
    assert "结构风险" not in cost.back["zh"]


_PRECISION_EN = re.compile(r"\bto (\d+) (decimal places?|significant figures)\)")
_PRECISION_ZH = re.compile(r"保留 (\d+) 位(小数|有效数字)")


def _round_to(value: float, digits: int, kind: str) -> float:
    if kind.startswith("decimal"):
        return round(value, digits)
    return float(f"{value:.{digits}g}")


def test_numeric_answers_count_at_the_precision_the_question_states(library):
    """Issue 13 item 18: an answer worked out to the stated precision counts; a rounded answer
    without a stated precision is not asked for; a wrong last digit or two does not count."""
    from quizdl.cards import check_numeric

    stated = 0
    for card in (c for c in library.cards.values() if c.type == "numeric"):
        en, zh = _PRECISION_EN.search(card.front["en"]), _PRECISION_ZH.search(card.front["zh"])
        assert bool(en) == bool(zh), f"{card.id}: en and zh must state the same precision"
        if en is None:
            digits = len(f"{card.answer:.12g}".lstrip("-0.").replace(".", "").rstrip("0"))
            exact = card.answer == int(card.answer) or digits <= 5  # counts, or a short decimal
            assert exact, f"{card.id}: answer {card.answer} needs a precision in the question"
            assert check_numeric(card, f"{card.answer:.12g}"), card.id
            continue
        stated += 1
        n, kind = int(en.group(1)), en.group(2)
        assert int(zh.group(1)) == n and (zh.group(2) == "小数") == kind.startswith("decimal"), card.id
        rounded = _round_to(card.answer, n, kind)
        assert check_numeric(card, repr(rounded)), (card.id, rounded)
        unit = 10.0 ** -n if kind.startswith("decimal") else 10.0 ** (math.floor(math.log10(abs(card.answer))) - n + 1)
        for off in (-3 * unit, 3 * unit):
            assert not check_numeric(card, repr(rounded + off)), (card.id, rounded + off)
    assert stated >= 20


@pytest.mark.parametrize("width", [36, 56, 76])
def test_every_card_text_lays_out_within_the_width_with_formulas_whole(library, width):
    from quizdl.text import NO_LINE_START, cell_width, layout_text

    for card in library.cards.values():
        for text in (*card.front.values(), *card.back.values()):
            lines = layout_text(text, width).split("\n")
            assert all(cell_width(line) <= width for line in lines), (card.id, width, lines)
            for before, line in zip(lines, lines[1:], strict=False):
                # closing punctuation starts a line only after a formula that fills the one above
                starts = line[:1] in NO_LINE_START and not line[:1].isascii()
                assert not starts or cell_width(before) >= width - 1, (card.id, line)
            for expr in formulas(text):
                shown = latex_to_unicode(expr)
                if cell_width(shown) <= width - 4:  # leaves room for a list item's indent
                    assert any(shown in line for line in lines), (card.id, width, shown, lines)
