"""A submodule inside a submodule is in the copy as the commits the staged gitlinks name hold it.

On 119b63e only the first level was exported: the nested submodule was an empty folder in the copy,
a test reading it failed in every run "at the base too" (a warning), and staging the outer gitlink
at a commit whose inner gitlink breaks the tests passed. Each verdict is compared with pytest in a
clone made with `--recurse-submodules` of the commit.
"""

from __future__ import annotations

from pathlib import Path

from conftest import git, hookwright, write
from test_submodules import FILE_PROTOCOL, GOOD, cloned_pytest

TEST = (
    "import sys\nfrom pathlib import Path\n\n"
    'sys.path.insert(0, str(Path(__file__).parent.parent / "vendor" / "inner"))\n\n\n'
    "def test_value():\n    from helper import value\n\n    assert value() == 1\n"
)


def repository(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    for name, text in files.items():
        write(path / name, text)
    git(path, "add", ".")
    git(path, "commit", "-qm", "start")
    return path


def test_a_nested_submodules_staged_commit_is_what_the_tests_read(tmp_path: Path) -> None:
    library = repository(tmp_path / "library", {"helper.py": GOOD})
    middle = repository(tmp_path / "middle", {"README": "middle\n"})
    git(middle, *FILE_PROTOCOL, "submodule", "add", "-q", str(library), "inner")
    git(middle, "commit", "-qm", "with the library")
    repo = tmp_path / "repo"
    write(repo / "tests" / "test_value.py", TEST)
    git(repo, "init", "-q")
    git(repo, *FILE_PROTOCOL, "submodule", "add", "-q", str(middle), "vendor")
    git(repo, *FILE_PROTOCOL, "submodule", "update", "-q", "--init", "--recursive")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "with the middle")
    assert cloned_pytest(repo, tmp_path / "good") == 0
    result = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert "fails at the base too" not in result.stdout, f"the nested submodule was missing: {result.stdout}"

    # The library breaks; the middle's checkout in the work tree records it, the superproject stages
    # that middle commit; then both checkouts go back to the good commits (the work tree is good).
    write(library / "helper.py", GOOD.replace("1", "2"))
    git(library, "commit", "-qam", "bad")
    vendor = repo / "vendor"
    git(vendor / "inner", "fetch", "-q")
    git(vendor / "inner", "checkout", "-q", "FETCH_HEAD")
    git(vendor, "commit", "-qam", "bad library")
    git(repo, "add", "vendor")
    git(vendor, "checkout", "-q", "HEAD~1")
    git(vendor / "inner", "checkout", "-q", "HEAD~1")
    result = hookwright("verify", "--only", "tests", cwd=repo)
    assert result.returncode == 1, f"the staged nested gitlink's broken library passed: {result.stdout}"
    git(repo, "commit", "-qm", "bad library")
    # (the clone fetches vendor's commits from its own origin, middle: push the one staged there)
    git(vendor, "push", "-q", str(middle), "HEAD@{1}:refs/heads/bad")
    assert cloned_pytest(repo, tmp_path / "bad") == 1
