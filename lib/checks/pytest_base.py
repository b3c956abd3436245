"""Hold the line for pytest: which of the failing tests fail at the base too (then not blocking).

Decided by a lookup of the base's known state, or a run on the base's private export of the test
files the run at the head ran and those deleted since, in one process. The failing tests alone: a
test that reads what an earlier test wrote (a file, a module attribute) fails alone at the base
while the base's own run passes it, and its failure at the head was excused as "failing at the base
too" (the verdict passed on 119b63e).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from hookwright.testing import pytest_layout, pytest_run
from hookwright.testing import states as test_states

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.checks.base import CheckContext
    from hookwright.checks.tests import TestsCheck
    from hookwright.git.repo import Repo

Pick = Callable[[Mapping[str, str]], dict[str, str]]


def at_base(
    check: TestsCheck,
    ctx: CheckContext,
    failing: frozenset[str],
    picked: dict[str, str],
    check_digest: str,
    pick: Pick,
    python: str,
    ran: frozenset[str],
) -> tuple[frozenset[str], str]:
    """Which failures fail at the base too (not blocking), and what to say about it (``ran``: the
    test files the head's run ran)."""
    target = ctx.target
    assert target.base is not None
    args = list(check.options.get("args", ()))

    def rerun(root: Path, paths: list[str], wanted: frozenset[str]) -> frozenset[str] | None:
        gone = frozenset(p for p in paths if p not in target.entries)  # a test deleted since: it ran there
        return _rerun(root, paths, wanted, ran | gone, args, check, python, target.repo)

    answer = test_states.failing_at_base(
        target.repo, ctx.cache, check_digest, target.base, failing, picked, pick, rerun
    )
    if answer.failing is None:
        return frozenset(), f"; the base {target.base[:12]} could not be run: every failure counts"
    if not answer.failing:
        return frozenset(), ""
    return answer.failing, (
        f"; {len(answer.failing)} failing at the base {target.base[:12]} too ({answer.how}): not blocking"
    )


def _rerun(
    root: Path,
    paths: list[str],
    wanted: frozenset[str],
    ran: frozenset[str],
    args: list[str],
    check: TestsCheck,
    python: str,
    repo: Repo,
) -> frozenset[str] | None:
    """The test files of ``wanted`` (node ids) and ``ran``, whole, on the base's private export:
    which tests fail there."""
    from hookwright.git.repo import no_git_env
    from hookwright.git.target import tree_env
    from hookwright.testing import package_aliases

    layout = pytest_layout.layout_at(root, args)
    files = {pytest_run.file_of(i) for i in wanted} | ran
    narrowing = pytest_run.Narrowing(skip=frozenset(set(layout.test_files(paths)) - files))
    # No shared bytecode prefix: the base's modules have the same paths and other contents.
    paths_only: dict = dict.fromkeys(paths)  # tree_env reads only the paths
    env = {**no_git_env(), **tree_env(root, paths_only), "PYTHONDONTWRITEBYTECODE": "1"}
    links = root.with_name(f"{root.name}.aliases")  # beside the base's export, locked like it
    env = package_aliases.import_env(env, python, repo, root, paths, links)
    outcome = pytest_run.run_once(
        root, layout, narrowing, args=args, timeout=check.timeout, env=env, python=python
    )
    return outcome.failed_ids if outcome.complete else None
