"""Rendering template packs: jinja2's immutable sandbox, StrictUndefined, plain string filters.

The context holds the validated variables (defaults applied) and the pack's derived values, nothing
else: no paths, modules or callables, and the sandbox refuses attribute tricks (``__class__``...).
jinja2 is imported inside the functions that need it; it costs ~40 ms and hooks start often.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput
from hookwright.ruff import PYTHON_SUFFIXES
from hookwright.safe_paths import safe_relpath
from hookwright.templates import variables
from hookwright.templates.filters import FILTERS
from hookwright.templates.packs import PACK_FILE, TEMPLATE_SUFFIX, Pack, PackError, PackFile

if TYPE_CHECKING:
    from jinja2 import Environment

    from hookwright.strict_yaml import Document

# jinja2's own filters that are pure functions of their arguments; the rest (attr, xmlattr, urlize,
# pprint...) are left out so that what a template can do stays easy to read.
_JINJA_FILTERS = (
    "join", "length", "count", "first", "last", "replace", "trim", "title", "capitalize", "indent",
    "default", "d", "sort", "unique", "list", "string", "int", "float", "abs", "round", "dictsort",
    "items", "map", "select", "reject", "selectattr", "rejectattr", "min", "max", "sum", "reverse",
    "wordwrap", "center", "batch", "slice", "format",
)  # fmt: skip
_SPECIAL_STEMS = frozenset({"__init__", "__main__"})


@functools.cache
def environment(directory: Path | None, trim_blocks: bool = False, signature: Any = ()) -> Environment:
    """One sandbox per pack (and per version of its files: ``signature`` changes when one is edited)."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import ImmutableSandboxedEnvironment

    env = ImmutableSandboxedEnvironment(
        loader=FileSystemLoader(str(directory)) if directory else None,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=trim_blocks,
        lstrip_blocks=trim_blocks,
        auto_reload=False,
    )
    env.filters = {name: env.filters[name] for name in _JINJA_FILTERS if name in env.filters}
    env.filters.update(FILTERS)
    env.globals.clear()
    return env


def pack_environment(pack: Pack) -> Environment:
    return environment(pack.directory, pack.trim_blocks, pack.signature)


# -- analysis: declared versus used -----------------------------------------------------------------


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


# -- variables --------------------------------------------------------------------------------------


def prepare(pack: Pack, given: Mapping[str, Any], label: str) -> tuple[dict[str, Any], list[str]]:
    """(context for rendering, problems). The context is empty when there are problems."""
    values = variables.apply_defaults(pack.variables, dict(given))
    found = variables.problems(pack.variables, values, pack.path_names)
    if found:
        return {}, variables.format_problems(label, found)
    context = dict(values)
    env = pack_environment(pack)
    for name, expression in pack.derived.items():
        context[name] = _render_string(env, expression, context, f"{pack.name}/{PACK_FILE}")
    return context, []


# -- rendering --------------------------------------------------------------------------------------


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
        raw = _render_string(env, item.path, context, f"{pack.name}/{PACK_FILE}")
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
    return [p for p in variables.check_value(stem, "module")]


def render(planned: Planned) -> Rendered:
    pack, item = planned.pack, planned.file
    source = f"{pack.name}/{item.template}"
    if not item.rendered:
        data = (pack.directory / item.template).read_bytes()
        return Rendered(planned.path, data, source, False, label=planned.label)
    env = pack_environment(pack)
    template = env.get_template(item.template)
    text = _guarded(lambda: template.render(planned.context), source, planned.label)
    kind = pack.type if pack.type in ("python", "yaml", "toml", "json") else None
    return Rendered(planned.path, text.encode("utf-8"), source, True, pack.braces, planned.label, kind)


def render_all(planned: Sequence[Planned]) -> list[Rendered]:
    return [render(p) for p in planned]


def _render_string(env: Environment, source: str, context: Mapping[str, Any], where: str) -> str:
    return _guarded(lambda: _compiled(env, source).render(context), where, "")


@functools.lru_cache(maxsize=1024)
def _compiled(env: Environment, source: str) -> Any:
    # Path patterns and derived values: compiled once, rendered once per item (1,000 in a batch).
    return env.from_string(source)


def _guarded(call: Any, where: str, label: str) -> str:
    from jinja2 import TemplateError

    try:
        return str(call())
    except TemplateError as exc:
        line = _template_line(exc, where)
        prefix = f"{label}: " if label and not where.startswith(label + "/") else ""
        raise BadInput(f"{prefix}{where}:{line}: {exc.message or type(exc).__name__}") from None
    except (TypeError, ValueError) as exc:  # a filter given a value it cannot write
        line = _template_line(exc, where)
        prefix = f"{label}: " if label and not where.startswith(label + "/") else ""
        raise BadInput(f"{prefix}{where}:{line}: {exc}") from None


def _template_line(exc: BaseException, where: str) -> int:
    lineno = getattr(exc, "lineno", None)
    if lineno:
        return int(lineno)
    filename = where.split("/", 1)[-1]
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(filename) or frame.filename == "<template>":
            return frame.lineno or 1
    return 1


__all__ = [
    "PackError",
    "Planned",
    "Rendered",
    "analyse",
    "environment",
    "plan_paths",
    "prepare",
    "render",
    "render_all",
    "used_names",
]
