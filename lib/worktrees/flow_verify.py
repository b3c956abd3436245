"""``worktree verify``: check-aggregate-report in a temporary worktree, torn down whatever happens."""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright import reporting
from hookwright.errors import BadInput
from hookwright.git.repo import NULL_SHA, Repo
from hookwright.reporting import Report, StepResult
from hookwright.worktrees import isolated
from hookwright.worktrees import model as wt
from hookwright.worktrees.run import Run, user_path

if TYPE_CHECKING:
    from hookwright.checks import Check
    from hookwright.git.target import Target


def select_checks(run: Run, options: Mapping[str, Any], root: Path | None = None) -> list[Check]:
    # Imported here: the post-checkout hook never runs a check and should not pay for them.
    from hookwright.checks import aggregate

    only = options.get("only") or run.settings.get("checks") or ()
    return aggregate.select(run.cfg, only, options.get("skip", ()), root=root or run.repo.root)


def check_tree(
    run: Run, tree: Repo, mode: str, options: Mapping[str, Any], from_ref: str | None = None
) -> tuple[list[StepResult], reporting.Outcome, Target]:
    """The check-aggregate flow of verify_commit, run in ``tree``."""
    from hookwright.checks import aggregate

    selected = select_checks(run, options, tree.root)
    # The worktree was made for this run alone and holds exactly its index: read it in place.
    with aggregate.open_target(
        tree,
        all_files=mode == "all",
        from_ref=from_ref if mode == "range" else None,
        to_ref="HEAD" if mode == "range" else None,
        private_tree=mode != "range",
    ) as target:
        # (target.extra_env puts this tree's code first on the import path: an editable install
        # points at the user's work tree.)
        result = aggregate.check_aggregate(
            selected,
            target,
            run.cfg,
            state_dir=tree.state_dir,
            use_cache=bool(options.get("cache", True)),
            jobs=options.get("jobs"),
        )
    return list(result.steps), result.outcome, target


def op_verify(run: Run, options: Mapping[str, Any]) -> Report:
    started = time.monotonic()
    ref, from_ref = options.get("ref"), options.get("from_ref")
    staged_from: Repo | None = None
    if ref is None:
        source = run.repo
        if options.get("path"):
            found = wt.find(wt.list_worktrees(run.repo), user_path(options, options["path"]))
            source = wt.open_worktree(found.path)
        staged_from = source
    elif from_ref is not None and from_ref != NULL_SHA and run.repo.rev_parse(from_ref) is None:
        raise BadInput(f"unknown revision: {from_ref!r} (is it fetched?)")
    head = run.repo.resolve(ref) if ref is not None else (staged_from.head if staged_from else None)
    mode = "staged" if staged_from else ("range" if from_ref else "all")
    run.extra["target"] = {"source": "staged" if staged_from else "ref", "ref": ref, "mode": mode}
    run.extra["target"]["head"] = head
    run.step("validate", "passed", started)
    if run.dry_run:
        return run.report("passed")
    started = time.monotonic()
    with isolated.isolated(run.repo, ref=ref, staged_from=staged_from) as tree:
        run.extra["isolated_path"] = str(tree.root)
        run.step("isolate", "passed", started)
        try:
            with isolated.deadline(options.get("timeout")):
                steps, _, target = check_tree(run, tree, mode, options, from_ref)
            run.steps.extend(steps)
            run.extra["target"].update(tree=target.tree, files=len(target.files))
        except isolated.Timeout as exc:
            run.step("timeout", "error", started, reason=str(exc))
    started = time.monotonic()
    gone = not any(wt.same_path(p.path, tree.root) for p in wt.list_worktrees(run.repo))
    gone = gone and not tree.root.exists()
    run.step("teardown", "passed" if gone else "error", started, reason="" if gone else str(tree.root))
    run.extra["decision"] = {"fail_on": list(run.cfg.fail_on), "failed_steps": run.failing()}
    return run.report()
