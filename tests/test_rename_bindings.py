"""Shapes the fourth held-out set (tabulate, toolz, more-itertools) showed, each from a real one: a class
used as a decorator, a module-level alias made by assignment, and names looked up by a string."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused

# toolz.functoolz.curry: a class whose instances are made by decorating functions
CURRY = """
class curry:
    def __init__(self, func, *args):
        self.func = func
        self.args = args

    def __call__(self, *args):
        return self.func(*self.args, *args)

    def bind(self, *args):
        return type(self)(self.func, *self.args, *args)


class Other:
    def __init__(self, func):
        self.func = func

    def bind(self):
        return 1
"""


def plan_of(tmp_path: Path, files: dict[str, str], old: str, new: str) -> rename.Plan:
    return rename.plan(tmp_path, make(tmp_path, {"kit/__init__.py": "", **files}), old, new)


def test_a_class_used_as_a_decorator_is_the_type_of_what_it_decorates(tmp_path: Path) -> None:
    # toolz's tests: `@curry def add(x, y)`, then `add.bind(10)(20)`; `sigspec.bind(...)` is a Signature
    use = (
        "import functools\nimport inspect\n\nfrom kit.curry import Other, curry\n\n\n"
        "def test_bind():\n    @curry\n    def add(x, y):\n        return x + y\n\n"
        "    assert add.bind(10)(20) == 30\n    assert add.bind(10).bind(20)() == 30\n\n\n"
        "@Other\ndef other(x):\n    return x\n\n\n"
        "@functools.lru_cache\ndef cached(x):\n    return x\n\n\n"
        "def valid(func):\n    inspect.signature(func).bind(1)\n    other.bind()\n    return cached.bind\n"
    )
    plan = plan_of(tmp_path, {"kit/curry.py": CURRY, "kit/use.py": use}, "kit.curry.curry.bind", "bound")
    text = plan.contents["kit/use.py"].decode()
    assert "add.bound(10)(20)" in text and "add.bound(10).bound(20)()" in text
    assert "other.bind()" in text and ".signature(func).bind(1)" in text and "cached.bind" in text
    assert [s.text for s in plan.others] == ["other.bind: a Other (its decorator)"]
    assert sorted(s.text.split(":")[0] for s in plan.unsure) == ["cached.bind", "inspect.signature(...).bind"]


def test_a_decorated_method_is_not_typed_by_its_decorator(tmp_path: Path) -> None:
    # a class in a class body may be a descriptor: what `self.add` gives is its __get__'s
    holder = (
        "from kit.curry import curry\n\n\nclass Holder:\n    @curry\n    def add(self, x):\n"
        "        return x\n\n    def use(self):\n        add = 1\n        return self.add.bind(1)\n"
    )
    plan = plan_of(
        tmp_path, {"kit/curry.py": CURRY, "kit/holder.py": holder}, "kit.curry.curry.bind", "bound"
    )
    assert "self.add.bind(1)" in plan.contents.get("kit/holder.py", holder.encode()).decode()
    assert [s.path for s in plan.unsure] == ["kit/holder.py"]


# toolz.curried: every toolz function bound again, under its own name, to a wrapper of it
CURRIED = {
    "kit/itertoolz.py": "def reduceby(key, binop, seq):\n    return {}\n\n\ndef other(x):\n    return x\n",
    "kit/tools.py": "from kit.itertoolz import *\n",
    "kit/curried.py": (
        "import kit.tools\nfrom kit.itertoolz import other\n\n\ndef curry(f):\n    return f\n\n\n"
        "reduceby = curry(kit.tools.reduceby)\nrs = curry(kit.tools.reduceby)\nother2 = curry(other)\n"
    ),
    "kit/test_curried.py": (
        "from kit.curried import reduceby\nimport kit.curried\n\n\n"
        "def test_it():\n    assert reduceby(1, 2, []) == kit.curried.reduceby(1, 2, [])\n"
    ),
}


def test_a_module_level_alias_made_by_assignment_is_renamed_with_the_symbol(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, CURRIED, "kit.itertoolz.reduceby", "reduce_by")
    curried = plan.contents["kit/curried.py"].decode()
    assert "\nreduce_by = curry(kit.tools.reduce_by)\n" in curried
    assert "\nrs = curry(kit.tools.reduce_by)\n" in curried, "another name is the user's own"
    test = plan.contents["kit/test_curried.py"].decode()
    assert "import reduce_by\n" in test and "reduce_by(1, 2, []) == kit.curried.reduce_by(1, 2, [])" in test
    assert not plan.unsure


# tabulate: tabulate() gives a JupyterHTMLStr for the html formats and a str otherwise
HTML = {
    "kit/table.py": (
        "class HTMLStr(str):\n    def _repr_html_(self):\n        return self\n\n\n"
        "class Cart:\n    def _repr_html_(self):\n        return ''\n\n\n"
        "def table(rows, fmt):\n    if fmt == 'html':\n        return HTMLStr('<table/>')\n    return ''\n"
    ),
}


@pytest.mark.parametrize(
    ("use", "outcome"),
    [
        pytest.param("result = table([], 'html')\n", "refused", id="a-union-of-returns"),
        pytest.param("result = HTMLStr('')\n", "renamed", id="the-family"),
        pytest.param("result = Cart()\n", "other", id="another-class"),
    ],
)
def test_a_member_named_by_a_string_to_hasattr_is_decided_by_the_object(
    tmp_path: Path, use: str, outcome: str
) -> None:
    test = f"from kit.table import Cart, HTMLStr, table\n\n\ndef test_html():\n    {use}    assert hasattr(result, '_repr_html_')\n"
    files = {**HTML, "kit/test_table.py": test}
    if outcome == "refused":
        with pytest.raises(
            RenameRefused, match=r"kit/test_table.py:6 looks it up by its name, hasattr\(result"
        ):
            plan_of(tmp_path, files, "kit.table.HTMLStr._repr_html_", "_repr_html")
        return
    plan = plan_of(tmp_path, files, "kit.table.HTMLStr._repr_html_", "_repr_html")
    text = plan.contents.get("kit/test_table.py", b"").decode()
    assert ("'_repr_html')" in text) == (outcome == "renamed")
    assert len(plan.others) == (outcome == "other") and not plan.unsure


def test_the_name_an_except_clause_binds_is_an_instance_of_what_it_catches(tmp_path: Path) -> None:
    # voluptuous: `except er.Invalid as e: e.prepend(path); raise`
    errors = (
        "class Invalid(Exception):\n    def prepend(self, path):\n        return path\n\n\n"
        "class Other(Exception):\n    def prepend(self, path):\n        return path\n"
    )
    use = (
        "from kit import errors as er\n\n\ndef check(f):\n    try:\n        f()\n"
        "    except er.Invalid as e:\n        e.prepend(1)\n"
        "    except (er.Other, KeyError) as e2:\n        e2.prepend(2)\n"
        "    except Exception as e3:\n        e3.prepend(3)\n"
    )
    plan = plan_of(
        tmp_path, {"kit/errors.py": errors, "kit/use.py": use}, "kit.errors.Invalid.prepend", "prefix"
    )
    text = plan.contents["kit/use.py"].decode()
    assert "e.prefix(1)" in text and "e2.prepend(2)" in text and "e3.prepend(3)" in text
    assert [s.text for s in plan.others] == ["e2.prepend: a er.Other or a KeyError"]
    assert [s.text for s in plan.unsure] == ["e3.prepend: an Exception may be an Invalid or not"]


def test_a_keyword_of_dict_is_a_string_that_may_name_the_symbol(tmp_path: Path) -> None:
    # toolz._signatures: module_info['toolz'] = dict(flip=[...]), looked up with getattr(module, name)
    files = {
        "kit/functoolz.py": "def flip(func, a, b):\n    return func(b, a)\n",
        "kit/signatures.py": (
            "import kit.functoolz\n\nregistry = {}\nregistry['kit'] = dict(flip=[1], other=[2])\n"
            "kept = kit.functoolz.flip\n\n\ndef make(flip=None):\n    return make(flip=1)\n"
        ),
    }
    plan = plan_of(tmp_path, files, "kit.functoolz.flip", "flip_args")
    assert "dict(flip=[1]" in plan.contents["kit/signatures.py"].decode()
    assert [(s.kind, s.line) for s in plan.unsure] == [("string", 4)]
    assert "dict(flip=...) makes the key 'flip'" in plan.unsure[0].text


def test_a_class_called_in_the_decorator_does_not_type_the_function(tmp_path: Path) -> None:
    # `@curry(...)` makes a curry first and calls it with the function: what that call gives is not said
    use = (
        "from kit.curry import curry\n\n\n@curry(print)\ndef add(x, y):\n    return x + y\n\n\n"
        "def test_bind():\n    assert add.bind(10)\n"
    )
    plan = plan_of(tmp_path, {"kit/curry.py": CURRY, "kit/use.py": use}, "kit.curry.curry.bind", "bound")
    assert "add.bind(10)" in use and "kit/use.py" not in plan.contents
    assert [s.text.split(":")[0] for s in plan.unsure] == ["add.bind"]
