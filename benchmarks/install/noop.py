"""The installed pre-commit hook with nothing to check: hookwright, pre-commit and lefthook side by side.

Each tool gets one hook that checks YAML files, and a commit that stages only a text file: the hook
has nothing to do, so what is measured is the fixed cost of the hook itself (start-up, reading the
configuration, asking git what is staged). The hook script git would run is run directly, the same
way for every tool, medians of --runs after two warm-ups, side by side in one run.

    python benchmarks/install/noop.py --lefthook /path/to/node_modules/.bin/lefthook --runs 30

Needs hookwright, pre-commit and pre-commit-hooks installed in the running interpreter's venv
(`pip install . pre-commit pre-commit-hooks`), and lefthook (`npm install lefthook`).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True)


def make_repo(base: Path, name: str) -> Path:
    repo = base / name
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "config.yaml").write_text("a: 1\n")
    (repo / "notes.txt").write_text("hello\n")
    git(repo, "add", ".")
    git(repo, "-c", "user.name=b", "-c", "user.email=b@b", "commit", "-qm", "init", "--no-verify")
    with (repo / "notes.txt").open("a") as handle:
        handle.write("more\n")
    git(repo, "add", "notes.txt")
    return repo


def setup_hookwright(repo: Path) -> None:
    (repo / ".hookwright.yaml").write_text(
        "checks:\n  syntax: {types: [yaml], conflict_markers: false}\n  lint: {enabled: false}\n"
        "  tests: {enabled: false}\n  git_state: {enabled: false}\n  todo: {enabled: false}\n"
    )
    git(repo, "add", ".hookwright.yaml")
    subprocess.run([BIN / "hookwright", "install"], cwd=repo, check=True, capture_output=True)


def setup_pre_commit(repo: Path) -> None:
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n  - repo: local\n    hooks:\n      - id: check-yaml\n        name: check yaml\n"
        f"        entry: {BIN / 'check-yaml'}\n        language: system\n        types: [yaml]\n"
    )
    git(repo, "add", ".pre-commit-config.yaml")
    subprocess.run([BIN / "pre-commit", "install"], cwd=repo, check=True, capture_output=True)


def setup_lefthook(repo: Path, lefthook: str) -> None:
    (repo / "lefthook.yml").write_text(
        f'pre-commit:\n  commands:\n    yaml:\n      glob: "*.{{yaml,yml}}"\n'
        f"      run: {BIN / 'check-yaml'} {{staged_files}}\n"
    )
    git(repo, "add", "lefthook.yml")
    subprocess.run([lefthook, "install"], cwd=repo, check=True, capture_output=True)


def time_hook(repo: Path, runs: int, env: dict[str, str]) -> tuple[float, int]:
    hook = repo / ".git" / "hooks" / "pre-commit"
    times = []
    code = 0
    for _ in range(runs + 2):
        start = time.perf_counter()
        code = subprocess.run([str(hook)], cwd=repo, env=env, capture_output=True, check=False).returncode
        times.append(time.perf_counter() - start)
    return statistics.median(times[2:]), code


def wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--lefthook", required=True, help="the lefthook executable")
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}"}
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        repos = {name: make_repo(base, name) for name in ("hookwright", "pre-commit", "lefthook", "python")}
        setup_hookwright(repos["hookwright"])
        setup_pre_commit(repos["pre-commit"])
        setup_lefthook(repos["lefthook"], args.lefthook)
        figures = {}
        for name in ("hookwright", "pre-commit", "lefthook"):
            figures[name], code = time_hook(repos[name], args.runs, env)
            assert code == 0, f"{name}'s hook failed"
        figures["python -c pass"] = statistics.median(
            wall([sys.executable, "-c", "pass"]) for _ in range(args.runs)
        )
    for name, seconds in figures.items():
        print(f"{name:<16} {seconds * 1000:7.1f} ms  {seconds / figures['pre-commit']:.2f}x pre-commit")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    shutil.rmtree(base, ignore_errors=True)


if __name__ == "__main__":
    main()
