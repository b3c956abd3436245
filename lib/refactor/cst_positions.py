"""Line and column of a few libcst nodes, without paying for libcst's position pass on the whole file.

libcst's PositionProvider regenerates the file to learn where every node is: on a large module that
costs more than the scope analysis itself. A rename needs the place of a handful of names and strings.
libcst visits nodes in source order and Python's tokenizer reads tokens in source order, so the k-th
Name node spelled ``x`` is the k-th NAME token ``x`` (strings likewise, by their exact literal). When
the counts disagree (an f-string the tokenizer of this Python reads as one token, code it cannot
tokenize), we fall back to PositionProvider for that file.
"""

from __future__ import annotations

import io
import tokenize
from collections import defaultdict
from collections.abc import Collection, Sequence
from typing import Any


class Positions:
    def __init__(self, wrapper: Any, names: Collection[str], lines: Sequence[int] | None = None) -> None:
        self._wrapper = wrapper
        self._lines = lines  # the real line of each line of a reduced copy (symbol_reduce)
        self._names = set(names)
        self._order: dict[int, tuple[tuple[str, str], int]] = {}
        self._count: dict[tuple[str, str], int] = defaultdict(int)
        self._tokens: dict[tuple[str, str], list[tuple[int, int]]] | None = None
        self._fallback: Any = None

    def note(self, node: Any) -> None:
        """Called for every node in source order; remembers the ones we may be asked about."""
        kind = type(node).__name__
        if kind == "Name" and node.value in self._names:
            key = ("N", node.value)
        elif kind == "SimpleString":
            key = ("S", node.value)
        else:
            return
        self._order[id(node)] = (key, self._count[key])
        self._count[key] += 1

    def _tokenized(self) -> dict[tuple[str, str], list[tuple[int, int]]]:
        if self._tokens is None:
            found: dict[tuple[str, str], list[tuple[int, int]]] = defaultdict(list)
            try:
                readline = io.StringIO(self._wrapper.module.code).readline
                for token in tokenize.generate_tokens(readline):
                    if token.type == tokenize.NAME and token.string in self._names:
                        found[("N", token.string)].append(token.start)
                    elif token.type == tokenize.STRING:
                        found[("S", token.string)].append(token.start)
            except (tokenize.TokenError, SyntaxError):
                found.clear()
            self._tokens = found
        return self._tokens

    def __getitem__(self, node: Any) -> tuple[int, int]:
        """(line, column) in the real file, both 1-based."""
        line, column = self._in_tree(node)
        return (line if self._lines is None else self._lines[line - 1]), column

    def _in_tree(self, node: Any) -> tuple[int, int]:
        known = self._order.get(id(node))
        if known is not None:
            key, index = known
            tokens = self._tokenized().get(key, [])
            if len(tokens) == self._count[key]:
                line, column = tokens[index]
                return line, column + 1
        if self._fallback is None:
            from libcst.metadata import PositionProvider

            self._fallback = self._wrapper.resolve(PositionProvider)
        start = self._fallback[node].start
        return start.line, start.column + 1


class Misplaced(Exception):
    """A place found in a reduced tree does not hold what it should in the real text."""


def edited(
    tree: Any, positions: Positions, replacements: Sequence[tuple[Any, str]], original: bytes | None = None
) -> bytes:
    """The source with each (Name or SimpleString node, new text) replaced, bytes in the file's encoding.

    ``original``: the real file when ``tree`` was parsed from a reduced copy with the same line and
    column layout. The edits go straight into the text at the places found: a transformer pass over a
    large module costs more than the analysis did. Should a place not hold what we expect, libcst does
    it instead (or, for a reduced tree, Misplaced asks for the real one).
    """
    code = tree.code if original is None else original.decode(tree.encoding)
    starts = [0]
    for line in code.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    edits = set()
    for node, new in replacements:
        line, column = positions[node]
        offset = starts[line - 1] + column - 1
        if code[offset : offset + len(node.value)] != node.value:
            if original is not None:
                raise Misplaced(node.value)
            return _transformed(tree, replacements)
        edits.add((offset, len(node.value), new))
    for offset, size, new in sorted(edits, reverse=True):
        code = code[:offset] + new + code[offset + size :]
    return code.encode(tree.encoding)


def _transformed(tree: Any, replacements: Sequence[tuple[Any, str]]) -> bytes:
    import libcst as cst

    chosen = {id(node): new for node, new in replacements}

    class Apply(cst.CSTTransformer):
        def leave_Name(self, original: Any, updated: Any) -> Any:
            new = chosen.get(id(original))
            return updated.with_changes(value=new) if new is not None else updated

        def leave_SimpleString(self, original: Any, updated: Any) -> Any:
            new = chosen.get(id(original))
            return updated.with_changes(value=new) if new is not None else updated

    return bytes(tree.visit(Apply()).bytes)
