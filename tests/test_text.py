import pytest
from hypothesis import given
from hypothesis import strategies as st

from quizdl.text import (
    check_formula,
    first_line,
    formula_problems,
    formulas,
    latex_to_unicode,
    render,
)


def test_fraction_keeps_grouping():
    assert latex_to_unicode(r"\frac{x-\mu}{\sqrt{\sigma^2+\epsilon}}") == "(x-μ)/√(σ²+ε)"
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
    assert first_line("$$\\sqrt{x}$$\n\nthen text") == "√x"
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


# Item 3 and 26: a table of the formula shapes the built-in decks use, rendered as maths reads.
FORMULA_TABLE = [
    # a fraction followed by anything juxtaposed is parenthesised
    (r"\frac{1}{2}(x^2 + 100y^2)", "(1/2)(x² + 100y²)"),
    (r"p_l = 1 - \frac{l}{L}(1 - p_L)", "p_l = 1 - (l/L)(1 - p_L)"),
    (r"L = -\frac{1}{N} \sum_n \log p_{n, y_n}", "L = -(1/N) ∑_n log p_(n, y_n)"),
    (r"\frac{2}{3}n^3", "(2/3)n³"),
    (r"r \leftarrow (1 - m)\, r + m \frac{n}{n-1} \sigma_B^2", "r ← (1 - m) r + m (n/(n-1)) σ_B²"),
    (r"10 \log_{10} \frac{\mathrm{MAX}^2}{\mathrm{MSE}}", "10 log₁₀ (MAX²/MSE)"),
    # ... and a fraction before an operator or at the end is not
    (r"\eta_t = \frac{\eta_0}{1+\gamma t}", "η_t = η₀/(1+γ t)"),
    (r"h = W_0 x + \frac{\alpha}{r} \cdot BAx", "h = W₀ x + α/r · BAx"),
    (r"\frac{x - \mu}{\sqrt{\sigma^2 + \epsilon}}", "(x - μ)/√(σ² + ε)"),
    (r"\frac{2}{fan_{in}(1+a^2)}", "2/(fan_(in)(1+a²))"),
    (r"\kappa = \frac{\lambda_{max}}{\lambda_{min}}", "κ = λ_(max)/λ_(min)"),
    # a script followed by a letter or macro gets a separator
    (r"-\sum_k y_k\log p_k", "-∑_k y_k log p_k"),
    (r"\sum_t\eta_t=\infty", "∑_t η_t=∞"),
    (r"\sum_{i,j}u_c(i,j)", "∑_(i,j) u_c(i,j)"),
    (r"\eta_0\exp(-\gamma t)", "η₀ exp(-γ t)"),
    (r"L=-[y\log(p)+(1-y)\log(1-p)]", "L=-[y log(p)+(1-y) log(1-p)]"),
    # 𝟙, primes, ε
    (r"q_k = (1 - \varepsilon)\,\mathbb{1}[k = y] + \varepsilon / K", "q_k = (1 - ε) 𝟙[k = y] + ε / K"),
    (r"x_1 = x_0 - \frac{f'(x_0)}{f''(x_0)}", "x₁ = x₀ - f′(x₀)/f″(x₀)"),
    (r"\epsilon=10^{-9}", "ε=10⁻⁹"),
    # spacing around × · ≈, redundant parentheses
    (r"0.9^{100}\approx 2.7\times10^{-5}", "0.9¹⁰⁰ ≈ 2.7 × 10⁻⁵"),
    (r"512^{-0.5}\cdot4000^{-0.5}", "512^(-0.5) · 4000^(-0.5)"),
    (r"\sqrt{2}", "√2"),
    (r"1/\sqrt{d_k}", "1/√(d_k)"),
    (r"y = \gamma \odot \frac{x}{\mathrm{RMS}(x)}", "y = γ ⊙ x/RMS(x)"),
    (r"T' = T\lceil t/T \rceil", "T′ = T⌈t/T⌉"),
    (r"\nabla f^\top \Delta + \frac{1}{2}\Delta^\top H \Delta", "∇ fᵀ Δ + (1/2)Δᵀ H Δ"),  # Δᵀ was dropped
    (r"w \leftarrow w - \eta\left(\frac{\hat m}{\sqrt{\hat v}+\epsilon} + \lambda w\right)", "w ← w - η(m̂/(√(v̂)+ε) + λ w)"),
]


@pytest.mark.parametrize(("expr", "expected"), FORMULA_TABLE)
def test_formula_table(expr, expected):
    assert latex_to_unicode(expr) == expected


def test_epsilon_and_varepsilon_are_one_letter():
    assert latex_to_unicode(r"\epsilon") == latex_to_unicode(r"\varepsilon") == "ε"


def test_formula_problems_report_unknown_macros_and_unclosed_dollar():
    assert formula_problems(r"fine $x^2$ and $$\frac{a}{b}$$") == []
    (unknown,) = formula_problems(r"a $\foo{x}$ b")
    assert "unknown LaTeX macro \\foo" in unknown
    (unclosed,) = formula_problems("a $x$ b\ncosts $5 and more")
    assert unclosed.startswith("unclosed $ (text line 2)")
    (bad,) = formula_problems(r"$\frac{a}{b$")
    assert bad.startswith("bad formula")
    assert formula_problems(r"price \$5") == []


# --- issue 13 item 22 and 26: layout (CJK wrapping, unbroken formulas, centred display math) ---

from quizdl.text import NO_LINE_END, NO_LINE_START, cell_width, layout, layout_text  # noqa: E402


def _lines(text: str, width: int) -> list[str]:
    return layout_text(text, width).split("\n")


def test_chinese_wraps_between_any_two_characters():
    text = "训练时前向计算用的是有偏的方差而写进滑动平均的是无偏估计这是手写实现的经典错误"
    lines = _lines(text, 20)
    assert all(cell_width(line) <= 20 for line in lines)
    assert all(cell_width(line) >= 18 for line in lines[:-1])  # no half-empty lines
    assert "".join(lines) == text


def test_no_line_starts_with_closing_or_ends_with_opening_punctuation():
    text = "这是一个测试句子，用来检查标点。括号（里面的内容）不能断开「引号」也一样；问号？感叹号！"
    for width in range(8, 40):
        lines = _lines(text, width)
        assert "".join(lines) == text
        for line in lines:
            assert cell_width(line) <= width or len(line) == 1, (width, line)
        for line in lines[1:]:
            assert line[0] not in NO_LINE_START, (width, lines)
        for line in lines[:-1]:
            assert line[-1] not in NO_LINE_END, (width, lines)


def test_formulas_never_break_inside_in_any_language():
    formula = r"$r \leftarrow (1 - m)\, r + m \frac{n}{n-1} \sigma_B^2$"
    rendered = latex_to_unicode(formula[1:-1])
    for text in (f"What enters running_var is the unbiased estimate {formula} here, every time.",
                 f"而写进 running_var 的是无偏估计：{formula}。这沿用了原论文的做法"):
        for width in range(cell_width(rendered), 60):
            assert any(rendered in line for line in _lines(text, width)), (width, _lines(text, width))


def test_latin_text_wraps_at_spaces_and_keeps_every_word():
    text = "The gap matters for small n and is a classic bug in hand-written BatchNorm layers."
    lines = _lines(text, 24)
    assert all(cell_width(line) <= 24 for line in lines)
    assert " ".join(lines).split() == text.split()


def test_display_math_is_centred_with_one_blank_line():
    text = "Clip the step first,\n\n\n$$\\eta_t = \\eta_0 \\gamma^t$$\n\n\n\nthen decay."
    lines = _lines(text, 40)
    shown = latex_to_unicode(r"\eta_t = \eta_0 \gamma^t")
    assert lines == ["Clip the step first,", "", " " * ((40 - cell_width(shown)) // 2) + shown, "", "then decay."]
    inline_alone = _lines("Before.\n\n$J(w) = L + \\lambda R$\n\nAfter.", 30)
    assert inline_alone[2].strip() == "J(w) = L + λ R" and inline_alone[2].startswith("       ")


def test_list_items_hang_and_bold_and_code_are_styled():
    text = "- **More data**: the most reliable fix; noise averages out.\n- `torch.finfo(torch.float32).eps` is used"
    lines = layout(text, 40)
    plain = ["".join(t for t, _ in line) for line in lines]
    assert plain[0].startswith("• More data:") and plain[1].startswith("  ")
    assert ("More data", "bold") in lines[0]
    assert any(("torch.finfo(torch.float32).eps", "code") in line for line in lines)


def test_soft_break_after_full_width_punctuation_leaves_no_gap():
    assert layout_text("无偏估计：\n$x^2$。\n下一句", 40) == "无偏估计：x²。下一句"


def test_italic_and_stars_that_are_not_emphasis():
    (line,) = layout("multiplies the *previous* LR, so `0.95 ** e` and $a*b$ stay", 80)
    assert ("previous", "italic") in line and ("0.95 ** e", "code") in line
    assert layout_text("2 * 3 * 4 and a*b*c", 80) == "2 * 3 * 4 and a*b*c"


_LAYOUT_PIECE = st.one_of(
    st.sampled_from(["训", "练", "时", "，", "。", "（", "）", "「", "」", "：", "loss", "BatchNorm1d", "a", " ", " ", "\n"]),
    _FORMULA.map(lambda f: f"${f}$"),
)


@given(st.lists(_LAYOUT_PIECE, max_size=40).map("".join), st.integers(min_value=10, max_value=50))
def test_layout_keeps_every_character_within_the_width(text, width):
    lines = layout_text(text, width).split("\n")
    assert all(cell_width(line) <= width for line in lines), lines
    squeeze = lambda s: "".join(s.split())  # noqa: E731
    assert squeeze("".join(lines)) == squeeze(render(text))
    for expr in formulas(text):
        shown = latex_to_unicode(expr)
        if cell_width(shown) <= width - 2:
            assert any(shown in line for line in lines), (shown, lines)


def test_an_unknown_macro_stays_visible():
    assert latex_to_unicode(r"\alpah + 1") == "\\alpah + 1"  # pylatexenc alone drops it silently
