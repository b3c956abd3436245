"""Which standard-library import an undefined name needs, decided by how the file uses the name.

Three readings, each against the modules' real exports (``stdlib_index``):

* a module read as ``name.attr`` (``import json``; ``import xml.etree.ElementTree`` where a submodule is
  read), and for a name that is also a member of its own module (``datetime``, ``time``, ``copy``), the
  member when it is called or read with the member's attributes;
* a bare name (``Path``, ``dedent``) exported by one object; when several objects go by that name, the
  one whose module the file already imports from, else the one the standard library itself imports
  far more often; otherwise no answer;
* an alias read as ``alias.attr`` (``t.Any`` -> ``import typing as t``): the modules whose name the
  alias abbreviates and whose exports hold every attribute read off it; exactly one, or no answer.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable

from hookwright.heal.import_usage import Usage
from hookwright.heal.project_names import (
    STDLIB,
    ImportForm,
    stdlib_dir,
    stdlib_package_imports,
    stdlib_submodule,
)
from hookwright.stdlib_index import Export, StdlibIndex

# Where several objects share a name and nothing in the project tells them apart, the favourite must
# be imported by the standard library itself five times as often as the next (``Path``: pathlib 9,
# zipfile 0); ``dumps`` (pickle 3, json 0) or ``copy`` (copy 5, shutil 0, sharedctypes 1) are not.
CLEAR_MARGIN = 5


def _private(module: str) -> bool:
    return any(part.startswith("_") for part in module.split("."))


def _deepest_submodules(name: str, usage: Usage) -> list[ImportForm]:
    forms: set[ImportForm] = set()
    for chain in usage.chains:
        deepest = None
        for depth in range(1, len(chain)):
            dotted = ".".join([name, *chain[:depth]])
            if stdlib_submodule(dotted):
                deepest = dotted
        if deepest is not None and not stdlib_package_imports(name, deepest.split(".")[1]):
            forms.add(ImportForm(deepest))
    return sorted(forms) or [ImportForm(name)]


def _has_every_attribute(name: str, usage: Usage, index: StdlibIndex) -> bool:
    """Every public attribute read off ``name`` is one the module exports, a submodule of it, or a
    word of its source (``getpass.unix_getpass`` is public but not in ``__all__``); a module the scan
    did not record, or one without Python source, says nothing."""
    exports = index.exports(name)
    read = {chain[0] for chain in usage.chains if chain and not chain[0].startswith("_")}
    unknown = [a for a in read if a not in exports and not stdlib_submodule(f"{name}.{a}")]
    if not exports or not unknown:
        return True
    words = _source_words(name)
    return words is None or all(a in words for a in unknown)


@functools.cache
def _source_words(module: str) -> frozenset[str] | None:
    """The identifiers of a standard-library module's source (all of a package's files); None if
    it has none (built in, or compiled)."""
    base = stdlib_dir().joinpath(*module.split("."))
    files = sorted(base.rglob("*.py")) if (base / "__init__.py").is_file() else [base.with_suffix(".py")]
    texts = []
    for path in files:
        try:
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
        except OSError:
            continue
    return frozenset(re.findall(r"[A-Za-z_]\w*", "\n".join(texts))) if texts else None


def _fits(index: StdlibIndex, key: str, kind: str, chain: tuple[str, ...]) -> bool:
    """``chain`` can be read off the object ``key``: as far as the recorded attributes tell."""
    if not chain:
        return True
    if kind in "fav":
        return False  # functions and constants are not read as `name.attr` in real code
    known = index.attrs(key)
    return known is None or chain[0] in known


def module_or_member(name: str, usage: Usage, index: StdlibIndex | None) -> list[ImportForm]:
    """``import name`` (or its submodule), or ``from name import name`` when the use says member."""
    if name not in STDLIB or name.startswith("_") or not usage.chains:
        return []
    member = index.exports(name).get(name) if index is not None else None
    if member is None or index is None:
        if index is not None and not _has_every_attribute(name, usage, index):
            return []  # `site.setSession(s)`: a local `site` left undefined, not the site module
        return _deepest_submodules(name, usage) if usage.as_module else []
    kind, key = member
    exports = index.exports(name)
    as_module = usage.as_module and all(chain[0] in exports for chain in usage.chains)
    as_member = (not usage.as_module or usage.called) and all(
        _fits(index, key, kind, chain) for chain in usage.chains
    )
    if usage.as_module and not as_module:
        as_member = all(_fits(index, key, kind, chain) for chain in usage.chains)
    if as_module and not as_member:
        return _deepest_submodules(name, usage)
    if as_member and not as_module:
        return [ImportForm(name, name)]
    return []


def fits_use(form: ImportForm, usage: Usage, index: StdlibIndex | None) -> bool:
    """A standard-library import, whoever proposed it (another file of the project, say), agrees with
    how this file uses the name: no module is called, and where a module holds a member of its own
    name, what is read off the name is the module's rather than the member's (and the other way)."""
    if index is None or form.level or form.module.split(".")[0] not in STDLIB:
        return True
    module = form.module if form.name is None else None
    if module is None and index.exports(form.module).get(form.name or "", ("", ""))[0] == "m":
        module = f"{form.module}.{form.name}"
    if module is not None:
        if usage.called:
            return False
        member = index.exports(module).get(module.rsplit(".", 1)[-1])
        return member is None or module_or_member(module, usage, index) != [ImportForm(module, module)]
    export = index.exports(form.module).get(form.name or "")
    if (
        export is not None
        and export[0] in "fc"
        and not all(_fits(index, export[1], export[0], c) for c in usage.chains)
    ):
        return False  # `from multiprocessing import Queue` (a function) for `Queue.Empty`: the queue module's
    if export is None or form.name != form.module.rsplit(".", 1)[-1]:
        return True
    return module_or_member(form.module, usage, index) != _deepest_submodules(form.module, usage)


def _usable(export: Export, usage: Usage) -> bool:
    if _private(export.module):
        return False
    if usage.awaited and export.kind != "a":
        return False
    if usage.called and export.kind not in "cfa":
        return False
    return all(chain == () or export.kind in "cm" for chain in usage.chains)


def _best_module(group: list[Export], index: StdlibIndex) -> Export:
    return max(
        group, key=lambda e: (index.popularity(e.module, e.name), -e.module.count("."), -len(e.module))
    )


def bare_name(
    name: str,
    usage: Usage,
    index: StdlibIndex | None,
    imported_from: Iterable[str],
    project_imports: Callable[[str], bool] | None = None,
) -> list[ImportForm]:
    """``from module import name`` for a bare name the standard library exports.

    Several modules exporting one object (``os.path`` and ``posixpath``; ``collections.abc`` and
    ``typing``) is no doubt: the one the standard library imports it from most. Several objects of
    that name (``json.dumps``, ``pickle.dumps``) are told apart by the file's own imports, then by
    the modules the project imports elsewhere, then only by a wide margin in how often the standard
    library itself imports each; otherwise there is no answer.
    """
    if index is None or name.startswith("_"):
        return []
    groups: dict[str, list[Export]] = {}
    for export in index.exporters(name):
        if _usable(export, usage) and all(_fits(index, export.key, export.kind, c) for c in usage.chains):
            groups.setdefault(export.key, []).append(export)
    if not groups:
        return []
    already = set(imported_from)
    if len(groups) == 1:
        group = next(iter(groups.values()))
        return [
            ImportForm(_best_module([e for e in group if e.module in already] or group, index).module, name)
        ]
    for known in (lambda module: module in already, project_imports):
        if known is None:
            continue
        mine = [[e for e in g if known(e.module)] for g in groups.values()]
        mine = [g for g in mine if g]
        if len(mine) == 1:
            return [ImportForm(_best_module(mine[0], index).module, name)]
        if mine:
            return []  # the file (or project) imports from two of them: not ours to choose
    scored = sorted((sum(index.popularity(e.module, name) for e in g), g) for g in groups.values())
    (best, group), runner_up = scored[-1], scored[-2][0]
    if best < CLEAR_MARGIN * (runner_up + 1):
        return []  # several objects of that name, none clearly the usual one: not ours to guess
    return [ImportForm(_best_module(group, index).module, name)]


def _abbreviates(alias: str, module: str) -> bool:
    """``alias`` shortens ``module``: ``_os`` os, ``t`` typing, ``osp`` os.path, ``ET`` ElementTree."""
    short = alias.replace("_", "").lower()  # `importlib_metadata` shortens importlib.metadata
    parts = module.lower().split(".")
    if not short:
        return False
    for start in range(len(parts)):
        rest = "".join(parts[start:])
        if rest[0] != short[0]:
            continue
        position = 0
        for char in rest:
            if position < len(short) and char == short[position]:
                position += 1
        if position == len(short):
            return True
    return False


_WORD = r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])"  # `HTTPServer` -> HTTP, Server


def _words(alias: str) -> set[str]:
    """The words of an alias: ``Stdlib_Queue`` -> stdlib, queue; ``_original_pyio`` -> original, pyio."""
    return {w.lower() for part in alias.split("_") for w in re.findall(_WORD, part)}


def _named_by_a_word(alias: str, wanted: set[str], index: StdlibIndex) -> list[str]:
    """Modules whose own name is a whole word of ``alias`` (``import queue as Stdlib_Queue``, ``import
    _pyio as _original_pyio``, ``import select as __select__``) or ends it, and that hold what is read."""
    words = _words(alias)
    squeezed = alias.replace("_", "").lower()
    found = []
    for module in index.modules():
        own = module.rsplit(".", 1)[-1].strip("_").lower()
        # a whole word, or the end of the alias past a prefix (`import socket as pysocket`)
        named = own in words or (len(own) >= 4 and squeezed.endswith(own))
        if named and module.count(".") == 0 and wanted <= index.attributes(module):
            found.append(module)
    return found


def aliased_module(alias: str, usage: Usage, index: StdlibIndex | None) -> list[ImportForm]:
    """``import module as alias`` for an alias read only as ``alias.attr``."""
    if index is None or not usage.as_module or alias in STDLIB:
        return []
    wanted = {chain[0] for chain in usage.chains}
    if not wanted:
        return []  # only probed (`hasattr(alias, "x")`): nothing says which module
    shortened = [m for m in index.modules() if not _private(m) and _abbreviates(alias, m)]
    # by exports first; only when none has them all, by every name the module holds (`http_client.
    # NOT_ACCEPTABLE`, `pysocket.SocketIO` are read off the module but not in its `__all__`)
    fitting = [m for m in shortened if wanted <= index.exports(m).keys()] or [
        m for m in shortened if wanted <= index.attributes(m)
    ]
    exact = [m for m in fitting if alias.strip("_").lower() == m.rsplit(".", 1)[-1].lower()]
    if not fitting:
        # `import select as __select__` read as `__select__.select`: a compiled module's functions
        # are not all recorded, so a module the alias names exactly is judged as `import select` is
        named = [
            module
            for module in index.modules()
            if not _private(module)
            and alias.strip("_").lower() == module.rsplit(".", 1)[-1].lower()
            and _has_every_attribute(module, usage, index)
        ] or _named_by_a_word(alias, wanted, index)
        return [ImportForm(named[0], None, alias)] if len(named) == 1 else []
    ranked = exact or sorted(fitting, key=lambda m: -index.alias_popularity(alias, m))
    if len(ranked) > 1 and (
        exact or index.alias_popularity(alias, ranked[0]) == index.alias_popularity(alias, ranked[1])
    ):
        return []
    return [ImportForm(ranked[0], None, alias)]


def reads_fit(form: ImportForm, usage: Usage, index: StdlibIndex | None) -> bool:
    """What the file reads off the name a plain standard-library import binds is among that
    module's exports or submodules (a module the scan did not record says nothing)."""
    if index is None or form.name is not None or form.level:
        return True
    module = form.module if form.asname else form.module.split(".")[0]
    exports = index.exports(module)
    read = {chain[0] for chain in usage.chains if chain and not chain[0].startswith("_")}
    return not exports or all(a in exports or stdlib_submodule(f"{module}.{a}") for a in read)
