"""`quizdl optimize`: the fit, the time-series split, saving only when better, the config key."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from quizdl import config as cfg
from quizdl import optimize as opt
from quizdl import scheduler
from quizdl.cli.app import app
from quizdl.store import Store
from tests.conftest import SAMPLE_DECKS

REPO = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def _history(home: Path, n_reviews: int, n_cards: int = 60, seed: int = 3) -> Path:
    """A realistic history from the benchmark generator: the app's scheduler, and a learner whose
    recall is R ** skill (skill 1–2.5), i.e. weaker than FSRS's defaults predict."""
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import gen
    finally:
        sys.path.remove(str(REPO / "bench"))
    home.mkdir(parents=True, exist_ok=True)
    db = home / "progress.sqlite3"
    gen.write_history(db, [f"c{i:03d}" for i in range(n_cards)], n_reviews, seed, workers=1)
    return db


@pytest.fixture
def history(quizdl_home) -> Path:
    return _history(quizdl_home, 20_000, n_cards=1000)


def test_too_few_reviews_says_how_many_are_needed(quizdl_home):
    _history(quizdl_home, 150, n_cards=20)
    result = run("optimize")
    assert result.exit_code == 1, result.output
    assert result.output.startswith("error: ") and "Traceback" not in result.output
    assert "at least 400 card reviews; you have 150 (250 more to go)" in result.output
    # The retention advice does not need a fit: it runs on the parameters in use.
    advice = runner.invoke(app, ["optimize", "--retention", "--cards", str(SAMPLE_DECKS)])
    assert advice.exit_code == 0, advice.output
    assert "you have 150" in advice.output and "Suggested desired retention" in advice.output


def test_same_day_reviews_only_is_a_clear_message_not_a_panic():
    # fsrs-rs panics (a BaseException) on items without a review on a later day; fit() never
    # hands it one.
    t0 = 1_750_000_000.0
    rows = [(f"c{i % 40}", 3, t0 + i) for i in range(450)]
    with pytest.raises(opt.QuizdlError, match="reviews on several days"):
        opt.fit(rows)


def test_build_items_counts_days_from_the_configured_day_start(monkeypatch):
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    try:
        day = 86400.0
        base = 1_750_032_000.0  # 2025-06-16 00:00 UTC
        rows = [
            ("a", 3, base + 5 * 3600),             # 05:00, study day 0 (days start at 04:00)
            ("a", 1, base + 6 * 3600),             # same day
            ("a", 3, base + day + 3 * 3600),       # 03:00 next day: still study day 0
            ("a", 3, base + day + 4.5 * 3600),     # 04:30: study day 1
            ("b", 4, base + 10 * day),
            ("a", 9, base + 11 * day),             # not a rating: ignored
            ("b", 2, base + 13 * day),
        ]
        items = opt.build_items(rows, day_starts_at=4)
    finally:
        monkeypatch.delenv("TZ")
        time.tzset()
    assert [seq for _, seq in items] == [
        [(3, 0), (1, 0)],
        [(3, 0), (1, 0), (3, 0)],
        [(3, 0), (1, 0), (3, 0), (3, 1)],
        [(4, 0), (2, 3)],
    ]
    assert [at for at, _ in items] == sorted(at for at, _ in items)


def test_fit_beats_the_defaults_on_later_reviews_and_py_fsrs_accepts_it(history):
    with Store.open(history) as store:
        rows = opt.card_reviews(store)
    result = opt.fit(rows)
    assert result.reviews == 20_000
    assert result.train_items > 3 * result.test_items > 0
    assert result.fitted.log_loss < result.default.log_loss
    assert result.improves
    assert len(result.parameters) == 21 and result.parameters != opt.default_parameters()
    # py-fsrs must take them: the scheduler the app builds from the saved config uses them.
    config = cfg.Config(fsrs_parameters=result.parameters)
    sched = scheduler.make_scheduler(config)
    assert sched.parameters == tuple(result.parameters)
    from datetime import UTC, datetime

    from fsrs import Rating

    now = datetime(2026, 1, 1, tzinfo=UTC)
    state = scheduler.review(sched, "x", None, Rating.Good, now)
    state = scheduler.review(sched, "x", state, Rating.Good, scheduler.to_utc(state.due))
    assert state.stability is not None and state.stability > 0


def test_optimize_saves_only_when_better_dry_run_and_reset(history, quizdl_home):
    dry = run("optimize", "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "default" in dry.output and "fitted" in dry.output and "log loss" in dry.output
    assert "nothing was saved" in dry.output
    assert cfg.load().fsrs_parameters is None

    first = run("optimize", "--json")
    assert first.exit_code == 0, first.output
    data = json.loads(first.output)
    assert data["saved"] and data["improves"] and data["current"] is None
    assert data["fitted"]["log_loss"] < data["default"]["log_loss"]
    saved = cfg.load().fsrs_parameters
    assert saved == pytest.approx(data["parameters"])
    on_disk = yaml.safe_load((quizdl_home / "config.yaml").read_text())
    assert len(on_disk["fsrs_parameters"]) == 21

    again = run("optimize")  # the same fit is no better than itself: config unchanged
    assert again.exit_code == 0, again.output
    assert "current" in again.output and "no better than the ones in use" in again.output
    assert cfg.load().fsrs_parameters == saved

    reset = run("optimize", "--reset")
    assert reset.exit_code == 0 and "reset to the defaults" in reset.output
    assert cfg.load().fsrs_parameters is None
    assert run("config", "get", "fsrs_parameters").output.strip() == "default"


def test_worse_fit_is_not_saved(history, monkeypatch):
    from fsrs.scheduler import UPPER_BOUNDS_PARAMETERS

    def useless(self, items, **kw):  # a "fit" that predicts far worse than the defaults
        return list(UPPER_BOUNDS_PARAMETERS)

    import fsrs_rs_python

    monkeypatch.setattr(fsrs_rs_python.FSRS, "compute_parameters", useless, raising=False)
    result = run("optimize")
    assert result.exit_code == 0, result.output
    assert "no better" in result.output
    fitted = next(ln for ln in result.output.splitlines() if ln.strip().startswith("fitted"))
    default = next(ln for ln in result.output.splitlines() if ln.strip().startswith("default"))
    assert float(fitted.split()[1]) > float(default.split()[1])
    assert cfg.load().fsrs_parameters is None


def test_retention_suggestion(history):
    result = run("optimize", "--retention", "--dry-run", "--cards", str(SAMPLE_DECKS))
    assert result.exit_code == 0, result.output
    line = next(ln for ln in result.output.splitlines() if ln.startswith("Suggested desired retention"))
    value = float(line.split(":")[1].split()[0])
    assert 0.7 <= value <= 0.99
    assert "quizdl config set desired_retention" in line
    advice = opt.suggest_retention(None, deck_size=300, new_per_day=10, max_reviews_per_day=100, days=120)
    assert 0.7 <= advice.retention <= 0.99


def test_config_key_validation(quizdl_home):
    good = " ".join(str(w) for w in opt.default_parameters())
    ok = run("config", "set", "fsrs_parameters", good)
    assert ok.exit_code == 0, ok.output
    assert cfg.load().fsrs_parameters == pytest.approx(opt.default_parameters())
    for bad in ("1 2 3", good + " 0.5", good.replace("8.2956", "nan"), "0 " + good.split(" ", 1)[1]):
        result = run("config", "set", "fsrs_parameters", bad)
        assert result.exit_code == 2 and "fsrs_parameters must be 21 numbers" in result.output, (bad, result.output)
    assert run("config", "set", "fsrs_parameters", "default").exit_code == 0
    assert cfg.load().fsrs_parameters is None
    (quizdl_home / "config.yaml").write_text("fsrs_parameters: [1, 2]\n")
    broken = run("config", "get")
    assert broken.exit_code == 2 and "fsrs_parameters must be" in broken.output


def test_bench_optimize_smoke(tmp_path):
    proc = subprocess.run(
        [sys.executable, str(REPO / "bench" / "bench_optimize.py"), "--reviews", "3000", "--cards", "100",
         "--data", str(tmp_path)],
        cwd=REPO, capture_output=True, text=True, timeout=300,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", "QUIZDL_HOME": str(tmp_path / "home")},
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "quizdl optimize" in proc.stdout and " s" in proc.stdout


def test_fitted_config_drives_the_study_scheduler(history):
    assert run("optimize").exit_code == 0
    params = cfg.load().fsrs_parameters
    assert params is not None and params[2] != pytest.approx(opt.default_parameters()[2])
    result = runner.invoke(app, ["study", "--cards", str(SAMPLE_DECKS), "-t", "sample", "--lang", "en",
                                 "--new", "1", "--limit", "1"], input="\n3\n")
    assert result.exit_code == 0, result.output
    with Store.open(history) as store:
        review = store.reviews()[-1]
    # A new card rated Good starts at stability w[2], fuzz or not: the fitted w[2], not the default.
    assert (review.item_id, review.rating) == ("sample-basic", 3)
    assert review.after.stability == pytest.approx(params[2])


def test_an_optimiser_panic_becomes_a_clear_error(history, monkeypatch):
    import fsrs_rs_python as rs

    try:  # the real panic class: an item without any later-day review makes fsrs-rs panic
        rs.FSRS(rs.DEFAULT_PARAMETERS).compute_parameters([rs.FSRSItem([rs.FSRSReview(3, 0), rs.FSRSReview(3, 0)])])
    except BaseException as exc:  # noqa: B036 - pyo3's PanicException derives from BaseException
        panic = exc
    assert type(panic).__name__ == "PanicException"

    def panics(self, items, **kw):
        raise panic

    monkeypatch.setattr(rs.FSRS, "compute_parameters", panics, raising=False)
    result = run("optimize")
    assert result.exit_code == 2, result.output
    assert result.output.startswith("error: the FSRS optimiser gave up") and "Traceback" not in result.output
    assert cfg.load().fsrs_parameters is None
