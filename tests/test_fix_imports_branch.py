"""A lazy import goes into the branch of the function that uses it, when that branch imports lazily.

The shapes are jinja's: ``__getattr__`` imports ``importlib.metadata`` and ``warnings`` inside
``if name == "__version__":`` only (the rest of the function needs neither), and two test files
of the same folder that import ``pformat`` from ``pprint`` inside the test (the package's own
``jinja2.utils.pformat`` is what its modules import).
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import project as _project

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import

GETATTR = (
    "import typing as t\n\n\ndef __getattr__(name: str) -> t.Any:\n"
    '    if name == "__version__":\n'
    "        import importlib.metadata\n\n"
    '        warnings.warn("deprecated", DeprecationWarning, stacklevel=2)\n'
    '        return importlib.metadata.version("jinja2")\n\n'
    "    raise AttributeError(name)\n"
)


def test_the_import_joins_the_branch_that_imports_lazily() -> None:
    ctx = FixContext(
        "jinja2/__init__.py", None, None, "NameError", "", {"name": "warnings"}, {"source": "stdlib"}
    )
    fixed = add_import(GETATTR, ctx)
    assert fixed is not None
    assert (
        '    if name == "__version__":\n        import importlib.metadata\n        import warnings\n' in fixed
    )


def test_a_use_outside_the_branch_keeps_the_import_at_the_function_s_head() -> None:
    text = GETATTR.replace(
        "    raise AttributeError(name)\n", "    warnings.warn(name)\n    raise AttributeError(name)\n"
    )
    ctx = FixContext(
        "jinja2/__init__.py", None, None, "NameError", "", {"name": "warnings"}, {"source": "stdlib"}
    )
    fixed = add_import(text, ctx)
    assert fixed is None or "        import importlib.metadata\n        import warnings\n" not in fixed


LEXNPARSE = (
    "class TestLexer:\n    def test_bytefallback(self, env):\n\n"
    "        tmpl = env.from_string(\"{{ 'foo'|pprint }}\")\n"
    "        assert tmpl.render() == pformat('foo')\n"
)


def test_the_folder_s_lazy_spelling_when_it_imports_the_name_only_lazily(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "src/jinja2/__init__.py": "",
            "src/jinja2/utils.py": "def pformat(obj):\n    from pprint import pformat\n\n    return pformat(obj)\n",
            "src/jinja2/filters.py": "from .utils import pformat\n\n\ndef do_pprint(value):\n    return pformat(value)\n",
            "tests/test_filters.py": (
                "class TestFilter:\n    def test_pprint(self, env):\n        from pprint import pformat\n\n"
                "        assert env.render() == pformat(1)\n"
            ),
            "tests/test_lexnparse.py": LEXNPARSE,
        },
    )
    ctx = FixContext(
        "tests/test_lexnparse.py",
        None,
        None,
        "NameError",
        "",
        {"name": "pformat"},
        {"source": "project"},
        index,
    )
    fixed = add_import(LEXNPARSE, ctx)
    assert fixed is not None
    assert "from pprint import pformat\n" in fixed and "jinja2.utils" not in fixed
