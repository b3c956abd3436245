"""A change that only appends new top-level functions: which tests can see it.

A ``def`` runs at import, so the import graph sends a new function to every test that imports its
module (with a package ``__init__`` that imports everything: the whole suite). But a plain ``def``
of a *fresh* name does one thing at import: it binds that name. Its body runs only when called, and
to be called the name must be reached: by a test or module that spells it (a word search of every
file finds that), or by code that lists or computes names (``dir(m)``, ``vars(m)``, ``m.__dict__``,
``getattr(m, built)``, ``from m import *``, ``inspect.getmembers``, a doctest finder, a mock spec).

So a changed file counts as *fresh* only when every part of that is shown, and otherwise the change
goes through the import graph as before:

- the old module's statements are kept with their positions (the new ``def``s come after them, so
  no line of a traceback or a warning moves), and each new ``def`` has no decorator, only constant
  defaults, and annotations that cannot fail at import (constants or builtin names, or any under
  ``from __future__ import annotations``), and its name is no dunder (a new module ``__getattr__``
  answers for names that nobody spells here) and no pytest hook (``pytest_plugins = ["pkg.plugin"]``
  spells the module, never the hook pytest then calls by its ``pytest_`` prefix);
- the name is new: no file in the tree spelled it before beyond the new ``def``s (no shadowing, no
  duplicate, no earlier ``mod.name`` that now resolves);
- the module has no ``__dir__`` of its own and no ``globals()``/``locals()``/``vars()``/``dir()``
  (they list its own names), but for ``globals()[f"_{name}"]`` whose fixed start no new name has.

Then the tests to run are the test files that spell a new name and the test files that list or
compute names (each of those runs whole, with what imports it); any other file that spells a name,
or lists names outside a test file, makes the change not fresh.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Iterable, Mapping

from hookwright.cache import read_snapshot, write_snapshot
from hookwright.frozen import dataclass
from hookwright.future_imports import lazy_annotations
from hookwright.git.repo import EMPTY_TREE, Repo
from hookwright.testing.name_listers import Forwarder, forwarders_spelled, lists_names

_TABLE_VERSION = 1  # bumped whenever lists_names reads a file differently
_BUILTIN_TYPES = frozenset(
    {"int", "float", "str", "bytes", "bool", "object", "complex", "list", "dict", "tuple", "set"}
)
_OWN_NAMESPACE = frozenset({"globals", "locals", "vars", "dir"})


@dataclass(frozen=True)
class Fresh:
    files: frozenset[str]  # changed files whose whole change is fresh functions
    tests: tuple[str, ...]  # test files that spell a new name, or list or compute names
    reason: str


def appended_functions(old: bytes, new: bytes) -> tuple[list[str], int] | None:
    """The names of the plain functions ``new`` appends to ``old``, and the line they start on."""
    try:
        before, after = ast.parse(old), ast.parse(new)
    except (SyntaxError, ValueError):
        return None
    kept, added = after.body[: len(before.body)], after.body[len(before.body) :]
    if not added or len(kept) != len(before.body):
        return None
    for was, now in zip(before.body, kept, strict=True):
        if ast.dump(was, include_attributes=True) != ast.dump(now, include_attributes=True):
            return None  # a statement changed or moved: not only an addition
    lazy = lazy_annotations(after)
    names = []
    for node in added:
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) or not _plain_signature(node, lazy):
            return None
        if node.name.startswith("__") and node.name.endswith("__"):
            return None  # a module __getattr__ or __dir__ answers for names nobody spells here
        if node.name.startswith("pytest_"):
            return None  # pytest calls a plugin module's hooks by this prefix, spelled nowhere here
        names.append(node.name)
    if len(set(names)) != len(names):
        return None  # the same name twice: the second replaces the first
    return names, added[0].lineno


def _plain_signature(func: ast.FunctionDef | ast.AsyncFunctionDef, lazy: bool) -> bool:
    """No decorator; what the ``def`` evaluates at import (defaults, annotations) cannot fail or act."""
    if func.decorator_list or getattr(func, "type_params", None):
        return False
    args = func.args
    defaults = [*args.defaults, *(d for d in args.kw_defaults if d is not None)]
    if not all(_constant(d) for d in defaults):
        return False
    if lazy:
        return True
    every = [*args.posonlyargs, *args.args, *args.kwonlyargs, *(a for a in (args.vararg, args.kwarg) if a)]
    notes = [a.annotation for a in every if a.annotation is not None]
    notes += [func.returns] if func.returns is not None else []
    return all(_constant(n) or (isinstance(n, ast.Name) and n.id in _BUILTIN_TYPES) for n in notes)


def _constant(node: ast.expr) -> bool:
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        node = node.operand
    if isinstance(node, ast.Tuple):
        return all(_constant(e) for e in node.elts)
    return isinstance(node, ast.Constant)


def own_names_listed(source: bytes, names: Iterable[str]) -> str | None:
    """Why the module's own namespace may be listed, or give one of ``names`` to a computed key.

    A module ``__getattr__`` is no reason: it runs only for a name the module lacks, and the only
    name it no longer runs for is a new one, which whoever asks for it spells or computes (the word
    search and ``name_listers`` see both). ``globals()[f"_{name}"]`` reads by a key that starts
    with ``_``: no reason either, unless a new name starts so.
    """
    tree = ast.parse(source)
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name == "__dir__":
            return "it defines a module __dir__"
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and isinstance(call.func, ast.Name) and call.func.id in _OWN_NAMESPACE:
            prefix = _key_prefix(call, parents) if call.func.id == "globals" and not call.args else None
            if prefix is None or any(name.startswith(prefix) for name in names):
                return f"line {call.lineno}: {call.func.id}()"
    return None


def _key_prefix(call: ast.Call, parents: Mapping[ast.AST, ast.AST]) -> str | None:
    """``globals()[key]`` or ``globals().get(key)``: the text every key starts with (None: unknown)."""
    up = parents.get(call)
    key: ast.expr | None = None
    if isinstance(up, ast.Subscript) and up.value is call:
        key = up.slice
    elif isinstance(up, ast.Attribute) and up.attr == "get":
        outer = parents.get(up)
        key = outer.args[0] if isinstance(outer, ast.Call) and outer.func is up and outer.args else None
    if isinstance(key, ast.JoinedStr) and key.values:
        key = key.values[0]
    elif isinstance(key, ast.BinOp) and isinstance(key.op, ast.Add):
        key = key.left
    if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value:
        return key.value
    return None


def _listers(repo: Repo, python: Mapping[str, str]) -> dict[str, tuple[str | None, list[Forwarder]]]:
    """path -> ``lists_names`` of its blob; a table per repository, so a commit reads only what changed."""
    table = repo.state_dir / "cache" / "name_listers.marshal"
    known = read_snapshot(table)
    if not isinstance(known, dict) or known.get("version") != _TABLE_VERSION:
        known = {"version": _TABLE_VERSION, "files": {}}
    files: dict[str, tuple[str, str | None, list[Forwarder]]] = {
        p: (v[0], v[1], [tuple(f) for f in v[2]])
        for p, v in known["files"].items()  # type: ignore[misc]
    }
    stale = [p for p, b in python.items() if files.get(p, ("",))[0] != b]
    if stale:
        contents = repo.read_blobs(python[p] for p in stale)
        for path in stale:
            files[path] = (python[path], *lists_names(contents.get(python[path], b"")))
    if stale or len(files) != len(python):
        files = {p: v for p, v in files.items() if p in python}
        write_snapshot(
            table,
            {
                "version": _TABLE_VERSION,
                "files": {p: [b, w, [list(f) for f in fs]] for p, (b, w, fs) in files.items()},
            },
        )
    return {p: (w, fs) for p, (_, w, fs) in files.items()}


def _spelling(repo: Repo, tree: str, words: Iterable[str]) -> list[str] | None:
    """The files of ``tree`` (the verified state's) that spell one of ``words``, binary files as text;
    None when the search fails. The tree, not the index: it holds exactly the verified blobs whatever
    the index holds now, and nothing has to be read to show that."""
    if tree == EMPTY_TREE:
        return None  # no tree was written (an unmerged index): nothing shows what the state holds
    argv = [
        "grep",
        "-a",
        "-l",
        "-z",
        "-w",
        "-F",
        *(x for w in sorted(set(words)) for x in ("-e", w)),
        tree,
        "--",
    ]
    found = repo.run(*argv, max_output=None)
    if found.returncode == 1:
        return []
    if not found.ok:
        return None
    prefix = f"{tree}:"
    named = found.stdout.decode("utf-8", "surrogateescape").split("\0")
    return [p.removeprefix(prefix) for p in named if p]


def judge(
    repo: Repo,
    before: Mapping[str, str],
    now: Mapping[str, str],
    changed: Iterable[str],
    is_test_file: Callable[[str], bool],
    is_doctest_file: Callable[[str], bool],
    addopts: Iterable[str] = (),
    *,
    tree: str,
) -> Fresh | None:
    """The changed files that only add fresh functions, and the tests that can see them; None: none.

    ``now``: the blobs of the verified state, whose tree is ``tree`` (searched for the new names).

    A doctest text file pytest collects runs code no Python scan reads (``>>> dir(m)``), and
    coverage in ``addopts`` (pytest-cov's ``--cov``) measures every function: with either, nothing is fresh.
    """
    if any(map(is_doctest_file, now)):
        return None
    if any(word.startswith("--cov") for word in addopts):
        return None  # a function no test calls lowers the covered share: a fail-under may fail the run
    candidates = [
        p
        for p in changed
        if p.endswith(".py") and before.get(p) and now.get(p) and not is_test_file(p)
        if p.rsplit("/", 1)[-1] != "conftest.py"
    ]
    if not candidates:
        return None
    contents = repo.read_blobs([before[p] for p in candidates] + [now[p] for p in candidates])
    added: dict[str, tuple[list[str], int]] = {}
    for path in candidates:
        new = contents.get(now[path], b"")
        found = appended_functions(contents.get(before[path], b""), new)
        if found is not None and own_names_listed(new, found[0]) is None:
            added[path] = found
    if not added:
        return None
    tests: set[str] = set()
    forwarders: list[Forwarder] = []
    for path, (why, forwarding) in _listers(
        repo, {p: b for p, b in now.items() if p.endswith(".py")}
    ).items():
        if not is_test_file(path):
            if why is not None:
                return None  # code outside a test's own file lists names: any test may reach it
            forwarders += forwarding
        elif why is not None or forwarding:
            tests.add(path)  # (a test's parameters come from pytest, whose callers spell nothing)
    names = sorted({n for found, _ in added.values() for n in found})
    spelled = re.compile(rb"\b(?:" + b"|".join(re.escape(n.encode()) for n in names) + rb")\b")
    hits = _spelling(repo, tree, [*names, *(f[0] for f in forwarders)])
    if hits is None:
        return None
    texts = repo.read_blobs(now[p] for p in hits if p in now)
    for path in hits:
        text = texts.get(now.get(path, ""), b"")
        if path in added:
            text = b"".join(text.splitlines(keepends=True)[: added[path][1] - 1])  # the part that was there
        if path not in now or (spelled.search(text) and not is_test_file(path)):
            return None  # a file that runs outside a test's own code spells it: not provably fresh
        tests.update([path] if spelled.search(text) else [])
    if forwarders and not forwarders_spelled(
        forwarders, (texts.get(now[p], b"") for p in hits if p.endswith(".py"))
    ):
        return None
    count = sum(len(found) for found, _ in added.values())
    reason = (
        f"{count} new function{'s' if count != 1 else ''} that nothing else names in {len(added)} file"
        f"{'s' if len(added) != 1 else ''}: {len(tests)} test files name them or list names"
    )
    return Fresh(frozenset(added), tuple(sorted(tests)), reason)
