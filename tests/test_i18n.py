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
