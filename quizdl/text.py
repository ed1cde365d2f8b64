"""Card text for the terminal: `$...$` / `$$...$$` LaTeX turned into readable Unicode.

pylatexenc does the parsing and symbol table; we only override what it renders ambiguously
(``\\frac{a+b}{c}`` must become ``(a+b)/c``, not ``a+b/c``) and fold simple super/subscripts
into Unicode (``x^2`` → ``x²``) so formulas stay compact.
"""

from __future__ import annotations

import re
from functools import lru_cache

MATH = re.compile(r"(?<!\\)\$\$(.+?)(?<!\\)\$\$|(?<!\\)\$(?!\s)(.+?)(?<!\\)(?<!\s)\$", re.DOTALL)

_SUP = str.maketrans("0123456789+-=()nT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵀ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_SUP_OK = set("0123456789+-=()nT")
_SUB_OK = set("0123456789+-=()")
_SCRIPT = re.compile(r"([\^_])(\{([^{}]*)\}|([0-9A-Za-z]))")


class FormulaError(ValueError):
    """A formula that LaTeX parsing rejects."""


_OPEN, _CLOSE = "([{", ")]}"
_TOP_OPERATORS = set(" +-−=<>≤≥≈×·/,;∈∉∝±∓⊙⊗∼←→≪≫∩∪")
_FRAC_START, _FRAC_END = "\ue000", "\ue001"  # marks a rendered fraction until its neighbours are known


def _atomic(s: str) -> bool:
    """True when `s` needs no parentheses as a numerator, denominator or root: nothing but
    one factor with at most one bracket group outside brackets (`x`, `RMS(x)`, `√(v̂_t)`, `λ_(max)`)."""
    depth, bars, groups = 0, {"|": False, "‖": False}, 0
    for ch in s:
        if ch in _OPEN:
            groups += depth == 0
            depth += 1
            if groups > 1:  # fan_(in)(1+a²): juxtaposed factors, which a slash would split
                return False
        elif ch in _CLOSE:
            depth -= 1
        elif ch in bars:
            bars[ch] = not bars[ch]
        elif depth == 0 and not any(bars.values()) and ch in _TOP_OPERATORS:
            return False
    return True


def _wrap(s: str) -> str:
    s = s.strip()
    return s if _atomic(s) else f"({s})"


def _frac(node, l2tobj) -> str:  # signature required by pylatexenc's simplify_repl
    args = node.nodeargd.argnlist[-2:]
    num, den = (l2tobj.nodelist_to_text([a]).strip() for a in args)
    return f"{_FRAC_START}{_wrap(num)}/{_wrap(den)}{_FRAC_END}"


def _sqrt(node, l2tobj) -> str:
    """√2, √x, √(d_k), √(σ²+ε): parentheses only when the radicand is more than one plain token."""
    args = node.nodeargd.argnlist
    body = l2tobj.nodelist_to_text([args[-1]]).strip()
    index = l2tobj.nodelist_to_text([args[0]]).strip() if len(args) > 1 and args[0] is not None else ""
    if index and set(index) <= _SUP_OK:
        index = index.translate(_SUP)
    plain = re.fullmatch(r"[^\W_]+|[0-9.]+", body) is not None
    whole = body.startswith("(") and body.endswith(")") and _atomic(body)
    return f"{index}√{body if plain or whole else f'({body})'}"


_JUXTAPOSE_STOP = set("+-−=<>≤≥≈×·/,;:)]}!?∈∉∝±∓⊙⊗∼←→≪≫∩∪|…'′″.") | set(_FRAC_END)
_FUNCTION_BEFORE = re.compile(r"(?:log|ln|exp|sin|cos|tan|tanh|sinh|cosh)[₀-₉]*\s*$")
_INNER_FRACTION = re.compile(f"{_FRAC_START}([^{_FRAC_START}{_FRAC_END}]*){_FRAC_END}")


def _group_fractions(text: str) -> str:
    """Parenthesise a fraction that something follows by juxtaposition (`(1/2)(a+b)`,
    `(1/N)∑_i`) or that a function applies to (`log₁₀(a/b)`); other fractions stay bare."""
    while True:
        m = _INNER_FRACTION.search(text)
        if m is None:
            return text
        rest = text[m.end():].lstrip(" ")
        after = rest[:1]
        grouped = (after and after not in _JUXTAPOSE_STOP) or _FUNCTION_BEFORE.search(text[:m.start()])
        body = f"({m.group(1)})" if grouped else m.group(1)
        text = text[:m.start()] + body + text[m.end():]


_SPACED = re.compile(r"(?<=\S)\s*([×·≈←→∝⊙⊗∼≪≫])\s*(?=\S)")
_BALANCED = re.compile(r"(?<=\S)(\s*)([≤≥∈=<>])(\s*)(?=\S)")
_BRACKET_SPACE = re.compile(r"(?<=[⌈⌊])\s+|\s+(?=[⌉⌋])")


def _space_operators(text: str) -> str:
    """One space each side of × · ≈ → ← ∝ ⊙ …; ≤ ≥ ∈ = < > spaced on both sides or neither."""
    text = _BRACKET_SPACE.sub("", _SPACED.sub(r" \1 ", text))
    return _BALANCED.sub(lambda m: f" {m.group(2)} " if m.group(1) or m.group(3) else m.group(2), text)


@lru_cache(maxsize=1)
def _converter():
    from pylatexenc import latex2text

    db = latex2text.get_default_latex_context_db().filter_context()
    spec = latex2text.MacroTextSpec
    db.add_context_category(
        "quizdl",
        prepend=True,
        macros=[
            spec("frac", simplify_repl=_frac),
            spec("sqrt", simplify_repl=_sqrt),
            spec("left", simplify_repl=""),  # \\left( renders as the "(" that follows it
            spec("right", simplify_repl=""),
            spec("epsilon", simplify_repl="ε"),  # the same letter as \\varepsilon and as prose
            spec("varepsilon", simplify_repl="ε"),
            spec("dfrac", simplify_repl=_frac),
            spec("tfrac", simplify_repl=_frac),
            spec("|", simplify_repl="‖"),
            spec("top", simplify_repl="ᵀ"),
            spec("odot", simplify_repl="⊙"),
            spec("lceil", simplify_repl="⌈"),
            spec("rceil", simplify_repl="⌉"),
            spec("lfloor", simplify_repl="⌊"),
            spec("rfloor", simplify_repl="⌋"),
            spec("argmin", simplify_repl="argmin"),
            spec("arg", simplify_repl="arg"),
            spec("argmax", simplify_repl="argmax"),
            spec("quad", simplify_repl="  "),
            spec("qquad", simplify_repl="    "),
        ],
    )

    class _Visible(latex2text.LatexNodes2Text):
        """Unknown macros stay visible as typed (pylatexenc drops them: `\\alpah` would vanish)."""

        def macro_node_to_text(self, node):
            if self.latex_context.get_macro_spec(node.macroname) is None:
                return "\\" + node.macroname
            return super().macro_node_to_text(node)

    return _Visible(latex_context=db, math_mode="text")


_ARG_MACROS = {
    "frac", "dfrac", "tfrac", "sqrt", "hat", "tilde", "bar", "vec", "dot", "ddot", "overline",
    "underline", "mathrm", "mathbf", "mathbb", "mathcal", "mathit", "boldsymbol", "operatorname",
    "text", "textbf", "textit", "emph", "left", "right", "begin", "end", "big", "Big", "bigg", "Bigg",
}
_SYMBOL_SPACE = re.compile(r"\\([A-Za-z]+)(\s+)")
_FUNCTIONS = r"(log|ln|exp|sin|cos|tan|tanh|sinh|cosh|det|arg|sgn|Pr)"
_FUNCTION_SPACE = re.compile(rf"\\{_FUNCTIONS}(?:\s+(?=[\w\\])|(?=\\[A-Za-z]))")
_FUNCTION_AFTER_FACTOR = re.compile(rf"(?<=[A-Za-z0-9}})])(?=\\{_FUNCTIONS}(?![A-Za-z]))")
_TRANSPOSE = re.compile(r"\^\s*(\\top|\{\s*\\top\s*\}|\{\s*T\s*\})")
_NO_SEPARATOR = re.compile(r"\\(right|rfloor|rceil|rangle|[|,;:! {}])")


def _scripts(expr: str) -> str:
    """Rewrite ^{..}/_{..} before parsing: Unicode when every char has a form, else parentheses.
    Also keep the space in `\\log p` (LaTeX swallows it) and write transposes as ᵀ."""

    def repl(m: re.Match) -> str:
        kind, body = m.group(1), m.group(3) if m.group(3) is not None else m.group(4)
        table, ok = (_SUP, _SUP_OK) if kind == "^" else (_SUB, _SUB_OK)
        after = m.string[m.end():m.end() + 2]
        macro_next = after[:1] == "\\" and not _NO_SEPARATOR.match(m.string, m.end())
        if body and set(body) <= ok:
            # x₁ cos: a Unicode script needs a gap only before a word (a function name)
            word_next = macro_next and re.match(r"\\(log|ln|exp|sin|cos|tan|tanh|max|min|mathrm|operatorname)\b",
                                                m.string[m.end():])
            return body.translate(table) + (" " if word_next else "")
        # y_k log, ∑_t η_t: an ASCII script runs into a following letter or symbol without a gap
        gap = " " if macro_next or after[:1].isalpha() else ""
        if m.group(3) is not None and len(body.strip()) > 1:
            body = body.strip()
            return kind + (body if body.startswith("(") and body.endswith(")") else f"({body})") + gap
        return m.group(0) + gap

    expr = expr.replace("\\mathbb{1}", "𝟙").replace("\\mathbb 1", "𝟙")
    expr = _TRANSPOSE.sub("{}ᵀ", expr).replace("''", "″").replace("'", "′")
    expr = _SCRIPT.sub(repl, expr)
    expr = _FUNCTION_SPACE.sub(lambda m: f"\\{m.group(1)}\\ ", expr)
    expr = _FUNCTION_AFTER_FACTOR.sub(" ", expr)  # y\\log p → "y log p", not "ylog p"
    # LaTeX swallows the space after a symbol macro (`\\sigma = 1` → "σ= 1"); keep it.
    expr = _SYMBOL_SPACE.sub(
        lambda m: m.group(0) if m.group(1) in _ARG_MACROS else f"\\{m.group(1)}{{}}{m.group(2)}", expr
    )
    return expr


def check_formula(expr: str) -> None:
    """Raise FormulaError when the LaTeX does not parse."""
    from pylatexenc.latexwalker import LatexWalker, LatexWalkerError

    try:
        LatexWalker(expr, tolerant_parsing=False).get_latex_nodes()
    except LatexWalkerError as exc:
        raise FormulaError(str(exc).splitlines()[0]) from None


def _macro_names(nodes) -> list[str]:
    """Every macro and environment name used in a parsed formula, nested ones included."""
    from pylatexenc.latexwalker import LatexEnvironmentNode, LatexGroupNode, LatexMacroNode

    names, stack = [], list(nodes or [])
    while stack:
        node = stack.pop()
        if node is None:
            continue
        if isinstance(node, LatexMacroNode):
            names.append("\\" + node.macroname)
            if node.nodeargd is not None:
                stack.extend(node.nodeargd.argnlist or [])
        elif isinstance(node, LatexEnvironmentNode):
            names.append(f"{{{node.environmentname}}}")
            stack.extend(node.nodelist or [])
            if node.nodeargd is not None:
                stack.extend(node.nodeargd.argnlist or [])
        elif isinstance(node, LatexGroupNode):
            stack.extend(node.nodelist or [])
    return names


def unknown_macros(expr: str) -> list[str]:
    """The macros of `expr` that the renderer has no rendering for (it would drop them silently)."""
    from pylatexenc.latexwalker import LatexWalker

    db = _converter().latex_context
    nodes, _, _ = LatexWalker(expr, tolerant_parsing=True).get_latex_nodes()
    unknown = []
    for name in _macro_names(nodes):
        known = (db.get_environment_spec(name[1:-1]) if name.startswith("{") else db.get_macro_spec(name[1:]))
        if known is None and name not in unknown:
            unknown.append(name)
    return unknown


def formula_problems(text: str, cap: int = 60) -> list[str]:
    """What is wrong with the formulas of one card text: a `$` that never closes, LaTeX that does
    not parse, macros the renderer does not know. Quoted formulas are capped at `cap` chars."""

    def quote(expr: str) -> str:
        return expr if len(expr) <= cap else expr[: cap - 1] + "…"

    problems = []
    for expr in formulas(text):
        try:
            check_formula(expr)
        except FormulaError as exc:
            problems.append(f"bad formula ${quote(expr)}$: {exc}")
            continue
        problems += [f"unknown LaTeX macro {name} in ${quote(expr)}$" for name in unknown_macros(expr)]
    spans = [m.span() for m in MATH.finditer(text)]
    for dollar in re.finditer(r"(?<!\\)\$", text):
        if not any(start <= dollar.start() < end for start, end in spans):
            line = text.count("\n", 0, dollar.start()) + 1
            snippet = quote(text[dollar.start():].split("\n", 1)[0])
            problems.append(f"unclosed $ (text line {line}): {snippet!r}; write \\$ for a dollar sign")
            break
    return problems


@lru_cache(maxsize=4096)
def latex_to_unicode(expr: str) -> str:
    """A formula as readable Unicode (cached: ~1 ms each, and the same formulas recur)."""
    text = _group_fractions(_converter().latex_to_text(_scripts(expr)))
    return _space_operators(re.sub(r"[ \t]+", " ", text).strip())


def formulas(text: str) -> list[str]:
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in MATH.finditer(text)]


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u303f" or "\u3400" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def _cjk_punct(ch: str) -> bool:
    return "\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"


def _drop_cjk_soft_breaks(text: str) -> str:
    """Remove each newline that has a Chinese character on both sides, or full-width punctuation
    on either side (a space after "：" or before "（" is a gap in Chinese). A loop, not a regex:
    compiling the CJK ranges' regex costs 5 ms per start."""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if prev and line and (_is_cjk(prev[-1]) and _is_cjk(line[0]) or _cjk_punct(prev[-1]) or _cjk_punct(line[0])):
            out[-1] = prev + line
        else:
            out.append(line)
    return "\n".join(out)


def render(text: str) -> str:
    """Markdown with its formulas converted; display math gets a line of its own. A soft line
    break between two Chinese characters is dropped (Markdown would turn it into a space)."""
    text = _drop_cjk_soft_breaks(text)

    def repl(m: re.Match) -> str:
        if m.group(1) is not None:
            return f"\n\n    {latex_to_unicode(m.group(1))}\n\n"
        return latex_to_unicode(m.group(2))

    return MATH.sub(repl, text).replace(r"\$", "$")


def first_line(text: str) -> str:
    """The first line of `render(text)`, for one-line listings. Only the first paragraph is
    rendered when its formulas are complete there (10,000 cards: render what is shown)."""
    whole = text.strip()
    head = whole.split("\n\n", 1)[0]
    if head != whole and len(re.findall(r"(?<!\\)\$", head)) % 2:
        head = whole  # a formula runs past the first paragraph
    lines = render(head).strip().splitlines()
    return lines[0].strip() if lines else ""


# --- layout: card text as terminal lines ----------------------------------------------------
#
# Rich's Markdown wraps only at spaces, so Chinese (which has none) left half-empty lines, and a
# formula could break at any space inside it. layout() wraps itself: between any two CJK
# characters (except before closing and after opening punctuation), at spaces in Latin text,
# never inside a formula or a code span; display math is centred with one blank line around it.

Segment = tuple[str, str]  # (text, style): style is "", "bold", "italic", "code" or "math"
Line = list[Segment]

NO_LINE_START = set("，。、；：？！）」』】》〉”’…—·％,.;:?!)]}%")
NO_LINE_END = set("（「『【《〈“‘([{")
_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")
_INLINE = re.compile(r"\*\*(.+?)\*\*|`([^`]+)`|(?<![\w*\\])\*(?![\s*])([^*\n]+?)(?<!\s)\*(?![\w*])", re.DOTALL)
_DISPLAY_MARK = "\ue002"


def cell_width(text: str) -> int:
    """Terminal cells `text` takes: 2 for wide (CJK) characters, 0 for combining marks."""
    import unicodedata

    width = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200d\u2060":
            continue
        width += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return width


def _wide(ch: str) -> bool:
    return _is_cjk(ch) or "\uac00" <= ch <= "\ud7af" or "\u3040" <= ch <= "\u30ff"


def _boxes(segments: list[Segment]) -> list[tuple[str, list[Segment]]]:
    """Split a paragraph's segments into unbreakable boxes, each with the glue before it:
    " " (a space, dropped at a line break), "" (a break with nothing shown: between CJK
    characters) or "-" (no break allowed: a formula glued to a word, closing punctuation)."""
    boxes: list[tuple[str, list[Segment]]] = []
    glue = "-"
    current: list[Segment] = []

    def add(text: str, style: str) -> None:
        if current and current[-1][1] == style:
            current[-1] = (current[-1][0] + text, style)
        else:
            current.append((text, style))

    def close(next_glue: str) -> None:
        nonlocal glue, current
        if current:
            boxes.append((glue, current))
            current = []
            glue = next_glue
        elif next_glue == " " or glue == "-":
            glue = next_glue if boxes else "-"

    for text, style in segments:
        if style in ("math", "code"):  # one box, glued to neighbouring Latin, breakable by CJK
            last = current[-1][0][-1:] if current else ""
            if not current or _wide(last) and last not in NO_LINE_END:
                close(glue if not current else "")
            current.append((text, style))  # its own segment: a formula is where a box may break
            continue
        for ch in text:
            if ch.isspace():
                close(" ")
            elif _wide(ch) or (current and _wide(current[-1][0][-1:]) and ch not in NO_LINE_START):
                last = current[-1][0][-1:] if current else ""
                if ch in NO_LINE_START or last in NO_LINE_END:
                    add(ch, style)
                else:
                    close("")
                    add(ch, style)
            else:
                add(ch, style)
    close(" ")
    return [(g if i else "-", b) for i, (g, b) in enumerate(boxes)]


def _split_box(box: list[Segment], width: int) -> list[list[Segment]]:
    """A box wider than a whole line, cut into line-sized pieces (the only break inside one)."""
    pieces: list[list[Segment]] = [[]]
    used = 0
    for text, style in box:
        for ch in text:
            w = cell_width(ch)
            if used + w > width and used:
                pieces.append([])
                used = 0
            if pieces[-1] and pieces[-1][-1][1] == style:
                pieces[-1][-1] = (pieces[-1][-1][0] + ch, style)
            else:
                pieces[-1].append((ch, style))
            used += w
    return pieces


def _fit_boxes(boxes: list[tuple[str, list[Segment]]], width: int) -> list[tuple[str, list[Segment]]]:
    """Boxes as they are, except one wider than a whole line: it breaks where its pieces meet (a
    word glued to a formula), then at a formula's spaces (elsewhere only if one word is wider)."""
    out = []
    for glue, box in boxes:
        if sum(cell_width(t) for t, _ in box) <= width:
            out.append((glue, box))
            continue
        tail = box[-1][0][-1:] if box[-1][1] == "" else ""
        if tail in NO_LINE_START and sum(cell_width(t) for t, _ in box) - cell_width(tail) <= width:
            # a formula that fits, then "。": better "。" at a line start than a broken formula
            head = box[:-1] + ([(box[-1][0][:-1], "")] if box[-1][0][:-1] else [])
            out += _fit_boxes([(glue, head)], width) + [("", [(tail, "")])]
            continue
        if len(box) > 1:  # a word glued to a formula ("loss$W x$"): break between them first
            out += _fit_boxes([(glue if i == 0 else "", [segment]) for i, segment in enumerate(box)], width)
            continue
        if not any(" " in t for t, _ in box):
            out.append((glue, box))
            continue
        for i, word in enumerate(re.split(r"(?<=\S) +(?=\S)", "".join(t for t, _ in box))):
            out.append((glue if i == 0 else " ", [(word, box[0][1])]))
    return out


def _fill(segments: list[Segment], width: int, first: str = "", rest: str = "") -> list[Line]:
    """Greedy line filling of one paragraph; `first`/`rest` prefix the first and later lines."""
    lines: list[Line] = []
    line: Line = [(first, "")] if first else []
    used = cell_width(first)
    indent = rest

    def new_line() -> None:
        nonlocal line, used
        lines.append(line)
        line, used = ([(indent, "")] if indent else []), cell_width(indent)

    start = used
    for glue, box in _fit_boxes(_boxes(segments), width - cell_width(indent)):
        w = sum(cell_width(t) for t, _ in box)
        gap = 1 if glue == " " and used > start else 0
        if used + gap + w > width and used > start and glue != "-":
            new_line()
            start, gap = used, 0
        if gap:
            line.append((" ", box[0][1] if line and line[-1][1] == box[0][1] != "math" else ""))
            used += 1
        if used + w > width and w > width - cell_width(indent):
            for i, piece in enumerate(_split_box(box, max(1, width - used if used > start else width - used))):
                if i:
                    new_line()
                line.extend(piece)
                used += sum(cell_width(t) for t, _ in piece)
            continue
        line.extend(box)
        used += w
    if line:
        lines.append(line)
    return [_merge(x) for x in lines]


def _merge(line: Line) -> Line:
    out: Line = []
    for text, style in line:
        if out and out[-1][1] == style:
            out[-1] = (out[-1][0] + text, style)
        elif text:
            out.append((text, style))
    return out


def _inline(text: str) -> list[Segment]:
    """A paragraph's text as segments: **bold**, *italic*, `code`, $math$ (rendered), plain."""
    segments: list[Segment] = []
    pos = 0
    for m in re.finditer(f"{MATH.pattern}|{_INLINE.pattern}", text, re.DOTALL):
        if m.start() > pos:
            segments.append((text[pos:m.start()].replace(r"\$", "$"), ""))
        if m.group(2) is not None:
            segments.append((latex_to_unicode(m.group(2)), "math"))
        elif m.group(1) is not None:
            segments.append((latex_to_unicode(m.group(1)), "math"))
        elif m.group(3) is not None:
            segments.extend((t, "bold" if s == "" else s) for t, s in _inline(m.group(3)))
        elif m.group(4) is not None:
            segments.append((m.group(4), "code"))
        else:
            segments.extend((t, "italic" if s == "" else s) for t, s in _inline(m.group(5)))
        pos = m.end()
    if pos < len(text):
        segments.append((text[pos:].replace(r"\$", "$"), ""))
    return segments


def layout(text: str, width: int) -> list[Line]:
    """Card Markdown as lines of at most `width` cells, each a list of (text, style) segments.
    Paragraphs and list items are wrapped (CJK between any two characters, respecting line-start
    and line-end punctuation; Latin at spaces; formulas and code spans never inside), display math
    is centred with one blank line before and after, fenced code is kept verbatim."""
    width = max(8, width)
    text = _drop_cjk_soft_breaks(text.replace("\r\n", "\n"))
    text = MATH.sub(lambda m: f"\n\n{_DISPLAY_MARK}{latex_to_unicode(m.group(1))}\n\n"
                    if m.group(1) is not None else m.group(0), text)
    out: list[Line] = []
    blocks: list[tuple[str, object]] = []  # ("p", lines) | ("display", text) | ("code", lines)
    para: list[str] = []
    in_code: list[str] | None = None
    for raw in text.split("\n"):
        if in_code is not None:
            if raw.strip().startswith("```"):
                blocks.append(("code", in_code))
                in_code = None
            else:
                in_code.append(raw)
            continue
        if raw.strip().startswith("```"):
            if para:
                blocks.append(("p", para))
                para = []
            in_code = []
        elif raw.startswith(_DISPLAY_MARK):
            if para:
                blocks.append(("p", para))
                para = []
            blocks.append(("display", raw[1:]))
        elif not raw.strip():
            if para:
                blocks.append(("p", para))
                para = []
        elif not para and (only := MATH.match(raw.strip())) and only.end() == len(raw.strip()) and only.group(2):
            blocks.append(("display", latex_to_unicode(only.group(2))))  # a formula alone on its line
        else:
            para.append(raw)
    if in_code is not None:
        blocks.append(("code", in_code))
    if para:
        blocks.append(("p", para))

    for kind, body in blocks:
        if out:
            out.append([])  # one blank line between blocks, whatever the source had
        if kind == "display":
            w = cell_width(body)
            if w <= width:
                out.append([(" " * ((width - w) // 2), ""), (body, "math")] if (width - w) // 2 else [(body, "math")])
            else:
                out.extend(_fill([(body, "math")], width))
        elif kind == "code":
            out.extend([[(line, "code")]] if line else [] for line in body)
        else:
            out.extend(_paragraph(body, width))
    return [_merge(line) for line in out]


def _paragraph(lines: list[str], width: int) -> list[Line]:
    """One Markdown paragraph: plain text joined and wrapped, list items with a hanging indent."""
    items: list[tuple[str, str, list[str]]] = []  # (marker, indent, texts)
    for raw in lines:
        m = _LIST_ITEM.match(raw)
        if raw.lstrip().startswith("#"):
            items.append(("", "", [raw.lstrip("# ").strip()]))
            items[-1][2][0] = f"**{items[-1][2][0]}**"
        elif m:
            marker = ("•" if m.group(2) in "-*+" else m.group(2)) + " "
            items.append((m.group(1) + marker, " " * (len(m.group(1)) + cell_width(marker)), [raw[m.end():]]))
        elif items:
            items[-1][2].append(raw.strip())
        else:
            items.append(("", "", [raw.strip()]))
    out: list[Line] = []
    for marker, indent, texts in items:
        joined = _drop_cjk_soft_breaks("\n".join(texts)).replace("\n", " ")
        out.extend(_fill(_inline(joined), width, marker, indent))
    return out


def layout_text(text: str, width: int) -> str:
    """layout() as plain text (no styles), for tests and for output that is not a terminal."""
    return "\n".join("".join(t for t, _ in line).rstrip() for line in layout(text, width))
