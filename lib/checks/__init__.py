"""The built-in checks, registered by name in one visible table."""

from __future__ import annotations

from collections.abc import Sequence

from hookwright.checks.base import Check, CheckContext, CheckError
from hookwright.checks.command import CommandCheck
from hookwright.checks.coverage import CoverageCheck
from hookwright.checks.git_state import GitStateCheck
from hookwright.checks.lint import LintCheck
from hookwright.checks.syntax import SyntaxCheck
from hookwright.checks.tests import TestsCheck
from hookwright.checks.todo import TodoCheck
from hookwright.config import Config
from hookwright.errors import BadInput

REGISTRY: dict[str, type[Check]] = {
    "syntax": SyntaxCheck,
    "lint": LintCheck,
    "tests": TestsCheck,
    "coverage": CoverageCheck,
    "git_state": GitStateCheck,
    "todo": TodoCheck,
}

__all__ = ["REGISTRY", "Check", "CheckContext", "CheckError", "build", "names"]


def names(config: Config) -> list[str]:
    return [*REGISTRY, *(c["name"] for c in config.commands)]


def _split(values: Sequence[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def build(config: Config, only: Sequence[str] = (), skip: Sequence[str] = ()) -> list[Check]:
    """The enabled checks, narrowed by ``only`` / ``skip`` (check names or command names)."""
    known = names(config)
    wanted, unwanted = _split(only), _split(skip)
    for name in (*wanted, *unwanted):
        if name not in known:
            raise BadInput(f"unknown check {name!r}; known: {', '.join(known)}")

    def enabled(name: str, options: dict) -> bool:  # type: ignore[type-arg]
        if wanted:
            return name in wanted and name not in unwanted
        return bool(options.get("enabled", True)) and name not in unwanted

    checks: list[Check] = []
    coverage_on = enabled("coverage", dict(config.checks.get("coverage", {})))
    for name, cls in REGISTRY.items():
        options = dict(config.checks.get(name, {}))
        if not enabled(name, options):
            continue
        if cls is LintCheck:
            syntax = config.checks.get("syntax", {})
            python_checked = enabled("syntax", dict(syntax)) and "python" in syntax.get("types", ["python"])
            checks.append(LintCheck(name, options, syntax_elsewhere=python_checked))
        elif cls is TestsCheck:
            needs_run = coverage_on and not config.checks["coverage"].get("report")
            checks.append(TestsCheck(name, options, with_coverage=needs_run))
        else:
            checks.append(cls(name, options))
    if (
        coverage_on
        and not any(c.kind == "tests" for c in checks)
        and not config.checks["coverage"].get("report")
    ):
        # Coverage needs a run of the tests even when the tests check itself is off.
        checks.insert(0, TestsCheck("tests", dict(config.checks["tests"]), with_coverage=True))
    for command in config.commands:
        if enabled(command["name"], dict(command)):
            checks.append(CommandCheck(command["name"], command))
    return checks
