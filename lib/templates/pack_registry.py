"""Finding template packs by name: built-in, then the configured folders, then given ones (later wins)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from hookwright.errors import BadInput
from hookwright.templates.packs import BUILTIN, PACK_FILE, Pack, builtin_dir, load, read_document, signature


@dataclass(frozen=True)
class Entry:
    name: str
    directory: Path
    origin: str
    description: str
    overrides: str | None = None  # the origin of the pack this one replaces


def _pack_dirs(directory: Path) -> list[Path]:
    if (directory / PACK_FILE).is_file():
        return [directory]
    return sorted(p for p in directory.iterdir() if p.is_dir() and (p / PACK_FILE).is_file())


class Registry:
    """Every pack by name; later sources override earlier ones. Packs load (and are checked) on use."""

    def __init__(self, sources: Sequence[tuple[Path, str]]) -> None:
        self._entries: dict[str, Entry] = {}
        for directory, origin in sources:
            if not directory.is_dir():
                raise BadInput(f"{origin}: templates folder not found; create it or remove it from the list")
            for pack_dir in _pack_dirs(directory):
                data = read_document(pack_dir, pack_dir.name, check=False).data
                name = data.get("name")
                name = name if isinstance(name, str) and name else pack_dir.name
                description = data.get("description")
                previous = self._entries.get(name)
                self._entries[name] = Entry(
                    name,
                    pack_dir,
                    origin,
                    description if isinstance(description, str) else "",
                    previous.origin if previous else None,
                )
        self._loaded: dict[str, Pack] = {}

    def entries(self) -> list[Entry]:
        return sorted(self._entries.values(), key=lambda e: e.name)

    def names(self) -> list[str]:
        return sorted(self._entries)

    def get(self, name: str) -> Pack:
        if name not in self._loaded:
            entry = self._entries.get(name)
            if entry is None:
                known = ", ".join(self.names()) or "none"
                raise BadInput(f"unknown template {name!r}; known: {known} (see `hookwright templates list`)")
            self._loaded[name] = _load_cached(entry.directory, entry.origin, signature(entry.directory))
        return self._loaded[name]


@functools.lru_cache(maxsize=64)
def _load_cached(directory: Path, origin: str, files: tuple[tuple[str, int, int], ...]) -> Pack:
    return load(directory, origin, files)


def registry(root: Path, extra: Iterable[str] = (), configured: Iterable[str] = ()) -> Registry:
    """Built-in packs, then the config's ``templates`` folders, then ``extra`` (paths under ``root``)."""
    sources: list[tuple[Path, str]] = [(builtin_dir(), BUILTIN)]
    for relpath in [*configured, *extra]:
        path = Path(relpath)
        sources.append((path if path.is_absolute() else root / path, relpath))
    return Registry(sources)


def configured_dirs(root: Path, config_file: str | None = None) -> list[str]:
    from hookwright import config

    return list(config.load(root, config_file).data.get("templates", []))
