"""A file that keeps a project module's type-only names under ``if TYPE_CHECKING:`` gets its lost one
back there, even when its module-level imports already import from the same module.

The shape is virtualenv's (``from ...ref import PathRefToDest`` at the top for run time, ``PathRef``
for annotations in the block). For the standard library the top import wins: virtualenv keeps
``from typing import Any`` in the block beside ``from typing import TYPE_CHECKING``, but pip,
scrapy and flask (the development set) join the top import, and the lead's regression run of that
set lost three cases to the block. Where the top's import holds a name read only in annotations too
(``ClassVar``), the file keeps such names at the top, and the new one joins them.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from heal_projects import add as _add
from heal_projects import project as _project

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import

DESCRIBE = (
    "from __future__ import annotations\n\nfrom pathlib import Path\nfrom typing import TYPE_CHECKING\n\n"
    "if TYPE_CHECKING:\n    from collections.abc import Mapping\n\n\n"
    "class Describe:\n    def __init__(self, options: Mapping[str, Any]) -> None:\n"
    "        self.path = Path(options['dest'])\n"
)
REF = "class PathRef:\n    pass\n\n\nclass PathRefToDest(PathRef):\n    pass\n"
MAC_OS = (
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
    "from pkg.ref import (\n    PathRefToDest,\n)\n\n"
    "if TYPE_CHECKING:\n    from collections.abc import Generator\n\n\n"
    "def sources(path: str) -> Generator[PathRef]:\n    yield PathRefToDest(path)\n"
)
KEEPS_AT_TOP = (
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING, ClassVar\n\n"
    "if TYPE_CHECKING:\n    from collections.abc import Mapping\n\n\n"
    "class Ini:\n    section: ClassVar[str] = 'x'\n\n    def get(self, m: Mapping[str, Any]) -> None:\n        pass\n"
)


def _stdlib(text: str, path: str, name: str) -> str | None:
    ctx = FixContext(path, None, None, "F821", "", {"name": name}, {"source": "stdlib-name"}, None)
    return add_import(text, ctx)


def _in_block(text: str, name: str) -> bool:
    block = next(n for n in ast.parse(text).body if isinstance(n, ast.If))
    return any(isinstance(n, ast.ImportFrom) and any(a.name == name for a in n.names) for n in block.body)


@pytest.mark.parametrize(
    ("text", "expected_in_block"),
    [
        # pip's metadata/__init__.py and scrapy's tests join `from typing import TYPE_CHECKING`
        # (virtualenv's describe.py uses the block: the standard library's names go to the top)
        pytest.param(DESCRIBE, False, id="top-import-binds-only-TYPE_CHECKING"),
        pytest.param(KEEPS_AT_TOP, False, id="top-import-holds-an-annotation-only-name"),
    ],
)
def test_typing_any(text: str, expected_in_block: bool) -> None:
    fixed = _stdlib(text, "pkg/describe.py", "Any")
    assert fixed is not None
    assert _in_block(fixed, "Any") is expected_in_block


def test_a_project_name_joins_the_block_when_the_top_import_serves_run_time(tmp_path: Path) -> None:
    index = _project(tmp_path, {"pkg/__init__.py": "", "pkg/ref.py": REF, "pkg/mac_os.py": MAC_OS})
    fixed = _add(MAC_OS, "pkg/mac_os.py", "PathRef", index)
    assert fixed is not None and _in_block(fixed, "PathRef")
    compile(fixed, "mac_os.py", "exec")
