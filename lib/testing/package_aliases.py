"""Code run in the private copy imports the copy, also what an editable install takes from the work tree.

``editable_installs`` says what the project's interpreter imports from the user's work tree: folders
on its path (``plugin/src``) and packages its import hook maps (``mypkg = lib``). Each folder of the
copy goes first on PYTHONPATH, and each mapped package gets a link to its folder in the copy, in a
folder of the run's own (a package with a mapped sub-package, ``hookwright.hooks = hooks``, is a
folder of links, one per entry, the sub-package's pointing at its own folder). Links keep paths real:
records resolve ``mypkg/core.py`` to the copy's ``lib/core.py``. Nothing is added for what the
interpreter does not install: a package a plain run cannot import stays unimportable.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from hookwright.testing import editable_installs
from hookwright.testing.run_env import CHILD_START

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.git.repo import Repo
    from hookwright.git.target import Target


def for_target(env: Mapping[str, str], target: Target, python: str) -> dict[str, str]:
    """``import_env`` for code run in the target's private copy, or in the worktree made for the run."""
    if target.export is not None:
        root = target.export.root
        links = root.with_name(f"{root.name}.aliases")  # beside the slot: locked with it, this run's alone
    else:
        root = target.root
        links = target.repo.git_dir / "hookwright-aliases"  # a worktree's own: removed with it
    return import_env(env, python, target.repo, root, target.entries, links)


def import_env(
    env: Mapping[str, str], python: str, repo: Repo, copy: Path, paths: Iterable[str], links: Path
) -> dict[str, str]:
    """``env`` with what ``python`` would import from the repository's work trees taken from ``copy``."""
    roots = editable_installs.work_trees(repo.root, repo.common_dir)
    folders, packages = editable_installs.into_work_tree(python, roots)
    existing = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
    # A work tree's folder the environment names itself (PYTHONPATH=$PWD/libs/foo): the copy's.
    named = [_in_copy(entry, roots, copy) for entry in existing]
    if not folders and not packages and named == existing:
        return dict(env)
    first = [str(copy / folder) if folder else str(copy) for folder in folders]
    shutil.rmtree(links, ignore_errors=True)  # what an earlier run of this slot linked is stale
    if _link_packages(packages, copy, list(paths), links):
        first.insert(0, str(links))
    # The work trees' folders stay on the path after the copy's (a .pth): pytest's plugin drops them.
    others = [root for root in roots if root != os.path.realpath(copy)]
    hidden = [os.path.join(root, folder) if folder else root for folder in folders for root in others]
    hidden += [os.path.realpath(e) for e, n in zip(existing, named, strict=True) if e != n]
    # First of all: a Python process a test or command starts reads the .pth files again (child_start).
    return {
        **env,
        "PYTHONPATH": os.pathsep.join([str(CHILD_START), *first, *named]),
        "HOOKWRIGHT_PYTEST_HIDDEN": os.pathsep.join(hidden),
        "HOOKWRIGHT_PYTEST_WORK_TREES": os.pathsep.join(others),
    }


def _in_copy(entry: str, roots: list[str], copy: Path) -> str:
    """``entry`` of PYTHONPATH, in ``copy`` when it names a folder of a work tree (not its .git:
    the copy itself lives there)."""
    if not os.path.isabs(entry):
        return entry  # relative to the working directory: the copy's already
    folder = editable_installs.inside(entry, roots)
    if folder is None or folder.partition("/")[0] == ".git":
        return entry
    return str(copy / folder) if folder else str(copy)


def _link_packages(packages: Mapping[str, str], copy: Path, paths: list[str], links: Path) -> bool:
    """Links named by each top-level package, to its folder in ``copy``; False when none was made."""
    made = False
    for name, folder in sorted(packages.items()):
        if "." in name or not name.isidentifier():
            continue  # a sub-package: linked inside its top package's folder below
        subs = {
            n.partition(".")[2]: f
            for n, f in packages.items()
            if n.startswith(f"{name}.") and n.count(".") == 1
        }
        links.mkdir(parents=True, exist_ok=True)
        made = True
        if not subs:
            (links / name).symlink_to(copy / folder, target_is_directory=True)
            continue
        prefix = f"{folder}/" if folder else ""
        children = {p[len(prefix) :].partition("/")[0] for p in paths if p.startswith(prefix)}
        (links / name).mkdir()
        for child in sorted(children):
            (links / name / child).symlink_to(copy / prefix / child)
        for sub, sub_folder in subs.items():
            (links / name / sub).unlink(missing_ok=True)
            (links / name / sub).symlink_to(copy / sub_folder, target_is_directory=True)
    return made
