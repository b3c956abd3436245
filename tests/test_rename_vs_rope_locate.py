"""benchmarks/refactor_patch/rename_vs_rope.py finds a task's definition for rope wherever a module defines it.

munch 4.0.0 (held_out_11) defines ``from_yaml``, ``to_yaml`` and ``to_yaml_safe`` inside the ``try:``
that imports yaml. ``locate`` looked only among a module's top-level statements, so it raised
``StopIteration`` outside the rope call's ``try`` and stopped the whole benchmark run.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks" / "refactor_patch"))

from rename_vs_rope import locate

MODULE = """\
try:
    import yaml
except ImportError:
    yaml = None
else:
    def from_yaml(loader, node):
        return loader

if yaml is not None:
    class Dumper:
        def represent(self):
            return self

def twice():
    return 2

try:
    def twice():
        return 3
finally:
    pass
"""


def _at(root: Path, qualified: str) -> str:
    path, offset = locate(root, qualified, ".")
    text = (root / path).read_text()
    line = text[:offset].count("\n") + 1
    return f"{path}:{line}:{text[offset : offset + len(qualified.rsplit('.', 1)[1])]}"


def test_definitions_inside_module_level_blocks_are_found(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "__init__.py").write_text(MODULE)
    assert _at(tmp_path, "pkg.from_yaml") == "pkg/__init__.py:6:from_yaml"
    assert _at(tmp_path, "pkg.Dumper.represent") == "pkg/__init__.py:11:represent"


def test_a_top_level_definition_wins_over_a_nested_one(tmp_path: Path) -> None:
    # the rule every earlier set was located by: a direct statement of the module first
    (tmp_path / "pkg.py").write_text(MODULE)
    assert _at(tmp_path, "pkg.twice") == "pkg.py:14:twice"


ENUM = """\
import enum


class State(enum.Enum):
    OPEN = 1
    CLOSING: int = 2
    CLOSED = 3

    def closed(self):
        return self is State.CLOSED
"""


def test_a_class_attribute_assigned_in_the_class_body_is_found(tmp_path: Path) -> None:
    # held_out_12 renames wsproto's ConnectionState.LOCAL_CLOSING, an enum member: no def, an assignment
    (tmp_path / "states.py").write_text(ENUM)
    assert _at(tmp_path, "states.State.CLOSED") == "states.py:7:CLOSED"
    assert _at(tmp_path, "states.State.CLOSING") == "states.py:6:CLOSING"
    assert _at(tmp_path, "states.State.closed") == "states.py:9:closed"


INSTANCE = """\
class Factory:
    label = "class"

    def __init__(self, ignore=None):
        if ignore:
            self._ignore: list = ignore
        self._ignore = ignore or []
        self.other = self._ignore

    def __call__(self):
        return self._ignore
"""


def test_an_attribute_assigned_only_in_init_is_found(tmp_path: Path) -> None:
    # held_out_15 renames instance attributes with no class-level statement (structlog's
    # LoggerFactory._ignore): locate raised LookupError outside the rope call's try, stopping the run
    (tmp_path / "factory.py").write_text(INSTANCE)
    assert _at(tmp_path, "factory.Factory._ignore") == "factory.py:6:_ignore"
    assert _at(tmp_path, "factory.Factory.label") == "factory.py:2:label"


def test_an_attribute_of_another_object_or_a_nested_name_is_not_a_definition(tmp_path: Path) -> None:
    (tmp_path / "factory.py").write_text(INSTANCE + "\n\ndef helper():\n    x = Factory()\n    x.late = 1\n")
    with pytest.raises(LookupError):
        locate(tmp_path, "factory.Factory.late", ".")
    with pytest.raises(LookupError):
        locate(tmp_path, "factory.Factory.__init__.ignore", ".")
