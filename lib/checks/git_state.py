"""git_state: what about the repository itself would make this commit a mistake."""

from __future__ import annotations

import posixpath
import re
import time

from hookwright.checks.base import Check, CheckContext
from hookwright.git import Change
from hookwright.reporting import Finding, StepResult

_SYMLINK = "120000"
_PRIVATE_KEY = re.compile(
    rb"-----BEGIN (?:RSA |DSA |EC |OPENSSH |PGP |ENCRYPTED |SSH2 ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"
    rb"|PuTTY-User-Key-File-[2]"  # the brackets keep this very line from matching itself
)


class GitStateCheck(Check):
    kind = "git_state"

    def run(self, ctx: CheckContext) -> StepResult:
        started = time.monotonic()
        target = ctx.target
        findings: list[Finding] = []
        for path in target.unmerged:
            findings.append(
                Finding(
                    path,
                    None,
                    None,
                    "unmerged",
                    "unmerged path: resolve the conflict and `git add` it",
                )
            )
        for operation in target.repo.in_progress():
            findings.append(
                Finding(
                    None,
                    None,
                    None,
                    f"{operation}-in-progress",
                    f"a {operation} is in progress",
                    "warning",
                )
            )
        protected = set(self.options.get("protected_branches", ()))
        if target.mode != "range" and target.branch in protected:
            findings.append(
                Finding(
                    None,
                    None,
                    None,
                    "protected-branch",
                    f"committing directly to protected branch {target.branch!r}",
                )
            )
        added = [c for c in target.changes if c.status in "ACRT" and self.wants(c.path)]
        findings.extend(self._large_files(ctx, added))
        if self.options.get("case_conflicts", True):
            findings.extend(self._case_conflicts(ctx))
        if self.options.get("symlinks", True):
            findings.extend(self._symlinks(ctx))
        if self.options.get("private_keys", True):
            findings.extend(self._private_keys(ctx))
        return self.result(findings, started=started, files=len(target.files))

    def _large_files(self, ctx: CheckContext, added: list[Change]) -> list[Finding]:
        limit_kb = int(self.options.get("max_file_kb", 500))
        blobs = [c.new_blob for c in added if c.new_mode not in (_SYMLINK, "160000")]
        sizes = ctx.target.repo.blob_sizes(blobs)
        findings = []
        for change in added:
            size = sizes.get(change.new_blob, 0)
            if size > limit_kb * 1024:
                findings.append(
                    Finding(
                        change.path,
                        None,
                        None,
                        "large-file",
                        f"{size // 1024} KB added (limit {limit_kb} KB)",
                    )
                )
        return findings

    def _case_conflicts(self, ctx: CheckContext) -> list[Finding]:
        changed = {c.path for c in ctx.target.changes if c.status != "D"}
        if not changed:
            return []
        by_lower: dict[str, set[str]] = {}
        for path in ctx.target.entries:
            # Directories collide too: `Docs/a` and `docs/b` cannot both exist on macOS or Windows.
            parts = path.split("/")
            for depth in range(1, len(parts) + 1):
                prefix = "/".join(parts[:depth])
                by_lower.setdefault(prefix.lower(), set()).add(prefix)
        findings = []
        for path in sorted(changed):
            parts = path.split("/")
            for depth in range(1, len(parts) + 1):
                names = by_lower.get("/".join(parts[:depth]).lower(), set())
                if len(names) > 1:
                    others = ", ".join(sorted(names - {"/".join(parts[:depth])}))
                    findings.append(
                        Finding(path, None, None, "case-conflict", f"differs only in case from {others}")
                    )
                    break
        return findings

    def _symlinks(self, ctx: CheckContext) -> list[Finding]:
        target = ctx.target
        links = [c for c in target.changes if c.status != "D" and c.new_mode == _SYMLINK]
        if not links:
            return []
        contents = target.repo.read_blobs(c.new_blob for c in links)
        directories = {posixpath.dirname(p) for p in target.entries}
        every_dir = set()
        for directory in directories:
            current = directory
            while current:
                every_dir.add(current)
                current = posixpath.dirname(current)
        findings = []
        for change in links:
            link = contents.get(change.new_blob, b"").decode("utf-8", "replace")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(change.path), link))
            if link.startswith("/") or resolved.startswith("../") or resolved == "..":
                findings.append(
                    Finding(
                        change.path,
                        None,
                        None,
                        "symlink-outside",
                        f"symlink points outside the repository: {link}",
                        "warning",
                    )
                )
            elif resolved not in target.entries and resolved not in every_dir:
                findings.append(
                    Finding(
                        change.path,
                        None,
                        None,
                        "broken-symlink",
                        f"symlink target does not exist: {link}",
                    )
                )
        return findings

    def _private_keys(self, ctx: CheckContext) -> list[Finding]:
        findings = []
        paths = [p for p in ctx.target.files if ctx.target.adds_to(p)]
        ctx.target.ensure(paths)
        for path in paths:
            try:
                data = ctx.target.read(path)
            except OSError:
                continue
            match = _PRIVATE_KEY.search(data)
            if match:
                line = data.count(b"\n", 0, match.start()) + 1
                findings.append(Finding(path, line, 1, "private-key", "private key committed"))
        return findings
