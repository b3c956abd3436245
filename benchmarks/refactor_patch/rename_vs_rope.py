"""Renaming public symbols of real projects with hookwright and with rope, judged by the projects' tests.

usage: python benchmarks/refactor_patch/rename_vs_rope.py [--only OLD,...] [--tools hookwright,rope]
       [--include-unsure] REPO [REPO ...]

REPO is a clone or mirror of a project listed in rename_symbols.json (click, attrs, requests: found by
its src/<package> folder). For each project the test suite runs once on a pristine copy; tests failing
there already are deselected afterwards. Then, for every symbol, on a fresh copy each:
- hookwright: `refactor_patch.rename_symbol(root, OLD, NEW)` in process (definition, references,
  imports, __all__; compile and ruff F verification), no --include-unsure;
- rope: `Rename(project, resource, offset).get_changes(NEW, in_hierarchy=True)` and `project.do`,
  in process, with no .ropeproject folder;
then the project's tests. A rename succeeds when the tool changed something and the tests pass. With
--verify-cmd, hookwright keeps exactly the renames that succeed here and rolls back the others; for
those, the benchmark also tries what a user would do next: the same rename with --include-unsure.
Times are the renames alone (median of the symbols), not the test runs.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def pytest_argv(deselect: list[str]) -> list[str]:
    argv = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-x",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:randomly",
        "tests",
    ]
    return argv + [f"--deselect={node}" for node in deselect]


def run_tests(root: Path, deselect: list[str], first: bool = False) -> tuple[bool, list[str]]:
    env = {**os.environ, "PYTHONPATH": str(root / "src"), "PYTHONDONTWRITEBYTECODE": "1"}
    argv = pytest_argv(deselect)
    if first:
        argv = [a for a in argv if a != "-x"] + ["-rfE"]
    result = subprocess.run(
        argv, cwd=root, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    failing = re.findall(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.M)
    return result.returncode == 0, failing


def locate(root: Path, qualified: str) -> tuple[str, int]:
    """(file, character offset of the name) of a definition, for rope."""
    parts = qualified.split(".")
    for split in range(len(parts) - 1, 0, -1):
        base = root / "src" / Path(*parts[:split])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                text = candidate.read_text()
                node: ast.AST = ast.parse(text)
                for part in parts[split:]:
                    node = next(n for n in node.body if _defines(n, part))  # type: ignore[attr-defined]
                line = text.splitlines(keepends=True)
                start = sum(len(x) for x in line[: node.lineno - 1]) + node.col_offset  # type: ignore[attr-defined]
                name = parts[-1]
                found = re.compile(rf"\b{re.escape(name)}\b").search(text, start)
                assert found, qualified
                return str(candidate.relative_to(root)), found.start()
    raise LookupError(qualified)


def _defines(node: ast.AST, name: str) -> bool:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
        return node.name == name
    if isinstance(node, ast.Assign):
        return any(isinstance(t, ast.Name) and t.id == name for t in node.targets)
    return isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == name


def changed(root: Path) -> int:
    out = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    )
    return len([line for line in out.stdout.splitlines() if not line.endswith(".ropeproject")])


def with_hookwright(root: Path, old: str, new: str, include_unsure: bool = False) -> tuple[str, float]:
    from hookwright.errors import BadInput
    from hookwright.hooks import refactor_patch

    start = time.perf_counter()
    try:
        report = refactor_patch.rename_symbol(root, old, new, include_unsure=include_unsure)
    except BadInput as exc:
        return f"refused: {exc}", time.perf_counter() - start
    elapsed = time.perf_counter() - start
    return ("renamed" if report.outcome == "passed" else "rolled back"), elapsed


def with_rope(root: Path, old: str, new: str) -> tuple[str, float]:
    from rope.base.project import Project
    from rope.refactor.rename import Rename

    path, offset = locate(root, old)
    start = time.perf_counter()
    project = Project(str(root), ropefolder=None)
    try:
        resource = project.get_resource(path)
        changes = Rename(project, resource, offset).get_changes(new, in_hierarchy=True)
        project.do(changes)
    except Exception as exc:  # rope's refusals and its crashes alike
        return f"refused: {type(exc).__name__}: {exc}", time.perf_counter() - start
    finally:
        project.close()
    return "renamed", time.perf_counter() - start


def unsure(root: Path, old: str, new: str) -> tuple[str, float]:
    """What a user does after a rolled-back rename: try again with --include-unsure."""
    return with_hookwright(root, old, new, include_unsure=True)


def project_of(repo: Path, known: dict[str, object]) -> str:
    for name in known:
        listed = subprocess.run(
            ["git", "-C", str(repo), "ls-tree", "-d", "--name-only", "HEAD", f"src/{name}"],
            capture_output=True,
            text=True,
            check=False,
        )
        if listed.stdout.strip():
            return name
    raise SystemExit(f"{repo}: not one of {', '.join(known)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("repos", nargs="+", type=Path)
    parser.add_argument("--only", help="comma-separated symbols to run (default: all)")
    parser.add_argument("--tools", default="hookwright,rope", help="which tools to run")
    parser.add_argument("--include-unsure", action="store_true", help="hookwright renames unsure sites too")
    args = parser.parse_args()
    symbols = json.loads((HERE / "rename_symbols.json").read_text())
    only = set(args.only.split(",")) if args.only else None
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for repo in args.repos:
            name = project_of(repo, symbols)
            pristine = Path(tmp) / name
            subprocess.run(["git", "clone", "-q", str(repo), str(pristine)], check=True)
            _, deselect = run_tests(pristine, [], first=True)
            print(f"{name}: {len(deselect)} tests fail before any rename; deselected", file=sys.stderr)
            for old in symbols[name]:
                if only and old not in only:
                    continue
                new = old.rsplit(".", 1)[-1] + "_renamed"
                row: dict[str, Any] = {"project": name, "old": old, "new": new}
                tools = {"hookwright": with_hookwright, "rope": with_rope, "retry": unsure}
                if args.include_unsure:
                    tools["hookwright"] = unsure
                for tool in [*args.tools.split(","), "retry"]:
                    if tool == "retry" and (
                        args.include_unsure or row.get("hookwright", {}).get("tests", True)
                    ):
                        continue  # the retry is for hookwright renames whose tests failed
                    rename = tools[tool]
                    work = Path(tmp) / "work"
                    shutil.rmtree(work, ignore_errors=True)
                    shutil.copytree(pristine, work, symlinks=True)
                    status, elapsed = rename(work, old, new)
                    files = changed(work)
                    passed = status == "renamed" and files > 0 and run_tests(work, deselect)[0]
                    row[tool] = {
                        "status": status,
                        "seconds": round(elapsed, 3),
                        "files": files,
                        "tests": passed,
                    }
                    print(json.dumps(row[tool] | {"tool": tool, "old": old}), file=sys.stderr)
                rows.append(row)
    summary = {}
    for tool in args.tools.split(","):
        results = [r[tool] for r in rows]
        summary[tool] = {
            "renames": len(results),
            "succeeded (tests pass)": sum(bool(r["tests"]) for r in results),  # type: ignore[index]
            "refused": sum(str(r["status"]).startswith("refused") for r in results),  # type: ignore[index]
            "median seconds": round(statistics.median(r["seconds"] for r in results), 3),  # type: ignore[index]
        }
    if "hookwright" in args.tools and not args.include_unsure:
        retried = [r.get("retry", r["hookwright"]) for r in rows]
        summary["hookwright, then --include-unsure when rolled back"] = {
            "renames": len(retried),
            "succeeded (tests pass)": sum(bool(r["tests"]) for r in retried),  # type: ignore[index]
        }
    json.dump({"summary": summary, "rows": rows}, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
