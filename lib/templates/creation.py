"""The core the creation patterns share: the outputs and items, and planning items from their packs.

atomic_create, batch_create and module_creation differ in what they render and what they verify
after writing. The checks before writing are creation_paths (where) and creation_checks (syntax,
leftover markers, ruff's F rules); showing the result is creation_preview, writing it creation_write.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from hookwright import file_syntax, reporting, safe_paths
from hookwright.errors import InputProblems
from hookwright.git.repo import Repo
from hookwright.reporting import Finding, StepResult
from hookwright.templates import pack_registry
from hookwright.templates import render as templates

Action = Literal["create", "overwrite", "modify", "unchanged"]


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
    found = [with_step(f, name) for f in run()]
    status: reporting.Status = "failed" if any(f.severity == "error" for f in found) else "passed"
    return StepResult(name, status, time.monotonic() - start, tuple(found), files=files)


def with_step(finding: Finding, step: str) -> Finding:
    from hookwright.frozen import replace

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


# -- reports ----------------------------------------------------------------------------------------


def failed(steps: Sequence[StepResult]) -> bool:
    return reporting.decide(steps) != "passed"
