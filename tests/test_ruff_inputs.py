"""What ruff reads besides the linted file and its configuration decides findings too.

A file a configuration ``extend``s: in the tree, it must be in the private copy and in the lint key;
outside the tree, its bytes are in the key. The modules isort calls first-party: ruff looks for them
on disk. Each verdict is compared with plain ruff on ``git archive`` of the tree the commit records.
"""

from __future__ import annotations

import json
import subprocess
import tarfile
from pathlib import Path

import pytest
from conftest import git
from test_committed_bytes import verify, write

UNUSED_IMPORT = "import os\n\n\ndef add(a, b):\n    return a + b\n"
LENIENT, STRICT = "[lint]\nignore = ['F401']\n", "[lint]\nignore = []\n"


def plain_ruff(repo: Path, tmp: Path) -> int:
    tree = git(repo, "write-tree").strip()
    archive = tmp / "tree.tar"
    tmp.mkdir(parents=True)
    archive.write_bytes(
        subprocess.run(["git", "archive", tree], cwd=repo, capture_output=True, check=True).stdout
    )
    with tarfile.open(archive) as tar:
        tar.extractall(tmp / "clean", filter="data")
    return subprocess.run(
        ["ruff", "check", "."], cwd=tmp / "clean", capture_output=True, check=False
    ).returncode


def test_a_config_the_tree_extends_is_read_from_the_tree(committed_repo: Path, tmp_path: Path) -> None:
    repo = committed_repo
    write(repo / "lint" / "base.toml", LENIENT)
    write(repo / "ruff.toml", "extend = 'lint/base.toml'\n")
    write(repo / "pkg" / "mod.py", UNUSED_IMPORT)
    git(repo, "add", ".")
    result = verify(repo, "--only", "lint")
    assert result.returncode == 0, result.stdout
    write(repo / "lint" / "base.toml", STRICT)
    git(repo, "add", ".")
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "lint")
    assert result.returncode == 1 and "F401" in result.stdout, (
        f"the old extended config held: {result.stdout}"
    )


def test_a_config_extended_from_outside_the_tree_is_in_the_key(committed_repo: Path, tmp_path: Path) -> None:
    repo = committed_repo
    shared = write(tmp_path / "shared" / "ruff.toml", LENIENT)
    write(repo / "ruff.toml", f"extend = '{shared}'\n")
    write(repo / "pkg" / "mod.py", UNUSED_IMPORT)
    git(repo, "add", ".")
    assert verify(repo, "--only", "lint").returncode == 0
    shared.write_text(STRICT)
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "lint")
    assert result.returncode == 1 and "F401" in result.stdout, (
        f"a pass made under the old config: {result.stdout}"
    )


ISORT = "[lint]\nselect = ['I']\n"
LOCAL_FIRST = (
    "import mylocal\nimport requests\n\nprint(mylocal, requests)\n"  # sorted as if both were third-party
)


FIRST_PARTY = [
    pytest.param(
        {"ruff.toml": ISORT, "mylocal/__init__.py": ""},
        {"app/main.py": LOCAL_FIRST},
        id="a-package-nothing-staged-touches",
    ),
    pytest.param(
        # Same package: first-party, a section of its own; sorted as third-party by a copy without lib/.
        {
            "ruff.toml": ISORT,
            "lib/mypkg/__init__.py": "",
            "lib/mypkg/sub/__init__.py": "",
            "lib/mypkg/other.py": "X = 1\n",
        },
        {"lib/mypkg/sub/mod.py": "import mypkg.other\nimport requests\n\nprint(mypkg, requests)\n"},
        id="a-files-own-package-outside-src",
    ),
    pytest.param(
        # ruff expands globs in `src`: packages/a/src is a root, so `alpha` is first-party; the
        # folder's first file is not the module.
        {
            "ruff.toml": "src = ['packages/*/src']\n" + ISORT,
            "packages/a/README.md": "a\n",
            "packages/a/src/alpha.py": "X = 1\n",
        },
        {"app/main.py": "import alpha\nimport requests\n\nprint(alpha, requests)\n"},
        id="a-module-under-a-globbed-src-root",
    ),
]


@pytest.mark.parametrize(("committed", "staged"), FIRST_PARTY)
def test_a_local_module_is_sorted_as_first_party(
    committed_repo: Path, tmp_path: Path, committed: dict[str, str], staged: dict[str, str]
) -> None:
    repo = committed_repo
    for path, text in committed.items():
        write(repo / path, text)
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "the first-party code")
    for path, text in staged.items():
        write(repo / path, text)
    git(repo, "add", ".")
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "lint")
    assert result.returncode == 1 and "I001" in result.stdout, f"sorted as third-party: {result.stdout}"


def test_a_package_added_changes_the_findings_of_unchanged_files(
    committed_repo: Path, tmp_path: Path
) -> None:
    repo = committed_repo
    write(repo / "ruff.toml", ISORT)
    write(repo / "app" / "main.py", LOCAL_FIRST)
    write(repo / ".hookwright.yaml", "baseline: none\n")  # else: a warning, the base's file has it too
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "both third-party")
    assert verify(repo, "--only", "lint", "--all-files").returncode == 0
    write(repo / "mylocal" / "__init__.py", "")
    git(repo, "add", ".")
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "lint", "--all-files")
    assert result.returncode == 1 and "I001" in result.stdout, f"the old sections replayed: {result.stdout}"


def test_a_config_the_index_deletes_is_gone_from_the_copy(committed_repo: Path, tmp_path: Path) -> None:
    repo = committed_repo
    write(repo / "ruff.toml", "[lint]\nselect = ['F']\n")
    write(repo / "pkg" / "ruff.toml", "[lint]\nselect = ['F']\nignore = ['F401']\n")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a lenient config for pkg/")
    assert verify(repo, "--only", "lint", "--all-files").returncode == 0  # the copy holds it now
    git(repo, "rm", "-q", "pkg/ruff.toml")
    write(repo / "pkg" / "mod.py", UNUSED_IMPORT)
    git(repo, "add", ".")
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "lint")
    assert result.returncode == 1 and "F401" in result.stdout, f"the deleted config was read: {result.stdout}"


def test_a_file_a_test_run_left_in_the_copy_is_gone_before_lint(committed_repo: Path, tmp_path: Path) -> None:
    repo = committed_repo
    write(repo / "ruff.toml", "[lint]\nselect = ['INP']\n")
    write(repo / ".hookwright.yaml", "baseline: none\n")  # tools/gen.py had INP001 before too
    write(repo / "tools" / "gen.py", "X = 1\n")
    write(repo / "pyproject.toml", "[tool.pytest.ini_options]\ntestpaths = ['tests']\n")
    # A test that writes beside the sources: tools/ becomes a package in the copy it ran in.
    write(
        repo / "tests" / "test_gen.py",
        "import pathlib\n\n\ndef test_gen():\n"
        "    root = pathlib.Path(__file__).resolve().parent.parent\n"
        "    (root / 'tools' / '__init__.py').write_text('')\n",
    )
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "a test that writes into the tree")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    write(repo / "tools" / "gen.py", "X = 2\n")
    git(repo, "add", ".")
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "lint")
    assert result.returncode == 1 and "INP001" in result.stdout, (
        f"the test's __init__.py was read: {result.stdout}"
    )


def notebook(*lines: str) -> str:
    cell = {"cell_type": "code", "execution_count": None, "id": "c1", "metadata": {}, "outputs": []}
    document = {
        "cells": [{**cell, "source": [f"{line}\n" for line in lines]}],
        "metadata": {"language_info": {"name": "python"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document)


@pytest.mark.parametrize(
    ("files", "checks"),
    [
        pytest.param({"nb.ipynb": notebook("import os", "x = 1")}, "lint", id="notebook"),
        pytest.param({"nb.ipynb": notebook("def f(:", "    pass")}, "lint,syntax", id="notebook-syntax"),
        pytest.param(
            {"ruff.toml": "extend-include = ['bin/*']\n", "bin/tool": UNUSED_IMPORT},
            "lint",
            id="extend-include",
        ),
        pytest.param(
            {"ruff.toml": "extend-include = ['*.pyw']\n", "app/x.pyw": UNUSED_IMPORT}, "lint", id="glob"
        ),
        # ruff's globs (globset): `**/` also matches no folder, `{a,b}` is either; fnmatch knows neither.
        pytest.param(
            {"ruff.toml": "extend-include = ['tools/**/*.cgi']\n", "tools/x.cgi": UNUSED_IMPORT},
            "lint",
            id="double-star-no-folder",
        ),
        pytest.param(
            {"ruff.toml": "extend-include = ['*.{pyw,cgi}']\n", "app/x.cgi": UNUSED_IMPORT},
            "lint",
            id="alternatives",
        ),
    ],
)
def test_what_plain_ruff_lints_is_linted(
    committed_repo: Path, tmp_path: Path, files: dict[str, str], checks: str
) -> None:
    repo = committed_repo
    for path, text in files.items():
        write(repo / path, text)
    git(repo, "add", ".")
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", checks)
    assert result.returncode == 1, f"a file ruff lints was skipped: {result.stdout}"


def test_a_ruff_toml_and_a_pyproject_of_the_same_bytes_are_read_each_as_what_it_is(
    committed_repo: Path, tmp_path: Path
) -> None:
    # The same bytes mean `extend` in a ruff.toml and nothing in a pyproject.toml (no [tool.ruff]):
    # remembered by blob alone, the one read last decided both, and the extended file left the key.
    repo = committed_repo
    same = "extend = 'lint/base.toml'\n"
    write(repo / "lint" / "base.toml", LENIENT)
    write(repo / "ruff.toml", same)
    write(repo / "zz" / "pyproject.toml", same)
    write(repo / "pkg" / "mod.py", UNUSED_IMPORT)
    git(repo, "add", ".")
    assert verify(repo, "--only", "lint").returncode == 0
    write(repo / "lint" / "base.toml", STRICT)
    git(repo, "add", ".")
    assert plain_ruff(repo, tmp_path / "plain") != 0
    result = verify(repo, "--only", "lint")
    assert result.returncode == 1 and "F401" in result.stdout, f"a stale pass: {result.stdout}"
