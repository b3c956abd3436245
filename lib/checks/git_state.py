"""git_state: what about the repository itself would make this commit a mistake."""

from __future__ import annotations

import math
import re
import time

from hookwright.checks.base import Check, CheckContext
from hookwright.filetypes import GITLINK_MODE, SYMLINK_MODE
from hookwright.git import symlinks
from hookwright.git.parsing import Change
from hookwright.reporting import Finding, StepResult
from hookwright.user_regex import compile_pattern

# Every marker pre-commit-hooks' detect-private-key knows, as a substring anywhere (so a PEM header
# with its dashes cut off still counts), widened as gitleaks' private-key rule is to any PEM label
# ending in PRIVATE KEY; then the formats without such a header: PuTTY's v2 and v3 key files,
# OpenVPN static keys and age secret keys. Brackets keep these lines from matching themselves.
_PRIVATE_KEY = re.compile(
    rb"BEGIN[ A-Z0-9_-]{0,100}PRIVATE KEY"
    rb"|PuTTY-User-Key-File-[23]"
    rb"|BEGIN OpenVPN Static key V[1]"
    rb"|AGE-SECRET-KEY-1[QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L]{58}"
)


class GitStateCheck(Check):
    kind = "git_state"
    default_types = ()  # links are entries too: pre-commit's default [file] would leave them out

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
        if target.mode != "range" and self._protected(target.branch):
            findings.append(
                Finding(
                    None,
                    None,
                    None,
                    "protected-branch",
                    f"committing directly to protected branch {target.branch!r}",
                )
            )
        findings.extend(self._large_files(ctx))
        if self.options.get("case_conflicts", True):
            findings.extend(self._case_conflicts(ctx))
        if self.options.get("symlinks", True):
            findings.extend(self._symlinks(ctx))
        if self.options.get("private_keys", True):
            findings.extend(self._private_keys(ctx))
        return self.result(findings, started=started, files=len(target.files))

    def _protected(self, branch: str | None) -> bool:
        if branch is None:  # a detached HEAD is on no branch
            return False
        if branch in self.options.get("protected_branches", ()):
            return True
        # match, as no-commit-to-branch's --pattern: anchored at the start of the name only. RE2: the
        # pattern is the user's (hookwright.user_regex).
        patterns = self.options.get("protected_patterns", ())
        return any(compile_pattern(p, f"{self.name}: protected_patterns").match(branch) for p in patterns)

    def _new_weight(self, ctx: CheckContext) -> list[Change]:
        """Files this change adds, as check-added-large-files counts them: a rename is not an addition,
        and neither is a copy of a file the base already holds (the same blob is no new weight). A link
        or submodule turned into a file is one (that hook misses it: `git diff --diff-filter=A`)."""
        target = ctx.target
        changed = {c.path for c in target.changes}
        existing = {e.blob for p, e in target.entries.items() if p not in changed}
        existing.update(c.old_blob for c in target.changes if c.status in "MDRT")
        files = [
            c for c in target.changes if c.status != "D" and c.new_mode not in (SYMLINK_MODE, GITLINK_MODE)
        ]
        wanted = set(self.wanted(target, [c.path for c in files]))
        added = []
        for change in files:
            if change.path not in wanted:
                continue
            into_file = change.status == "T" and change.old_mode in (SYMLINK_MODE, GITLINK_MODE)
            if (change.status == "A" and change.new_blob not in existing) or into_file:
                added.append(change)
        return added

    def _large_files(self, ctx: CheckContext) -> list[Finding]:
        limit_kb = int(self.options.get("max_file_kb", 500))
        added = self._new_weight(ctx)
        sizes = ctx.target.repo.blob_sizes(c.new_blob for c in added) if added else {}
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
                        f"{math.ceil(size / 1024)} KB added (limit {limit_kb} KB)",
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
        links = {p for p, e in target.entries.items() if e.mode == SYMLINK_MODE}
        if not links:
            return []
        if target.mode == "all":
            judged = set(links)
        else:
            judged = {c.path for c in target.changes if c.status != "D" and c.new_mode == SYMLINK_MODE}
        # A link this change does not touch still breaks when the change removes what it leads to.
        removed = {c.path for c in target.changes if c.status == "D"}
        removed |= {c.old_path for c in target.changes if c.status == "R" and c.old_path}
        untouched = links - judged if removed else set()
        judged = {p for p in judged | untouched if self.wants(target, p)}
        if not judged:
            return []
        blobs = {p: target.entries[p].blob for p in links}
        contents = target.repo.read_blobs(set(blobs.values()))
        texts = {p: contents.get(b, b"").decode("utf-8", "surrogateescape") for p, b in blobs.items()}
        findings = []
        for problem in symlinks.broken(sorted(judged), target.entries, texts):
            if problem.link in untouched and not _removed_here(problem.missing, removed):
                continue  # broken before this change: not this change's doing
            findings.append(Finding(problem.link, None, None, "broken-symlink", problem.message))
        return findings

    def _private_keys(self, ctx: CheckContext) -> list[Finding]:
        findings = []
        target = ctx.target
        paths = [p for p in self.wanted(target, target.files) if target.adds_to(p)]
        target.ensure(paths)
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


def _removed_here(missing: str | None, removed: set[str]) -> bool:
    """The path a link misses is one this change removed, or a folder it emptied."""
    if missing is None:
        return False
    return missing in removed or any(r.startswith(missing + "/") for r in removed)
