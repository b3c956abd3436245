"""The project's pytest, started as soon as the tests check knows its cache cannot answer.

Its start-up (the interpreter, pytest's own imports) then overlaps the plan (which tests, the
private export) and the imports that planning needs. A plan that runs nothing, or that cannot
use it, ends it at once (``pytest_prestart``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from hookwright.git import snapshot
from hookwright.testing import pytest_prestart, run_env, suite

if TYPE_CHECKING:
    from hookwright.checks.base import CheckContext
    from hookwright.checks.tests import TestsCheck


def interpreter_and_env(check: TestsCheck, ctx: CheckContext) -> tuple[str, dict[str, str]]:
    """The project's interpreter and the environment every pytest run of this check gets."""
    target = ctx.target
    python = suite.project_python(target.repo.root, check.options.get("python"))
    env = dict(ctx.env)
    if not env.get("PYTHONDONTWRITEBYTECODE"):
        # Bytecode outside the tree, reused run after run. Not when the user turned writing off:
        # a prefix nothing is written to only hides the interpreter's own compiled standard
        # library, and every run compiles it all again (seconds per run).
        env["PYTHONPYCACHEPREFIX"] = str(snapshot.bytecode_prefix(target.repo))
    return python, env


def start(check: TestsCheck, ctx: CheckContext) -> pytest_prestart.Prestart | None:
    """A waiting pytest, or None where a started one could differ from a plain run."""
    if check.with_coverage or pytest_prestart.shadows_pytest(list(ctx.target.entries)):
        return None
    python, env = interpreter_and_env(check, ctx)
    root = str(ctx.target.root)
    return pytest_prestart.Prestart(python, root, run_env.pytest_base_env(env), check.timeout)
