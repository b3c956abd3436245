"""Repeated code in Python files: clone classes, typed (T1, T2c, T2, T3), maximal, ranked, with templates.

``analyse(sources)`` takes ``(path, bytes)`` pairs and returns every clone class worth a template:
units from the standard library's ``ast`` (clone_units), candidates from fingerprints and an
inverted index (clone_index), verdicts from the names and literals (clone_relation), templates by
anti-unification (antiunify). Files that do not parse are counted, never fatal.
"""

from __future__ import annotations

import ast
import gc
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from hookwright.clones import gapped, index
from hookwright.clones import relation as rel
from hookwright.clones.antiunify import Decline, Template, generalise
from hookwright.clones.boilerplate import REASON as BOILERPLATE
from hookwright.clones.families import split_families
from hookwright.clones.index import Range
from hookwright.clones.strength import split_by_strength
from hookwright.clones.units import SourceFile, Table, add_file, is_trivial_range

DEFAULT_MIN_LINES = 6
ARGUMENTS_PER_LINE = 4  # a call that passes more arguments wraps onto another line


@dataclass(frozen=True)
class Member:
    path: str
    start_line: int
    end_line: int

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.path, "start_line": self.start_line, "end_line": self.end_line}


@dataclass
class CloneClass:
    type: str
    members: list[Member]
    lines: int  # code lines (not blank, comment or docstring) of its smallest member
    holes: int
    template: Template | None
    reason: str = ""  # why there is no template
    statements: list[list[ast.stmt]] = field(default_factory=list, repr=False)
    names: list[str] = field(default_factory=list)  # each member's def / class name, or ""
    boilerplate: bool = False  # found as an exact copy only, never made a template (clone_boilerplate)
    arguments: int = 0  # the holes a call passes: not the names the members bind themselves

    @property
    def saving(self) -> int:
        """Lines saved when the members become one definition (one def line) and a call each.

        Each hole but the names the members bind themselves (one definition has one set of them)
        is an argument of every call: a line per ARGUMENTS_PER_LINE of them.
        """
        count = len(self.members)
        return (count - 1) * self.lines - 1 - count * (1 + self.arguments // ARGUMENTS_PER_LINE)

    def to_dict(self) -> dict[str, Any]:
        return {
            "type": self.type,
            "lines": self.lines,
            "members": [m.to_dict() for m in self.members],
            "holes": self.holes,
            "template": self.template.text if self.template else None,
        }


@dataclass
class Analysis:
    classes: list[CloneClass]
    files: int  # files analysed
    lines: int  # their lines
    skipped: list[tuple[str, str]]  # (path, why) for files that do not parse


def parse_source(path: str, data: bytes) -> SourceFile | str:
    """The parsed file, or why it cannot be parsed (bytes in: ``ast`` honours coding cookies and BOMs)."""
    try:
        tree = ast.parse(data, filename=path)
    except SyntaxError as exc:
        where = f" (line {exc.lineno})" if exc.lineno else ""
        return f"does not parse: {exc.msg}{where}"
    except (ValueError, UnicodeError, LookupError) as exc:
        return f"cannot be read as Python: {exc}"
    except RecursionError:
        return "nested too deeply for Python's parser"
    except MemoryError:
        return "too large or too deeply nested for Python's parser"
    return SourceFile(path, tree)


def analyse(
    sources: Iterable[tuple[str, bytes]],
    *,
    min_lines: int = DEFAULT_MIN_LINES,
    templates: bool = True,
    render: Callable[[str, dict[str, Any]], str] | None = None,
) -> Analysis:
    # A parse makes millions of objects and no cycles: the cyclic collector would only rescan them.
    collecting = gc.isenabled()
    gc.disable()
    try:
        table = Table()
        skipped: list[tuple[str, str]] = []
        lines = 0
        for path, data in sources:
            parsed = parse_source(path, data)
            if isinstance(parsed, str):
                skipped.append((path, parsed))
                continue
            lines += data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1)
            try:
                add_file(table, parsed)
            except RecursionError:  # unreachable by design (every walk iterates); kept as a fence
                skipped.append((path, "nested too deeply"))
        table.finish()
        groups = find_groups(table, min_lines)
        classes = [_clone_class(table, group) for group in groups]
        if templates:
            engine = render or default_renderer()
            for clone in classes:
                _add_template(clone, engine)
            # A class whose template would cost as many lines as it saves is nothing to act on.
            classes = [clone for clone in classes if clone.saving > 0]
        classes.sort(key=lambda c: (-c.saving, c.members[0].path, c.members[0].start_line))
        return Analysis(classes, len(table.files), lines, skipped)
    finally:
        if collecting:
            gc.enable()


def find_groups(table: Table, min_lines: int) -> list[index.Group]:
    leaves = index.LeafCache(table)
    groups: list[index.Group] = []
    for _, members in sorted(index.shape_groups(table, min_lines).items(), key=lambda kv: min(kv[1])):
        groups.extend(index.cluster(table, members, leaves))
    groups.extend(gapped.gapped_groups(table, min_lines, groups, leaves))
    merged = maximal(table, merge_overlapping(table, maximal(table, groups)))
    return split_families(split_by_strength(merged, leaves), leaves)


def merge_overlapping(table: Table, groups: Sequence[index.Group]) -> list[index.Group]:
    """One class for windows that overlap: a repeated block is one class, never many shifted windows.

    Classes with members that overlap by more than half of the longer one, neither inside the
    other (windows of one block, shifted by a statement or two), are merged; the merged class keeps
    a set of members that do not overlap (earliest first), and is dropped when fewer than two are
    left.
    """
    owner: list[int] = list(range(len(groups)))

    def root(x: int) -> int:
        while owner[x] != x:
            owner[x] = owner[owner[x]]
            x = owner[x]
        return x

    spans = sorted((span, number) for number, group in enumerate(groups) for span in group.members)
    for x, (one, first) in enumerate(spans):
        for two, second in spans[x + 1 :]:
            if two[0] >= one[1]:
                break  # sorted by start: nothing further overlaps `one`
            overlap = table.code_lines(two[0], min(one[1], two[1]))
            # More than half of the larger: a short window that overlaps the start of a longer
            # clone of other code is a clone of its own; merging would drop one of them for the
            # other's partners. Exactly half is two clones too: two windows of a repeated preamble
            # that share half their lines, each with a copy of its own (merged, one copy lost its
            # original to the other window).
            larger = max(table.code_lines(*one), table.code_lines(*two))
            nested = two[1] <= one[1]  # a function and a block inside it: two clones, kept apart
            if not nested and 2 * overlap > larger:
                owner[root(second)] = root(first)
    merged: dict[int, list[index.Group]] = {}
    for number, group in enumerate(groups):
        merged.setdefault(root(number), []).append(group)
    found: list[index.Group] = []
    for parts in merged.values():
        if len(parts) == 1 and not _self_overlapping(parts[0].members):
            found.append(parts[0])
            continue
        members: list[Range] = []
        for span in sorted({m for part in parts for m in part.members}):
            if not any(span[0] < kept[1] and kept[0] < span[1] for kept in members):
                members.append(span)
        if len(members) > 1:
            found.append(index.Group(rel.worst(p.type for p in parts), members))
    return found


def _self_overlapping(members: Sequence[Range]) -> bool:
    ordered = sorted(members)
    return any(b[0] < a[1] for a, b in itertools.pairwise(ordered))


def maximal(table: Table, groups: Sequence[index.Group]) -> list[index.Group]:
    """Drop every class whose members all sit inside the members of a bigger class."""

    def size(group: index.Group) -> tuple[int, int]:
        return max(table.code_lines(*m) for m in group.members), len(group.members)

    kept: list[index.Group] = []
    seen: set[tuple[tuple[int, int], ...]] = set()
    for group in sorted(groups, key=size, reverse=True):
        members = tuple(sorted(set(group.members)))
        if len(members) < 2 or members in seen:
            continue
        if any(_inside(members, bigger.members) for bigger in kept):
            continue
        seen.add(members)
        group.members = list(members)
        kept.append(group)
    return kept


def _inside(members: Sequence[tuple[int, int]], bigger: Sequence[tuple[int, int]]) -> bool:
    return all(any(a <= x and y <= b for a, b in bigger) for x, y in members)


def _statements(table: Table, span: tuple[int, int]) -> list[ast.stmt]:
    found = []
    i, end = span
    while i < end:
        found.append(table.node[i])
        i = table.span_end[i]
    return found


def _clone_class(table: Table, group: index.Group) -> CloneClass:
    members: list[Member] = []
    ordered = sorted(group.members, key=lambda s: (table.files[table.file[s[0]]].path, table.start[s[0]]))
    for a, b in ordered:
        path = table.files[table.file[a]].path
        members.append(Member(path, table.start[a], max(table.end[a:b])))
    statements = [_statements(table, span) for span in ordered]
    names = [getattr(s[0], "name", "") if len(s) == 1 else "" for s in statements]
    lines = min(table.code_lines(*span) for span in ordered)
    boilerplate = any(is_trivial_range(table, *span, 0) for span in ordered)
    return CloneClass(group.type, members, lines, 0, None, "", statements, names, boilerplate)


def _add_template(clone: CloneClass, render: Callable[[str, dict[str, Any]], str]) -> None:
    if clone.boilerplate:
        clone.reason = BOILERPLATE
        return
    try:
        clone.template = generalise(clone.statements, clone.lines, render)
        clone.holes = clone.template.holes
        clone.arguments = clone.template.arguments
    except Decline as exc:
        clone.reason = str(exc)
        clone.holes = exc.holes
        clone.arguments = exc.arguments


def default_renderer() -> Callable[[str, dict[str, Any]], str]:
    """The templates issue's engine: the sandbox, StrictUndefined and the pack filters."""
    from jinja2 import TemplateError

    from hookwright.templates.render import environment

    env = environment(None)
    compiled: dict[str, Any] = {}

    def render(text: str, context: dict[str, Any]) -> str:
        try:
            template = compiled.get(text)
            if template is None:  # one class, one template, rendered once per member
                compiled.clear()
                template = compiled[text] = env.from_string(text)
            return str(template.render(context))
        except (TemplateError, TypeError, ValueError) as exc:
            raise Decline(f"the template does not render: {exc}") from None

    return render
