"""`quizdl stats`: draws the numbers of quizdl/stats.py (heatmap, forecast, retention, topics,
drills) with rich, in 80 columns. Without colour (NO_COLOR, a pipe) every picture is made of plain
characters, so it still reads; widths are counted in terminal cells, so zh lines up too."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import typer

from quizdl.cli.common import CardsOption, _console, _lang, _library, _now

WIDTH = 80
HEAT_PLAIN = (".", "-", "+", "*", "#")  # review levels 0..4
HEAT_COLOURS = ("grey30", "#0e4429", "#006d32", "#26a641", "#39d353")  # GitHub's greens
TODAY_MARK = "@"
BAR_HEIGHT = 6
EIGHTHS = " ▁▂▃▄▅▆▇█"
SHARES = ("new", "learning", "young", "mature")
SHARE_PLAIN = {"new": ".", "learning": "-", "young": "+", "mature": "#"}
SHARE_COLOURS = {"new": "dodger_blue2", "learning": "dark_orange", "young": "pale_green3", "mature": "green4"}
TOPIC_COL, BAR_COL = 24, 30

TEXT = {
    "en": {
        "cards": "[bold]Cards[/] {cards}: new {new} · learning {learning} · review {review} (mature {mature}) · leeches {leeches}",
        "suspended": " · suspended {n}",
        "reviews": "[bold]Reviews[/] today {today} · all time {total}",
        "heat_title": "Reviews, last {weeks} weeks (cards and drills)",
        "weekdays": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
        "month": lambda d: d.strftime("%b"),
        "less": "less", "more": "more", "today_mark": "today",
        "streak": "Streak: {n} day(s)", "longest": "Longest: {n} day(s)", "total": "Reviews: {n:,}",
        "active": "Active: {n}/{of} days", "busiest": "Busiest day: {n:,}",
        "fc_title": "Due in the next {days} days: {total:,} · today {today:,} ({overdue:,} overdue)",
        "fc_today": "today", "fc_day": "+{n}d",
        "ret_title": "True retention (review cards not rated Again) · desired {desired:.0%}",
        "ret_cols": ("", "young (<{m}d)", "mature (>={m}d)", "all"),
        "windows": {"today": "today", "7d": "7 days", "30d": "30 days", "365d": "365 days"},
        "topics_title": "Topics",
        "topic_cols": ("topic", "cards", "R now", "lapses"),
        "share_names": {"new": "new", "learning": "learning", "young": "young", "mature": "mature"},
        "of": "{rate} of {n:,}", "weak_item": "{title} ({r:.0%})", "sep": ", ",
        "weakest": "Weakest: ", "no_weakest": "Weakest: none yet (no card studied)",
        "drills_title": "Drills",
        "drill_cols": ("drill", "attempts", "passed", "last diagnosis", "next review"),
        "drill_pass": "passed", "no_drills": "Drills: none attempted yet (see `quizdl drill list`)",
    },
    "zh": {
        "cards": "[bold]卡片[/] {cards}：新 {new} · 学习中 {learning} · 复习 {review}（成熟 {mature}）· 顽固卡 {leeches}",
        "suspended": " · 已暂停 {n}",
        "reviews": "[bold]复习[/] 今天 {today} · 累计 {total}",
        "heat_title": "最近 {weeks} 周的复习（卡片和练习）",
        "weekdays": ("一", "二", "三", "四", "五", "六", "日"),
        "month": lambda d: f"{d.month}月",
        "less": "少", "more": "多", "today_mark": "今天",
        "streak": "连续：{n} 天", "longest": "最长连续：{n} 天", "total": "复习：{n:,} 次",
        "active": "活跃：{n}/{of} 天", "busiest": "单日最多：{n:,} 次",
        "fc_title": "未来 {days} 天到期：{total:,} · 今天 {today:,}（逾期 {overdue:,}）",
        "fc_today": "今天", "fc_day": "+{n}天",
        "ret_title": "真实记忆率（复习卡未答“重来”的比例）· 目标 {desired:.0%}",
        "ret_cols": ("", "新近（<{m}天）", "成熟（≥{m}天）", "全部"),
        "windows": {"today": "今天", "7d": "7 天", "30d": "30 天", "365d": "365 天"},
        "topics_title": "主题",
        "topic_cols": ("主题", "卡片", "记忆率", "遗忘"),
        "share_names": {"new": "新", "learning": "学习中", "young": "新近", "mature": "成熟"},
        "of": "{rate} / {n:,}", "weak_item": "{title}（{r:.0%}）", "sep": "、",
        "weakest": "最弱：", "no_weakest": "最弱：暂无（还没有学过的卡片）",
        "drills_title": "编程练习",
        "drill_cols": ("练习", "尝试", "通过", "上次诊断", "下次复习"),
        "drill_pass": "通过", "no_drills": "编程练习：还没有尝试（见 `quizdl drill list`）",
    },
}


def _fit(text: str, cells: int, right: bool = False) -> str:
    """`text` cropped or padded to exactly `cells` terminal cells (CJK characters count two)."""
    from rich.cells import cell_len, set_cell_size

    width = cell_len(text)
    if width > cells:
        return set_cell_size(text, cells - 1) + "…"
    if right:
        return " " * (cells - width) + text
    return set_cell_size(text, cells)


class _Painter:
    """Styles only in colour mode: in plain mode every span is unstyled text."""

    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def line(self, *parts: tuple[str, str | None] | str):
        from rich.text import Text

        out = Text(no_wrap=True, overflow="crop")
        for part in parts:
            text, style = (part, None) if isinstance(part, str) else part
            out.append(text, style=style if self.colour else None)
        out.rstrip()
        return out


def _heatmap_lines(result: dict, t: dict, p: _Painter) -> list:
    from rich.cells import cell_len

    heat, streak = result["heatmap"], result["streak"]
    days = heat["days"]
    first = date.fromisoformat(heat["start"])
    n_weeks = heat["weeks"]
    gutter = 4
    # month names above the week where a month starts (skipped where they would collide)
    header = [" "] * (gutter + 2 * n_weeks + 4)
    last_end, prev_month = -1, None
    for week in range(n_weeks):
        monday = date.fromordinal(first.toordinal() + 7 * week)
        if monday.month != prev_month:
            label = t["month"](monday)
            at = gutter + 2 * week
            if at > last_end:
                header[at] = label
                for k in range(1, cell_len(label)):
                    header[at + k] = ""
                last_end = at + cell_len(label)
            prev_month = monday.month
    side = {
        0: t["streak"].format(n=streak["current"]),
        1: t["longest"].format(n=streak["longest"]),
        3: t["total"].format(n=heat["total"]),
        4: t["active"].format(n=heat["active_days"], of=len(days)),
        6: t["busiest"].format(n=heat["max"]),
    }
    lines = [p.line((t["heat_title"].format(weeks=n_weeks), "bold")), p.line("".join(header).rstrip())]
    for weekday in range(7):
        parts: list = [_fit(t["weekdays"][weekday], gutter)]
        for week in range(n_weeks):
            i = 7 * week + weekday
            if i >= len(days):
                parts.append("  ")
                continue
            level = days[i]["level"]
            today = i == len(days) - 1
            if p.colour:
                parts.append((TODAY_MARK if today else "■", ("bold " if today else "") + HEAT_COLOURS[level]))
            else:
                parts.append(TODAY_MARK if today else HEAT_PLAIN[level])
            parts.append(" ")
        if weekday in side:
            parts.append(("  " + side[weekday], "bold" if weekday == 0 else None))
        lines.append(p.line(*parts))
    legend: list = [" " * gutter, t["less"], " "]
    for level in range(5):
        legend += [("■" if p.colour else HEAT_PLAIN[level], HEAT_COLOURS[level]), " "]
    legend += [t["more"], "   ", (TODAY_MARK, "bold"), " " + t["today_mark"]]
    lines.append(p.line(*legend))
    return lines


def _forecast_lines(result: dict, t: dict, p: _Painter) -> list:
    values = [row["due"] for row in result["forecast"]]
    top = max(values, default=0)
    steps = 8 if p.colour else 2  # eighth blocks in colour, '#' and '.' halves without
    units = BAR_HEIGHT * steps
    heights = [0 if v == 0 else max(1, round(v / top * units)) for v in values]
    gutter = max(len(f"{top:,}"), 1) + 1
    lines = [p.line((t["fc_title"].format(days=len(values), total=sum(values),
                                          today=values[0] if values else 0, overdue=result["overdue"]), "bold"))]
    for row in range(BAR_HEIGHT - 1, -1, -1):
        label = f"{top:,}" if row == BAR_HEIGHT - 1 else ""
        parts: list = [_fit(label, gutter - 1, right=True) + " |"]
        for i, h in enumerate(heights):
            fill = min(max(h - row * steps, 0), steps)
            plain = "#" if fill == steps else ("." if fill else " ")
            glyph = EIGHTHS[fill] if p.colour else plain
            parts += [(glyph, "red" if i == 0 else "cyan"), " "]
        lines.append(p.line(*parts))
    lines.append(p.line(_fit("0", gutter - 1, right=True) + " +" + "-" * (2 * len(values))))
    from rich.cells import cell_len

    axis = [" "] * (gutter + 1 + 2 * len(values) + 6)
    for i in range(0, len(values), 7):
        label = t["fc_today"] if i == 0 else t["fc_day"].format(n=i)
        at = gutter + 1 + 2 * i
        axis[at] = label
        for k in range(1, cell_len(label)):
            axis[at + k] = ""
    lines.append(p.line("".join(axis).rstrip()))
    return lines


def _pct(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1%}"


def _retention_table(result: dict, t: dict, p: _Painter):
    from rich import box
    from rich.table import Table

    ret = result["retention"]
    desired = ret["desired"]
    table = Table(box=box.ROUNDED if p.colour else box.ASCII, header_style="bold" if p.colour else None)
    for i, name in enumerate(t["ret_cols"]):
        table.add_column(name.format(m=ret["mature_days"]), justify="left" if i == 0 else "right")

    def cell(part: dict) -> str:
        if part["rate"] is None:
            return "-"
        rate = f"{part['rate']:.1%}"
        if p.colour:
            style = "green" if part["rate"] >= desired else ("yellow" if part["rate"] >= desired - 0.05 else "red")
            rate = f"[{style}]{rate}[/]"
        return t["of"].format(rate=rate, n=part["reviews"])

    for w in ret["windows"]:
        table.add_row(t["windows"][w["window"]], cell(w["young"]), cell(w["mature"]), cell(w["total"]))
    return [p.line((t["ret_title"].format(desired=desired), "bold")), table]


def _shares(row: dict, width: int) -> dict[str, int]:
    """Cells per share, summing to `width` (largest remainders), a share > 0 never drawn as 0."""
    total = row["total"] or 1
    exact = {k: row[k] * width / total for k in SHARES}
    cells = {k: int(v) for k, v in exact.items()}
    for k in SHARES:
        if row[k] and cells[k] == 0:
            cells[k] = 1
    order = sorted(SHARES, key=lambda k: exact[k] - int(exact[k]), reverse=True)
    i = 0
    while sum(cells.values()) < width and row["total"]:
        cells[order[i % 4]] += 1
        i += 1
    while sum(cells.values()) > width:
        k = max(SHARES, key=lambda k: cells[k])
        cells[k] -= 1
    return cells


def _topic_lines(result: dict, t: dict, p: _Painter) -> list:
    topics = result["topics"]
    legend: list = [(t["topics_title"], "bold"), "  "]
    for k in SHARES:
        legend += [("█" if p.colour else SHARE_PLAIN[k], SHARE_COLOURS[k]), " " + t["share_names"][k] + "  "]
    c_topic, c_cards, c_r, c_lapses = t["topic_cols"]
    head = f"{_fit(c_topic, TOPIC_COL)} {_fit(c_cards, 5, right=True)} {' ' * BAR_COL} {_fit(c_r, 6, right=True)} {_fit(c_lapses, 6, right=True)}"
    lines = [p.line(*legend), p.line((head.rstrip(), "bold"))]
    for row in topics["decks"]:
        parts: list = [_fit(row["title"], TOPIC_COL) + " " + _fit(f"{row['total']:,}", 5, right=True) + " "]
        cells = _shares(row, BAR_COL)
        for k in SHARES:
            if cells[k]:
                parts.append((("█" if p.colour else SHARE_PLAIN[k]) * cells[k], SHARE_COLOURS[k]))
        r = row["retrievability"]
        parts.append(" " + _fit("-" if r is None else f"{r:.0%}", 6, right=True))
        parts.append(" " + _fit(f"{row['lapses']:,}", 6, right=True))
        lines.append(p.line(*parts))
    by_id = {row["deck"]: row for row in topics["decks"]}
    if topics["weakest"]:
        names = t["sep"].join(t["weak_item"].format(title=by_id[d]["title"], r=by_id[d]["retrievability"])
                              for d in topics["weakest"])
        lines.append(p.line((t["weakest"], "bold"), names))
    else:
        lines.append(p.line(t["no_weakest"]))
    lines[-1].no_wrap = False  # the names may need a second line
    return lines


def _when(ts: float | None) -> str:
    return "-" if ts is None else datetime.fromtimestamp(ts).astimezone().date().isoformat()


def _drill_table(result: dict, t: dict, p: _Painter):
    from rich import box
    from rich.table import Table

    per = result["drills"]["per_drill"]
    if not per:
        return [p.line(t["no_drills"])]
    table = Table(box=box.ROUNDED if p.colour else box.ASCII, header_style="bold" if p.colour else None)
    cols = t["drill_cols"]
    table.add_column(cols[0], max_width=20, overflow="fold")
    table.add_column(cols[1], justify="right")
    table.add_column(cols[2], justify="right")
    table.add_column(cols[3], max_width=24, overflow="fold")
    table.add_column(cols[4])
    for d in per:
        diagnosis = t["drill_pass"] if d["last_passed"] else (d["last_diagnosis"] or "-")
        if p.colour:
            diagnosis = f"[green]{diagnosis}[/]" if d["last_passed"] else f"[yellow]{diagnosis}[/]"
        table.add_row(d["drill"], str(d["attempts"]), str(d["passes"]), diagnosis, _when(d["next_review"]))
    return [p.line((t["drills_title"], "bold")), table]


def render(result: dict, console, lang: str) -> None:
    """Print every picture of `result` (a Stats.to_dict()) on `console`, at most 80 columns wide."""
    t = TEXT["zh" if lang == "zh" else "en"]
    p = _Painter(colour=console.color_system is not None and not console.no_color)
    line = t["cards"].format(**{k: result[k] for k in ("cards", "new", "learning", "review", "mature", "leeches")})
    if result.get("suspended"):
        line += t["suspended"].format(n=result["suspended"])
    console.print(line, highlight=False)
    console.print(t["reviews"].format(today=result["reviews_today"], total=result["reviews_total"]), highlight=False)
    for block in (_heatmap_lines(result, t, p), _forecast_lines(result, t, p), _retention_table(result, t, p),
                  _topic_lines(result, t, p), _drill_table(result, t, p)):
        console.print()
        for part in block:
            console.print(part, highlight=False)


# --- stats ----------------------------------------------------------------------------------


StatsLangOption = typer.Option(
    None, "--lang", help="Language of the labels and deck titles: en or zh (default: config; both = en)."
)


def stats(json_out: bool = typer.Option(False, "--json", help="Print machine-readable JSON."),
          lang: str = StatsLangOption, cards: list[Path] = CardsOption) -> None:
    """Your progress in pictures: a 26-week review heatmap and streaks, the 30-day due forecast,
    true retention (young / mature), per-topic shares and retrievability, and your drills.

    Example: [bold]quizdl stats[/]   ·   [bold]quizdl stats --lang zh[/]   ·   [bold]quizdl stats --json | jq .streak[/]
    """
    from quizdl import config as cfg
    from quizdl import stats as st
    from quizdl.store import Store

    config = cfg.load()
    language = _lang(lang, config)
    library = _library(cards)
    with Store.open() as store:
        result = st.compute(library, store, config, _now(), "zh" if language == "zh" else "en").to_dict()
    if json_out:
        import json

        typer.echo(json.dumps(result, indent=2, ensure_ascii=False))
        return
    console = _console()
    if console.width > WIDTH:
        console.width = WIDTH
    render(result, console, language)


def register(app: typer.Typer) -> None:
    app.command()(stats)
