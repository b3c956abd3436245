"""A patch input read as a series: the mails of ``git format-patch --stdout``, or diffs one after another.

An mbox is split at its ``From <id> <date>`` lines, as ``git mailsplit`` does; each mail's diff starts
where ``git mailinfo`` says a patch starts (``---``, ``diff -``, ``Index:``). A plain diff in which a
file appears again is read the way ``git apply`` reads it: the second diff of a file applies to what
the first made, so a new patch of the series starts at the first file diff that touches a path
already patched. Unlike ``git am``, the CR of a CRLF line is kept (``git am --keep-cr``): a series
made from CRLF files applies as its commits made them.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from dataclasses import dataclass
from email.header import decode_header, make_header
from pathlib import Path

from hookwright.refactor.patches import FilePatch, PatchRefused, parse

_MAIL_START = re.compile(rb"^From \S+ +\w{3} \w{3} [ \d]?\d \d\d:\d\d:\d\d \d{4}\r?$", re.M)
_PATCH_START = re.compile(rb"^(?:---[ \t\r]*$|diff -|Index: )", re.M)
_DIFF_START = re.compile(rb"^(?:diff -|Index: |--- (?!\s*$).*\n\+\+\+ )", re.M)
_SUBJECT_PREFIX = re.compile(r"^\s*(?:\[[^\]]*\]\s*)+")
_ENCODED = ("quoted-printable", "base64")


@dataclass(frozen=True)
class SeriesPatch:
    number: int  # 1-based place in the series
    title: str  # the mail's subject without "[PATCH n/m]"; empty for a part of a plain diff
    files: tuple[FilePatch, ...]

    def label(self, count: int) -> str:
        title = f" ({self.title})" if self.title else ""
        return f"patch {self.number} of {count}{title}"


def _headers(block: bytes) -> dict[str, str]:
    """A mail's header fields (folded lines joined, RFC 2047 words decoded), names lower-cased."""
    fields: dict[str, str] = {}
    name = ""
    for raw in block.decode("utf-8", "replace").splitlines():
        if raw[:1] in (" ", "\t") and name:
            fields[name] += " " + raw.strip()
        elif ":" in raw:
            name, _, value = raw.partition(":")
            name = name.strip().lower()
            fields[name] = value.strip()
    if "subject" in fields:
        # An unknown charset leaves the raw subject, which still names the patch.
        with contextlib.suppress(LookupError, ValueError):
            fields["subject"] = str(make_header(decode_header(fields["subject"])))
    return fields


def _mail_diff(mail: bytes, number: int) -> tuple[str, bytes]:
    """(subject, the diff part) of one mail of the series."""
    head, _, body = mail.replace(b"\r\n\r\n", b"\n\n", 1).partition(b"\n\n")
    fields = _headers(head)
    encoding = fields.get("content-transfer-encoding", "").lower()
    if encoding in _ENCODED or fields.get("content-type", "").lower().startswith("multipart/"):
        raise PatchRefused(
            f"patch {number} of the series is sent as {encoding or 'a multipart mail'}; "
            "apply it with git am, or make it again with git format-patch"
        )
    title = _SUBJECT_PREFIX.sub("", fields.get("subject", ""))
    start = _PATCH_START.search(body)
    diff = _DIFF_START.search(body, start.start() if start else 0)
    if diff is None:
        raise PatchRefused(f"patch {number} of the series ({title}) holds no diff")
    return title, body[diff.start() :]  # the "-- " signature after the last hunk is no hunk line


def _touches(file: FilePatch) -> set[str]:
    names = {file.old_path, file.new_path} - {None}
    if file.copy:
        names.discard(file.old_path)  # a copy reads its source; it does not change it
    return names  # type: ignore[return-value]


def _groups(files: list[FilePatch]) -> list[list[FilePatch]]:
    """Consecutive file diffs cut where a path comes back (git apply's "patch a patched file")."""
    groups: list[list[FilePatch]] = [[]]
    seen: set[str] = set()
    for file in files:
        names = _touches(file)
        if names & seen:
            groups.append([])
            seen = set()
        groups[-1].append(file)
        seen |= names
    return groups


def is_mbox(data: bytes) -> bool:
    return _MAIL_START.match(data) is not None


def read(data: bytes, root: Path | None = None) -> list[SeriesPatch]:
    """The patches of ``data`` in order (one for a plain diff that touches each file once)."""
    if not is_mbox(data):
        return [SeriesPatch(n, "", tuple(group)) for n, group in enumerate(_groups(parse(data, root)), 1)]
    starts = [m.start() for m in _MAIL_START.finditer(data)] + [len(data)]
    series = []
    for number, (begin, end) in enumerate(itertools.pairwise(starts), 1):
        mail = data[begin:end].split(b"\n", 1)[1] if b"\n" in data[begin:end] else b""
        title, diff = _mail_diff(mail, number)
        try:
            groups = _groups(parse(diff, root))
        except PatchRefused as exc:
            raise PatchRefused(f"patch {number} of the series ({title}): {exc}") from None
        if len(groups) > 1:
            twice = sorted(_touches(groups[1][0]))[0]
            raise PatchRefused(f"patch {number} of the series ({title}) changes {twice} twice")
        series.append(SeriesPatch(number, title, tuple(groups[0])))
    return series
