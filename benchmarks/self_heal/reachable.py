"""Mark each mined repair of a history manifest as reachable or not, by a rule that ignores the fixers.

An import repair is **reachable** when every module the commit's added import reads from exists
either in the standard library of the running interpreter or in the project's tree at the parent
commit, as a file or package of that dotted path (``a/b/c.py``, ``a/b/c/__init__.py`` or a folder
``a/b/c/``; anywhere in the tree for an absolute import, at the file's own package for a relative
one). Otherwise nothing the fixer can see names the module (a Python 2 module such as ``urlparse``, a
third-party package, a module the same commit adds), and the commit's import cannot be rebuilt.
Indentation and syntax repairs are always reachable. The field is written into the manifest before
any tool runs on it; the result tables are then given for all cases and for the reachable ones.

    python benchmarks/self_heal/reachable.py benchmarks/self_heal/heldout/history6/history.json \\
        --mirror /work/.mirror          # or --git owner/name=GIT_DIR for each repository
"""

from __future__ import annotations

import argparse
import ast
import difflib
import importlib.machinery
import json
import sys
import sysconfig
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from gitsource import GitSource, parse_git_args  # noqa: E402
from run_blind import git_dir_for  # noqa: E402


def added_imports(parent: str, commit: str) -> list[ast.Import | ast.ImportFrom]:
    """The import statements of the commit's file that hold its changed lines (a whole statement:
    the changed line may be the continuation of a ``from m \\`` line)."""
    a, b = parent.splitlines(keepends=True), commit.splitlines(keepends=True)
    ops = [op for op in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes() if op[0] != "equal"]
    if len(ops) != 1:
        raise ValueError(f"not one change: {len(ops)} hunks")
    _, _, _, j1, j2 = ops[0]
    found = [
        node
        for node in ast.walk(ast.parse(commit))
        if isinstance(node, ast.Import | ast.ImportFrom) and node.lineno <= j2 and (node.end_lineno or 0) > j1
    ]
    if not found:
        raise ValueError("no import statement holds the change")
    return found


def modules_read(node: ast.Import | ast.ImportFrom, path: str) -> list[tuple[str, ...]]:
    """Dotted paths (as parts) of the modules the statement imports from; a relative one is rooted
    at the file's folder (level 1) or above it, and starts with "" to say it is anchored there."""
    if isinstance(node, ast.Import):
        return [tuple(alias.name.split(".")) for alias in node.names]
    module = tuple(node.module.split(".")) if node.module else ()
    if node.level == 0:
        return [module]
    folder = path.split("/")[:-1]
    base = folder[: len(folder) - (node.level - 1)] if node.level > 1 else folder
    return [("", *base, *module)]


def in_stdlib(parts: tuple[str, ...]) -> bool:
    """The module is in this interpreter's standard library (found without importing it)."""
    if parts[0] not in sys.stdlib_module_names:
        return False
    if ".".join(parts) in sys.modules:
        return True  # os.path and the like, which are no file of their parent
    if parts[0] in sys.builtin_module_names:
        return len(parts) == 1
    # the stdlib folders only: site-packages' hooks (setuptools' distutils) are not the stdlib
    folders = {sysconfig.get_path("stdlib"), sysconfig.get_path("platstdlib")}
    folders |= {f"{folder}/lib-dynload" for folder in set(folders)}
    spec = importlib.machinery.PathFinder.find_spec(parts[0], sorted(folders))
    if spec is None:
        return False
    locations = [Path(p) for p in spec.submodule_search_locations or []]
    for part in parts[1:]:
        files = [f for f in locations if (f / f"{part}.py").is_file() or any(f.glob(f"{part}.*.so"))]
        packages = [f / part for f in locations if (f / part).is_dir()]
        if not files and not packages:
            return False
        locations = packages  # a plain module has no submodules: the next part then fails
    return True


def in_tree(parts: tuple[str, ...], files: list[str]) -> bool:
    """A file or package of that dotted path is in the tree (anchored at the root when it starts "")."""
    anchored = parts[:1] == ("",)
    stem = "/".join(parts[1:] if anchored else parts)
    if not stem:
        return True  # ``from . import x``: the file's own package
    if anchored:
        return any(name == f"{stem}.py" or name.startswith(f"{stem}/") for name in files)
    return any(f"/{name}".endswith(f"/{stem}.py") or f"/{stem}/" in f"/{name}" for name in files)


def reachable(case: dict[str, object], source: GitSource) -> bool:
    if case["family"] != "import":
        return True
    parent, commit, path = str(case["parent"]), str(case["commit"]), str(case["path"])
    before, after = source.text(parent, path), source.text(commit, path)
    assert before is not None and after is not None
    files = source.git("ls-tree", "-r", "-z", "--name-only", parent).split("\0")
    modules = [parts for node in added_imports(before, after) for parts in modules_read(node, path)]
    return all(in_stdlib(parts) or in_tree(parts, files) for parts in modules)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("manifest", type=Path, help="a history.json written by mine_history.py")
    parser.add_argument("--mirror", type=Path, help="fetched repositories: MIRROR/owner+name/repo")
    parser.add_argument("--git", action="append", default=[], help="owner/name=GIT_DIR (overrides --mirror)")
    args = parser.parse_args(argv)
    manifest = json.loads(args.manifest.read_text(encoding="utf-8"))
    given = parse_git_args(args.git)
    sources: dict[str, GitSource] = {}
    for case in manifest["cases"]:
        repo = case["repo"]
        if repo not in sources:
            sources[repo] = GitSource(git_dir_for(repo, args.mirror, given))
        case["reachable"] = reachable(case, sources[repo])
    for source in sources.values():
        source.close()
    args.manifest.write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    counts: dict[str, list[int]] = {}
    for case in manifest["cases"]:
        counts.setdefault(case["family"], [0, 0])[case["reachable"]] += 1
    for family, (no, yes) in sorted(counts.items()):
        sys.stdout.write(f"{family}: {yes} reachable of {yes + no}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
