"""``worktree remove`` and ``worktree prune``: nothing that holds work goes, unless forced."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright import reporting
from hookwright.errors import BadInput
from hookwright.reporting import Finding, Report
from hookwright.worktrees import isolated, policy, remove, state
from hookwright.worktrees import model as wt
from hookwright.worktrees.run import Run, healths, user_path


def op_remove(run: Run, options: Mapping[str, Any]) -> Report:
    started = time.monotonic()
    force = bool(options.get("force"))
    target = wt.find(wt.list_worktrees(run.repo), user_path(options, options["path"]))
    (item,), _ = healths(run, [target])
    blocker = policy.removal_blocker(item, Path.cwd())
    if blocker:
        raise BadInput(blocker)
    action = {"path": str(target.path), "branch": target.branch, "action": "removed", "reason": ""}
    run.extra["actions"] = [action]
    reasons = item.unsafe_reasons()
    if reasons and not force:
        action.update(action="refused", reason="; ".join(reasons))
        message = f"refused: it has {', '.join(reasons)}; commit or push them, or pass --force"
        run.step("safety", "failed", started, reason=message)
        return run.report("failed", [Finding(str(target.path), None, None, "unsafe", message, "error")])
    run.step("safety", "passed" if not reasons else "warning", started, reason="; ".join(reasons))
    if run.dry_run:
        action["action"] = "would-remove"
        return run.report("passed")
    _remove_and_verify(run, item, force=force)
    return run.report()


def _remove_and_verify(run: Run, item: state.Health, *, force: bool) -> bool:
    started = time.monotonic()
    try:
        remove.remove(run.repo, item.worktree, force=force)
    except BadInput as exc:
        run.step(f"remove {item.worktree.path}", "error", started, reason=str(exc))
        return False
    gone = not any(wt.same_path(w.path, item.worktree.path) for w in wt.list_worktrees(run.repo))
    status: reporting.Status = "passed" if gone and not item.worktree.path.exists() else "error"
    run.step(f"remove {item.worktree.path}", status, started)
    return status == "passed"


def op_prune(run: Run, options: Mapping[str, Any]) -> Report:
    started, now = time.monotonic(), time.time()
    swept = [] if run.dry_run else isolated.sweep_abandoned(run.repo)
    items, default = healths(run)
    actions: list[dict[str, Any]] = [
        {"path": str(p), "branch": None, "action": "swept", "reason": "abandoned verification worktree"}
        for p in swept
    ]
    run.extra["actions"] = actions
    run.step("inspect", "passed", started, files=len(items))
    findings = []
    for item in items:
        w = item.worktree
        older = options.get("older_than_days")
        reason = policy.prune_reason(item, merged=bool(options.get("merged")), older_than_days=older, now=now)
        if reason is None:
            continue
        action = {"path": str(w.path), "branch": w.branch, "action": "removed", "reason": reason}
        actions.append(action)
        why_not = policy.removal_blocker(item, Path.cwd()) or "; ".join(item.unsafe_reasons())
        if why_not:
            action.update(action="skipped", reason=why_not)
            findings.append(Finding(str(w.path), None, None, "kept", why_not, "warning", "prune"))
            continue
        if run.dry_run:
            action["action"] = "would-remove"
        elif not _remove_and_verify(run, item, force=False):
            action.update(action="failed", reason=run.steps[-1].reason)
            continue
        if options.get("delete_branches") and w.branch and w.head and item.merged and w.branch != default:
            if run.dry_run:
                actions.append({**action, "action": "would-delete-branch", "reason": "merged"})
            elif remove.delete_merged_branch(run.repo, w.branch, w.head):
                actions.append({**action, "action": "branch-deleted", "reason": "merged"})
    return run.report(None, findings)
