"""Where a JavaScript tree's jest suites are, read from the test script its package.json declares.

A root ``"test": "npm test --workspaces"`` (``-ws``, ``--workspace=x``, ``yarn workspaces run test``,
``pnpm -r test``) runs each workspace's own script, in its folder, with its own jest config. Read as
"no jest here", such a tree was "skipped: no tests found" and its verdict passed with every test
unrun. A test script hookwright cannot run (mocha, a workspace's non-jest script, a workspace
without one under plain ``npm test -ws``) is a reason the check cannot pass, never a skip: the
user's own ``npm test`` would have run (or failed on) it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection, Iterator

from hookwright.frozen import dataclass
from hookwright.lazy_regex import compile_lazily

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

RUNS_JEST = compile_lazily(r"(?:^|[\s;&|(])jest(?:$|[\s;&|)])")
# npm init's placeholder (`echo "Error: no test specified" && exit 1`), `true`, `exit 0`: no suite.
_NO_SUITE = compile_lazily(r"^\s*(?:echo\b[^;&|]*(?:&&\s*exit\s+\d+)?|true|:|exit\s+0)\s*$")
# A script that runs a suite hookwright runs on its own (pytest, go test) declares nothing more.
_RUNS_OTHERS = compile_lazily(
    r"(?:^|[\s;&|(])(?:pytest|py\.test|python3?\s+-m\s+pytest|go\s+test)(?:$|[\s;&|)])"
)
_COMMAND_BREAKS = frozenset({"&&", "||", ";", "|", "&"})
_NOT_SUITES = frozenset({"node_modules", "testdata", "fixtures", "__fixtures__"})
_NPM_TEST = frozenset({"test", "t", "tst"})
_NPM_RUN = frozenset({"run", "run-script", "rum", "urn"})


@dataclass(frozen=True)
class JsSuites:
    """``folders``: where jest runs ("" the root); ``refused``: declared tests that cannot run, why."""

    folders: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.folders or self.refused)


@dataclass(frozen=True)
class _Delegation:
    """A root script's command that runs the test script of some workspaces."""

    command: str
    names: tuple[str, ...]  # workspace names or folders; () for every workspace
    if_present: bool  # a workspace without a test script is passed over (else the command fails)
    none_fails: bool = False  # ... but with none that has one the command fails (pnpm -r)


def package(read: Callable[[str], bytes | None], path: str) -> dict[str, Any] | None:
    try:
        data = json.loads(read(path) or b"null")
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def test_script(manifest: dict[str, Any] | None) -> str | None:
    scripts = manifest.get("scripts") if manifest else None
    script = scripts.get("test") if isinstance(scripts, dict) else None
    return script if isinstance(script, str) else None


test_script.__test__ = False  # type: ignore[attr-defined]  # a test_* name pytest must not collect


def plan(paths: Collection[str], read: Callable[[str], bytes | None], root_is_jest: bool) -> JsSuites:
    """The jest suites of a committed tree (``root_is_jest``: a jest config or dependency at the root)."""
    root = _root_plan(paths, read, root_is_jest)
    folders, refused = list(root.folders), list(root.refused)
    manifest = package(read, "package.json") if "package.json" in paths else None
    script = test_script(manifest)
    # The root's own test script says which of its workspaces run (`npm test -w b` runs b alone).
    governed = _workspace_folders(paths, read, manifest) if script and not _NO_SUITE.match(script) else []
    for folder, own in _folder_scripts(paths, read):
        if folder in governed or folder in folders:
            continue
        if RUNS_JEST.search(own):
            folders.append(folder)
        elif not _RUNS_OTHERS.search(own):
            refused.append(_cannot_run(f"{folder}/package.json", own))
    return JsSuites(tuple(folders), tuple(refused))


def _root_plan(paths: Collection[str], read: Callable[[str], bytes | None], root_is_jest: bool) -> JsSuites:
    if "package.json" not in paths:
        return JsSuites(("",) if root_is_jest else ())
    manifest = package(read, "package.json")
    script = test_script(manifest)
    if script is None or _NO_SUITE.match(script):
        return JsSuites(("",) if root_is_jest else ())
    delegations = list(_delegations(script))
    runs_jest = RUNS_JEST.search(script) is not None
    folders = [""] if runs_jest or (root_is_jest and not delegations) else []
    refused: list[str] = []
    if not folders and not delegations and not _RUNS_OTHERS.search(script):
        refused.append(_cannot_run("package.json", script))
    for delegation in delegations:
        found, why = _workspace_suites(paths, read, manifest or {}, delegation)
        folders += [f for f in found if f not in folders]
        refused += why
    return JsSuites(tuple(folders), tuple(refused))


def _cannot_run(manifest: str, script: str) -> str:
    return (
        f"{manifest}: the test script `{script}` runs no suite hookwright can run "
        "(it runs jest, pytest and go test): add it as a command check, or turn the tests check off"
    )


def _folder_scripts(paths: Collection[str], read: Callable[[str], bytes | None]) -> Iterator[tuple[str, str]]:
    """(folder, test script) of each package.json below the root that declares a suite.

    Its own ``npm test`` (``cd web && npm test``, as a CI job runs it) runs that script in that
    folder with that folder's jest config, whether or not the root has a package.json: read as "no
    jest here", a tree whose only suite was ``web/`` was "skipped" and passed with its tests unrun.
    Installed packages and test data (``node_modules``, ``testdata``, ``fixtures``,
    ``__fixtures__``, dot-folders) declare none.
    """
    for path in sorted(paths):
        folder, _, name = path.rpartition("/")
        if name != "package.json" or not folder:
            continue
        if any(part in _NOT_SUITES or part.startswith(".") for part in folder.split("/")):
            continue
        script = test_script(package(read, path))
        if script is not None and not _NO_SUITE.match(script):
            yield folder, script


def _delegations(script: str) -> Iterator[_Delegation]:
    import shlex  # here: only a package.json's test script is split

    try:
        words = shlex.split(script, posix=True)
    except ValueError:
        return
    command: list[str] = []
    for word in [*words, ";"]:
        if word not in _COMMAND_BREAKS:
            command.append(word)
            continue
        found = _delegation(command)
        if found is not None:
            yield found
        command = []


def _delegation(words: list[str]) -> _Delegation | None:
    while words and "=" in words[0] and not words[0].startswith("-"):  # CI=1 npm test -ws
        words = words[1:]
    if len(words) < 2:
        return None
    tool, rest = words[0], words[1:]
    text = " ".join(words)
    options = [w for w in rest if w.startswith("-")]
    plain = [w for i, w in enumerate(rest) if not w.startswith("-") and not _takes_value(rest, i)]
    names = tuple(_option_values(rest, ("--workspace", "-w", "--filter", "-F")))
    if tool == "npm":
        runs_test = bool(plain) and (
            plain[0] in _NPM_TEST or (plain[0] in _NPM_RUN and plain[1:2] == ["test"])
        )
        every = any(o in ("--workspaces", "-ws", "--ws", "--workspaces=true") for o in options)
        if runs_test and (every or names):
            return _Delegation(text, () if every else names, "--if-present" in options)
    elif tool == "pnpm":
        runs_test = plain[:1] == ["test"] or plain[:2] == ["run", "test"]
        if runs_test and ("-r" in options or "--recursive" in options or names):
            return _Delegation(text, names, True, True)  # pnpm passes over a package without it
    elif tool == "yarn":
        if plain[:3] == ["workspaces", "run", "test"]:  # yarn 1: every workspace must have it
            return _Delegation(text, (), False)
        if plain[:1] == ["workspaces"] and "foreach" in plain and plain[-2:] == ["run", "test"]:
            return _Delegation(text, (), True)
        if plain[:1] == ["workspace"] and len(plain) >= 3 and plain[2:] in (["test"], ["run", "test"]):
            return _Delegation(text, (plain[1],), False)
    return None


def _takes_value(words: list[str], index: int) -> bool:
    return index > 0 and words[index - 1] in ("--workspace", "-w", "--filter", "-F")


def _option_values(words: list[str], flags: tuple[str, ...]) -> Iterator[str]:
    for index, word in enumerate(words):
        if word in flags and index + 1 < len(words):
            yield words[index + 1]
        for flag in flags:
            if word.startswith(f"{flag}="):
                yield word.partition("=")[2]


def _workspace_suites(
    paths: Collection[str], read: Callable[[str], bytes | None], root: dict[str, Any], run: _Delegation
) -> tuple[list[str], list[str]]:
    """(jest folders, refusals) of the workspaces ``run`` names, by their committed package.json."""
    workspaces = {
        folder: package(read, f"{folder}/package.json") for folder in _workspace_folders(paths, read, root)
    }
    if run.names:
        workspaces = {
            folder: manifest
            for folder, manifest in workspaces.items()
            if any(_names(folder, manifest, name) for name in run.names)
        }
    if not workspaces:
        return [], [f"package.json: `{run.command}` names no workspace of the tree, so it would fail"]
    folders, refused = [], []
    for folder, manifest in sorted(workspaces.items()):
        script = test_script(manifest)
        if script is None:
            if not run.if_present:
                refused.append(f"{folder}: no test script, and `{run.command}` fails there")
        elif RUNS_JEST.search(script):
            folders.append(folder)
        else:
            refused.append(f"{folder}: its test script `{script}` is not jest, which hookwright cannot run")
    if run.none_fails and not folders and not refused:
        refused.append(f"package.json: no workspace `{run.command}` names has a test script, so it fails")
    return folders, refused


def _names(folder: str, manifest: dict[str, Any] | None, name: str) -> bool:
    """npm's -w takes a package name, its folder, or a folder above several workspaces."""
    name = name.removeprefix("./").rstrip("/")
    return (manifest or {}).get("name") == name or folder == name or folder.startswith(f"{name}/")


def _workspace_folders(
    paths: Collection[str], read: Callable[[str], bytes | None], root: dict[str, Any] | None
) -> list[str]:
    globs = (root or {}).get("workspaces")
    if isinstance(globs, dict):  # yarn 1's {"packages": [...], "nohoist": [...]}
        globs = globs.get("packages")
    if not isinstance(globs, list) and "pnpm-workspace.yaml" in paths:
        import yaml

        try:
            declared = yaml.safe_load(read("pnpm-workspace.yaml") or b"") or {}
        except yaml.YAMLError:
            declared = {}
        globs = declared.get("packages") if isinstance(declared, dict) else None
    if not isinstance(globs, list):
        return []
    keep = [_glob(g) for g in globs if isinstance(g, str) and not g.startswith("!")]
    drop = [_glob(g[1:]) for g in globs if isinstance(g, str) and g.startswith("!")]
    folders = (p.rpartition("/")[0] for p in paths if p.endswith("/package.json"))
    return [
        folder
        for folder in folders
        if "node_modules" not in folder.split("/")
        and any(k.fullmatch(folder) for k in keep)
        and not any(d.fullmatch(folder) for d in drop)
    ]


def _glob(pattern: str) -> re.Pattern[str]:
    """A workspace glob: ``*`` within one folder name, ``**`` across folders."""
    pattern = pattern.strip().removeprefix("./").rstrip("/")
    parts = re.split(r"(\*\*/?|\*|\?)", pattern)
    table = {"**/": "(?:.*/)?", "**": ".*", "*": "[^/]*", "?": "[^/]"}
    return re.compile("".join(table.get(part, re.escape(part)) for part in parts))
