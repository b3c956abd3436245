"""Names a project stores into the builtins at run time: read unbound on purpose, never imported.

An application may put a name into every module's namespace when it starts by storing into the
builtins module (sabnzbd's ``builtins.__dict__['T'] = ...``, ``__builtin__.xrange = range``,
``setattr(builtins, 'T', ...)``). Its files then read that name without an import, and an import
added for it finds some unrelated module's name (``from encodings.punycode import T``): a changed
meaning, where the file's author left the name as it is. Only what the project's own files store
counts, and only where no other file imports the name. ``gettext.install()``'s ``_`` is not counted:
measured on history8, the commits of projects that install it (blueman, PySolFC) add an explicit
import as often as they leave ``_`` unbound, and declining it took import compiles-clean to 89.6 %.
"""

from __future__ import annotations

import re
import weakref

from hookwright.heal.project_names import ProjectIndex

_BUILTINS = r"(?:__builtin__|builtins|__builtins__)"
_MARKERS = ("__builtin__", "builtins")
_QUOTED = r"""['"]([A-Za-z_]\w*)['"]"""
_STORES = re.compile(
    rf"{_BUILTINS}(?:\.__dict__)?\[\s*{_QUOTED}\s*\]\s*=(?!=)"  # builtins.__dict__['T'] = ...
    rf"|\b{_BUILTINS}\.([A-Za-z_]\w*)\s*=(?!=)"  # __builtin__.xrange = range
    rf"|setattr\(\s*{_BUILTINS}\s*,\s*{_QUOTED}"  # setattr(builtins, 'T', ...)
)

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
            if names:
                found[relpath] = frozenset(names)
        _FOUND[index] = found
    return _FOUND[index]


def installed_into_builtins(name: str, index: ProjectIndex, exclude: str | None = None) -> bool:
    """A file of the project other than ``exclude`` stores ``name`` into the builtins, and no other
    file imports it: where some do (xonsh stores ``events`` and its files import it too), the name
    is also an ordinary import, and a commit may add it."""
    by_file = _installed_by_file(index)
    installs = any(name in names for relpath, names in by_file.items() if relpath != exclude)
    return installs and not index.learned(name, exclude) and not index.learned(name, exclude, local=True)
