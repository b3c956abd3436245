"""The package as users get it: installed (normally and editable), run from outside the source tree."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, git, write

from hookwright.commands.table import COMMANDS


def _source_copy(tmp_path: Path) -> Path:
    """The tracked files of this checkout (an install must not litter the real tree with build/)."""
    listed = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True, check=True).stdout
    source = tmp_path / "source"
    for name in filter(None, listed.decode().split("\0")):
        if name.startswith(("tests/", "benchmarks/")):
            continue
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if (ROOT / name).is_file():
            shutil.copy2(ROOT / name, target)
    return source


def test_console_scripts_installed_normally_and_editable_work_outside_the_source(tmp_path: Path) -> None:
    source = _source_copy(tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
    repo = tmp_path / "elsewhere"
    repo.mkdir()
    git(repo, "init", "-q")
    write(repo / "bad.py", "def f(:\n")
    write(repo / "instance.yaml", 'schema_version: "1"\npattern: verify_commit\ninputs: {cache: "no"}\n')
    git(repo, "add", "bad.py")

    def run(program: str, *args: str) -> subprocess.CompletedProcess[str]:
        """One of the installed programs, run from the repository outside the source."""
        argv = [venv / "bin" / program, *args]
        return subprocess.run(argv, cwd=repo, capture_output=True, text=True, check=False)

    for mode in ([str(source)], ["-e", str(source)]):
        install = subprocess.run([*pip, *mode], capture_output=True, text=True, check=False, timeout=600)
        assert install.returncode == 0, install.stderr[-2000:]
        version = run("hookwright", "--version")
        assert version.stdout.startswith("hookwright "), version.stderr
        verify = run("hookwright-verify-commit", "--skip", "tests")
        assert verify.returncode == 1, verify.stderr
        assert "bad.py:1:7: SyntaxError" in verify.stdout
        # Schemas are package data, found through importlib.resources wherever the package lives.
        validate = run("hookwright", "validate", "instance.yaml")
        assert validate.returncode == 2
        assert "instance.yaml:3:10: /inputs/cache: 'no' is not of type 'boolean'" in validate.stderr
        schema = run("hookwright", "schema", "verification-record")
        assert '"verify_commit.outputs"' in schema.stdout
        # The built-in template packs are package data too.
        created = run("hookwright", "create", "db", "--dry-run")
        assert created.returncode == 0, created.stderr
        for script in ("hookwright-self-heal", "hookwright-worktree"):
            helped = run(script, "--help")
            assert helped.returncode == 0, (script, helped.stderr)
        installed = run("python", "-c", "import hookwright, sys; print(hookwright.__file__)")
        assert installed.returncode == 0, installed.stderr
        assert ("source" in installed.stdout) == (mode[0] == "-e"), installed.stdout
        listing = run("python", "-m", "pip", "list")
        assert listing.returncode == 0, listing.stderr
        assert "\nlib " not in listing.stdout and "\nhooks " not in listing.stdout


def test_no_top_level_lib_or_hooks_package_is_declared() -> None:
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    packages = config["options"]["packages"].split()
    assert all(p == "hookwright" or p.startswith("hookwright.") for p in packages)


def test_every_hook_id_is_a_console_script_and_in_the_readme() -> None:
    manifest = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    scripts = {
        line.split("=")[0].strip()
        for line in config["options.entry_points"]["console_scripts"].strip().splitlines()
    }
    readme = (ROOT / "README.md").read_text()
    for hook in manifest:
        entry = hook["entry"].split()[0]
        assert entry in scripts, f"{hook['id']}: {entry} is not a console script"
        assert f"id: {hook['id']}" in readme, f"{hook['id']} is missing from the README"
        assert hook["language"] == "python"


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_subcommand_has_help(command: str, tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "hookwright", command, "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: hookwright {command}")


def test_top_level_help_version_and_unknown_command(tmp_path: Path) -> None:
    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "hookwright", *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )

    assert run("--help").returncode == 0
    assert run("--version").stdout.startswith("hookwright 0.")
    assert run().returncode == 2
    unknown = run("frobnicate")
    assert unknown.returncode == 2
    assert unknown.stderr.startswith("hookwright: error: unknown command 'frobnicate'; known: verify")


def test_the_action_installs_exact_versions_with_hashes() -> None:
    """action-requirements.txt pins every dependency (and the build tools) with file hashes."""
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    text = (ROOT / "action-requirements.txt").read_text()
    pinned: dict[str, str] = {}
    for entry in text.replace("\\\n", " ").splitlines():
        if not entry.strip() or entry.startswith("#"):
            continue
        requirement, *hashes = entry.split("--hash=")
        spec = Requirement(requirement.strip())
        (clause,) = spec.specifier
        assert clause.operator == "==", entry
        assert hashes and all(h.strip().startswith("sha256:") for h in hashes), entry
        pinned.setdefault(canonicalize_name(spec.name), clause.version)
    config = configparser.ConfigParser()
    config.read(ROOT / "setup.cfg")
    wanted = [Requirement(line) for line in config["options"]["install_requires"].split("\n") if line.strip()]
    for requirement in wanted:
        name = canonicalize_name(requirement.name)
        assert name in pinned, f"{requirement.name} is not pinned: run python .ci/action_requirements.py"
        assert requirement.specifier.contains(pinned[name]), f"{name}=={pinned[name]} breaks {requirement}"
    assert {"setuptools", "wheel"} <= set(pinned)
    action = (ROOT / "action.yml").read_text()
    assert "--require-hashes --no-deps --only-binary :all:" in action
    assert '-r "$ACTION_PATH/action-requirements.txt"' in action
