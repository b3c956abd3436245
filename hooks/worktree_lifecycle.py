"""worktree_lifecycle: create, verify, inspect and remove git worktrees without losing work.

Validate -> Execute -> Verify for every operation; `verify` runs the check-aggregate-report flow in a
temporary worktree that is torn down on success, failure, timeout and Ctrl-C. Every run writes a record.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright import config, output, parallel, records, renderers, reporting
from hookwright import worktree_ops as ops
from hookwright import worktrees as wt
from hookwright.arguments import new_parser
from hookwright.errors import EXIT_FAILED, EXIT_PASSED, BadInput, entry_point
from hookwright.git import NULL_SHA, Repo, no_git_env
from hookwright.reporting import Finding, Report, StepResult

if TYPE_CHECKING:
    import datetime as dt

    from hookwright.checks import Check
    from hookwright.target import Target

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
    plan = ops.plan_create(run.repo, branch, path, options.get("base"))
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
    top = ops.first_missing_ancestor(plan.path)
    try:
        with ops.interruptible():
            _create_steps(run, plan, options)
    except BaseException:
        run.extra["rolled_back"] = True
        run.extra["left_behind"] = ops.rollback_create(run.repo, plan, top)
        raise
    if run.report().outcome != "passed":
        started = time.monotonic()
        left = ops.rollback_create(run.repo, plan, top)
        run.extra["rolled_back"], run.extra["left_behind"] = True, left
        run.step("rollback", "error" if left else "passed", started, reason=", ".join(left))
    return run.report()


def _create_steps(run: Run, plan: ops.CreatePlan, options: Mapping[str, Any]) -> None:
    started = time.monotonic()
    try:
        ops.add_worktree(run.repo, plan)
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
    with ops.isolated(run.repo, ref=ref, staged_from=staged_from) as tree:
        run.extra["isolated_path"] = str(tree.root)
        run.step("isolate", "passed", started)
        try:
            with ops.deadline(options.get("timeout")):
                steps, _, target = check_tree(run, tree, mode, options, from_ref)
            run.steps.extend(steps)
            run.extra["target"].update(tree=target.tree, files=len(target.files))
        except ops.Timeout as exc:
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
        ops.remove(run.repo, item.worktree, force=force)
    except BadInput as exc:
        run.step(f"remove {item.worktree.path}", "error", started, reason=str(exc))
        return False
    gone = not any(wt.same_path(w.path, item.worktree.path) for w in wt.list_worktrees(run.repo))
    status: reporting.Status = "passed" if gone and not item.worktree.path.exists() else "error"
    run.step(f"remove {item.worktree.path}", status, started)
    return status == "passed"


def op_prune(run: Run, options: Mapping[str, Any]) -> Report:
    started, now = time.monotonic(), time.time()
    swept = [] if run.dry_run else ops.sweep_abandoned(run.repo)
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
            elif ops.delete_merged_branch(run.repo, w.branch, w.head):
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


def execute(repo: Repo, cfg: config.Config, options: Mapping[str, Any], *, dry_run: bool = False) -> Report:
    """The one core behind the CLI and ``run_instance``: run an operation and write its record."""
    operation = options["operation"]
    if operation in ("create", "verify", "remove", "prune"):
        _refuse_submodule(repo)
    run = Run(repo, cfg, operation, dry_run=dry_run, instance_id=options.get("_instance_id"))
    try:
        report = OPERATIONS[operation](run, options)
    except KeyboardInterrupt:
        if not dry_run:
            run.step("interrupted", "error", run.start, reason="interrupted; anything half-made was removed")
            write_record(repo, cfg, run.report("error"))
        raise
    if not dry_run:
        write_record(repo, cfg, report)
    return report


def _refuse_submodule(repo: Repo) -> None:
    result = repo.run("rev-parse", "--show-superproject-working-tree")
    if result.ok and result.out.strip():
        raise BadInput(f"{repo.root} is a submodule of {result.out.strip()}; manage worktrees from there")


def write_record(repo: Repo, cfg: config.Config, report: Report) -> Path | None:
    settings = cfg.section("records")
    return records.write(
        records.records_dir(repo.state_dir), report.to_dict(), keep=int(settings.get("keep", 500))
    )


def run_instance(inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False) -> Report:
    """Run the pattern from an instance file's validated ``inputs``."""
    repo = Repo.discover(root or Path.cwd())
    cfg = config.load(repo.root, inputs.get("config"), repo.state_dir / "cache")
    if "setup" in inputs or "checks" in inputs:
        overrides = {k: inputs[k] for k in ("setup", "checks") if k in inputs}
        cfg = config.Config(cfg.source, config.merge(cfg.data, {"worktree": overrides}), cfg.digest)
    return execute(repo, cfg, {**inputs, "_base_dir": str(repo.root)}, dry_run=dry_run)


# -- text output --------------------------------------------------------------------------------------


_VERBS = {
    "would-remove": "would remove",
    "skipped": "kept",
    "refused": "refused to remove",
    "branch-deleted": "deleted the branch of",
    "would-delete-branch": "would delete the branch of",
    "swept": "removed abandoned",
}


def render_text(report: Report) -> str:
    data = report.to_dict()
    operation, lines = data["operation"], []
    if operation == "list":
        lines = wt.table(data["worktrees"])
    elif operation == "status":
        for row in data["worktrees"]:
            safety = "holds " + "; ".join(row["unsafe"]) if row["unsafe"] else "nothing would be lost"
            labels = [label.lower() for label in wt.COLUMNS[1:]]
            lines += [row["path"], *(f"  {k:<9} {v}" for k, v in zip(labels, wt.cells(row)[1:], strict=True))]
            lines.append(f"  {'safety':<9} {safety}")
    elif operation in ("remove", "prune"):
        for act in data["actions"]:
            verb = _VERBS.get(act["action"], act["action"])
            hint = "; commit or push them, or pass --force" if act["action"] == "refused" else ""
            lines.append(f"{verb} {act['path']}" + (f": {act['reason']}{hint}" if act["reason"] else ""))
        if not data["actions"]:
            lines.append("nothing to prune")
    elif operation == "create":
        made = data["worktree"]
        if report.outcome == "passed":
            how = "existing branch"
            if made["branch_created"]:
                how = f"new branch from {made['base'] or 'HEAD'}"
            verb = "would create" if data["dry_run"] else "created"
            lines.append(f"{verb} {made['path']} on {made['branch']} ({how})")
        else:
            lines.append(renderers.render(report, "text").rstrip("\n"))
            branch = " and its new branch" if made["branch_created"] else ""
            lines.append(f"rolled back: {made['path']}{branch} removed")
    elif operation == "verify" or "decision" in data:  # verify, or the hook's verification of a push
        lines.append(renderers.render(report, "text").rstrip("\n"))
    if operation == "hook":
        lines += [f"hookwright worktree: {f['path']}: {f['code']}: {f['message']}" for f in data["findings"]]
    return "\n".join(lines) + "\n" if lines else ""


# -- command line -------------------------------------------------------------------------------------


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", "-c", help="config file (default: .hookwright.yaml or pyproject.toml)")
    common.add_argument("--format", "-f", choices=("text", "json"), default="text")
    sub = parser.add_subparsers(dest="operation", required=True, metavar="OPERATION")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, parents=[common])

    create = add("create", "a new worktree, set up and verified; rolled back on failure")
    create.add_argument("branch", help="the branch to check out (created from --base when new)")
    create.add_argument("path", nargs="?", help="where (default: ../<repo>-<branch>)")
    create.add_argument("--base", help="start a new branch here (default: HEAD)")
    create.add_argument("--no-verify", dest="verify", action="store_false", help="skip the checks")
    verify = add("verify", "run the checks in a temporary worktree, always torn down")
    verify.add_argument("path", nargs="?", help="the worktree whose staged index is verified")
    verify.add_argument("--staged", action="store_true", help="the staged index (the default)")
    verify.add_argument("--ref", help="verify this commit instead of an index")
    verify.add_argument("--from-ref", help="with --ref: verify only what FROM_REF..REF adds")
    verify.add_argument("--only", action="append", default=[], metavar="CHECK")
    verify.add_argument("--skip", action="append", default=[], metavar="CHECK")
    verify.add_argument("--timeout", type=float, help="give up (and tear down) after SECONDS")
    verify.add_argument("--no-cache", dest="cache", action="store_false")
    verify.add_argument("--jobs", "-j", type=int)
    add("list", "every worktree: branch, HEAD, clean, ahead/behind, merged, age")
    status = add("status", "the state of some worktrees (default: all)")
    status.add_argument("paths", nargs="*")
    remove = add("remove", "remove a worktree; refused when it holds work")
    remove.add_argument("path")
    remove.add_argument("--force", action="store_true", help="remove it even though work would be lost")
    remove.add_argument("--dry-run", action="store_true")
    prune = add("prune", "remove missing, merged or old worktrees that hold no work")
    prune.add_argument("--merged", action="store_true", help="worktrees whose branch is merged")
    prune.add_argument("--older-than", dest="older_than_days", type=float, metavar="DAYS")
    prune.add_argument("--delete-branches", action="store_true", help="delete their merged branches too")
    prune.add_argument("--dry-run", action="store_true")
    hook = add("hook", "the pre-commit hook (post-checkout, pre-push)")
    hook.add_argument("--stage", choices=("post-checkout", "pre-push"))


def run_from_args(args: argparse.Namespace) -> int:
    options = {k: v for k, v in vars(args).items() if v is not None and k not in ("config", "format")}
    options["_base_dir"] = str(Path.cwd())
    if args.operation == "verify" and args.path and (args.ref or args.staged):
        raise BadInput("give a worktree PATH, --staged or --ref, not several")
    if args.operation == "verify" and args.from_ref and not args.ref:
        raise BadInput("--from-ref needs --ref")
    if getattr(args, "jobs", None) is not None and args.jobs < 1:
        raise BadInput("--jobs must be at least 1")
    if getattr(args, "timeout", None) is not None and args.timeout <= 0:
        raise BadInput("--timeout must be a positive number of seconds")
    if getattr(args, "older_than_days", None) is not None and args.older_than_days < 0:
        raise BadInput("--older-than must be zero or more days")
    repo = Repo.discover()
    cfg = config.load(repo.root, args.config, repo.state_dir / "cache")
    report = execute(repo, cfg, options, dry_run=bool(getattr(args, "dry_run", False)))
    if args.format == "json":
        output.write(json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n")
    else:
        stream = sys.stderr if args.operation == "hook" else sys.stdout
        output.write(render_text(report), stream)
    return EXIT_PASSED if report.outcome == "passed" else EXIT_FAILED


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    parser = new_parser("hookwright worktree", "Create, verify, inspect and remove git worktrees safely.")
    add_arguments(parser)
    return run_from_args(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
