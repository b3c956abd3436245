"""Which evidence places a re-added import: the module head's gap, the function's, the file's imports.

Each shape is a real module's (dateutil, gunicorn, pyparsing, sqlalchemy, pyramid) with one import
taken out, cut down to the lines that decide.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import
from hookwright.heal.project_names import ProjectIndex


def add(text: str, name: str, source: str, index: ProjectIndex | None = None) -> str | None:
    return add_import(
        text, FixContext("pkg/mod.py", None, None, "NameError", "", {"name": name}, {"source": source}, index)
    )


@pytest.mark.parametrize(
    ("text", "name", "source", "expected"),
    [
        pytest.param(
            "import importlib\n\n\n\nclass Finder:\n    def find(self, path):\n        import sys\n"
            "        return urlparse(str(path)), sys\n",
            "urlparse", "stdlib-name",
            "import importlib\nfrom urllib.parse import urlparse\n\n\n\nclass Finder:\n    def find(self, path):\n"
            "        import sys\n        return urlparse(str(path)), sys\n",
            id="three-blank-lines-in-the-head-outweigh-the-functions-own-imports",
        ),
        pytest.param(
            "import importlib\n\n\n\nclass Finder:\n    def find(self, path):\n        import sys\n"
            "        return urlparse(str(path)), sys\n\n\n\ndef other():\n    pass\n",
            "urlparse", "stdlib-name",
            "import importlib\n\n\n\nclass Finder:\n    def find(self, path):\n        import sys\n"
            "        from urllib.parse import urlparse\n        return urlparse(str(path)), sys\n\n\n\n"
            "def other():\n    pass\n",
            id="not-where-the-file-always-leaves-three",
        ),
        pytest.param(
            '"""Easter."""\n\n\n__all__ = ["easter"]\n\n\ndef easter(year):\n    # the century\n\n'
            "    return datetime.date(year, 3, 1)\n",
            "datetime", "stdlib",
            '"""Easter."""\n\nimport datetime\n\n\n__all__ = ["easter"]\n\n\ndef easter(year):\n    # the century\n\n'
            "    return datetime.date(year, 3, 1)\n",
            id="two-blank-lines-after-the-docstring-outweigh-a-gap-after-a-comment",
        ),
        pytest.param(
            "from datetime import time\n\n\ndef today():\n    \"\"\"Today.\"\"\"\n\n"
            "    return datetime.now(), time(0)\n\n\ndef a():\n    \"\"\"A.\"\"\"\n    return 1\n\n\n"
            "def b():\n    \"\"\"B.\"\"\"\n    return 2\n",
            "datetime", "stdlib-name",
            "from datetime import datetime, time\n\n\ndef today():\n    \"\"\"Today.\"\"\"\n\n"
            "    return datetime.now(), time(0)\n\n\ndef a():\n    \"\"\"A.\"\"\"\n    return 1\n\n\n"
            "def b():\n    \"\"\"B.\"\"\"\n    return 2\n",
            id="the-modules-from-import-of-that-module-outweighs-a-gap-after-a-docstring",
        ),
        pytest.param(
            "from collections import OrderedDict\n\n\nclass Test:\n    def test_pickle(self):\n\n"
            "        return Counter(OrderedDict())\n",
            "Counter", "stdlib-name",
            "from collections import OrderedDict\n\n\nclass Test:\n    def test_pickle(self):\n"
            "        from collections import Counter\n\n        return Counter(OrderedDict())\n",
            id="a-gap-after-the-header-outweighs-the-modules-from-import",
        ),
        pytest.param(
            "import sys\n\n\ndef deprecate(c):\n\n    msg = c.__name__\n\n    class Private(c):\n"
            "        def __init__(self):\n            warnings.warn(msg, DeprecationWarning)\n\n"
            "    return Private, sys\n",
            "warnings", "stdlib",
            "import sys\n\n\ndef deprecate(c):\n    import warnings\n\n    msg = c.__name__\n\n    class Private(c):\n"
            "        def __init__(self):\n            warnings.warn(msg, DeprecationWarning)\n\n"
            "    return Private, sys\n",
            id="the-gap-in-the-function-around-the-one-that-uses-it",
        ),
        pytest.param(
            "import sys\n\n\ndef ssl_context(conf, factory):\n\n    # the default context\n"
            "    context = factory()\n    context.minimum_version = ssl.TLSVersion.TLSv1_3\n    return context, sys\n",
            "ssl", "stdlib",
            "import sys\n\n\ndef ssl_context(conf, factory):\n    import ssl\n\n    # the default context\n"
            "    context = factory()\n    context.minimum_version = ssl.TLSVersion.TLSv1_3\n    return context, sys\n",
            id="a-gap-after-the-header-before-a-comment",
        ),
    ],
)  # fmt: skip
def test_placement_by_the_files_evidence(text: str, name: str, source: str, expected: str) -> None:
    assert add(text, name, source) == expected
    compile(expected, "<expected>", "exec")


def _project(tmp_path: Path, init: str) -> ProjectIndex:
    files = {
        "src/pkg/__init__.py": init,
        "src/pkg/decorator.py": "def reify(f):\n    return f\n",
        "src/pkg/config.py": "import pkg\n\nprint(pkg.__name__)\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return ProjectIndex.from_directory(tmp_path)


@pytest.mark.parametrize(
    ("init", "expected"),
    [
        pytest.param("", "import pkg.decorator", id="the-package-does-not-import-it"),
        pytest.param("from . import decorator\n", "import pkg", id="the-package-imports-it-itself"),
    ],
)
def test_a_package_read_through_its_submodule(tmp_path: Path, init: str, expected: str) -> None:
    text = "def wrap(fn):\n    return pkg.decorator.reify(fn)\n"
    fixed = add(text, "pkg", "project", _project(tmp_path, init))
    assert fixed is not None and fixed.startswith(expected + "\n")
