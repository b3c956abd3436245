"""What the standard library exports, asked of the running interpreter: where a bare name comes from.

Built by ``stdlib_scan.py`` in an isolated child interpreter (importing ~500 modules takes a second or
two, and some print or leave threads behind), then kept on disk under the user's cache directory,
keyed by the interpreter and its standard library: built once per interpreter, read (~10 ms) only
when an import fix needs it. Nothing here is a hand-written list of names.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 3  # bump when stdlib_scan's output changes shape
SCAN_TIMEOUT_S = 120


@dataclass(frozen=True)
class Export:
    """``from module import name``: what the name is there (c, f, a, m, v) and which object (``key``)."""

    module: str
    name: str
    kind: str
    key: str


class StdlibIndex:
    def __init__(self, data: dict[str, Any]) -> None:
        self._modules: dict[str, dict[str, tuple[str, str]]] = data["modules"]
        self._from_counts: dict[str, dict[str, int]] = data["from_counts"]
        self._alias_counts: dict[str, dict[str, int]] = data["alias_counts"]
        self._attrs: dict[str, list[str]] = data["attrs"]
        self._class_attrs: frozenset[str] = frozenset(data["class_attrs"])
        self._attributes: dict[str, list[str]] = data["attributes"]

    @functools.cached_property
    def _by_name(self) -> dict[str, list[Export]]:
        found: dict[str, list[Export]] = {}
        for module, names in self._modules.items():
            for name, (kind, key) in names.items():
                found.setdefault(name, []).append(Export(module, name, kind, key))
        return found

    def is_module(self, module: str) -> bool:
        return module in self._modules

    def exports(self, module: str) -> dict[str, tuple[str, str]]:
        return self._modules.get(module, {})

    def attributes(self, module: str) -> frozenset[str]:
        """What ``module.name`` can read: its exports and the other public names it holds."""
        return frozenset(self.exports(module)).union(self._attributes.get(module, ()))

    def exporters(self, name: str) -> list[Export]:
        return list(self._by_name.get(name, ()))

    def attrs(self, key: str) -> frozenset[str] | None:
        """Public attributes of a class or module the scan looked into (None: not recorded)."""
        if key in self._modules:
            return frozenset(self._modules[key])
        found = self._attrs.get(key)
        return None if found is None else frozenset(found)

    def some_class_has(self, name: str) -> bool:
        """Whether any class of the standard library has an attribute ``name``."""
        return name in self._class_attrs

    def popularity(self, module: str, name: str) -> int:
        """How often the standard library's own code writes ``from module import name``."""
        return self._from_counts.get(module, {}).get(name, 0)

    def alias_popularity(self, alias: str, module: str) -> int:
        return self._alias_counts.get(alias, {}).get(module, 0)

    def modules(self) -> Iterable[str]:
        return self._modules.keys()


def _cache_file() -> Path:
    from hookwright.cache import key

    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    stdlib = os.path.dirname(os.__file__)
    version = ".".join(map(str, sys.version_info[:3]))
    tag = key(sys.version, sys.executable, stdlib, str(FORMAT))[:16]
    return base / "hookwright" / f"stdlib-names-{sys.implementation.name}{version}-{tag}.marshal"


def _scan() -> dict[str, Any] | None:
    import marshal

    from hookwright import parallel

    script = Path(__file__).with_name("stdlib_scan.py")
    result = parallel.run([sys.executable, "-I", str(script)], timeout=SCAN_TIMEOUT_S, cwd=script.parent)
    if result.returncode != 0:
        return None
    try:
        data = marshal.loads(result.stdout)
    except (EOFError, ValueError, TypeError):
        return None
    return data if isinstance(data, dict) else None


@functools.cache
def load() -> StdlibIndex | None:
    """The index for this interpreter (built on first use); None when it cannot be built here."""
    from hookwright.cache import read_snapshot, write_snapshot

    path = _cache_file()
    data = read_snapshot(path)
    if not (isinstance(data, dict) and data.get("format") == FORMAT):
        data = _scan()
        if data is None:
            return None
        data["format"] = FORMAT
        write_snapshot(path, data)
    try:
        return StdlibIndex(data)
    except (KeyError, TypeError):
        return None
