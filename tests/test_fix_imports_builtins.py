"""Names that are builtins somewhere get no import from a module that merely holds one.

Shapes from history9 (README, "Tenth round — imports (h20l)"), cut down to the lines that decide:

* a name the project stores into the builtins when it starts (sabnzbd's ``builtins.__dict__['T'] =
  ...``) is read unbound on purpose: ``from encodings.punycode import
  T`` or another module's ``_`` changed what the file means;
* ``from __builtin__ import basestring`` (the Python 2 branch of biopython's compatibility module)
  is no import for Python 3, and on Python 2 a builtin needs none: the compatibility module is;
* ... unless other files of the project import it (nicotine-plus writes ``from gettext import
  gettext as _`` too: its commits add that import), and ``import builtins`` binds
  the module itself (xonsh's ``ast.py``);
* a Python 2 builtin that a vendored library defines for itself (sqlmap's ``thirdparty/bottle``,
  Medusa's several ``unicode`` shims) is no definition for the project's other files.

One repository for the module, the hook run once on every file it breaks.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import git, write
from test_self_heal import self_heal_hook

FILES = {
    # sabnzbd's shape: a language module installs T; the queue reads T and forgot `import os`
    "app/__init__.py": "",
    "app/lang.py": (
        "import builtins\n\n\ndef set_language(table):\n"
        "    builtins.__dict__['T'] = table.get\n    builtins.__dict__['TT'] = str\n"
    ),
    "app/queue.py": "def title():\n    return T('Queue') + os.sep\n",
    # a project that stores `_` into the builtins, where another module defines a `_` of its own
    "gui/__init__.py": "",
    "gui/main.py": "import builtins\n\nbuiltins._ = str\n",
    "gui/stats.py": "def _(text):\n    return text\n",
    "gui/menu.py": "def label():\n    return _('Menu')\n",
    # biopython's shape: the compatibility module's Python 2 branch imports from __builtin__
    "Bio/__init__.py": "",
    "Bio/_py3k.py": (
        "import sys\n\nif sys.version_info[0] >= 3:\n    basestring = str\n"
        "else:\n    from __builtin__ import basestring\n"
    ),
    "Bio/Align.py": "def check(handle):\n    return isinstance(handle, basestring)\n",
    # sqlmap's shape: only a vendored library defines Python 2's `unicode` for itself
    "thirdparty/__init__.py": "",
    "thirdparty/bottle.py": "import sys\n\nif sys.version_info[0] >= 3:\n    unicode = str\n",
    "lib/__init__.py": "",
    "lib/dump.py": "def text(value):\n    return unicode(value)\n",
}
BROKEN = ["app/queue.py", "gui/menu.py", "Bio/Align.py", "lib/dump.py"]
LEAVING = {
    # nicotine-plus installs `_` and its files import it too
    "nic/__init__.py": "",
    "nic/main.py": "import builtins\n\nbuiltins.__dict__['_'] = str\n",
    "nic/search.py": "from gettext import gettext as _\n\nTITLE = _('Search')\n",
    "nic/tray.py": "def label():\n    return _('Tray')\n",
    # xonsh's ast.py: `import builtins` binds the module itself
    "nic/ast.py": "import sys\n\n\ndef session():\n    return builtins.__xonsh__, sys.argv\n",
}


def _heal(root: Path, files: dict[str, str], broken: list[str]) -> Path:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    for relpath, text in files.items():
        write(repo / relpath, text)
    git(repo, "add", ".")
    self_heal_hook(*broken, cwd=repo)
    return repo


@pytest.fixture(scope="module")
def healed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _heal(tmp_path_factory.mktemp("builtins"), FILES, BROKEN)


@pytest.fixture(scope="module")
def leaving(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _heal(tmp_path_factory.mktemp("leaving"), LEAVING, ["nic/tray.py", "nic/ast.py"])


def _imports(text: str) -> list[str]:
    return [ast.unparse(n) for n in ast.walk(ast.parse(text)) if isinstance(n, ast.Import | ast.ImportFrom)]


def test_a_name_the_project_installs_into_the_builtins_is_left_unbound(healed: Path) -> None:
    # the file's real lost import is still added: only T is left to the running application
    assert _imports((healed / "app/queue.py").read_text()) == ["import os"]


def test_a_stored_underscore_is_provided_by_no_module_of_the_project(healed: Path) -> None:
    assert (healed / "gui/menu.py").read_text() == FILES["gui/menu.py"]


def test_a_python2_builtin_comes_from_the_compatibility_module_not_from_builtin(healed: Path) -> None:
    assert _imports((healed / "Bio/Align.py").read_text()) == ["from Bio._py3k import basestring"]


def test_a_python2_builtin_a_vendored_library_defines_for_itself_is_not_imported(healed: Path) -> None:
    assert (healed / "lib/dump.py").read_text() == FILES["lib/dump.py"]


def test_an_installed_name_that_other_files_import_is_imported_as_they_do(leaving: Path) -> None:
    assert _imports((leaving / "nic/tray.py").read_text()) == ["from gettext import gettext as _"]


def test_the_builtins_module_itself_is_still_imported(leaving: Path) -> None:
    assert "import builtins" in _imports((leaving / "nic/ast.py").read_text())
