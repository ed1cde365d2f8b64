"""`quizdl backup` / `quizdl restore`: everything the user has, in one zip.

The archive holds `manifest.json` (format, versions, each member's size and SHA-256), the progress
database (card states, review log, drill attempts, interviews), `config.yaml`, and the user's own
decks (`cards/`) and drills (`drills/`). The database is copied with SQLite's online backup API in
both directions, so a backup taken while another quizdl writes is a consistent snapshot, and a
restore is written through SQLite's locks rather than over a file another process has open.
Nothing is lost on restore: the replaced database, and any file the archive replaces with other
content, are kept beside it with a `.before-restore-<UTC time>` suffix.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import tempfile
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath

from quizdl.errors import QuizdlError

FORMAT = "quizdl-backup"
VERSION = 1
DB_MEMBER = "progress.sqlite3"
CONFIG_MEMBER = "config.yaml"
USER_DIRS = ("cards", "drills")
MAX_MEMBER_BYTES = 4 << 30  # refuse absurd sizes (a zip bomb) before extracting anything


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    files: int
    reviews: int
    bytes: int


@dataclass
class RestoreInfo:
    reviews: int
    files: int
    kept: list[Path] = field(default_factory=list)  # what the restore moved aside


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _user_files(home: Path) -> list[tuple[str, Path]]:
    """(archive name, file) of the config and every regular file under cards/ and drills/."""
    out: list[tuple[str, Path]] = []
    config = home / CONFIG_MEMBER
    if config.is_file():
        out.append((CONFIG_MEMBER, config))
    for top in USER_DIRS:
        root = home / top
        if not root.is_dir():
            continue
        for p in sorted(root.rglob("*")):
            if p.is_file() and not p.is_symlink() and "__pycache__" not in p.parts:
                out.append((p.relative_to(home).as_posix(), p))
    return out


def _count_reviews(db: Path) -> int:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM review_log").fetchone()[0]
    except sqlite3.Error:
        return 0
    finally:
        conn.close()


def backup(target: Path, home: Path | None = None) -> BackupInfo:
    """Write the archive to `target` (atomically: a temp file renamed at the end)."""
    from quizdl import __version__, paths
    from quizdl.store import Store, schema_version

    home = home or paths.home()
    target = Path(target)
    if target.is_dir():
        raise QuizdlError(f"{target} is a directory; give a file name such as quizdl-backup.zip",
                          zh=f"{target} 是目录；请给出文件名，例如 quizdl-backup.zip")
    with tempfile.TemporaryDirectory(prefix="quizdl-backup-") as tmpdir:
        snapshot = Path(tmpdir) / DB_MEMBER
        with Store.open(home / DB_MEMBER) as store:
            dst = sqlite3.connect(snapshot)
            try:
                store.copy_to(dst)  # a consistent snapshot, even with writers running
                dst.execute("PRAGMA journal_mode = DELETE")  # one self-contained file
            finally:
                dst.close()
        members = [(DB_MEMBER, snapshot), *_user_files(home)]
        reviews = _count_reviews(snapshot)
        manifest = {
            "format": FORMAT, "version": VERSION, "quizdl_version": __version__,
            "schema_version": schema_version(), "created": datetime.now(UTC).isoformat(timespec="seconds"),
            "reviews": reviews,
            "files": [{"name": n, "size": p.stat().st_size, "sha256": _sha256(p)} for n, p in members],
        }
        tmp = target.with_name(target.name + ".tmp")
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
                zf.writestr("manifest.json", json.dumps(manifest, indent=2))
                for name, p in members:
                    zf.write(p, name)
            tmp.replace(target)
        except OSError as exc:
            tmp.unlink(missing_ok=True)
            raise QuizdlError(f"cannot write {target}: {exc.strerror or exc}",
                              zh=f"无法写入 {target}：{exc.strerror or exc}") from None
    return BackupInfo(target, len(members), reviews, target.stat().st_size)


# --- restore ----------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    """A member name that stays inside the data dir and belongs in a quizdl backup."""
    if not name or "\\" in name or "\x00" in name or name.startswith("/") or ":" in name.split("/")[0]:
        return False
    parts = PurePosixPath(name).parts
    if any(p in ("", ".", "..") for p in parts) or name.endswith("/"):
        return False
    return name in ("manifest.json", DB_MEMBER, CONFIG_MEMBER) or (len(parts) > 1 and parts[0] in USER_DIRS)


def read_manifest(zf: zipfile.ZipFile, source: Path) -> dict:
    """The archive's manifest, after checking every member name, type and size against it."""
    not_ours = f"{source} is not a quizdl backup (made by `quizdl backup`)"
    not_ours_zh = f"{source} 不是 quizdl 备份（由 `quizdl backup` 生成）"
    names = zf.namelist()
    if "manifest.json" not in names:
        raise QuizdlError(f"{not_ours}: it has no manifest.json", zh=f"{not_ours_zh}：没有 manifest.json")
    try:
        manifest = json.loads(zf.read("manifest.json"))
    except (ValueError, UnicodeDecodeError):
        raise QuizdlError(f"{not_ours}: its manifest.json is not valid JSON",
                          zh=f"{not_ours_zh}：它的 manifest.json 不是有效的 JSON") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise QuizdlError(not_ours, zh=not_ours_zh)
    if not isinstance(manifest.get("version"), int) or manifest["version"] > VERSION:
        raise QuizdlError(f"{source} is a backup format version {manifest.get('version')!r}, newer than this quizdl reads ({VERSION}); upgrade quizdl",
                          zh=f"{source} 的备份格式版本为 {manifest.get('version')!r}，比本 quizdl 能读的（{VERSION}）更新；请升级 quizdl")
    for info in zf.infolist():
        if not _safe_name(info.filename):
            raise QuizdlError(f"{source}: refusing member {info.filename!r} (outside the data dir or not part of a quizdl backup)",
                              zh=f"{source}：拒绝成员 {info.filename!r}（在数据目录之外，或不属于 quizdl 备份）")
        if (info.external_attr >> 16) & 0o170000 == 0o120000:
            raise QuizdlError(f"{source}: refusing member {info.filename!r}: it is a symbolic link",
                              zh=f"{source}：拒绝成员 {info.filename!r}：它是符号链接")
        if info.file_size > MAX_MEMBER_BYTES:
            raise QuizdlError(f"{source}: member {info.filename!r} is implausibly large ({info.file_size} bytes)",
                              zh=f"{source}：成员 {info.filename!r} 大得不合理（{info.file_size} 字节）")
    listed = {f.get("name"): f for f in manifest.get("files", []) if isinstance(f, dict)}
    if set(listed) != set(names) - {"manifest.json"} or len(names) != len(set(names)):
        raise QuizdlError(f"{source}: its members do not match its manifest (damaged or edited archive)",
                          zh=f"{source}：成员与清单不符（压缩包已损坏或被改动）")
    if DB_MEMBER not in listed:
        raise QuizdlError(f"{not_ours}: it holds no progress database", zh=f"{not_ours_zh}：里面没有进度数据库")
    return manifest


def _read_only(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(db.resolve().as_uri() + "?mode=ro", uri=True)


def _has_progress(db: Path) -> bool:
    if not db.exists() or (db.is_file() and db.stat().st_size == 0):
        return False
    conn = _read_only(db)
    try:
        for table in ("review_log", "item_state", "drill_attempt"):
            if conn.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone():
                return True
        return False
    except sqlite3.Error:
        return True  # unreadable or foreign: treat as something worth keeping
    finally:
        conn.close()


def restore(source: Path, home: Path | None = None, *, force: bool = False) -> RestoreInfo:
    """Restore an archive into the data dir. Refuses to replace existing progress unless `force`;
    even then, what it replaces is kept as a timestamped copy."""
    from quizdl import paths
    from quizdl.store import Store, schema_version

    home = home or paths.home()
    source = Path(source)
    if not source.is_file():
        raise QuizdlError(f"no backup file {source}", zh=f"没有备份文件 {source}")
    if not zipfile.is_zipfile(source):
        raise QuizdlError(f"{source} is not a quizdl backup (not a zip archive)",
                          zh=f"{source} 不是 quizdl 备份（不是 zip 压缩包）")
    db = home / DB_MEMBER
    if _has_progress(db) and not force:
        raise QuizdlError(
            f"{db} already holds progress; `quizdl restore --force {source}` replaces it "
            "(the current database is kept as a timestamped copy)",
            zh=f"{db} 里已有学习进度；`quizdl restore --force {source}` 会替换它（当前数据库会另存为带时间戳的副本）",
        )
    stamp = _stamp()
    kept: list[Path] = []
    with zipfile.ZipFile(source) as zf, tempfile.TemporaryDirectory(prefix="quizdl-restore-") as tmpdir:
        manifest = read_manifest(zf, source)
        staged = Path(tmpdir)
        for entry in manifest["files"]:
            out = staged / entry["name"]
            out.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(entry["name"]) as src, open(out, "wb") as dst:
                shutil.copyfileobj(src, dst)
            if out.stat().st_size != entry.get("size") or _sha256(out) != entry.get("sha256"):
                raise QuizdlError(f"{source}: {entry['name']} is damaged (its checksum does not match the manifest)",
                                  zh=f"{source}：{entry['name']} 已损坏（校验和与清单不符）")
        snapshot = staged / DB_MEMBER
        src_conn = _read_only(snapshot)
        try:
            try:
                version = src_conn.execute("PRAGMA user_version").fetchone()[0]
                src_conn.execute("SELECT COUNT(*) FROM review_log").fetchone()
            except sqlite3.Error as exc:
                raise QuizdlError(f"{source}: its progress database is unreadable ({exc})",
                                  zh=f"{source}：其中的进度数据库无法读取（{exc}）") from None
            if version > schema_version():
                raise QuizdlError(f"{source} comes from a newer quizdl (schema {version} > {schema_version()}); upgrade quizdl",
                                  zh=f"{source} 来自更新的 quizdl（schema {version} > {schema_version()}）；请升级 quizdl")
            home.mkdir(parents=True, exist_ok=True)
            try:
                store = Store.open(db)
            except QuizdlError:
                # Unreadable or corrupt (only --force gets here): move it aside whole, start afresh.
                for part in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
                    if part.exists():
                        aside = part.with_name(f"{part.name}.before-restore-{stamp}")
                        part.replace(aside)
                        kept.append(aside)
                store = Store.open(db)
            with store:
                if db.stat().st_size and _has_progress(db):
                    copy = db.with_name(f"{db.name}.before-restore-{stamp}")
                    keep = sqlite3.connect(copy)
                    try:
                        store.copy_to(keep)
                    finally:
                        keep.close()
                    kept.append(copy)
                store.copy_from(src_conn)  # through SQLite's locks: safe beside another quizdl
        finally:
            src_conn.close()
        with Store.open(db):
            pass  # brings an older backup's schema up to date
        files = 0
        for entry in manifest["files"]:
            name = entry["name"]
            if name == DB_MEMBER:
                continue
            staged_file, dest = staged / name, home / name
            if dest.is_file() and _sha256(dest) == entry["sha256"]:
                files += 1
                continue
            if dest.exists() or dest.is_symlink():
                aside = dest.with_name(f"{dest.name}.before-restore-{stamp}")
                dest.replace(aside)
                kept.append(aside)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged_file, dest)
            files += 1
    return RestoreInfo(_count_reviews(db), files, kept)
