"""`quizdl export anki` (open the .apkg: notes, fields, tags, GUIDs) and `quizdl export csv`;
the new commands' libraries stay out of `study` and `--help`."""

from __future__ import annotations

import csv
import sqlite3
import zipfile
from pathlib import Path

import pytest
from typer.testing import CliRunner

from quizdl import export
from quizdl.cli.app import app
from quizdl.store import Store
from tests.conftest import SAMPLE_DECKS, modules_loaded_by

runner = CliRunner()
SAMPLE = ["--cards", str(SAMPLE_DECKS)]


def run(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def _notes(apkg: Path, tmp: Path) -> dict[str, dict]:
    """card id -> {guid, tags, fields: {name: value}} read from the package's SQLite collection."""
    with zipfile.ZipFile(apkg) as zf:
        assert "collection.anki2" in zf.namelist()
        zf.extract("collection.anki2", tmp)
    db = sqlite3.connect(tmp / "collection.anki2")
    try:
        rows = db.execute("SELECT guid, tags, flds FROM notes").fetchall()
        n_cards = db.execute("SELECT COUNT(*) FROM cards").fetchone()[0]
    finally:
        db.close()
    assert n_cards == len(rows)  # one Anki card per note
    out = {}
    for guid, tags, flds in rows:
        fields = dict(zip(export.FIELDS, flds.split("\x1f"), strict=True))
        out[fields["CardId"]] = {"guid": guid, "tags": tags.split(), "fields": fields}
    return out


def test_anki_export_one_note_per_card_with_both_languages(tmp_path):
    target = tmp_path / "sample.apkg"
    result = run("export", "anki", str(target), "-t", "sample", *SAMPLE)
    assert result.exit_code == 0, result.output
    assert "wrote 4 notes in 1 deck(s)" in result.output
    notes = _notes(target, tmp_path)
    assert set(notes) == {"sample-basic", "sample-choice", "sample-numeric", "sample-term"}

    basic = notes["sample-basic"]["fields"]
    assert basic["FrontEn"] == "What does BatchNorm use to normalise in eval mode?"
    assert basic["FrontZh"].startswith("BatchNorm 在 eval 模式下")
    # Formulas become MathJax; `_` inside them is not read as Markdown emphasis.
    assert r"\(\hat x = \frac{x-\mu_{run}}{\sqrt{\sigma^2_{run}+\epsilon}}\)" in basic["BackEn"]
    assert "$" not in basic["BackEn"] + basic["BackZh"] and "<em>" not in basic["BackEn"]
    assert "使用训练中累积的滑动平均统计量" in basic["BackZh"]
    assert notes["sample-basic"]["tags"] == ["sample", "batchnorm"]  # deck, then the card tags

    choice = notes["sample-choice"]["fields"]
    assert choice["Options"].count("<li>") == 4
    assert "<li>none: it uses a cumulative average / 没有：使用累积平均</li>" in choice["Options"]
    assert choice["Answer"] == "2. 0.1"
    assert notes["sample-numeric"]["fields"]["Answer"] == "1.25 (± 0.001)"
    assert notes["sample-numeric"]["fields"]["BackEn"] == r"\(\frac{1}{1-p} = 1.25\)"
    assert notes["sample-term"]["fields"]["Answer"].startswith("RMSNorm (also: root mean square normalization")
    assert all(n["fields"]["Deck"] == "Sample deck" for n in notes.values())


def test_anki_guids_come_from_the_card_id_and_are_stable(tmp_path):
    a, b = tmp_path / "a.apkg", tmp_path / "b.apkg"
    assert run("export", "anki", str(a), "-t", "sample", *SAMPLE).exit_code == 0
    assert run("export", "anki", str(b), "-t", "sample", "--lang", "en", *SAMPLE).exit_code == 0
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first, second = _notes(a, tmp_path / "a"), _notes(b, tmp_path / "b")
    assert {k: v["guid"] for k, v in first.items()} == {k: v["guid"] for k, v in second.items()}
    assert first["sample-basic"]["guid"] == export.guid("sample-basic")
    assert len({v["guid"] for v in first.values()}) == 4
    # --lang en leaves the Chinese fields empty (the template hides empty fields).
    assert second["sample-basic"]["fields"]["FrontZh"] == "" and second["sample-basic"]["fields"]["FrontEn"]
    assert "没有" not in second["sample-choice"]["fields"]["Options"]


def test_anki_export_of_the_built_in_decks_and_errors(tmp_path):
    target = tmp_path / "all.apkg"
    result = run("export", "anki", str(target))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as zf:
        zf.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    n = db.execute("SELECT COUNT(*) FROM notes").fetchone()[0]
    db.close()
    assert n > 100 and f"wrote {n} notes" in result.output
    bad = run("export", "anki", str(tmp_path / "x.apkg"), "-t", "no-such-topic")
    assert bad.exit_code == 2 and bad.output.startswith("error: unknown topic")
    missing_dir = run("export", "anki", str(tmp_path / "nope" / "x.apkg"), "-t", "sample", *SAMPLE)
    assert missing_dir.exit_code == 2 and missing_dir.output.startswith("error: cannot write")


@pytest.mark.parametrize(
    ("markdown", "html"),
    [
        ("$a_1 * b_2$ and *b*", r"\(a_1 * b_2\) and <em>b</em>"),
        ("$$x^2$$", r"\[x^2\]"),
        ("<script>x</script> & $a<b$", r"&lt;script&gt;x&lt;/script&gt; &amp; \(a&lt;b\)"),
        ("costs \\$5", "costs $5"),
        ("one\n\ntwo", "<p>one</p>\n<p>two</p>"),
    ],
)
def test_markdown_to_anki_html(markdown, html):
    assert export.to_html(markdown) == html


def test_csv_export_one_row_per_review(tmp_path, quizdl_home):
    assert run("study", *SAMPLE, "-t", "sample", "--lang", "en", input="\n3\n2\n4\n").exit_code == 0
    target = tmp_path / "log.csv"
    result = run("export", "csv", str(target))
    assert result.exit_code == 0, result.output
    assert "wrote 2 reviews" in result.output
    with open(target, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        reviews = store.reviews()
    assert list(rows[0]) == list(export.CSV_COLUMNS)
    assert [(r["review_id"], r["item_id"], r["rating"], r["rating_name"]) for r in rows] == [
        (str(rv.id), rv.item_id, str(rv.rating), export._RATING_NAMES[rv.rating]) for rv in reviews
    ]
    assert rows[0]["kind"] == "card" and rows[0]["state_before"] == "new"
    assert rows[0]["elapsed_days"] == ""  # a first review has no previous one
    assert rows[0]["reviewed_at"].endswith("+00:00") and rows[0]["due"]
    assert float(rows[0]["stability"]) == pytest.approx(reviews[0].after.stability, rel=1e-5)


def test_csv_marks_drills_and_elapsed_days(tmp_path, quizdl_home):
    from quizdl.store import ItemState

    first = ItemState("drill:bn", 2, None, 3.0, 5.0, 1_000_000.0 + 3 * 86400, 1_000_000.0, 1, 0)
    second = ItemState("drill:bn", 2, None, 9.0, 5.0, 1_000_000.0 + 12 * 86400, 1_000_000.0 + 2.5 * 86400, 2, 0)
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        store.record_review("drill:bn", 3, 1_000_000.0, None, None, first)
        store.record_review("drill:bn", 3, 1_000_000.0 + 2.5 * 86400, 1234, first, second)
        n = export.export_csv(store, tmp_path / "d.csv")
    assert n == 2
    with open(tmp_path / "d.csv", newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["item_id"], r["kind"]) for r in rows] == [("bn", "drill"), ("bn", "drill")]
    assert rows[1]["elapsed_days"] == "2.5000" and rows[1]["duration_ms"] == "1234"
    assert rows[1]["state_before"] == "review" and rows[1]["stability"] == "9"


@pytest.mark.parametrize("args", [["--help"], ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en"]])
def test_study_and_help_import_neither_genanki_nor_fsrs_rs(args, quizdl_home):
    loaded = {m.split(".")[0] for m in modules_loaded_by(*args, home=quizdl_home)}
    assert "quizdl" in loaded  # the probe itself works
    assert not loaded & {"genanki", "fsrs_rs_python", "torch", "numpy"}, loaded
