"""Hold the line for lint: a finding the base already had is not the change's to fix.

A finding on a line the change adds is the change's. Any other finding is compared with the file
as the base holds it (same code and message, counted): one the base has too is old; one it lacks
is new wherever it points (deleting ``import os`` makes ``os.sep`` on an untouched line wrong).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from hookwright.frozen import replace
from hookwright.git.repo import Repo
from hookwright.reporting import Finding

BaseFindings = Callable[[str, str], Sequence[Finding]]  # (path, its blob at the base) -> findings


@dataclass(frozen=True)
class Judged:
    new: tuple[Finding, ...]
    old: tuple[Finding, ...]  # present at the base too


def judge(
    findings: Sequence[Finding],
    on_added_line: Callable[[Finding], bool],
    blobs_now: Mapping[str, str | None],
    repo: Repo,
    base: str,
    base_findings: BaseFindings,
) -> Judged:
    """Split ``findings`` into the change's and the base's."""
    new: list[Finding] = []
    pending: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.path is None or finding.line is None or on_added_line(finding):
            new.append(finding)
        else:
            pending.setdefault(finding.path, []).append(finding)
    if not pending:
        return Judged(tuple(new), ())
    at_base = repo.tree_files(base)
    changed = {p: at_base[p] for p in pending if p in at_base and at_base[p] != blobs_now.get(p)}
    old: list[Finding] = []
    for path, found in pending.items():
        if path not in at_base:
            new.extend(found)  # a file the base does not have: everything in it is new
            continue
        if path not in changed:
            old.extend(found)  # the same bytes as at the base
            continue
        allowance = Counter((f.code, f.message) for f in base_findings(path, changed[path]))
        for finding in found:
            kind = (finding.code, finding.message)
            if allowance[kind] > 0:
                allowance[kind] -= 1
                old.append(finding)
            else:
                new.append(finding)
    return Judged(tuple(new), tuple(old))


def as_warning(finding: Finding) -> Finding:
    return replace(finding, severity="warning", message=f"{finding.message} (at the base too)")
