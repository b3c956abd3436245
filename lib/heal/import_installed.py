"""Names a project installs into the builtins at run time: read unbound on purpose, never imported.

An application may put a name into every module's namespace when it starts: ``gettext.install()``
binds ``_`` (and with ``names=`` ``ngettext`` ...), and code may store into the builtins module itself
(sabnzbd's ``builtins.__dict__['T'] = ...``, ``__builtin__.xrange = range``, ``setattr(builtins,
'T', ...)``). Its files then read that name without an import, and an import added for it finds
some unrelated module's name (``from encodings.punycode import T``): a changed meaning, where the
file's author left the name as it is. Only what the project's own files install counts: a name the
files merely read unbound (history8: h20j's wider rule) also covers names a commit forgot to import.
And only where no other file imports it.
"""

from __future__ import annotations

import re
import weakref

from hookwright.heal.project_names import ProjectIndex

_BUILTINS = r"(?:__builtin__|builtins|__builtins__)"
_MARKERS = ("__builtin__", "builtins", ".install(")
_QUOTED = r"""['"]([A-Za-z_]\w*)['"]"""
_STORES = re.compile(
    rf"{_BUILTINS}(?:\.__dict__)?\[\s*{_QUOTED}\s*\]\s*=(?!=)"  # builtins.__dict__['T'] = ...
    rf"|\b{_BUILTINS}\.([A-Za-z_]\w*)\s*=(?!=)"  # __builtin__.xrange = range
    rf"|setattr\(\s*{_BUILTINS}\s*,\s*{_QUOTED}"  # setattr(builtins, 'T', ...)
)
_INSTALL_NAMES = re.compile(r"\.install\(([^)]*)\)")  # gettext.install('app', names=['ngettext'])
_NAMES_ARGUMENT = re.compile(r"names\s*=\s*[\[(]([^\])]*)")
_GETTEXT = re.compile(r"^\s*(?:import\s+gettext|from\s+gettext\s+import)", re.MULTILINE)

_FOUND: weakref.WeakKeyDictionary[ProjectIndex, dict[str, frozenset[str]]] = weakref.WeakKeyDictionary()


def _installed_by_file(index: ProjectIndex) -> dict[str, frozenset[str]]:
    """Per file of the project, the names it stores into the builtins (read once per index)."""
    if index not in _FOUND:
        found: dict[str, frozenset[str]] = {}
        for relpath in index.files:
            text = index.text(relpath)
            if text is None or not any(marker in text for marker in _MARKERS):
                continue
            names = {name for match in _STORES.finditer(text) for name in match.groups() if name}
            if _GETTEXT.search(text):
                for call in _INSTALL_NAMES.finditer(text):
                    listed = _NAMES_ARGUMENT.search(call.group(1))
                    names |= {"_", *(re.findall(_QUOTED, listed.group(1)) if listed else ())}
            if names:
                found[relpath] = frozenset(names)
        _FOUND[index] = found
    return _FOUND[index]


def installed_into_builtins(name: str, index: ProjectIndex, exclude: str | None = None) -> bool:
    """A file of the project other than ``exclude`` stores ``name`` into the builtins (``_``, and the
    names of its ``names=``: a file that imports gettext and calls ``.install(``), and no other file
    imports it: where some do (nicotine-plus installs ``_`` and its files write ``from gettext import
    gettext as _`` too), the project is leaving the installed name, and its commits add the import."""
    by_file = _installed_by_file(index)
    installs = any(name in names for relpath, names in by_file.items() if relpath != exclude)
    return installs and not index.learned(name, exclude) and not index.learned(name, exclude, local=True)
