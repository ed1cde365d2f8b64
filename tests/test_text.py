from hypothesis import given
from hypothesis import strategies as st

from quizdl.text import check_formula, first_line, formulas, latex_to_unicode, render


def test_fraction_keeps_grouping():
    assert latex_to_unicode(r"\frac{x-\mu}{\sqrt{\sigma^2+\epsilon}}") == "(x-μ)/(√(σ²+ϵ))"
    assert latex_to_unicode(r"\frac{1}{1-p}") == "1/(1-p)"


def test_norms_scripts_and_symbols():
    assert latex_to_unicode(r"\|w\|_1") == "‖w‖₁"
    assert latex_to_unicode(r"\|w\|_2^2") == "‖w‖₂²"
    assert latex_to_unicode(r"e^{-x}") == "e^(-x)"
    assert latex_to_unicode(r"QK^\top") == latex_to_unicode(r"QK^{\top}") == "QKᵀ"
    assert latex_to_unicode(r"-\sum_i y_i \log p_i") == "-∑_i y_i log p_i"


def test_render_inline_and_display_math():
    out = render(r"Scale by $\frac{1}{1-p}$. $$y = \gamma \hat x + \beta$$ Price: \$5")
    assert "1/(1-p)" in out and "y = γ x̂ + β" in out and "$5" in out and "\\" not in out


def test_formulas_found_and_checked():
    assert formulas(r"a $x^2$ b $$\frac{a}{b}$$") == ["x^2", r"\frac{a}{b}"]
    try:
        check_formula(r"\frac{a}{b")
    except ValueError:
        pass
    else:
        raise AssertionError("unbalanced braces must be rejected")


@given(st.text(alphabet="abxyz0123+-*/()^_ ", max_size=30))
def test_converter_never_crashes_on_plain_expressions(expr):
    assert isinstance(latex_to_unicode(expr), str)


def test_soft_break_inside_chinese_is_dropped_but_paragraphs_stay():
    assert render("正则项；\n把权重") == "正则项；把权重"
    assert render("第一段。\n\n第二段") == "第一段。\n\n第二段"
    assert render("line one\nline two") == "line one\nline two"


def _first_rendered_line(text: str) -> str:
    lines = render(text).strip().splitlines()
    return lines[0].strip() if lines else ""


def test_first_line_examples():
    assert first_line("What is $\\frac{a+b}{c}$?\n\nMore $x^2$ here.") == "What is (a+b)/c?"
    assert first_line("$$\\sqrt{x}$$\n\nthen text") == "√(x)"
    assert first_line("中文第一行\n第二行\n\n下一段") == "中文第一行第二行"  # soft break dropped, as render does
    assert first_line("opens $x\n\ny$ later") == _first_rendered_line("opens $x\n\ny$ later")
    assert first_line("  \n") == ""


_WORD = st.sampled_from(["a", "loss", "中文", "σ", "x", "1.5", "\\$"])
_FORMULA = st.sampled_from(["x^2", "\\frac{a}{b}", "\\sqrt{d_k}", "\\beta_1", "W x + b"])
_PIECE = st.one_of(
    _WORD,
    _FORMULA.map(lambda f: f"${f}$"),
    _FORMULA.map(lambda f: f"$${f}$$"),
    st.sampled_from([" ", "\n", "\n\n"]),
)


@given(st.lists(_PIECE, max_size=12).map("".join))
def test_first_line_is_the_first_line_of_the_whole_render(text):
    assert first_line(text) == _first_rendered_line(text)
