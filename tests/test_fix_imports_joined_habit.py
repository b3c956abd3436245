"""A name the project imports from a module this file already imports from joins that statement.

The shapes are history11's: graphite-web's ``from graphite.util import getProfile, ..., json`` (its
``util`` binds ``json`` by a ``try:`` import; one other file imports it from there: as often as
``import json`` is written), and bcfg2's ``from Bcfg2.Compat import Queue, Empty, wraps`` (a sibling imports
``multiprocessing.Queue`` inside a function). Neither module defines the name, so the definer rule says
nothing; the project's habit and the file's own imports agree on the module.
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import add, project

UTIL = "try:\n    import json\nexcept ImportError:\n    import simplejson as json\n\n\ndef helper():\n    return 1\n"
BROKEN = "from pkg.util import helper\n\n\ndef show():\n    return json.dumps(helper())\n"


def test_the_name_joins_the_module_the_file_imports_from(tmp_path: Path) -> None:
    index = project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/util.py": UTIL,
            "pkg/b.py": "from pkg.util import json\n\nY = json.dumps(2)\n",
            "pkg/views.py": BROKEN,
        },
    )
    fixed = add(BROKEN, "pkg/views.py", "json", index)
    assert fixed == BROKEN.replace("import helper", "import helper, json")


def test_without_the_project_s_habit_the_standard_library_stays(tmp_path: Path) -> None:
    index = project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/util.py": UTIL,
            "pkg/a.py": "import json\n\nX = json.dumps(1)\n",
            "pkg/views.py": BROKEN,
        },
    )
    fixed = add(BROKEN, "pkg/views.py", "json", index)
    assert fixed is not None and fixed.startswith("import json\n")


def test_a_way_the_project_seldom_writes_is_no_habit(tmp_path: Path) -> None:
    """sos (history10): one plugin writes ``from sos.plugins import os``, most write ``import os``."""
    broken = "from pkg.plugins import Plugin\n\n\ndef size(path):\n    return os.path.getsize(path)\n"
    plugins = "import os\n\n\nclass Plugin:\n    pass\n"
    index = project(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/plugins.py": plugins,
            "pkg/odd.py": "from pkg.plugins import os\n\nA = os.sep\n",
            "pkg/a.py": "import os\n\nB = os.sep\n",
            "pkg/b.py": "import os\n\nC = os.sep\n",
            "pkg/numa.py": broken,
        },
    )
    fixed = add(broken, "pkg/numa.py", "os", index)
    assert fixed is not None and "import os\n" in fixed and "Plugin, os" not in fixed
