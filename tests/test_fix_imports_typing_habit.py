"""A type-only ``typing`` name beside a top ``from typing import TYPE_CHECKING`` goes into the file's
``if TYPE_CHECKING:`` block when the project's blocks hold ``typing``'s names file after file.

The shape is sentry-python's (157 of its 164 blocks import from ``typing``; fresh10's
``ai/monitoring.py`` and ``_compat.py``). Where the project's blocks seldom do (pip, scrapy, flask of
the development set), the name still joins the top import (test_fix_imports_type_checking_strict).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from heal_projects import project as _project

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import

BROKEN = (
    "import sys\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
    '    T = TypeVar("T")\n\n\ndef first(items: "list[T]") -> "T":\n    return items[0]\n'
)
IN_BLOCK = (
    "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    from typing import Any\n\n\nX: 'Any' = 1\n"
)
AT_TOP = "from typing import TYPE_CHECKING, Any\n\nif TYPE_CHECKING:\n    from pkg.mod import Thing\n\n\nX: 'Any' = 1\n"


@pytest.mark.parametrize(
    ("others", "in_block"), [(IN_BLOCK, True), (AT_TOP, False)], ids=["habit", "no-habit"]
)
def test_the_project_s_blocks_decide(tmp_path: Path, others: str, in_block: bool) -> None:
    files = {"pkg/__init__.py": "", "pkg/mod.py": "class Thing:\n    pass\n", "pkg/compat.py": BROKEN}
    files.update({f"pkg/other{n}.py": others for n in range(3)})
    index = _project(tmp_path, files)
    ctx = FixContext(
        "pkg/compat.py", None, None, "F821", "", {"name": "TypeVar"}, {"source": "stdlib-name"}, index
    )
    fixed = add_import(BROKEN, ctx)
    assert fixed is not None
    assert ("if TYPE_CHECKING:\n    from typing import TypeVar\n" in fixed) is in_block
    assert ("from typing import TYPE_CHECKING, TypeVar\n" in fixed) is not in_block
