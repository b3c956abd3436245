"""benchmarks/refactor_patch/rename_vs_rope.py finds a task's definition for rope wherever a module defines it.

munch 4.0.0 (held_out_11) defines ``from_yaml``, ``to_yaml`` and ``to_yaml_safe`` inside the ``try:``
that imports yaml. ``locate`` looked only among a module's top-level statements, so it raised
``StopIteration`` outside the rope call's ``try`` and stopped the whole benchmark run.
"""

from __future__ import annotations

import sys
from pathlib import Path

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
