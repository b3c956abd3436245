"""``worktree create``: validated first, then added, set up and verified, or rolled back."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright import interrupts, parallel
from hookwright.errors import BadInput
from hookwright.git.repo import Repo, no_git_env
from hookwright.reporting import Report
from hookwright.worktrees import create
from hookwright.worktrees import model as wt
from hookwright.worktrees.flow_verify import check_tree, select_checks
from hookwright.worktrees.run import Run, user_path

SETUP_TIMEOUT = 600.0


def _default_path(repo: Repo, branch: str) -> Path:
    main = wt.list_worktrees(repo)[0]
    root = repo.root if main.bare else main.path
    return root.parent / f"{root.name}-{branch.replace('/', '-')}"


def op_create(run: Run, options: Mapping[str, Any]) -> Report:
    started = time.monotonic()
    branch = options["branch"]
    path = user_path(options, options["path"]) if options.get("path") else _default_path(run.repo, branch)
    plan = create.plan_create(run.repo, branch, path, options.get("base"))
    if options.get("verify", True):
        select_checks(run, options)  # a config mistake is bad input before anything is made
    run.extra["worktree"] = {
        "path": str(plan.path),
        "branch": plan.branch,
        "base": plan.base,
        "head": plan.base_sha,
        "branch_created": plan.new_branch,
    }
    run.extra["rolled_back"] = False
    run.step("validate", "passed", started)
    if run.dry_run:
        return run.report("passed")
    top = create.first_missing_ancestor(plan.path)
    try:
        with interrupts.armed():
            _create_steps(run, plan, options)
    except BaseException:
        run.extra["rolled_back"] = True
        run.extra["left_behind"] = create.rollback_create(run.repo, plan, top)
        raise
    if run.report().outcome != "passed":
        started = time.monotonic()
        left = create.rollback_create(run.repo, plan, top)
        run.extra["rolled_back"], run.extra["left_behind"] = True, left
        run.step("rollback", "error" if left else "passed", started, reason=", ".join(left))
    return run.report()


def _create_steps(run: Run, plan: create.CreatePlan, options: Mapping[str, Any]) -> None:
    started = time.monotonic()
    try:
        create.add_worktree(run.repo, plan)
    except BadInput as exc:
        run.step("add", "error", started, reason=str(exc))
        return
    run.step("add", "passed", started)
    for argv in run.settings.get("setup", []):
        started = time.monotonic()
        result = parallel.run(argv, cwd=plan.path, env=no_git_env(), timeout=SETUP_TIMEOUT)
        if not result.ok:
            last = (result.err.strip() or result.out.strip() or f"exit {result.returncode}").splitlines()[-1]
            why = "timed out" if result.timed_out else last
            run.step(f"setup: {' '.join(argv)}", "failed", started, reason=why)
            return
        run.step(f"setup: {' '.join(argv)}", "passed", started)
    if options.get("verify", True):
        steps, outcome, _ = check_tree(run, wt.open_worktree(plan.path), "all", options)
        run.steps.extend(steps)
        run.extra["worktree"]["verified"] = outcome == "passed"
