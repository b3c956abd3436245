"""Verifier runs to find one bad hunk among N with `hookwright patch apply` (delta debugging).

usage: python benchmarks/refactor_patch/bisect_runs.py [--hunks 64]

For every position of the bad hunk (0..N-1) a throwaway repository gets a patch of N one-line hunks,
one of them bad, and `patch apply` runs with a real --verify-cmd. Three kinds of failure:
- opaque: the command only fails (exit 1, no location): pure bisection;
- located: the command's output names FILE:LINE of the bad line (as pytest and tracebacks do);
- ruff: the bad hunk adds an undefined name, which ruff's F rules report with its line.
The runs counted are the record's `verification.runs`: every verification of a candidate state,
the first (whole patch) included.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from hookwright.hooks import refactor_patch
from hookwright.refactor.edit_checks import VerifyOptions

CHECK = """\
import pathlib, sys
lines = pathlib.Path("{name}").read_text().splitlines()
bad = [i for i, line in enumerate(lines, 1) if "BAD" in line]
if bad and {located}:
    print(f"{name}:{{bad[0]}}: BAD found")
sys.exit(1 if bad else 0)
"""


def git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=repo, capture_output=True, check=True).stdout


def content(hunks: int, edit: int | None, bad: int | None, python: bool) -> str:
    lines = []
    for i in range(hunks):
        block = [f"# filler {i}.{j}" for j in range(9)]
        value = f"value_{i} = {i}" if python else f"value {i}"
        if edit is not None:
            value = f"value_{i} = {i * 10 + 1}" if python else f"value {i} changed"
        if i == bad:
            value = f"value_{i} = undefined_{i}" if python else f"value {i} BAD"
        lines += [*block, value]
    return "\n".join(lines) + "\n"


def one(root: Path, hunks: int, bad: int, kind: str) -> int:
    python = kind == "ruff"
    name = "values.py" if python else "values.txt"
    repo = root / f"{kind}-{bad}"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / name).write_text(content(hunks, None, None, python))
    git(repo, "add", ".")
    git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "base")
    (repo / name).write_text(content(hunks, 1, bad, python))
    patch = git(repo, "diff", "--no-color")
    git(repo, "checkout", "-q", "--", name)
    script = root / f"check-{kind}.py"
    script.write_text(CHECK.format(name=name, located=kind == "located"))
    command = None if python else (sys.executable, str(script))
    report = refactor_patch.apply_patch(repo, patch, verify=VerifyOptions(command))
    rejected = [h["number"] for h in report.extra["patch"]["hunks"] if h["status"] == "rejected"]
    assert rejected == [bad + 1], (kind, bad, rejected)
    return int(report.extra["verification"]["runs"])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hunks", type=int, default=64)
    parser.add_argument("--kinds", default="opaque,located,ruff")
    args = parser.parse_args()
    result = {"hunks": args.hunks, "ceil(log2 N) + 1": math.ceil(math.log2(args.hunks)) + 1}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in args.kinds.split(","):
            runs = [one(Path(tmp), args.hunks, bad, kind) for bad in range(args.hunks)]
            result[kind] = {
                "min": min(runs),
                "median": statistics.median(runs),
                "mean": round(statistics.fmean(runs), 2),
                "max": max(runs),
                "at most ceil(log2 N) + 1": sum(r <= result["ceil(log2 N) + 1"] for r in runs),
            }
    json.dump(result, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
