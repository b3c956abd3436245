"""Rendering template packs: the context, the output paths and the files, in hookwright.templates.sandbox.

The context holds the validated variables (defaults applied) and the pack's derived values, nothing
else: no paths, modules or callables, and the sandbox refuses attribute tricks (``__class__``...).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hookwright.errors import BadInput
from hookwright.ruff import PYTHON_SUFFIXES
from hookwright.safe_paths import safe_relpath
from hookwright.templates import variables
from hookwright.templates.pack_schema import apply_defaults
from hookwright.templates.packs import PACK_FILE, Pack, PackFile
from hookwright.templates.roles import check_value
from hookwright.templates.sandbox import environment, guarded, pack_environment, render_string

_SPECIAL_STEMS = frozenset({"__init__", "__main__"})

# environment: the clones package reaches the sandbox through this module.
__all__ = ["Planned", "Rendered", "environment", "plan_paths", "prepare", "render", "render_all"]


def prepare(pack: Pack, given: Mapping[str, Any], label: str) -> tuple[dict[str, Any], list[str]]:
    """(context for rendering, problems). The context is empty when there are problems."""
    values = apply_defaults(pack.variables, dict(given))
    found = variables.problems(pack.variables, values, pack.path_names)
    if found:
        return {}, variables.format_problems(label, found)
    context = dict(values)
    env = pack_environment(pack)
    for name, expression in pack.derived.items():
        context[name] = render_string(env, expression, context, f"{pack.name}/{PACK_FILE}")
    return context, []


@dataclass(frozen=True)
class Planned:
    """One output of one pack file: where it goes, before its content exists."""

    path: str
    pack: Pack
    file: PackFile
    context: Mapping[str, Any]
    label: str


@dataclass(frozen=True)
class Rendered:
    path: str
    data: bytes
    source: str  # "pack/file.j2", or a description of where given content came from
    rendered: bool  # False: copied byte for byte (never scanned for leftover placeholders)
    braces: bool = False  # the pack emits {{ / {% / {# on purpose
    label: str = ""  # which item of a batch made it
    kind: str | None = None  # the pack's type, for a file whose extension says nothing (a Dockerfile)


def plan_paths(
    pack: Pack, context: Mapping[str, Any], target: str, label: str
) -> tuple[list[Planned], list[str]]:
    """Render every output path pattern and check the result; (planned outputs, problems)."""
    env = pack_environment(pack)
    planned: list[Planned] = []
    problems: list[str] = []
    base = "" if target in ("", ".") else target.rstrip("/") + "/"
    for item in pack.files:
        raw = render_string(env, item.path, context, f"{pack.name}/{PACK_FILE}")
        try:
            path = safe_relpath(base + raw)
        except BadInput as exc:
            problems.append(f"{label}: output path {raw!r}: {exc}")
            continue
        problems.extend(f"{label}: output path {path!r}: {p}" for p in module_path_problems(path))
        planned.append(Planned(path, pack, item, context, label))
    return planned, problems


def module_path_problems(path: str) -> list[str]:
    """A Python file's name is a module name: no hyphen, keyword or leading digit."""
    name = path.rsplit("/", 1)[-1]
    stem, dot, suffix = name.rpartition(".")
    if not dot or "." + suffix not in PYTHON_SUFFIXES or stem in _SPECIAL_STEMS:
        return []
    return [p for p in check_value(stem, "module")]


def render(planned: Planned) -> Rendered:
    pack, item = planned.pack, planned.file
    source = f"{pack.name}/{item.template}"
    if not item.rendered:
        data = (pack.directory / item.template).read_bytes()
        return Rendered(planned.path, data, source, False, label=planned.label)
    env = pack_environment(pack)
    template = env.get_template(item.template)
    text = guarded(lambda: template.render(planned.context), source, planned.label)
    kind = pack.type if pack.type in ("python", "yaml", "toml", "json") else None
    return Rendered(planned.path, text.encode("utf-8"), source, True, pack.braces, planned.label, kind)


def render_all(planned: Sequence[Planned]) -> list[Rendered]:
    return [render(p) for p in planned]
