"""The copy of a module that a rename analyses: the code that cannot matter left out, lines mapped back.

libcst's scope analysis, and our walk after it, cost in proportion to the nodes they visit. Most
functions of a large module never mention the name; in a test module most statements of a function
that does mention it (``assert tmpl.render() == ...``) do not either. Both go:

- a function (decorators, signature, body) without any of the words, ``global`` or ``nonlocal``
  binds nothing that matters: it becomes one ``pass`` line at its indent (a decorated one keeps its
  decorators and signature, as its decorator may say what its name holds);
- of a function whose signature alone mentions them, the body becomes ``pass``;
- in the body of a function that mentions them, a statement that neither mentions them nor binds a
  name the kept statements read (``cart = Cart()`` before ``cart.total()``) becomes ``pass``.

Left-out lines are dropped, not blanked: thousands of empty lines are thousands of nodes for libcst
to visit. Every kept line keeps its columns, and ``lines`` maps each line of the copy to its line in
the real file, so places found in the copy are places in the file (rename checks that before it
edits). An ``__init__`` that mentions one of ``init_words`` is read with them as words too:
``self.cart = Cart()`` there says what ``self.cart`` is.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

_FUNCTIONS = (ast.FunctionDef, ast.AsyncFunctionDef)


@dataclass(frozen=True)
class Reduced:
    code: bytes
    lines: tuple[int, ...]  # line k of ``code`` (from 1) is line lines[k - 1] of the real file


def _words(words: Sequence[str]) -> re.Pattern[bytes]:
    alternatives = b"|".join(re.escape(w.encode()) for w in (*words, "global", "nonlocal"))
    return re.compile(rb"(?<!\w)(?:" + alternatives + rb")(?!\w)")


def _start(node: ast.stmt) -> int:
    """The first line of a statement, decorators included."""
    decorators = getattr(node, "decorator_list", ())
    return min([node.lineno] + [d.lineno for d in decorators])


def _names(node: ast.AST) -> tuple[set[str], set[str]]:
    """(names a statement reads or writes, names it binds), attribute names counted as names."""
    used: set[str] = set()
    bound: set[str] = set()
    for child in ast.walk(node):
        if isinstance(child, ast.Name):
            used.add(child.id)
            if not isinstance(child.ctx, ast.Load):
                bound.add(child.id)
        elif isinstance(child, ast.Attribute):
            used.add(child.attr)
            if not isinstance(child.ctx, ast.Load):
                bound.add(child.attr)  # self.cart = Cart(): what self.cart is
        elif isinstance(child, (*_FUNCTIONS, ast.ClassDef)):
            bound.add(child.name)
        elif isinstance(child, (ast.Import, ast.ImportFrom)):
            bound.update((a.asname or a.name).split(".")[0] for a in child.names)
        elif isinstance(child, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and child.name:
            bound.add(child.name)
        elif _tests_instance(child):  # assert isinstance(event, Close): says what event holds after it
            bound.add(child.args[0].id)  # type: ignore[attr-defined]
    return used, bound


def _tests_instance(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "isinstance"
        and len(node.args) == 2
        and isinstance(node.args[0], ast.Name)
    )


class _Lines:
    def __init__(self, data: bytes) -> None:
        self.lines = data.split(b"\n")
        self.dropped: set[int] = set()  # line numbers (from 1) left out
        self.changed = False

    def text(self, first: int, last: int) -> bytes:
        return b"\n".join(self.lines[first - 1 : last])

    def starts_line(self, line: int, column: int) -> bool:
        return not self.lines[line - 1][:column].strip()

    def to_pass(self, first: int, last: int, column: int) -> None:
        """Lines first..last become one ``pass`` at ``column``."""
        ending = b"\r" if self.lines[last - 1].endswith(b"\r") else b""
        self.lines[first - 1] = self.lines[first - 1][:column] + b"pass" + ending
        self.dropped.update(range(first + 1, last + 1))
        self.changed = True

    def result(self) -> Reduced:
        kept = [n for n in range(1, len(self.lines) + 1) if n not in self.dropped]
        return Reduced(b"\n".join(self.lines[n - 1] for n in kept), tuple(kept))


def reduce(
    data: bytes,
    tree: ast.Module,
    words: Sequence[str],
    init_words: Sequence[str] = (),
    places: re.Pattern[bytes] | None = None,
) -> Reduced | None:
    """The reduced copy of ``data`` (parsed as ``tree``), or None when nothing could be left out.

    ``places``, when given, says what matters instead of the bare words (a member rename: ``.name``).
    """
    keep, init_keep = _words(words), _words((*words, *init_words))
    if places is not None:  # and `nonlocal x` in a nested function, which binds x of the outer one
        keep = re.compile(places.pattern + b"|" + _words(()).pattern, places.flags)
        init_keep = re.compile(places.pattern + b"|" + _words(init_words).pattern, places.flags)
    lines = _Lines(data)
    stack: list[tuple[ast.AST, bool]] = [(node, False) for node in tree.body]  # (node, in a function)
    while stack:
        node, inside = stack.pop()
        if isinstance(node, _FUNCTIONS) and node.body:
            wanted = init_keep if node.name == "__init__" else keep
            stack.extend((child, True) for child in _reduce_function(lines, node, wanted, inside))
        else:
            stack.extend((child, inside) for child in ast.iter_child_nodes(node))
    return lines.result() if lines.changed else None


def _reduce_function(
    lines: _Lines, function: ast.stmt, wanted: re.Pattern[bytes], helper: bool = False
) -> Iterator[ast.AST]:
    """Leave out what cannot matter in one function; yield the nodes still to look into."""
    assert isinstance(function, _FUNCTIONS)
    start, last = _start(function), function.end_lineno or function.body[-1].lineno
    # a decorated function keeps its decorators and signature: `@curry def add` says what `add` is;
    # so does a test's helper with a return annotation (`def setup() -> ConnectionPair`): what it gives
    # a helper defined in a function keeps its returns too (`return Connection(...), None`)
    returns = helper and function.returns is None
    decorated = bool(function.decorator_list) or helper
    if (
        lines.starts_line(start, function.col_offset)
        and not decorated
        and not wanted.search(lines.text(start, last))
    ):
        lines.to_pass(start, last, function.col_offset)
        return
    body = function.body
    if body[0].lineno == function.lineno:  # `def f(): return x`: one line, nothing to gain
        yield from ast.iter_child_nodes(function)
        return
    if (
        lines.starts_line(body[0].lineno, body[0].col_offset)
        and not returns
        and not wanted.search(lines.text(body[0].lineno, last))
    ):
        lines.to_pass(body[0].lineno, last, body[0].col_offset)
        return
    kept = _kept_statements(lines, body, wanted, returns)
    run: list[ast.stmt] = []
    for statement in [*body, None]:
        if statement is not None and id(statement) not in kept:
            run.append(statement)
            continue
        if run:
            lines.to_pass(_start(run[0]), run[-1].end_lineno or run[-1].lineno, run[0].col_offset)
            run = []
        if statement is not None:
            yield statement
    yield from (*function.decorator_list, function.args, *([function.returns] if function.returns else []))


def _kept_statements(
    lines: _Lines, body: Sequence[ast.stmt], wanted: re.Pattern[bytes], returns: bool = False
) -> set[int]:
    """Statements that mention the words (or return, with ``returns``), and those binding a name the
    kept ones read (transitively)."""
    kept: set[int] = set()
    facts = {}
    for number, statement in enumerate(body):
        first, last = _start(statement), statement.end_lineno or statement.lineno
        before = body[number - 1].end_lineno if number else 0
        after = body[number + 1].lineno if number + 1 < len(body) else None
        alone = lines.starts_line(first, statement.col_offset) and before != first and after != last
        returning = returns and any(isinstance(node, ast.Return) for node in ast.walk(statement))
        if not alone or returning or wanted.search(lines.text(first, last)):
            kept.add(id(statement))
        facts[id(statement)] = _names(statement)
    needed = set().union(*(facts[key][0] for key in kept))
    grew = True
    while grew:
        grew = False
        for statement in body:
            used, bound = facts[id(statement)]
            if id(statement) not in kept and bound & needed:
                kept.add(id(statement))
                needed |= used
                grew = True
    return kept
