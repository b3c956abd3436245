"""Check-Aggregate: choose the checks, read the target, run them side by side, decide.

verify_commit and worktree verification share this; each pattern adds its own report around it.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from pathlib import Path

from hookwright import parallel, reporting
from hookwright.checks import build
from hookwright.config import Config
from hookwright.errors import BadInput
from hookwright.frozen import Frozen, replace
from hookwright.git.repo import EMPTY_TREE, Repo

# Imported where used: with every check switched off, none of these is needed.
TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.checks import Check
    from hookwright.git.target import Target
    from hookwright.testing.pytest_prestart import Prestart


# The checks that only read the files under review. Tests, coverage and commands run its code.
STATIC_KINDS = frozenset({"syntax", "lint", "git_state", "todo"})


def select(
    cfg: Config,
    only: Sequence[str] = (),
    skip: Sequence[str] = (),
    *,
    root: Path,
    static_only: bool = False,
) -> list[Check]:
    """The enabled checks, narrowed by only/skip; a command that cannot be found is bad input now.

    ``static_only`` (untrusted code, e.g. a fork's pull request): checks that would run the code are
    left out by kind, whatever their name, and asking for one by name is bad input.
    """
    checks = build(cfg, only, skip)
    if static_only:
        runs_code = [c for c in checks if c.kind not in STATIC_KINDS]
        asked = {name.strip() for value in only for name in value.split(",")}
        refused = [c.name for c in runs_code if c.name in asked]
        if refused:
            raise BadInput(
                f"{', '.join(refused)} would run the code under review; with --static-only only "
                f"{', '.join(sorted(STATIC_KINDS))} run"
            )
        checks = [c for c in checks if c.kind in STATIC_KINDS]
    for check in checks:
        check.prepare(root)
    return checks


_FREEZE = object()  # open_target's default: freeze the index now


@contextlib.contextmanager
def open_target(
    repo: Repo,
    *,
    filenames: Sequence[str] = (),
    all_files: bool = False,
    from_ref: str | None = None,
    to_ref: str | None = None,
    index: Path | object | None = _FREEZE,
    private_tree: bool = False,
) -> Iterator[Target]:
    """The tree under verification, frozen and exported for the checks until the block ends.

    ``index``: a frozen copy of the index the caller made already (``Repo.frozen_index``).
    ``private_tree``: ``repo`` is a worktree made for this run alone (worktree verification), whose
    files are exactly its index; checks read it in place instead of through another copy.
    """
    from hookwright.git import target as targets

    if from_ref or to_ref:
        with targets.commit_range(repo, from_ref, to_ref or "HEAD") as ranged:
            if filenames:
                wanted = set(targets.named_paths(filenames, repo.root, ranged.entries))
                ranged = replace(ranged, files=tuple(f for f in ranged.files if f in wanted))  # noqa: PLW2901
            yield ranged
        return
    if index is _FREEZE:
        with (
            repo.frozen_index() as frozen,
            targets.staged(repo, frozen, filenames, all_files=all_files, in_place=private_tree) as target,
        ):
            yield target
        return
    assert index is None or isinstance(index, Path)
    with targets.staged(repo, index, filenames, all_files=all_files, in_place=private_tree) as target:
        yield target


class Aggregate(Frozen):
    _fields = ("steps", "outcome", "policy", "cache", "jobs")
    __slots__ = _fields
    steps: tuple[reporting.StepResult, ...]
    outcome: reporting.Outcome
    policy: tuple[str, ...]
    cache: dict[str, object]
    jobs: int

    def __init__(
        self,
        steps: tuple[reporting.StepResult, ...],
        outcome: reporting.Outcome,
        policy: tuple[str, ...],
        cache: dict[str, object],
        jobs: int,
    ) -> None:
        self._fill(steps, outcome, policy, cache, jobs)

    def extra(self, target: Target | None, config_source: str) -> dict[str, object]:
        """The verification-record fields every check-aggregate report carries."""
        decision: dict[str, object] = {
            "fail_on": list(self.policy),
            "failed_steps": [step.name for step in self.steps if step.status in self.policy],
        }
        # A check that failed or erred while fail_on lets the verdict pass is named, never implied.
        if overruled := [
            s.name for s in self.steps if s.status in ("failed", "error") and s.status not in self.policy
        ]:
            decision["not_blocking"] = overruled
        return {
            "target": target.describe() if target else {"mode": "staged", "tree": EMPTY_TREE, "files": []},
            "decision": decision,
            "cache": self.cache,
            "jobs": self.jobs,
            "config": config_source,
        }


def check_aggregate(
    checks: Sequence[Check],
    target: Target | None,
    cfg: Config,
    *,
    state_dir: Path,
    fail_on: Sequence[str] | None = None,
    use_cache: bool = True,
    jobs: int | None = None,
    prestarted: Prestart | None = None,
) -> Aggregate:
    """Run ``checks`` on ``target`` and decide (no target: nothing to check, nothing to read).

    ``prestarted``: a pytest started before the target was read (``pytest_early.before_target``),
    for the tests check to adopt; ended here if it did not.
    """
    use_cache = use_cache and bool(cfg.data.get("cache", True))
    workers = jobs or cfg.jobs or parallel.default_jobs()
    steps: list[reporting.StepResult] = []
    stats: dict[str, object] = {"enabled": use_cache, "hits": 0, "misses": 0}
    try:
        if target is not None and checks:
            steps, stats = _run(checks, target, cfg, state_dir, use_cache, workers, prestarted)
    finally:
        if prestarted is not None:
            prestarted.close()  # nothing happens to one that was told its run
    policy = tuple(fail_on) if fail_on else cfg.fail_on
    return Aggregate(tuple(steps), reporting.decide(steps, policy), policy, stats, workers)


def _run(
    checks: Sequence[Check],
    target: Target,
    cfg: Config,
    state_dir: Path,
    use_cache: bool,
    workers: int,
    prestarted: Prestart | None,
) -> tuple[list[reporting.StepResult], dict[str, object]]:
    from hookwright import toml_memory
    from hookwright.cache import ResultCache
    from hookwright.checks.base import CheckContext
    from hookwright.checks.runner import run_checks

    cache = ResultCache(state_dir / "cache" / "results.sqlite" if use_cache else None)
    toml_memory.remember_in(cache)
    try:
        hold = cfg.data.get("baseline", "base") != "none"
        context = CheckContext(target=target, cache=cache, jobs=workers, hold_the_line=hold)
        if prestarted is not None:
            from hookwright.checks.pytest_early import BEFORE_TARGET

            context.artifacts[BEFORE_TARGET] = prestarted
        steps = run_checks(checks, context)
    finally:
        toml_memory.remember_in(None)
        cache.close()
    return steps, {"enabled": use_cache, "hits": cache.hits, "misses": cache.misses}
