"""Instance attributes that only the class's methods bind (``self._ignore = ignore`` in ``__init__``,
no class-body statement): the most common attribute of real code. On 52f558f every one was refused as
"Class has no member" (held_out_15: structlog's ``LoggerFactory._ignore``, installer's
``WheelFile._zipfile``, python-dotenv's ``Reader.position``...). They are now renamed with the sites a
class-body attribute gets, in the same family, and refused where a class-body one would be."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename
from hookwright.refactor.symbol_index import RenameRefused

SHAPES = """
class Factory:
    def __init__(self, ignore=None):
        self._ignore = ignore or []
        self.count: int = 0

    def make(self):
        self.count += 1
        return [x for x in self._ignore]

    def reset(self, pair):
        self.low, self.high = pair
        for self.cursor in range(3):
            pass

    @staticmethod
    def build(other):
        other.unbound = 1


class Sub(Factory):
    def more(self):
        self._ignore.append(1)
        return self.high


class Reader:
    __slots__ = ("position", "mark")

    def __init__(self):
        self.position = 0
        self.mark = None

    def seek(self, n):
        self.position += n
        if hasattr(self, "position"):
            return self.mark


def use(factory: Factory, reader: Reader):
    return factory._ignore, getattr(factory, "_ignore"), reader.position
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    root = tmp_path_factory.mktemp("self_bound")
    return root, make(root, {"pkg/__init__.py": "", "pkg/m.py": SHAPES})


def _renamed_lines(project: tuple[Path, list[str]], old: str, new: str) -> dict[int, str]:
    root, paths = project
    plan = rename.plan(root, paths, old, new)
    before = (root / "pkg/m.py").read_text().splitlines()
    after = plan.contents["pkg/m.py"].decode().splitlines()
    return {
        number: line.strip()
        for number, (line, was) in enumerate(zip(after, before, strict=True), 1)
        if line != was
    }


def test_an_attribute_bound_in_init_is_renamed_with_its_sites(project: tuple[Path, list[str]]) -> None:
    lines = _renamed_lines(project, "pkg.m.Factory._ignore", "_skipped")
    assert sorted(lines.values()) == sorted(
        [
            'return factory._skipped, getattr(factory, "_skipped"), reader.position',
            "return [x for x in self._skipped]",
            "self._skipped = ignore or []",
            "self._skipped.append(1)",  # the subclass's self: one family
        ]
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "pkg.m.Factory.count", "calls", ["self.calls += 1", "self.calls: int = 0"], id="annotated"
        ),
        pytest.param(
            "pkg.m.Factory.high",
            "top",
            ["return self.top", "self.low, self.top = pair"],
            id="tuple-in-a-method",
        ),
        pytest.param("pkg.m.Factory.cursor", "at", ["for self.at in range(3):"], id="loop-target"),
    ],
)
def test_other_bindings_on_self_define_the_attribute(
    project: tuple[Path, list[str]], old: str, new: str, expected: list[str]
) -> None:
    assert sorted(_renamed_lines(project, old, new).values()) == expected


def test_slots_strings_are_renamed_with_the_attribute(project: tuple[Path, list[str]]) -> None:
    lines = _renamed_lines(project, "pkg.m.Reader.position", "offset")
    assert lines == {
        27: '__slots__ = ("offset", "mark")',  # else `self.offset = 0` fails: no such slot
        30: "self.offset = 0",
        34: "self.offset += n",
        35: 'if hasattr(self, "offset"):',
        40: 'return factory._ignore, getattr(factory, "_ignore"), reader.offset',
    }


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param("pkg.m.Sub._ignore", "_skipped", "has no member '_ignore'", id="bound-by-a-base-only"),
        pytest.param(
            "pkg.m.Factory._ignore", "count", "count is already bound at pkg/m.py:4", id="another-attr"
        ),
        pytest.param("pkg.m.Reader.position", "mark", "mark is already bound at", id="another-slot"),
        pytest.param("pkg.m.Factory.unbound", "other", "has no member 'unbound'", id="a-staticmethods-param"),
    ],
)
def test_what_a_class_body_attribute_would_refuse_is_refused(
    project: tuple[Path, list[str]], old: str, new: str, message: str
) -> None:
    root, paths = project
    with pytest.raises(RenameRefused, match=re.escape(message)):
        rename.plan(root, paths, old, new)


def test_a_subclass_binding_the_name_overrides_the_base(tmp_path: Path) -> None:
    source = SHAPES.replace("self._ignore.append(1)", "self._ignore = [1]")
    paths = make(tmp_path, {"pkg/__init__.py": "", "pkg/m.py": source})
    with pytest.raises(RenameRefused, match=re.escape("it overrides pkg.m.Factory._ignore")):
        rename.plan(tmp_path, paths, "pkg.m.Sub._ignore", "_skipped")
