"""Synthetic, realistic benchmark data: deck files in the real format and an FSRS review history.

A dataset is a folder ``bench/out/data/<name>/`` holding

* ``decks/*.yaml`` — ``cards`` cards in decks of about 250, the four card types in realistic
  proportions, bilingual Markdown with LaTeX formulas, tags and ``see`` links (the format of
  docs/card-format.md; `quizdl cards check` accepts them);
* ``home/progress.sqlite3`` — the store (created by ``Store.open``, so with every migration), whose
  ``review_log`` has exactly ``reviews`` rows and whose ``item_state`` holds each seen card's final
  state. Every row comes from the real scheduler: each card's history is simulated review by review
  with ``quizdl.scheduler.review`` (py-fsrs, the app's own settings, fuzz on), ratings drawn from a
  simulated learner whose recall probability follows the card's FSRS retrievability;
* ``meta.json`` — sizes, seed, generator version and when it was made.

The histories are generated in two worker processes (one staging SQLite file each) and merged into
``review_log`` in time order with one ``INSERT … SELECT … ORDER BY``: ids are chronological, as in
real use. Datasets are cached by name and size and reused until ``MAX_AGE_H`` hours old (the due
dates are relative to the generation time, so an old dataset has more cards due than intended).

Usage: ``python bench/gen.py 2000 100000`` (prints the dataset folder).
"""

from __future__ import annotations

import json
import random
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
OUT = BENCH / "out"
GEN_VERSION = 2
MAX_AGE_H = 20.0
SEEN_FRACTION = 0.85  # cards with a history; the rest are new
CARDS_PER_DECK = 250
MAX_GAP_DAYS = 14.0  # the simulated crammer never leaves a card unreviewed longer than this
RECENT_GAP_S = 26 * 3600.0  # the last review of every card is at least this old

if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


@dataclass(frozen=True)
class Dataset:
    name: str
    cards: int
    reviews: int
    root: Path

    @property
    def decks(self) -> Path:
        return self.root / "decks"

    @property
    def home(self) -> Path:
        return self.root / "home"

    @property
    def db(self) -> Path:
        return self.home / "progress.sqlite3"


# --- deck text --------------------------------------------------------------------------------

_EN_WORDS = ["gradient", "batch", "layer", "norm", "weight", "bias", "variance", "mean", "activation", "loss", "optimizer", "momentum", "decay", "schedule", "warmup", "dropout", "residual", "attention", "head", "token", "embedding", "logits", "softmax", "entropy", "regularisation", "L2", "penalty", "step", "size", "curvature", "saddle", "plateau", "minibatch", "epoch", "scale", "shift", "running", "estimate", "inference", "training", "eval", "mode", "feature", "channel", "kernel", "stride", "padding", "pooling", "initialisation", "fan-in", "fan-out", "Xavier", "He", "ReLU", "GELU", "sigmoid", "tanh", "saturation", "vanishing", "exploding", "clipping", "Adam", "AdamW", "SGD", "Nesterov", "cosine", "annealing", "plateau", "label", "smoothing", "focal", "margin"]
_EN_VERBS = ["normalises", "rescales", "shrinks", "amplifies", "stabilises", "biases", "averages", "accumulates", "divides", "multiplies", "projects", "centres", "smooths", "damps", "controls", "bounds"]
_ZH_WORDS = ["梯度", "批量", "层", "归一化", "权重", "偏置", "方差", "均值", "激活", "损失", "优化器", "动量", "衰减", "学习率", "预热", "丢弃", "残差", "注意力", "词元", "嵌入", "对数几率", "交叉熵", "正则化", "惩罚", "步长", "曲率", "鞍点", "平台", "训练", "推理", "特征", "通道", "卷积核", "步幅", "填充", "池化", "初始化", "饱和", "消失", "爆炸", "裁剪", "余弦退火", "标签平滑", "估计", "缩放", "平移"]
_ZH_GLUE = ("的", "会", "使", "把", "和", "在", "时", "对", "让", "与", "，", "。")
_FORMULAS = (
    r"\hat x = \frac{x-\mu_B}{\sqrt{\sigma_B^2+\epsilon}}",
    r"y = \gamma \hat x + \beta",
    r"\theta_{t+1} = \theta_t - \eta \nabla_\theta L",
    r"m_t = \beta_1 m_{t-1} + (1-\beta_1) g_t",
    r"\hat v_t = \frac{v_t}{1-\beta_2^t}",
    r"\mathrm{softmax}(z)_i = \frac{e^{z_i}}{\sum_j e^{z_j}}",
    r"L = -\sum_i y_i \log p_i",
    r"\|w\|_2^2",
    r"\mathbb{E}[x] = \mu",
    r"\eta_t = \eta_{\min} + \frac{1}{2}(\eta_{\max}-\eta_{\min})(1+\cos(\pi t/T))",
    r"\mathrm{Var}(W) = \frac{2}{n_{in}}",
    r"\frac{\partial L}{\partial x} = \frac{\partial L}{\partial y} \odot \sigma'(x)",
    r"\mathrm{Attn}(Q,K,V) = \mathrm{softmax}\left(\frac{QK^\top}{\sqrt{d_k}}\right)V",
    r"p = 0.2 \Rightarrow \frac{1}{1-p} = 1.25",
)
_TAGS = [f"topic-{w.lower()}" for w in _EN_WORDS[:60] if w.isalpha()]


def _en(rng: random.Random, lo: int, hi: int, math: float) -> str:
    out: list[str] = []
    size = rng.randint(lo, hi)
    n = 0
    while n < size:
        words = [rng.choice(_EN_WORDS) for _ in range(rng.randint(4, 9))]
        words.insert(rng.randint(1, len(words) - 1), rng.choice(_EN_VERBS))
        sentence = " ".join(words).capitalize()
        if rng.random() < math:
            sentence += f" with ${rng.choice(_FORMULAS)}$"
        if rng.random() < 0.2:
            sentence = sentence.replace(words[0], f"*{words[0]}*", 1)
        out.append(sentence + ".")
        n += len(sentence) + 2
    return " ".join(out)


def _zh(rng: random.Random, lo: int, hi: int, math: float) -> str:
    out: list[str] = []
    size = rng.randint(lo, hi)
    n = 0
    while n < size:
        part = "".join(rng.choice(_ZH_WORDS) + rng.choice(_ZH_GLUE) for _ in range(rng.randint(3, 7)))
        if rng.random() < math:
            part += f"${rng.choice(_FORMULAS)}$"
        out.append(part + "。")
        n += len(part)
    return "".join(out)


def _wrap_lines(text: str, width: int) -> str:
    """Break a paragraph into lines (block scalars in real decks are hand-wrapped)."""
    lines, cur = [], ""
    for word in text.split(" "):
        if cur and len(cur) + len(word) + 1 > width:
            lines.append(cur)
            cur = word
        else:
            cur = f"{cur} {word}" if cur else word
    lines.append(cur)
    return "\n".join(lines) + "\n"


def _zh_lines(text: str, width: int) -> str:
    """Break after full stops (never inside a formula) once a line is `width` characters long."""
    lines, cur = [], ""
    for sentence in text.split("。"):
        if not sentence:
            continue
        cur += sentence + "。"
        if len(cur) >= width:
            lines.append(cur)
            cur = ""
    if cur:
        lines.append(cur)
    return "\n".join(lines) + "\n"


def make_card(rng: random.Random, card_id: str, deck_ids: list[str]) -> dict:
    kind = rng.choices(("basic", "choice", "numeric", "term"), (55, 20, 15, 10))[0]
    card: dict = {
        "id": card_id,
        "type": kind,
        "front": {"en": _en(rng, 60, 160, 0.25) + "?", "zh": _zh(rng, 25, 70, 0.2) + "？"},
    }
    if kind == "choice":
        opts: list = []
        for _ in range(rng.choice((3, 4, 4, 5))):
            if rng.random() < 0.5:
                opts.append(f"${rng.choice(_FORMULAS)}$" if rng.random() < 0.3 else _en(rng, 8, 30, 0))
            else:
                opts.append({"en": _en(rng, 10, 40, 0.1), "zh": _zh(rng, 5, 18, 0.1)})
        card["options"] = opts
        card["answer"] = rng.randrange(len(opts))
    elif kind == "numeric":
        card["answer"] = round(rng.uniform(-10, 100), rng.choice((0, 1, 2, 3)))
        card["tolerance"] = rng.choice((0, 0.001, 0.01, 0.5))
    elif kind == "term":
        card["answer"] = rng.choice(("BatchNorm", "LayerNorm", "RMSNorm", "AdamW", "GELU", "Xavier"))
        card["aliases"] = [f"{card['answer']} {rng.choice(_EN_WORDS)}" for _ in range(rng.randint(0, 2))]
    card["back"] = {
        "en": _wrap_lines(_en(rng, 250, 700, 0.5), 96),
        "zh": _zh_lines(_zh(rng, 100, 300, 0.4), 48),
    }
    card["tags"] = rng.sample(_TAGS, rng.randint(1, 3))
    if deck_ids and rng.random() < 0.25:
        card["see"] = rng.sample(deck_ids, min(len(deck_ids), rng.randint(1, 2)))
    return card


def write_decks(folder: Path, n_cards: int, seed: int) -> list[str]:
    """Write the decks; return the card ids in library order."""
    import yaml

    class _Dumper(yaml.SafeDumper):
        pass

    def _str(dumper, value: str):
        style = "|" if "\n" in value else None
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    _Dumper.add_representer(str, _str)
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    ids: list[str] = []
    n_decks = max(1, round(n_cards / CARDS_PER_DECK))
    per = [n_cards // n_decks + (1 if i < n_cards % n_decks else 0) for i in range(n_decks)]
    for d, count in enumerate(per):
        deck_id = f"syn-deck-{d:03d}"
        cards: list[dict] = []
        deck_card_ids: list[str] = []
        for i in range(count):
            cid = f"syn-{d:03d}-{i:04d}-{rng.choice(_EN_WORDS).lower().replace('-', '')}"
            cid = "".join(ch for ch in cid if ch.isalnum() or ch == "-")
            cards.append(make_card(rng, cid, deck_card_ids[-50:]))
            deck_card_ids.append(cid)
        doc = {
            "deck": deck_id,
            "title": {"en": f"Synthetic deck {d}: {rng.choice(_EN_WORDS)}", "zh": f"合成卡组 {d}：{rng.choice(_ZH_WORDS)}"},
            "section": 1 + d % 9,
            "cards": cards,
        }
        text = yaml.dump(doc, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=4096)
        (folder / f"{d:03d}-{deck_id}.yaml").write_text(text, encoding="utf-8")
        ids.extend(deck_card_ids)
    return ids


# --- review history ---------------------------------------------------------------------------

_STAGE_SQL = (
    "CREATE TABLE stage (item_id TEXT, rating INTEGER, reviewed_at REAL, duration_ms INTEGER,"
    " prev_state INTEGER, state_before TEXT, state_after TEXT)"
)
_FINAL_SQL = (
    "CREATE TABLE final (item_id TEXT, state INTEGER, step INTEGER, stability REAL, difficulty REAL,"
    " due REAL, last_review REAL, reps INTEGER, lapses INTEGER)"
)


def _state_json(s) -> str:
    # Same text as Store.record_review writes: json.dumps(ItemState.to_dict()) (field order kept).
    return json.dumps(
        {
            "item_id": s.item_id, "state": s.state, "step": s.step, "stability": s.stability,
            "difficulty": s.difficulty, "due": s.due, "last_review": s.last_review, "reps": s.reps,
            "lapses": s.lapses,
        }
    )


def _shifted(s, delta: float):
    from dataclasses import replace

    return replace(s, due=s.due + delta, last_review=s.last_review + delta if s.last_review is not None else None)


def simulate_card(scheduler, item_id: str, n: int, now_ts: float, rng: random.Random) -> tuple[list, object]:
    """`n` reviews of one card by the real scheduler; times shifted so the history ends before now.

    Returns ([(rating, reviewed_at, duration_ms, before, after), ...], final_state).
    """
    from fsrs import Rating, State

    from quizdl import scheduler as sched

    t = 946684800.0  # simulate from 2000-01-01; shifted below
    st = None
    events = []
    learner_skill = rng.uniform(1.0, 2.5)  # recall probability = R ** skill: a weaker-than-model learner
    for _ in range(n):
        when = sched.to_utc(t)
        if st is None:
            rating = rng.choices((1, 2, 3, 4), (25, 10, 55, 10))[0]
        else:
            if st.state == State.Review:
                p = sched.retrievability(scheduler, st, when) ** learner_skill
            else:
                p = 0.8
            rating = rng.choices((2, 3, 4), (15, 75, 10))[0] if rng.random() < p else 1
        after = sched.review(scheduler, item_id, st, Rating(rating), when)
        events.append((rating, t, int(rng.lognormvariate(8.8, 0.6)), st, after))
        st = after
        gap = min(after.due - t, MAX_GAP_DAYS * 86400)
        t = t + gap + (rng.uniform(0, 1800) if gap < 86400 else rng.uniform(0, 86400))
    # Place the last review so that the final state's due date lands around now: about 1 review
    # card in 8 overdue (by up to 30 days), the others reviewed within their interval (and within
    # the last year); learning cards due within two days.
    # Nothing was reviewed in the last 26 hours: a session starts with today's allowances unused.
    interval = st.due - st.last_review
    if st.state == State.Review and rng.random() > 0.08:
        elapsed = rng.uniform(0.0, min(interval, 365 * 86400.0))
    else:
        elapsed = interval + rng.uniform(0, (30 if st.state == State.Review else 2) * 86400)
    elapsed = max(elapsed, RECENT_GAP_S + rng.uniform(0, 3600))
    delta = (now_ts - elapsed) - st.last_review
    return [(r, at + delta, d, _shifted(b, delta) if b else None, _shifted(a, delta)) for r, at, d, b, a in events], _shifted(st, delta)


def _worker(args: tuple) -> None:
    stage_path, jobs, now_ts, seed = args
    from quizdl import scheduler as sched
    from quizdl.config import Config

    random.seed(seed)  # py-fsrs fuzz draws from the random module
    rng = random.Random(seed + 1)
    scheduler = sched.make_scheduler(Config())
    db = sqlite3.connect(stage_path)
    db.execute(_STAGE_SQL)
    db.execute(_FINAL_SQL)
    rows: list[tuple] = []
    finals: list[tuple] = []
    for item_id, n in jobs:
        events, final = simulate_card(scheduler, item_id, n, now_ts, rng)
        for rating, at, dur, before, after in events:
            rows.append((item_id, rating, at, dur, before.state if before else 0,
                         _state_json(before) if before else None, _state_json(after)))
        s = final
        finals.append((s.item_id, s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses))
        if len(rows) >= 50_000:
            with db:
                db.executemany("INSERT INTO stage VALUES (?,?,?,?,?,?,?)", rows)
            rows.clear()
    with db:
        db.executemany("INSERT INTO stage VALUES (?,?,?,?,?,?,?)", rows)
        db.executemany("INSERT INTO final VALUES (?,?,?,?,?,?,?,?,?)", finals)
    db.close()


def _budgets(ids: list[str], n_reviews: int, rng: random.Random) -> list[tuple[str, int]]:
    """Which cards have a history and how many reviews each: exactly n_reviews in total."""
    if n_reviews <= 0:
        return []
    seen = [cid for cid in ids if rng.random() < SEEN_FRACTION] or ids[:1]
    seen = seen[: n_reviews]
    weights = [rng.lognormvariate(0, 0.5) for _ in seen]  # hard cards get many more reviews
    total = sum(weights)
    counts = [max(1, int(w / total * n_reviews)) for w in weights]
    i = 0
    while sum(counts) < n_reviews:
        counts[i % len(counts)] += 1
        i += 1
    while sum(counts) > n_reviews:
        j = max(range(len(counts)), key=counts.__getitem__)
        counts[j] -= 1
    return list(zip(seen, counts, strict=True))


def write_history(db_path: Path, ids: list[str], n_reviews: int, seed: int, workers: int = 2) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from quizdl.store import Store

    rng = random.Random(seed)
    jobs = _budgets(ids, n_reviews, rng)
    with Store.open(db_path):  # the app creates the schema (every migration)
        pass
    now_ts = time.time()
    stage_dir = db_path.parent / "stage"
    shutil.rmtree(stage_dir, ignore_errors=True)
    stage_dir.mkdir()
    parts = [jobs[w::workers] for w in range(workers)]
    stages = [stage_dir / f"stage{w}.sqlite3" for w in range(workers)]
    if n_reviews >= 20_000 and workers > 1:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_worker, [(str(p), part, now_ts, seed + 100 * w) for w, (p, part) in enumerate(zip(stages, parts, strict=True))]))
    else:
        for w, (p, part) in enumerate(zip(stages, parts, strict=True)):
            _worker((str(p), part, now_ts, seed + 100 * w))
    db = sqlite3.connect(db_path, isolation_level=None)
    db.execute("PRAGMA cache_size = -262144")
    for w, p in enumerate(stages):
        db.execute(f"ATTACH DATABASE ? AS s{w}", (str(p),))
    union = " UNION ALL ".join(f"SELECT * FROM s{w}.stage" for w in range(workers))
    finals = " UNION ALL ".join(f"SELECT * FROM s{w}.final" for w in range(workers))
    # Bulk load with review_log's indexes dropped, then recreated from their own SQL (sorting
    # once is far faster than updating three b-trees a million times).
    indexes = [sql for (sql,) in db.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_log' AND sql IS NOT NULL")]
    db.execute("BEGIN")
    for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'review_log' AND sql IS NOT NULL"
    ).fetchall():
        db.execute(f'DROP INDEX "{name}"')
    db.execute(
        "INSERT INTO review_log (item_id, rating, reviewed_at, duration_ms, prev_state, state_before,"
        f" state_after) SELECT * FROM ({union}) ORDER BY reviewed_at"
    )
    for sql in indexes:
        db.execute(sql)
    db.execute(f"INSERT INTO item_state SELECT * FROM ({finals})")
    db.execute("COMMIT")
    for w in range(workers):
        db.execute(f"DETACH DATABASE s{w}")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()
    shutil.rmtree(stage_dir, ignore_errors=True)


# --- datasets ---------------------------------------------------------------------------------


def dataset(cards: int, reviews: int, *, seed: int = 7, max_age_h: float = MAX_AGE_H, log=print,
            base: Path | None = None) -> Dataset:
    """The cached dataset of this size (under base, default bench/out/data), generated (or
    regenerated when stale) as needed."""
    base = base or OUT / "data"
    name = f"c{cards}-r{reviews}-s{seed}-v{GEN_VERSION}"
    root = base / name
    ds = Dataset(name, cards, reviews, root)
    meta_path = root / "meta.json"
    try:
        meta = json.loads(meta_path.read_text())
        age_h = (time.time() - meta["generated_at"]) / 3600
        if age_h <= max_age_h and ds.db.is_file():
            return ds
        log(f"  dataset {name} is {age_h:.0f} h old; regenerating (due dates are relative to now)")
    except (OSError, ValueError, KeyError):
        pass
    t0 = time.perf_counter()
    log(f"  generating dataset {name}: {cards:,} cards, {reviews:,} review-log rows ...")
    shutil.rmtree(root, ignore_errors=True)
    for stale in base.glob(f"c{cards}-r{reviews}-s{seed}-v*"):  # older generator versions
        shutil.rmtree(stale, ignore_errors=True)
    ids = write_decks(ds.decks, cards, seed)
    ds.home.mkdir(parents=True)
    write_history(ds.db, ids, reviews, seed)
    meta_path.write_text(json.dumps({
        "cards": cards, "reviews": reviews, "seed": seed, "version": GEN_VERSION,
        "generated_at": time.time(),
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
    }, indent=2))
    log(f"  ... done in {time.perf_counter() - t0:.1f} s ({ds.db.stat().st_size / 2**20:.0f} MiB database)")
    return ds


def _describe(ds: Dataset) -> str:
    db = sqlite3.connect(ds.db)
    n_rows = db.execute("SELECT COUNT(*) FROM review_log").fetchone()[0]
    n_states = db.execute("SELECT COUNT(*) FROM item_state").fetchone()[0]
    now = time.time()
    due = db.execute("SELECT COUNT(*) FROM item_state WHERE due <= ?", (now + 86400,)).fetchone()[0]
    first, last = db.execute("SELECT MIN(reviewed_at), MAX(reviewed_at) FROM review_log").fetchone()
    db.close()
    span = (last - first) / 86400 / 365 if first else 0
    return (f"{ds.root}\n  {ds.cards:,} cards, {n_states:,} seen, {n_rows:,} reviews over {span:.1f} years, "
            f"{due:,} due within a day")


if __name__ == "__main__":
    n_cards = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    n_reviews = int(sys.argv[2]) if len(sys.argv) > 2 else 100_000
    print(_describe(dataset(n_cards, n_reviews)))
