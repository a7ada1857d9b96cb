"""The examples in the installed package's docstrings run: the package and its errors module,
and every class and function it exports (Rust docstrings included)."""

import doctest

import cunwu
import cunwu._errors


def test_docstring_examples_run():
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    tests = finder.find(cunwu) + finder.find(cunwu._errors)
    for name in cunwu.__all__:
        obj = getattr(cunwu, name)
        if callable(obj) and not isinstance(obj, type):  # functions; classes were found above
            tests += finder.find(obj, f"cunwu.{name}", module=False, globs={})
    examples = sum(len(t.examples) for t in tests)
    for t in tests:
        runner.run(t)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert examples >= 30, examples
