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
    return latex2text.LatexNodes2Text(latex_context=db, math_mode="text")


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
    expr = _TRANSPOSE.sub("ᵀ", expr).replace("''", "″").replace("'", "′")
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


def _drop_cjk_soft_breaks(text: str) -> str:
    """Remove each newline that has a Chinese character on both sides. (The same as substituting
    ``(?<=[CJK])\\n(?=[CJK])``, but compiling that regex's big ranges costs 5 ms per start.)"""
    if "\n" not in text:
        return text
    lines = text.split("\n")
    out = [lines[0]]
    for line in lines[1:]:
        prev = out[-1]
        if prev and line and _is_cjk(prev[-1]) and _is_cjk(line[0]):
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
