"""``import os`` or ``import os.path`` for a file that reads only ``os.path.*``: both bind ``os``.

The shape is pyload's plugins (``os.path.join`` only; the project writes ``import os`` 58 times and
``import os.path`` once): the project's habit decides when it is clear; otherwise the deeper import,
which says what the file reads, as before.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from heal_projects import add as _add
from heal_projects import project as _project

PLUGIN = '# -*- coding: utf-8 -*-\nimport re\n\n\ndef path_for(folder, name):\n    return os.path.join(folder, re.sub("/", "_", name))\n'


def _plain_imports(text: str) -> set[str]:
    return {a.name for n in ast.parse(text).body if isinstance(n, ast.Import) for a in n.names}


@pytest.mark.parametrize(
    ("plain", "dotted", "expected"),
    [
        pytest.param(12, 1, "os", id="the-project-writes-import-os-far-more-often"),
        pytest.param(3, 2, "os.path", id="no-clear-habit-the-deeper-import"),
    ],
)
def test_os_or_os_path(tmp_path: Path, plain: int, dotted: int, expected: str) -> None:
    files = {"pkg/__init__.py": "", "pkg/plugin.py": PLUGIN}
    for number in range(plain):
        files[f"pkg/a{number}.py"] = "import os\n\nHOME = os.environ['HOME']\n"
    for number in range(dotted):
        files[f"pkg/b{number}.py"] = "import os.path\n\nHERE = os.path.dirname(__file__)\n"
    fixed = _add(PLUGIN, "pkg/plugin.py", "os", _project(tmp_path, files))
    assert fixed is not None and expected in _plain_imports(fixed) and "re" in _plain_imports(fixed)
    assert ({"os", "os.path"} - {expected}).isdisjoint(_plain_imports(fixed))
