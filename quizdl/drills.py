"""Drill specs: loading and validating drill folders (format: docs/drill-format.md).

Loading reads only drill.yaml files (cheap, no numpy); `check_folder` goes deeper (harness cases,
files present) for `quizdl drill check`. Built-in drills and the user's ($QUIZDL_HOME/drills) load
side by side; an id may exist only once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from quizdl.errors import QuizdlError

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
DOTTED = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
DIFFICULTIES = ("easy", "medium", "hard")
FRAMEWORKS = ("numpy", "torch")
DTYPES = ("float32", "float64")
MARKER_PREFIX = "# quizdl drill:"
DEFAULT_TOLERANCES = {"float32": (1e-4, 1e-5), "float64": (1e-7, 1e-9)}
DEFAULT_TIMEOUT = 20.0

REQUIRED = ("id", "version", "title", "topic", "difficulty", "framework", "entry_points",
            "forbidden", "cards", "prompt", "mistakes")
OPTIONAL = ("blocked_imports", "tolerances", "timeout", "hints")


@dataclass(frozen=True)
class Edit:
    """Replace the one occurrence of `find` in reference.py with `replace`."""

    find: str
    replace: str


@dataclass(frozen=True)
class Mistake:
    """A known mistake: edits of reference.py (composable), or a whole file where no edit can
    express it (`file`, with the reason in `why`; never composed). `variants` are other edit
    lists that are the same named mistake written another way. `contract` names the contract
    check that catches it (then the check, not the numbers, diagnoses it)."""

    id: str
    explanation: dict[str, str]
    card: str | None = None
    edits: tuple[Edit, ...] = ()
    variants: tuple[tuple[Edit, ...], ...] = ()
    file: str | None = None
    why: str | None = None
    contract: str | None = None

    @property
    def forms(self) -> list[tuple[Edit, ...]]:
        """The primary edit list, then each variant's."""
        return [self.edits, *self.variants] if not self.file else []


@dataclass(frozen=True)
class Drill:
    id: str
    version: int
    title: dict[str, str]
    topic: str
    difficulty: str
    framework: str
    entry_points: list[str]
    forbidden: list[str]
    blocked_imports: list[str]
    cards: list[str]
    prompt: dict[str, str]
    mistakes: list[Mistake]
    folder: Path
    tolerances: dict[str, tuple[float, float]] = field(default_factory=lambda: dict(DEFAULT_TOLERANCES))
    timeout: float = DEFAULT_TIMEOUT
    builtin: bool = True
    hints: tuple[dict[str, str], ...] = ()  # graduated: the idea, the key formula, almost the code

    @property
    def starter_path(self) -> Path:
        return self.folder / "starter.py"

    @property
    def reference_path(self) -> Path:
        return self.folder / "reference.py"

    @property
    def harness_path(self) -> Path:
        return self.folder / "harness.py"

    def mistake(self, mistake_id: str) -> Mistake | None:
        return next((m for m in self.mistakes if m.id == mistake_id), None)

    @property
    def all_blocked_imports(self) -> list[str]:
        """numpy drills always block torch, whatever drill.yaml says."""
        blocked = list(self.blocked_imports)
        if self.framework == "numpy" and "torch" not in blocked:
            blocked.append("torch")
        return blocked

    def text(self, field_: dict[str, str], lang: str) -> str:
        """A bilingual field in `lang` (en, zh or both)."""
        if lang == "both":
            return "\n\n".join(field_[k] for k in ("en", "zh") if field_.get(k))
        return field_.get(lang) or field_.get("en", "")


class DrillProblems(QuizdlError):
    """Every problem found while loading drills, one `path: drill-id: message` per line, then
    `hint` (English, Chinese) when given: the problem lines themselves stay as they are."""

    def __init__(self, problems: list[str], hint: tuple[str, str] | None = None) -> None:
        self.problems = problems + [hint[0]] if hint else problems
        zh = "\n".join([*problems, hint[1]]) if hint else None
        super().__init__("\n".join(self.problems), exit_code=2, zh=zh)


# --- parsing drill.yaml -------------------------------------------------------------------------


def _bilingual(value: object, key: str, problems: list[str]) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(value.get(k), str) and value[k].strip() for k in ("en", "zh")):
        problems.append(f"{key} must be a mapping with non-empty 'en' and 'zh' text")
        return {"en": "", "zh": ""}
    extra = set(value) - {"en", "zh"}
    if extra:
        problems.append(f"{key} has unknown keys: {', '.join(sorted(map(str, extra)))}")
    return {"en": value["en"], "zh": value["zh"]}


def _str_list(value: object, key: str, problems: list[str], pattern: re.Pattern | None = None) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(f"{key} must be a list of strings")
        return []
    if pattern is not None:
        for v in value:
            if not pattern.match(v):
                problems.append(f"{key}: {v!r} is not valid")
    if len(set(value)) != len(value):
        problems.append(f"{key} has duplicates")
    return list(value)


def parse_drill(data: object, folder: Path, builtin: bool = True) -> tuple[Drill | None, list[str]]:
    """A Drill from parsed drill.yaml data, and every problem found (messages without location)."""
    problems: list[str] = []
    if not isinstance(data, dict):
        return None, ["drill.yaml must hold a mapping"]
    for key in REQUIRED:
        if key not in data:
            problems.append(f"missing key {key!r}")
    for key in data:
        if key not in REQUIRED and key not in OPTIONAL:
            problems.append(f"unknown key {key!r}")
    drill_id = data.get("id")
    if not isinstance(drill_id, str) or not SLUG.match(drill_id):
        problems.append("id must be a lowercase slug like 'softmax-ce'")
        drill_id = folder.name
    elif drill_id != folder.name:
        problems.append(f"id {drill_id!r} must equal the folder name {folder.name!r}")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append("version must be a whole number >= 1")
        version = 1
    title = _bilingual(data.get("title"), "title", problems)
    prompt = _bilingual(data.get("prompt"), "prompt", problems)
    topic = data.get("topic")
    if not isinstance(topic, str) or not SLUG.match(topic):
        problems.append("topic must be a deck id (lowercase slug)")
        topic = ""
    difficulty = data.get("difficulty")
    if difficulty not in DIFFICULTIES:
        problems.append(f"difficulty must be one of {', '.join(DIFFICULTIES)}")
    framework = data.get("framework")
    if framework not in FRAMEWORKS:
        problems.append(f"framework must be one of {', '.join(FRAMEWORKS)}")
    entry_points = _str_list(data.get("entry_points", []), "entry_points", problems, IDENTIFIER)
    if "entry_points" in data and not entry_points:
        problems.append("entry_points must name at least one function or class")
    forbidden = _str_list(data.get("forbidden", []), "forbidden", problems, DOTTED)
    blocked = _str_list(data.get("blocked_imports", []), "blocked_imports", problems, IDENTIFIER)
    cards = _str_list(data.get("cards", []), "cards", problems, SLUG)
    mistakes = _parse_mistakes(data.get("mistakes", []), problems)
    tolerances = dict(DEFAULT_TOLERANCES)
    if "tolerances" in data:
        raw = data["tolerances"]
        if not isinstance(raw, dict) or set(raw) - set(DTYPES):
            problems.append("tolerances must map float32/float64 to [rtol, atol]")
        else:
            for dtype, pair in raw.items():
                if (not isinstance(pair, list) or len(pair) != 2
                        or not all(isinstance(v, int | float) and v >= 0 for v in pair)):
                    problems.append(f"tolerances.{dtype} must be [rtol, atol], two numbers >= 0")
                else:
                    tolerances[dtype] = (float(pair[0]), float(pair[1]))
    hints: list[dict[str, str]] = []
    if "hints" in data:
        raw_hints = data["hints"]
        if not isinstance(raw_hints, list) or len(raw_hints) != 3:
            problems.append("hints must be a list of three {en, zh} hints (the idea, the key formula, almost the code)")
        else:
            hints = [_bilingual(h, f"hints[{i}]", problems) for i, h in enumerate(raw_hints)]
    timeout = data.get("timeout", DEFAULT_TIMEOUT)
    if not isinstance(timeout, int | float) or isinstance(timeout, bool) or not 1 <= timeout <= 600:
        problems.append("timeout must be a number of seconds between 1 and 600")
        timeout = DEFAULT_TIMEOUT
    if problems:
        return None, problems
    return Drill(
        id=drill_id, version=version, title=title, topic=topic, difficulty=difficulty,
        framework=framework, entry_points=entry_points, forbidden=forbidden,
        blocked_imports=blocked, cards=cards, prompt=prompt, mistakes=mistakes, folder=folder,
        tolerances=tolerances, timeout=float(timeout), builtin=builtin, hints=tuple(hints),
    ), []


MISTAKE_KEYS = {"id", "explanation", "card", "edits", "variants", "file", "why", "contract"}


def _parse_edits(raw: object, where: str, problems: list[str]) -> tuple[Edit, ...]:
    if not isinstance(raw, list) or not raw:
        problems.append(f"{where} must be a non-empty list of {{find, replace}}")
        return ()
    edits = []
    for j, item in enumerate(raw):
        if (not isinstance(item, dict) or set(item) != {"find", "replace"}
                or not all(isinstance(item[k], str) for k in ("find", "replace"))):
            problems.append(f"{where}[{j}] must be a mapping with string 'find' and 'replace'")
            continue
        if not item["find"]:
            problems.append(f"{where}[{j}].find is empty")
            continue
        if item["find"] == item["replace"]:
            problems.append(f"{where}[{j}] replaces a text with itself")
        edits.append(Edit(item["find"], item["replace"]))
    return tuple(edits)


def _parse_mistakes(raw: object, problems: list[str]) -> list[Mistake]:
    if not isinstance(raw, list):
        problems.append("mistakes must be a list")
        return []
    if len(raw) < 2:
        problems.append("a drill needs at least 2 known mistakes")
    out: list[Mistake] = []
    seen: set[str] = set()
    for i, item in enumerate(raw):
        where = f"mistakes[{i}]"
        if not isinstance(item, dict):
            problems.append(f"{where} must be a mapping with id and explanation")
            continue
        extra = set(item) - MISTAKE_KEYS
        if extra:
            problems.append(f"{where} has unknown keys: {', '.join(sorted(map(str, extra)))}")
        mid = item.get("id")
        if not isinstance(mid, str) or not SLUG.match(mid):
            problems.append(f"{where}.id must be a lowercase slug")
            continue
        if mid in seen:
            problems.append(f"duplicate mistake id {mid!r}")
        seen.add(mid)
        card = item.get("card")
        if card is not None and (not isinstance(card, str) or not SLUG.match(card)):
            problems.append(f"mistake {mid}: card must be a card id")
            card = None
        explanation = _bilingual(item.get("explanation"), f"mistake {mid}: explanation", problems)
        edits: tuple[Edit, ...] = ()
        variants: list[tuple[Edit, ...]] = []
        file = item.get("file")
        why = item.get("why")
        if file is not None:
            if not isinstance(file, str) or not re.fullmatch(r"mistakes/[a-z0-9-]+\.py", file):
                problems.append(f"mistake {mid}: file must be a path like mistakes/{mid}.py")
                file = None
            if not isinstance(why, str) or not why.strip():
                problems.append(f"mistake {mid}: a whole-file mistake needs 'why' (why no edit can express it)")
            if "edits" in item or "variants" in item:
                problems.append(f"mistake {mid}: give either 'file' or 'edits', not both")
        elif "edits" not in item:
            problems.append(f"mistake {mid}: needs 'edits' (or a whole 'file')")
        else:
            edits = _parse_edits(item["edits"], f"mistake {mid}: edits", problems)
            raw_variants = item.get("variants", [])
            if not isinstance(raw_variants, list):
                problems.append(f"mistake {mid}: variants must be a list of edit lists")
                raw_variants = []
            for j, v in enumerate(raw_variants):
                variants.append(_parse_edits(v, f"mistake {mid}: variants[{j}]", problems))
        if why is not None and file is None:
            problems.append(f"mistake {mid}: 'why' goes with 'file'")
        contract = item.get("contract")
        if contract is not None and (not isinstance(contract, str) or not SLUG.match(contract)):
            problems.append(f"mistake {mid}: contract must be a contract check id")
            contract = None
        out.append(Mistake(mid, explanation, card, edits, tuple(variants), file, why, contract))
    return out


def _read_yaml(path: Path) -> object:
    from quizdl import yamlcache

    return yamlcache.load(path)


def load_folder(folder: Path, builtin: bool = True) -> tuple[Drill | None, list[str]]:
    """Parse one drill folder's drill.yaml; problems come back as `path: drill-id: message`."""
    spec = folder / "drill.yaml"
    try:
        data = _read_yaml(spec)
    except FileNotFoundError:
        return None, [f"{folder}: {folder.name}: missing drill.yaml"]
    except (OSError, UnicodeDecodeError) as exc:
        return None, [f"{spec}: {folder.name}: cannot read: {exc}"]
    except ValueError as exc:  # yamlcache.InvalidYaml
        return None, [f"{spec}: {folder.name}: invalid YAML: {str(exc).splitlines()[0]}"]
    drill, problems = parse_drill(data, folder, builtin)
    return drill, [f"{spec}: {folder.name}: {p}" for p in problems]


# --- finding drills -------------------------------------------------------------------------


def drill_folders(root: Path) -> list[Path]:
    if not root.is_dir():
        return []
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def default_roots() -> list[tuple[Path, bool]]:
    from quizdl import paths

    return [(paths.builtin_dir("drills"), True), (paths.user_drills_dir(), False)]


def load_drills(roots: list[tuple[Path, bool]] | None = None, strict: bool = True) -> dict[str, Drill]:
    """Every drill by id (built-in first, then the user's). Raises DrillProblems listing all
    problems (unless not `strict`: then the good drills are returned and the broken left out)."""
    drills: dict[str, Drill] = {}
    problems: list[str] = []
    for root, builtin in roots if roots is not None else default_roots():
        for folder in drill_folders(root):
            drill, found = load_folder(folder, builtin)
            problems.extend(found)
            if drill is None:
                continue
            if drill.id in drills:
                problems.append(
                    f"{folder}: {drill.id}: duplicate drill id (also in {drills[drill.id].folder})"
                )
                continue
            drills[drill.id] = drill
    if problems and strict:
        raise DrillProblems(problems, hint=("run `quizdl drill check` for details", "详情请运行 `quizdl drill check`"))
    return drills


def get_drill(drill_id: str, drills: dict[str, Drill] | None = None) -> Drill:
    """One drill by id; a problem in another drill's folder does not stand in its way."""
    if drills is None:
        # Its own folder only (the id is the folder's name; built-in before the user's): reading
        # all 60 drill.yaml files would cost a grade ~0.1 s.
        if SLUG.match(drill_id):
            for root, builtin in default_roots():
                if (root / drill_id / "drill.yaml").is_file():
                    drill, _problems = load_folder(root / drill_id, builtin)
                    if drill is not None and drill.id == drill_id:
                        return drill
                    break
        drills = load_drills(strict=False)
        if drill_id not in drills:
            load_drills()  # raises the problems, if any drill folder has one
    if drill_id not in drills:
        from quizdl.catalog import did_you_mean, did_you_mean_zh

        raise QuizdlError(
            f"unknown drill {drill_id!r}{did_you_mean(drill_id, sorted(drills))} (see `quizdl drill list`)",
            exit_code=2,
            zh=f"未知练习 {drill_id!r}{did_you_mean_zh(drill_id, sorted(drills))}（见 `quizdl drill list`）",
        )
    return drills[drill_id]


def marker_drill_id(source: str) -> str | None:
    """The drill id from a `# quizdl drill: <id>` marker in the first few lines."""
    for line in source.splitlines()[:5]:
        line = line.lstrip("\ufeff").strip()  # a byte order mark before the marker
        if line.startswith(MARKER_PREFIX):
            return line[len(MARKER_PREFIX):].strip() or None
    return None


def defined_names(source: str) -> set[str] | None:
    """Names the file defines at its top level (functions, classes, assignments); None if it
    does not parse."""
    import ast

    from quizdl.grading import scan

    tree = scan.parse(source)  # one parse at a time (CPython 3.11's AST builder and threads)
    if not isinstance(tree, ast.Module):
        return None
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


def drill_for_name(stem: str, ids) -> str | None:
    """The drill a file name points to: `bn.py`, `bn_v2.py`, `bn.review-2.py`, `softmax_ce_try.py`
    (the longest drill id that the name is, or starts with followed by a separator)."""
    name = stem.lower().replace("_", "-").replace(".", "-").replace(" ", "-")
    matches = [i for i in ids if name == i or name.startswith(i + "-")]
    return max(matches, key=len) if matches else None


def match_drill(file_name: str, source: str, drills: dict[str, Drill]) -> tuple[str, str]:
    """The drill a file without a marker line is for, and how it was found ("file name" or
    "entry points"). Raises QuizdlError when neither tells."""
    stem = Path(file_name).name.rsplit(".", 1)[0]
    by_name = drill_for_name(stem, drills)
    defined = defined_names(source)
    by_entries: list[str] = []
    if defined:
        full = [d for d in drills.values() if d.entry_points and set(d.entry_points) <= defined]
        most = max((len(d.entry_points) for d in full), default=0)
        by_entries = sorted(d.id for d in full if len(d.entry_points) == most)
    if by_name and (not by_entries or by_name in by_entries or defined is None):
        return by_name, "file name"
    if len(by_entries) == 1:
        return by_entries[0], "entry points"
    if by_entries:
        raise QuizdlError(
            f"{file_name} has no '# quizdl drill: ID' first line and its definitions fit several drills "
            f"({', '.join(by_entries)}); add the line or pass --drill ID", exit_code=2,
            zh=f"{file_name} 的第一行不是 '# quizdl drill: ID'，而它的定义符合多个练习"
               f"（{', '.join(by_entries)}）；请加上这一行，或用 --drill ID 指定")
    if by_name:
        return by_name, "file name"
    raise QuizdlError(
        f"{file_name} has no '# quizdl drill: ID' first line, and neither its name nor its definitions "
        "match a drill; add the line or pass --drill ID (see `quizdl drill list`)", exit_code=2,
        zh=f"{file_name} 的第一行不是 '# quizdl drill: ID'，它的文件名和定义也都对不上任何练习；"
           "请加上这一行，或用 --drill ID 指定（见 `quizdl drill list`）")


_BY_CARD: dict[str, list[str]] | None = None


def drills_by_card() -> dict[str, list[str]]:
    """card id -> the drills whose `cards:` list it (built-in and the user's own drills), read
    once per process from the drill.yaml files alone: the study screen asks after each answer."""
    global _BY_CARD
    if _BY_CARD is None:
        import yaml

        from quizdl import paths

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        out: dict[str, list[str]] = {}
        for root in (paths.builtin_dir("drills"), paths.user_drills_dir()):
            for spec in sorted(root.glob("*/drill.yaml")) if root.is_dir() else []:
                try:
                    data = yaml.load(spec.read_text(encoding="utf-8"), Loader=loader)
                except (OSError, UnicodeDecodeError, yaml.YAMLError):
                    continue  # a broken drill is reported by `quizdl drill check`, not here
                cards = data.get("cards") if isinstance(data, dict) else None
                for card in cards if isinstance(cards, list) else []:
                    if isinstance(card, str) and spec.parent.name not in out.setdefault(card, []):
                        out[card].append(spec.parent.name)
        _BY_CARD = out
    return _BY_CARD


# --- deep checks (quizdl drill check) -------------------------------------------------------


def card_ids_in(decks_dirs: list[Path]) -> set[str] | None:
    """Card ids defined in the YAML decks under `decks_dirs`, or None when there are no decks yet."""
    ids: set[str] = set()
    found = False
    for folder in decks_dirs:
        if not folder.is_dir():
            continue
        for deck in sorted(folder.glob("*.yaml")):
            found = True
            try:  # parsed, not cached: deck files have their own cache (cards.py)
                from quizdl import yamlcache

                data = yamlcache.parse(deck.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                continue
            cards = data.get("cards") if isinstance(data, dict) else None
            for card in cards if isinstance(cards, list) else []:
                if isinstance(card, dict) and isinstance(card.get("id"), str):
                    ids.add(card["id"])
    return ids if found else None


def check_folder(folder: Path, card_ids: set[str] | None = None, builtin: bool = True) -> tuple[Drill | None, list[str]]:
    """Every problem with one drill folder: drill.yaml, files, starter marker, harness cases."""
    drill, problems = load_folder(folder, builtin)
    if drill is None:
        return None, problems
    if card_ids is not None:
        for card in drill.cards + [m.card for m in drill.mistakes if m.card]:
            if card not in card_ids:
                problems.append(f"{folder / 'drill.yaml'}: {drill.id}: links to unknown card {card!r}")
    for path in (drill.starter_path, drill.reference_path, drill.harness_path):
        if not path.is_file():
            problems.append(f"{path}: {drill.id}: missing")
    problems.extend(_check_mistakes(drill))
    if drill.starter_path.is_file():
        source = drill.starter_path.read_text(encoding="utf-8")
        if marker_drill_id(source) != drill.id:
            problems.append(f"{drill.starter_path}: {drill.id}: first line must be '{MARKER_PREFIX} {drill.id}'")
        for name in drill.entry_points:
            if not re.search(rf"^(def|class)\s+{re.escape(name)}\b", source, re.M):
                problems.append(f"{drill.starter_path}: {drill.id}: does not define entry point {name!r}")
    if drill.harness_path.is_file():
        problems.extend(f"{drill.harness_path}: {drill.id}: {p}" for p in _check_harness(drill))
    return drill, problems


def _check_mistakes(drill: Drill) -> list[str]:
    """Edits that find their text exactly once and make a module that compiles; files present;
    contract ids that exist."""
    from quizdl.grading import contract, mutants

    where = f"{drill.folder / 'drill.yaml'}: {drill.id}"
    problems = []
    for mistake in drill.mistakes:
        if mistake.contract is not None and mistake.contract not in contract.CONTRACTS:
            problems.append(f"{where}: mistake {mistake.id}: unknown contract check {mistake.contract!r} "
                            f"(known: {', '.join(sorted(contract.CONTRACTS))})")
        if mistake.file:
            path = drill.folder / mistake.file
            if not path.is_file():
                problems.append(f"{path}: {drill.id}: missing file for mistake {mistake.id!r}")
    if not drill.reference_path.is_file():
        return problems
    try:
        mutants.all_forms(drill)
    except mutants.BadEdit as exc:
        problems.extend(f"{where}: {p}" for p in exc.problems)
    return problems


def _check_harness(drill: Drill) -> list[str]:
    from quizdl.grading.reference import load_harness

    try:
        harness = load_harness(drill)
    except Exception as exc:
        return [f"cannot import: {type(exc).__name__}: {exc}"]
    problems = []
    for name in ("cases", "make_inputs", "run"):
        if not callable(getattr(harness.module, name, None)):
            problems.append(f"must define {name}()")
    if not callable(getattr(harness.module, "cases", None)):
        return problems
    try:
        cases = harness.cases
    except Exception as exc:
        return [f"cases() failed: {type(exc).__name__}: {exc}"]
    names = set()
    for i, case in enumerate(cases):
        if not isinstance(case, dict):
            problems.append(f"case {i} is not a dict")
            continue
        for key in ("name", "group", "dtype", "seed"):
            if key not in case:
                problems.append(f"case {case.get('name', i)!r} has no {key!r}")
        if case.get("dtype") not in DTYPES:
            problems.append(f"case {case.get('name', i)!r}: dtype must be float32 or float64")
        if case.get("name") in names:
            problems.append(f"duplicate case name {case.get('name')!r}")
        names.add(case.get("name"))
    if not cases:
        problems.append("cases() returned no cases")
    return problems


def check_paths(paths_: list[Path], card_ids: set[str] | None = None) -> tuple[list[Drill], list[str]]:
    """Check drill folders (or folders of drill folders); all problems at once, ids unique."""
    drills: list[Drill] = []
    problems: list[str] = []
    seen: dict[str, Path] = {}
    for path in paths_:
        if not path.exists():
            problems.append(f"{path}: -: no such file or directory")
            continue
        if path.is_file() and path.name == "drill.yaml":
            path = path.parent
        folders = [path] if (path / "drill.yaml").exists() else drill_folders(path)
        if not folders:
            problems.append(f"{path}: -: no drill folders here")
        for folder in folders:
            drill, found = check_folder(folder, card_ids)
            problems.extend(found)
            if drill is not None:
                if drill.id in seen and seen[drill.id] != folder:
                    problems.append(f"{folder}: {drill.id}: duplicate drill id (also in {seen[drill.id]})")
                seen[drill.id] = folder
                drills.append(drill)
    return drills, problems
