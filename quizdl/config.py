"""User settings: a small YAML file in QUIZDL_HOME, every key optional, validated on load."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from quizdl.errors import QuizdlError

LANGUAGES = ("en", "zh", "both")
NEW_ORDERS = ("interleave", "deck", "random")


@dataclass
class Config:
    desired_retention: float = 0.9
    new_per_day: int = 20
    max_reviews_per_day: int = 200
    learning_steps: list[int] = field(default_factory=lambda: [1, 10])  # minutes
    relearning_steps: list[int] = field(default_factory=lambda: [10])  # minutes
    language: str = "both"
    day_starts_at: int = 4  # local hour at which "today" begins, like Anki
    learn_ahead_minutes: int = 20  # learning cards due this soon are shown early, like Anki
    new_order: str = "interleave"  # interleave (round-robin across decks), deck or random

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict, source: str = "config") -> Config:
        problems = []
        known = {f.name for f in fields(cls)}
        for key in data:
            if key not in known:
                problems.append(f"{source}: unknown setting {key!r}")
        values = {}
        for key in known & set(data):
            try:
                values[key] = parse_value(key, data[key])
            except QuizdlError as exc:
                problems.append(f"{source}: {exc.message}")
        if problems:
            raise QuizdlError("\n".join(problems))
        return cls(**values)


def _minutes_list(raw: object) -> list[int]:
    if isinstance(raw, str):
        raw = [p for p in raw.replace(",", " ").split() if p]
    if not isinstance(raw, list) or not raw:
        raise ValueError
    out = [int(str(v).removesuffix("m")) for v in raw]
    if any(v <= 0 for v in out):
        raise ValueError
    return out


def parse_value(key: str, raw: object) -> object:
    """Check and convert one setting (from YAML or from `quizdl config set KEY VALUE`)."""
    try:
        if key == "desired_retention":
            value = float(raw)
            if not 0.7 <= value <= 0.99:
                raise ValueError
            return value
        if key in ("new_per_day", "max_reviews_per_day"):
            value = int(raw)
            if value < 0:
                raise ValueError
            return value
        if key in ("learning_steps", "relearning_steps"):
            return _minutes_list(raw)
        if key == "language":
            if raw not in LANGUAGES:
                raise ValueError
            return raw
        if key == "learn_ahead_minutes":
            value = int(raw)
            if not 0 <= value <= 1440:
                raise ValueError
            return value
        if key == "new_order":
            if str(raw).lower() not in NEW_ORDERS:
                raise ValueError
            return str(raw).lower()
        if key == "day_starts_at":
            value = int(raw)
            if not 0 <= value <= 23:
                raise ValueError
            return value
    except (TypeError, ValueError):
        pass
    else:
        raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(setting_names())}")
    hints = {
        "desired_retention": "a number between 0.7 and 0.99",
        "new_per_day": "a whole number >= 0",
        "max_reviews_per_day": "a whole number >= 0",
        "learning_steps": "minutes, e.g. '1 10'",
        "relearning_steps": "minutes, e.g. '10'",
        "language": "one of en, zh, both",
        "day_starts_at": "an hour from 0 to 23",
        "learn_ahead_minutes": "minutes from 0 to 1440",
        "new_order": "one of interleave, deck, random",
    }
    raise QuizdlError(f"{key} must be {hints[key]}, not {raw!r}")


def setting_names() -> list[str]:
    return [f.name for f in fields(Config)]


def load(path: Path | None = None) -> Config:
    from quizdl import paths

    path = path or paths.config_path()
    if not path.exists():
        return Config()
    from quizdl import yamlcache

    try:
        data = yamlcache.load(path) or {}
    except (OSError, UnicodeDecodeError, yamlcache.InvalidYaml) as exc:
        raise QuizdlError(f"cannot read config file {path}: {exc}") from None
    if not isinstance(data, dict):
        raise QuizdlError(f"config file {path} must hold a mapping of settings")
    return Config.from_dict(data, source=str(path))


def save(config: Config, path: Path | None = None) -> Path:
    import yaml

    from quizdl import paths

    path = path or paths.config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(
        "# quizdl settings — see `quizdl config --help`\n"
        + yaml.safe_dump(config.to_dict(), sort_keys=False, allow_unicode=True),
        encoding="utf-8",
    )
    tmp.replace(path)
    return path
