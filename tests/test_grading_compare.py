"""Numeric comparison (compare.py) and the static scan (scan.py): small, fast, property-style."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import array_shapes, arrays

from quizdl.grading.compare import compare_case, outputs_match
from quizdl.grading.scan import SyntaxProblem, parse, scan

TOL = {"float32": (1e-4, 1e-5), "float64": (1e-7, 1e-9)}


def tol64(_name):
    return TOL["float64"]


finite = arrays(np.float64, array_shapes(min_dims=0, max_dims=3, max_side=5),
                elements=st.floats(-1e6, 1e6, allow_nan=False))


@settings(max_examples=60, deadline=None)
@given(finite)
def test_identical_outputs_pass(x):
    assert compare_case({"y": x}, {"y": x.copy()}, tol64).ok


@settings(max_examples=60, deadline=None)
@given(finite, st.data())
def test_one_bad_value_is_found_with_its_index(x, data):
    if x.size == 0:
        return
    i = data.draw(st.integers(0, x.size - 1))
    got = x.copy().reshape(-1)
    got[i] += 1.0 + abs(got[i]) * 1e-3
    check = compare_case({"y": x}, {"y": got.reshape(x.shape)}, tol64)
    assert not check.ok
    assert check.output == "y"
    if x.ndim:
        assert check.where == "[" + ", ".join(str(int(k)) for k in np.unravel_index(i, x.shape)) + "]"
    assert check.max_abs > 0


def test_tolerance_depends_on_the_dtype():
    x = np.random.default_rng(0).standard_normal((4, 5))
    got = x * (1 + 1e-6)  # float32-sized error
    assert compare_case({"y": x}, {"y": got}, lambda _n: TOL["float32"]).ok
    assert not compare_case({"y": x}, {"y": got}, tol64).ok


def test_structure_problems():
    x = np.zeros((2, 3))
    assert "missing output" in compare_case({"y": x}, {}, tol64).message
    assert "shape (3, 2)" in compare_case({"y": x}, {"y": x.T}, tol64).message
    assert "dtype complex" in compare_case({"y": x}, {"y": x.astype(complex)}, tol64).message
    nan = x.copy()
    nan[1, 2] = np.nan
    assert "NaN at [1, 2]" in compare_case({"y": x}, {"y": nan}, tol64).message
    inf = x.copy()
    inf[0, 0] = np.inf
    assert "inf at [0, 0]" in compare_case({"y": x}, {"y": inf}, tol64).message


def test_outputs_match_treats_nan_as_equal():
    a = np.array([1.0, np.nan, -np.inf])
    assert outputs_match({"y": a}, {"y": a.copy()}, tol64)
    assert not outputs_match({"y": a}, {"y": np.array([1.0, 0.0, -np.inf])}, tol64)


FORBIDDEN = ["torch.nn.functional.batch_norm", "torch.nn.BatchNorm1d"]


def findings(source: str, blocked=()):
    tree = parse(source)
    assert not isinstance(tree, SyntaxProblem)
    return [f.message for f in scan(tree, FORBIDDEN, list(blocked), ["BatchNorm1d"])]


def test_scan_catches_aliases_and_strings():
    assert findings("import torch.nn.functional as F\nF.batch_norm(x)\n")
    assert findings("from torch.nn.functional import batch_norm\n")
    assert findings("import torch\ntorch.nn.modules.batchnorm.BatchNorm1d(3)\n")
    assert findings("import torch\nm = getattr(torch.nn.functional, 'batch_norm')\n")
    assert findings("import importlib\nimportlib.import_module('torch')\n", blocked=["torch"])


def test_scan_leaves_the_users_own_names_alone():
    source = (
        "import torch\n__all__ = ['BatchNorm1d']\n\nclass BatchNorm1d(torch.nn.Module):\n"
        "    '''Like torch.nn.BatchNorm1d, without batch_norm.'''\n"
        "    def forward(self, x):\n        return self.batch_norm_like(x)\n"
    )
    assert findings(source) == []


def test_syntax_problem_has_line_and_column():
    problem = parse("def f(:\n    pass\n")
    assert isinstance(problem, SyntaxProblem) and problem.line == 1 and "syntax error at line 1:" in str(problem)
