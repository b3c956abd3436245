"""Template packs: a folder with ``template.yaml`` and ``*.j2`` files, loaded and checked.

Loading compares the variables every template, path pattern and derived value uses with the ones
``template.yaml`` declares, before anything renders: a typo in a template is a
``pack/file.j2:LINE: message`` now, not a StrictUndefined error halfway through a batch.
Finding packs by name is hookwright.templates.pack_registry.
"""

from __future__ import annotations

from collections.abc import Mapping
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


def read_document(directory: Path, label: str, *, check: bool = True) -> strict_yaml.Document:
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
    document = read_document(directory, directory.name)
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
    from hookwright.templates.analysis import analyse
    from hookwright.templates.pack_variables import schema_problems

    problems = schema_problems(pack, document)
    if problems:
        raise PackError(problems)
    path_names, problems = analyse(pack, document)
    if problems:
        raise PackError(problems)
    from dataclasses import replace

    return replace(pack, path_names=frozenset(path_names))


def signature(directory: Path) -> tuple[tuple[str, int, int], ...]:
    """What the pack's files are now: a pack edited in a long-lived process is loaded again."""
    found = []
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            info = path.stat()
            found.append((path.relative_to(directory).as_posix(), info.st_mtime_ns, info.st_size))
    return tuple(found)
