"""``self.NAME`` in a class that has no NAME of its own (a mixin, Cerberus' SchemaValidatorMixin): the
member comes with the class that mixes it in, so it is not "another type"; unsure, unless no other class
has the name. A class that has its own NAME is another type, as before."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

CORE = """class Validator:
    def spawn_child(self):
        return Validator()


class Mixin:
    MIXIN_BODY


OTHERS
"""


@pytest.mark.parametrize(
    ("body", "others", "verdict"),
    [
        pytest.param("def check(self):\n        return self.spawn_child()", "", "renamed", id="unique-name"),
        pytest.param(
            "def check(self):\n        return self.spawn_child()",
            "class Pool:\n    def spawn_child(self):\n        return 1",
            "unsure",
            id="a-name-another-class-has",
        ),
        pytest.param(
            "def check(self):\n        return self.spawn_child()\n\n    def spawn_child(self):\n        return 2",
            "",
            "other",
            id="the-mixin-has-its-own",
        ),
    ],
)
def test_self_of_a_class_without_the_member_is_not_another_type(
    tmp_path: Path, body: str, others: str, verdict: str
) -> None:
    files = {"val/__init__.py": "", "val/core.py": CORE.replace("MIXIN_BODY", body).replace("OTHERS", others)}
    plan = rename.plan(tmp_path, make(tmp_path, files), "val.core.Validator.spawn_child", "child_of")
    lines = {"renamed": [s.line for s in plan.sites], "unsure": [s.line for s in plan.unsure]}
    lines["other"] = [s.line for s in plan.others]
    assert 8 in lines[verdict]  # `return self.spawn_child()` in Mixin.check
