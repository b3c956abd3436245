"""The built-in checks, registered by name in one visible table."""

from __future__ import annotations

from collections.abc import Sequence

from hookwright.errors import BadInput

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from hookwright.checks.base import Check, CheckContext, CheckError
    from hookwright.config import Config

# name -> "module:class"; a check's module is imported only when the check is enabled.
REGISTRY: dict[str, str] = {
    "syntax": "hookwright.checks.syntax:SyntaxCheck",
    "lint": "hookwright.checks.lint:LintCheck",
    "tests": "hookwright.checks.tests:TestsCheck",
    "coverage": "hookwright.checks.coverage:CoverageCheck",
    "git_state": "hookwright.checks.git_state:GitStateCheck",
    "todo": "hookwright.checks.todo:TodoCheck",
}
COMMAND = "hookwright.checks.command:CommandCheck"


def check_class(spec: str) -> type[Check]:
    import importlib

    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)  # type: ignore[no-any-return]


__all__ = ["REGISTRY", "Check", "CheckContext", "CheckError", "build", "check_class", "names"]


def __getattr__(name: str) -> Any:
    # The base classes load with the first check: a run with every check off never pays for them.
    if name in ("Check", "CheckContext", "CheckError"):
        from hookwright.checks import base

        return getattr(base, name)
    raise AttributeError(name)


def names(config: Config) -> list[str]:
    return [*REGISTRY, *(c["name"] for c in config.commands)]


def _split(values: Sequence[str]) -> list[str]:
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


def _checked_names(config: Config, *groups: Sequence[str]) -> list[list[str]]:
    known = names(config)
    split = [_split(group) for group in groups]
    for name in (n for group in split for n in group):
        if name not in known:
            raise BadInput(f"unknown check {name!r}; known: {', '.join(known)}")
    return split


def skipped_on_request(config: Config, only: Sequence[str], skip: Sequence[str]) -> list[str]:
    """The checks that would have run but for ``skip``: a record must say what was left out."""
    wanted, unwanted = _checked_names(config, only, skip)
    options = {**config.checks, **{c["name"]: c for c in config.commands}}
    if wanted:
        return [name for name in unwanted if name in wanted]
    return [name for name in unwanted if bool(options.get(name, {}).get("enabled", True))]


def build(config: Config, only: Sequence[str] = (), skip: Sequence[str] = ()) -> list[Check]:
    """The enabled checks, narrowed by ``only`` / ``skip`` (check names or command names)."""
    wanted, unwanted = _checked_names(config, only, skip)

    def enabled(name: str, options: dict) -> bool:  # type: ignore[type-arg]
        if wanted:
            return name in wanted and name not in unwanted
        return bool(options.get("enabled", True)) and name not in unwanted

    checks: list[Check] = []
    coverage = config.checks.get("coverage", {})
    # Coverage needs a run of the tests under coverage.py, even when the tests check itself is off.
    coverage_run = enabled("coverage", dict(coverage)) and not coverage.get("report")
    for name, spec in REGISTRY.items():
        options = dict(config.checks.get(name, {}))
        if not (enabled(name, options) or (name == "tests" and coverage_run)):
            continue
        cls = check_class(spec)
        if name == "lint":
            syntax = config.checks.get("syntax", {})
            languages = syntax.get("languages", ["python"])
            python_checked = enabled("syntax", dict(syntax)) and "python" in languages
            checks.append(cls(name, options, syntax_elsewhere=python_checked))  # type: ignore[call-arg]
        elif name == "tests":
            checks.append(cls(name, options, with_coverage=coverage_run))  # type: ignore[call-arg]
        else:
            checks.append(cls(name, options))
    commands = [c for c in config.commands if enabled(c["name"], dict(c))]
    if commands:
        command_class = check_class(COMMAND)
        checks.extend(command_class(c["name"], c) for c in commands)
    return checks
