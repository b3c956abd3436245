"""A TOML document parsed once per content, remembered in the result cache: most commits leave
``pyproject.toml`` alone, yet the lint and tests checks read it five times each run.

Importing ``tomllib`` alone costs ~5-8 ms of every commit on this machine kind (benchmarks/README.md,
branch p22o); a document whose bytes were parsed before is looked up by their digest instead. The
key names the parser (the interpreter's ``tomllib``, or ``tomli``), since a newer TOML version may
read the same text differently. Values go through JSON: a document holding dates is parsed every time.
"""

from __future__ import annotations

import json
import sys

from hookwright.hashing import sha256

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from hookwright.cache import ResultCache

# The standard library's parser, named by the interpreter's full version; tomli (Python 3.10) has a
# version of its own, unknown without importing it: its documents are remembered in-process only.
_PARSER = f"tomllib {sys.implementation.name} {sys.version}" if sys.version_info >= (3, 11) else ""
_UNPARSED = "unparsed"  # what the cache holds for a text that is not TOML

_memory: list[ResultCache] = []  # the run's result cache, while one is in use
# digest -> the document as JSON, or _UNPARSED, or None (JSON cannot hold it): in this process
_seen: dict[str, str | None] = {}


def remember_in(cache: ResultCache | None) -> None:
    """Remember parsed documents in ``cache`` (None: in this process only, as ``--no-cache``)."""
    _memory[:] = [cache] if cache is not None and cache.path is not None and _PARSER else []


def document(text: str) -> dict[str, Any] | None:
    """``tomllib.loads(text)``, or None when the text is not TOML (tomllib raised ``ValueError``)."""
    digest = sha256(f"toml\0{_PARSER}\0{text}".encode("utf-8", "surrogateescape")).hexdigest()
    if digest not in _seen:
        known = _memory[0].get(digest) if _memory else None
        if not isinstance(known, str):
            known = _parsed(text)
            if known is not None and _memory:
                _memory[0].put(digest, known)
        _seen[digest] = known
    remembered = _seen[digest]
    if remembered == _UNPARSED:
        return None
    # (A document JSON cannot hold is parsed on each call.)
    return json.loads(remembered) if remembered is not None else _direct(text)


def _parsed(text: str) -> str | None:
    """The document as JSON, ``_UNPARSED``, or None when JSON cannot hold it (dates, times)."""
    loaded = _direct(text)
    if loaded is None:
        return _UNPARSED
    try:
        return json.dumps(loaded, separators=(",", ":"), allow_nan=True)
    except TypeError:
        return None


def _direct(text: str) -> dict[str, Any] | None:
    from hookwright.tomlfile import loads

    try:
        return loads(text)
    except ValueError:  # TOMLDecodeError is one
        return None
