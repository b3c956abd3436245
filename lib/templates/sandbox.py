"""The jinja2 sandbox a pack renders in: immutable, StrictUndefined, pure filters only; its errors located.

jinja2 is imported inside the functions that need it; it costs ~40 ms and hooks start often.
"""

from __future__ import annotations

import functools
import traceback
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput
from hookwright.templates.filters import FILTERS
from hookwright.templates.packs import Pack

if TYPE_CHECKING:
    from jinja2 import Environment

# jinja2's own filters that are pure functions of their arguments; the rest (attr, xmlattr, urlize,
# pprint...) are left out so that what a template can do stays easy to read.
_JINJA_FILTERS = (
    "join", "length", "count", "first", "last", "replace", "trim", "title", "capitalize", "indent",
    "default", "d", "sort", "unique", "list", "string", "int", "float", "abs", "round", "dictsort",
    "items", "map", "select", "reject", "selectattr", "rejectattr", "min", "max", "sum", "reverse",
    "wordwrap", "center", "batch", "slice", "format",
)  # fmt: skip


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


def render_string(env: Environment, source: str, context: Mapping[str, Any], where: str) -> str:
    return guarded(lambda: _compiled(env, source).render(context), where, "")


@functools.lru_cache(maxsize=1024)
def _compiled(env: Environment, source: str) -> Any:
    # Path patterns and derived values: compiled once, rendered once per item (1,000 in a batch).
    return env.from_string(source)


def guarded(call: Any, where: str, label: str) -> str:
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
