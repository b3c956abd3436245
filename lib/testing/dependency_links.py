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
from pathlib import Path

from hookwright.testing import editable_installs

TYPE_CHECKING = False
if TYPE_CHECKING:
    from hookwright.git.repo import Repo

_DEPENDENCY_DIRS = ("node_modules",)


def link_dependencies(repo: Repo, copy: Path) -> None:
    """Each dependency folder of ``repo``'s work tree, in ``copy``, with its workspace packages the copy's."""
    roots = editable_installs.work_trees(repo.root, repo.common_dir)
    for name in _DEPENDENCY_DIRS:
        source, link = repo.root / name, copy / name
        if not source.is_dir() or link.exists() or link.is_symlink():
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


def _links_into_work_trees(folder: Path, name: str, roots: list[str]) -> dict[str, str]:
    """entry (``mypkg``, ``@scope/pkg``, ``.bin/mycli``) -> the file or folder of the tree it leads to,
    for every link of ``folder`` into a work tree but not into the dependency folder itself."""
    found: dict[str, str] = {}
    candidates: list[str] = []
    for entry in os.scandir(folder):
        if entry.is_symlink():
            candidates.append(entry.name)
        elif entry.is_dir() and (entry.name.startswith("@") or entry.name == ".bin"):
            candidates.extend(
                f"{entry.name}/{inner.name}" for inner in os.scandir(entry.path) if inner.is_symlink()
            )
    for candidate in candidates:
        held = editable_installs.inside(str(folder / candidate), roots)
        if held is not None and held != name and not held.startswith(f"{name}/"):
            found[candidate] = held
    return found
