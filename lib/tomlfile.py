"""TOML reading for Python 3.10 and later: the standard library's tomllib, or tomli where it is missing."""

from __future__ import annotations

try:
    from tomllib import TOMLDecodeError, loads
except ModuleNotFoundError:  # Python 3.10
    from tomli import TOMLDecodeError, loads  # type: ignore[no-redef,assignment]

__all__ = ["TOMLDecodeError", "loads"]
