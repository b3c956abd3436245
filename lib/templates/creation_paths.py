"""Where a creation writes, checked first: twice the same path, case twins, existing files, escapes."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path

from hookwright import safe_paths
from hookwright.errors import PathEscape
from hookwright.reporting import Finding, StepResult
from hookwright.templates.creation import Action, Output, with_step


def check_paths(root: Path, outputs: Sequence[Output], force: bool) -> tuple[StepResult, dict[str, Action]]:
    """Same path twice, paths that differ only in case, existing targets, paths leaving the tree."""
    start = time.monotonic()
    found: list[Finding] = []
    actions: dict[str, Action] = {}
    seen: dict[str, str] = {}  # path -> what writes it
    folded: dict[str, str] = {}
    listings: dict[Path, dict[str, str]] = {}
    folders: dict[str, Path] = {}
    for output in outputs:
        path = output.path
        if path in seen:
            message = f"written twice: by {seen[path]} and by {output.origin}"
            found.append(Finding(path, None, None, "duplicate-path", message))
            continue
        seen[path] = output.origin
        other = folded.setdefault(path.casefold(), path)
        if other != path:
            message = f"differs from {other} only in case; they are one file on macOS and Windows"
            found.append(Finding(path, None, None, "case-collision", message))
        try:
            target = _resolve(root, path, folders)
        except PathEscape as exc:
            found.append(Finding(path, None, None, "path-escape", str(exc)))
            continue
        action = _existing(target, output, force, found, listings)
        if action is not None:
            actions[path] = action
    step = StepResult(
        "paths",
        "failed" if found else "passed",
        time.monotonic() - start,
        tuple(with_step(f, "paths") for f in found),
        files=len(outputs),
    )
    return step, actions


def _resolve(root: Path, path: str, folders: dict[str, Path]) -> Path:
    """resolve_inside, with each folder checked once (a batch writes many files per folder)."""
    folder, _, name = safe_paths.safe_relpath(path).rpartition("/")
    if folder not in folders:
        folders[folder] = safe_paths.resolve_inside(root, folder) if folder else root.resolve()
    target = folders[folder] / name
    if target.is_symlink():
        raise PathEscape(f"{path}: is a symlink; refused")
    return target


def _existing(
    target: Path, output: Output, force: bool, found: list[Finding], listings: dict[Path, dict[str, str]]
) -> Action | None:
    path = output.path
    if target.is_dir():
        found.append(Finding(path, None, None, "target-exists", "is a folder"))
        return None
    if not target.exists():
        parent = target.parent
        if parent not in listings:
            names = [p.name for p in parent.iterdir()] if parent.is_dir() else []
            listings[parent] = {name.casefold(): name for name in names}
        twin = listings[parent].get(target.name.casefold())
        if twin is not None and twin != target.name:
            message = f"an existing file {twin} differs only in case; on macOS and Windows it is this file"
            found.append(Finding(path, None, None, "case-collision", message))
            return None
        return "create"
    if target.read_bytes() == output.data:
        return "unchanged"
    if output.may_modify:
        return "modify"
    if force:
        return "overwrite"
    found.append(Finding(path, None, None, "target-exists", "already exists; pass --force to overwrite it"))
    return None
