"""Deck loading and validation: a good deck loads; each kind of bad deck is reported at its line."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizdl.cards import DeckError, check_numeric, check_term, load_library, normalize_term
from tests.conftest import SAMPLE_DECKS

GOOD = """\
deck: good
title: {en: Good deck, zh: 好卡组}
cards:
  - id: good-one
    type: basic
    front: {en: Front one?, zh: 正面一？}
    back: {en: Back one., zh: 背面一。}
    see: [good-two]
  - id: good-two
    type: term
    front: {en: Front two?, zh: 正面二？}
    answer: Layer Norm
    aliases: [LN, 层归一化]
    back: {en: Back two., zh: 背面二。}
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_for(*paths: Path, drill_ids: set[str] | None = None) -> list[str]:
    with pytest.raises(DeckError) as info:
        load_library(list(paths), drill_ids=drill_ids or set(), use_cache=False)
    assert info.value.exit_code == 2
    return [str(p) for p in info.value.problems]


def test_good_deck_loads_in_file_order(tmp_path):
    lib = load_library([write(tmp_path, "good.yaml", GOOD)], drill_ids=set(), use_cache=False)
    assert list(lib.cards) == ["good-one", "good-two"]
    assert lib.decks["good"].title["zh"] == "好卡组"
    assert lib.cards["good-two"].aliases == ("LN", "层归一化")


def test_sample_deck_covers_every_card_type():
    lib = load_library([SAMPLE_DECKS], drill_ids=set(), use_cache=False)
    assert {c.type for c in lib.cards.values()} == {"basic", "choice", "numeric", "term"}


def test_invalid_yaml_reports_line(tmp_path):
    path = write(tmp_path, "broken.yaml", "deck: x\ntitle: {en: a, zh: b}\ncards:\n  - id: [unclosed\n")
    (msg,) = problems_for(path)
    assert msg.startswith(f"{path}:") and "invalid YAML" in msg


def test_unknown_key_reports_card_and_line(tmp_path):
    path = write(tmp_path, "unknown.yaml", GOOD.replace("    see: [good-two]\n", "    colour: red\n"))
    assert problems_for(path) == [f"{path}:8: good-one: unknown key 'colour'"]


def test_missing_field(tmp_path):
    path = write(tmp_path, "missing.yaml", GOOD.replace("    back: {en: Back one., zh: 背面一。}\n", ""))
    assert problems_for(path) == [f"{path}:4: good-one: missing field 'back'"]


def test_missing_language(tmp_path):
    path = write(tmp_path, "lang.yaml", GOOD.replace("{en: Front one?, zh: 正面一？}", "{en: Front one?}"))
    assert problems_for(path) == [f"{path}:6: good-one: front: missing zh text"]


def test_wrong_types(tmp_path):
    text = GOOD.replace("type: basic", "type: multiple").replace("aliases: [LN, 层归一化]", "aliases: LN")
    path = write(tmp_path, "types.yaml", text)
    assert problems_for(path) == [
        f"{path}:5: good-one: type must be one of basic, choice, numeric, term, not 'multiple'",
        f"{path}:13: good-two: aliases must be a list of non-empty strings",
    ]


def test_choice_answer_out_of_range(tmp_path):
    path = write(tmp_path, "choice.yaml", """\
        deck: c
        title: {en: C, zh: C}
        cards:
          - id: c-one
            type: choice
            front: {en: Q?, zh: 问？}
            options: [a, b]
            answer: 2
            back: {en: A., zh: 答。}
        """)
    assert problems_for(path) == [f"{path}:8: c-one: answer index 2 is out of range for 2 options"]


@pytest.mark.parametrize("section", [1, 10])
def test_section_accepts_every_curriculum_section(tmp_path, section):
    path = write(tmp_path, "sec.yaml", GOOD.replace("cards:\n", f"section: {section}\ncards:\n", 1))
    assert load_library([path], drill_ids=set(), use_cache=False).decks["good"].section == section


@pytest.mark.parametrize("section", ["0", "11", "'10'", "true"])
def test_section_outside_the_curriculum_is_rejected(tmp_path, section):
    path = write(tmp_path, "sec.yaml", GOOD.replace("cards:\n", f"section: {section}\ncards:\n", 1))
    assert problems_for(path) == [f"{path}:3: good: section must be a curriculum section number 1-10"]


def test_duplicate_ids_name_both_files(tmp_path):
    first = write(tmp_path, "a.yaml", GOOD)
    second = write(tmp_path, "b.yaml", GOOD.replace("deck: good", "deck: other").replace("good-two", "other-two"))
    assert problems_for(first, second) == [
        f"{second}:4: good-one: duplicate card id (also at {first}:4)",
    ]


def test_dangling_links(tmp_path):
    text = GOOD.replace("see: [good-two]", "see: [nowhere]\n    drill: no-such-drill")
    path = write(tmp_path, "links.yaml", text)
    assert problems_for(path) == [
        f"{path}:4: good-one: see: no card with id 'nowhere'",
        f"{path}:4: good-one: drill: no drill with id 'no-such-drill'",
    ]


def test_every_problem_reported_at_once(tmp_path):
    bad_yaml = write(tmp_path, "1.yaml", "deck: [\n")
    bad_card = write(tmp_path, "2.yaml", GOOD.replace("type: term", "type: nope").replace("see: [good-two]", "see: [x]"))
    messages = problems_for(bad_yaml, bad_card)
    assert len(messages) == 3
    assert {m.split(":")[0] for m in messages} == {str(bad_yaml), str(bad_card)}


def test_cache_is_used_and_invalidated(tmp_path):
    path = write(tmp_path, "good.yaml", GOOD)
    assert "good-one" in load_library([path], drill_ids=set()).cards
    assert "good-one" in load_library([path], drill_ids=set()).cards  # from the cache
    path.write_text(GOOD.replace("good-one", "good-uno").replace("[good-two]", "[good-two]"), encoding="utf-8")
    assert "good-uno" in load_library([path], drill_ids=set()).cards


def test_term_and_numeric_checking():
    lib = load_library([SAMPLE_DECKS], drill_ids=set(), use_cache=False)
    term, num = lib.cards["sample-term"], lib.cards["sample-numeric"]
    assert check_term(term, " rms-norm ") and check_term(term, "均方根归一化")
    assert not check_term(term, "") and not check_term(term, "LayerNorm")
    assert check_numeric(num, "1.25") and check_numeric(num, "5/4") and check_numeric(num, "125%")
    assert not check_numeric(num, "1.3") and not check_numeric(num, "abc")


@given(st.text(alphabet="abcXYZ- _", min_size=1))
def test_normalize_term_ignores_case_spaces_hyphens(word):
    variant = word.upper().replace("-", " ")
    assert normalize_term(word) == normalize_term(variant)


@pytest.mark.parametrize(("typed", "value"), [
    ("0.9^0.01", 0.9 ** 0.01), ("2**-3", 0.125), ("1/(1+0.5*10)", 1 / 6), ("1 - 0.9**2", 1 - 0.81),
    ("sqrt(2)/2", 2 ** 0.5 / 2), ("ln(2)", 0.6931471805599453), ("−0.5", -0.5), ("12.5%", 0.125),
    ("1,000", 1000.0), ("3e-4 * 2", 6e-4), ("2×3", 6.0),
])
def test_numeric_answers_accept_simple_arithmetic(typed, value):
    from quizdl.cards import parse_number

    assert parse_number(typed) == pytest.approx(value, rel=1e-12)


@pytest.mark.parametrize("typed", ["abc", "1,5", "2**10**10", "10**400", "__import__('os')", "(1", "1/0",
                                   "x + 1", "open('f')", "[1]", "True", "'1'", "(-8)**0.5", "9" * 200])
def test_what_is_not_a_number_is_refused_without_evaluating_it(typed):
    from quizdl.cards import parse_number

    assert parse_number(typed) is None


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_a_typed_float_reads_back_as_itself(x):
    from quizdl.cards import parse_number

    assert parse_number(repr(x)) == x
