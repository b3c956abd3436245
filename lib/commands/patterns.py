"""``hookwright patterns extract``: repeated code, as clone classes and as templates batch_create can use.

    hookwright patterns extract [PATH...] [--min-lines N] [--format text|json|sarif] [--emit DIR]

Text lists the classes best first (lines a template would save, less a cost per hole); JSON is
``{"clone_classes": [...]}``; SARIF has one ``note`` per member for code-scanning annotations.
``--emit DIR`` writes a template pack per class and a batch_create instance per member (through one
file transaction). Exit 0 whatever was found; 2 for bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from hookwright import output
from hookwright.arguments import parse_args
from hookwright.errors import BadInput, entry_point

if TYPE_CHECKING:  # the analysis modules load only when a command runs
    from hookwright.clones.classes import Analysis, CloneClass
    from hookwright.clones.sources import Sources
    from hookwright.reporting import Finding

DESCRIPTION = "find repeated code (clone classes) and turn it into templates"
MIN_LINES_FLOOR = 2


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    extract = sub.add_parser("extract", help="report clone classes; --emit writes template packs")
    extract.add_argument("paths", nargs="*", metavar="PATH", help="files or folders (default: .)")
    extract.add_argument(
        "--min-lines", type=int, default=6, metavar="N", help="smallest clone, in code lines (default: 6)"
    )
    extract.add_argument("--format", "-f", choices=("text", "json", "sarif"), default="text")
    extract.add_argument("--emit", metavar="DIR", help="write template packs and instances into DIR")
    extract.add_argument(
        "--include-generated",
        action="store_true",
        help="also read generated and vendored code (left out by default)",
    )
    extract.error = parser.error  # type: ignore[method-assign]


def run_from_args(args: argparse.Namespace) -> int:
    from hookwright.clones import classes as clones
    from hookwright.clones import sources as clone_sources

    if args.min_lines < MIN_LINES_FLOOR:
        raise BadInput(f"--min-lines must be at least {MIN_LINES_FLOOR} (got {args.min_lines})")
    cwd = Path.cwd()
    sources = clone_sources.collect(args.paths, cwd=cwd, include_generated=args.include_generated)
    emit_dir = _emit_dir(args.emit, sources, cwd) if args.emit else None
    analysis = clones.analyse(sources.files, min_lines=args.min_lines)
    emitted: list[str] = []
    if emit_dir is not None:
        emitted = _write_packs(analysis.classes, emit_dir, sources)
    if args.format == "json":
        document = {"clone_classes": [c.to_dict() for c in analysis.classes]}
        output.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    elif args.format == "sarif":
        from hookwright.sarif import from_findings

        output.write(json.dumps(from_findings(findings(analysis.classes)), indent=2) + "\n")
    else:
        output.write(render_text(analysis, sources, emitted, emit_dir))
    return 0


def findings(classes: Sequence[CloneClass]) -> list[Finding]:
    """One note per member: where the code repeats, and where else it is."""
    from hookwright.reporting import Finding

    notes = []
    for clone in classes:
        for member in clone.members:
            others = [m for m in clone.members if m is not member]
            elsewhere = ", ".join(f"{m.path}:{m.start_line}" for m in others[:3])
            if len(others) > 3:
                elsewhere += f" and {len(others) - 3} more"
            template = f"a template with {clone.holes} holes" if clone.template else "no template"
            message = (
                f"{clone.type} clone: lines {member.start_line}-{member.end_line} repeat at {elsewhere} "
                f"({template}; about {max(clone.saving, 0)} lines to save)"
            )
            notes.append(
                Finding(
                    member.path, member.start_line, None, f"clone-{clone.type}", message, "note", "patterns"
                )
            )
    return notes


def render_text(analysis: Analysis, sources: Sources, emitted: Sequence[str], emit_dir: str | None) -> str:
    lines = []
    for number, clone in enumerate(analysis.classes, 1):
        template = f"template with {clone.holes} holes" if clone.template else f"no template: {clone.reason}"
        lines.append(
            f"{number}. {clone.type} clone class: {len(clone.members)} x {clone.lines} lines, "
            f"saves about {max(clone.saving, 0)} lines ({template})"
        )
        lines.extend(f"   {m.path}:{m.start_line}-{m.end_line}" for m in clone.members)
    for path, why in analysis.skipped:
        lines.append(f"{path}: skipped: {why}")
    count = len(analysis.classes)
    found = "no clone classes" if not count else f"{count} clone class" + ("es" if count > 1 else "")
    summary = f"{analysis.files} files, {analysis.lines:,} lines analysed: {found}"
    if analysis.skipped:
        summary += f"; {len(analysis.skipped)} files do not parse"
    if sources.excluded:
        summary += f"; {len(sources.excluded)} generated, vendored or unreadable files left out"
    lines.append(summary)
    if emit_dir is not None:
        lines.append(f"{len(emitted)} template packs and their instances written to {emit_dir}/")
    return "\n".join(lines) + "\n"


def _emit_dir(raw: str, sources: Sources, cwd: Path) -> str:
    from hookwright.safe_paths import safe_relpath

    if sources.repo is None:
        raise BadInput("--emit writes into a git repository; run it inside one (or `git init` first)")
    root = sources.repo.root.resolve()
    target = (cwd / raw).resolve()
    if not target.is_relative_to(root) or target == root:
        raise BadInput(f"--emit {raw}: give a folder inside the repository {root} (not its root)")
    if target.exists() and not target.is_dir():
        raise BadInput(f"--emit {raw}: exists and is not a folder")
    return safe_relpath(target.relative_to(root).as_posix())


def _write_packs(classes: Sequence[CloneClass], emit_dir: str, sources: Sources) -> list[str]:
    from hookwright.clones import packs as clone_packs
    from hookwright.transactions import FileTransaction, journal_dir

    repo = sources.repo
    if repo is None:  # _emit_dir refused this already
        raise BadInput("--emit writes into a git repository")
    emission = clone_packs.emit(classes, emit_dir)
    for name, why in emission.dropped:
        sys.stderr.write(f"hookwright: {name}: no pack: {why}\n")
    if emission.files:
        with FileTransaction(repo.root, journal_dir(repo.state_dir), label="patterns extract") as transaction:
            for relpath, data in emission.files.items():
                transaction.write(relpath, data)
    return emission.packs


@entry_point
def main(argv: Sequence[str] | None = None) -> int:
    return run_from_args(parse_args("hookwright patterns", DESCRIPTION, add_arguments, argv))


if __name__ == "__main__":
    raise SystemExit(main())
