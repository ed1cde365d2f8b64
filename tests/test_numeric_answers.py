"""Typed numeric answers (issue #13 item 4): arithmetic from an AST whitelist, never eval."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quizdl.cards import NUMBER_FORMS, parse_number
from quizdl.store import Store
from tests.test_study_pty import WIDTHS, finish, spawn_study

NUMBERS = st.one_of(st.integers(0, 1000).map(float), st.floats(0.001, 1000, allow_nan=False).map(lambda x: round(x, 3)))


@st.composite
def expressions(draw, depth: int = 3) -> tuple[str, float]:
    """(text, value) pairs: the text as a learner types it, the value computed by Python."""
    if depth == 0 or draw(st.booleans()):
        x = draw(NUMBERS)
        return repr(x), x
    op = draw(st.sampled_from(["+", "-", "*", "/", "**", "^", "neg", "sqrt"]))
    a_text, a = draw(expressions(depth - 1))
    if op == "neg":
        return f"-({a_text})", -a
    if op == "sqrt":
        return f"sqrt({a_text})", math.sqrt(a) if a >= 0 else math.nan
    b_text, b = draw(expressions(depth - 1))
    text = f"({a_text}) {op} ({b_text})"
    if math.isnan(a) or math.isnan(b):
        return text, math.nan  # refused below stays refused above (nan ** 0 would be 1)
    try:
        value = {"+": a + b, "-": a - b, "*": a * b}.get(op)
        if op == "/":
            value = a / b
        elif op in ("**", "^"):
            value = a ** b if abs(b) < 10 else math.nan
            value = math.nan if isinstance(value, complex) else value
    except (ZeroDivisionError, OverflowError):
        value = math.nan
    return text, value


@settings(max_examples=300, deadline=None)
@given(expressions())
def test_arithmetic_is_computed_as_python_would(pair):
    text, value = pair
    got = parse_number(text)
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e300:
        assert got == pytest.approx(value, rel=1e-9, abs=1e-12), text
    else:
        assert got is None or math.isfinite(got)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.+-*/^()eE%, xabsqrtlnpi_'[]")), max_size=30))
def test_any_text_is_a_finite_number_or_refused_never_an_error(text):
    got = parse_number(text)
    assert got is None or (isinstance(got, float) and math.isfinite(got))


@pytest.mark.parametrize("cols", WIDTHS)
def test_not_a_number_asks_again_with_the_accepted_forms(quizdl_home, cols):
    child = spawn_study(quizdl_home, cols, "--new", "3")
    child.expect("show answer")
    child.send(" ")
    child.expect("Good 10m")
    child.send("3")
    child.expect("your choice")
    child.send("s")
    child.expect("type a number")
    child.sendline("abc")
    child.expect("'abc' is not a number; accepted:")
    child.expect("type a number")  # asked again, not graded
    child.sendline("1,5")
    child.expect("'1,5' is not a number")
    child.sendline("1/(1-0.2)")
    child.expect("✓ correct")
    child.send(" ")
    child.expect("Good → next in")
    child.expect("show answer")  # the first card again, learning ahead
    child.send("q")
    finish(child)
    with Store.open(quizdl_home / "progress.sqlite3") as store:
        assert [(r.item_id, r.rating) for r in store.reviews()] == [("sample-basic", 3), ("sample-numeric", 3)]


def test_the_accepted_forms_name_the_arithmetic():
    for form in ("1e-3", "25%", "1/8", "2**-3", "0.9^0.01"):
        assert form in NUMBER_FORMS.split(", ")
        assert parse_number(form) is not None


@pytest.mark.parametrize("typed", ["1in 2", "1if 2", "1abc"])
def test_refused_text_prints_no_syntax_warning(typed, recwarn):
    """ast.parse warns on some typos; the warning would be printed over the study screen."""
    import warnings

    warnings.simplefilter("always")
    assert parse_number(typed) is None
    assert [w for w in recwarn if issubclass(w.category, SyntaxWarning)] == []
