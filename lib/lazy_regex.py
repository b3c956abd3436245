"""A module-level regular expression compiled on its first use, not at import.

Compiling costs ~0.1-0.3 ms a pattern; of the 63 patterns the body-edit commit's modules compiled at
import, 42 were never used by it (other frameworks' output, failure reports, rare file kinds:
benchmarks/README.md, branch p22o). ``compile_lazily`` takes ``re.compile``'s arguments; mypy sees
``re.compile`` itself, so every call site is checked against ``re.Pattern``. Use it only for patterns
whose methods are called (``X.match(...)``, ``map(X.search, ...)``): the object is no ``re.Pattern``
for ``isinstance`` nor for ``re.sub(X, ...)``.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from re import compile as compile_lazily
else:

    class _Lazy:
        def __init__(self, pattern, flags=0):
            self._arguments = (pattern, flags)

        def __getattr__(self, name):
            if name == "_arguments":  # not set yet (a copy being made): no pattern to ask
                raise AttributeError(name)
            # Only names the instance lacks come here: compile once, then keep the pattern's own
            # attribute on the instance, so later calls cost what a compiled pattern's do.
            found = getattr(re.compile(*self._arguments), name)
            setattr(self, name, found)
            return found

        def __repr__(self):
            return f"compile_lazily({self._arguments[0]!r}, {self._arguments[1]!r})"

    def compile_lazily(pattern, flags=0):
        return _Lazy(pattern, flags)


__all__ = ["compile_lazily"]
