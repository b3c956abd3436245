"""A project of a few files on disk, indexed as self_heal indexes one, and one import added to a file
of it: what the tests of the project-aware import fixer share."""

from __future__ import annotations

from pathlib import Path

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import
from hookwright.heal.project_names import ProjectIndex


def project(root: Path, files: dict[str, str]) -> ProjectIndex:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return ProjectIndex.from_directory(root)


def add(text: str, path: str, name: str, index: ProjectIndex) -> str | None:
    """``text`` (the file at ``path``) with an import of the undefined ``name``, or None: declined."""
    ctx = FixContext(path, None, None, "NameError", "", {"name": name}, {"source": "project"}, index)
    return add_import(text, ctx)
