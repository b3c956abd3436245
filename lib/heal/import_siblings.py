"""How the files beside this one write an import of a name: the spelling a package keeps to itself.

A project may import ``AutogenContext`` from ``..api`` in one folder and ``...autogenerate.api`` in
another, and ``Environment`` from ``jinja2`` in its tests but from ``.environment`` inside the
package. The files of the same folder are the closest evidence of how this file would write it;
a relative spelling read there means the same module here. No clear majority: no evidence.
"""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import PurePosixPath

from hookwright.heal.project_names import ImportForm, ProjectIndex, absolute


def sibling_spelling(index: ProjectIndex, path: str, name: str) -> ImportForm | None:
    """The way most files of ``path``'s folder import ``name`` at module level, written as they write
    it; when none does there, the way they import it inside their functions."""
    folder = PurePosixPath(path).parent
    top: Counter[ImportForm] = Counter()
    local: Counter[ImportForm] = Counter()
    for relpath in index.files:
        if relpath == path or PurePosixPath(relpath).parent != folder:
            continue
        text = index.text(relpath)
        found = index.names(relpath) if text is not None and name in text else None
        if found is not None:  # read from the parse the project index keeps
            top.update(found.spelled[0].get(name, set()))
            local.update(found.spelled[1].get(name, set()))
    return _majority(top) if top else _majority(local)


def _majority(counts: Counter[ImportForm]) -> ImportForm | None:
    ranked = counts.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None
    return ranked[0][0]


def as_siblings_write(
    name: str,
    tree: ast.Module,
    project: ProjectIndex,
    path: str,
    learned: list[ImportForm],
    reads_attributes: bool = False,
) -> ImportForm | None:
    """The spelling the files of this folder use, when it names a module the project imports the name
    from and it is written relative exactly when this file writes its own imports relative.

    ``reads_attributes``: the file reads ``name.attr``. Where the project binds the name both to a
    module and to a member (dateutil: ``import time`` in most files, ``from datetime import time``
    beside this one), the folder does not say which object this file reads attributes off.
    """
    spelled = sibling_spelling(project, path, name)
    if spelled is None or spelled.name is None:
        return None
    if reads_attributes and any(form.name is None and form.binds == name for form in learned):
        return None
    is_package = path.endswith("__init__.py")
    module = absolute(spelled.module, spelled.level, project.module_of(path), is_package)
    first_party = (module or "").split(".")[0] in project.top_level_names
    relative_here = any(isinstance(n, ast.ImportFrom) and n.level > 0 for n in ast.walk(tree))
    if first_party and (spelled.level > 0) != relative_here:
        return None
    same = ImportForm(module or "", spelled.name, spelled.asname)
    local = [form for form, _, _ in project.learned(name, path, local=True)]
    return spelled if same in learned or same in local else None
