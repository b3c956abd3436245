"""The file's own imports, and its project's habits, decide the spelling and place of a re-added import.

Shapes from the ninth round's tuning sets (README, "Ninth round — imports (h20j)"), cut down to the
lines that decide:

* a type-only standard-library name beside an ``if TYPE_CHECKING:`` block that holds only project
  imports goes to the top where the project's blocks almost never hold the standard library (xarray's
  ``import datetime as dt``, prompt_toolkit's ``Callable``); where they do (virtualenv, litestar), or
  where the block holds another package (fsspec's), the block takes it;
* a name from a module the file imports absolutely already is spelled absolutely, though the file
  writes ``from . import util`` too (ZODB's tests: ``from ZODB.tests import X`` once per name);
* Python 2's implicit relative ``from util import ...`` and ``from . import conf, log`` are joined;
* a blank line under an ``if`` inside a function is no trace of a deleted import when the file
  imports from that module at module level (dipy's ``from dipy.io.streamline import ...``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from heal_projects import add as _add
from heal_projects import project as _project

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import
from hookwright.heal.project_names import ProjectIndex


def _add_from(text: str, path: str, name: str, source: str, index: ProjectIndex) -> str | None:
    ctx = FixContext(path, None, None, "NameError", "", {"name": name}, {"source": source}, index)
    return add_import(text, ctx)


TYPED = (
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
    "if TYPE_CHECKING:\n{block}\n\n"
    "def draw(window: Window, when: datetime.datetime) -> None:\n    window.show()\n"
)


def _module_level_binds(text: str) -> set[str]:
    tree = ast.parse(text)
    return {
        (a.asname or a.name).split(".")[0]
        for n in tree.body
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }


def _block_binds(text: str) -> set[str]:
    block = next(n for n in ast.parse(text).body if isinstance(n, ast.If))
    return {
        (a.asname or a.name).split(".")[0]
        for n in block.body
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }


@pytest.mark.parametrize(
    ("block", "others_block", "in_block"),
    [
        pytest.param(
            "    from .containers import Window\n",
            "    from .containers import Window\n",
            False,
            id="project-imports-only-in-a-project-that-keeps-the-stdlib-at-the-top",
        ),
        pytest.param(
            "    from .containers import Window\n",
            "    from collections.abc import Iterator\n\n    from .containers import Window\n",
            True,
            id="project-imports-only-in-a-project-whose-blocks-hold-the-stdlib",
        ),
        pytest.param(
            "    from numpy.typing import DTypeLike\n\n    from .containers import Window\n",
            "    from .containers import Window\n",
            True,
            id="a-block-that-holds-another-package",
        ),
    ],
)
def test_a_type_only_stdlib_module_goes_where_the_project_keeps_the_stdlib(
    tmp_path: Path, block: str, others_block: str, in_block: bool
) -> None:
    # xarray and prompt_toolkit keep `datetime`, `Callable` at the top; virtualenv and litestar in blocks
    text = TYPED.format(block=block)
    files = {"pkg/__init__.py": "", "pkg/containers.py": "class Window:\n    pass\n", "pkg/draw.py": text}
    for number in range(4):
        files[f"pkg/view{number}.py"] = TYPED.format(block=others_block)
    fixed = _add_from(text, "pkg/draw.py", "datetime", "stdlib", _project(tmp_path, files))
    assert fixed is not None
    assert ("datetime" in _block_binds(fixed)) is in_block
    assert ("datetime" in _module_level_binds(fixed)) is not in_block


FILE_STORAGE = (
    "import os\n\nfrom pkg.tests import Basic\n\nfrom . import util\n\n\n"
    "class FileStorageTests(Basic.Base, Recovery.Mixin):\n    home = util.HOME, os.sep\n"
)


def test_a_module_the_file_imports_absolutely_keeps_its_absolute_spelling(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/tests/__init__.py": "",
        "pkg/tests/util.py": "HOME = '.'\n",
        "pkg/tests/Basic.py": "class Base:\n    pass\n",
        "pkg/tests/Recovery.py": "class Mixin:\n    pass\n",
        "pkg/tests/testMapping.py": "from pkg.tests import Recovery\n\nM = Recovery.Mixin\n",
        "pkg/tests/testDemo.py": "from pkg.tests import Recovery\n\nD = Recovery.Mixin\n",
        "pkg/tests/testFileStorage.py": FILE_STORAGE,
    }
    fixed = _add(FILE_STORAGE, "pkg/tests/testFileStorage.py", "Recovery", _project(tmp_path, files))
    assert fixed is not None
    froms = [n for n in ast.parse(fixed).body if isinstance(n, ast.ImportFrom)]
    recovery = [n for n in froms if any(a.name == "Recovery" for a in n.names)]
    assert [(n.module, n.level) for n in recovery] == [("pkg.tests", 0)]


VIEWER = (
    "from pkg.io import save_tracks\n\n\n"
    "def show(fname):\n    if fname.endswith('.trk'):\n\n        tracks = load_tracks(fname)\n"
    "        save_tracks(tracks)\n"
)


def test_a_gap_under_an_if_is_layout_when_the_file_imports_from_that_module(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/io.py": "def save_tracks(t):\n    return t\n\n\ndef load_tracks(f):\n    return f\n",
        "pkg/other.py": "from pkg.io import load_tracks, save_tracks\n\nX = load_tracks, save_tracks\n",
        "pkg/viewer.py": VIEWER,
    }
    fixed = _add(VIEWER, "pkg/viewer.py", "load_tracks", _project(tmp_path, files))
    assert fixed is not None
    assert "load_tracks" in _module_level_binds(fixed)
    function = next(n for n in ast.parse(fixed).body if isinstance(n, ast.FunctionDef))
    assert not [n for n in ast.walk(function) if isinstance(n, ast.Import | ast.ImportFrom)]


TERMINATOR = "from util import dbg, err\n\n\ndef walk(widget):\n    dbg(widget)\n    err(widget)\n    return descendants(widget)\n"


def test_an_implicit_relative_import_of_the_module_is_the_files_spelling(tmp_path: Path) -> None:
    # terminator's Python 2 `from util import dbg, err` inside terminatorlib/: util.py is beside it
    files = {
        "termlib/__init__.py": "",
        "termlib/util.py": "def dbg(w):\n    pass\n\n\ndef err(w):\n    pass\n\n\ndef descendants(w):\n    return []\n",
        "termlib/window.py": "from termlib.util import descendants\n\nD = descendants\n",
        "termlib/terminator.py": TERMINATOR,
    }
    fixed = _add(TERMINATOR, "termlib/terminator.py", "descendants", _project(tmp_path, files))
    assert fixed is not None
    froms = [n for n in ast.parse(fixed).body if isinstance(n, ast.ImportFrom)]
    assert [(n.module, n.level) for n in froms if any(a.name == "descendants" for a in n.names)] == [
        ("util", 0)
    ]
