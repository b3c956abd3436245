"""Full-schema verdicts on record files, remembered between runs until a schema changes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright import __version__
from hookwright.atomic import atomic_write
from hookwright.dashboard.record_checks import schema_problem


class Verdicts:
    """Full-schema verdicts remembered per record file: a record is never rewritten once written, so
    its file name, size and mtime identify its content; a change to any schema forgets them all."""

    def __init__(self, path: Path | None, directory: Path | None) -> None:
        self.path = path
        self.directory = directory
        self.known: dict[str, list[Any]] = {}
        self.changed = False
        self.fingerprint = _schemas_fingerprint()
        if path is None:
            return
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("schemas") == self.fingerprint and isinstance(data.get("verdicts"), dict):
                self.known = data["verdicts"]
        except (OSError, ValueError, AttributeError):
            pass

    def __call__(self, name: str, record: Mapping[str, Any]) -> str | None:
        stamp: list[Any] | None = None
        if self.directory is not None:
            try:
                info = (self.directory / name).stat()
                stamp = [info.st_size, info.st_mtime_ns]
            except OSError:
                stamp = None
        remembered = self.known.get(name)
        if stamp is not None and isinstance(remembered, list) and remembered[:2] == stamp:
            return remembered[2]  # type: ignore[no-any-return]
        issue = schema_problem(record)
        if stamp is not None:
            self.known[name] = [*stamp, issue]
            self.changed = True
        return issue

    def save(self) -> None:
        if self.path is None or not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            verdicts = json.dumps({"schemas": self.fingerprint, "verdicts": self.known})
            atomic_write(self.path, verdicts, durable=False)
        except OSError:
            pass  # a read-only records folder: remember nothing


def _schemas_fingerprint() -> str:
    import hashlib
    from importlib import resources

    digest = hashlib.sha256(__version__.encode())
    for resource in sorted(resources.files("hookwright.schemas").iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".json"):
            digest.update(resource.name.encode() + resource.read_bytes())
    return digest.hexdigest()[:16]
