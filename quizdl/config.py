"""User settings: a small YAML file in QUIZDL_HOME, every key optional.

Validation is strict and complete: a value of the wrong type is reported, never coerced (YAML's
`true` is not 1, `2.7` is not 2), every range is checked on `config set` and again on every read
(a hand-edited file must not crash a study session later), and all problems are reported at once
as `file:key: …` so one edit fixes them all.
"""

from __future__ import annotations

import contextlib
import errno
import os
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from quizdl.errors import QuizdlError

LANGUAGES = ("en", "zh", "both")
NEW_ORDERS = ("interleave", "deck", "random")  # interleave: round-robin across decks

MAX_STEP_MINUTES = 365 * 24 * 60  # a learning step of more than a year is a typo (and overflows later)
MAX_STEPS = 20
_UNITS = {"m": 1, "h": 60, "d": 24 * 60}  # Anki's step units; a bare number is minutes
_INT_RANGES = {
    "new_per_day": (0, 9999),
    "max_reviews_per_day": (0, 99999),
    "day_starts_at": (0, 23),
    "learn_ahead_minutes": (0, 1440),
}
_RETENTION_RANGE = (0.7, 0.99)


@dataclass
class Config:
    desired_retention: float = 0.9
    new_per_day: int = 20
    max_reviews_per_day: int = 200
    learning_steps: list[int] = field(default_factory=lambda: [1, 10])  # minutes
    relearning_steps: list[int] = field(default_factory=lambda: [10])  # minutes
    language: str = "both"
    day_starts_at: int = 4  # local hour at which "today" begins, like Anki
    learn_ahead_minutes: int = 20  # a learning card due within this window may be shown early (Anki: 20)
    new_order: str = "interleave"  # how new cards from several decks are mixed
    fsrs_parameters: list[float] | None = None  # FSRS-6's 21 weights from `quizdl optimize`; None = py-fsrs defaults

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict, source: str = "config") -> Config:
        """A validated Config from parsed YAML; every problem in one QuizdlError."""
        values, problems = check_mapping(data, source)
        if problems:
            lead = f"配置文件 {source} 有 {len(problems)} 处问题："
            raise QuizdlError("\n".join(problems) + "\n" + REPAIR_HINT,
                              zh="\n".join([lead, *problems, REPAIR_HINT_ZH]))
        return cls(**values)


REPAIR_HINT = "fix it with `quizdl config set KEY VALUE` or `quizdl config unset KEY`"
REPAIR_HINT_ZH = "用 `quizdl config set KEY VALUE` 或 `quizdl config unset KEY` 修正"

HINTS = {
    "desired_retention": "a number between 0.7 and 0.99",
    "new_per_day": "a whole number from 0 to 9999",
    "max_reviews_per_day": "a whole number from 0 to 99999",
    "learning_steps": f"1 to {MAX_STEPS} steps like '1m 10m 1h 1d' (a bare number is minutes; at most 365d each)",
    "relearning_steps": f"1 to {MAX_STEPS} steps like '10m' or '1h 1d' (a bare number is minutes; at most 365d each)",
    "language": "one of en, zh, both",
    "day_starts_at": "a whole hour from 0 to 23",
    "learn_ahead_minutes": "a whole number of minutes from 0 to 1440",
    "new_order": "one of interleave, deck, random",
    "fsrs_parameters": "21 numbers within FSRS-6's bounds (from `quizdl optimize`), or 'default'",
}
FSRS_PARAMETER_COUNT = 21


def setting_names() -> list[str]:
    return [f.name for f in fields(Config)]


def check_mapping(data: dict, source: str) -> tuple[dict, list[str]]:
    """(valid values, problems as `source:key: message`) for a mapping read from a file."""
    known = setting_names()
    values: dict = {}
    problems: list[str] = []
    for key, raw in data.items():
        if key not in known:
            problems.append(f"{source}:{key}: unknown setting; settings: {', '.join(known)}")
            continue
        try:
            values[key] = parse_value(key, raw, text=False)
        except QuizdlError as exc:
            problems.append(f"{source}:{key}: {exc.message}")  # the message names the key too: it stands alone
    return values, problems


def _fail(key: str, raw: object) -> QuizdlError:
    shown = repr(raw)
    if len(shown) > 60:  # never echo a huge hand-edited value back in full
        shown = shown[:57] + "..."
    return QuizdlError(f"{key} must be {HINTS[key]}, not {shown}", zh=f"{key} 的值 {shown} 无效：应为 {HINTS[key]}")


def _int(key: str, raw: object, text: bool) -> int:
    body = raw.strip() if isinstance(raw, str) else ""
    if text and _is_digits(body[1:] if body[:1] in ("-", "+") else body):
        value = int(body)
    elif not text and type(raw) is int:  # bool is an int subclass: `true` is not a number
        value = raw
    else:
        raise _fail(key, raw)
    low, high = _INT_RANGES[key]
    if not low <= value <= high:
        raise _fail(key, raw)
    return value


def _is_digits(text: str) -> bool:
    """A plain decimal number short enough for int() (Python refuses over 4300 digits)."""
    return text.isascii() and text.isdigit() and len(text) <= 12


def _step_minutes(text: str) -> int | None:
    """`10m`, `1h`, `2d` or a bare `10` (minutes) as minutes; None if it is none of these.
    (String methods, not a regex: this module is imported by every command.)"""
    text = text.strip().lower()
    unit = text[-1:] if text[-1:] in _UNITS else "m"
    number = text[:-1].rstrip() if text[-1:] in _UNITS else text
    return int(number) * _UNITS[unit] if _is_digits(number) else None


def _steps(key: str, raw: object) -> list[int]:
    items: list[object]
    if type(raw) is int:  # `relearning_steps: 10`: one step
        items = [raw]
    elif isinstance(raw, str):
        items = [p for p in raw.replace(",", " ").split() if p]
    elif isinstance(raw, list):
        items = raw
    else:
        raise _fail(key, raw)
    if not 1 <= len(items) <= MAX_STEPS:
        raise _fail(key, raw)
    out = []
    for item in items:
        if type(item) is int:
            minutes = item
        elif isinstance(item, str) and (minutes := _step_minutes(item)) is not None:
            pass
        else:
            raise _fail(key, raw)
        if not 1 <= minutes <= MAX_STEP_MINUTES:
            raise _fail(key, raw)
        out.append(minutes)
    return out


def _choice(key: str, raw: object, choices: tuple[str, ...]) -> str:
    if isinstance(raw, str) and raw.strip().lower() in choices:
        return raw.strip().lower()
    raise _fail(key, raw)


def parse_value(key: str, raw: object, *, text: bool = True) -> object:
    """Check and convert one setting: `text=True` for a string typed on the command line
    (`quizdl config set KEY VALUE`), `text=False` for a value YAML parsed (types must match)."""
    if key not in HINTS:
        raise QuizdlError(f"unknown setting {key!r}; settings: {', '.join(setting_names())}",
                          zh=f"未知设置 {key!r}；可用的设置：{', '.join(setting_names())}")
    if key == "desired_retention":
        if text and isinstance(raw, str):
            try:
                value = float(raw)
            except ValueError:
                raise _fail(key, raw) from None
        elif not text and type(raw) in (int, float):
            value = float(raw)
        else:
            raise _fail(key, raw)
        low, high = _RETENTION_RANGE
        if not low <= value <= high:  # NaN fails this too
            raise _fail(key, raw)
        return value
    if key in _INT_RANGES:
        return _int(key, raw, text)
    if key in ("learning_steps", "relearning_steps"):
        return _steps(key, raw)
    if key == "language":
        return _choice(key, raw, LANGUAGES)
    if key == "fsrs_parameters":
        return _fsrs_parameters(key, raw, text)
    return _choice(key, raw, NEW_ORDERS)  # new_order


def _fsrs_parameters(key: str, raw: object, text: bool) -> list[float] | None:
    """None (py-fsrs's defaults) or 21 finite numbers within the bounds py-fsrs' Scheduler accepts."""
    if raw is None or (isinstance(raw, str) and raw.strip().lower() in ("", "default", "none")):
        return None
    if text and isinstance(raw, str):
        try:
            values = [float(v) for v in raw.replace(",", " ").split()]
        except ValueError:
            raise _fail(key, raw) from None
    elif not text and isinstance(raw, list) and all(type(v) in (int, float) for v in raw):
        values = [float(v) for v in raw]
    else:
        raise _fail(key, raw)
    if len(values) != FSRS_PARAMETER_COUNT:
        raise _fail(key, raw)
    from fsrs.scheduler import LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS  # only when set

    if not all(lo <= v <= hi for v, lo, hi in zip(values, LOWER_BOUNDS_PARAMETERS, UPPER_BOUNDS_PARAMETERS, strict=True)):
        raise _fail(key, raw)
    return values


def warnings(config: Config) -> list[str]:
    """Valid but probably unintended settings, worth a word when they are set."""
    out = []
    if config.max_reviews_per_day == 0:
        out.append("max_reviews_per_day is 0: no review will be shown (only new cards); "
                   "`quizdl config unset max_reviews_per_day` restores the default")
    if config.new_per_day == 0:
        out.append("new_per_day is 0: no new card will be introduced (`study --new N` still can)")
    return out


def format_steps(minutes: list[int]) -> str:
    """`1m 10m 1h 1d`: each step in the largest unit it is a whole number of."""
    parts = []
    for m in minutes:
        unit = next(u for u in ("d", "h", "m") if m % _UNITS[u] == 0)
        parts.append(f"{m // _UNITS[unit]}{unit}")
    return " ".join(parts)


def show_value(key: str, value: object) -> str:
    if value is None:  # fsrs_parameters: py-fsrs's own
        return "default"
    if key in ("learning_steps", "relearning_steps") and isinstance(value, list):
        return format_steps(value)
    return " ".join(map(str, value)) if isinstance(value, list) else str(value)


def read_raw(path: Path | None = None) -> dict:
    """The file's mapping as written, unvalidated ({} when there is no file). Raises a
    QuizdlError when the file cannot be read or is not a YAML mapping."""
    from quizdl import paths

    path = path or paths.config_path()
    if not path.exists():
        return {}
    from quizdl import yamlcache

    try:
        data = yamlcache.load(path)
    except (OSError, UnicodeDecodeError, yamlcache.InvalidYaml) as exc:
        raise QuizdlError(f"cannot read config file {path}: {exc}; fix it by hand or move it aside",
                          zh=f"无法读取配置文件 {path}：{exc}；请手动修正或把它移开") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise QuizdlError(f"config file {path} must hold a mapping of settings (KEY: VALUE lines)",
                          zh=f"配置文件 {path} 必须是设置的映射（每行 KEY: VALUE）")
    return data


def load(path: Path | None = None) -> Config:
    from quizdl import paths

    path = path or paths.config_path()
    data = read_raw(path)
    return Config.from_dict(data, source=str(path)) if data else Config()


def save_raw(data: dict, path: Path | None = None) -> Path:
    """Write the settings mapping atomically: a temp file beside config.yaml, fsync'd, then
    renamed over it. On any failure the old file is untouched and the temp file removed; a full
    disk or other OS error becomes a one-line QuizdlError."""
    import yaml

    from quizdl import paths

    path = path or paths.config_path()
    text = "# quizdl settings — see `quizdl config --help`\n" + (
        yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else ""
    )
    blob = text.encode("utf-8")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(blob)
            while view:
                view = view[os.write(fd, view):]
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        if not isinstance(exc, OSError):
            raise
        if exc.errno == errno.ENOSPC:
            raise QuizdlError(f"disk full: cannot save {path}; your settings are unchanged", exit_code=74,
                              zh=f"磁盘已满：无法保存 {path}；设置没有改变") from None
        raise QuizdlError(f"cannot save {path}: {exc.strerror or exc}; your settings are unchanged",
                          zh=f"无法保存 {path}：{exc.strerror or exc}；设置没有改变") from None
    return path


def save(config: Config, path: Path | None = None) -> Path:
    """Write every setting of `config` (see save_raw)."""
    return save_raw(config.to_dict(), path)
