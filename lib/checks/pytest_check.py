"""The tests check for pytest: select, run (split only when it is known to pay), hold the line.

A pass is claimed only for the whole suite: tests left out read nothing that changed since a state
whose result is known. A failing test that fails at the base too is reported, not blocking
(unless ``baseline: none``); deciding that costs a lookup or a run of only the failing tests on
the base, never a second run of the suite.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from hookwright.cache import ResultCache, digest
from hookwright.checks import pytest_base, pytest_early, pytest_left_state
from hookwright.checks.pytest_base import Pick
from hookwright.frozen import dataclass, replace
from hookwright.reporting import Status, StepResult
from hookwright.testing import (
    data_names,
    fresh_names,
    impact,
    line_narrowing,
    other_items,
    pytest_layout,
    pytest_prestart,
    pytest_run,
    suite,
)
from hookwright.testing import lines as test_lines
from hookwright.testing import states as test_states

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.checks.base import CheckContext
    from hookwright.checks.tests import TestsCheck


@dataclass(frozen=True)
class Plan:
    tests: tuple[str, ...] | None  # None: every test
    reason: str
    record: bool = False  # record which bodies each test enters (selection by records)
    previous: test_lines.Recorded | None = None  # the records of the state compared with
    deselect: frozenset[str] = frozenset()  # node ids of ``tests`` whose records miss the change
    one_process: bool = False  # a test file leaves state behind: no split either
    others: str = ""  # no test file is chosen, but pytest takes items from other files: why
    # Record from the first test on: import and collection run as ``previous`` recorded them.
    record_from_tests: bool = False


def plan(
    check: TestsCheck,
    ctx: CheckContext,
    layout: pytest_layout.PytestLayout,
    picked: dict[str, str],
    check_digest: str,
) -> Plan:
    """The test files the change since the last known state may reach, and those failing there."""
    from hookwright.testing import packaging_names

    if check.options.get("select", "affected") != "affected" or check.with_coverage:
        return Plan(None, "")
    if ctx.cache.path is None:
        return Plan(None, "")  # --no-cache: the last known state is a remembered result too
    if layout.doctest_modules:
        return Plan(None, "doctest modules: every module is a test")
    if layout.unread is not None:
        return Plan(None, f"{layout.unread} does not parse here: every test, as pytest reads it")
    leaky = pytest_left_state.known(ctx.cache, check_digest, picked)
    if leaky is not None:
        return Plan(None, f"{leaky}: every test, in one process", one_process=True)
    repo = ctx.target.repo
    from hookwright.testing import tree_links

    hidden = tree_links.hides_files(
        ctx.target.entries, tree_links.link_texts(repo, ctx.target.entries, picked)
    )
    if hidden is not None:
        return Plan(None, hidden)
    # Recording is a tracer on every call (about 2x the suite's CPU on Python 3.11,
    # benchmarks/selection/README.md), so it is the user's choice, off by default.
    record = bool(check.options.get("record_lines"))
    known = test_states.last_known(repo, check_digest)
    if known is None:
        return Plan(None, "", record=record)
    changed = [p for p in picked.keys() | known.inputs.keys() if picked.get(p) != known.inputs.get(p)]
    from hookwright.checks.tests import root_reader

    read = root_reader(ctx)
    cache, package_dirs = repo.state_dir / "cache", packaging_names.package_dirs(read)
    project = impact.Project(
        layout,
        package_dirs,
        frozenset(packaging_names.tree_entry_point_modules(ctx.target.entries, read)),
        data_names.named_modules(repo, picked, package_dirs, cache / "data_names.marshal"),
    )
    table = cache / "imports.marshal"
    gone = [p for p in known.inputs if p not in picked]
    previous = test_lines.load(repo, check_digest, test_states.state_key(check_digest, known.inputs))
    is_test, is_doctest, tree = layout.is_test_file, layout.is_doctest_file, ctx.target.tree
    fresh = fresh_names.judge(
        repo, known.inputs, picked, changed, is_test, is_doctest, layout.addopts, tree=tree
    )
    changed = [p for p in changed if fresh is None or p not in fresh.files]
    seeing, appended = (fresh.tests, fresh.files) if fresh is not None else (None, frozenset[str]())
    records = previous is not None
    selection = impact.affected_tests(repo, picked, changed, table, project, gone, records, seeing, appended)
    if fresh is not None:
        selection = replace(selection, reason=f"{fresh.reason}; {selection.reason}")
    if selection.tests is None and not (selection.recordable and previous is not None):
        return Plan(None, selection.reason, record=record)
    # A file serving every test reaches the change: every test file is the floor records narrow.
    floor = selection.tests if selection.tests is not None else tuple(layout.test_files(picked))
    chosen, reason, deselect = floor, selection.reason, frozenset[str]()
    from_tests = False
    if previous is not None and chosen:

        def coarse(paths: list[str]) -> tuple[str, ...] | None:
            return impact.affected_tests(repo, picked, paths, table, project, gone).tests

        narrowed = line_narrowing.narrow(
            repo,
            previous,
            known.inputs,
            picked,
            changed,
            chosen,
            selection.always,
            layout.is_test_file,
            coarse,
        )
        if narrowed is not None:
            chosen, reason, deselect = narrowed.tests, narrowed.reason, narrowed.deselect
            # (A new function is code no record has seen run: not judged by bodies.)
            from_tests = narrowed.collection_as_recorded and fresh is None
        elif selection.tests is None:
            return Plan(None, selection.reason, record=record)
    # Tests that failed at the last known state run again: their result is not known to hold.
    again = {pytest_run.file_of(i) for i in known.failing} & set(layout.test_files(picked))
    tests = tuple(sorted({*chosen, *again}))
    reason = reason + (f"; {len(again)} failing before" if again - set(chosen) else "")
    others = None
    if not tests:  # (only then: what earlier runs collected is read from the cache)
        durations = ctx.cache.get(digest(check_digest, "durations")) or {}
        others = other_items.collected_beyond_tests(layout, ctx.target.entries, durations, read)
    reason += f"; {others}" if others else ""
    # (A test failing there has no record, so it is never among ``deselect``.)
    deselect -= known.failing
    return Plan(tests, reason, record, previous, deselect, others=others or "", record_from_tests=from_tests)


def run(
    check: TestsCheck,
    ctx: CheckContext,
    layout: pytest_layout.PytestLayout,
    picked: dict[str, str],
    check_digest: str,
    pick: Pick,
    early: pytest_prestart.Prestart | None = None,
) -> StepResult:
    """``early``: a pytest already started for this run (``pytest_early``); the caller closes it."""
    from hookwright.testing import package_aliases

    python, env = pytest_early.interpreter_and_env(check, ctx.target.repo, ctx.env)
    env = package_aliases.for_target(env, ctx.target, python)
    return _planned_run(check, ctx, layout, picked, check_digest, pick, python, env, early)


def _planned_run(
    check: TestsCheck,
    ctx: CheckContext,
    layout: pytest_layout.PytestLayout,
    picked: dict[str, str],
    check_digest: str,
    pick: Pick,
    python: str,
    env: dict[str, str],
    early: pytest_prestart.Prestart | None,
) -> StepResult:
    target = ctx.target
    args = list(check.options.get("args", ()))
    chosen = plan(check, ctx, layout, picked, check_digest)
    ran_nothing = chosen.tests == () and not chosen.others
    pytest_early.remember_plan(target.repo, ran_nothing)
    if ran_nothing:
        if chosen.previous is not None:
            # No test ran what changed: this state is known too, and the records still hold.
            test_states.remember(target.repo, ctx.cache, check_digest, picked, frozenset())
            state = test_states.state_key(check_digest, picked)
            test_lines.save(target.repo, check_digest, state, chosen.previous, (), None)
        return StepResult(check.name, "passed", 0.0, reason=f"pytest: {chosen.reason}")
    known_tests = layout.test_files(picked)
    skip = frozenset(known_tests) - set(chosen.tests) if chosen.tests is not None else frozenset()
    runnable = chosen.tests if chosen.tests is not None else tuple(known_tests)
    options = {
        "args": args,
        "timeout": check.timeout,
        "env": env,
        "python": python,
        "state_dir": target.repo.state_dir,
    }
    # Scheduling knowledge is not a result: it is kept even with --no-cache.
    memory = ctx.cache if ctx.cache.path else ResultCache(target.repo.state_dir / "cache" / "results.sqlite")
    try:
        with _folder_for(check.with_coverage or chosen.record) as tmp:
            if check.with_coverage:
                options["coverage_data"] = Path(tmp) / ".coverage"
            if chosen.record:
                env["HOOKWRIGHT_PYTEST_LINES"] = tmp
                if chosen.record_from_tests:
                    env["HOOKWRIGHT_PYTEST_LINES_FROM_TESTS"] = "1"
            outcome, note, wrote = _run_suite(
                check, ctx, layout, skip, runnable, memory, check_digest, options, early, chosen
            )
            if outcome.complete:
                # A file with a test deselected did not run whole: what it leaves is not known.
                ran = set(runnable) - {pytest_run.file_of(i) for i in chosen.deselect}
                whole = not skip and not chosen.deselect
                left = outcome.left_state
                pytest_left_state.remember(memory, check_digest, picked, left, ran, wrote, whole)
            recorded = test_lines.collect(target.repo, Path(tmp), picked) if chosen.record else None
            if check.with_coverage:
                from hookwright.checks.tests import load_coverage

                ctx.artifacts["coverage"] = load_coverage(
                    Path(tmp) / ".coverage", target.read_root, ctx.env, python
                )
    finally:
        if memory is not ctx.cache:
            memory.close()
    if pytest_run.without_pytest(outcome):
        why = outcome.run.problem or "pytest is not installed there"
        message = (
            f"no runnable pytest for {python} ({why}): set checks.tests.python to the project's interpreter"
        )
        return StepResult(check.name, "error", outcome.run.duration, reason=message)
    if pytest_run.ran_nothing(outcome) and not known_tests:
        return StepResult(check.name, "skipped", outcome.run.duration, reason="no test files")
    if pytest_run.ran_nothing(outcome):
        # Plain pytest exits 5 here: a check that checked nothing is no pass, and is not remembered.
        last = outcome.run.output.strip().rpartition("\n")[2] or "exit 5"
        message = f"pytest ran no test ({last}): nothing was checked"
        return StepResult(check.name, "error", outcome.run.duration, reason=message)
    failing = outcome.failed_ids
    if outcome.complete and all(pytest_run.file_of(i) in target.entries for i in failing):
        test_states.remember(target.repo, ctx.cache, check_digest, picked, failing)
        if chosen.record:
            state = test_states.state_key(check_digest, picked)
            test_lines.save(target.repo, check_digest, state, chosen.previous, runnable, recorded)
    preexisting, held = frozenset[str](), ""
    if failing and ctx.hold_the_line and target.base and outcome.complete:
        ran_files = frozenset(runnable)
        preexisting, held = pytest_base.at_base(
            check, ctx, failing, picked, check_digest, pick, python, ran_files
        )
    result = _result(check.name, outcome, preexisting)
    reason = result.reason + held + note + (f" ({chosen.reason})" if chosen.reason else "")
    return replace(result, reason=reason)


def _run_suite(
    check: TestsCheck,
    ctx: CheckContext,
    layout: pytest_layout.PytestLayout,
    skip: frozenset[str],
    runnable: tuple[str, ...],
    memory: ResultCache,
    check_digest: str,
    options: dict[str, object],
    early: pytest_prestart.Prestart | None = None,
    chosen: Plan | None = None,
) -> tuple[pytest_run.Outcome, str, list[str]]:
    """One process, or shards when measured durations say they win and the suite splits; also
    what the last run wrote into its tree (``Export.written``)."""
    root = ctx.target.read_root
    deselect = chosen.deselect if chosen is not None else frozenset[str]()
    durations_key, split_key = digest(check_digest, "durations"), digest(check_digest, "splittable")
    durations = memory.get(durations_key) or {}
    splits = memory.get(split_key)  # True: a split run passed once; False: splitting breaks it
    count = 1
    # (Durations are per file: with tests deselected they overstate the run, and a shard costs a start.)
    if (
        not check.with_coverage
        and splits is not False
        and not deselect
        and not (chosen and chosen.one_process)
    ):
        count = suite.shard_count(list(runnable), durations, int(check.options.get("shards", 0)))
    note = ""
    if count > 1:
        # A trusted split keeps its cut: files the passing split ran together stay together (another
        # cut, from newer durations, could part a test from the one whose state it needs; p22f saw
        # click blocked so). New files go where the load is lightest.
        cut_key = digest(check_digest, "cut")
        pinned = (memory.get(cut_key) or {}) if splits else {}
        sizes = {f: _size(root / f) for f in runnable}
        shards = suite.partition(list(runnable), count, durations, sizes, pinned)
        outcome = pytest_run.run_sharded(
            root, layout, skip, shards, prestarted=early, deselect=deselect, **options
        )
        note = f"; {len(shards)} shards"
        if outcome.run.ok:
            memory.put(split_key, True)
            memory.put(cut_key, {**pinned, **{f: i for i, shard in enumerate(shards) for f in shard}})
        elif splits is None and outcome.complete:
            # Learnt once per suite: does it fail only when split (files that need each other's
            # side effects)? The answer is remembered; a trusted split is never run twice.
            plan_whole = pytest_run.Narrowing(skip=skip, deselect=deselect)
            # On the tree as committed: a file the split run left (a marker, a cache) is not in it.
            fresh = ctx.target.restored_root()
            whole = pytest_run.run_once(fresh, layout, plan_whole, **options)  # type: ignore[arg-type]
            memory.put(split_key, not whole.run.ok)
            note = "; failed split, passes in one process: not split again" if whole.run.ok else note
            outcome = whole
    else:
        narrowing = pytest_run.Narrowing(skip=skip, deselect=deselect)
        outcome = pytest_run.run_once(root, layout, narrowing, prestarted=early, **options)  # type: ignore[arg-type]
    if outcome.run.file_durations:
        memory.put(durations_key, {**durations, **outcome.run.file_durations})
    narrowed = bool(skip or deselect or count > 1)
    wrote = _tree_written(ctx, layout, outcome)
    if outcome.run.ok and (outcome.left_state or wrote) and narrowed:
        # A left-out or separately run file may read that state in a plain run: run it so.
        note = pytest_left_state.whole_run_note(outcome.left_state, wrote)
        every_file = pytest_run.Narrowing(skip=frozenset())
        outcome = pytest_run.run_once(ctx.target.restored_root(), layout, every_file, **options)  # type: ignore[arg-type]
        wrote = _tree_written(ctx, layout, outcome)
    if pytest_run.ran_nothing(outcome) and narrowed:
        # The files left out may hold the suite's only tests, or none: a plain run says which.
        note = "; the narrowed run ran no test: every test, in one process"
        outcome = pytest_run.run_once(ctx.target.restored_root(), layout, pytest_run.Narrowing(), **options)  # type: ignore[arg-type]
        wrote = _tree_written(ctx, layout, outcome)
    return outcome, note, wrote


def _tree_written(
    ctx: CheckContext, layout: pytest_layout.PytestLayout, outcome: pytest_run.Outcome
) -> list[str]:
    """What a test run that ran to its end wrote into the private copy, less the reports its options
    ask for (a run in a worktree of its own: not known)."""
    export = ctx.target.export
    if export is None or not (outcome.complete or outcome.run.ok):
        return []
    return export.written(reports=pytest_left_state.reports_asked(layout.addopts))


def _result(name: str, outcome: pytest_run.Outcome, preexisting: frozenset[str]) -> StepResult:
    run = outcome.run
    total = run.passed + run.failed + run.errors
    status: Status
    if run.timed_out or (not run.ok and not run.failures and run.returncode not in (0, 1)):
        status = "error"
    elif run.ok:
        status = "passed"
    else:
        failing = outcome.failed_ids | {f.test_id for f in run.failures}
        # A warning only for tests failing at the base too: pytest failing with no test failing (a
        # conftest's hook that sets the exit status or raises at the end) is no test to excuse.
        status = "warning" if failing and not failing - preexisting and not run.problem else "failed"
    counts = f"{run.passed} passed, {run.failed} failed, {run.errors} errors, {run.skipped} skipped"
    findings = tuple(run.findings(name, preexisting))
    return StepResult(name, status, run.duration, findings, reason=f"pytest: {counts}", files=total)


def _folder_for(needed: bool) -> contextlib.AbstractContextManager[str]:
    """A temporary folder for coverage data or line records; none (and no ``rmdir``) otherwise."""
    if not needed:
        return contextlib.nullcontext("")
    import tempfile

    return tempfile.TemporaryDirectory(prefix="hookwright-cov-")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 1
