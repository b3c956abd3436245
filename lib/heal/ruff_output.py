"""ruff's ``--output-format``s read back into Diagnostics: json, json-lines, full (the default), grouped
and github. concise and pylint are ``path:line[:col]: [CODE] message`` lines, which
``diagnostics.parse_lines`` reads for every tool.

Each parser returns what it found and the indexes of the lines it used, so the generic line parser
does not read the same error a second time.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from hookwright.heal.diagnostics import Diagnostic, clip
from hookwright.testing.reports import ReportPaths

Found = tuple[list[Diagnostic], set[int]]

# `F821 Undefined name` or `invalid-syntax: Expected ...`, with `[*]` when ruff can fix it.
_CODE = r"(?P<code>[A-Z]+[0-9]+|invalid-syntax|SyntaxError)"
_HEADLINE = re.compile(rf"^{_CODE}:?\s+(?:\[\*\]\s+)?(?P<msg>\S.*)$")
_ARROW = re.compile(r"^\s*-->\s+(?P<path>.+?):(?P<line>\d+):(?P<col>\d+)\s*$")
_GROUP = re.compile(r"^(?P<path>\S[^:]*):$")
_GROUPED = re.compile(rf"^\s+(?P<line>\d+):(?P<col>\d+)\s+{_CODE}:?\s+(?:\[\*\]\s+)?(?P<msg>\S.*)$")
_ANNOTATION = re.compile(r"^::(?:error|warning|notice)\s+(?P<props>[^:]*)::(?P<msg>.*)$")
_TITLE_CODE = re.compile(r"\((?P<code>[^()]+)\)\s*$")
_PLACED = re.compile(rf"^(?P<path>\S+?):(?P<line>\d+)(?::(?P<col>\d+))?:\s+(?:{_CODE}:?\s+)?")


def _item(repo: ReportPaths, item: Any) -> Diagnostic | None:
    """One object of ruff's JSON (as ``json`` and ``json-lines`` print it)."""
    if not isinstance(item, dict) or "filename" not in item:
        return None
    location = item.get("location") or {}
    code = item.get("code") or "invalid-syntax"  # ruff gives parse errors no rule code
    message = clip(str(item.get("message", "")))
    return Diagnostic(
        repo.own(str(item["filename"])),
        location.get("row"),
        location.get("column"),
        str(code),
        message,
        "ruff",
    )


def _json_start(text: str) -> int | None:
    match = re.search(r"^\s*\[\s*(?:\{|\])", text, re.M)
    return match.start() if match else None


def looks_like_json(text: str) -> bool:
    if text.strip() == "[]":
        return True
    start = _json_start(text)
    return start is not None and '"filename"' in text[start : start + 4000]


def parse_json(text: str, root: Path | None = None) -> list[Diagnostic]:
    start = _json_start(text)
    if start is None:
        return []
    try:
        items, _ = json.JSONDecoder().raw_decode(text[start:].lstrip())
    except ValueError:
        return []
    repo = ReportPaths(root)
    found = [_item(repo, item) for item in items] if isinstance(items, list) else []
    return [d for d in found if d is not None]


def parse_json_lines(lines: list[str], repo: ReportPaths) -> Found:
    found: list[Diagnostic] = []
    used: set[int] = set()
    for index, line in enumerate(lines):
        if not line.startswith("{") or '"filename"' not in line:
            continue
        try:
            diagnostic = _item(repo, json.loads(line))
        except ValueError:
            continue
        if diagnostic is not None:
            found.append(diagnostic)
            used.add(index)
    return found, used


def parse_full(lines: list[str], repo: ReportPaths) -> Found:
    """The default: a headline, then ``--> path:line:col`` on the next line, then the source."""
    found: list[Diagnostic] = []
    used: set[int] = set()
    for index, line in enumerate(lines[:-1]):
        head, arrow = _HEADLINE.match(line), _ARROW.match(lines[index + 1])
        if head and arrow:
            position = int(arrow["line"]), int(arrow["col"])
            path = repo.own(arrow["path"])
            found.append(Diagnostic(path, *position, head["code"], clip(head["msg"]), "ruff"))
            used.update((index, index + 1))
    return found, used


def parse_grouped(lines: list[str], repo: ReportPaths) -> Found:
    """``path:`` alone on a line, then ``  line:col CODE message`` for each error in that file."""
    found: list[Diagnostic] = []
    used: set[int] = set()
    path: str | None = None
    in_group = False
    for index, line in enumerate(lines):
        if group := _GROUP.match(line):
            path, in_group = repo.own(group["path"]), True
        elif (row := _GROUPED.match(line)) and in_group:
            position = int(row["line"]), int(row["col"])
            found.append(Diagnostic(path, *position, row["code"], clip(row["msg"]), "ruff"))
            used.add(index)
        elif line.strip() and not line.startswith((" ", "\t")):
            in_group = False
    return found, used


def _unescape(value: str) -> str:
    """GitHub's workflow-command escapes (%25, %0D, %0A, %3A, %2C), undone."""
    for escaped, plain in (("%0D", "\r"), ("%0A", "\n"), ("%3A", ":"), ("%2C", ","), ("%25", "%")):
        value = value.replace(escaped, plain)
    return value


def parse_github(lines: list[str], repo: ReportPaths) -> Found:
    """``::error title=ruff (F821),file=/abs/pkg/mod.py,line=5,col=12::pkg/mod.py:5:12: F821 message``."""
    found: list[Diagnostic] = []
    used: set[int] = set()
    for index, line in enumerate(lines):
        annotation = _ANNOTATION.match(line)
        if annotation is None:
            continue
        props = dict(p.split("=", 1) for p in annotation["props"].split(",") if "=" in p)
        if not props.get("line", "").isdigit():
            continue
        message = (_unescape(annotation["msg"]).splitlines() or [""])[0]  # the first line: no help text
        placed = _PLACED.match(message)
        # The message names the file as ruff was given it; `file=` is absolute, on the machine that ran it.
        path = repo.own(placed["path"]) if placed else None
        path = path or repo.own(_unescape(props.get("file", "")))
        title = _TITLE_CODE.search(_unescape(props.get("title", "")))
        code = (placed["code"] if placed else None) or (title["code"] if title else "error")
        where = (placed["line"], placed["col"]) if placed else (props["line"], props.get("col"))
        line_text, column_text = where
        column = int(column_text) if column_text and column_text.isdigit() else None
        text = clip(message[placed.end() :] if placed else message)
        found.append(Diagnostic(path, int(line_text), column, code, text, "ruff"))
        used.add(index)
    return found, used


def parse(text: str, root: Path | None = None) -> Found:
    """Every format above that ``text`` holds (a CI log may hold several)."""
    repo = ReportPaths(root)
    lines = text.splitlines()
    found: list[Diagnostic] = []
    used: set[int] = set()
    for parser in (parse_json_lines, parse_full, parse_grouped, parse_github):
        more, lines_used = parser(lines, repo)
        found += more
        used |= lines_used
    return found, used
