"""Import fixers: a must-fix and a must-not-touch table per rule, and a round trip over real code."""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import, remove_unused_import
from hookwright.heal.project_names import ProjectIndex

CORPUS = Path(__file__).parent / "corpus" / "self_heal"
NAMES = {"Path": "pathlib", "Optional": "typing", "defaultdict": "collections"}
ALIASES = {"np": "numpy", "ET": "xml.etree.ElementTree"}

PROJECT = {
    "pkg/__init__.py": "",
    "pkg/util.py": "def helper():\n    return 1\n\n\ndef shared():\n    return 2\n",
    "pkg/other.py": "from pkg.util import helper\nimport numpy as np\n\nhelper()\nnp.zeros(1)\n",
    "pkg/sub/__init__.py": "",
    "pkg/sub/deep.py": "from ..util import shared\n\nshared()\n",
    "pkg/twin_a.py": "def twin():\n    pass\n",
    "pkg/twin_b.py": "def twin():\n    pass\n",
}


def project(tmp_path: Path, files: Mapping[str, str] = PROJECT) -> ProjectIndex:
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return ProjectIndex.from_directory(tmp_path)


def add(
    text: str, name: str, source: str, path: str = "pkg/mod.py", index: ProjectIndex | None = None
) -> str | None:
    params = {"source": source, "names": NAMES, "aliases": ALIASES}
    return add_import(text, FixContext(path, None, None, "NameError", "", {"name": name}, params, index))


@pytest.mark.parametrize(
    ("text", "name", "source", "expected"),
    [
        pytest.param(
            "import os\nimport sys\n\nprint(re.escape(os.sep), sys)\n", "re", "stdlib",
            "import os\nimport re\nimport sys\n\nprint(re.escape(os.sep), sys)\n",
            id="stdlib-sorted-position",
        ),
        pytest.param(
            "def f(time):\n    return time\n\n\ndef g():\n    return time.time()\n", "time", "stdlib",
            "import time\n\ndef f(time):\n    return time\n\n\ndef g():\n    return time.time()\n",
            id="a-parameter-elsewhere-does-not-stop-a-function-import",
        ),
        pytest.param(
            "x = xml.etree.ElementTree.fromstring('<a/>')\n", "xml", "stdlib",
            "import xml.etree.ElementTree\n\nx = xml.etree.ElementTree.fromstring('<a/>')\n",
            id="stdlib-submodule",
        ),
        pytest.param(
            '"""Doc."""\n\nprint(json.dumps(1))\n', "json", "stdlib",
            '"""Doc."""\n\nimport json\n\nprint(json.dumps(1))\n',
            id="after-docstring",
        ),
        pytest.param(
            "from __future__ import annotations\r\n\r\nx = json.dumps(1)\r\n", "json", "stdlib",
            "from __future__ import annotations\r\n\r\nimport json\r\n\r\nx = json.dumps(1)\r\n",
            id="crlf-after-future",
        ),
        pytest.param(
            "import os\n\nimport requests\n\np = Path(os.sep)\n", "Path", "names",
            "import os\nfrom pathlib import Path\n\nimport requests\n\np = Path(os.sep)\n",
            id="stdlib-name-in-its-section",
        ),
        pytest.param(
            "from typing import Any, Union\n\nx: Optional[Any]\n", "Optional", "names",
            "from typing import Any, Optional, Union\n\nx: Optional[Any]\n",
            id="merged-into-its-from-import",
        ),
        pytest.param(
            "from typing import Any\nfrom typing import Union\n\nx: Optional[Any]\n", "Optional", "names",
            "from typing import Any\nfrom typing import Optional\nfrom typing import Union\n\nx: Optional[Any]\n",
            id="one-name-per-line-style",
        ),
        pytest.param(
            "import os\n\nx = ET.fromstring('<a/>')\n", "ET", "alias",
            "import os\nimport xml.etree.ElementTree as ET\n\nx = ET.fromstring('<a/>')\n",
            id="alias-importable",
        ),
        pytest.param(
            "import sys\n", "os", "stdlib", None, id="name-not-used-as-a-module",
        ),
    ],
)  # fmt: skip
def test_add_import_must_fix(text: str, name: str, source: str, expected: str | None) -> None:
    assert add(text, name, source) == expected


@pytest.mark.parametrize(
    ("text", "name", "source", "expected"),
    [
        pytest.param(
            "import os\n\np = Path(os.sep)\n", "Path", "stdlib-name",
            "import os\nfrom pathlib import Path\n\np = Path(os.sep)\n",
            id="name-from-the-interpreter",
        ),
        pytest.param(
            "from typing import Any\n\ndef f(x: Any) -> Optional[int]: ...\n", "Optional", "stdlib-name",
            "from typing import Any, Optional\n\ndef f(x: Any) -> Optional[int]: ...\n",
            id="name-merged-into-its-module-import",
        ),
        pytest.param(
            "def f(x: Iterable[int]) -> None: ...\n", "Iterable", "stdlib-name",
            "from collections.abc import Iterable\n\ndef f(x: Iterable[int]) -> None: ...\n",
            id="name-in-two-modules-the-usual-one",
        ),
        pytest.param(
            "from typing import Any\n\ndef f(x: Iterable[Any]) -> None: ...\n", "Iterable", "stdlib-name",
            "from typing import Any, Iterable\n\ndef f(x: Iterable[Any]) -> None: ...\n",
            id="name-in-two-modules-the-one-the-file-imports-from",
        ),
        pytest.param(
            "async def f():\n    await sleep(1)\n", "sleep", "stdlib-name",
            "from asyncio import sleep\n\nasync def f():\n    await sleep(1)\n",
            id="name-awaited-is-a-coroutine-function",
        ),
        pytest.param(
            "def f():\n    sleep(1)\n", "sleep", "stdlib-name", "from time import sleep\n\ndef f():\n    sleep(1)\n",
            id="name-called",
        ),
        pytest.param(
            "import os\n\nx: t.Any = t.cast(int, os.sep)\n", "t", "stdlib-alias",
            "import os\nimport typing as t\n\nx: t.Any = t.cast(int, os.sep)\n",
            id="alias-by-its-attributes",
        ),
        pytest.param(
            "import sys\n\nx = _os.path.join(sys.argv[0])\n", "_os", "stdlib-alias",
            "import os as _os\nimport sys\n\nx = _os.path.join(sys.argv[0])\n",
            id="alias-private-spelling",
        ),
        pytest.param(
            "x = datetime.now()\n", "datetime", "stdlib", "from datetime import datetime\n\nx = datetime.now()\n",
            id="module-or-member-read-like-the-class",
        ),
        pytest.param(
            "x = datetime.datetime.now()\n", "datetime", "stdlib", "import datetime\n\nx = datetime.datetime.now()\n",
            id="module-or-member-read-like-the-module",
        ),
        pytest.param(
            "x = copy(y)\n", "copy", "stdlib", "from copy import copy\n\nx = copy(y)\n",
            id="module-or-member-called",
        ),
        pytest.param(
            "import os\n\n\ndef f():\n    import sys\n    return json.dumps(sys.argv)\n", "json", "stdlib",
            "import os\n\n\ndef f():\n    import json\n    import sys\n    return json.dumps(sys.argv)\n",
            id="inside-a-function-that-imports-lazily",
        ),
        pytest.param(
            "def f():\n    from json import dumps\n    return dumps(1)\n\n\ndef g():\n    \"\"\"Doc.\"\"\"\n    return dumps(2)\n",
            "dumps", "project",
            "def f():\n    from json import dumps\n    return dumps(1)\n\n\ndef g():\n    \"\"\"Doc.\"\"\"\n"
            "    from json import dumps\n    return dumps(2)\n",
            id="inside-a-function-as-the-file-does-elsewhere",
        ),
        pytest.param(
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from os import PathLike\n\n\ndef f(x: Decimal) -> PathLike: ...\n",
            "Decimal", "stdlib-name",
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    from decimal import Decimal\n    from os import PathLike\n\n\ndef f(x: Decimal) -> PathLike: ...\n",
            id="type-checking-block-for-an-annotation-only-name",
        ),
        pytest.param(
            # (the top's import holds a name read only in annotations, `Iterator`: the file keeps
            # such names of that module at the top; test_fix_imports_type_checking_strict has the other)
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING, Iterator\n\nif TYPE_CHECKING:\n"
            "    from os import PathLike\n\n\ndef f(x: Sequence[int]) -> Iterator[PathLike]: ...\n",
            "Sequence", "stdlib-name",
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING, Iterator, Sequence\n\n"
            "if TYPE_CHECKING:\n    from os import PathLike\n\n\ndef f(x: Sequence[int]) -> Iterator[PathLike]: ...\n",
            id="type-checking-but-its-module-is-imported-at-the-top",
        ),
        pytest.param(
            "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import os\n\n\ndef f(x: Sequence[int]): ...\n",
            "Sequence", "stdlib-name",
            "from typing import TYPE_CHECKING, Sequence\n\nif TYPE_CHECKING:\n"
            "    import os\n\n\ndef f(x: Sequence[int]): ...\n",
            id="an-evaluated-annotation-stays-at-module-level",
        ),
    ],
)  # fmt: skip
def test_add_import_from_the_interpreter(text: str, name: str, source: str, expected: str) -> None:
    assert add(text, name, source) == expected
    compile(expected, "<expected>", "exec")


@pytest.mark.parametrize(
    ("text", "name", "source"),
    [
        pytest.param("x = quote(s)\n", "quote", "stdlib-name", id="name-several-objects-none-usual"),
        pytest.param("x = _private()\n", "_private", "stdlib-name", id="name-private"),
        pytest.param(
            "def f(value, default):\n    return value\n\n\nx = default\n", "default", "stdlib-name",
            id="name-a-function-takes-as-a-parameter",
        ),
        pytest.param("x = Frobnicator()\n", "Frobnicator", "stdlib-name", id="name-unknown"),
        pytest.param("async def f():\n    await dedent(1)\n", "dedent", "stdlib-name", id="name-awaited-not-a-coroutine"),
        pytest.param("x = p.join('a')\n", "p", "stdlib-alias", id="alias-two-modules-fit"),
        pytest.param("x = t()\n", "t", "stdlib-alias", id="alias-called"),
        pytest.param("x = t.NoSuchThing\n", "t", "stdlib-alias", id="alias-attribute-nowhere"),
        pytest.param("x = os.sep\n", "os", "stdlib-alias", id="alias-is-a-module-name"),
        pytest.param(
            "x = datetime.now()\ny = datetime.timedelta(1)\n", "datetime", "stdlib", id="module-or-member-both-ways"
        ),
        pytest.param(
            "def f():\n    return 1\n\n\ndef g():\n    def h():\n        return 2\n    return json.dumps(h)\n",
            "json", "project", id="no-other-file-and-no-local-import",
        ),
    ],
)  # fmt: skip
def test_add_import_from_the_interpreter_must_not_touch(text: str, name: str, source: str) -> None:
    assert add(text, name, source) is None


@pytest.mark.parametrize(
    ("text", "name", "path", "expected"),
    [
        pytest.param(
            "import os\n\nhelper(os)\n", "helper", "pkg/mod.py",
            "import os\n\nfrom pkg.util import helper\n\nhelper(os)\n",
            id="learned-from-another-file",
        ),
        pytest.param(
            "from . import util\n\nshared()\n", "shared", "pkg/mod.py",
            "from . import util\nfrom .util import shared\n\nshared()\n",
            id="relative-like-the-file",
        ),
        pytest.param(
            "x = np.zeros(3)\n", "np", "pkg/mod.py",
            "import numpy as np\n\nx = np.zeros(3)\n",
            id="learned-alias",
        ),
    ],
)  # fmt: skip
def test_add_import_from_the_project(tmp_path: Path, text: str, name: str, path: str, expected: str) -> None:
    assert add(text, name, "project", path, project(tmp_path)) == expected


def test_an_import_that_would_be_a_cycle_goes_inside_the_function(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.mod import thing\n\n\ndef helper():\n    return thing\n",
    }
    text = "thing = 1\n\n\ndef f():\n    return helper()\n"
    expected = "thing = 1\n\n\ndef f():\n    from pkg.a import helper\n    return helper()\n"
    assert add(text, "helper", "definitions", "pkg/mod.py", project(tmp_path, files)) == expected


@pytest.mark.parametrize(
    ("other", "text", "name"),
    [
        pytest.param("import datetime\n\nx = datetime.date.today()\n", "y = datetime.now()\n", "datetime", id="module-for-a-member-use"),
        pytest.param("from datetime import datetime\n\nx = datetime.now()\n", "y = datetime.datetime.now()\n", "datetime", id="member-for-a-module-use"),
        pytest.param("import time\n\nx = time.time()\n", "y = time()\n", "time", id="a-module-called"),
    ],
)  # fmt: skip
def test_what_the_project_imports_must_fit_this_files_use(
    tmp_path: Path, other: str, text: str, name: str
) -> None:
    index = project(tmp_path, {"pkg/__init__.py": "", "pkg/other.py": other})
    assert add(text, name, "project", "pkg/mod.py", index) is None


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        pytest.param(
            "print(util.helper())\n",
            "util",
            "from pkg import util\n\nprint(util.helper())\n",
            id="a-sibling-module",
        ),
        pytest.param(
            "x = shared()\n", "shared", "from pkg.util import shared\n\nx = shared()\n", id="a-definition"
        ),
        pytest.param("x = twin()\n", "twin", None, id="two-definitions-as-near"),
        pytest.param("x = util()\n", "util", None, id="a-module-is-not-called"),
    ],
)
def test_add_import_defined_in_the_project(
    tmp_path: Path, text: str, name: str, expected: str | None
) -> None:
    assert add(text, name, "definitions", "pkg/mod.py", project(tmp_path)) == expected


@pytest.mark.parametrize(
    ("text", "name", "source"),
    [
        pytest.param("x = glob.nothing()\n", "glob", "stdlib", id="module-name-read-like-neither"),
        pytest.param("x = frobnicate.run()\n", "frobnicate", "stdlib", id="not-a-stdlib-module"),
        pytest.param("x = pd.DataFrame()\n", "pd", "alias", id="alias-not-importable-nor-used"),
        pytest.param("x = Widget()\n", "Widget", "names", id="not-in-the-table"),
        pytest.param("x = nowhere()\n", "nowhere", "project", id="unknown-to-the-project"),
        pytest.param("def f(:\n    return os\n", "os", "stdlib", id="does-not-parse"),
        pytest.param("x = os.sep\n", "", "stdlib", id="no-name-captured"),
        pytest.param("x = os.sep\n", "os", "magic", id="unknown-source"),
    ],
)
def test_add_import_must_not_touch(tmp_path: Path, text: str, name: str, source: str) -> None:
    assert add(text, name, source, "pkg/mod.py", project(tmp_path)) is None


def remove(text: str, line: int, column: int, name: str, path: str = "mod.py") -> str | None:
    return remove_unused_import(text, FixContext(path, line, column, "F401", "", {"name": name}))


@pytest.mark.parametrize(
    ("text", "where", "expected"),
    [
        pytest.param("import os\nimport sys\n\nprint(sys)\n", (1, 8, "os"), "import sys\n\nprint(sys)\n", id="line"),
        pytest.param("import os, sys\nprint(sys)\n", (1, 8, "os"), "import sys\nprint(sys)\n", id="one-of-two"),
        pytest.param(
            "from os import path as p, sep  # why\nprint(sep)\n", (1, 24, "os.path"),
            "from os import sep  # why\nprint(sep)\n", id="aliased-name-keeps-comment",
        ),
        pytest.param("import os\r\nimport sys\r\nsys\r\n", (1, 8, "os"), "import sys\r\nsys\r\n", id="crlf"),
        pytest.param(
            "def f():\n    import os\n    return 1\n", (2, 12, "os"), "def f():\n    return 1\n", id="in-a-function",
        ),
    ],
)  # fmt: skip
def test_remove_unused_import_must_fix(text: str, where: tuple[int, int, str], expected: str) -> None:
    assert remove(text, *where) == expected


@pytest.mark.parametrize(
    ("text", "where", "path"),
    [
        pytest.param("import os\n", (1, 8, "os"), "pkg/__init__.py", id="package-init-re-exports"),
        pytest.param("import os\n__all__ = ['os']\n", (1, 8, "os"), "mod.py", id="listed-in-all"),
        pytest.param("try:\n    import os\nexcept ImportError:\n    pass\n", (2, 12, "os"), "mod.py", id="empties-try"),
        pytest.param("x = 1; import os\n", (1, 15, "os"), "mod.py", id="shares-a-line"),
        pytest.param("from __future__ import annotations\n", (1, 24, "annotations"), "mod.py", id="future"),
        pytest.param("from os import (\n    path,\n    sep,\n)\n", (2, 5, "os.path"), "mod.py", id="parenthesised"),
        pytest.param("import os\n", (3, 1, "os"), "mod.py", id="no-import-there"),
    ],
)  # fmt: skip
def test_remove_unused_import_must_not_touch(text: str, where: tuple[int, int, str], path: str) -> None:
    assert remove(text, *where, path=path) is None


def _stdlib_imports(tree: ast.Module) -> list[ast.Import]:
    found = []
    for node in tree.body:
        if isinstance(node, ast.Import) and len(node.names) == 1 and not node.names[0].asname:
            top = node.names[0].name.split(".")[0]
            if top in sys.stdlib_module_names and node.names[0].name == top:
                found.append(node)
    return found


@pytest.mark.parametrize("path", sorted(CORPUS.rglob("*.py")), ids=lambda p: p.relative_to(CORPUS).as_posix())
def test_round_trip_delete_then_add_back(path: Path) -> None:
    """Each plain stdlib import deleted from real code comes back; nothing else in the file changes."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    for node in _stdlib_imports(ast.parse(text)):
        name = node.names[0].name
        used = any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(ast.parse(text)))
        if not used:
            continue
        mutant = "".join(lines[: node.lineno - 1] + lines[node.lineno :])
        fixed = add(mutant, name, "stdlib", path.name)
        if fixed is None:
            continue  # declined (the name is called, or used bare): never worse
        compile(fixed, str(path), "exec")
        # The same lines, the import maybe in another place among the imports, maybe a blank line more.
        before = [x for x in text.splitlines() if x.strip()]
        after = [x for x in fixed.splitlines() if x.strip()]
        assert sorted(before) == sorted(after)
        assert [x for x in before if not x.startswith("import ")] == [
            x for x in after if not x.startswith("import ")
        ]


# Local imports and TYPE_CHECKING imports, modelled on real projects' code (requests, pytest, sphinx):
# the import deleted, the gap it left, and where it must come back.
@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        pytest.param(
            "import os\n\n\ndef get_netrc_auth(url):\n    try:\n\n        netrc_path = os.path.expanduser(url)\n"
            "        return netrc(netrc_path)\n    except OSError:\n        return None\n",
            "netrc",
            "import os\n\n\ndef get_netrc_auth(url):\n    try:\n        from netrc import netrc\n\n"
            "        netrc_path = os.path.expanduser(url)\n        return netrc(netrc_path)\n"
            "    except OSError:\n        return None\n",
            id="a-gap-after-a-header-inside-the-function",
        ),
        pytest.param(
            "import os\n\n\ndef load(path):\n    import json\n\n\n    with open(path) as f:\n"
            "        return json.load(f), pickle.loads(os.sep)\n",
            "pickle",
            "import os\n\n\ndef load(path):\n    import json\n\n    import pickle\n\n    with open(path) as f:\n"
            "        return json.load(f), pickle.loads(os.sep)\n",
            id="a-double-blank-line-in-a-body",
        ),
        pytest.param(
            "import os\n\n\ndef a():\n    \"\"\"A.\"\"\"\n    return os.sep\n\n\ndef b():\n    \"\"\"B.\"\"\"\n"
            "    return os.sep\n\n\ndef warn():\n    \"\"\"Warn.\"\"\"\n\n    warnings.warn(os.sep)\n",
            "warnings",
            "import os\n\n\ndef a():\n    \"\"\"A.\"\"\"\n    return os.sep\n\n\ndef b():\n    \"\"\"B.\"\"\"\n"
            "    return os.sep\n\n\ndef warn():\n    \"\"\"Warn.\"\"\"\n    import warnings\n\n"
            "    warnings.warn(os.sep)\n",
            id="a-blank-after-a-docstring-where-the-file-has-none",
        ),
        pytest.param(
            "import os\n\n\ndef fetch(url):\n    if url:\n        # Delay importing heavy modules until needed.\n\n"
            "        return urllib.request.urlopen(url)\n    return os.sep\n",
            "urllib",
            "import os\n\n\ndef fetch(url):\n    if url:\n        # Delay importing heavy modules until needed.\n"
            "        import urllib.request\n\n        return urllib.request.urlopen(url)\n    return os.sep\n",
            id="a-comment-left-describing-nothing",
        ),
        pytest.param(
            "import os\n\n\ndef a():\n    \"\"\"A.\"\"\"\n\n    return os.sep\n\n\ndef b():\n    return json.dumps(os.sep)\n",
            "json",
            "import json\nimport os\n\n\ndef a():\n    \"\"\"A.\"\"\"\n\n    return os.sep\n\n\n"
            "def b():\n    return json.dumps(os.sep)\n",
            id="no-gap-in-the-function-that-uses-it-goes-to-the-module",
        ),
        pytest.param(
            "import os\n\n\ndef a():\n\n    return os.sep\n\n\ndef b():\n\n    return json.dumps(os.sep)\n",
            "json",
            "import json\nimport os\n\n\ndef a():\n\n    return os.sep\n\n\ndef b():\n\n"
            "    return json.dumps(os.sep)\n",
            id="a-file-that-leaves-such-gaps-everywhere-has-no-trace",
        ),
        pytest.param(
            "import os\n\n\ndef get_netrc_auth(url):\n    try:\n        from netrc import netrc\n\n"
            "        return netrc(os.sep)\n    except NetrcParseError:\n        return None\n",
            "NetrcParseError",
            "import os\n\n\ndef get_netrc_auth(url):\n    try:\n        from netrc import NetrcParseError, netrc\n\n"
            "        return netrc(os.sep)\n    except NetrcParseError:\n        return None\n",
            id="merged-into-the-functions-own-import-of-that-module",
        ),
        pytest.param(
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nimport requests\n\n"
            "if TYPE_CHECKING:\n    from collections.abc import Iterator\n\n    from requests import Response\n\n\n"
            "def f(x: Path) -> Iterator[Response]: ...\n",
            "Path",
            "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nimport requests\n\n"
            "if TYPE_CHECKING:\n    from collections.abc import Iterator\n    from pathlib import Path\n\n"
            "    from requests import Response\n\n\ndef f(x: Path) -> Iterator[Response]: ...\n",
            id="type-checking-block-in-its-section",
        ),
    ],
)  # fmt: skip
def test_placement_where_the_import_was(text: str, name: str, expected: str) -> None:
    assert add(text, name, "stdlib-name" if name[0].isupper() else "stdlib") == expected
    compile(expected, "<expected>", "exec")


def test_a_local_import_of_real_code_goes_back_into_its_function() -> None:
    # pre-commit's color.py imports ctypes names inside `_enable`, one per line, sorted: each one
    # deleted comes back exactly there, or is declined (`windll`, `WinError` exist on Windows only,
    # and the test resolves standard-library names from a short list).
    text = (CORPUS / "pre-commit" / "pre_commit" / "color.py").read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    local = [n for n, line in enumerate(lines, 1) if line.startswith("        from ctypes import ")]
    back = 0
    for number in local:
        mutant = "".join(lines[: number - 1] + lines[number:])
        fixed = add(mutant, lines[number - 1].split()[-1], "stdlib-name")
        assert fixed in (None, text), lines[number - 1]
        back += fixed == text
    assert back >= 1
