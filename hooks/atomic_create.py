"""atomic_create: one file from a template pack or given content (Validate-Execute-Verify).

inputs checked -> rendered -> checked (target, syntax, leftover markers, ruff's F rules) -> written
atomically, pending -> verified on disk (its bytes, syntax, an optional command) -> kept or undone.
"""

from __future__ import annotations

import argparse
import hashlib
import shlex
import time
from collections.abc import Mapping, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from hookwright import parallel, reporting
from hookwright.arguments import parse_args
from hookwright.errors import BadInput, InputProblems, entry_point
from hookwright.git.repo import Repo
from hookwright.reporting import Finding, StepResult
from hookwright.safe_paths import safe_relpath
from hookwright.templates import creation, creation_checks, creation_write
from hookwright.templates import creation_options as creation_cli
from hookwright.templates import packs as template_packs
from hookwright.templates import render as templates

PATTERN = "atomic_create"
DESCRIPTION = "Create one file from a template, all checks first, atomically."


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "template", nargs="?", help="a pack name, PACK/FILE.j2 for one file of a pack, or a pack folder"
    )
    creation_cli.add_variable_arguments(parser)
    parser.add_argument("--out", "-o", metavar="PATH", help="where to write it (default: the pack's path)")
    parser.add_argument("--content", help="write this text instead of rendering a template (needs --out)")
    parser.add_argument(
        "--command",
        metavar="CMD",
        help="verify the written file with this command ({path} is replaced; run without a shell)",
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds the command may take")
    parser.add_argument("--mode", metavar="OCTAL", help="the file's permissions, e.g. 755 for a script")
    creation_cli.add_common_arguments(parser)


def _select(pack: template_packs.Pack, file: str) -> template_packs.Pack:
    names = [f.template for f in pack.files]
    if file:
        chosen = [f for f in pack.files if f.template == file]
        if not chosen:
            raise BadInput(f"template pack {pack.name} has no file {file!r} (it has {', '.join(names)})")
        return replace(pack, files=tuple(chosen))
    if len(pack.files) != 1:
        raise BadInput(
            f"template pack {pack.name} writes {len(names)} files ({', '.join(names)}); name one "
            f"({pack.name}/{names[0]}) or use `hookwright batch`"
        )
    return pack


def find_pack(
    repo: Repo, template: str, extra: Sequence[str], config_file: str | None
) -> template_packs.Pack:
    folder = Path(template)
    folder = folder if folder.is_absolute() else repo.root / folder
    if (folder / template_packs.PACK_FILE).is_file():
        return _select(template_packs.load(folder, template), "")
    name, _, file = template.partition("/")
    return _select(creation.registry(repo, extra, config_file).get(name), file)


def _output(
    repo: Repo,
    *,
    template: str | None,
    content: str | None,
    variables: Mapping[str, Any],
    pairs: Sequence[str],
    vars_file: str | None,
    out: str | None,
    extra: Sequence[str],
    config_file: str | None,
) -> creation.Output:
    if (template is None) == (content is None):
        raise BadInput("give a TEMPLATE or --content, not both or neither (see `hookwright create --help`)")
    target = safe_relpath(out) if out else None
    if content is not None:
        if target is None:
            raise BadInput("--content needs --out PATH: given content has no path pattern")
        if variables or pairs or vars_file:
            raise BadInput("--content is written as given; it takes no variables")
        return creation.Output(target, content.encode("utf-8"), "given content", scan=False)
    assert template is not None
    pack = find_pack(repo, template, extra, config_file)
    values = dict(variables)
    values.update(creation_cli.variables_from(pairs, vars_file, pack.variables))
    context, problems = templates.prepare(pack, values, pack.name)
    if problems:
        raise InputProblems(problems)
    planned, problems = templates.plan_paths(pack, context, ".", pack.name)
    if target is not None:
        problems = [f"{pack.name}: --out {target!r}: {p}" for p in templates.module_path_problems(target)]
        planned = [replace(planned[0], path=target)]
    if problems:
        raise InputProblems(problems)
    return creation.Output.from_rendered(templates.render(planned[0]))


def parse_mode(text: str) -> int:
    """``755`` / ``0755`` / ``0o755`` -> 0o755; no setuid, setgid or sticky bits."""
    digits = text.removeprefix("0o")
    if not (1 <= len(digits) <= 4 and all(c in "01234567" for c in digits)) or int(digits, 8) > 0o777:
        raise BadInput(f"--mode {text!r}: give permissions in octal, e.g. 644 or 755")
    return int(digits, 8)


def _run_command(repo: Repo, command: Sequence[str], path: str, timeout: float) -> list[Finding]:
    argv = [part.replace("{path}", path) for part in command]
    done = parallel.run(argv, cwd=repo.root, timeout=timeout)
    if done.ok:
        return []
    text = (done.out + done.err).strip().splitlines()
    why = "timed out" if done.timed_out else f"exited with {done.returncode}"
    last = f": {text[-1]}" if text else ""
    return [Finding(path, None, None, "command", f"{shlex.join(argv)} {why}{last}")]


def _verify_on_disk(
    repo: Repo, output: creation.Output, command: Sequence[str], timeout: float
) -> list[StepResult]:
    # The read-back step proved the file holds exactly the bytes ruff and the syntax check passed
    # before writing; what only the written file can show is the user's own command.
    steps = [creation.timed("syntax on disk", lambda: creation_checks.syntax([output]), files=1)]
    if command:
        steps.append(
            creation.timed("command", lambda: _run_command(repo, command, output.path, timeout), files=1)
        )
    return steps


def create(
    repo: Repo,
    *,
    template: str | None = None,
    content: str | None = None,
    variables: Mapping[str, Any] | None = None,
    pairs: Sequence[str] = (),
    vars_file: str | None = None,
    out: str | None = None,
    force: bool = False,
    lint: Sequence[str] = (),
    mode: str | None = None,
    dry_run: bool = False,
    extra: Sequence[str] = (),
    config_file: str | None = None,
    command: Sequence[str] = (),
    timeout: float = 300,
    instance_id: str | None = None,
) -> tuple[reporting.Report, creation.Output, dict[str, creation.Action]]:
    """The whole flow; CLI and instances both come here."""
    started_at, start = reporting.utc_now(), time.monotonic()
    output = _output(
        repo,
        template=template,
        content=content,
        variables=variables or {},
        pairs=pairs,
        vars_file=vars_file,
        out=out,
        extra=extra,
        config_file=config_file,
    )
    if mode is not None:
        output = replace(output, mode=parse_mode(mode))
    steps = [StepResult("inputs", "passed", time.monotonic() - start, files=1)]
    checks, actions = creation_checks.validate(repo.root, [output], force, lint)
    steps += checks
    changed: dict[str, list[str]] = {}
    if not dry_run and not creation.failed(steps):
        written = creation_write.write_checked(
            repo,
            [output],
            actions,
            f"{PATTERN} {output.path}",
            lambda _read_back: _verify_on_disk(repo, output, command, timeout),
        )
        steps += written.steps
        changed = written.changed
    extra_fields = {
        "target": output.path,
        "source": output.source,
        "action": actions.get(output.path, "refused"),
        "dry_run": dry_run,
        "bytes": len(output.data),
        "sha256": hashlib.sha256(output.data).hexdigest(),
    }
    report = reporting.finished(
        PATTERN, started_at, start, steps, changed=changed, extra=extra_fields, instance_id=instance_id
    )
    return report, output, actions


def run_instance(
    inputs: Mapping[str, Any], *, root: Path | None = None, dry_run: bool = False
) -> reporting.Report:
    """Run the pattern from an instance file's validated ``inputs``."""
    repo = Repo.discover(root or Path.cwd())
    report, _, _ = create(
        repo,
        template=inputs.get("template"),
        content=inputs.get("content"),
        variables=inputs.get("variables", {}),
        out=inputs.get("out"),
        mode=inputs.get("mode"),
        command=inputs.get("command", ()),
        timeout=float(inputs.get("timeout", 300)),
        **creation_cli.instance_options(inputs, dry_run),
    )
    return report


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    creation_cli.paths_from_cwd(repo.root, args, ["out"])
    report, output, actions = create(
        repo,
        template=args.template,
        content=args.content,
        pairs=args.var,
        vars_file=args.vars,
        out=args.out,
        mode=args.mode,
        command=shlex.split(args.command) if args.command else (),
        timeout=args.timeout,
        **creation_cli.cli_options(args),
    )
    return creation_cli.emit(repo, report, args, [output], actions)


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(parse_args("hookwright create", DESCRIPTION, add_arguments, argv))


if __name__ == "__main__":
    raise SystemExit(main())
