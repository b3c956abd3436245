"""The worktree operations by name: inspect and the hook here, create, verify, remove and prune in
their own modules; each a Run that records its steps so that a Ctrl-C still leaves a record."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Mapping
from typing import Any

from hookwright.frozen import replace
from hookwright.reporting import Report
from hookwright.worktrees import model as wt
from hookwright.worktrees import policy
from hookwright.worktrees.flow_create import op_create
from hookwright.worktrees.flow_remove import op_prune, op_remove
from hookwright.worktrees.flow_verify import op_verify
from hookwright.worktrees.run import Run, healths, user_path


def op_inspect(run: Run, options: Mapping[str, Any]) -> Report:
    started, now = time.monotonic(), time.time()
    listed = wt.list_worktrees(run.repo)
    if options.get("paths"):
        listed = [wt.find(listed, user_path(options, p)) for p in options["paths"]]
    items, _ = healths(run, listed)
    findings = policy.warnings(items, float(run.settings["stale_days"]), now)
    run.step("inspect", "passed", started, files=len(items))
    run.extra["worktrees"] = [i.to_dict(now) for i in items]
    return run.report("passed", findings)


# -- the pre-commit hook: post-checkout warns, pre-push may verify --------------------------------------


def op_hook(run: Run, options: Mapping[str, Any]) -> Report:
    env = os.environ
    stage = options.get("stage") or ("pre-push" if env.get("PRE_COMMIT_REMOTE_NAME") else "post-checkout")
    run.extra["stage"] = stage
    report = op_inspect(run, {})
    # pre-commit gives no refs when the push holds the root commit: then the whole branch is verified.
    to_ref = env.get("PRE_COMMIT_TO_REF") or env.get("PRE_COMMIT_LOCAL_BRANCH")
    if stage != "pre-push" or not run.settings.get("block_push_on_failure") or not to_ref:
        return report
    if set(to_ref) == {"0"}:
        return report  # deleting a remote branch: nothing to verify
    from_ref = env.get("PRE_COMMIT_FROM_REF") if env.get("PRE_COMMIT_TO_REF") else None
    if from_ref and run.repo.rev_parse(from_ref) is None:
        from_ref = None  # the remote's commit is not here: verify the whole tree pushed
    verified = op_verify(run, {**options, "ref": to_ref, "from_ref": from_ref})
    return replace(verified, findings=report.findings)


OPERATIONS: dict[str, Callable[[Run, Mapping[str, Any]], Report]] = {
    "create": op_create,
    "verify": op_verify,
    "list": op_inspect,
    "status": op_inspect,
    "remove": op_remove,
    "prune": op_prune,
    "hook": op_hook,
}
