"""The worktree operations: create, verify, inspect, remove, prune and the hook, each a Run that
records its steps so that a Ctrl-C still leaves a record of what was done."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright import config, interrupts, parallel, reporting
from hookwright.errors import BadInput
from hookwright.git.repo import NULL_SHA, Repo, no_git_env
from hookwright.reporting import Finding, Report, StepResult
from hookwright.worktrees import create, isolated, remove
from hookwright.worktrees import model as wt

if TYPE_CHECKING:
    import datetime as dt

    from hookwright.checks import Check
    from hookwright.git.target import Target

PATTERN = "worktree_lifecycle"
SETUP_TIMEOUT = 600.0


@dataclass
class Run:
    """One operation in progress: what it has done so far survives a Ctrl-C into the record."""

    repo: Repo
    cfg: config.Config
    operation: str
    dry_run: bool = False
    instance_id: str | None = None
    started_at: dt.datetime = field(default_factory=reporting.utc_now)
    start: float = field(default_factory=time.monotonic)
    steps: list[StepResult] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def settings(self) -> Mapping[str, Any]:
        return self.cfg.section("worktree")

    def step(self, name: str, status: reporting.Status, started: float, **kwargs: Any) -> StepResult:
        result = StepResult(name, status, time.monotonic() - started, **kwargs)
        self.steps.append(result)
        return result

    def failing(self) -> list[str]:
        # The config's fail_on decides for checks; a failed or broken lifecycle step always fails.
        policy = {"failed", "error", *self.cfg.fail_on}
        return [s.name for s in self.steps if s.status in policy]

    def report(self, outcome: reporting.Outcome | None = None, findings: Sequence[Finding] = ()) -> Report:
        failing = bool(self.failing())
        return Report(
            pattern=PATTERN,
            run_id=reporting.new_run_id(PATTERN, self.started_at),
            started_at=self.started_at,
            duration=time.monotonic() - self.start,
            outcome=outcome or ("failed" if failing else "passed"),
            steps=tuple(self.steps),
            findings=tuple(findings),
            instance_id=self.instance_id,
            extra={"operation": self.operation, "dry_run": self.dry_run, **self.extra},
        )


# -- health: list, status, and the hook's warnings -----------------------------------------------------


def _healths(run: Run, worktrees: Sequence[wt.Worktree] | None = None) -> tuple[list[wt.Health], str | None]:
    listed = wt.list_worktrees(run.repo) if worktrees is None else list(worktrees)
    default = wt.default_branch(run.repo, run.settings.get("default_branch"))
    run.extra["default_branch"] = default
    return wt.health(run.repo, listed, default), default


def op_inspect(run: Run, options: Mapping[str, Any]) -> Report:
    started, now = time.monotonic(), time.time()
    listed = wt.list_worktrees(run.repo)
    if options.get("paths"):
        listed = [wt.find(listed, _path(options, p)) for p in options["paths"]]
    items, _ = _healths(run, listed)
    findings = wt.warnings(items, float(run.settings["stale_days"]), now)
    run.step("inspect", "passed", started, files=len(items))
    run.extra["worktrees"] = [i.to_dict(now) for i in items]
    return run.report("passed", findings)


# -- create -------------------------------------------------------------------------------------------


def _path(options: Mapping[str, Any], value: str) -> Path:
    """A path as the user gave it: relative to where they ran the command (or to the instance's root)."""
    return Path(options.get("_base_dir") or ".") / value


def _default_path(repo: Repo, branch: str) -> Path:
    main = wt.list_worktrees(repo)[0]
    root = repo.root if main.bare else main.path
    return root.parent / f"{root.name}-{branch.replace('/', '-')}"


def op_create(run: Run, options: Mapping[str, Any]) -> Report:
    started = time.monotonic()
    branch = options["branch"]
    path = _path(options, options["path"]) if options.get("path") else _default_path(run.repo, branch)
    plan = create.plan_create(run.repo, branch, path, options.get("base"))
    if options.get("verify", True):
        _select_checks(run, options)  # a config mistake is bad input before anything is made
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


# -- verify: check-aggregate-report in a temporary worktree -------------------------------------------


def _select_checks(run: Run, options: Mapping[str, Any], root: Path | None = None) -> list[Check]:
    # Imported here: the post-checkout hook never runs a check and should not pay for them.
    from hookwright.checks import aggregate

    only = options.get("only") or run.settings.get("checks") or ()
    return aggregate.select(run.cfg, only, options.get("skip", ()), root=root or run.repo.root)


def check_tree(
    run: Run, tree: Repo, mode: str, options: Mapping[str, Any], from_ref: str | None = None
) -> tuple[list[StepResult], reporting.Outcome, Target]:
    """The check-aggregate flow of verify_commit, run in ``tree``."""
    from hookwright.checks import aggregate

    selected = _select_checks(run, options, tree.root)
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
            found = wt.find(wt.list_worktrees(run.repo), _path(options, options["path"]))
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


# -- remove and prune ---------------------------------------------------------------------------------


def op_remove(run: Run, options: Mapping[str, Any]) -> Report:
    started = time.monotonic()
    force = bool(options.get("force"))
    target = wt.find(wt.list_worktrees(run.repo), _path(options, options["path"]))
    (item,), _ = _healths(run, [target])
    blocker = wt.removal_blocker(item, Path.cwd())
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


def _remove_and_verify(run: Run, item: wt.Health, *, force: bool) -> bool:
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
    items, default = _healths(run)
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
        reason = wt.prune_reason(item, merged=bool(options.get("merged")), older_than_days=older, now=now)
        if reason is None:
            continue
        action = {"path": str(w.path), "branch": w.branch, "action": "removed", "reason": reason}
        actions.append(action)
        why_not = wt.removal_blocker(item, Path.cwd()) or "; ".join(item.unsafe_reasons())
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
    return dataclasses.replace(verified, findings=report.findings)


OPERATIONS: dict[str, Callable[[Run, Mapping[str, Any]], Report]] = {
    "create": op_create,
    "verify": op_verify,
    "list": op_inspect,
    "status": op_inspect,
    "remove": op_remove,
    "prune": op_prune,
    "hook": op_hook,
}
