"""Mutation benchmark for test selection: does `hookwright verify --only tests` ever pass a mutant
that the project's whole suite kills (an escape), and how much of the suite's time does it save?

Usage (see README.md beside this file):
    python benchmarks/selection/run.py --python VENV/bin/python --work /tmp/selbench \
        --project boltons=SRC/boltons-24.1.0 --project tomlkit=SRC/tomlkit-0.13.2 --mutants 20
"""

from __future__ import annotations

import argparse
import ast
import json
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutate import Mutant, sample

_SKIP_PARTS = {".git", "__pycache__", ".tox", "docs", "doc"}
_DATA_SUFFIXES = {".toml", ".json", ".txt", ".jsonl", ".yaml", ".yml", ".csv"}


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=repo, capture_output=True, text=True, check=True)
    return done.stdout


def pytest_args(repo: Path) -> list[str]:
    """A src layout's package is importable from the tree itself (never from an installed copy)."""
    return ["-o", "pythonpath=src"] if (repo / "src").is_dir() else []


def make_repo(source: Path, repo: Path, python: str, record: bool) -> None:
    shutil.rmtree(repo, ignore_errors=True)
    shutil.copytree(source, repo, ignore=shutil.ignore_patterns("*.egg-info", "__pycache__", ".git"))
    config = f"checks:\n  tests:\n    python: {python}\n    timeout: 300\n"
    config += f"    record_lines: {'true' if record else 'false'}\n"
    if pytest_args(repo):
        config += f"    args: {json.dumps(pytest_args(repo))}\n"
    (repo / ".hookwright.yaml").write_text(config)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=bench", "-c", "user.email=b@example.com", "commit", "-qm", "project")


def full_suite(repo: Path, python: str, *, stop_first: bool) -> tuple[bool, float]:
    argv = [python, "-m", "pytest", "-q", "-p", "no:cacheprovider", *(["-x"] if stop_first else [])]
    argv += pytest_args(repo)
    started = time.monotonic()
    try:
        # Bytecode kept outside the repository (as hookwright keeps it): `git add -A` must not
        # stage __pycache__, and neither side compiles everything again on every run.
        cache = repo.parent / f"{repo.name}-pycache"
        done = subprocess.run(argv, cwd=repo, capture_output=True, timeout=600, check=False,
                              env={"PATH": "/usr/bin:/bin", "PYTHONPYCACHEPREFIX": str(cache)})  # fmt: skip
        passed = done.returncode == 0
    except subprocess.TimeoutExpired:
        passed = False
    return passed, time.monotonic() - started


def verify(repo: Path) -> dict:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "hookwright", "verify", "--only", "tests"],
                          cwd=repo, capture_output=True, text=True, check=False)  # fmt: skip
    elapsed = time.monotonic() - started
    records = sorted((repo / ".git" / "hookwright" / "records").glob("*.json"))
    step = json.loads(records[-1].read_text())["steps"][0]
    return {"exit": done.returncode, "seconds": elapsed, "status": step["status"], "cached": step["cached"],
            "files": step.get("files", 0), "reason": step.get("reason", "")}  # fmt: skip


def directly_imported(repo: Path, tests: list[str]) -> set[str]:
    """Dotted names test files import themselves (to say how a mutated module is reached)."""
    names: set[str] = set()
    for path in tests:
        try:
            tree = ast.parse((repo / path).read_text(encoding="utf-8"))
        except (SyntaxError, UnicodeDecodeError):
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
                names.update(f"{node.module}.{a.name}" for a in node.names)
    return names


def reach(mutant: Mutant, imported: set[str]) -> str:
    if mutant.path in ("pyproject.toml", "setup.cfg"):
        return "pytest config"
    if mutant.path.startswith("bin/"):
        return "started as a program"
    if not mutant.path.endswith(".py"):
        return "data file"
    dotted = mutant.path[:-3].replace("/", ".").removesuffix(".__init__")
    tails = {".".join(dotted.split(".")[i:]) for i in range(len(dotted.split(".")))}
    return "imported by a test" if tails & imported else "reached indirectly"


def files_of(repo: Path) -> tuple[list[str], list[str], list[str]]:
    listed = git(repo, "ls-files").split("\n")
    paths = [p for p in listed if p and not _SKIP_PARTS.intersection(p.split("/"))]
    tests = [p for p in paths if p.endswith(".py") and ("test" in p.split("/")[-1] or "tests/" in p)]
    sources = [p for p in paths if p.endswith(".py") and p not in tests and p.split("/")[-1] != "setup.py"]
    sources = [p for p in sources if not p.startswith(("versioneer", "conftest")) and "/" in p]
    data = [p for p in paths if Path(p).suffix in _DATA_SUFFIXES and ("test" in p) and "toml-test" not in p]
    return tests, sources, data


def manifest_mutants(repo: Path, manifest: dict, name: str) -> list[Mutant]:
    """A blind set's mutants (blind/README.md): each edit (path, line, old lines, new lines) made on
    the clean tree; the whole suite killed every one when the set was built."""
    mutants = []
    for edit in next(p for p in manifest["projects"] if p["project"] == name)["mutants"]:
        lines = (repo / edit["path"]).read_text(encoding="utf-8").splitlines(keepends=True)
        start, count = edit["line"] - 1, len(edit["old"].splitlines(keepends=True))
        if "".join(lines[start : start + count]) != edit["old"]:
            raise SystemExit(f"{name}: {edit['path']}:{edit['line']} does not match the manifest's edit")
        lines[start : start + count] = [edit["new"]]
        mutants.append(Mutant(edit["path"], edit["operator"], edit["line"], "".join(lines)))
    return mutants


def bench_project(
    name: str,
    source: Path,
    work: Path,
    python: str,
    wanted: int,
    seed: int,
    record: bool,
    manifest: dict | None = None,
) -> dict:
    repo = work / name
    make_repo(source, repo, python, record)
    clean = [full_suite(repo, python, stop_first=False) for _ in range(3)]
    assert all(ok for ok, _ in clean), f"{name}: the clean suite must pass"
    full_seconds = statistics.median(t for _, t in clean)
    first = verify(repo)
    first_error = first["status"] == "error"
    if first_error:
        # Seen on src layouts under load (an import error in the first run); its records matter
        # to every later row, so it is tried once more and the error is reported.
        print(f"{name}: the first verify errored: {first['reason'][-120:]}", flush=True)
        first = verify(repo)
    tests, sources, data = files_of(repo)
    imported = directly_imported(repo, tests)
    rows = []
    mutants = manifest_mutants(repo, manifest, name) if manifest else sample(repo, sources, data, seed)
    for mutant in mutants:
        if not manifest and sum(r["killed"] for r in rows) >= wanted:
            break
        target = repo / mutant.path
        original = target.read_bytes()
        target.write_text(mutant.text, encoding="utf-8")
        # A manifest's mutants were each killed by the whole suite when the set was built.
        survived = False if manifest else full_suite(repo, python, stop_first=True)[0]
        target.write_bytes(original)
        row = {"mutant": mutant.describe(), "reach": reach(mutant, imported), "killed": not survived}
        rows.append(row)
        if survived:
            continue
        row["previous"] = verify(repo)  # the state before the change: verified, from the cache
        target.write_text(mutant.text, encoding="utf-8")
        git(repo, "add", "-A")
        row["hookwright"] = verify(repo)
        row["escape"] = row["hookwright"]["exit"] == 0
        git(repo, "reset", "-q", "--hard")
        ran = row["hookwright"]
        print(f"{name}: {mutant.describe():60} {row['reach']:20} exit {ran['exit']}"
              f" {ran['seconds']:.1f}s {ran['reason'][-70:]}", flush=True)  # fmt: skip
        if row["escape"]:
            print(f"{name}: ESCAPE {mutant.describe()}: {ran['reason']}", flush=True)
    killed = [r for r in rows if r["killed"]]
    fractions = [r["hookwright"]["seconds"] / full_seconds for r in killed]
    return {
        "project": name,
        "full_suite_seconds": round(full_seconds, 2),
        "first_verify_seconds": round(first["seconds"], 2),
        "first_verify_errored": first_error,
        "mutants_tried": len(rows),
        "killed": len(killed),
        "escapes": sum(r["escape"] for r in killed),
        "median_fraction_of_full_suite": round(statistics.median(fractions), 3) if fractions else None,
        "narrowed": sum(_narrowed(r["hookwright"]["reason"]) for r in killed),
        "narrowed_by_records": sum("tests left out" in r["hookwright"]["reason"] for r in killed),
        "by_reach": {k: sum(r["reach"] == k for r in killed) for k in sorted({r["reach"] for r in killed})},
        "rows": rows,
    }


def _narrowed(reason: str) -> bool:
    """The run left tests out: by the import graph ("3 of 28 test files reach"), or by per-test
    records. "12 of 12 test files reach" is the whole suite."""
    reach = re.search(r"(\d+) of (\d+) test files reach", reason)
    return bool(reach and reach[1] != reach[2]) or "tests left out" in reason


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--python", required=True, help="interpreter with pytest and the projects' deps")
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--mutants", type=int, default=20, help="killed mutants per project")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--record", action="store_true", help="checks.tests.record_lines: true")
    parser.add_argument("--manifest", type=Path, help="take every mutant from a blind set's manifest")
    args = parser.parse_args()
    manifest = json.loads(args.manifest.read_text()) if args.manifest else None
    results = []
    for spec in args.project:
        name, _, path = spec.partition("=")
        source = Path(path).resolve()
        results.append(
            bench_project(
                name, source, args.work, args.python, args.mutants, args.seed, args.record, manifest
            )
        )
    for r in results:
        print(f"{r['project']}: {r['killed']} killed of {r['mutants_tried']}, escapes {r['escapes']}, "
              f"median time {r['median_fraction_of_full_suite']} of the full suite "
              f"({r['full_suite_seconds']} s), narrowed {r['narrowed']} "
              f"({r['narrowed_by_records']} by records), {r['by_reach']}")  # fmt: skip
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))
    return 1 if any(r["escapes"] for r in results) else 0


if __name__ == "__main__":
    raise SystemExit(main())
