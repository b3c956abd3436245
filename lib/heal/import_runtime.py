"""Names a project sets into ``builtins`` at run time: called in many of its files, bound in few.

``gettext.install()`` puts ``_`` into ``builtins`` (blueman, frescobaldi), and the files then call
``_("...")`` with nothing binding it. Where most files call the name unbound, a module that happens
to define it (blueman's ``ManagerStats``) is no source for the file being repaired: importing it
from there writes a dependency the project does not have, and the repair the project makes leaves
the name as its other files do.
"""

from __future__ import annotations

import re
import weakref

from hookwright.heal.import_stdlib import CLEAR_MARGIN
from hookwright.heal.project_names import ProjectIndex

# per project index, per (name, file): a session asks again for every round and every fix tried
_ANSWERS: weakref.WeakKeyDictionary[ProjectIndex, dict[tuple[str, str], bool]] = weakref.WeakKeyDictionary()


def installed_at_run_time(index: ProjectIndex, name: str, exclude: str) -> bool:
    """``name`` is called unbound in ``CLEAR_MARGIN`` times as many of the other files as bind it,
    plus one (blueman: ``_`` called unbound in dozens of files, defined in one)."""
    answers = _ANSWERS.setdefault(index, {})
    if (name, exclude) not in answers:
        answers[name, exclude] = _called_unbound(index, name, exclude)
    return answers[name, exclude]


def _called_unbound(index: ProjectIndex, name: str, exclude: str) -> bool:
    called = re.compile(rf"(?<![\w.]){re.escape(name)}\(")
    assigned = re.compile(rf"(?<![\w.]){re.escape(name)}\s*=(?!=)|\bas\s+{re.escape(name)}\b")
    free = bound = 0
    for relpath in index.files:
        text = index.text(relpath) if relpath != exclude else None
        if text is None or name not in text:
            continue
        found = index.names(relpath)
        binds = found is not None and (
            name in found.imports or name in found.local_imports or name in found.defines
        )
        if binds or assigned.search(text):
            bound += 1
        elif called.search(text):
            free += 1
    return free >= CLEAR_MARGIN * (bound + 1)
