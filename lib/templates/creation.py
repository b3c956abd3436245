"""The core the creation patterns share: render items and check every output before anything is written.

atomic_create, batch_create and module_creation differ in what they render and what they verify
after writing; the checks before writing (paths, syntax, leftover markers, ruff's F rules) are this
code; showing the result (plan, diff) is creation_preview, writing it (one FileTransaction) creation_write.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from hookwright import file_syntax, parallel, reporting, ruff, safe_paths, strict_yaml
from hookwright.errors import BadInput, InputProblems, PathEscape
from hookwright.git.repo import Repo
from hookwright.reporting import Finding, StepResult
from hookwright.templates import pack_registry, placeholders
from hookwright.templates import render as templates

Action = Literal["create", "overwrite", "modify", "unchanged"]
RUFF_SELECT = ("F",)  # pyflakes: undefined names, unused imports, redefinitions


@dataclass(frozen=True)
class Output:
    """One file about to be written."""

    path: str
    data: bytes
    source: str  # "pack/file.j2", "given content", "package wiring"
    scan: bool = True  # look for leftover template markers (not in copied files or braces packs)
    may_modify: bool = False  # an existing file is expected here (package wiring): no --force needed
    label: str = ""  # the item that made it ("items[3] crud")
    mode: int | None = None  # permission bits; None: a new file gets 0o666 & ~umask, an old one keeps its own
    kind: str | None = None  # python | yaml | toml | json when the file name does not say

    @property
    def file_type(self) -> str | None:
        return file_syntax.file_type(self.path) or self.kind

    @classmethod
    def from_rendered(cls, rendered: templates.Rendered) -> Output:
        scan = rendered.rendered and not rendered.braces
        return cls(
            rendered.path, rendered.data, rendered.source, scan, label=rendered.label, kind=rendered.kind
        )

    @property
    def origin(self) -> str:
        return f"{self.label} ({self.source})" if self.label else self.source


@dataclass(frozen=True)
class Item:
    """One pack to render: its variables and the folder its output paths are relative to."""

    label: str
    template: str
    variables: Mapping[str, Any] = field(default_factory=dict)
    target: str = "."


def timed(name: str, run: Callable[[], list[Finding]], *, files: int = 0) -> StepResult:
    start = time.monotonic()
    found = [_with_step(f, name) for f in run()]
    status: reporting.Status = "failed" if any(f.severity == "error" for f in found) else "passed"
    return StepResult(name, status, time.monotonic() - start, tuple(found), files=files)


def _with_step(finding: Finding, step: str) -> Finding:
    from dataclasses import replace

    return replace(finding, step=step)


# -- packs and variables ----------------------------------------------------------------------------


def registry(repo: Repo, extra: Iterable[str] = (), config_file: str | None = None) -> pack_registry.Registry:
    return pack_registry.registry(repo.root, extra, pack_registry.configured_dirs(repo.root, config_file))


def plan_items(reg: pack_registry.Registry, items: Sequence[Item]) -> list[templates.Planned]:
    """Check every item's variables and output paths; InputProblems lists every problem at once."""
    problems: list[str] = []
    prepared = []
    for item in items:
        pack = reg.get(item.template)
        context, found = templates.prepare(pack, item.variables, item.label)
        problems.extend(found)
        if not found:
            prepared.append((item, pack, context))
    if problems:
        raise InputProblems(problems)
    planned: list[templates.Planned] = []
    for item, pack, context in prepared:
        paths, found = templates.plan_paths(pack, context, item.target, item.label)
        problems.extend(found)
        planned.extend(paths)
    if problems:
        raise InputProblems(problems)
    return planned


def safe_target(target: str) -> str:
    """An item's base folder: inside the repository or refused."""
    if target in ("", "."):
        return "."
    return safe_paths.safe_relpath(target)


# -- checks before writing --------------------------------------------------------------------------


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
        tuple(_with_step(f, "paths") for f in found),
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


def _strict_yaml(path: str, data: bytes) -> list[Finding]:
    try:
        strict_yaml.loads(data, path, require_mapping=False)
    except strict_yaml.LoadError as exc:
        return [Finding(path, exc.line, exc.column, "strict-yaml", exc.detail)]
    except BadInput as exc:
        return [Finding(path, None, None, "strict-yaml", str(exc))]
    return []


def syntax(outputs: Sequence[Output]) -> list[Finding]:
    found = []
    for output in outputs:
        kind = output.file_type
        problems = file_syntax.SYNTAX_VALIDATORS[kind](output.path, output.data) if kind else []
        if not problems and kind == "yaml":
            problems = _strict_yaml(output.path, output.data)  # what our own loader will accept
        found.extend(problems)
    return found


def leftovers(outputs: Sequence[Output]) -> list[Finding]:
    found = []
    for output in outputs:
        if output.scan:
            python = output.file_type == "python"
            found.extend(placeholders.scan(output.path, output.data, python=python))
    return found


def ruff_f(outputs: Sequence[Output], select: Sequence[str] = RUFF_SELECT) -> StepResult:
    """ruff's F rules (or ``select``) over every Python output, in ONE process, on a scratch copy.

    ruff reads files, and ``--stdin-filename`` takes one file per process: 1,000 outputs would be
    1,000 processes. Writing them to a scratch folder at their own relative paths costs a few ms and
    keeps paths and line numbers exact. ``--isolated``: generated code stands on its own, whatever
    the repository's ruff config excludes or ignores.
    """
    python = [o for o in outputs if o.path.endswith(ruff.PYTHON_SUFFIXES)]
    start = time.monotonic()
    if not python:
        return StepResult("ruff", "skipped", 0.0, reason="no Python files")
    with tempfile.TemporaryDirectory(prefix="hookwright-create-", dir=_scratch_parent()) as scratch:
        base = Path(scratch)
        made: set[Path] = set()
        for output in python:
            target = base / output.path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(output.data)
        try:
            by_path = ruff.check(
                base,
                [o.path for o in python],
                select=select,
                extra=["--isolated"],
                respect_excludes=False,
            )
        except ruff.RuffFailed as exc:
            return StepResult("ruff", "error", time.monotonic() - start, reason=str(exc), files=len(python))
    found = [
        _with_step(f, "ruff") for path in sorted(by_path) for f in by_path[path] if f.code != ruff.SYNTAX_CODE
    ]
    status: reporting.Status = "failed" if found else "passed"
    return StepResult("ruff", status, time.monotonic() - start, tuple(found), files=len(python))


def _scratch_parent() -> str | None:
    # The scratch copy never needs to survive: in memory (tmpfs) creating 1,000 files takes ~15 ms,
    # on a VM's disk 100-700 ms.
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def validate(
    root: Path, outputs: Sequence[Output], force: bool, lint: Sequence[str] = ()
) -> tuple[list[StepResult], dict[str, Action]]:
    """Every check; ruff (a process) runs while Python checks syntax and markers in this one.

    ``lint``: ruff rules to check on top of F (``["E9", "B"]``), for teams that want more.
    """
    paths_step, actions = check_paths(root, outputs, force)
    in_process = lambda: [  # noqa: E731
        timed("syntax", lambda: syntax(outputs), files=len(outputs)),
        timed("placeholders", lambda: leftovers(outputs), files=sum(o.scan for o in outputs)),
    ]
    select = list(dict.fromkeys([*RUFF_SELECT, *lint]))
    external = lambda: [ruff_f(outputs, select)]  # noqa: E731
    results = parallel.run_many([external, in_process], jobs=2)
    return [paths_step, *results[1], *results[0]], actions


# -- reports ----------------------------------------------------------------------------------------


def failed(steps: Sequence[StepResult]) -> bool:
    return reporting.decide(steps) != "passed"
