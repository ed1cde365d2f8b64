"""Progress store: one SQLite file holding FSRS state per item, the review log and drill attempts.

Items are cards (id = the card's slug) and drills (id = ``drill:<drill-id>``), so both share
one scheduling path. Every write is its own transaction: an answer is durable before the next
card is shown. Times are stored as UTC epoch seconds (REAL) so range queries use plain indexes.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from quizdl.errors import QuizdlError

NEW = 0  # pseudo-state for an item that has never been reviewed (fsrs.State is 1..3)
DRILL_PREFIX = "drill:"


@dataclass(frozen=True)
class ItemState:
    """FSRS memory state of one card or drill, as stored (times in UTC epoch seconds)."""

    item_id: str
    state: int  # fsrs.State value: 1 Learning, 2 Review, 3 Relearning
    step: int | None
    stability: float | None
    difficulty: float | None
    due: float
    last_review: float | None
    reps: int = 0
    lapses: int = 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> ItemState:
        return cls(**data)


@dataclass(frozen=True)
class Review:
    id: int
    item_id: str
    rating: int
    reviewed_at: float
    duration_ms: int | None
    prev_state: int
    before: ItemState | None
    after: ItemState


@dataclass(frozen=True)
class DrillAttempt:
    drill_id: str
    attempted_at: float
    passed: bool
    tests_passed: int
    tests_total: int
    diagnosis: str | None
    duration_ms: int | None
    counted: bool = True  # a review: the tests judged the work (see drill_progress)
    hints_used: int = 0  # hints seen in this review cycle when the file was graded
    source_sha: str | None = None  # sha256 of the graded text, to spot unchanged re-grades


# --- migrations -----------------------------------------------------------------------------

MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = []


def migration(fn: Callable[[sqlite3.Connection], None]) -> Callable[[sqlite3.Connection], None]:
    """Register a schema migration; its position in the list is the user_version it leads to."""
    MIGRATIONS.append(fn)
    return fn


@migration
def m001_initial(db: sqlite3.Connection) -> None:
    _run_script(
        db,
        """
        CREATE TABLE item_state (
            item_id     TEXT PRIMARY KEY,
            state       INTEGER NOT NULL,
            step        INTEGER,
            stability   REAL,
            difficulty  REAL,
            due         REAL NOT NULL,
            last_review REAL,
            reps        INTEGER NOT NULL DEFAULT 0,
            lapses      INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX item_state_due ON item_state(due);

        CREATE TABLE review_log (
            id          INTEGER PRIMARY KEY,
            item_id     TEXT NOT NULL,
            rating      INTEGER NOT NULL,
            reviewed_at REAL NOT NULL,
            duration_ms INTEGER,
            prev_state  INTEGER NOT NULL,
            state_before TEXT,
            state_after TEXT NOT NULL
        );
        CREATE INDEX review_log_time ON review_log(reviewed_at);
        CREATE INDEX review_log_item ON review_log(item_id);

        CREATE TABLE buried (
            item_id TEXT PRIMARY KEY,
            until   REAL NOT NULL
        );

        CREATE TABLE drill_attempt (
            id           INTEGER PRIMARY KEY,
            drill_id     TEXT NOT NULL,
            attempted_at REAL NOT NULL,
            passed       INTEGER NOT NULL,
            tests_passed INTEGER NOT NULL,
            tests_total  INTEGER NOT NULL,
            diagnosis    TEXT,
            duration_ms  INTEGER
        );
        CREATE INDEX drill_attempt_drill ON drill_attempt(drill_id, attempted_at);

        CREATE TABLE drill_solution_view (
            id        INTEGER PRIMARY KEY,
            drill_id  TEXT NOT NULL,
            viewed_at REAL NOT NULL,
            forced    INTEGER NOT NULL
        );
        """
    )


@migration
def m002_fair_attempts(db: sqlite3.Connection) -> None:
    """Attempts that were not reviews, hints used, the graded text's hash; hints seen."""
    _run_script(
        db,
        """
        ALTER TABLE drill_attempt ADD COLUMN counted INTEGER NOT NULL DEFAULT 1;
        ALTER TABLE drill_attempt ADD COLUMN hints_used INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE drill_attempt ADD COLUMN source_sha TEXT;

        CREATE TABLE drill_hint_view (
            id        INTEGER PRIMARY KEY,
            drill_id  TEXT NOT NULL,
            hint      INTEGER NOT NULL,
            viewed_at REAL NOT NULL
        );
        CREATE INDEX drill_hint_view_drill ON drill_hint_view(drill_id, viewed_at)
        """
    )


@migration
def m003_cards_from_drills(db: sqlite3.Connection) -> None:
    """Cards a drill's diagnosis sent to the front of the next study session."""
    _run_script(
        db,
        """
        CREATE TABLE card_flag (
            card_id    TEXT PRIMARY KEY,
            drill_id   TEXT NOT NULL,
            mistake    TEXT NOT NULL,
            flagged_at REAL NOT NULL
        )
        """
    )


@migration
def m004_interviews(db: sqlite3.Connection) -> None:
    """Mock interviews (`quizdl interview`): one scorecard per row. `topics` (the --topic
    filter), `per_topic` ([{topic, right, wrong}]) and `mistakes` (diagnosed mistake ids) are JSON."""
    _run_script(
        db,
        """
        CREATE TABLE interview (
            id              INTEGER PRIMARY KEY,
            started_at      REAL NOT NULL,
            minutes         REAL NOT NULL,
            elapsed_s       REAL NOT NULL,
            topics          TEXT NOT NULL,
            cards_right     INTEGER NOT NULL,
            cards_total     INTEGER NOT NULL,
            per_topic       TEXT NOT NULL,
            drill_id        TEXT,
            drill_file      TEXT,
            drill_passed    INTEGER,
            seconds_to_pass REAL,
            drill_grades    INTEGER NOT NULL DEFAULT 0,
            mistakes        TEXT NOT NULL,
            hints_used      INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX interview_time ON interview(started_at)
        """
    )


def _has_json_and_generated_columns(db: sqlite3.Connection) -> bool:
    """Generated columns need SQLite 3.31; json_extract the JSON functions (built in since 3.38,
    optional before). Python may link an older system SQLite."""
    if sqlite3.sqlite_version_info < (3, 31, 0):
        return False
    try:
        db.execute("SELECT json_extract('{\"a\": 1}', '$.a')").fetchone()
    except sqlite3.OperationalError:
        return False
    return True


@migration
def m005_review_intervals(db: sqlite3.Connection) -> None:
    """The interval a review card was scheduled with (seconds), read from state_before, and an
    index holding it: `stats` splits true retention into young and mature cards over a year of
    reviews, and reading the JSON of each of them took ~0.4 s at 1,000,000 reviews (50 ms from
    this index). A VIRTUAL column: nothing to write per answer, no row rewritten here. On an
    SQLite without generated columns or JSON functions nothing is added and `stats` reads the
    JSON in Python instead (slower, same numbers)."""
    if not _has_json_and_generated_columns(db):
        return
    _run_script(
        db,
        """
        ALTER TABLE review_log ADD COLUMN last_interval REAL GENERATED ALWAYS AS
            (json_extract(state_before, '$.due') - json_extract(state_before, '$.last_review')) VIRTUAL;
        CREATE INDEX review_log_retention ON review_log(reviewed_at, rating, last_interval, item_id)
            WHERE prev_state = 2
        """
    )


@migration
def m006_suspended(db: sqlite3.Connection) -> None:
    """Cards the user took out of every queue (`quizdl cards suspend`) until unsuspended: a
    built-in leech cannot be rewritten, only set aside. Its schedule and history stay intact."""
    _run_script(
        db,
        """
        CREATE TABLE suspended (
            item_id      TEXT PRIMARY KEY,
            suspended_at REAL NOT NULL
        )
        """
    )


def _run_script(db: sqlite3.Connection, script: str) -> None:
    # Not executescript(): it COMMITs first, which would split a migration from its version bump.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


def schema_version() -> int:
    return len(MIGRATIONS)


def _disk_full(path: Path) -> bool:
    """Whether the filesystem holding `path` has no room left (SQLite reports a full disk
    while growing its shared-memory file as a plain I/O error)."""
    import os

    try:
        st = os.statvfs(path.parent)
    except OSError:
        return False
    return st.f_bavail * st.f_frsize < 64 * 1024


# --- the store ------------------------------------------------------------------------------

_STATE_COLUMNS = "item_id, state, step, stability, difficulty, due, last_review, reps, lapses"


_STATE_FIELDS = tuple(_STATE_COLUMNS.split(", "))


def _row_to_state(row: tuple) -> ItemState:
    # ItemState(*row) without its nine frozen-attribute calls: stats and the study queue turn
    # thousands of rows into states (ItemState has no __post_init__).
    state = object.__new__(ItemState)
    state.__dict__.update(zip(_STATE_FIELDS, row, strict=False))
    return state


class Store:
    """A connection to the progress database. Use ``Store.open()``; close it or use ``with``."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    # opening -----------------------------------------------------------------------------
    @classmethod
    def open(cls, path: Path | None = None, *, busy_timeout_ms: int = 5000) -> Store:
        from quizdl import paths

        path = Path(path) if path is not None else paths.db_path()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise QuizdlError(f"cannot create the data directory {path.parent}: {exc.strerror}",
                              zh=f"无法创建数据目录 {path.parent}：{exc.strerror}") from None
        if path.exists() and path.is_dir():
            raise QuizdlError(f"progress database {path} is a directory, not a file",
                              zh=f"进度数据库 {path} 是目录，而不是文件")
        try:
            conn = sqlite3.connect(path, timeout=busy_timeout_ms / 1000, isolation_level=None)
        except sqlite3.Error as exc:
            raise QuizdlError(f"cannot open progress database {path}: {exc}",
                              zh=f"无法打开进度数据库 {path}：{exc}") from None
        store = cls(conn, path)
        with store._translate_errors():
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            # Reading user_version makes SQLite check the header: a non-database file fails here.
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            store._migrate(version)
        return store

    def _migrate(self, version: int) -> None:
        if version > len(MIGRATIONS):
            raise QuizdlError(
                f"progress database {self.path} has schema version {version}, newer than this "
                f"quizdl understands ({len(MIGRATIONS)}); upgrade quizdl",
                zh=f"进度数据库 {self.path} 的 schema 版本为 {version}，比本 quizdl 能读的（{len(MIGRATIONS)}）更新；"
                   "请升级 quizdl",
            )
        while version < len(MIGRATIONS):
            with self.transaction():
                # Re-read under the write lock: another quizdl may have migrated meanwhile.
                version = self.conn.execute("PRAGMA user_version").fetchone()[0]
                if version < len(MIGRATIONS):
                    MIGRATIONS[version](self.conn)
                    version += 1
                    self.conn.execute(f"PRAGMA user_version = {version}")

    @contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """SQLite's errors as the truth a user can act on. Only a file SQLite cannot parse is
        called corrupt; a full disk or an I/O error says so and that the file is intact (every
        answer is its own transaction: what was saved before stays saved)."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            raise self._user_error(exc) from None

    def _user_error(self, exc: sqlite3.DatabaseError) -> Exception:
        msg = str(exc)
        code = getattr(exc, "sqlite_errorcode", None)
        primary = code & 0xFF if isinstance(code, int) else None
        if primary in (5, 6) or "locked" in msg or "busy" in msg:  # SQLITE_BUSY, SQLITE_LOCKED
            return QuizdlError(
                f"progress database {self.path} is locked by another quizdl process; "
                "finish that session and try again",
                zh=f"进度数据库 {self.path} 正被另一个 quizdl 进程锁定；请先结束那个会话再试",
            )
        if primary == 8 or (isinstance(exc, sqlite3.OperationalError) and "readonly" in msg):
            return QuizdlError(f"progress database {self.path} is read-only", zh=f"进度数据库 {self.path} 是只读的")
        if primary == 14 or (isinstance(exc, sqlite3.OperationalError) and "unable to open" in msg):
            return QuizdlError(f"cannot open progress database {self.path} ({msg})",
                               zh=f"无法打开进度数据库 {self.path}（{msg}）")
        intact = "your progress database is intact (every answer saved before this one is kept)"
        if primary == 13 or "disk is full" in msg or (primary == 10 and _disk_full(self.path)):
            return QuizdlError(
                f"disk full: cannot write to {self.path} ({msg}); {intact}. Free some space and "
                "run quizdl again", exit_code=74,
                zh=f"磁盘已满：无法写入 {self.path}（{msg}）；进度数据库完好（此前保存的每个答案都在）。"
                   "请腾出空间后再运行 quizdl",
            )
        if primary == 10 or "disk I/O" in msg:  # SQLITE_IOERR: the OS refused a read or write
            name = getattr(exc, "sqlite_errorname", "") or "SQLITE_IOERR"
            return QuizdlError(
                f"cannot read or write {self.path}: the operating system reported an I/O error "
                f"({name}); quizdl left the file as it was. Check the disk, then run quizdl again",
                exit_code=74,
                zh=f"无法读写 {self.path}：操作系统报告了 I/O 错误（{name}）；quizdl 没有改动该文件。"
                   "请检查磁盘后再运行 quizdl",
            )
        if primary in (11, 26) or any(w in msg for w in ("not a database", "malformed", "corrupt", "encrypted")):
            return QuizdlError(
                f"progress database {self.path} is unreadable or corrupt ({msg}); quizdl left it "
                "untouched — move it aside to start afresh, or restore a backup",
                zh=f"进度数据库 {self.path} 无法读取或已损坏（{msg}）；quizdl 没有改动它 — "
                   "把它移开即可重新开始，或恢复一个备份",
            )
        return exc


    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """BEGIN IMMEDIATE ... COMMIT: the write lock is taken up front, so writers queue, never clash."""
        with self._translate_errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                yield self.conn
            except BaseException:
                self.conn.execute("ROLLBACK")
                raise
            self.conn.execute("COMMIT")

    def query(self, sql: str, params: Iterable | dict = ()) -> list[tuple]:
        with self._translate_errors():
            return self.conn.execute(sql, params).fetchall()

    def close(self) -> None:
        self.conn.close()

    def copy_to(self, target: sqlite3.Connection) -> None:
        """SQLite's online backup of this database into `target`: a consistent snapshot, even
        while other connections write (`quizdl backup`)."""
        with self._translate_errors():
            self.conn.backup(target)

    def copy_from(self, source: sqlite3.Connection) -> None:
        """Replace this database's content with `source`'s through SQLite's locks, so another
        quizdl with the file open sees the new content, never a half-written file (`quizdl restore`)."""
        with self._translate_errors():
            source.backup(self.conn)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # item state ------------------------------------------------------------------------------
    def get_state(self, item_id: str) -> ItemState | None:
        rows = self.query(f"SELECT {_STATE_COLUMNS} FROM item_state WHERE item_id = ?", (item_id,))
        return _row_to_state(rows[0]) if rows else None

    def all_states(self, *, drills: bool = False) -> dict[str, ItemState]:
        """Every stored card state (or, with drills=True, every drill state)."""
        op = "LIKE" if drills else "NOT LIKE"
        rows = self.query(
            f"SELECT {_STATE_COLUMNS} FROM item_state WHERE item_id {op} ?", (DRILL_PREFIX + "%",)
        )
        return {row[0]: _row_to_state(row) for row in rows}

    def due_before(self, when: float, *, drills: bool = False) -> list[ItemState]:
        op = "LIKE" if drills else "NOT LIKE"
        rows = self.query(
            f"SELECT {_STATE_COLUMNS} FROM item_state WHERE due <= ? AND item_id {op} ? ORDER BY due",
            (when, DRILL_PREFIX + "%"),
        )
        return [_row_to_state(r) for r in rows]

    def next_due_after(self, when: float, *, drills: bool = False) -> float | None:
        op = "LIKE" if drills else "NOT LIKE"
        rows = self.query(
            f"SELECT MIN(due) FROM item_state WHERE due > ? AND item_id {op} ?",
            (when, DRILL_PREFIX + "%"),
        )
        return rows[0][0]

    # reviews -----------------------------------------------------------------------------------
    def record_review(
        self,
        item_id: str,
        rating: int,
        reviewed_at: float,
        duration_ms: int | None,
        before: ItemState | None,
        after: ItemState,
    ) -> int:
        """Log one review and store the new state, atomically. Returns the review's id."""
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO review_log (item_id, rating, reviewed_at, duration_ms, prev_state,"
                " state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    item_id,
                    rating,
                    reviewed_at,
                    duration_ms,
                    before.state if before else NEW,
                    json.dumps(before.to_dict()) if before else None,
                    json.dumps(after.to_dict()),
                ),
            )
            self._put_state(db, after)
            return int(cur.lastrowid)

    def record_review_current(
        self,
        item_id: str,
        rating: int,
        reviewed_at: float,
        duration_ms: int | None,
        expected_before: ItemState | None,
        planned_after: ItemState,
        recompute: Callable[[ItemState | None], ItemState],
    ) -> tuple[int, ItemState | None, ItemState]:
        """Log a review computed from the state the item has *now*, in one write transaction.

        Another quizdl (a second study session) may have reviewed the item since this one read
        it: then `planned_after` was computed from a stale state and `recompute(current)` gives
        the outcome from the current one. Returns (review id, the state before, the state after)."""
        with self.transaction() as db:
            rows = db.execute(f"SELECT {_STATE_COLUMNS} FROM item_state WHERE item_id = ?", (item_id,)).fetchall()
            current = _row_to_state(rows[0]) if rows else None
            after = planned_after if current == expected_before else recompute(current)
            cur = db.execute(
                "INSERT INTO review_log (item_id, rating, reviewed_at, duration_ms, prev_state,"
                " state_before, state_after) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (item_id, rating, reviewed_at, duration_ms, current.state if current else NEW,
                 json.dumps(current.to_dict()) if current else None, json.dumps(after.to_dict())),
            )
            self._put_state(db, after)
            return int(cur.lastrowid), current, after

    @staticmethod
    def _put_state(db: sqlite3.Connection, s: ItemState) -> None:
        db.execute(
            f"INSERT OR REPLACE INTO item_state ({_STATE_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)",
            (s.item_id, s.state, s.step, s.stability, s.difficulty, s.due, s.last_review, s.reps, s.lapses),
        )

    def get_review(self, review_id: int) -> Review | None:
        rows = self.query(
            "SELECT id, item_id, rating, reviewed_at, duration_ms, prev_state, state_before, state_after"
            " FROM review_log WHERE id = ?",
            (review_id,),
        )
        if not rows:
            return None
        rid, item, rating, at, dur, prev, before, after = rows[0]
        return Review(
            rid, item, rating, at, dur, prev,
            ItemState.from_dict(json.loads(before)) if before else None,
            ItemState.from_dict(json.loads(after)),
        )

    def undo_review(self, review_id: int) -> Review:
        """Remove a review and put the item back in the state it had before it."""
        review = self.get_review(review_id)
        if review is None:
            raise QuizdlError(f"no review #{review_id} to undo", zh=f"没有可撤销的复习 #{review_id}")
        with self.transaction() as db:
            db.execute("DELETE FROM review_log WHERE id = ?", (review_id,))
            if review.before is None:
                db.execute("DELETE FROM item_state WHERE item_id = ?", (review.item_id,))
            else:
                self._put_state(db, review.before)
        return review

    def reviews(self, item_id: str | None = None) -> list[Review]:
        where, params = ("WHERE item_id = ?", (item_id,)) if item_id else ("", ())
        rows = self.query(f"SELECT id FROM review_log {where} ORDER BY id", params)
        return [r for (rid,) in rows if (r := self.get_review(rid)) is not None]

    def count_reviews_since(self, since: float, *, new_only: bool = False, drills: bool = False) -> int:
        op = "LIKE" if drills else "NOT LIKE"
        extra = " AND prev_state = 0" if new_only else ""
        rows = self.query(
            f"SELECT COUNT(*) FROM review_log WHERE reviewed_at >= ? AND item_id {op} ?{extra}",
            (since, DRILL_PREFIX + "%"),
        )
        return rows[0][0]

    # burying (skip until tomorrow) ----------------------------------------------------------
    def bury(self, item_id: str, until: float) -> None:
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO buried (item_id, until) VALUES (?, ?)", (item_id, until))

    def buried_at(self, now: float) -> set[str]:
        return {r[0] for r in self.query("SELECT item_id FROM buried WHERE until > ?", (now,))}

    # suspending (out of every queue until unsuspended) ------------------------------------------
    def suspend(self, item_ids: Iterable[str], at: float) -> list[str]:
        """Suspend these items; returns those that were not suspended already."""
        ids = list(dict.fromkeys(item_ids))
        with self.transaction() as db:
            before = self._suspended(db)
            db.executemany(
                "INSERT OR IGNORE INTO suspended (item_id, suspended_at) VALUES (?, ?)", [(i, at) for i in ids]
            )
        return [i for i in ids if i not in before]

    def unsuspend(self, item_ids: Iterable[str]) -> list[str]:
        """Put these items back in the queues; returns those that were suspended."""
        ids = list(dict.fromkeys(item_ids))
        with self.transaction() as db:
            before = self._suspended(db)
            db.executemany("DELETE FROM suspended WHERE item_id = ?", [(i,) for i in ids])
        return [i for i in ids if i in before]

    def suspended(self) -> set[str]:
        return {r[0] for r in self.query("SELECT item_id FROM suspended")}

    @staticmethod
    def _suspended(db: sqlite3.Connection) -> set[str]:
        return {r[0] for r in db.execute("SELECT item_id FROM suspended")}

    def unbury(self, item_id: str | None = None) -> int:
        """Lift the bury of one item (or, with None, of all); returns how many rows went."""
        with self.transaction() as db:
            if item_id is None:
                return db.execute("DELETE FROM buried").rowcount
            return db.execute("DELETE FROM buried WHERE item_id = ?", (item_id,)).rowcount

    # drills ------------------------------------------------------------------------------------
    def record_drill_attempt(self, attempt: DrillAttempt) -> int:
        with self.transaction() as db:
            cur = db.execute(
                "INSERT INTO drill_attempt (drill_id, attempted_at, passed, tests_passed, tests_total,"
                " diagnosis, duration_ms, counted, hints_used, source_sha) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    attempt.drill_id,
                    attempt.attempted_at,
                    int(attempt.passed),
                    attempt.tests_passed,
                    attempt.tests_total,
                    attempt.diagnosis,
                    attempt.duration_ms,
                    int(attempt.counted),
                    attempt.hints_used,
                    attempt.source_sha,
                ),
            )
            return int(cur.lastrowid)

    def drill_attempts(self, drill_id: str | None = None) -> list[DrillAttempt]:
        where, params = ("WHERE drill_id = ?", (drill_id,)) if drill_id else ("", ())
        rows = self.query(
            "SELECT drill_id, attempted_at, passed, tests_passed, tests_total, diagnosis, duration_ms,"
            f" counted, hints_used, source_sha FROM drill_attempt {where} ORDER BY attempted_at, id",
            params,
        )
        return [DrillAttempt(d, t, bool(p), tp, tt, dg, ms, bool(c), h, sha)
                for d, t, p, tp, tt, dg, ms, c, h, sha in rows]

    def record_hint_view(self, drill_id: str, hint: int, viewed_at: float) -> None:
        with self.transaction() as db:
            db.execute("INSERT INTO drill_hint_view (drill_id, hint, viewed_at) VALUES (?, ?, ?)",
                       (drill_id, hint, viewed_at))

    def hints_viewed(self, drill_id: str, since: float = 0.0) -> list[int]:
        """Hint numbers (1-based) seen since `since`, each once, in the order first seen."""
        rows = self.query(
            "SELECT hint FROM drill_hint_view WHERE drill_id = ? AND viewed_at >= ? ORDER BY id",
            (drill_id, since),
        )
        return list(dict.fromkeys(r[0] for r in rows))

    def flag_card(self, card_id: str, drill_id: str, mistake: str, at: float) -> None:
        """Put a card at the head of the next study session: a drill diagnosed its mistake."""
        with self.transaction() as db:
            db.execute("INSERT OR REPLACE INTO card_flag (card_id, drill_id, mistake, flagged_at)"
                       " VALUES (?, ?, ?, ?)", (card_id, drill_id, mistake, at))

    def card_flags(self) -> dict[str, tuple[str, str]]:
        """card id -> (drill id, mistake id), oldest flag first."""
        rows = self.query("SELECT card_id, drill_id, mistake FROM card_flag ORDER BY flagged_at, card_id")
        return {c: (d, m) for c, d, m in rows}

    def clear_card_flag(self, card_id: str) -> None:
        with self.transaction() as db:
            db.execute("DELETE FROM card_flag WHERE card_id = ?", (card_id,))

    def record_solution_view(self, drill_id: str, viewed_at: float, forced: bool) -> None:
        with self.transaction() as db:
            db.execute(
                "INSERT INTO drill_solution_view (drill_id, viewed_at, forced) VALUES (?, ?, ?)",
                (drill_id, viewed_at, int(forced)),
            )

    def solution_views(self, drill_id: str) -> list[tuple[float, bool]]:
        rows = self.query(
            "SELECT viewed_at, forced FROM drill_solution_view WHERE drill_id = ? ORDER BY id",
            (drill_id,),
        )
        return [(t, bool(f)) for t, f in rows]
