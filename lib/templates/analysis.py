"""A pack's variables, declared versus used: every template, path pattern and derived value read first."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from hookwright.errors import BadInput
from hookwright.safe_paths import safe_relpath
from hookwright.templates.packs import PACK_FILE, TEMPLATE_SUFFIX, Pack
from hookwright.templates.sandbox import pack_environment

if TYPE_CHECKING:
    from jinja2 import Environment

    from hookwright.strict_yaml import Document


def used_names(env: Environment, source: str, filename: str) -> dict[str, int]:
    """Free variables of a template and the first line each is used on."""
    from jinja2 import meta, nodes

    tree = env.parse(source, filename=filename)
    free = meta.find_undeclared_variables(tree)
    lines: dict[str, int] = {}
    for node in tree.find_all(nodes.Name):
        if node.ctx == "load" and node.name in free:
            lines.setdefault(node.name, node.lineno)
    return {name: lines.get(name, 1) for name in sorted(free)}


def analyse(pack: Pack, document: Document) -> tuple[set[str], list[str]]:
    """(variables that reach an output path, problems as ``pack/file:LINE: message``)."""
    from jinja2 import TemplateSyntaxError

    env = pack_environment(pack)
    label = pack.name
    properties = list(pack.variables.get("properties", {}))
    declared = set(properties) | set(pack.derived)
    shown = ", ".join(sorted(declared)) or "none"
    problems: list[str] = []
    used: set[str] = set()
    path_names: set[str] = set()

    def yaml_line(pointer: str) -> int:
        return document.position(pointer)[0]

    def check(names: Mapping[str, int], where: str, allowed: set[str]) -> None:
        for name, line in names.items():
            if name not in allowed:
                problems.append(f"{where}:{line}: {name!r} is used but not declared in {PACK_FILE} ({shown})")
        used.update(names)

    derived_uses: dict[str, set[str]] = {}
    known = set(properties)
    for name, expression in pack.derived.items():
        line = yaml_line(f"/derived/{name}")
        try:
            names = used_names(env, expression, f"{label}/{PACK_FILE}")
        except TemplateSyntaxError as exc:
            problems.append(f"{label}/{PACK_FILE}:{line}: derived {name!r}: {exc.message}")
            continue
        check({n: line for n in names}, f"{label}/{PACK_FILE}", known)
        derived_uses[name] = set(names)
        known.add(name)
    for index, item in enumerate(pack.files):
        line = yaml_line(f"/files/{index}/path")
        try:
            names = used_names(env, item.path, f"{label}/{PACK_FILE}")
        except TemplateSyntaxError as exc:
            problems.append(f"{label}/{PACK_FILE}:{line}: path {item.path!r}: {exc.message}")
            continue
        check({n: line for n in names}, f"{label}/{PACK_FILE}", declared)
        path_names.update(names)
        target = pack.directory / item.template
        if not _inside(pack.directory, item.template) or not target.is_file():
            line = yaml_line(f"/files/{index}/template")
            problems.append(
                f"{label}/{PACK_FILE}:{line}: template {item.template!r} is not a file in the pack"
            )
    for template in sorted(pack.directory.rglob(f"*{TEMPLATE_SUFFIX}")):
        relative = template.relative_to(pack.directory).as_posix()
        try:
            source = template.read_text(encoding="utf-8")
            names = used_names(env, source, relative)
        except UnicodeDecodeError:
            problems.append(f"{label}/{relative}:1: not UTF-8; a .j2 template must be text")
            continue
        except TemplateSyntaxError as exc:
            problems.append(f"{label}/{relative}:{exc.lineno}: syntax error: {exc.message}")
            continue
        check(names, f"{label}/{relative}", declared)
    # A derived value that reaches a path carries the variables it is made of there too.
    for name, uses in reversed(list(derived_uses.items())):
        if name in path_names:
            path_names |= uses
    unreadable = any(": syntax error: " in p or ": not UTF-8" in p for p in problems)
    for name in sorted(declared - used) if not unreadable else ():  # unknowable until it parses
        pointer = f"/variables/properties/{name}" if name in properties else f"/derived/{name}"
        problems.append(
            f"{label}/{PACK_FILE}:{yaml_line(pointer)}: {name!r} is declared but no template or path uses it"
        )
    return path_names, problems


def _inside(directory: Path, relative: str) -> bool:
    try:
        safe_relpath(relative)
    except BadInput:
        return False
    return (directory / relative).resolve().is_relative_to(directory.resolve())
