"""Names a project installs into ``builtins``: defined in every module once the project has started.

Applications of the Python 2 era put their translation and logging helpers there
(``builtins.__dict__["_"] = ...``, ``setattr(__builtin__, "print_d", ...)``, ``gettext.install(...)``
for ``_``). ruff cannot know, so it reports them as undefined; an import added for one would shadow
what the project installs and, where the module it names no longer holds the name, break. Read
with regular expressions: those modules are often Python 2 code this interpreter cannot parse.
"""

from __future__ import annotations

import re
import weakref

from hookwright.heal.project_names import ProjectIndex

_BUILTINS = r"(?:__builtin__|builtins|__builtins__)"
_INSTALLED = (
    re.compile(rf"\b{_BUILTINS}\.__dict__\[\s*['\"](\w+)['\"]\s*\]\s*="),
    re.compile(rf"\bsetattr\(\s*{_BUILTINS}\s*,\s*['\"](\w+)['\"]"),
    re.compile(rf"^\s*{_BUILTINS}\.(\w+)\s*=[^=]", re.MULTILINE),
)
_GETTEXT_INSTALL = re.compile(r"\bgettext\.install\(")


_SEEN: weakref.WeakKeyDictionary[ProjectIndex, frozenset[str]] = weakref.WeakKeyDictionary()


def _installed(index: ProjectIndex) -> frozenset[str]:
    if index in _SEEN:
        return _SEEN[index]
    found: set[str] = set()
    for relpath in index.files:
        text = index.text(relpath)
        if text is None or ("builtin" not in text and "gettext.install" not in text):
            continue
        for pattern in _INSTALLED:
            found.update(pattern.findall(text))
        if _GETTEXT_INSTALL.search(text):
            found.add("_")
    found.discard("__dict__")
    _SEEN[index] = frozenset(found)
    return _SEEN[index]


def installs_builtin(index: ProjectIndex, name: str) -> bool:
    """Some module of the project puts ``name`` into ``builtins``."""
    return name in _installed(index)
