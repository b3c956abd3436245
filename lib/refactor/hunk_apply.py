"""Placing hunks the way ``git apply`` does, but refusing to guess.

A hunk's old lines must match the file byte for byte (line endings and a missing final newline
included: no fuzz, no whitespace games). The search starts at the line the header names, moved by the
net size change of the hunks already applied and by the offset the previous hunk was found at, and
goes outward. Like git, a hunk that starts at line 1 must match at the top of the file and a hunk
without trailing context must match at its end. Unlike git, which takes the nearest match, a hunk
whose context occurs more than once away from where it is expected is refused as ambiguous: with
duplicated code, the nearest match is how a patch lands in the wrong function without a word.
"""

from __future__ import annotations

import stat
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright.refactor.patches import FilePatch, Hunk, render

_SHOWN = 5  # candidate lines listed in an "ambiguous" message


@dataclass(frozen=True)
class Placement:
    hunk: int  # the hunk's number in its file
    line: int  # 1-based line (in the file as patched so far) where its old lines start
    offset: int  # how far from where its header said


class HunkFailed(Exception):
    """One hunk cannot be placed; ``str`` is the reason a user reads."""

    def __init__(self, path: str, hunk: Hunk, line: int, reason: str) -> None:
        super().__init__(f"{path}:{line}: hunk #{hunk.number} {reason}")
        self.path = path
        self.hunk = hunk
        self.line = line
        self.reason = reason


def split_lines(data: bytes) -> list[bytes]:
    """Lines with their endings; only LF ends a line (a CR stays part of it, as in git)."""
    parts = data.split(b"\n")
    lines = [part + b"\n" for part in parts[:-1]]
    if parts[-1]:
        lines.append(parts[-1])
    return lines


def _matches(image: Sequence[bytes], old: Sequence[bytes], start: int) -> bool:
    return list(image[start : start + len(old)]) == list(old)


def candidates(image: Sequence[bytes], hunk: Hunk) -> list[int]:
    """Every 0-based start where the hunk's old lines match, honouring git's anchoring rules."""
    old = hunk.old
    size, width = len(image), len(old)
    if width > size:
        return []
    # git: a hunk starting at line 0 or 1 belongs at the top; without trailing context, at the end.
    at_start = hunk.old_start <= 1
    at_end = hunk.trailing == 0
    if at_start:
        starts = [0]
    elif at_end:
        starts = [size - width]
    elif width:
        first = old[0]
        starts = [i for i in range(size - width + 1) if image[i] == first]
    else:
        starts = list(range(size + 1))
    return [
        start for start in starts if _matches(image, old, start) and (not at_end or start + width == size)
    ]


def _explain(image: Sequence[bytes], hunk: Hunk, expected: int) -> str:
    """Why nothing matched, when we can tell: line endings, already applied, or plain drift."""
    new = hunk.new
    if new and any(_matches(image, new, i) for i in range(max(len(image) - len(new) + 1, 0))):
        return "does not apply: its new lines are already there (applied before?)"
    old = hunk.old
    if old and any(_matches(image, old, i) for i in range(len(image) - len(old) + 1)):
        if hunk.old_start <= 1:
            return "does not apply: its context is in the file, but a hunk at line 1 must match at the top"
        return "does not apply: its context is in the file, but a hunk without context after it must end it"
    strip = [line.rstrip(b"\r\n") for line in hunk.old]
    body = [line.rstrip(b"\r\n") for line in image]
    if strip and any(body[i : i + len(strip)] == strip for i in range(len(body) - len(strip) + 1)):
        return "does not apply: its context matches only with other line endings (CRLF vs LF)"
    return f"does not apply: its context does not match at line {expected + 1} or anywhere else"


def place(image: Sequence[bytes], hunk: Hunk, expected: int, path: str) -> int:
    """The 0-based line where ``hunk`` applies; HunkFailed when nowhere or ambiguously."""
    found = candidates(image, hunk)
    if len(found) == 1:
        return found[0]
    if expected in found:
        return expected
    if not found:
        raise HunkFailed(path, hunk, expected + 1, _explain(image, hunk, expected))
    found.sort(key=lambda start: (abs(start - expected), start))
    where = ", ".join(str(start + 1) for start in found[:_SHOWN])
    more = f" and {len(found) - _SHOWN} more" if len(found) > _SHOWN else ""
    raise HunkFailed(
        path,
        hunk,
        expected + 1,
        f"is ambiguous: its context matches at lines {where}{more}, none where expected",
    )


def apply_hunks(data: bytes, hunks: Sequence[Hunk], path: str) -> tuple[bytes, list[Placement]]:
    """Apply ``hunks`` (in order, any subset of a file's hunks) to ``data``."""
    image = split_lines(data)
    placements: list[Placement] = []
    applied_delta = 0  # net lines added by the hunks applied so far
    drift = 0  # where the previous hunk was found, relative to where it was expected
    for hunk in hunks:
        # A pure insertion (no old lines) goes after line old_start; otherwise it starts at it.
        stated = hunk.old_start - 1 if hunk.old_len else hunk.old_start
        stated = max(stated, 0) + applied_delta
        expected = min(max(stated + drift, 0), len(image))
        start = place(image, hunk, expected, path)
        image[start : start + len(hunk.old)] = hunk.new
        placements.append(Placement(hunk.number, start + 1, start - stated))
        drift = start - stated
        applied_delta += hunk.delta
    for index, line in enumerate(image[:-1]):
        if not line.endswith(b"\n"):
            # A line without its newline can only be the last one: here two lines would merge.
            culprit = next((h for h in hunks if line in h.new), hunks[-1])
            raise HunkFailed(path, culprit, index + 1, "would join two lines (a misplaced 'No newline')")
    return b"".join(image), placements


def apply_file(
    current: bytes | None, file: FilePatch, hunks: Sequence[Hunk]
) -> tuple[bytes | None, list[Placement]]:
    """The file's new bytes (None: deleted) from its ``current`` bytes (None: it does not exist)."""
    path = file.path
    if file.old_path is None:
        if current is not None:
            raise HunkFailed(path, _first(file), 1, "creates the file, but it already exists")
        current = b""
    elif current is None:
        raise HunkFailed(file.old_path, _first(file), 1, "patches a file that does not exist")
    new, placements = apply_hunks(current, hunks, path)
    if file.new_path is None:
        if new:
            raise HunkFailed(path, _first(file), 1, "deletes the file, but it has other content too")
        return None, placements
    return new, placements


def _first(file: FilePatch) -> Hunk:
    if file.hunks:
        return file.hunks[0]
    return Hunk(0, 0, 0, 0, 0, (), 1, "")


@dataclass(frozen=True)
class Unit:
    """What delta debugging keeps or drops: one hunk of a modified file, or a whole other file."""

    file: int  # index in the parsed patch
    hunks: tuple[int, ...]  # hunk numbers in that file


def units_of(files: Sequence[FilePatch]) -> list[Unit]:
    units = []
    for index, file in enumerate(files):
        if file.status == "modified":
            units += [Unit(index, (hunk.number,)) for hunk in file.hunks]
        else:  # half a creation, deletion or rename is no state anyone wants
            units.append(Unit(index, tuple(hunk.number for hunk in file.hunks)))
    return units


@dataclass
class Built:
    contents: dict[str, bytes | None]  # path -> new bytes; None: deleted
    placements: dict[tuple[int, int], Placement]  # (file index, hunk number) -> where it went
    spans: dict[int, list[tuple[str, int, int]]]  # unit -> (path, first, last line it wrote)

    def units_at(self, path: str, line: int | None) -> set[int]:
        """The units whose new lines hold ``line`` of ``path`` (every unit of the file if none does)."""
        in_file = {unit for unit, spans in self.spans.items() for span in spans if span[0] == path}
        if line is None:
            return in_file
        exact = {
            unit
            for unit, spans in self.spans.items()
            for name, first, last in spans
            if name == path and first - 1 <= line <= last + 1
        }
        return exact or in_file


def build(
    files: Sequence[FilePatch],
    originals: dict[str, bytes | None],
    units: Sequence[Unit],
    kept: Iterable[int],
) -> Built:
    """The files' contents with exactly the ``kept`` units applied (HunkFailed when one cannot be)."""
    chosen: dict[int, list[int]] = {}
    owner: dict[tuple[int, int], int] = {}
    for index in sorted(kept):
        unit = units[index]
        chosen.setdefault(unit.file, []).extend(unit.hunks)
        for number in unit.hunks:
            owner[(unit.file, number)] = index
        if not unit.hunks:
            owner[(unit.file, 0)] = index
    built = Built({}, {}, {})
    for file_index, numbers in sorted(chosen.items()):
        file = files[file_index]
        hunks = [hunk for hunk in file.hunks if hunk.number in numbers]
        current = originals.get(file.old_path) if file.old_path else originals.get(file.path)
        new, placements = apply_file(current, file, hunks)
        if file.status in ("renamed", "deleted"):
            built.contents[file.old_path] = None  # type: ignore[index]
        if file.new_path is not None:
            built.contents[file.new_path] = new
        for hunk, placement in zip(hunks, placements, strict=True):
            built.placements[(file_index, hunk.number)] = placement
            span = (file.path, placement.line, placement.line + max(len(hunk.new) - 1, 0))
            built.spans.setdefault(owner[(file_index, hunk.number)], []).append(span)
        if not hunks:
            built.spans.setdefault(owner[(file_index, 0)], []).append((file.path, 1, 1))
    return built


def placement_failures(files: Sequence[FilePatch], originals: Mapping[str, bytes | None]) -> list[HunkFailed]:
    """Every hunk that cannot be placed (not just the first), each file on its own."""
    failures = []
    for file in files:
        current = originals.get(file.old_path) if file.old_path else originals.get(file.path)
        skip: set[int] = set()
        while True:
            hunks = [hunk for hunk in file.hunks if hunk.number not in skip]
            try:
                apply_file(current, file, hunks)
            except HunkFailed as exc:
                failures.append(exc)
                if file.status != "modified" or exc.hunk.number in skip or len(hunks) <= 1:
                    break
                skip.add(exc.hunk.number)
                continue
            break
    return failures


def new_modes(files: Sequence[FilePatch], root: Path) -> dict[str, int]:
    """Modes of files the patch creates: as the patch says, or the old file's for a rename or copy."""
    modes: dict[str, int] = {}
    for file in files:
        if file.new_path is None:
            continue
        if file.new_mode is not None:
            modes[file.new_path] = file.new_mode
        elif file.old_path is not None and file.old_path != file.new_path:
            source = root / file.old_path
            if source.is_file():
                modes[file.new_path] = stat.S_IMODE(source.stat().st_mode)
    return modes


def rows(
    files: Sequence[FilePatch],
    units: Sequence[Unit],
    full: Built,
    rejected: set[int],
) -> list[dict[str, Any]]:
    """One record row per hunk: where it went, and its diff when it was left out."""
    found = []
    for index, unit in enumerate(units):
        file = files[unit.file]
        for number in unit.hunks:
            hunk = file.hunks[number - 1]
            where = full.placements[(unit.file, number)]
            row: dict[str, Any] = {
                "path": file.path,
                "number": number,
                "status": "rejected" if index in rejected else "applied",
                "line": where.line,
                "offset": where.offset,
            }
            if index in rejected:
                row["diff"] = render(file, [hunk])
            found.append(row)
    return found
