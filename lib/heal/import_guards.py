"""Undefined names an added import must not answer: ones the file guards, Python 2's builtins, and
code that left its function.

A name read only inside a branch the file chooses by interpreter version (``if sys.version_info >=
(3, 12): ... else: ...``, ``if PY2:``), or one from outside the standard library read only inside a
``try:`` that catches ``ImportError``, belongs to code written for another interpreter or install:
an import at module level would run on every one (only the gap the name's own import left inside
that code is a place for it), and ``from typing import Self`` raises ImportError on exactly the
versions that branch is for. A module compiled into every interpreter (``import sys``, read in
gevent's ``if PY3:`` branches) is the one import such a branch can share with the rest of the file.

A Python 2 builtin (``cmp``, ``unicode``, ``xrange``) that Python 3 dropped is code not yet ported;
a standard-library module that happens to export the same name (``filecmp.cmp``) compiles and means
something else. Only the module Python 3 moved that very builtin to is its import (``functools.reduce``);
a project's own compatibility definition (``from .compat import unicode``) is found by the project's rules.
"""

from __future__ import annotations

import ast
import re
import sys

from hookwright.heal.project_names import STDLIB, ImportForm, ProjectIndex

PY2_BUILTINS = frozenset(
    {"apply", "basestring", "buffer", "cmp", "coerce", "execfile", "file", "intern", "long"}
    | {"raw_input", "reduce", "reload", "unichr", "unicode", "xrange"}
)
# Where Python 3 moved a builtin: the same object under its new home.
MOVED_BUILTINS = frozenset(
    {("functools", "reduce"), ("sys", "intern"), ("imp", "reload"), ("importlib", "reload")}
)

_VERSION_FLAG = re.compile(r"(IS_|_)?PY(THON)?_?[23]\w*")  # PY2, PY3K, _PY3, PYTHON3, IS_PY2
_VERSION_ATTRIBUTES = ("version_info", "version", "hexversion")


def _reads_version(test: ast.expr) -> bool:
    """``sys.version_info``/``sys.version``/``sys.hexversion`` or a ``PY2``-like flag in an ``if`` test."""
    for node in ast.walk(test):
        if isinstance(node, ast.Attribute) and node.attr in _VERSION_ATTRIBUTES and _is_sys(node.value):
            return True
        if isinstance(node, ast.Name) and node.id in ("version_info", "hexversion"):
            return True  # `from sys import version_info`
        if isinstance(node, ast.Name | ast.Attribute):
            word = node.id if isinstance(node, ast.Name) else node.attr
            if _VERSION_FLAG.fullmatch(word):
                return True
    return False


def _is_sys(node: ast.expr) -> bool:
    return isinstance(node, ast.Name) and node.id == "sys"


def _tried(node: ast.AST, statement: ast.Try) -> bool:
    """``node`` is a statement of the ``try`` body or one of its handlers (not ``else``/``finally``)."""
    return any(node is s for s in statement.body) or any(node is h for h in statement.handlers)


def _catches_import_error(node: ast.Try) -> bool:
    for handler in node.handlers:
        caught = handler.type
        names = caught.elts if isinstance(caught, ast.Tuple) else [caught]
        if any(isinstance(n, ast.Name) and n.id in ("ImportError", "ModuleNotFoundError") for n in names):
            return True
    return False


def guard_of(node: ast.AST, parents: dict[int, ast.AST]) -> str | None:
    """What makes ``node`` run only on some interpreters: ``"version"`` (a version branch), else
    ``"import"`` (a ``try:`` that catches ImportError), else None."""
    found = None
    previous, current = node, parents.get(id(node))
    while current is not None:
        if isinstance(current, ast.If) and previous is not current.test and _reads_version(current.test):
            return "version"
        if isinstance(current, ast.Try) and _catches_import_error(current) and _tried(previous, current):
            found = "import"
        previous, current = current, parents.get(id(current))
    return found


def unguarded_import_breaks(forms: list[ImportForm], versioned: bool, loaded: bool = False) -> bool:
    """Importing ``forms`` outside the guard could fail where the guarded code never runs: a version
    branch's name (unless a module compiled into every interpreter), or an ImportError ``try``'s
    name from outside the standard library (Flexget's ``try: import pysftp`` reads ``logging``
    too, and ``import logging`` belongs at the top) unless ``loaded``: the file imports from that
    module at module level already (spyder's ``from spyder.config.base import _, ...``), so one more
    name from it fails nowhere the module itself does not."""
    if all(f.name is None and f.level == 0 and f.module in sys.builtin_module_names for f in forms):
        return False
    if loaded and not versioned:
        return False
    return versioned or not all(f.level == 0 and f.module.split(".")[0] in STDLIB for f in forms)


def moved_builtin(name: str) -> bool:
    """A Python 2 builtin Python 3 moved into the standard library (``reduce``): its import is that
    home, not a compatibility module of the project that re-binds it (twisted's ``irc.py`` imports
    ``xrange`` from ``twisted.python.compat`` and ``reduce`` from ``functools``)."""
    return any(moved == name for _, moved in MOVED_BUILTINS)


# Modules that hold the interpreter's builtins: a name imported from one of them (`import builtins`
# itself binds the module) is no builtin of this Python (so the import fails here), and on Python 2
# a builtin needs no import.
BUILTIN_MODULES = frozenset({"__builtin__", "builtins"})


def vendored_shim(name: str, index: ProjectIndex, path: str) -> bool:
    """``name`` is a Python 2 builtin (``unicode``, ``basestring``) that several modules define, or one
    module of another top-level package (sqlmap's vendored ``thirdparty.bottle``): that code's shim for
    itself, not this file's. Only a single definer in the file's own package (biopython's
    ``Bio._py3k``) is the project's compatibility module."""
    if name not in PY2_BUILTINS:
        return False
    definers = index.definers(name, exclude=path)
    own = index.module_of(path).split(".")[0]
    return len(definers) != 1 or definers[0].split(".")[0] != own


def misread_builtin(name: str, forms: list[ImportForm]) -> bool:
    """``name`` is a Python 2 builtin and a form imports it from the standard library's wrong module,
    or a form imports it from the builtins module itself (biopython's ``from __builtin__ import
    basestring`` sits in its compatibility module's Python 2 branch; its files import ``Bio._py3k``)."""
    if any(form.level == 0 and form.module in BUILTIN_MODULES and form.name for form in forms):
        return True
    if name not in PY2_BUILTINS:
        return False
    return any(
        form.level == 0
        and form.module.split(".")[0] in STDLIB
        and (form.module, form.name) not in MOVED_BUILTINS
        for form in forms
    )


def _a_parameter_somewhere(tree: ast.Module, name: str) -> bool:
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
            arguments = node.args
            every = [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs]
            every += [a for a in (arguments.vararg, arguments.kwarg) if a is not None]
            if any(a.arg == name for a in every):
                return True
    return False


def _read_at_module_level(tree: ast.Module, name: str) -> bool:
    for statement in tree.body:
        if isinstance(statement, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            continue
        if any(isinstance(n, ast.Name) and n.id == name for n in ast.walk(statement)):
            return True
    return False


def left_its_function(tree: ast.Module, name: str) -> bool:
    """``x = default`` at module level where a function of the file takes ``default``: code that
    left its function (a dedent), not a missing import; ``from email.policy import default`` would
    compile and change what the code means."""
    return _a_parameter_somewhere(tree, name) and _read_at_module_level(tree, name)


# Calls that return a namespace as a dict: handed on or written to, they may define any name in it.
_NAMESPACES = frozenset({"globals", "vars", "locals"})
# What reads a namespace without writing it: `globals()[key]`, `globals().get(key)`, `key in globals()`.
_READS = frozenset({"get", "keys", "items", "values", "copy", "__contains__"})


def namespace_filled_at_run_time(tree: ast.Module) -> bool:
    """The module's names are written by code it runs: its ``globals()`` handed to a call
    (eventlet's ``patcher.inject('urllib2', globals(), ...)`` defines ``FTPHandler``) or updated in
    bulk, or ``exec`` run at module level. An undefined name there is no evidence of a lost import,
    and one added for it changed a correct file (fresh7, found blind). One key stored
    (``globals()[name] = value``, mininet's options) is not counted: a real lost import was
    declined for it (history7); nor is ``"%(NAME)s" % globals()``, which only reads (history11)."""
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def in_function(node: ast.AST) -> bool:
        while (node := parents.get(node)) is not None:  # type: ignore[assignment]
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda):
                return True
        return False

    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        if node.func.id in ("exec", "execfile") and not in_function(node):
            return True
        if node.func.id not in _NAMESPACES or node.args:
            continue
        if node.func.id != "globals" and in_function(node):
            continue  # a function's own locals
        up = parents.get(node)
        if isinstance(up, ast.Subscript):
            continue  # one key read or stored: a name the code computes, not another module's names
        if isinstance(up, ast.Call) and (_reads_only(up) or _binds_its_target(up, parents.get(up))):
            continue
        if isinstance(up, ast.Attribute) and up.attr in _READS:
            continue
        if isinstance(up, ast.Compare) or (isinstance(up, ast.comprehension) and up.iter is node):
            continue
        if isinstance(up, ast.BinOp) and isinstance(up.op, ast.Mod) and up.right is node:
            continue  # `help % globals()`: a template filled from the names (CellProfiler's modules)
        return True
    return False


def _binds_its_target(call: ast.Call, statement: ast.AST | None) -> bool:
    """``name = Lazy(load, globals(), 'name')``: a lazy object that puts itself into the namespace
    under the one name it is assigned to (xonsh's ``LazyObject``), not a call that fills it."""
    if not isinstance(statement, ast.Assign) or len(statement.targets) != 1:
        return False
    target = statement.targets[0]
    keys = [a.value for a in [*call.args, *(k.value for k in call.keywords)] if isinstance(a, ast.Constant)]
    return isinstance(target, ast.Name) and target.id in keys


def _reads_only(call: ast.Call) -> bool:
    """Calls that take the module's namespace and bind nothing in it: ``__import__`` reads the
    caller's package there (cherrypy's ``__import__(m, globals(), locals())``), ``eval`` evaluates
    an expression, ``exec`` with a mapping of its own for locals binds into that mapping (pydantic's
    tests: ``exec(source, globals(), locals_dict)``)."""
    func = call.func
    name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
    return name in ("__import__", "eval") or (name == "exec" and len(call.args) + len(call.keywords) >= 3)
