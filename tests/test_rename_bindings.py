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
