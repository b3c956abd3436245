"""Time `hookwright worktree list` against the number of worktrees, and what isolation costs a verify.

Usage: python benchmarks/worktree_lifecycle/bench.py [--files N] [--worktrees 1,10,50] [--runs 5]
Builds throwaway repositories under a temporary directory; prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def timed(argv: list[str], cwd: Path, runs: int) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, cwd=cwd, check=False, capture_output=True)
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def make_repo(root: Path, files: int) -> Path:
    repo = root / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    for i in range(files):
        path = repo / f"pkg{i % 20}" / f"mod{i}.py"
        path.parent.mkdir(exist_ok=True)
        path.write_text(f"def f{i}(x):\n    return x + {i}\n")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "init")
    (repo / ".hookwright.yaml").write_text("worktree:\n  checks: [syntax]\ncache: false\n")
    return repo


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--worktrees", default="1,10,50")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    hw = [sys.executable, "-m", "hookwright"]
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["TMPDIR"] = tmp
        repo = make_repo(Path(tmp), args.files)
        print("| measurement | median (s) |\n|---|---|")
        made = 1
        for count in (int(n) for n in args.worktrees.split(",")):
            while made < count:
                git(repo, "worktree", "add", "-q", "-b", f"w{made}", str(Path(tmp) / f"w{made}"))
                made += 1
            list_s = timed([*hw, "worktree", "list"], repo, args.runs)
            print(f"| `worktree list`, {count} worktrees, {args.files} files each | {list_s:.3f} |")
        (repo / "pkg0" / "mod0.py").write_text("def f0(x):\n    return x - 1\n")
        git(repo, "add", "pkg0/mod0.py")
        in_place = timed([*hw, "verify", "--only", "syntax", "--no-cache"], repo, args.runs)
        isolated_argv = [*hw, "worktree", "verify", "--staged", "--only", "syntax", "--no-cache"]
        isolated = timed(isolated_argv, repo, args.runs)
        print(f"| `verify --only syntax` in place, {args.files} files | {in_place:.3f} |")
        print(f"| `worktree verify --staged --only syntax` (isolated), {args.files} files | {isolated:.3f} |")


if __name__ == "__main__":
    main()
