"""Wall time and peak memory of hookwright on hostile input: each case in a fresh child process.

    python benchmarks/hostile_inputs/bench.py --work /tmp/hostile [--runs 3]

Every case must end in well under 2 s and 200 MB; the table says how far under. The inputs are made
here (alias bombs, catastrophic regexes, /dev/zero): no real project has them, which is the point.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

LAUGHS = (
    "a0: &a0 ["
    + ", ".join(["lol"] * 9)
    + "]\n"
    + "".join(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]\n" for i in range(1, 10))
)
MERGE = (
    "m0: &m0 {"
    + ", ".join(f"k{j}: {j}" for j in range(9))
    + "}\n"
    + "".join(f"m{i}: &m{i} {{<<: [" + ", ".join([f"*m{i - 1}"] * 9) + f"], z{i}: 1}}\n" for i in range(1, 9))
)


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def fresh(work: Path) -> Path:
    repo = work / "repo"
    shutil.rmtree(repo, ignore_errors=True)
    (repo / "pkg").mkdir(parents=True)
    (repo / "pkg" / "mod.py").write_text("def add(a, b):\n    return a + b\n")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "base")
    return repo


def config(text: str) -> Callable[[Path], list[str]]:
    def setup(repo: Path) -> list[str]:
        (repo / ".hookwright.yaml").write_text(text)
        return ["config"]

    return setup


def regex(allow: str, line: str) -> Callable[[Path], list[str]]:
    def setup(repo: Path) -> list[str]:
        (repo / ".hookwright.yaml").write_text(f"checks:\n  todo:\n    allow: '{allow}'\n")
        (repo / "notes.txt").write_text(line + "\n")
        git(repo, "add", ".")
        return ["verify", "--only", "todo"]

    return setup


def patch(path: str) -> Callable[[Path], list[str]]:
    return lambda repo: ["patch", "apply", path]


def prose(repo: Path) -> list[str]:
    (repo.parent / "letter.txt").write_bytes(b"this is a letter, not a patch\n" * 100_000)
    return ["patch", "apply", str(repo.parent / "letter.txt")]


CASES: dict[str, Callable[[Path], list[str]]] = {
    "config: billion laughs (596 B)": config(LAUGHS),
    "config: merge-key bomb (560 B)": config(MERGE),
    "todo.allow (a+)+$ on 40 a's and !": regex("(a+)+$", "a" * 40 + "! # TODO"),
    "todo.allow (x|x|xx)*y on 5,000 x": regex("(x|x|xx)*y", "x" * 5000 + " # TODO"),
    "patch apply /dev/zero": patch("/dev/zero"),
    "patch apply 3 MB of prose": prose,
}


def measure(argv: list[str], cwd: Path) -> tuple[float, int, int]:
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "hookwright", *argv],
        cwd=cwd,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return time.perf_counter() - start, usage.ru_maxrss // 1024, proc.returncode


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    args.work.mkdir(parents=True, exist_ok=True)
    print("| case | exit | median wall s | peak RSS MB |\n|---|---|---|---|")
    for name, setup in CASES.items():
        results = []
        for _ in range(args.runs):
            repo = fresh(args.work)
            results.append(measure(setup(repo), repo))
        wall = statistics.median(r[0] for r in results)
        rss = max(r[1] for r in results)
        print(f"| {name} | {results[0][2]} | {wall:.2f} | {rss} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
