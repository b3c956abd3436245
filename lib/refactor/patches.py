"""Unified diffs read into exact bytes: files, hunks and lines, every refusal one sentence.

``unidiff`` (imported lazily) finds the files and hunks. On top of it we check what it lets through:
hunk bodies longer than their header says, misplaced ``\\ No newline at end of file`` markers, binary
patches, mode / symlink / submodule changes and paths that would leave the repository. The patch is
decoded with ``surrogateescape`` so that every byte of a line (a CR, a Latin-1 character) survives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from hookwright.errors import BadInput, PathEscape
from hookwright.git.parsing import unquote_path
from hookwright.safe_paths import resolve_inside, safe_relpath

DEV_NULL = "/dev/null"
MAX_BYTES = 32 * 1024 * 1024  # a patch bigger than this is not a review-sized change
_HUNK_HEADER = re.compile(r"^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@")
_MODE = re.compile(r"^(new file mode|deleted file mode|old mode|new mode) (\d+)$")
_INDEX_MODE = re.compile(r"^index [0-9a-f]+\.\.[0-9a-f]+ (\d+)$")
_NO_NEWLINE = "\\"
REGULAR_MODES = {"100644": None, "100755": 0o755}
SPECIAL_MODES = {"120000": "a symlink", "160000": "a submodule"}


class PatchRefused(BadInput):
    """The patch cannot be applied as given: malformed, binary, a mode change, an unsafe path."""


@dataclass(frozen=True)
class HunkLine:
    kind: str  # " " context, "-" removed, "+" added
    text: bytes  # with its line ending, unless it is the last line and had none


@dataclass(frozen=True)
class Hunk:
    number: int  # 1-based within its file
    old_start: int
    old_len: int
    new_start: int
    new_len: int
    lines: tuple[HunkLine, ...]
    diff_line: int  # where its @@ header is in the patch (1-based)
    text: str  # the hunk as it appears in the patch, header included

    @property
    def old(self) -> list[bytes]:
        return [line.text for line in self.lines if line.kind != "+"]

    @property
    def new(self) -> list[bytes]:
        return [line.text for line in self.lines if line.kind != "-"]

    @property
    def leading(self) -> int:
        """Context lines before the first change."""
        return _context_run(self.lines)

    @property
    def trailing(self) -> int:
        """Context lines after the last change."""
        return _context_run(reversed(self.lines))

    @property
    def delta(self) -> int:
        return len(self.new) - len(self.old)


def _context_run(lines: Iterable[HunkLine]) -> int:
    """How many context lines come before the first change (in the order given)."""
    count = 0
    for line in lines:
        if line.kind != " ":
            break
        count += 1
    return count


@dataclass(frozen=True)
class FilePatch:
    old_path: str | None  # None: the patch creates the file
    new_path: str | None  # None: the patch deletes it
    hunks: tuple[Hunk, ...]
    header: str  # the lines that introduce this file, for re-rendering a part of it
    copy: bool = False
    new_mode: int | None = None  # for a created file: 0o755 when the patch says so

    @property
    def path(self) -> str:
        return self.new_path or self.old_path or ""

    @property
    def status(self) -> str:
        if self.old_path is None:
            return "created"
        if self.new_path is None:
            return "deleted"
        if self.old_path != self.new_path:
            return "copied" if self.copy else "renamed"
        return "modified"


def _strip_prefix(name: str) -> str:
    """Like ``git apply -p1``: the first directory of a header name goes (``a/``, ``b/``, ``orig/``)."""
    name = unquote_path(name.rstrip("\t"))
    if name.startswith("/"):
        raise PathEscape(f"the patch names an absolute path {name!r}; only repository paths can be patched")
    return name.split("/", 1)[1] if "/" in name else name


def _check_path(root: Path | None, name: str) -> str:
    cleaned = safe_relpath(name)
    if root is not None:
        resolve_inside(root, cleaned)
    return cleaned


def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise PatchRefused("the patch is UTF-16 encoded; save it as UTF-8 and try again")
    return data.decode("utf-8", "surrogateescape")


def _counts(header: re.Match[str]) -> tuple[int, int]:
    """Old and new line counts of a hunk header; an omitted count means one line."""
    old, new = header.group(2), header.group(4)
    return (int(old) if old is not None else 1), (int(new) if new is not None else 1)


def _check_header_endings(lines: Sequence[str]) -> None:
    """git writes its own lines with LF: a CR there means the whole patch was converted on the way."""
    for number, line in enumerate(lines, 1):
        if line.endswith("\r\n") and (
            line.startswith(("diff --git ", "--- ", "+++ ")) or _HUNK_HEADER.match(line)
        ):
            raise PatchRefused(
                f"patch line {number}: its header lines end in CRLF, so the patch's line endings were"
                " converted on the way (an editor, a mail client?) and which CRs belong to the files"
                " cannot be told; make the patch again, or convert it back (dos2unix) if the files use LF"
            )


def _body_end(lines: Sequence[str], i: int, old_left: int, new_left: int) -> tuple[int, int, int]:
    """Where the hunk body starting at ``lines[i]`` ends (the index after it, a closing "\\ No newline"
    marker included), and the old and new line counts its header announced that the body lacks; a
    line of no hunk kind ends the body early (``_check_hunk_bodies`` then refuses the patch)."""
    while i < len(lines) and (old_left or new_left or lines[i][:1] == _NO_NEWLINE):
        kind = lines[i][:1]
        if kind in (" ", "\n", "\r"):
            old_left, new_left = old_left - 1, new_left - 1
        elif kind == "-":
            old_left -= 1
        elif kind == "+":
            new_left -= 1
        elif kind != _NO_NEWLINE:
            break
        i += 1
    return i, old_left, new_left


def _check_hunk_bodies(lines: Sequence[str]) -> None:
    """Every hunk body has exactly the lines its header announces (unidiff ignores extra ones)."""
    i = 0
    while i < len(lines):
        header = _HUNK_HEADER.match(lines[i])
        if not header:
            i += 1
            continue
        start = i + 1
        old_left, new_left = _counts(header)
        if old_left == 0 and new_left == 0:
            raise PatchRefused(f"patch line {start}: the hunk header {lines[i].strip()!r} announces no lines")
        i, old_left, new_left = _body_end(lines, i + 1, old_left, new_left)
        if old_left or new_left or min(old_left, new_left) < 0:
            raise PatchRefused(
                f"patch line {start}: the hunk body disagrees with its header {lines[start - 1].strip()!r}"
                " (lines missing or miscounted)"
            )
        while i < len(lines) and lines[i][:1] == _NO_NEWLINE:
            i += 1
        rest = lines[i] if i < len(lines) else ""
        follows = lines[i + 1] if i + 1 < len(lines) else ""
        is_file_header = rest.startswith("--- ") and follows.startswith("+++ ")
        is_signature = rest.rstrip("\r\n") in ("-- ", "--")
        if rest[:1] in (" ", "+", "-") and not is_file_header and not is_signature:
            raise PatchRefused(
                f"patch line {i + 1}: the hunk at line {start} has more lines than its header"
                f" {lines[start - 1].strip()!r} says"
            )


def _hunk_lines(raw: list[tuple[str, str]], diff_line: int) -> tuple[HunkLine, ...]:
    """unidiff's (type, value) pairs -> bytes; a ``\\`` marker takes the newline off the line before."""
    out: list[HunkLine] = []
    for kind, value in raw:
        if kind == _NO_NEWLINE:
            if not out or not out[-1].text.endswith(b"\n"):
                raise PatchRefused(f"patch line {diff_line}: a '\\ No newline' marker follows no line")
            last = out.pop()
            out.append(HunkLine(last.kind, last.text[:-1]))
        elif kind in (" ", "-", "+"):
            out.append(HunkLine(kind, value.encode("utf-8", "surrogateescape")))
    for side in ("-", "+"):
        seen = [line for line in out if line.kind in (" ", side)]
        if any(not line.text.endswith(b"\n") for line in seen[:-1]):
            raise PatchRefused(
                f"patch line {diff_line}: '\\ No newline at end of file' is only allowed on the last line"
            )
    return tuple(out)


def _extended_headers(info: Sequence[str]) -> dict[str, str]:
    """git's extended header lines (rename from, new file mode, ...) of one file."""
    found: dict[str, str] = {}
    for raw in info[1:]:
        line = raw.rstrip("\n")
        mode = _MODE.match(line)
        if mode:
            found[mode.group(1)] = mode.group(2)
        elif index := _INDEX_MODE.match(line):
            found["index mode"] = index.group(1)
        else:
            for key in ("rename from", "rename to", "copy from", "copy to"):
                if line.startswith(key + " "):
                    found[key] = line[len(key) + 1 :]
    return found


def _refuse_special(name: str, headers: dict[str, str], binary: bool) -> None:
    if binary:
        raise PatchRefused(f"{name}: binary patches are not applied; apply them with git instead")
    for key in ("new file mode", "deleted file mode", "old mode", "new mode", "index mode"):
        kind = SPECIAL_MODES.get(headers.get(key, ""))
        if kind:
            raise PatchRefused(f"{name}: the patch changes {kind}; only regular files are patched")
    old, new = headers.get("old mode"), headers.get("new mode")
    if old is not None or new is not None:
        raise PatchRefused(f"{name}: the patch changes the file mode ({old} -> {new}); change it with chmod")
    created = headers.get("new file mode")
    if created is not None and created not in REGULAR_MODES:
        raise PatchRefused(f"{name}: unsupported file mode {created}")


def parse(data: bytes, root: Path | None = None) -> list[FilePatch]:
    """The files and hunks of a unified diff, or PatchRefused; paths are checked against ``root``.

    A file may appear more than once (a series of diffs): patch_series cuts the list where it does.
    """
    if not data.strip():
        raise PatchRefused("the patch is empty")
    text = _decode(data)
    # str.splitlines also splits on a lone CR, form feeds and the like: a diff line ends only at LF.
    lines = [part + "\n" for part in text.split("\n")]
    if lines[-1] == "\n":
        lines.pop()
    else:
        lines[-1] = lines[-1][:-1]
    _check_header_endings(lines)
    _check_hunk_bodies(lines)

    from unidiff import PatchSet
    from unidiff.errors import UnidiffParseError

    try:
        patch_set = PatchSet(lines)
    except UnidiffParseError as exc:
        raise PatchRefused(f"not a valid unified diff: {str(exc).strip()}") from None
    if not patch_set:
        raise PatchRefused("not a unified diff: no '--- a/FILE' / '+++ b/FILE' headers and hunks found")
    return [_file_patch(patched, lines, root) for patched in patch_set]


def _file_patch(patched: Any, lines: Sequence[str], root: Path | None) -> FilePatch:
    info = list(getattr(patched, "patch_info", None) or [])
    is_git = bool(info) and info[0].startswith("diff --git ")
    headers = _extended_headers(info) if is_git else {}
    source, target = patched.source_file, patched.target_file
    old_name = None if source == DEV_NULL else _strip_prefix(source)
    new_name = None if target == DEV_NULL else _strip_prefix(target)
    copy = False
    for kind in ("rename", "copy"):
        if f"{kind} from" in headers and f"{kind} to" in headers:
            old_name = unquote_path(headers[f"{kind} from"])
            new_name = unquote_path(headers[f"{kind} to"])
            copy = kind == "copy"
    if "new file mode" in headers:
        old_name = None
    if "deleted file mode" in headers:
        new_name = None
    display = new_name or old_name or "?"
    _refuse_special(display, headers, bool(patched.is_binary_file))
    old_path = _check_path(root, old_name) if old_name is not None else None
    new_path = _check_path(root, new_name) if new_name is not None else None
    if old_path is None and new_path is None:
        raise PatchRefused("the patch has a file whose old and new names are both /dev/null")
    hunks = []
    for number, hunk in enumerate(patched, 1):
        first = min((line.diff_line_no for line in hunk if line.diff_line_no), default=1)
        diff_line = max(first - 1, 1)
        body = [(line.line_type, line.value) for line in hunk]
        hunks.append(
            Hunk(
                number,
                hunk.source_start,
                hunk.source_length,
                hunk.target_start,
                hunk.target_length,
                _hunk_lines(body, diff_line),
                diff_line,
                _hunk_text(lines, diff_line),
            )
        )
    if not hunks and not headers.keys() & {"new file mode", "deleted file mode", "rename from", "copy from"}:
        # git apply: "No valid patches in input". Applying nothing and passing would be a false pass.
        raise PatchRefused(f"{display}: a file header with no hunks; the patch changes nothing in it")
    if old_path is None and any(h.old_len for h in hunks):
        raise PatchRefused(f"{display}: a patch that creates the file cannot have old lines")
    if new_path is None and any(h.new_len for h in hunks):
        raise PatchRefused(f"{display}: a patch that deletes the file cannot have new lines")
    if any(not line.text.endswith(b"\n") for hunk in hunks[:-1] for line in hunk.lines):
        raise PatchRefused(f"{display}: '\\ No newline at end of file' appears before the file's last hunk")
    header = "".join(info)
    if hunks:
        start = getattr(patched, "diff_line_no", None) or 1
        if not is_git and start >= 2 and lines[start - 2].startswith("--- "):
            start -= 1  # unidiff counts a plain diff's file from its +++ line
        header = "".join(lines[start - 1 : hunks[0].diff_line - 1])
    mode = REGULAR_MODES.get(headers.get("new file mode", ""))
    return FilePatch(old_path, new_path, tuple(hunks), header, copy, mode)


def _hunk_text(lines: Sequence[str], diff_line: int) -> str:
    """The hunk's own lines in the patch, from its @@ header to where its body ends."""
    header = _HUNK_HEADER.match(lines[diff_line - 1])
    if header is None:
        return ""
    end, _, _ = _body_end(lines, diff_line, *_counts(header))
    return "".join(lines[diff_line - 1 : end])


def render(file: FilePatch, hunks: Sequence[Hunk]) -> str:
    """A patch of just these hunks of ``file`` (the rejected ones, for the report)."""
    text = file.header + "".join(h.text for h in hunks)
    return text if text.endswith("\n") else text + "\n"


def select(files: Sequence[FilePatch], include: Sequence[str], exclude: Sequence[str]) -> list[FilePatch]:
    """The files whose path matches an ``include`` glob (all, when none) and no ``exclude`` glob."""
    from fnmatch import fnmatchcase

    def matches(file: FilePatch, globs: Sequence[str]) -> bool:
        names = {name for name in (file.old_path, file.new_path) if name is not None}
        return any(fnmatchcase(name, glob) for name in names for glob in globs)

    return [f for f in files if (not include or matches(f, include)) and not matches(f, exclude)]
