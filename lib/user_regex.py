"""Regular expressions a user wrote run on RE2: linear time, whatever the pattern and the text.

Python's ``re`` backtracks: ``(a+)+$`` against forty ``a``\\ s and a ``!`` runs for minutes, and a
config, a fix rule or a template pack is text anyone can put in a pull request. A time budget cannot
stop ``re`` (its matching loop holds the GIL; SIGALRM reaches only the main thread, and checks run in
others), so user patterns go to RE2 (the ``google-re2`` package, Google's own bindings), which never
backtracks. RE2 has no backreferences and no lookaround: a pattern that needs them is refused as bad
input, with RE2's reason. Patterns hookwright writes itself stay on ``re``.
"""

from __future__ import annotations

import functools

from hookwright.errors import BadInput

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any


def _options() -> Any:
    import re2

    options = re2.Options()
    options.log_errors = False  # RE2 would print every refusal to stderr; the message is ours
    return options


@functools.lru_cache(maxsize=1024)
def compile_pattern(pattern: str | bytes, where: str = "regex") -> Any:
    """An RE2 pattern object (``search``, ``match``, ``fullmatch``, ``groupdict`` as in ``re``)."""
    import re2

    try:
        return re2.compile(pattern, _options())
    except re2.error as exc:
        reason = exc.args[0] if exc.args else exc
        if isinstance(reason, bytes):
            reason = reason.decode("utf-8", "replace")
        raise BadInput(
            f"{where}: {pattern!r} is not a regular expression hookwright can run in linear time: {reason}"
            " (backreferences and lookaround are not supported)"
        ) from None
