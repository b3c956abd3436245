"""Which of the ways the project's other files import a name suits this file, in order.

``import os.path`` for a file that reads only ``os.path.*`` and ``import os`` for one that reads more,
unless the project's habit is clearly the shallower one; an ``import a.b as c`` is just one more way
to bind the name, ranked by how often it is written; of several modules, those whose exports hold
what the file reads off the name.
"""

from __future__ import annotations

from hookwright import stdlib_index
from hookwright.heal import import_stdlib
from hookwright.heal.import_usage import Usage
from hookwright.heal.project_names import ImportForm

Learned = list[tuple[ImportForm, int, int]]  # (form, times written, times written relative)


def ranked_for_use(learned: Learned, found: Usage) -> Learned:
    """``learned`` (already those consistent with the file's reads) in the order to try them."""
    learned = sorted(learned, key=lambda item: _plain_depth(item[0]))
    return _habit_over_depth(_fitting(learned, found))


def _plain_depth(form: ImportForm) -> int:
    return -len(form.module.split(".")) if form.name is None and form.asname is None else 0


def _habit_over_depth(learned: Learned) -> Learned:
    """``import os`` where the project writes it far more often than ``import os.path`` (pyload: 58
    to 1), though the file reads only ``os.path.*``: both bind ``os``, and the habit decides."""
    if len(learned) < 2 or _plain_depth(learned[0][0]) >= -1:
        return learned
    deeper, times, _ = learned[0]
    for item in learned[1:]:
        form = item[0]
        shallower = _plain_depth(form) < 0 and deeper.module.startswith(f"{form.module}.")
        if shallower and item[1] >= import_stdlib.CLEAR_MARGIN * (times + 1):
            return [item, *(other for other in learned if other is not item)]
    return learned


def _fitting(learned: Learned, found: Usage) -> Learned:
    """Of several modules the project imports under the name (setuptools: six ``import
    distutils.command.X as orig``), those whose exports hold what the file reads off it (the words of
    a module's source are not enough: ``distutils.command.install``'s name ``install_scripts``).
    One module is kept as it is: the project's own use is the evidence."""
    if len({form.module for form, _, _ in learned}) < 2:
        return learned
    index = stdlib_index.load()
    return [item for item in learned if import_stdlib.reads_fit(item[0], found, index)]
