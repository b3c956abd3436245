"""The project's pytest, started before the tree is read, or at the latest when the tests check's
cache misses.

Its start-up (the interpreter, pytest's own imports) then overlaps reading the tree, exporting it,
the plan (which tests) and the imports that planning needs. Started before the tree is read, it
runs outside it and is told where the tree is with its run (``Prestart.retarget``). A plan that
runs nothing, a cached answer, or a run that cannot use it ends it at once (``pytest_prestart``).
"""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path

from hookwright.git import snapshot
from hookwright.git.repo import no_git_env
from hookwright.testing import pytest_prestart, run_env, suite

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hookwright.checks.base import Check, CheckContext
    from hookwright.checks.tests import TestsCheck
    from hookwright.git.repo import Repo

# Where verify leaves a pytest started before the tree was read (CheckContext.artifacts).
BEFORE_TARGET = "pytest-prestart"


def interpreter_and_env(
    check: TestsCheck, repo: Repo, base_env: Mapping[str, str]
) -> tuple[str, dict[str, str]]:
    """The project's interpreter and the environment every pytest run of this check gets."""
    python = suite.project_python(repo.root, check.options.get("python"))
    env = dict(base_env)
    if not env.get("PYTHONDONTWRITEBYTECODE"):
        # Bytecode outside the tree, reused run after run. Not when the user turned writing off:
        # a prefix nothing is written to only hides the interpreter's own compiled standard
        # library, and every run compiles it all again (seconds per run).
        env["PYTHONPYCACHEPREFIX"] = str(snapshot.bytecode_prefix(repo))
    return python, env


def before_target(checks: Sequence[Check], repo: Repo) -> pytest_prestart.Prestart | None:
    """A waiting pytest for the tests check to adopt, started before the tree is even read."""
    from hookwright.checks.tests import TestsCheck

    check = next((c for c in checks if isinstance(c, TestsCheck)), None)
    if check is None or check.with_coverage:
        return None
    if check.options.get("framework", "auto") not in ("auto", "pytest"):
        return None
    if _same_index_as_last_time(repo):
        return None  # most likely an unchanged re-run: the cache answers, a started pytest is waste
    if last_plan_ran_nothing(repo):
        return None  # most likely another change no test reaches (see remember_plan)
    python, env = interpreter_and_env(check, repo, no_git_env())
    base = run_env.pytest_base_env(env)
    if not pytest_prestart.absolute_entries(base["PYTHONPATH"]):
        return None  # it could not be moved into the tree (Prestart.retarget)
    outside = repo.state_dir
    outside.mkdir(parents=True, exist_ok=True)
    return pytest_prestart.Prestart(python, str(outside), base, check.timeout, outside=True)


def _same_index_as_last_time(repo: Repo) -> bool:
    """The index (and HEAD) this run reads looks as it did when the last run started; this run's
    look is kept for the next. Only when to start pytest depends on it, never what is checked: a
    miss still starts one (``start``), only later."""
    index = repo.index_file or repo.git_dir / "index"
    try:
        seen = index.stat()
    except OSError:
        return False
    look = f"{index}\0{seen.st_ino}\0{seen.st_size}\0{seen.st_mtime_ns}\0{repo.head}"
    mark = repo.state_dir / f"index-look-{repo.worktree_key}"
    try:
        if mark.read_text(encoding="utf-8") == look:
            return True
    except (OSError, UnicodeDecodeError):
        pass
    try:
        mark.parent.mkdir(parents=True, exist_ok=True)
        mark.write_text(look, encoding="utf-8")
    except OSError:
        pass
    return False


def _ran_nothing_mark(repo: Repo) -> Path:
    return repo.state_dir / f"tests-ran-nothing-{repo.worktree_key}"


def last_plan_ran_nothing(repo: Repo) -> bool:
    """The last planned run of this worktree ran no test (``remember_plan``)."""
    return _ran_nothing_mark(repo).exists()


def remember_plan(repo: Repo, ran_nothing: bool) -> None:
    """Keep whether this run's plan ran any test, for when the next run starts pytest.

    A run that plans nothing (fresh functions nothing names, a change no test reaches) dismissed the
    pytest started for it after that pytest had imported everything: about 0.1 s of CPU for nothing,
    a quarter of such a commit's CPU on syn5000 (benchmarks/README.md, branch p22l). Such commits
    come in runs (a feature written before its tests), so after one the next run starts pytest only
    once its plan wants it, as a plain run. Only when pytest starts depends on this, never what runs
    or what is decided: a wrong guess costs the overlap (pytest's start-up, once), nothing else.
    """
    mark = _ran_nothing_mark(repo)
    with contextlib.suppress(OSError):
        if not ran_nothing:
            mark.unlink(missing_ok=True)
        elif not mark.exists():
            mark.parent.mkdir(parents=True, exist_ok=True)
            mark.touch()


def start(check: TestsCheck, ctx: CheckContext) -> pytest_prestart.Prestart | None:
    """A waiting pytest, or None where a started one could differ from a plain run (or where the
    last plan ran nothing: ``remember_plan``)."""
    early = ctx.artifacts.pop(BEFORE_TARGET, None)
    if early is None and last_plan_ran_nothing(ctx.target.repo):
        return None
    if check.with_coverage or pytest_prestart.shadows_pytest(list(ctx.target.entries)):
        if early is not None:
            early.dismiss()
        return None
    python, env = interpreter_and_env(check, ctx.target.repo, ctx.env)
    root = str(ctx.target.root)
    base = run_env.pytest_base_env(env)
    if early is not None:
        if early.python == python and early.retarget(root, base):
            return early
        early.dismiss()
    return pytest_prestart.Prestart(python, root, base, check.timeout)
