"""A submodule's files are in the copy the tests run in, as the staged gitlink's commit holds them.

On 998c6cc the copy had an empty folder there: a test reading the submodule failed in every run
"at the base too" (a warning, the verdict passed), so staging a gitlink that moves the submodule to a
commit that breaks the tests passed. Each verdict is compared with pytest in a clone made with
`--recurse-submodules` of the commit.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import git, hookwright, write

GOOD = "def value():\n    return 1\n"
TEST = (
    "import sys\nfrom pathlib import Path\n\n"
    'sys.path.insert(0, str(Path(__file__).parent.parent / "vendor"))\n\n\n'
    "def test_value():\n    from helper import value\n\n    assert value() == 1\n"
)
FILE_PROTOCOL = ("-c", "protocol.file.allow=always")


def superproject(tmp_path: Path) -> tuple[Path, Path]:
    library = tmp_path / "library"
    library.mkdir()
    git(library, "init", "-q")
    write(library / "helper.py", GOOD)
    git(library, "add", ".")
    git(library, "commit", "-qm", "good")
    repo = tmp_path / "repo"
    write(repo / "tests" / "test_value.py", TEST)
    git(repo, "init", "-q")
    git(repo, *FILE_PROTOCOL, "submodule", "add", "-q", str(library), "vendor")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "with the library")
    return repo, repo / "vendor"


def cloned_pytest(repo: Path, tmp: Path) -> int:
    """pytest in a `git clone --recurse-submodules` of HEAD, as a CI checkout with submodules."""
    clone = tmp / "clone"
    git(tmp.parent, *FILE_PROTOCOL, "clone", "-q", "--recurse-submodules", str(repo), str(clone))
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run(argv, cwd=clone, env=env, capture_output=True, check=False).returncode


def test_the_staged_gitlinks_commit_is_what_the_tests_read(tmp_path: Path) -> None:
    repo, vendor = superproject(tmp_path)
    assert cloned_pytest(repo, tmp_path / "good") == 0
    result = hookwright("verify", "--all-files", "--only", "tests", cwd=repo)
    assert result.returncode == 0, result.stdout
    assert "fails at the base too" not in result.stdout, f"the submodule was missing: {result.stdout}"
    # The library moves to a commit that breaks the test; the work tree's checkout goes back.
    library = tmp_path / "library"
    write(library / "helper.py", GOOD.replace("1", "2"))
    git(library, "commit", "-qam", "bad")
    git(vendor, "fetch", "-q")
    git(vendor, "checkout", "-q", "FETCH_HEAD")
    git(repo, "add", "vendor")
    git(vendor, "checkout", "-q", "HEAD~1")
    result = hookwright("verify", "--only", "tests", cwd=repo)
    assert result.returncode == 1, f"the staged gitlink's broken library passed: {result.stdout}"
    git(repo, "commit", "-qm", "bad library")
    assert cloned_pytest(repo, tmp_path / "bad") == 1
