"""self_heal on one very large file: seconds and megabytes at 10k, 100k and 300k lines (issue 16).

Each size is a generated module of repetitive functions (the worst case for line matching) with one
breakage near its end; ``hookwright-self-heal FILE`` runs on it in a fresh git repository (exit 1:
it fixed the file; 0: nothing to fix), as
pre-commit runs it, in a child process of its own. Reported: wall and CPU seconds, the peak memory of
hookwright's own process, and the peak of the tools it starts (ruff, git) apart.

    python benchmarks/self_heal/scale.py [--sizes 10000,100000,300000] [--breakage colon,tab,none]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BLOCK = (
    "def f{n}(a, b):\n    x = a + b\n    if x > {n}:\n        return [x, a,\n                b]\n"
    "    return x\n\n\n"
)
# Runs the hook in this child and prints its own peak memory: /usr/bin/time would report the
# largest of the process tree, which is ruff's.
HOOK = (
    "import resource, sys\n"
    "from hookwright.hooks.self_heal import main\n"
    "try:\n"
    "    code = main(sys.argv[1:])\n"
    "finally:\n"
    "    print('peak-kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
    "raise SystemExit(code)\n"
)


def module(lines: int, breakage: str) -> str:
    out: list[str] = []
    n = 0
    while len(out) < lines:
        out += BLOCK.format(n=n).splitlines(keepends=True)
        n += 1
    if breakage == "colon":
        at = max(i for i, line in enumerate(out) if line.lstrip().startswith("if "))
        out[at] = out[at].replace(":", "", 1)
    elif breakage == "tab":
        at = max(i for i, line in enumerate(out) if line.startswith("    x = "))
        out[at] = "\t" + out[at][4:]
    return "".join(out)


def run(lines: int, breakage: str) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="hw-scale-") as tmp:
        repo = Path(tmp)
        subprocess.run(["git", "init", "-q", str(repo)], check=True)
        (repo / "big.py").write_text(module(lines, breakage), encoding="utf-8")
        subprocess.run(["git", "-C", str(repo), "add", "big.py"], check=True)
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-c", HOOK, "big.py"], cwd=repo, capture_output=True, text=True, check=False
        )
        wall = time.monotonic() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        peak = next(int(x.split()[1]) for x in result.stderr.splitlines() if x.startswith("peak-kb"))
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "peak_mb": peak / 1024,
        "children_peak_mb": after.ru_maxrss / 1024,
        "exit": result.returncode,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,300000")
    parser.add_argument("--breakage", default="colon,tab,none")
    args = parser.parse_args(argv)
    sys.stdout.write(
        "| lines | breakage | exit | wall s | CPU s | hookwright peak MB | largest process MB |\n"
    )
    sys.stdout.write("|---:|---|---:|---:|---:|---:|---:|\n")
    for breakage in args.breakage.split(","):
        for size in (int(s) for s in args.sizes.split(",")):
            row = run(size, breakage)
            sys.stdout.write(
                f"| {size:,} | {breakage} | {row['exit']:.0f} | {row['wall']:.1f} | {row['cpu']:.1f} | "
                f"{row['peak_mb']:.0f} | {row['children_peak_mb']:.0f} |\n"
            )
            sys.stdout.flush()
    return 0


if __name__ == "__main__":
    os.environ.setdefault("NO_COLOR", "1")
    raise SystemExit(main())
