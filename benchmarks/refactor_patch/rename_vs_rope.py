"""Rename tasks on real projects with hookwright and with rope 1.15.2 in the same run, judged by their tests.

usage: python benchmarks/refactor_patch/rename_vs_rope.py --set SET (tuning, report, fresh, held_out, ...)
       [--only OLD,...]
       [--tools hookwright,rope] NAME=PATH [NAME=PATH ...]

The tasks are in rename_tasks.json (which set tuned what is said there and in the README). NAME is a
project of the set, PATH a git clone, a bare mirror or an unpacked sdist of the version named there.
Each project is copied once into a temporary git repository and its tests run on the pristine copy;
tests failing there already are deselected (modules that do not even import are ignored). Then for
every task, on a fresh copy each:
- hookwright: `rename_flow.rename_symbol(root, OLD, NEW, no_verify=True)` in process (the tests below
  judge it; with them as --verify-cmd it would keep exactly the renames that pass here);
- rope: `Rename(project, resource, offset).get_changes(NEW, in_hierarchy=True)` and `project.do`, with
  the project's import root as rope's source folder.
A unique or shared task succeeds when the tool changed something and the tests pass; a refuse task
when the tool refuses and changes nothing (a task relabelled after its run names the tests that
assert the old name itself, a repr; they are left out for it, and the README counts it both ways).
For hookwright renames whose tests fail, the run also
tries what a user would do next: --include-unsure. hookwright's record gives the attribute sites the
code's types decided (renamed: "typed"; left alone as another type: "other_type") and those still
unsure. The output names the hookwright package the run imported and its commit: to measure another
checkout with this script and its tasks, put a folder holding a symlink `hookwright` -> CHECKOUT/lib
first on PYTHONPATH (it wins over the venv's editable install; see the README, section 3).
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
TASKS = HERE / "rename_tasks.json"


def prepared(source: Path, where: Path) -> Path:
    """A git repository holding the project at ``source`` (a clone, a bare mirror or a plain folder)."""
    if (source / ".git").exists() or (source / "HEAD").is_file():
        subprocess.run(["git", "clone", "-q", str(source), str(where)], check=True)
        return where
    shutil.copytree(source, where, symlinks=True)
    for args in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "pristine"]):
        env = {**os.environ, "GIT_AUTHOR_NAME": "b", "GIT_AUTHOR_EMAIL": "b@b", "GIT_COMMITTER_NAME": "b"}
        subprocess.run(["git", *args], cwd=where, env=env | {"GIT_COMMITTER_EMAIL": "b@b"}, check=True)
    return where


def run_tests(
    root: Path, project: dict[str, Any], skip: list[str], first: bool = False
) -> tuple[bool, list[str]]:
    tests, import_root = project["tests"], project.get("import_root", "src")
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", tests]
    argv += project.get("pytest_args", [])
    argv += ["-rfE"] if first else ["-x"]
    argv += [f"--ignore={s}" if "::" not in s else f"--deselect={s}" for s in skip]
    env = {**os.environ, "PYTHONPATH": str(root / import_root), "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        argv, cwd=root, env=env, capture_output=True, text=True, timeout=1800, check=False
    )
    failing = re.findall(r"^(?:FAILED|ERROR) (\S+)", result.stdout, re.M)
    return result.returncode == 0, failing


def binds(node: Any, name: str) -> bool:
    """Whether the statement defines ``name``: a def or class, or an assignment to the bare name (an enum
    member, ``CLOSED = 4`` in a class body; held_out_12 renames one)."""
    if getattr(node, "name", None) == name:
        return True
    targets = node.targets if isinstance(node, ast.Assign) else [getattr(node, "target", None)]
    return isinstance(node, (ast.Assign, ast.AnnAssign)) and any(
        isinstance(target, ast.Name) and target.id == name for target in targets
    )


def member(body: list[Any], name: str) -> Any:
    """The definition of ``name`` among ``body``'s statements, else inside their if / try / with blocks
    (munch defines its YAML functions in a ``try:`` that imports yaml)."""
    direct = [node for node in body if binds(node, name)]
    if direct:
        return direct[0]
    for node in body:
        if isinstance(node, (ast.If, ast.Try, ast.With)) or type(node).__name__ == "TryStar":
            blocks = [getattr(node, field, []) for field in ("body", "orelse", "finalbody")]
            for block in blocks + [handler.body for handler in getattr(node, "handlers", [])]:
                found = member(block, name)
                if found is not None:
                    return found
    return None


def assigned_in_init(cls: Any, name: str) -> Any:
    """The first ``self.NAME = ...`` (or ``self.NAME: T = ...``) in the class's ``__init__``: an instance
    attribute with no class-level statement (held_out_15 renames some, e.g. structlog's
    ``LoggerFactory._ignore``); rope renames it from there."""
    init = member(cls.body, "__init__")
    if not isinstance(init, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return None
    assigned = [
        target
        for node in ast.walk(init)
        if isinstance(node, (ast.Assign, ast.AnnAssign))
        for target in (node.targets if isinstance(node, ast.Assign) else [node.target])
        if isinstance(target, ast.Attribute)
        and target.attr == name
        and isinstance(target.value, ast.Name)
        and target.value.id == "self"
    ]
    return min(assigned, key=lambda target: (target.lineno, target.col_offset), default=None)


def locate(root: Path, qualified: str, import_root: str = "src") -> tuple[str, int]:
    """(file, character offset of the name) of a definition, for rope."""
    parts = qualified.split(".")
    for split in range(len(parts) - 1, 0, -1):
        base = root / import_root / Path(*parts[:split])
        for candidate in (base.with_suffix(".py"), base / "__init__.py"):
            if candidate.is_file():
                text = candidate.read_text()
                node: Any = ast.parse(text)
                for index, part in enumerate(parts[split:], start=split + 1):
                    inner = member(node.body, part)
                    if inner is None and isinstance(node, ast.ClassDef) and index == len(parts):
                        inner = assigned_in_init(node, part)
                    if inner is None:
                        raise LookupError(qualified)
                    node = inner
                lines = text.splitlines(keepends=True)
                start = sum(len(x) for x in lines[: node.lineno - 1]) + node.col_offset
                found = re.compile(rf"\b{re.escape(parts[-1])}\b").search(text, start)
                assert found, qualified
                return str(candidate.relative_to(root)), found.start()
    raise LookupError(qualified)


def changed(root: Path) -> int:
    out = subprocess.run(
        ["git", "status", "--porcelain"], cwd=root, capture_output=True, text=True, check=True
    )
    return len([line for line in out.stdout.splitlines() if not line.endswith(".ropeproject")])


def with_hookwright(root: Path, old: str, new: str, include_unsure: bool = False) -> dict[str, Any]:
    from hookwright.errors import BadInput
    from hookwright.refactor.rename_flow import rename_symbol

    start = time.perf_counter()
    try:
        report = rename_symbol(root, old, new, include_unsure=include_unsure, no_verify=True)
    except BadInput as exc:
        return {"status": f"refused: {exc}", "seconds": time.perf_counter() - start}
    info = report.extra["rename"]
    warned = [f.message for f in report.all_findings() if f.code == "unverifiable"]
    return {
        "status": "renamed" if report.outcome == "passed" else "rolled back",
        "unverifiable": warned[0] if warned else None,
        "seconds": time.perf_counter() - start,
        "typed": info["typed"],
        "other_type": info["other_type"],
        "unsure": len(info["unsure"]),
    }


def with_rope(root: Path, old: str, new: str, import_root: str = "src") -> dict[str, Any]:
    from rope.base.project import Project
    from rope.refactor.rename import Rename

    path, offset = locate(root, old, import_root)
    start = time.perf_counter()
    # rope looks for imports only in its source folders, found by itself as the root alone: a src/
    # layout must be named, or no test module's `import pkg` reaches the definition.
    folders = [] if import_root == "." else [import_root]
    project = Project(str(root), ropefolder=None, source_folders=folders)
    try:
        resource = project.get_resource(path)
        project.do(Rename(project, resource, offset).get_changes(new, in_hierarchy=True))
    except Exception as exc:  # rope's refusals and its crashes alike
        return {"status": f"refused: {type(exc).__name__}: {exc}", "seconds": time.perf_counter() - start}
    finally:
        project.close()
    return {"status": "renamed", "seconds": time.perf_counter() - start}


def judged(kind: str, result: dict[str, Any], files: int, tests_pass: bool | None) -> bool:
    if kind == "refuse":
        return str(result["status"]).startswith("refused") and files == 0
    return result["status"] == "renamed" and files > 0 and bool(tests_pass)


def run_task(
    pristine: Path, tmp: Path, project: dict[str, Any], skip: list[str], task: dict[str, Any], tool: str
) -> dict:
    old, kind = task["old"], task["kind"]
    import_root = project.get("import_root", "src")
    new = task.get("new") or old.rsplit(".", 1)[-1] + "_renamed"
    work = tmp / "work"
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(pristine, work, symlinks=True)
    if tool == "rope":
        result = with_rope(work, old, new, import_root)
    else:
        result = with_hookwright(work, old, new, include_unsure=tool == "retry")
    files = changed(work)
    renamed = result["status"] == "renamed" and files > 0
    # a relabelled task names the tests that assert the old name itself (a repr); they judge nothing
    judging = skip + task.get("deselect", [])
    tests_pass = run_tests(work, project, judging)[0] if renamed and kind != "refuse" else None
    result |= {"files": files, "tests": tests_pass, "correct": judged(kind, result, files, tests_pass)}
    result["seconds"] = round(result["seconds"], 3)
    return result


def summary(rows: list[dict[str, Any]], tools: list[str]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for tool in tools:
        results = [(r["kind"], r[tool]) for r in rows]
        by_kind = {
            k: f"{sum(r['correct'] for kk, r in results if kk == k)} of {sum(kk == k for kk, _ in results)}"
            for k in ("unique", "shared", "refuse")
        }
        timed = [r["seconds"] for kind, r in results if kind != "refuse"]
        found[tool] = {
            "correct": f"{sum(r['correct'] for _, r in results)} of {len(results)}",
            "by kind": by_kind,
            "median seconds (renames)": round(statistics.median(timed), 3) if timed else None,
        }
    if "hookwright" in tools:
        hook = [r["hookwright"] for r in rows]
        found["hookwright"]["attribute sites decided by type"] = {
            "renamed (typed)": sum(r.get("typed", 0) for r in hook),
            "left alone (other type)": sum(r.get("other_type", 0) for r in hook),
            "still unsure": sum(r.get("unsure", 0) for r in hook),
        }
        retried = [r.get("retry", r["hookwright"]) for r in rows]
        found["hookwright, then --include-unsure when the tests fail"] = {
            "correct": f"{sum(r['correct'] for r in retried)} of {len(retried)}"
        }
    return found


def measured_code() -> dict[str, str]:
    """Which hookwright this run imported (PYTHONPATH can point it at another checkout) and its commit."""
    import hookwright

    package = Path(hookwright.__file__).resolve().parent
    head = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=package, capture_output=True, text=True, check=False
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--", "."], cwd=package, capture_output=True, text=True, check=False
    )
    commit = head.stdout.strip() if head.returncode == 0 else "not a git checkout"
    if dirty.stdout:
        commit += " (with uncommitted changes)"
    return {"package": str(package), "commit": commit}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("projects", nargs="+", help="NAME=PATH")
    sets = ("tuning", "report", "fresh", "held_out", *(f"held_out_{n}" for n in range(2, 17)))
    parser.add_argument("--set", choices=sets, required=True)
    parser.add_argument("--only", help="comma-separated OLD names to run (default: all)")
    parser.add_argument("--tools", default="hookwright,rope")
    args = parser.parse_args()
    data = json.loads(TASKS.read_text())
    tools = args.tools.split(",")
    only = set(args.only.split(",")) if args.only else None
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(scratch)
        for spec in args.projects:
            name, _, path = spec.partition("=")
            project = data["projects"][name]
            pristine = prepared(Path(path), tmp / name)
            # A collection error stops pytest before other failures show: leave out, run again. A
            # suite that still fails (a conftest error names no test) would fail every rename.
            skip: list[str] = []
            for _ in range(3):
                passed, failing = run_tests(pristine, project, skip, first=True)
                if passed or not failing:
                    break
                skip += failing
            if not passed:
                sys.exit(f"{name}: the tests fail before any rename, even without {skip}")
            print(f"{name}: {len(skip)} tests fail before any rename; left out", file=sys.stderr)
            for task in data[args.set][name]:
                if only and task["old"] not in only:
                    continue
                row: dict[str, Any] = {"project": name, **task}
                for tool in tools:
                    row[tool] = run_task(pristine, tmp, project, skip, task, tool)
                    print(json.dumps({"tool": tool, "old": task["old"], **row[tool]}), file=sys.stderr)
                if "hookwright" in tools and task["kind"] != "refuse" and not row["hookwright"]["correct"]:
                    row["retry"] = run_task(pristine, tmp, project, skip, task, "retry")
                rows.append(row)
    found = {"summary": summary(rows, tools), "rows": rows}
    if "hookwright" in tools:
        found["hookwright code"] = measured_code()
    json.dump(found, sys.stdout, indent=1)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
