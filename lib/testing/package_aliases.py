"""Packages the tree's packaging maps onto other folders, importable from the private copy.

``package_dir = mypkg = lib`` installed editable (``pip install -e .``) puts an import hook in the
project's interpreter that finds ``mypkg`` in the user's work tree. The private copy on PYTHONPATH
holds ``lib/``, not ``mypkg/``, so nothing there answers first: the tests imported the work tree's
unstaged bytes and passed where the committed ones fail. So each mapped name gets a link to its
folder in the copy, in a folder of the run's own put first on PYTHONPATH (a mapping of the top
level, ``"" = python``, is that folder of the copy itself). A link keeps the paths real: records
resolve ``mypkg/core.py`` to the copy's ``lib/core.py``.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Mapping
from pathlib import Path

from hookwright.testing import packaging_names
from hookwright.testing.packaging_names import Reader

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.git.target import Target


def for_target(env: Mapping[str, str], target: Target) -> dict[str, str]:
    """``import_env`` for code run in the target's private copy (a tree read in place needs none)."""
    if target.export is None:
        return dict(env)

    def read(name: str) -> bytes | None:
        if name not in target.entries:
            return None
        try:
            return target.read(name)
        except OSError:
            return None

    root = target.export.root
    return import_env(env, root, read, root.with_name(f"{root.name}.aliases"))


def reader_at(root: Path) -> Reader:
    """Files of a tree exported whole at ``root``, by path (None when absent)."""

    def read(name: str) -> bytes | None:
        try:
            return (root / name).read_bytes()
        except OSError:
            return None

    return read


def import_env(env: Mapping[str, str], root: Path, read: Reader, links: Path) -> dict[str, str]:
    """``env`` with the tree's mapped packages first on PYTHONPATH; ``links``: a folder for this run."""
    mapped = packaging_names.package_dirs(read)
    if not mapped:
        return dict(env)
    shutil.rmtree(links, ignore_errors=True)  # what an earlier run of this slot linked is stale
    first: list[str] = []
    for name, folder in sorted(mapped.items()):
        place = root / folder
        if not name:
            first.append(str(place))
        elif name.isidentifier():  # a dotted name is found under its parent package's folder
            links.mkdir(parents=True, exist_ok=True)
            (links / name).symlink_to(place, target_is_directory=True)
    if links.is_dir():
        first.insert(0, str(links))
    existing = env.get("PYTHONPATH")
    return {**env, "PYTHONPATH": os.pathsep.join([*first, existing] if existing else first)}
