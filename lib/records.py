"""Records: every run's report, as JSON (and YAML on request), under the git common dir."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

from hookwright.atomic import atomic_write
from hookwright.errors import BadInput, report_warning

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any


def records_dir(state_dir: Path) -> Path:
    return state_dir / "records"


def write(
    directory: Path, record: Mapping[str, Any], *, yaml_copy: bool = False, keep: int | None = None
) -> Path | None:
    """Write ``record`` atomically as ``<record_id>.json``; its path (None: it could not be written).

    A record is our bookkeeping: a folder in the way or a full disk costs one warning, never the
    verdict. The record then goes to a private folder in the temp directory, if that can be written.
    """
    name = f"{record['record_id']}.json"
    # A path or a patch line that is not UTF-8 reaches us surrogate-escaped; written as a \udcXX
    # escape it stays valid JSON (and reads back as the same string) instead of failing the write.
    text = (json.dumps(record, indent=2, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
    try:
        path = _write_atomic(directory, name, text)
    except OSError as exc:
        import tempfile  # only on this fallback: its import costs the no-op start-up

        from hookwright.state_dirs import private_dir

        where = exc.filename or directory
        try:
            directory = private_dir(Path(tempfile.gettempdir()) / f"hookwright-records-{os.getuid()}")
            path = _write_atomic(directory, name, text)
        except OSError:
            report_warning(f"cannot write the record in {where}: {exc.strerror}; this run is not recorded")
            return None
        report_warning(f"cannot write the record in {where}: {exc.strerror}; it went to {directory}")
    if yaml_copy:
        write_yaml(path.with_suffix(".yaml"), record)
    if keep:
        prune(directory, keep)
    return path


def _write_atomic(directory: Path, name: str, text: bytes) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / name
    # Not fsynced (two syncs cost every run ~5 ms, the no-op start a tenth): the rename still keeps
    # readers from seeing half a record, and one emptied by a power cut is read as damaged (the
    # dashboard lists it as invalid; `unverified` takes it as no proof), never as a pass.
    atomic_write(path, text, durable=False)
    return path


def write_yaml(path: Path, record: Mapping[str, Any]) -> None:
    import yaml

    atomic_write(path, yaml.safe_dump(dict(record), sort_keys=False, allow_unicode=True))


def prune(directory: Path, keep: int) -> None:
    # Names, not Paths: sorting 500 Path objects on every run cost ~2 ms of a no-op's ~50.
    names = sorted(name for name in os.listdir(directory) if name.endswith(".json"))
    for old in (directory / name for name in names[: max(len(names) - keep, 0)]):
        old.unlink(missing_ok=True)
        old.with_suffix(".yaml").unlink(missing_ok=True)


def iter_paths(directory: Path) -> Iterator[Path]:
    """Record files, oldest first; a YAML record counts only where no JSON twin exists."""
    if not directory.is_dir():
        return
    names = sorted(os.listdir(directory))
    present = set(names)
    for name in names:
        if name.endswith(".json") or (
            name.endswith((".yaml", ".yml")) and name.rsplit(".", 1)[0] + ".json" not in present
        ):
            yield directory / name


MAX_RECORD_BYTES = 16 * 1024 * 1024


def load(path: Path) -> dict[str, Any]:
    """A record we wrote: JSON is read as JSON (fast); YAML through the strict loader."""
    from hookwright import strict_yaml

    if path.suffix == ".json":
        from hookwright.bounded_read import read_file

        raw = read_file(path, MAX_RECORD_BYTES, str(path))
        try:
            data = json.loads(raw)
        except ValueError as exc:
            raise BadInput(f"{path}: not a readable record: {exc}") from None
        if not isinstance(data, dict):
            raise BadInput(f"{path}: not a record (the top level is not an object)")
        return data
    loaded: dict[str, Any] = strict_yaml.load_path(path).data
    return loaded


def find(directory: Path, ref: str) -> Path:
    """A record by id, id prefix, ``latest`` or a path."""
    candidate = Path(ref)
    if candidate.is_file():
        return candidate
    paths = list(iter_paths(directory))
    if ref in ("latest", "last", "-1"):
        if not paths:
            raise BadInput(f"no records yet in {directory}")
        return paths[-1]
    matches = [p for p in paths if p.stem.startswith(ref) or ref in p.stem]
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise BadInput(f"no record matches {ref!r} (see `hookwright records list`)")
    raise BadInput(f"{ref!r} matches {len(matches)} records; give more of the id")
