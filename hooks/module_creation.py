"""module_creation: a module, its tests and its package wiring, kept only when the tests pass (VEV + TGB).

module path checked -> both packs' variables checked -> module, test module, ``__init__.py`` files and
the package's ``__all__`` planned and checked together -> one transaction, pending -> the generated
tests run (hookwright.testing.adapters) -> kept, or every file put back as it was.
"""

from __future__ import annotations

import argparse
import os
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from hookwright import config, reporting
from hookwright.arguments import parse_args
from hookwright.errors import BadInput, InputProblems, entry_point
from hookwright.git.repo import Repo
from hookwright.reporting import StepResult
from hookwright.safe_paths import safe_relpath
from hookwright.templates import creation, creation_checks, creation_preview, creation_write
from hookwright.templates import creation_options as creation_cli
from hookwright.templates import packs as template_packs
from hookwright.templates import render as templates
from hookwright.templates.package_wiring import wiring
from hookwright.templates.roles import check_value
from hookwright.testing import adapters as testing
from hookwright.testing import suite

PATTERN = "module_creation"
DESCRIPTION = "Create a module with its tests and package wiring; kept if tests pass."
AUTOMATIC = ("import_path", "module_name", "package")  # filled in for packs that declare them


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("module", help="the new module's dotted import path, e.g. inventory.colors")
    parser.add_argument(
        "--template", default="lookup", help="the pack that writes the module (default: lookup)"
    )
    parser.add_argument(
        "--test-template", default="test", help="the pack that writes its tests (default: test)"
    )
    creation_cli.add_variable_arguments(parser)
    parser.add_argument(
        "--source-root", help="where the package tree starts, e.g. src (default: the repository)"
    )
    parser.add_argument("--tests-dir", help="where the test module goes (default: tests)")
    parser.add_argument(
        "--export", action="append", default=None, metavar="NAME", help="a name for the package's __all__"
    )
    parser.add_argument("--no-tests", action="store_true", help="do not run the generated tests")
    parser.add_argument("--test-timeout", type=float, default=600)
    creation_cli.add_common_arguments(parser)


def _one_python(
    pack: template_packs.Pack, planned: list[templates.Planned], path: str
) -> list[templates.Planned]:
    python = [p for p in planned if p.path.endswith(templates.PYTHON_SUFFIXES)]
    if len(python) != 1:
        raise BadInput(
            f"template pack {pack.name} writes {len(python)} Python files; module_creation needs exactly one"
        )
    return [replace(p, path=path) if p is python[0] else p for p in planned]


def create_module(
    repo: Repo,
    module: str,
    *,
    template: str = "lookup",
    test_template: str = "test",
    given: Mapping[str, Any] | None = None,
    source_root: str = ".",
    tests_dir: str = "tests",
    exports: Sequence[str] | None = None,
    run_tests: bool = True,
    test_timeout: float = 600,
    force: bool = False,
    lint: Sequence[str] = (),
    dry_run: bool = False,
    extra: Sequence[str] = (),
    config_file: str | None = None,
    instance_id: str | None = None,
) -> tuple[reporting.Report, list[creation.Output], dict[str, creation.Action]]:
    """The whole flow; CLI and instances both come here."""
    started_at, start = reporting.utc_now(), time.monotonic()
    given = dict(given or {})
    problems = [f"module {module!r}: {p}" for p in check_value(module, "module")]
    root_dir = creation.safe_target(source_root)
    tests_folder = creation.safe_target(tests_dir)
    if problems:
        raise InputProblems(problems)
    package, _, module_name = module.rpartition(".")
    automatic = {"import_path": module, "module_name": module_name, "package": package}
    reg = creation.registry(repo, extra, config_file)
    packs = {"module": reg.get(template), "tests": reg.get(test_template)}
    declared = {name for pack in packs.values() for name in pack.variables.get("properties", {})}
    problems = [
        f"variable {name}: declared by neither {template} nor {test_template}"
        for name in given
        if name not in declared
    ]
    contexts = {}
    for role, pack in packs.items():
        own = pack.variables.get("properties", {})
        values = {k: v for k, v in {**automatic, **given}.items() if k in own}
        context, found = templates.prepare(pack, values, pack.name)
        problems += found
        contexts[role] = context
    if problems:
        raise InputProblems(problems)
    base = "" if root_dir == "." else root_dir + "/"
    package_dir = base + package.replace(".", "/") if package else root_dir.strip(".")
    module_path = f"{package_dir}/{module_name}.py" if package_dir else f"{module_name}.py"
    test_path = safe_relpath(f"{tests_folder}/test_{module_name}.py")
    planned: list[templates.Planned] = []
    for role, pack in packs.items():
        paths, found = templates.plan_paths(pack, contexts[role], ".", pack.name)
        problems += found
        planned += _one_python(pack, paths, module_path if role == "module" else test_path)
    if problems:
        raise InputProblems(problems)
    steps = [StepResult("variables", "passed", time.monotonic() - start, files=2)]
    if exports is None:
        exports = [given["function"]] if isinstance(given.get("function"), str) else []
    outputs = [creation.Output.from_rendered(r) for r in templates.render_all(planned)]
    depth = package.count(".") + 1 if package else 0
    outputs += wiring(repo.root, package_dir, depth, module_name, exports)
    checks, actions = creation_checks.validate(repo.root, outputs, force, lint)
    steps += checks
    changed: dict[str, list[str]] = {}
    tests: dict[str, Any] = {"ran": False, "path": test_path}
    rolled_back = False

    def run_tests_after(read_back: StepResult) -> list[StepResult]:
        nonlocal tests
        if not run_tests or read_back.status != "passed":
            return []
        python = _project_python(repo, config_file)
        step, tests = _run_tests(repo, test_path, root_dir, test_timeout, python)
        return [step]

    if not dry_run and not creation.failed(steps):
        written = creation_write.write_checked(repo, outputs, actions, f"{PATTERN} {module}", run_tests_after)
        steps += written.steps
        changed, rolled_back = written.changed, written.rolled_back
    extra_fields = {
        "module": module,
        "dry_run": dry_run,
        "plan": creation_preview.plan_record(outputs, actions),
        "tests": tests,
        "rolled_back": rolled_back,
    }
    report = reporting.finished(
        PATTERN, started_at, start, steps, changed=changed, extra=extra_fields, instance_id=instance_id
    )
    return report, outputs, actions


def _project_python(repo: Repo, config_file: str | None) -> str:
    """The interpreter the tests check would use (checks.tests.python, the project's venv, ...): the
    project's, which has pytest and the project's dependencies, not necessarily hookwright's own."""
    cfg = config.load(repo.root, config_file, repo.state_dir / "cache")
    return suite.project_python(repo.root, cfg.checks["tests"].get("python"))


def _run_tests(
    repo: Repo, test_path: str, source_root: str, timeout: float, python: str
) -> tuple[StepResult, dict[str, Any]]:
    env = dict(os.environ)
    if source_root != ".":  # a src layout: the tests import from there
        paths = [str(repo.root / source_root), env.get("PYTHONPATH", "")]
        env["PYTHONPATH"] = os.pathsep.join(p for p in paths if p)
    run = testing.run_tests(repo.root, "pytest", args=[test_path], timeout=timeout, env=env, python=python)
    status: reporting.Status = "passed" if run.ok else "failed"
    findings = tuple(run.findings("tests")) if not run.ok else ()
    if not run.ok and "No module named pytest" in run.output and not run.passed + run.failed + run.errors:
        status = "error"  # nothing was proven either way: the module is not kept, and the user is told why
        message = f"no pytest for {python}: set checks.tests.python to the project's python, or --no-tests"
        findings = (reporting.Finding(test_path, None, None, "tests", message, step="tests"),)
    elif not run.ok and not findings:
        message = run.problem or f"pytest exited with {run.returncode}"
        findings = (reporting.Finding(test_path, None, None, "tests", message, step="tests"),)
    step = StepResult("tests", status, run.duration, findings, reason=run.problem, files=1)
    summary = {
        "ran": True,
        "path": test_path,
        "passed": run.passed,
        "failed": run.failed,
        "errors": run.errors,
        "skipped": run.skipped,
    }
    if run.problem:
        summary["problem"] = run.problem
    return step, summary


def run_instance(
    inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False
) -> reporting.Report:
    """Run the pattern from an instance file's validated ``inputs``."""
    repo = Repo.discover(root or Path.cwd())
    report, _, _ = create_module(
        repo,
        inputs["module"],
        template=inputs.get("template", "lookup"),
        test_template=inputs.get("test_template", "test"),
        given=inputs.get("variables", {}),
        source_root=inputs.get("source_root", "."),
        tests_dir=inputs.get("tests_dir", "tests"),
        exports=inputs.get("exports"),
        run_tests=bool(inputs.get("run_tests", True)),
        test_timeout=float(inputs.get("test_timeout", 600)),
        **creation_cli.instance_options(inputs, dry_run),
    )
    return report


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    creation_cli.paths_from_cwd(repo.root, args, ["source_root", "tests_dir"])
    reg = creation.registry(repo, args.templates, args.config)
    schema = {
        "properties": {
            **reg.get(args.test_template).variables.get("properties", {}),
            **reg.get(args.template).variables.get("properties", {}),
        }
    }
    given = creation_cli.variables_from(args.var, args.vars, schema)
    report, outputs, actions = create_module(
        repo,
        args.module,
        template=args.template,
        test_template=args.test_template,
        given=given,
        source_root=args.source_root or ".",
        tests_dir=args.tests_dir or "tests",
        exports=args.export,
        run_tests=not args.no_tests,
        test_timeout=args.test_timeout,
        **creation_cli.cli_options(args),
    )
    return creation_cli.emit(repo, report, args, outputs, actions)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(parse_args("hookwright module", DESCRIPTION, add_arguments, argv))


if __name__ == "__main__":
    raise SystemExit(main())
