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


def _wrap(s: str) -> str:
    s = s.strip()
    if len(s) <= 1 or re.fullmatch(r"[\w.]+", s) or (s.startswith("(") and s.endswith(")")):
        return s
    return f"({s})"


def _frac(node, l2tobj) -> str:  # signature required by pylatexenc's simplify_repl
    args = node.nodeargd.argnlist[-2:]
    num, den = (l2tobj.nodelist_to_text([a]).strip() for a in args)
    return f"{_wrap(num)}/{_wrap(den)}"


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
_FUNCTION_SPACE = re.compile(r"\\(log|ln|exp|sin|cos|tan|tanh|sinh|cosh|det|arg|sgn|Pr)\s+(?=[\w\\])")
_TRANSPOSE = re.compile(r"\^\s*(\\top|\{\s*\\top\s*\}|\{\s*T\s*\})")


def _scripts(expr: str) -> str:
    """Rewrite ^{..}/_{..} before parsing: Unicode when every char has a form, else parentheses.
    Also keep the space in `\\log p` (LaTeX swallows it) and write transposes as ᵀ."""

    def repl(m: re.Match) -> str:
        kind, body = m.group(1), m.group(3) if m.group(3) is not None else m.group(4)
        table, ok = (_SUP, _SUP_OK) if kind == "^" else (_SUB, _SUB_OK)
        if body and set(body) <= ok:
            return body.translate(table)
        if m.group(3) is not None and len(body.strip()) > 1:
            body = body.strip()
            return kind + (body if body.startswith("(") and body.endswith(")") else f"({body})")
        return m.group(0)

    expr = _TRANSPOSE.sub("ᵀ", expr).replace("''", "′′")
    expr = _SCRIPT.sub(repl, expr)
    expr = _FUNCTION_SPACE.sub(lambda m: f"\\{m.group(1)}\\ ", expr)
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


@lru_cache(maxsize=4096)
def latex_to_unicode(expr: str) -> str:
    """A formula as readable Unicode (cached: ~1 ms each, and the same formulas recur)."""
    text = _converter().latex_to_text(_scripts(expr))
    return re.sub(r"[ \t]+", " ", text).strip()


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
