"""Where things live: the user's data dir (QUIZDL_HOME or platformdirs) and the built-in content."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def home() -> Path:
    """The data dir: $QUIZDL_HOME if set, else the platform's user data dir."""
    env = os.environ.get("QUIZDL_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("quizdl", appauthor=False))


def builtin_dir(kind: str) -> Path:
    """Built-in `cards` or `drills`: inside the wheel (quizdl/_builtin/) or, in a checkout, the repo top."""
    packaged = _PACKAGE_DIR / "_builtin" / kind
    if packaged.is_dir():
        return packaged
    return _PACKAGE_DIR.parent / kind


def package_dir() -> Path:
    return _PACKAGE_DIR


def db_path() -> Path:
    return home() / "progress.sqlite3"


def user_cards_dir() -> Path:
    return home() / "cards"


def user_drills_dir() -> Path:
    return home() / "drills"


def cache_dir() -> Path:
    return home() / "cache"


def config_path() -> Path:
    return home() / "config.yaml"
