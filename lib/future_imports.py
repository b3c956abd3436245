"""What a module's ``from __future__`` imports change about how its code runs."""

from __future__ import annotations

import ast


def lazy_annotations(tree: ast.Module) -> bool:
    """``from __future__ import annotations``: annotations are strings, never evaluated at import.

    So a name used only in annotations needs no import at run time (self_heal places it under
    ``TYPE_CHECKING``), and an annotation naming anything cannot fail a ``def`` (a new function's
    import-time part, for test selection).
    """
    return any(
        isinstance(n, ast.ImportFrom)
        and n.module == "__future__"
        and any(a.name == "annotations" for a in n.names)
        for n in tree.body
    )
