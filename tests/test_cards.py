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
def test_section_outside_the_curriculum_is_rejected_in_builtin_decks(tmp_path, monkeypatch, section):
    from quizdl import paths

    monkeypatch.setattr(paths, "builtin_dir", lambda kind: tmp_path)
    path = write(tmp_path, "sec.yaml", GOOD.replace("cards:\n", f"section: {section}\ncards:\n", 1))
    assert problems_for(path) == [f"{path}:3: good: section must be a curriculum section number 1-10"]


@pytest.mark.parametrize(("section", "stored"), [("10", 10), ("42", 42), ("'ch. 3'", "ch. 3"), ("true", None)])
def test_a_users_own_deck_may_name_any_section(tmp_path, section, stored):
    path = write(tmp_path, "sec.yaml", GOOD.replace("cards:\n", f"section: {section}\ncards:\n", 1))
    lib = load_library([path], drill_ids=set(), use_cache=False)
    assert lib.decks["good"].section == stored and len(lib.cards) == 2


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


# --- issue 13 item 5: one bad deck of the user's does not stop the others -----------------------


def test_not_strict_loads_the_good_decks_and_keeps_the_problems(tmp_path):
    good = write(tmp_path, "a.yaml", GOOD)
    bad = write(tmp_path, "b.yaml", GOOD.replace("deck: good", "deck: bad").replace("good-", "bad-")
                .replace("    type: term\n", "    type: wrong\n"))
    lib = load_library([good, bad], drill_ids=set(), use_cache=False, strict=False)
    assert list(lib.cards) == ["good-one", "good-two", "bad-one"]
    assert lib.cards["bad-one"].see == ()  # its link led to the skipped card: dropped, not dangling
    assert [str(p).split(": ", 1)[0] for p in lib.problems] == [f"{bad}:10"]
    with pytest.raises(DeckError):
        load_library([good, bad], drill_ids=set(), use_cache=False)


@pytest.mark.parametrize(("command", "shows"), [
    (["topics"], ["normalization", "good"]),
    (["cards", "list"], ["norm-running-var-unbiased", "good-one"]),
    (["stats"], []),
    (["study", "--limit", "1"], []),
])
def test_cli_warns_once_and_keeps_the_other_cards(tmp_path, monkeypatch, command, shows):
    from typer.testing import CliRunner

    from quizdl.cli.app import app

    monkeypatch.setenv("QUIZDL_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("COLUMNS", "200")
    user = tmp_path / "home" / "cards"
    user.mkdir(parents=True)
    write(user, "mine.yaml", GOOD.replace("cards:\n", "section: [1]\ncards:\n", 1).replace("    type: term\n", "    type: nope\n"))
    result = CliRunner().invoke(app, command, input="q\n")
    assert result.exit_code == 0, result.output
    assert all(s in result.output for s in shows), result.output
    warnings = [line for line in result.output.splitlines() if "mine.yaml:" in line]
    assert len(warnings) == 1 and "mine.yaml:11" in warnings[0], result.output


# --- issue 13 item 6: `cards check` reports every problem of every stage at once ----------------


def test_every_stage_reported_at_once(tmp_path):
    text = GOOD.replace("    back: {en: Back one., zh: 背面一。}\n", "") + (
        "  - id: good-two\n"
        "    type: basic\n"
        "    front: {en: 'Uses $\\foo{x}$ and $5', zh: '用 $x^2$'}\n"
        "    back: {en: Fine., zh: 好。}\n"
    )
    path = write(tmp_path, "all.yaml", text)
    with pytest.raises(DeckError) as info:
        load_library([path], drill_ids=set(), use_cache=False, check_text=True)
    messages = [p.message for p in info.value.problems]
    assert "missing field 'back'" in messages
    assert any(m.startswith("front.en: unknown LaTeX macro \\foo") for m in messages), messages
    assert any(m.startswith("front.en: unclosed $") for m in messages), messages
    assert any(m.startswith("duplicate card id") for m in messages), messages


def test_duplicate_id_of_an_invalid_card_is_still_reported(tmp_path):
    text = GOOD + "  - id: good-one\n    type: basic\n    front: {en: x, zh: 字}\n"
    messages = problems_for(write(tmp_path, "dup.yaml", text))
    assert any("missing field 'back'" in m for m in messages)
    assert any("good-one: duplicate card id" in m for m in messages), messages


# --- issue 12: hostile YAML costs bounded work; every quoted text is capped ------------------------


BILLION_LAUGHS = """\
deck: lol
title: {en: a, zh: b}
cards:
  - id: lol
    type: basic
    front: {en: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"], zh: x}
    b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
    c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
    d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
    e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
    f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
    g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
    h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
    i: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


def test_alias_bomb_is_refused_quickly_with_a_short_message(tmp_path):
    import time

    path = tmp_path / "bomb.yaml"
    path.write_text(BILLION_LAUGHS, encoding="utf-8")
    assert len(BILLION_LAUGHS.encode()) < 600
    started = time.monotonic()
    (message,) = problems_for(path)
    assert time.monotonic() - started < 1.0
    assert message == f"{path}:6: -: YAML anchors and aliases (&name, *name) are not allowed"


def test_duplicate_keys_in_a_card_are_reported_at_their_line(tmp_path):
    text = GOOD.replace("    back: {en: Back one., zh: 背面一。}\n",
                        "    back: {en: Back one., zh: 背面一。}\n    back: {en: Again., zh: 又。}\n    id: good-one\n")
    messages = problems_for(write(tmp_path, "keys.yaml", text))
    assert f"{tmp_path / 'keys.yaml'}:8: good-one: duplicate key 'back' (first at line 7; YAML would keep only the last)" in messages
    assert f"{tmp_path / 'keys.yaml'}:9: good-one: duplicate key 'id' (first at line 4; YAML would keep only the last)" in messages


def test_messages_quoting_user_data_are_capped(tmp_path):
    huge = "x" * 100_000
    text = GOOD.replace("    type: term\n", f"    type: {huge}\n").replace("id: good-one", f"id: {'A' * 50_000}")
    messages = problems_for(write(tmp_path, "huge.yaml", text))
    assert messages and all(len(m) < len(str(tmp_path)) + 400 for m in messages), [len(m) for m in messages]


def test_drill_and_config_yaml_refuse_aliases_too():
    from quizdl import yamlcache

    with pytest.raises(yamlcache.InvalidYaml, match="line 5: YAML anchors and aliases"):
        yamlcache.parse(BILLION_LAUGHS.replace("deck: lol\n", "").replace("cards:\n", "x:\n"))
    with pytest.raises(yamlcache.InvalidYaml) as info:
        yamlcache.parse("key: [" + "x" * 10_000)
    assert len(str(info.value)) <= 200


def test_invalid_yaml_is_still_reported_as_invalid_yaml_after_the_alias_scan(tmp_path):
    from quizdl import yamlcache

    with pytest.raises(yamlcache.InvalidYaml, match="expected"):
        yamlcache.parse("key: [unclosed\nother: 1\n")
