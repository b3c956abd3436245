"""A release users can pin (issue 18): distributions built outside the tree, workflows that pin what they
run and hold no more permission than they need, and a README and a changelog that name this version.

actionlint, zizmor and GitHub's workflow schema run over every workflow in tests/test_action.py.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, git

from hookwright import __version__

WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
PINNED = re.compile(
    r"^\s*-?\s*uses:\s*(?P<action>[\w.-]+/[\w./-]+)@(?P<sha>[0-9a-f]{40})\s+#\s+v\d+(\.\d+)*\s*$"
)


def _tree_copy(tmp_path: Path) -> Path:
    """The tracked files as they are in this work tree, committed in a repository of their own."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    copy = tmp_path / "hookwright"
    for name in filter(None, listed.decode().split("\0")):
        if (ROOT / name).is_file() and not name.startswith(("tests/corpus/", "benchmarks/")):
            (copy / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, copy / name)
    git(copy, "init", "-q")
    git(copy, "add", "-A")
    git(copy, "commit", "-qm", "release candidate")
    return copy


def test_building_the_sdist_and_wheel_leaves_nothing_in_the_tree(tmp_path: Path) -> None:
    tree = _tree_copy(tmp_path)
    env_bin = str(Path(sys.executable).parent)
    built = subprocess.run(
        ["bash", ".ci/build-dist", str(tmp_path / "dist")],
        cwd=tree, capture_output=True, text=True, check=False, timeout=600,
        env={"PATH": f"{env_bin}:/usr/bin:/bin", "HOME": str(tmp_path), "TMPDIR": str(tmp_path)},
    )  # fmt: skip
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    assert git(tree, "status", "--porcelain", "--ignored") == ""  # no build/, no *.egg-info
    assert not list(tree.glob("**/*.egg-info")) and not (tree / "build").exists()
    names = sorted(p.name for p in (tmp_path / "dist").iterdir())
    assert names == [f"hookwright-{__version__}-py3-none-any.whl", f"hookwright-{__version__}.tar.gz"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith("hookwright-build.")] == []
    with zipfile.ZipFile(tmp_path / "dist" / names[0]) as wheel:
        packaged = wheel.namelist()
    assert "hookwright/schemas/config.schema.json" in packaged
    assert not [n for n in packaged if n.split("/")[0] in ("lib", "hooks", "tests")]
    with tarfile.open(tmp_path / "dist" / names[1]) as sdist:
        assert f"hookwright-{__version__}/setup.cfg" in sdist.getnames()


def _workflow(name: str) -> dict[Any, Any]:
    data = yaml.safe_load((ROOT / ".github" / "workflows" / name).read_text())
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


@pytest.mark.parametrize("path", [*WORKFLOWS, ROOT / "action.yml"], ids=lambda p: p.name)
def test_every_action_is_pinned_by_commit_with_its_version(path: Path) -> None:
    for line in path.read_text().splitlines():
        if re.match(r"^\s*-?\s*uses:", line) and "uses: ./" not in line:
            assert PINNED.match(line), f"{path.name}: not pinned by commit with a version comment: {line}"


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_least_privilege_and_no_expression_in_a_shell(path: Path) -> None:
    data = _workflow(path.name)
    assert data["permissions"] == {}, "nothing at the top: each job asks for what it needs"
    for name, job in data["jobs"].items():
        assert "permissions" in job, f"{name}: no permissions of its own"
        writes = {k for k, v in job["permissions"].items() if v == "write"}
        assert writes <= ({"id-token"} if name == "publish" else {"security-events"}), (name, writes)
        for step in job["steps"]:
            assert "${{" not in step.get("run", ""), f"{name}: an expression inside run: (use env:)"
            if step.get("uses", "").startswith("actions/checkout@"):
                assert step["with"]["persist-credentials"] is False


def test_ci_runs_the_ci_script_on_pushes_and_pull_requests() -> None:
    ci = _workflow("ci.yml")
    assert set(ci["on"]) == {"push", "pull_request"}
    (job,) = ci["jobs"].values()
    assert [s["run"] for s in job["steps"] if "run" in s][-1] == "bash .ci/run"
    checkout = next(s for s in job["steps"] if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0  # tests/test_hunk_apply.py replays the history


def test_release_builds_checks_and_publishes_with_trusted_publishing_on_a_tag() -> None:
    release = _workflow("release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    build, publish = release["jobs"]["build"], release["jobs"]["publish"]
    script = "\n".join(s.get("run", "") for s in build["steps"])
    for needed in (
        "bash .ci/build-dist",
        "twine check --strict",
        '/bin/hookwright" --version',
        "verify --all-files",
    ):
        assert needed in script, needed
    assert "git status --porcelain --ignored" in script  # nothing left in the checkout
    assert publish["needs"] == "build" and publish["environment"]["name"] == "pypi"
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["steps"][-1]["uses"].startswith("pypa/gh-action-pypi-publish@")
    assert "with" not in publish["steps"][-1] or "password" not in publish["steps"][-1]["with"]


def test_readme_and_changelog_name_this_version() -> None:
    readme = (ROOT / "README.md").read_text()
    assert f"rev: v{__version__}" in readme
    pinned = re.findall(r"uses: hookwright/hookwright@(\S+)", readme)
    assert pinned and set(pinned) == {f"v{__version__}"}
    assert not re.findall(r"rev: v(?!" + re.escape(__version__) + r"\b)", readme)
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert re.search(rf"^## \[{re.escape(__version__)}\] - \d{{4}}-\d{{2}}-\d{{2}}$", changelog, re.M)
    assert f"[{__version__}]: https://github.com/hookwright/hookwright/" in changelog
