"""Configuration: ``.hookwright.yaml``, ``[tool.hookwright]`` in pyproject.toml, or the embedded default.

A user's file is validated against ``schemas/config.schema.json`` and merged over the default one
check at a time, so a file that only says ``todo: {policy: fail}`` keeps every other default.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from pathlib import Path

from hookwright import __version__, bounded_read
from hookwright.atomic import atomic_write
from hookwright.errors import BadInput, ConfigError
from hookwright.frozen import Frozen
from hookwright.hashing import sha256

MAX_BYTES = 4 * 1024 * 1024  # as strict_yaml's, without importing it on every hook run

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any

    from hookwright.git.repo import Repo
    from hookwright.strict_yaml import Document

CONFIG_FILES = (".hookwright.yaml", ".hookwright.yml")


def _file_types() -> dict[str, list[str]]:
    """Which files a check reads, by identify's tags, as in a pre-commit hook definition."""
    return {"types": ["file"], "types_or": [], "exclude_types": []}


# Useful on any repository: cheap checks on, tests only where a framework is found, nothing that
# needs setup (coverage) and nothing opinionated about workflow (protected branches) switched on.
DEFAULT: dict[str, Any] = {
    "fail_on": ["failed", "error"],
    # "base": a failing test or lint finding that already fails at the base (HEAD, a range's
    # merge-base) is reported, not blocking; "none": everything must pass.
    "baseline": "base",
    "jobs": 0,
    "cache": True,
    "records": {"yaml": False, "keep": 500, "git_notes": False},
    "checks": {
        "syntax": {
            "enabled": True,
            "languages": ["python", "json", "yaml", "toml"],
            "conflict_markers": True,
            "exclude": None,
            **_file_types(),
        },
        "lint": {
            "enabled": True,
            "select": [],
            "ignore": [],
            "scope": "added",
            "args": [],
            "timeout": 120,
            "exclude": None,
            **_file_types(),
        },
        "tests": {
            "enabled": True,
            "framework": "auto",
            "python": None,
            "args": [],
            "timeout": 900,
            "inputs": [],
            "environment": [],
            "select": "affected",
            "record_lines": False,
            "shards": 0,
        },
        "coverage": {
            "enabled": False,
            "min_total": 80.0,
            "min_diff": 80.0,
            "report": None,
        },
        "git_state": {
            "enabled": True,
            "max_file_kb": 500,
            "protected_branches": [],
            "protected_patterns": [],
            "private_keys": True,
            "symlinks": True,
            "case_conflicts": True,
            # Symlinks are entries of the tree too: pre-commit's default `[file]` would leave them out.
            "types": [],
            "types_or": [],
            "exclude_types": [],
        },
        "todo": {
            "enabled": True,
            "markers": ["TODO", "FIXME", "XXX", "HACK"],
            "policy": "warn",
            "allow": None,
            **_file_types(),
        },
    },
    "commands": [],
    "self_heal": {"max_attempts": 3, "backoff_s": 0.5, "rules": [], "disable": [], "timeout": 300},
    "worktree": {
        "setup": [],
        "checks": [],
        "stale_days": 30,
        "default_branch": None,
        "block_push_on_failure": False,
    },
    "templates": [],
    # Native git hooks (`hookwright install`): which steps run at which stage. The stages listed are
    # the ones `install` writes by default; a stage not listed runs its built-in steps.
    "hooks": {"pre-commit": ["verify"]},
    "commit_msg": {"pattern": None, "max_subject": 0},
}


def merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Deep-merge mappings; lists and scalars in ``override`` replace those in ``base``."""
    merged = copy.deepcopy(dict(base))
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(merged.get(key), Mapping):
            merged[key] = merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


class Config(Frozen):
    _fields = ("source", "data", "digest")
    __slots__ = _fields
    source: str
    data: Mapping[str, Any]
    digest: str

    def __init__(self, source: str, data: Mapping[str, Any] | None = None, digest: str = "default") -> None:
        self._fill(source, copy.deepcopy(DEFAULT) if data is None else data, digest)

    @property
    def checks(self) -> Mapping[str, Mapping[str, Any]]:
        checks: Mapping[str, Mapping[str, Any]] = self.data["checks"]
        return checks

    @property
    def commands(self) -> list[Mapping[str, Any]]:
        commands: list[Mapping[str, Any]] = self.data["commands"]
        return commands

    @property
    def fail_on(self) -> tuple[str, ...]:
        return tuple(self.data["fail_on"])

    @property
    def jobs(self) -> int:
        return int(self.data["jobs"])

    def section(self, name: str) -> Mapping[str, Any]:
        section: Mapping[str, Any] = self.data[name]
        return section


def _parse_cached(cache_dir: Path | None, raw: bytes, parse: Callable[[], Document]) -> Any:
    """The validated data of a config file, parsed and checked once per distinct content.

    Parsing YAML and validating against the schema costs ~40 ms of imports (PyYAML, jsonschema) on
    every commit; a config whose bytes were seen before is read back from a small JSON file instead.
    """
    key = sha256(__version__.encode() + b"\0" + raw).hexdigest()[:32]
    memo = cache_dir / "config" / f"{key}.json" if cache_dir is not None else None
    if memo is not None:
        try:
            return json.loads(memo.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            pass
    document = parse()
    from hookwright import validation

    validation.check_document(document, "config")
    if memo is not None:
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(memo, json.dumps(document.data), durable=False)  # a memo: rebuilt if lost
        except OSError:
            pass
    return document.data


def _toml_positions(text: str, table: str) -> dict[str, tuple[int, int]]:
    """Approximate positions of keys under ``[tool.hookwright]`` (tomllib keeps none)."""
    positions: dict[str, tuple[int, int]] = {}
    current: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            name = header.group(1).replace('"', "")
            current = None
            if name == table or name.startswith(table + "."):
                current = "/" + "/".join(name[len(table) + 1 :].split(".")) if name != table else ""
                positions.setdefault(current, (number, 1))
            continue
        key = re.match(r"\s*([A-Za-z0-9_-]+)\s*=", line)
        if key and current is not None:
            positions.setdefault(f"{current}/{key.group(1)}", (number, key.start(1) + 1))
    return positions


def _load_pyproject(path: Path, raw: bytes) -> Document | None:
    from hookwright import tomlfile

    try:
        text = raw.decode("utf-8-sig")
        parsed = tomlfile.loads(text)
    except (UnicodeDecodeError, tomlfile.TOMLDecodeError) as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    section = parsed.get("tool", {}).get("hookwright")
    if section is None:
        raise ConfigError(f"{path.name}: no [tool.hookwright] table")
    if not isinstance(section, dict):
        raise ConfigError(f"{path.name}: [tool.hookwright] must be a table")
    from hookwright.strict_yaml import Document

    return Document(path.name, section, _toml_positions(text, "tool.hookwright"))


def _parser(path: Path, raw: bytes, display: str) -> Callable[[], Document]:
    def parse() -> Document:
        if path.name == "pyproject.toml":
            document = _load_pyproject(path, raw)
            assert document is not None
            return document
        from hookwright import strict_yaml

        if path.suffix == ".json":
            return strict_yaml.loads_json(raw, display)
        return strict_yaml.loads(raw, display)

    return parse


def find(
    root: Path, explicit: str | None = None, committed: Mapping[str, bytes] | None = None
) -> tuple[Path, str] | None:
    """The config file that applies, with the name errors should use; None: the embedded default.

    ``committed``: the candidate files as they are in the tree under verification (name -> bytes);
    the work tree is not consulted then (a sparse checkout or an unstaged edit must not change it).
    """
    if explicit is not None:
        path = Path(explicit)
        if not path.is_absolute() and not path.exists():
            path = root / explicit
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found")
        return path, explicit
    exists = (
        (lambda name: name in committed) if committed is not None else (lambda name: (root / name).is_file())
    )
    for name in CONFIG_FILES:
        if exists(name):
            return root / name, name
    pyproject = root / "pyproject.toml"
    try:
        raw = committed.get("pyproject.toml", b"") if committed is not None else None
        if raw is None and pyproject.is_file():
            raw = pyproject.read_bytes()
        if raw and b"tool.hookwright" in raw:
            return pyproject, "pyproject.toml"
    except OSError:
        pass
    return None


# The files a configuration can come from, as find() looks for them.
CANDIDATES = (*CONFIG_FILES, "pyproject.toml")


def load(
    root: Path,
    explicit: str | None = None,
    cache_dir: Path | None = None,
    committed: Mapping[str, bytes] | None = None,
) -> Config:
    """Find and validate the configuration for the repository at ``root`` (see ``find``)."""
    found = find(root, explicit, committed)
    if found is None:
        return Config("<default>")
    path, display = found
    try:
        if committed is not None and explicit is None:
            raw = committed[display]
        else:
            raw = bounded_read.read_file(path, MAX_BYTES, display)
    except BadInput as exc:
        raise ConfigError(str(exc)) from None
    data = _parse_cached(cache_dir, raw, _parser(path, raw, display))
    return Config(display, merge(DEFAULT, data), sha256(raw).hexdigest()[:16])


def load_committed(
    repo: Repo, *, index: Path | None = None, at_head: bool = False, explicit: str | None = None
) -> Config:
    """The configuration as the tree being committed holds it: ``index`` (a frozen copy of the
    index), else the real index; HEAD's with ``at_head`` (a push or pull request range).

    Read from git, not the work tree: a sparse checkout or an unstaged edit cannot change it, and a
    pull request's head cannot hand itself a configuration (a range takes the checked-out HEAD's).
    """
    committed: dict[str, bytes] = {}
    if explicit is None:
        if at_head:
            committed = repo.read_paths(CANDIDATES, "HEAD") if repo.head else {}
        else:
            committed = (repo.with_index(index) if index is not None else repo).read_paths(CANDIDATES)
    return load(repo.root, explicit, repo.state_dir / "cache", committed=committed)
