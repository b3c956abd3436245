"""Template packs: a folder with ``template.yaml`` and ``*.j2`` files, loaded, checked and found by name.

Loading compares the variables every template, path pattern and derived value uses with the ones
``template.yaml`` declares, before anything renders: a typo in a template is a
``pack/file.j2:LINE: message`` now, not a StrictUndefined error halfway through a batch.
Packs come from the built-in folder, the config's ``templates`` directories and any folder given on
the command line or in an instance, in that order: a later pack with the same name overrides.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hookwright import strict_yaml
from hookwright.errors import BadInput, InputProblems

PACK_FILE = "template.yaml"
TEMPLATE_SUFFIX = ".j2"
BUILTIN = "built-in"


class PackError(InputProblems):
    """A pack that cannot be used; one ``pack/file:LINE: message`` per problem."""


@dataclass(frozen=True)
class PackFile:
    template: str  # file name inside the pack
    path: str  # output path pattern (a jinja template itself)

    @property
    def rendered(self) -> bool:
        return self.template.endswith(TEMPLATE_SUFFIX)


@dataclass(frozen=True)
class Pack:
    name: str
    directory: Path
    type: str
    description: str
    braces: bool
    trim_blocks: bool
    files: tuple[PackFile, ...]
    variables: Mapping[str, Any]
    derived: Mapping[str, str]
    origin: str
    signature: tuple[tuple[str, int, int], ...] = ()  # the files as loaded (name, mtime, size)
    path_names: frozenset[str] = field(default=frozenset())  # variables that reach an output path

    @property
    def declared(self) -> list[str]:
        return [*self.variables.get("properties", {}), *self.derived]


def builtin_dir() -> Path:
    # Packs ship as package data beside this module (setup.cfg: hookwright = packs/*/*).
    return Path(__file__).with_name("builtin_packs")


def _read_document(directory: Path, label: str, *, check: bool = True) -> strict_yaml.Document:
    document = strict_yaml.load_path(directory / PACK_FILE, display=f"{label}/{PACK_FILE}")
    if check:  # listing packs reads only names; a pack is checked in full when it is used
        from hookwright import validation

        validation.check_document(document, "template-pack", all_errors=True)
    return document


def load(directory: Path, origin: str = "", files: tuple[tuple[str, int, int], ...] = ()) -> Pack:
    """Read, validate and analyse the pack in ``directory``; PackError lists every problem.

    ``files`` (the pack's signature) keys the compiled templates, so an edited pack is recompiled.
    """
    if not (directory / PACK_FILE).is_file():
        raise BadInput(f"{directory}: not a template pack (no {PACK_FILE} in it)")
    document = _read_document(directory, directory.name)
    data = document.data
    name = data["name"]
    pack_files = tuple(PackFile(f["template"], f["path"]) for f in data["files"])
    pack = Pack(
        name=name,
        directory=directory,
        type=data.get("type", "mixed"),
        description=data.get("description", ""),
        braces=bool(data.get("braces", False)),
        trim_blocks=bool(data.get("trim_blocks", False)),
        files=pack_files,
        variables=data.get("variables") or {"type": "object", "properties": {}},
        derived=data.get("derived") or {},
        origin=origin or str(directory),
        signature=files or signature(directory),
    )
    from hookwright.templates.render import analyse

    problems = _schema_problems(pack, document)
    if problems:
        raise PackError(problems)
    path_names, problems = analyse(pack, document)
    if problems:
        raise PackError(problems)
    from dataclasses import replace

    return replace(pack, path_names=frozenset(path_names))


def _schema_problems(pack: Pack, document: strict_yaml.Document) -> list[str]:
    """``variables`` must be a JSON Schema for an object whose property names are identifiers."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    where = f"{pack.name}/{PACK_FILE}"
    line = document.position("/variables")[0]
    try:
        Draft202012Validator.check_schema(pack.variables)
    except SchemaError as exc:
        pointer = "".join(f"/{p}" for p in exc.absolute_path)
        return [f"{where}:{document.position('/variables' + pointer)[0]}: variables: {exc.message}"]
    if pack.variables.get("type", "object") != "object":
        return [f"{where}:{line}: variables: the schema must describe an object (type: object)"]
    properties = pack.variables.get("properties", {})
    if not isinstance(properties, dict):
        return [f"{where}:{line}: variables: properties must be a mapping"]
    return [
        f"{where}:{document.position(f'/variables/properties/{name}')[0]}: {name!r} is not an identifier"
        for name in properties
        if not str(name).isidentifier()
    ]


# -- finding packs -----------------------------------------------------------------------------------


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
                data = _read_document(pack_dir, pack_dir.name, check=False).data
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


def signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """What the pack's files are now: a pack edited in a long-lived process is loaded again."""
    found = []
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            info = path.stat()
            found.append((path.relative_to(directory).as_posix(), info.st_mtime_ns, info.st_size))
    return tuple(found)


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
