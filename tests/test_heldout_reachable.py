"""benchmarks/self_heal/reachable.py: which mined import repairs a fixer could rebuild, on real commits.

Each case is a real commit in a repository built here: the parent is the broken file, the commit adds
one import; the mark says whether that import's module is in the stdlib or in the tree at the parent.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from conftest import ROOT, git, write

sys.path.insert(0, str(ROOT / "benchmarks" / "self_heal"))

import reachable

BODY = "\n\ndef run():\n    return value\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    git(tmp_path, "init", "-q")
    write(tmp_path / "src" / "pkg" / "__init__.py", "")
    write(tmp_path / "src" / "pkg" / "util.py", "value = 1\n")
    write(tmp_path / "src" / "pkg" / "sub" / "__init__.py", "")
    write(tmp_path / "src" / "pkg" / "sub" / "mod.py", "x = 1" + BODY)
    git(tmp_path, "add", "-A")
    git(tmp_path, "commit", "-q", "-m", "start")
    return tmp_path


def _case(root: Path, path: str, text: str, family: str = "import") -> dict[str, object]:
    parent = git(root, "rev-parse", "HEAD").strip()
    write(root / path, text)
    git(root, "commit", "-q", "-am", "repair")
    commit = git(root, "rev-parse", "HEAD").strip()
    return {"repo": "me/project", "commit": commit, "parent": parent, "path": path, "family": family}


def _marks(root: Path, cases: list[dict[str, object]]) -> list[bool]:
    manifest = root / "history.json"
    manifest.write_text(json.dumps({"repos": ["me/project"], "cases": cases}), encoding="utf-8")
    assert reachable.main([str(manifest), "--git", f"me/project={root / '.git'}"]) == 0
    return [case["reachable"] for case in json.loads(manifest.read_text(encoding="utf-8"))["cases"]]


def test_an_import_is_reachable_from_the_stdlib_or_the_tree_at_the_parent(project: Path) -> None:
    mod = "src/pkg/sub/mod.py"
    added = [
        "import json\n",  # stdlib
        "import os.path\n",  # a stdlib module that is no file of its parent
        "from xml.etree import ElementTree\n",  # a stdlib package's module
        "from ..util import value\n",  # relative, two levels: src/pkg/util.py
        "from pkg.util import value\n",  # absolute, found under src/
        "import numpy\n",  # third-party: nothing here names it
        "from urlparse import urljoin\n",  # Python 2 only
        "from .missing import value\n",  # relative, absent at the parent
        "from pkg.nothere import value\n",  # absolute, absent
    ]
    cases = []
    for line in added:
        cases.append(_case(project, mod, line + "x = 1" + BODY))
        _case(project, mod, "x = 1" + BODY)  # back to the start for the next one
    assert _marks(project, cases) == [True, True, True, True, True, False, False, False, False]


def test_the_whole_statement_is_read_when_the_change_is_its_continuation_line(project: Path) -> None:
    # ``from pkg.util \`` then ``    import value, run``: the changed line alone reads as
    # ``import value, run`` (two top-level modules that do not exist)
    mod = "src/pkg/sub/mod.py"
    _case(project, mod, "from pkg.util \\\n    import value\nx = 1" + BODY)
    case = _case(project, mod, "from pkg.util \\\n    import value, x\nx = 1" + BODY)
    assert _marks(project, [case]) == [True]


def test_indentation_and_syntax_repairs_are_always_reachable(project: Path) -> None:
    mod = "src/pkg/util.py"
    cases = [
        _case(project, mod, "import numpy\nvalue = 1\n", family="indentation"),
        _case(project, mod, "value = 2\n", family="syntax"),
    ]
    assert _marks(project, cases) == [True, True]
