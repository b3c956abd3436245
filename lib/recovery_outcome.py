"""What recovery did with one interrupted transaction, and whether a person must look at it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Recovery:
    id: str
    label: str
    state: str
    action: str  # "undone", "finished", "discarded", "skipped (still running)", "would undo", ...
    conflicts: tuple[str, ...] = ()
    failed: tuple[tuple[str, str], ...] = ()
    directory: Path | None = None

    @property
    def blocked(self) -> bool:
        """Left for a person: files changed since, or that could not be written back."""
        return bool(self.conflicts or self.failed)
