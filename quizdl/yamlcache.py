"""Small YAML files (drill.yaml, config.yaml) parsed once and reused while unchanged.

Importing PyYAML costs about as much as a grade's own bookkeeping, and these files change rarely,
so each parse is kept as a marshal'd copy in the cache dir, stamped with the file's size and
times. A stale or unreadable copy is simply parsed again; the copy is never the source of truth.
(Deck files have their own, larger cache in cards.py.)
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from pathlib import Path

_MAGIC = b"quizdl-yaml-1\n" + sys.implementation.cache_tag.encode() + b"\n"  # marshal's format is per interpreter


class InvalidYaml(ValueError):
    """The file is not valid YAML; the message is PyYAML's, with its line and column, capped at
    200 characters (PyYAML quotes the text, which may be huge)."""

    def __init__(self, message: str) -> None:
        super().__init__(message if len(message) <= 200 else message[:199] + "…")


class AliasRefused(InvalidYaml):
    """The text uses an anchor or alias, which quizdl's files never need (line, message)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(f"line {line}: {message}")
        self.line, self.message = line, message


def refuse_aliases(text: str) -> None:
    """Raise AliasRefused at the first anchor or alias. An alias bomb (a few hundred bytes that
    expand to gigabytes) costs nothing until objects are built, so the event stream is scanned
    first: linear in the text, whatever the aliases say. Invalid YAML is left to the real
    parse, which reports it."""
    import yaml

    loader = yaml.CSafeLoader(text)
    try:
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
                raise AliasRefused(event.start_mark.line + 1,
                                   "YAML anchors and aliases (&name, *name) are not allowed")
            if isinstance(event, yaml.StreamEndEvent):
                break
    except yaml.YAMLError:
        return
    finally:
        loader.dispose()


def parse(text: str) -> object:
    """Parse YAML text with PyYAML's C loader (safe: plain data only; no anchors or aliases)."""
    import yaml

    refuse_aliases(text)
    try:
        return yaml.load(text, Loader=yaml.CSafeLoader)
    except yaml.YAMLError as exc:
        raise InvalidYaml(str(exc)) from None
    except ValueError as exc:  # e.g. an integer of more than 4300 digits
        raise InvalidYaml(str(exc)[:200]) from None
    except RecursionError:
        raise InvalidYaml("nested too deeply") from None


def _cache_file(path: Path) -> Path:
    from quizdl import paths

    digest = hashlib.sha1(os.fsencode(os.path.abspath(path))).hexdigest()[:16]
    return paths.cache_dir() / "yaml" / f"{path.name}.{digest}.marshal"


def load(path: Path) -> object:
    """The parsed contents of `path`. Raises OSError/UnicodeDecodeError like reading it would,
    and InvalidYaml for bad YAML."""
    st = os.stat(path)
    stamp = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)
    cached = _cache_file(path)
    try:
        raw = cached.read_bytes()
        if raw.startswith(_MAGIC):
            saved_stamp, data = marshal.loads(raw[len(_MAGIC):])
            if tuple(saved_stamp) == stamp:
                return data
    except (OSError, EOFError, ValueError, TypeError):
        pass
    data = parse(Path(path).read_text(encoding="utf-8"))
    _save(cached, stamp, data)
    return data


def _save(cached: Path, stamp: tuple, data: object) -> None:
    try:
        blob = _MAGIC + marshal.dumps((stamp, data))
    except ValueError:  # e.g. a YAML timestamp (datetime): not a plain built-in, so not cached
        return
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        tmp.write_bytes(blob)
        os.replace(tmp, cached)
    except OSError:  # a read-only data dir: parse every time, still correct
        pass
