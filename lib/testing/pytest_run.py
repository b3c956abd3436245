"""One pytest run of a tree, narrowed by subtraction, with every failed node id recorded.

Test files are never passed to pytest by name: pytest then runs files it would never collect (a
benchmark file outside ``testpaths``, a module ``python_files`` leaves out). pytest collects as it
always does and hookwright's small plugin (``pytest_plugin/_hookwright_pytest.py``, put on the
project interpreter's path) ignores the known test files that were not selected.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path

from hookwright import parallel
from hookwright.frozen import dataclass, replace
from hookwright.testing import adapters as testing
from hookwright.testing.pytest_layout import PytestLayout
from hookwright.testing.reports import TestRun
from hookwright.testing.run_env import PLUGIN, pytest_base_env

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from hookwright.testing.pytest_prestart import Prestart

# The message a project interpreter without pytest prints.
NO_PYTEST = "No module named pytest"


@dataclass(frozen=True)
class Narrowing:
    """What to leave out of a run: known test files not to collect, or every test but ``only``."""

    skip: frozenset[str] = frozenset()
    keep: frozenset[str] | None = None  # collect only these files (a shard after the first)
    only: frozenset[str] | None = None  # node ids
    deselect: frozenset[str] = frozenset()  # node ids not to run (their records miss the change)


@dataclass(frozen=True)
class Outcome:
    run: TestRun
    failed_ids: frozenset[str]  # node ids of every failed test, setup, teardown or collection
    # Test files that left the environment or the working directory changed for the tests after them.
    left_state: frozenset[str] = frozenset()

    @property
    def complete(self) -> bool:
        """pytest ran to its end and said which tests failed (a result worth remembering)."""
        return not self.run.problem and not self.run.timed_out and self.run.returncode in (0, 1, 5)


def isolation_args(layout: PytestLayout, root: Path, args: Sequence[str]) -> list[str]:
    """The plugin, and no config from outside the tree.

    With no config file at its root, pytest walks up from the private copy (under ``.git``) into
    the user's work tree, where an untracked ``pytest.ini`` would set the options and load the
    work tree's conftest.py.
    """
    extra = ["-p", PLUGIN, "--continue-on-collection-errors"]
    chosen = any(a.split("=")[0] in ("-c", "--config-file", "--rootdir") for a in args)
    if layout.inifile is None and not chosen:
        extra += ["-c", os.devnull, f"--rootdir={root}", f"--confcutdir={root}"]
    elif layout.inifile in ("pytest.toml", ".pytest.toml") and not chosen:
        # Named: a pytest before 9 does not look for it, and would walk up into the work tree.
        extra += ["-c", str(root / layout.inifile)]
    return extra


def _env(
    env: Mapping[str, str], root: Path, scratch: Callable[[str], Path], narrowing: Narrowing
) -> dict[str, str]:
    child = pytest_base_env(env)
    child["HOOKWRIGHT_PYTEST_ROOT"] = str(root)
    child["HOOKWRIGHT_PYTEST_OUTCOMES"] = str(scratch("outcomes.jsonl"))
    for name, values in (
        ("SKIP", narrowing.skip),
        ("KEEP", narrowing.keep),
        ("ONLY", narrowing.only),
        ("DESELECT", narrowing.deselect or None),
    ):
        if values is not None:
            # JSON, not lines: a path may hold a newline, and its halves may name other files.
            listing = scratch(f"{name.lower()}.json")
            listing.write_text(json.dumps(sorted(values)), encoding="utf-8")
            child[f"HOOKWRIGHT_PYTEST_{name}"] = str(listing)
    return child


def _outcome(run: TestRun, path: Path) -> Outcome:
    """The run with what the plugin wrote: failed node ids, files that left state behind."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        lines = []
    entries = [json.loads(line) for line in lines if line.strip()]
    failed = frozenset(e["failed"] for e in entries if "failed" in e)
    stopped = next((e["interrupted"] for e in entries if "interrupted" in e), None)
    if stopped is not None and not run.problem:
        # Its report lists only the tests before the stop: read as the suite, it passed the rest unrun.
        run = replace(run, problem=f"pytest was stopped before its last test ({stopped})")
    return Outcome(run, failed, frozenset(e["left_state"] for e in entries if "left_state" in e))


def run_once(
    root: Path,
    layout: PytestLayout,
    narrowing: Narrowing,
    *,
    args: Sequence[str],
    timeout: float,
    env: Mapping[str, str],
    python: str,
    coverage_data: Path | None = None,
    prestarted: Prestart | None = None,
    state_dir: Path | None = None,
) -> Outcome:
    """``state_dir``: hookwright's, whose ``scratch/`` holds the run's files (else a temporary folder)."""
    with _scratch(state_dir) as scratch:
        outcomes = scratch("outcomes.jsonl")
        run = testing.run_tests(
            root,
            "pytest",
            args=[*isolation_args(layout, root, args), *args],
            timeout=timeout,
            env=_env(env, root, scratch, narrowing),
            python=python,
            coverage_data=coverage_data,
            prestarted=prestarted,
            scratch=scratch,
        )
        return _outcome(run, outcomes)


@contextlib.contextmanager
def _scratch(state_dir: Path | None) -> Iterator[Callable[[str], Path]]:
    if state_dir is not None:
        from hookwright.git.scratch import scratch_names

        with scratch_names(state_dir, "pytest") as named:
            yield named
        return
    import tempfile

    with tempfile.TemporaryDirectory(prefix="hookwright-pytest-") as folder:
        yield lambda name: Path(folder) / name


def run_sharded(
    root: Path,
    layout: PytestLayout,
    skip: frozenset[str],
    shards: list[list[str]],
    prestarted: Prestart | None = None,
    deselect: frozenset[str] = frozenset(),
    **options: Any,  # run_once's keyword arguments, passed through
) -> Outcome:
    """Side by side: the first shard collects all but the others' files, each other only its own.

    The first shard takes the pytest process started early, if any: unused, its start-up is lost.
    The others run in its twins (``Prestart.twin``), which end without the interpreter's teardown
    as it does: on click that teardown takes ~3 s per process.
    """
    others = frozenset(f for part in shards[1:] for f in part)
    plans = [Narrowing(skip=skip | others, deselect=deselect)]
    plans += [Narrowing(keep=frozenset(part), deselect=deselect) for part in shards[1:]]
    early = [prestarted] + [prestarted and prestarted.twin() for _ in plans[1:]]
    try:
        outcomes = parallel.run_many(
            [
                functools.partial(run_once, root, layout, plan, prestarted=first, **options)
                for plan, first in zip(plans, early, strict=True)
            ],
            jobs=len(plans),
        )
    finally:
        for twin in early[1:]:
            if twin is not None:
                twin.close()  # nothing happens to one that was told its run
    merged = testing.merge_runs([o.run for o in outcomes])
    failed = frozenset().union(*(o.failed_ids for o in outcomes))
    return Outcome(merged, failed, frozenset().union(*(o.left_state for o in outcomes)))


def without_pytest(outcome: Outcome) -> bool:
    """The interpreter has no pytest, or is not there at all: nothing ran."""
    run = outcome.run
    ran = run.passed + run.failed + run.errors + run.skipped
    return not ran and (NO_PYTEST in run.output or "is not installed" in run.problem)


def ran_nothing(outcome: Outcome) -> bool:
    """pytest ran to its end and ran no test (every one left out, or none there): nothing was checked."""
    run = outcome.run
    return outcome.complete and not (run.passed + run.failed + run.errors + run.skipped or outcome.failed_ids)


def file_of(node_id: str) -> str:
    return node_id.split("::", 1)[0]
