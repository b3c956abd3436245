"""What a creation writes, checked before writing: syntax, leftover template markers, ruff's F rules."""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from hookwright import file_syntax, parallel, reporting, ruff, strict_yaml
from hookwright.errors import BadInput
from hookwright.reporting import Finding, StepResult
from hookwright.templates import placeholders
from hookwright.templates.creation import Action, Output, timed, with_step
from hookwright.templates.creation_paths import check_paths

RUFF_SELECT = ("F",)  # pyflakes: undefined names, unused imports, redefinitions


def _strict_yaml(path: str, data: bytes) -> list[Finding]:
    try:
        strict_yaml.loads(data, path, require_mapping=False)
    except strict_yaml.LoadError as exc:
        return [Finding(path, exc.line, exc.column, "strict-yaml", exc.detail)]
    except BadInput as exc:
        return [Finding(path, None, None, "strict-yaml", str(exc))]
    return []


def syntax(outputs: Sequence[Output]) -> list[Finding]:
    found = []
    for output in outputs:
        kind = output.file_type
        problems = file_syntax.SYNTAX_VALIDATORS[kind](output.path, output.data) if kind else []
        if not problems and kind == "yaml":
            problems = _strict_yaml(output.path, output.data)  # what our own loader will accept
        found.extend(problems)
    return found


def leftovers(outputs: Sequence[Output]) -> list[Finding]:
    found = []
    for output in outputs:
        if output.scan:
            python = output.file_type == "python"
            found.extend(placeholders.scan(output.path, output.data, python=python))
    return found


def ruff_f(outputs: Sequence[Output], select: Sequence[str] = RUFF_SELECT) -> StepResult:
    """ruff's F rules (or ``select``) over every Python output, in ONE process, on a scratch copy.

    ruff reads files, and ``--stdin-filename`` takes one file per process: 1,000 outputs would be
    1,000 processes. Writing them to a scratch folder at their own relative paths costs a few ms and
    keeps paths and line numbers exact. ``--isolated``: generated code stands on its own, whatever
    the repository's ruff config excludes or ignores.
    """
    python = [o for o in outputs if o.path.endswith(ruff.PYTHON_SUFFIXES)]
    start = time.monotonic()
    if not python:
        return StepResult("ruff", "skipped", 0.0, reason="no Python files")
    with tempfile.TemporaryDirectory(prefix="hookwright-create-", dir=_scratch_parent()) as scratch:
        base = Path(scratch)
        made: set[Path] = set()
        for output in python:
            target = base / output.path
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            target.write_bytes(output.data)
        try:
            by_path = ruff.check(
                base,
                [o.path for o in python],
                select=select,
                extra=["--isolated"],
                respect_excludes=False,
            )
        except ruff.RuffFailed as exc:
            return StepResult("ruff", "error", time.monotonic() - start, reason=str(exc), files=len(python))
    found = [
        with_step(f, "ruff") for path in sorted(by_path) for f in by_path[path] if f.code != ruff.SYNTAX_CODE
    ]
    status: reporting.Status = "failed" if found else "passed"
    return StepResult("ruff", status, time.monotonic() - start, tuple(found), files=len(python))


def _scratch_parent() -> str | None:
    # The scratch copy never needs to survive: in memory (tmpfs) creating 1,000 files takes ~15 ms,
    # on a VM's disk 100-700 ms.
    shm = Path("/dev/shm")
    return str(shm) if shm.is_dir() and os.access(shm, os.W_OK | os.X_OK) else None


def validate(
    root: Path, outputs: Sequence[Output], force: bool, lint: Sequence[str] = ()
) -> tuple[list[StepResult], dict[str, Action]]:
    """Every check; ruff (a process) runs while Python checks syntax and markers in this one.

    ``lint``: ruff rules to check on top of F (``["E9", "B"]``), for teams that want more.
    """
    paths_step, actions = check_paths(root, outputs, force)
    in_process = lambda: [  # noqa: E731
        timed("syntax", lambda: syntax(outputs), files=len(outputs)),
        timed("placeholders", lambda: leftovers(outputs), files=sum(o.scan for o in outputs)),
    ]
    select = list(dict.fromkeys([*RUFF_SELECT, *lint]))
    external = lambda: [ruff_f(outputs, select)]  # noqa: E731
    results = parallel.run_many([external, in_process], jobs=2)
    return [paths_step, *results[1], *results[0]], actions
