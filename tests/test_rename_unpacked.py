"""Names bound by unpacking at module or class level (``a, b = A(), B()``): each holds the element at its
place, not the tuple; a value whose places cannot be paired says nothing (unsure, never another type)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

# Cerberus 1.3.4's shape: two module-level registries made in one assignment, used from another module,
# and a method name (add) other classes and set also have.
REGISTRY = """class Registry:
    def add(self, name, definition):
        return name, definition

    def extend(self, definitions):
        for name, definition in definitions:
            self.add(name, definition)


class SchemaRegistry(Registry):
    pass


class RulesRegistry(Registry):
    pass


class Tree:
    def add(self, error):
        return error


def make_pair():
    return SchemaRegistry(), set()


BOUND
"""
USE = """from reg.registry import HOLDER


def register():
    HOLDER.add("a", 1)
"""

CASES = [
    pytest.param(
        "schemas, rules = SchemaRegistry(), RulesRegistry()", "schemas", True, id="a-tuple-of-instances"
    ),
    pytest.param("schemas, rules = SchemaRegistry(), RulesRegistry()", "rules", True, id="the-second-place"),
    pytest.param("[seen, schemas] = [set(), SchemaRegistry()]", "seen", False, id="a-set-at-its-place"),
    pytest.param("schemas, seen = make_pair()", "schemas", None, id="a-call-whose-places-are-not-said"),
    pytest.param("schemas, *rest = SchemaRegistry(), Tree(), Tree()", "schemas", None, id="a-starred-target"),
    pytest.param("schemas = rules = SchemaRegistry()", "rules", True, id="chained-targets"),
]


@pytest.mark.parametrize(("bound", "holder", "renamed"), CASES)
def test_a_name_bound_by_unpacking_holds_its_element(
    tmp_path: Path, bound: str, holder: str, renamed: bool | None
) -> None:
    files = {
        "reg/__init__.py": "",
        "reg/registry.py": REGISTRY.replace("BOUND", bound),
        "reg/use.py": USE.replace("HOLDER", holder),
    }
    plan = rename.plan(tmp_path, make(tmp_path, files), "reg.registry.Registry.add", "register")
    assert ("reg/use.py" in plan.contents) is bool(renamed)
    left = {"other": [s for s in plan.others if s.path == "reg/use.py"], "unsure": []}
    left["unsure"] = [s for s in plan.unsure if s.path == "reg/use.py"]
    if renamed is False:  # another type, said by the code: left alone for good
        assert len(left["other"]) == 1 and not left["unsure"]
    elif renamed is None:  # nothing says: unsure, never "another type"
        assert len(left["unsure"]) == 1 and not left["other"]


def test_a_class_attribute_bound_by_unpacking_holds_its_element(tmp_path: Path) -> None:
    holder = (
        "from reg.registry import SchemaRegistry\n\n\nclass Config:\n"
        "    registry, names = SchemaRegistry(), ()\n\n\n"
        "def register(config: Config):\n    config.registry.add('a', 1)\n"
    )
    files = {"reg/__init__.py": "", "reg/registry.py": REGISTRY.replace("BOUND", ""), "reg/use.py": holder}
    plan = rename.plan(tmp_path, make(tmp_path, files), "reg.registry.Registry.add", "register")
    assert "config.registry.register('a', 1)" in plan.contents["reg/use.py"].decode()
