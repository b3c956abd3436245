"""The installed, untracked dependency folders a suite needs in a copy of the index: ``node_modules``.

A copy links the work tree's folder whole, unless some package in it is a link into a work tree of
the repository: npm, yarn and pnpm workspaces install each workspace package as
``node_modules/mypkg -> ../packages/mypkg`` (and its commands as ``.bin/mycli -> ../mypkg/cli.js``).
Through the whole folder, jest in the copy imported the work tree's ``packages/mypkg``, unstaged
edits and all. Then the copy gets a folder of links instead: each such package leads to the copy's
own folder, everything else to the work tree's installed one.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from hookwright.testing import editable_installs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hookwright.git.repo import Repo

_DEPENDENCY_DIRS = ("node_modules",)
# What npm (v7+), pnpm and yarn write into node_modules on every install: the installed versions.
_SCRIPTS = (".js", ".mjs", ".cjs", ".json", ".node", ".ts", ".mts", ".cts", ".jsx", ".tsx", ".wasm")
_INSTALL_RECORDS = (".package-lock.json", ".modules.yaml", ".yarn-state.yml", ".yarn-integrity")


def link_dependencies(repo: Repo, copy: Path, folders: Sequence[str] = ("",)) -> None:
    """Each dependency folder of ``repo``'s work tree, in ``copy``, with its workspace packages the copy's.

    ``folders``: where suites run besides the root; a sub-folder's own ``node_modules`` (``cd web
    && npm install``) is linked there too.
    """
    roots = editable_installs.work_trees(repo.root, repo.common_dir)
    for name in _dependency_dirs(folders):
        source, link = repo.root / name, copy / name
        if not source.is_dir() or link.exists() or link.is_symlink() or not link.parent.is_dir():
            continue
        into = _links_into_work_trees(source, name, roots)
        if not into:
            link.symlink_to(source, target_is_directory=True)
            continue
        link.mkdir()
        for entry in sorted(os.listdir(source)):
            if entry in into:
                (link / entry).symlink_to(copy / into[entry])
            elif any(n.startswith(f"{entry}/") for n in into):
                (link / entry).mkdir()  # a scope (@types) or .bin with a link into a work tree
                for inner in sorted(os.listdir(source / entry)):
                    named = f"{entry}/{inner}"
                    (link / named).symlink_to(copy / into[named] if named in into else source / named)
            else:
                (link / entry).symlink_to(source / entry)


def node_env(env: Mapping[str, str], repo: Repo, copy: Path) -> dict[str, str]:
    """``env`` with each NODE_PATH folder of a work tree taken from ``copy``: jest resolves bare
    module names there too (``NODE_PATH=$PWD/lib``), and read the work tree's unstaged files."""
    from hookwright.testing.package_aliases import in_copy

    entries = [e for e in env.get("NODE_PATH", "").split(os.pathsep) if e]
    if not entries:
        return dict(env)
    roots = editable_installs.work_trees(repo.root, repo.common_dir)
    return {**env, "NODE_PATH": os.pathsep.join(in_copy(e, roots, copy) for e in entries)}


def installed_stamp(repo: Repo, folders: Sequence[str] = ("",)) -> list[str]:
    """What is installed in the dependency folders now, for the tests check's cache key.

    The tree's blobs do not say it: ``npm install dep@2`` (or an upgrade by hand) ran other code on
    the same tree, and jest's pass with the old one was replayed from the cache. Each package is
    stamped by its entry (npm replaces a package's folder; pnpm's link names the version) and the
    install records; an edit inside an installed package's files is not seen. A package linked from
    a project outside the repository (``"dep": "file:../dep"``, ``npm link``) is stamped by its code:
    it changes with no install.
    """
    from hookwright.hashing import sha256

    roots = editable_installs.work_trees(repo.root, repo.common_dir)
    stamps: list[str] = []
    for name in _dependency_dirs(folders):
        folder, kind = repo.root / name, Path(name).name
        if not folder.is_dir():
            continue
        stamps.append(f"{name} -> {os.path.realpath(folder)}")
        for record in _INSTALL_RECORDS:
            try:
                stamps.append(f"{record} {sha256((folder / record).read_bytes()).hexdigest()}")
            except OSError:
                continue
        for entry, is_link in _entries(folder):
            stamps.append(_entry_stamp(folder / entry, entry))
            real = os.path.realpath(folder / entry) if is_link else ""
            if real and kind not in Path(real).parts and editable_installs.inside(real, roots) is None:
                stamps.append(f"{entry}: {editable_installs.source_stamp(real, _SCRIPTS)}")
    return stamps


def _dependency_dirs(folders: Sequence[str]) -> list[str]:
    """``node_modules``, ``web/node_modules``, ...: the root's and each suite folder's."""
    places = dict.fromkeys(["", *folders])
    return [f"{place}/{name}" if place else name for place in places for name in _DEPENDENCY_DIRS]


def _entries(folder: Path) -> list[tuple[str, bool]]:
    """(name, is a link) of each package of ``folder``: ``dep``, ``@scope/pkg``, ``.bin/tool``."""
    found: list[tuple[str, bool]] = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_symlink() or not (entry.name.startswith("@") or entry.name == ".bin"):
                found.append((entry.name, entry.is_symlink()))
            elif entry.is_dir():
                with os.scandir(entry.path) as inside:
                    found.extend((f"{entry.name}/{i.name}", i.is_symlink()) for i in inside)
    return sorted(found)


def _entry_stamp(path: Path, name: str) -> str:
    try:
        st = path.lstat()
        text = os.readlink(path) if path.is_symlink() else ""
    except OSError as error:
        return f"{name} unreadable {error.errno}"
    return f"{name} {st.st_ino} {st.st_mtime_ns} {st.st_ctime_ns} {text}"


def _links_into_work_trees(folder: Path, name: str, roots: list[str]) -> dict[str, str]:
    """entry (``mypkg``, ``@scope/pkg``, ``.bin/mycli``) -> the file or folder of the tree it leads to,
    for every link of ``folder`` into a work tree but not into the dependency folder itself."""
    found: dict[str, str] = {}
    for candidate, is_link in _entries(folder):
        held = editable_installs.inside(str(folder / candidate), roots) if is_link else None
        if held is not None and held != name and not held.startswith(f"{name}/"):
            found[candidate] = held
    return found
