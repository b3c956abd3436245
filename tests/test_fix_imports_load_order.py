"""An import goes where it runs before the module's first read of it, and a module that builds lazy
objects from its ``globals()`` still gets the imports it lost.

Shapes from history9 (README, "Tenth round — imports (h20l)"), cut down to the lines that decide:

* sickbeard's ``__init__.py`` (Medusa, SickChill) patches ``shutil.copyfile = ...`` between two runs of
  imports; ``import shutil`` after the last import left the name unbound where it is read, and the
  fix was rejected: it belongs with the imports above that line;
* xonsh's ``_winapi = LazyObject(load, globals(), '_winapi')`` binds one name, the one it is assigned
  to: the module's namespace is not filled at run time, and ``LazyObject`` itself is a lost import.

One repository for the module, the hook run once on every file it breaks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import git, write
from test_self_heal import self_heal_hook

FILES = {
    "lib/__init__.py": "",
    "lib/shutil_custom.py": "def copyfile_custom(src, dst):\n    return dst\n",
    "app/__init__.py": (
        "import os\nimport lib.shutil_custom\n\nshutil.copyfile = lib.shutil_custom.copyfile_custom\n\n"
        "from threading import Lock\nimport sys\n\nLOCK = Lock()\n\n\n"
        "def move(src, dst):\n    shutil.move(src, os.path.join(dst, sys.platform))\n"
    ),
    "xsh/__init__.py": "",
    "xsh/lazyasd.py": (
        "class LazyObject:\n    def __init__(self, load, ctx, name):\n        ctx[name] = self\n"
    ),
    "xsh/tools.py": "import importlib\n\nfrom xsh.lazyasd import LazyObject\n",
    "xsh/proc.py": (
        "import importlib\n\nfrom xsh.tools import print_exception\n\n"
        "_winapi = LazyObject(lambda: importlib.import_module('_winapi'),\n"
        "                     globals(), '_winapi')\n"
    ),
}
BROKEN = ["app/__init__.py", "xsh/proc.py"]


@pytest.fixture(scope="module")
def healed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    repo = tmp_path_factory.mktemp("load-order") / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for relpath, text in FILES.items():
        write(repo / relpath, text)
    git(repo, "add", ".")
    self_heal_hook(*BROKEN, cwd=repo)
    return repo


def _module_level(text: str) -> list[str]:
    return [ast.unparse(n) for n in ast.parse(text).body if not isinstance(n, ast.FunctionDef)]


def test_an_import_read_between_two_runs_of_imports_goes_before_the_read(healed: Path) -> None:
    statements = _module_level((healed / "app/__init__.py").read_text())
    assert statements.index("import shutil") < statements.index(
        "shutil.copyfile = lib.shutil_custom.copyfile_custom"
    )


def test_a_lazy_object_bound_to_its_own_name_leaves_the_lost_import_to_be_added(healed: Path) -> None:
    assert "from xsh.lazyasd import LazyObject" in _module_level((healed / "xsh/proc.py").read_text())
