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
from collections.abc import Iterable, Mapping
from pathlib import Path

from hookwright.testing import editable_installs, meson_editables
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
    installs = editable_installs.into_work_tree(python, roots)
    env = _src_as_installed(env, python, copy, paths, installs)
    folders, packages = installs.folders, installs.packages
    existing = [entry for entry in env.get("PYTHONPATH", "").split(os.pathsep) if entry]
    # A work tree's folder the environment names itself (PYTHONPATH=$PWD/libs/foo): the copy's.
    named = [in_copy(entry, roots, copy) for entry in existing]
    if not folders and not packages and not installs.skipped_builds and named == existing:
        return dict(env)
    first = [str(copy / folder) if folder else str(copy) for folder in folders]
    import shutil  # here: bz2 and lzma come with it; most trees have nothing to link

    shutil.rmtree(links, ignore_errors=True)  # what an earlier run of this slot linked is stale
    if _link_packages(packages, copy, list(paths), links):
        first.insert(0, str(links))
    # The work trees' folders stay on the path after the copy's (a .pth): pytest's plugin drops them.
    others = [root for root in roots if root != os.path.realpath(copy)]
    hidden = [os.path.join(root, folder) if folder else root for folder in folders for root in others]
    hidden += [os.path.realpath(e) for e, n in zip(existing, named, strict=True) if e != n]
    # First of all: a Python process a test or command starts reads the .pth files again (child_start).
    changed = {
        **env,
        "PYTHONPATH": os.pathsep.join([str(CHILD_START), *first, *named]),
        "HOOKWRIGHT_PYTEST_HIDDEN": os.pathsep.join(hidden),
        "HOOKWRIGHT_PYTEST_WORK_TREES": os.pathsep.join(others),
        # What a child started with an environment of its own gets first on its path.
        "HOOKWRIGHT_PYTEST_PATH": os.pathsep.join([str(CHILD_START), *first]),
    }
    if installs.skipped_builds:  # meson-python's loader, first on sys.meta_path, stands aside
        skipped = [entry for entry in env.get(meson_editables.SKIP_VARIABLE, "").split(os.pathsep) if entry]
        changed[meson_editables.SKIP_VARIABLE] = os.pathsep.join([*skipped, *installs.skipped_builds])
    return changed


def _src_as_installed(
    env: Mapping[str, str],
    python: str,
    copy: Path,
    paths: Iterable[str],
    installs: editable_installs.Installs,
) -> Mapping[str, str]:
    """``env`` without the copy's ``src`` folder that ``tree_env`` put on PYTHONPATH, unless
    ``python`` imports the tree's ``src`` packages in a plain run too.

    A src layout that is not installed, with no ``pythonpath`` setting, fails to import in the
    user's own ``pytest`` (ModuleNotFoundError); with ``src`` on the path it passed under hookwright
    alone. Installed (``pip install .``, an egg, a .pth or an import hook naming them), the copy's
    ``src`` stays first: the committed bytes are what is tested, not an older install.
    """
    src = str(copy / "src")
    entries = env.get("PYTHONPATH", "").split(os.pathsep)
    if src not in entries or "src" in installs.folders:
        return env
    names = {p.split("/")[1].removesuffix(".py") for p in paths if p.startswith("src/")}
    names = {name for name in names if name.isidentifier()}
    if any(package.partition(".")[0] in names for package in installs.packages):
        return env
    places = [*editable_installs.site_dirs(python), *map(Path, installs.outside)]
    if any(editable_installs.holds_module(place, name) for place in places for name in names):
        return env
    entries.remove(src)
    changed = {**env, "PYTHONPATH": os.pathsep.join(entries)}
    if "HOOKWRIGHT_PYTEST_TREE_PATH" in env:  # (the copy's folders: no longer src)
        tree = env["HOOKWRIGHT_PYTEST_TREE_PATH"].split(os.pathsep)
        changed["HOOKWRIGHT_PYTEST_TREE_PATH"] = os.pathsep.join(e for e in tree if e != src)
    return changed


def in_copy(entry: str, roots: list[str], copy: Path) -> str:
    """``entry`` of PYTHONPATH (or NODE_PATH), in ``copy`` when it names a folder of a work tree
    (not its .git: the copy itself lives there)."""
    if not os.path.isabs(entry):
        return entry  # relative to the working directory: the copy's already
    folder = editable_installs.inside(entry, roots)
    if folder is None or folder.partition("/")[0] == ".git":
        return entry
    return str(copy / folder) if folder else str(copy)


def _link_packages(packages: Mapping[str, str], copy: Path, paths: list[str], links: Path) -> bool:
    """Links named by each outermost mapped package, to its folder in ``copy``; False when none was
    made. A namespace above one (``myns.sub``) is a plain folder of the links."""
    made = False
    for name, folder in sorted(packages.items()):
        parts = name.split(".")
        if not all(part.isidentifier() for part in parts):
            continue
        if any(".".join(parts[:i]) in packages for i in range(1, len(parts))):
            continue  # a sub-package of a mapped one: linked inside its package's folder below
        subs = {
            n.rpartition(".")[2]: f
            for n, f in packages.items()
            if n.startswith(f"{name}.") and n.count(".") == name.count(".") + 1
        }
        place = links.joinpath(*parts)
        place.parent.mkdir(parents=True, exist_ok=True)
        made = True
        if folder.endswith(".py"):  # a top-level module (editables redirects those too)
            place.with_name(f"{place.name}.py").symlink_to(copy / folder)
            continue
        if not subs:
            place.symlink_to(copy / folder, target_is_directory=True)
            continue
        prefix = f"{folder}/" if folder else ""
        children = {p[len(prefix) :].partition("/")[0] for p in paths if p.startswith(prefix)}
        place.mkdir()
        for child in sorted(children):
            (place / child).symlink_to(copy / prefix / child)
        for sub, sub_folder in subs.items():
            (place / sub).unlink(missing_ok=True)
            (place / sub).symlink_to(copy / sub_folder, target_is_directory=True)
    return made
