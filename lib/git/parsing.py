"""Parsing what git prints: raw diffs (-z), C-quoted paths, the added lines of a -U0 patch."""

from __future__ import annotations

from collections.abc import Iterator

from hookwright.frozen import Frozen


class Change(Frozen):
    """One path in a diff: status A/M/D/R/C/T/U, as git's raw format gives it."""

    _fields = ("status", "path", "old_path", "new_mode", "new_blob", "old_mode", "old_blob")
    __slots__ = _fields
    status: str
    path: str
    old_path: str | None
    new_mode: str
    new_blob: str
    old_mode: str
    old_blob: str

    def __init__(
        self,
        status: str,
        path: str,
        old_path: str | None,
        new_mode: str,
        new_blob: str,
        old_mode: str = "000000",
        old_blob: str = "0" * 40,
    ) -> None:
        self._fill(status, path, old_path, new_mode, new_blob, old_mode, old_blob)


def split_z(data: bytes) -> list[str]:
    return [p.decode("utf-8", "surrogateescape") for p in data.split(b"\0") if p]


def parse_raw_diff(raw: bytes) -> list[Change]:
    """Parse ``git diff --raw -z``: ``:old new oldsha newsha STATUS\\0path[\\0path]\\0``."""
    fields = raw.split(b"\0")
    changes: list[Change] = []
    i = 0
    while i < len(fields) and fields[i]:
        meta = fields[i].decode().lstrip(":").split(" ")
        status = meta[4][0]
        first = fields[i + 1].decode("utf-8", "surrogateescape")
        if status in "RC":
            second = fields[i + 2].decode("utf-8", "surrogateescape")
            changes.append(Change(status, second, first, meta[1], meta[3], meta[0], meta[2]))
            i += 3
        else:
            changes.append(Change(status, first, None, meta[1], meta[3], meta[0], meta[2]))
            i += 2
    return changes


def unquote_path(text: str) -> str:
    """Undo git's C-style quoting of a path in patch headers (``"a\\nb"``, octal UTF-8 bytes)."""
    if not (len(text) >= 2 and text[0] == '"' and text[-1] == '"'):
        return text
    body = text[1:-1]
    out = bytearray()
    escapes = {"n": 10, "t": 9, '"': 34, "\\": 92, "a": 7, "b": 8, "f": 12, "r": 13, "v": 11}
    i = 0
    while i < len(body):
        ch = body[i]
        if ch == "\\" and i + 1 < len(body):
            nxt = body[i + 1]
            if nxt in escapes:
                out.append(escapes[nxt])
                i += 2
                continue
            if nxt.isdigit():
                out.append(int(body[i + 1 : i + 4], 8))
                i += 4
                continue
        out += ch.encode("utf-8", "surrogateescape")
        i += 1
    return out.decode("utf-8", "surrogateescape")


def _header_path(line: str) -> str | None:
    value = line[4:].rstrip("\n")
    if value.endswith("\t"):
        # git ends a name that holds a space with a tab (GNU diff style), quoted or not: `"b/q\"u o.py"\t`.
        # A tab inside a name is always quoted (``\t``), so this tab is never part of the name.
        value = value[:-1]
    if value == "/dev/null":
        return None
    path = unquote_path(value)
    return path[2:] if path.startswith("b/") else path


def parse_added_lines(patch: bytes) -> dict[str, frozenset[int]]:
    """Line numbers (in the new file) of every added line, from a ``-U0`` patch."""
    result: dict[str, set[int]] = {}
    current: set[int] | None = None
    for raw in patch.split(b"\n"):
        if raw.startswith(b"+++ "):
            path = _header_path(raw.decode("utf-8", "surrogateescape"))
            current = result.setdefault(path, set()) if path is not None else None
        elif raw.startswith(b"@@ ") and current is not None:
            new = raw.split(b" ")[2]  # +start[,count]
            start, _, count = new[1:].partition(b",")
            n = int(count) if count else 1
            current.update(range(int(start), int(start) + n))
    return {path: frozenset(lines) for path, lines in result.items()}


def iter_paths_z(data: bytes) -> Iterator[str]:
    yield from split_z(data)
