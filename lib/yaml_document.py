"""A loaded YAML or JSON document with the position of every JSON pointer, and an error at one."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from hookwright.errors import BadInput

Position = tuple[int, int]  # 1-based line and column


class LoadError(BadInput):
    def __init__(self, source: str, line: int, column: int, message: str) -> None:
        super().__init__(f"{source}:{line}:{column}: {message}")
        self.source = source
        self.line = line
        self.column = column
        self.detail = message


@dataclass(frozen=True)
class Document:
    """Loaded data plus where each JSON pointer came from."""

    source: str
    data: Any
    positions: Mapping[str, Position]

    def position(self, pointer: str) -> Position:
        """The closest known position for a pointer (walking up to its parent)."""
        while True:
            if pointer in self.positions:
                return self.positions[pointer]
            if not pointer:
                return (1, 1)
            pointer = pointer.rsplit("/", 1)[0]
