"""The examples in the installed package's docstrings run (Rust and Python docstrings alike)."""

import doctest

import cunwu
import cunwu._errors


def test_docstring_examples_run():
    for module in (cunwu, cunwu._errors):
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        assert result.failed == 0, f"{module.__name__}: {result.failed} failed"
    finder_total = sum(len(t.examples) for t in doctest.DocTestFinder().find(cunwu))
    assert finder_total >= 3, "the docstring examples were not found"
