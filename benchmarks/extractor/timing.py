"""Wall and CPU time of ``hookwright patterns extract`` on a real codebase of about 100,000 lines.

    python benchmarks/extractor/timing.py SOURCE_DIR [SUBPATH ...] [--runs N] [--jscpd PATH]

Copies the Python files under SOURCE_DIR/SUBPATH... into a scratch git repository (the code itself is
never committed here), then times the whole command as a user runs it: start-up, ``git ls-files``,
reading, parsing, detection, templates with their round-trip checks, JSON out.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def timed(argv: list[str], cwd: Path) -> tuple[float, float, subprocess.CompletedProcess[bytes]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    result = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("subpaths", nargs="*", default=["."])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--jscpd", default=None, help="also time this jscpd binary on the same files")
    args = parser.parse_args()
    repo = Path(tempfile.mkdtemp(prefix="extract-timing-"))
    lines = 0
    for sub in args.subpaths:
        base = args.source / sub
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            target = repo / path.relative_to(args.source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
            lines += path.read_bytes().count(b"\n")
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    print(f"{lines:,} lines in {sum(1 for _ in repo.rglob('*.py'))} files; {os.cpu_count()} CPUs")
    commands = {
        "hookwright patterns extract": [
            sys.executable,
            "-P",
            "-m",
            "hookwright",
            "patterns",
            "extract",
            "--format",
            "json",
        ]
    }
    if args.jscpd:
        commands["jscpd (renamed + gaps + similarity)"] = [
            args.jscpd, "--format", "python", "--min-lines", "6", "--ignore-identifiers=consistent",
            "--ignore-literals", "--max-gap-lines", "3", "--similarity", "--reporters", "silent", ".",
        ]  # fmt: skip
    for name, argv in commands.items():
        walls, cpus = [], []
        for _ in range(args.runs):
            wall, cpu, result = timed(argv, repo)
            if result.returncode not in (0, 1):
                raise SystemExit(result.stderr.decode())
            walls.append(wall)
            cpus.append(cpu)
        extra = ""
        if name.startswith("hookwright"):
            classes = json.loads(result.stdout)["clone_classes"]
            extra = f"; {len(classes)} classes, {sum(1 for c in classes if c['template'])} with a template"
        print(
            f"{name}: wall best {min(walls):.2f} s, median {statistics.median(walls):.2f} s; "
            f"CPU best {min(cpus):.2f} s, median {statistics.median(cpus):.2f} s ({args.runs} runs){extra}"
        )
    shutil.rmtree(repo, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
