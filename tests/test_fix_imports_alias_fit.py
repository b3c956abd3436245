"""What a file reads off an imported name decides which import it was.

The shapes are luigi's (``import queue as Queue`` read as ``Queue.Empty``, where another file of
the project imports ``Queue`` from multiprocessing), setuptools' (six ``import
distutils.command.X as orig`` in the project, each file reading its own class off ``orig``) and
cherrypy's (``import importlib.metadata as importlib_metadata``).
"""

from __future__ import annotations

import ast
from pathlib import Path

from heal_projects import add as _add
from heal_projects import project as _project

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import
from hookwright.heal.project_names import ProjectIndex

WORKER = (
    "import os\nimport random\n\n\n"
    "def drain(q):\n    try:\n        return q.get(False)\n    except Queue.Empty:\n        return None\n\n\n"
    "def full(q):\n    try:\n        q.put(1, False)\n    except Queue.Full:\n        return True\n"
)


def _alias(text: str, path: str, name: str, index: ProjectIndex) -> str | None:
    ctx = FixContext(path, None, None, "F821", "", {"name": name}, {"source": "stdlib-alias"}, index)
    return add_import(text, ctx)


def test_a_function_read_as_a_module_is_not_the_import(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "luigi/__init__.py": "",
            "luigi/scheduler.py": "from multiprocessing import Queue\n\nQUEUE = Queue()\n",
            "luigi/worker.py": WORKER,
        },
    )
    assert _add(WORKER, "luigi/worker.py", "Queue", index) is None
    fixed = _alias(WORKER, "luigi/worker.py", "Queue", index)
    assert fixed is not None and "import queue as Queue\n" in fixed


INSTALL_SCRIPTS = (
    "from distutils import log\n\n\n"
    "class install_scripts(orig.install_scripts):\n"
    "    def run(self):\n        orig.install_scripts.run(self)\n"
)


def test_of_several_learned_modules_only_one_that_exports_what_is_read(tmp_path: Path) -> None:
    files = {"setuptools/__init__.py": "", "setuptools/command/__init__.py": ""}
    for command in ("bdist_rpm", "build_py", "install"):
        files[f"setuptools/command/{command}.py"] = (
            f"import distutils.command.{command} as orig\n\n\nclass {command}(orig.{command}):\n    pass\n"
        )
    files["setuptools/command/install_scripts.py"] = INSTALL_SCRIPTS
    index = _project(tmp_path, files)
    # none of them has install_scripts (install's source names it, but does not export it): no answer
    assert _add(INSTALL_SCRIPTS, "setuptools/command/install_scripts.py", "orig", index) is None
    files["setuptools/command/develop.py"] = (
        "import distutils.command.install_scripts as orig\n\norig.install_scripts\n"
    )
    index = _project(tmp_path, files)
    fixed = _add(INSTALL_SCRIPTS, "setuptools/command/install_scripts.py", "orig", index)
    assert fixed is not None and "import distutils.command.install_scripts as orig\n" in fixed


def test_one_learned_module_is_kept_whatever_is_read(tmp_path: Path) -> None:
    text = "import sys\n\nHAS_SSL = hasattr(socket, 'ssl') and socket.ssl\n"
    index = _project(tmp_path, {"pkg/__init__.py": "", "pkg/net.py": "import socket\n", "pkg/t.py": text})
    fixed = _add(text, "pkg/t.py", "socket", index)
    assert fixed is not None and "import socket\n" in fixed


def test_an_alias_that_joins_a_dotted_name_with_underscores(tmp_path: Path) -> None:
    text = '"""CherryPy."""\n\nimport sys\n\ntry:\n    __version__ = importlib_metadata.version("cherrypy")\nexcept Exception:\n    __version__ = "unknown"\n'
    index = _project(tmp_path, {"cherrypy/__init__.py": text})
    fixed = _alias(text, "cherrypy/__init__.py", "importlib_metadata", index)
    assert fixed is not None
    imports = [n for n in ast.parse(fixed).body if isinstance(n, ast.Import)]
    assert any(
        a.name == "importlib.metadata" and a.asname == "importlib_metadata" for n in imports for a in n.names
    )
