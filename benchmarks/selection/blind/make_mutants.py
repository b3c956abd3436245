"""Build the blind selection set: mutants of three projects, kept when the whole suite kills them.

Run with an interpreter that has mutmut 2.5.1 (its operators make most mutants); the hand-written
rules below add the shapes an earlier check saw slip through (a dropped re-export, a decorator's
argument, a data file's line, a pytest setting, code run only in a test's subprocess). Nothing here
reads hookwright's code. Writes a manifest of edits (path, line, old, new, unified diff), no source.

Usage (README.md beside this file):
    python make_mutants.py --python VENV/bin/python --project sqlparse=SRC/sqlparse-0.5.2 ... \
        --out manifest.json
"""

from __future__ import annotations

import argparse
import ast
import difflib
import hashlib
import json
import random
import subprocess
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import mutmut
from mutmut import Context, list_mutations, mutate

_DATA_SUFFIXES = {".sql", ".txt", ".json", ".toml", ".yaml", ".yml", ".csv", ".html"}


@dataclass
class Edit:
    tool: str  # "mutmut 2.5.1" or "hand rule"
    operator: str
    path: str
    line: int  # 1-based first line of `old`
    old: str  # the exact lines replaced (whole lines, with their newlines)
    new: str
    diff: str = ""


def line_edit(tool: str, operator: str, path: str, before: str, after: str) -> Edit | None:
    """The smallest run of whole lines that turns `before` into `after`."""
    a, b = before.splitlines(keepends=True), after.splitlines(keepends=True)
    start = 0
    while start < min(len(a), len(b)) and a[start] == b[start]:
        start += 1
    end_a, end_b = len(a), len(b)
    while end_a > start and end_b > start and a[end_a - 1] == b[end_b - 1]:
        end_a, end_b = end_a - 1, end_b - 1
    if start == len(a) and start == len(b):
        return None
    diff = "".join(difflib.unified_diff(a, b, f"a/{path}", f"b/{path}", n=1))
    return Edit(tool, operator, path, start + 1, "".join(a[start:end_a]), "".join(b[start:end_b]), diff)


def apply(repo: Path, edit: Edit) -> tuple[Path, bytes]:
    target = repo / edit.path
    original = target.read_bytes() if target.exists() else b""
    lines = original.decode("utf-8").splitlines(keepends=True)
    count = len(edit.old.splitlines(keepends=True))
    assert "".join(lines[edit.line - 1 : edit.line - 1 + count]) == edit.old, edit.diff
    lines[edit.line - 1 : edit.line - 1 + count] = [edit.new]
    target.write_text("".join(lines), encoding="utf-8")
    return target, original


def mutmut_edits(repo: Path, path: str, rng: random.Random, per_file: int) -> list[Edit]:
    source = (repo / path).read_text(encoding="utf-8")
    ids = list_mutations(Context(source=source, filename=path))
    rng.shuffle(ids)
    edits = []
    for mutation_id in ids[:per_file]:
        after, count = mutate(Context(source=source, mutation_id=mutation_id, filename=path))
        edit = line_edit(f"mutmut {mutmut.__version__}", "mutmut", path, source, after) if count else None
        if edit:
            edits.append(edit)
    return edits


def _segment_edit(path: str, source: str, node: ast.AST, new: str, operator: str) -> Edit | None:
    lines = source.splitlines(keepends=True)
    start = sum(len(line) for line in lines[: node.lineno - 1]) + len(
        lines[node.lineno - 1].encode()[: node.col_offset].decode()
    )
    old_segment = ast.get_source_segment(source, node) or ""
    after = source[:start] + new + source[start + len(old_segment) :]
    return line_edit("hand rule", operator, path, source, after)


def dropped_reexports(repo: Path, path: str) -> list[Edit]:
    """`from .x import a, b` in an `__init__.py` loses one name (the whole line when it is alone)."""
    source = (repo / path).read_text(encoding="utf-8")
    edits = []
    for node in ast.parse(source).body:
        if not isinstance(node, ast.ImportFrom) or any(a.name == "*" for a in node.names):
            continue
        for dropped in node.names:
            kept = [a for a in node.names if a is not dropped]
            names = ", ".join(a.name + (f" as {a.asname}" if a.asname else "") for a in kept)
            module = "." * node.level + (node.module or "")
            new = f"from {module} import {names}" if kept else "pass"
            edit = _segment_edit(path, source, node, new, "drop-reexport")
            if edit:
                edits.append(edit)
    return edits


def _changed_constant(value: object) -> str | None:
    if isinstance(value, bool):
        return repr(not value)
    if isinstance(value, int | float):
        return repr(value + 1)
    if isinstance(value, str):
        return repr(value + "_x")
    return None


def decorator_arguments(repo: Path, path: str) -> list[Edit]:
    """A decorator's argument changed: a constant altered, a name argument or keyword dropped."""
    source = (repo / path).read_text(encoding="utf-8")
    edits = []
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        for decorator in node.decorator_list:
            if not isinstance(decorator, ast.Call) or not (decorator.args or decorator.keywords):
                continue
            for argument in [*decorator.args, *(k.value for k in decorator.keywords)]:
                if isinstance(argument, ast.Constant):
                    new = _changed_constant(argument.value)
                    operator = "decorator-argument-constant"
                else:
                    new, operator = "None", "decorator-argument-none"
                edit = _segment_edit(path, source, argument, new, operator) if new else None
                if edit:
                    edits.append(edit)
    return edits


def data_lines(repo: Path, path: str, rng: random.Random, per_file: int) -> list[Edit]:
    """One non-blank line of a data file under the tests: dropped, or a word doubled."""
    try:
        text = (repo / path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return []  # edits are written back as UTF-8; another encoding is left alone
    lines = text.splitlines(keepends=True)
    candidates = [i for i, line in enumerate(lines) if line.strip()]
    edits = []
    for i in rng.sample(candidates, min(per_file, len(candidates))):
        words = lines[i].split(" ")
        changed = lines[i][:0] if i % 2 else " ".join([words[0], *words])
        after = "".join([*lines[:i], changed, *lines[i + 1 :]])
        edit = line_edit("hand rule", "data-line", path, text, after)
        if edit:
            edits.append(edit)
    return edits


_STRICT_SETTINGS = [
    "xfail_strict = true\n",
    'filterwarnings = ["error"]\n',
    'addopts = "--doctest-modules"\n',
]


def tool_settings(repo: Path) -> list[Edit]:
    """A pytest setting in pyproject.toml / setup.cfg: an existing key dropped, or one added."""
    edits = []
    for name, header, strict in (
        ("pyproject.toml", "[tool.pytest.ini_options]\n", _STRICT_SETTINGS),
        (
            "setup.cfg",
            "[tool:pytest]\n",
            [s.replace('["error"]', "error").replace('"', "") for s in _STRICT_SETTINGS],
        ),
    ):
        if not (repo / name).exists():
            continue
        text = (repo / name).read_text(encoding="utf-8")
        if header in text:
            start = text.index(header) + len(header)
            section_end = text.find("\n[", start)
            section_end = len(text) if section_end < 0 else section_end + 1
            for line in text[start:section_end].splitlines(keepends=True):
                if "=" in line:
                    edit = line_edit(
                        "hand rule", "drop-pytest-setting", name, text, text.replace(line, "", 1)
                    )
                    edits.append(edit) if edit else None
            additions = [text[:start] + s + text[start:] for s in strict]
        else:
            additions = [text.rstrip("\n") + "\n\n" + header + s for s in strict]
        for after in additions:
            edit = line_edit("hand rule", "add-pytest-setting", name, text, after)
            edits.append(edit) if edit else None
    return edits


def subprocess_scripts(repo: Path, path: str) -> list[Edit]:
    """A script tests start as a program (`bin/*`): each top-level statement dropped in turn, each
    call's arguments emptied (code that runs only in the test's subprocess)."""
    source = (repo / path).read_text(encoding="utf-8")
    tree = ast.parse(source)
    edits = [_segment_edit(path, source, node, "pass", "script-drop-statement") for node in tree.body]
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and (node.args or node.keywords):
            func = ast.get_source_segment(source, node.func) or ""
            edits.append(_segment_edit(path, source, node, f"{func}()", "script-call-arguments"))
    return [e for e in edits if e]


def suite_kills(repo: Path, python: str, args: list[str]) -> tuple[bool, float]:
    argv = [python, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *args]
    started = time.monotonic()
    try:
        env = {"PATH": "/usr/bin:/bin", "PYTHONPYCACHEPREFIX": str(repo.parent / f"{repo.name}-pycache")}
        done = subprocess.run(argv, cwd=repo, capture_output=True, timeout=600, check=False, env=env)
        killed = done.returncode != 0
    except subprocess.TimeoutExpired:
        killed = True
    return killed, time.monotonic() - started


def pytest_args(repo: Path) -> list[str]:
    return ["-o", "pythonpath=src"] if (repo / "src").is_dir() else []


def project_files(repo: Path) -> tuple[list[str], list[str], list[str], list[str]]:
    """Package sources, `__init__.py` files, data files under the tests, scripts in `bin/`."""
    skip = {"tests", "test", "docs", "doc", "examples", "__pycache__", "mypy_test_cases"}
    every = sorted(str(p.relative_to(repo)) for p in repo.rglob("*") if p.is_file())
    sources = [p for p in every if p.endswith(".py") and not skip.intersection(p.split("/"))]
    sources = [p for p in sources if "/" in p and not p.startswith(("bin/", "scripts/"))]
    inits = [p for p in sources if p.endswith("__init__.py")]
    data = [p for p in every if p.startswith("tests/") and Path(p).suffix in _DATA_SUFFIXES]
    scripts = [p for p in every if p.startswith("bin/")]
    return sources, inits, data, scripts


def candidates(repo: Path, rng: random.Random, hand_per_rule: int) -> tuple[list[Edit], list[Edit]]:
    sources, inits, data, scripts = project_files(repo)
    rules: dict[str, list[Edit]] = {
        "drop-reexport": [e for p in inits for e in dropped_reexports(repo, p)],
        "decorator-argument": [e for p in sources for e in decorator_arguments(repo, p)],
        "data-line": [e for p in data for e in data_lines(repo, p, rng, 2)],
        "pytest-setting": tool_settings(repo),
        "subprocess-script": [e for p in scripts for e in subprocess_scripts(repo, p)],
    }
    hand: list[Edit] = []
    for edits in rules.values():
        rng.shuffle(edits)
        hand += edits[:hand_per_rule]
    tool = [e for p in sources for e in mutmut_edits(repo, p, rng, 15)]
    rng.shuffle(tool)
    return hand, tool


def sdist_of(sdists: Path, repo: Path) -> dict[str, str]:
    """The PyPI sdist the tree was unpacked from (its folder is NAME-VERSION)."""
    sdist = sdists / f"{repo.name}.tar.gz"
    version = repo.name.rpartition("-")[2]
    return {"version": version, "sdist": sdist.name, "sha256": hashlib.sha256(sdist.read_bytes()).hexdigest()}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--project", action="append", required=True, metavar="NAME=PATH")
    parser.add_argument("--python", required=True, help="interpreter with pytest and the projects' deps")
    parser.add_argument("--kept", type=int, default=32, help="killed mutants wanted per project")
    parser.add_argument("--hand-per-rule", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2212)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--sdists", type=Path, required=True, help="the folder of NAME-VERSION.tar.gz")
    args = parser.parse_args()
    manifest = json.loads(args.out.read_text()) if args.out.exists() else {"projects": []}
    manifest["made_by"] = {"tool": f"mutmut {mutmut.__version__}", "seed": args.seed, "kept": args.kept,
                           "hand_per_rule": args.hand_per_rule}  # fmt: skip
    for spec in args.project:
        name, _, path = spec.partition("=")
        repo = Path(path).resolve()
        rng = random.Random(f"{args.seed}-{name}")
        hand, tool = candidates(repo, rng, args.hand_per_rule)
        kept, tried = [], 0
        # Hand rules first (a few per shape), then mutmut's mutants until enough are kept.
        for edit in [*hand, *tool]:
            if len(kept) >= args.kept:
                break
            target, original = apply(repo, edit)
            killed, seconds = suite_kills(repo, args.python, pytest_args(repo))
            target.write_bytes(original) if original else target.unlink()
            tried += 1
            print(
                f"{name}: {edit.operator:28} {edit.path}:{edit.line} killed={killed} {seconds:.1f}s",
                flush=True,
            )
            if killed:
                kept.append(asdict(edit))
        manifest["projects"] = [p for p in manifest["projects"] if p["project"] != name]
        manifest["projects"].append(
            {"project": name, **sdist_of(args.sdists, repo), "tried": tried, "mutants": kept}
        )
        args.out.write_text(json.dumps(manifest, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
