"""Clone classes as template packs and batch_create instances, checked through the real loaders.

For each class with a template: ``DIR/<pack>/template.yaml`` and ``fragment.py.j2`` (the templates
issue's format), and ``DIR/instances/<pack>-<n>.yaml``, one batch_create instance per member that
writes that member's code to ``DIR/regenerated/<module>.py``. Before anything is written, every
pack is loaded with ``template_packs.load``, every instance with ``instances.load``, and every
member rendered through ``templates``: a pack is kept only when each member comes back as the same
syntax tree.
"""

from __future__ import annotations

import ast
import keyword
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hookwright.clones.classes import CloneClass
from hookwright.clones.hole_variables import schema
from hookwright.errors import BadInput
from hookwright.templates.filters import snake

FRAGMENT = "fragment.py.j2"
INSTANCES = "instances"
REGENERATED = "regenerated"
_MODULE_PART = re.compile(r"[^a-z0-9_]+")
# A regenerated member is a fragment of its module: the names it uses may live elsewhere.
FRAGMENT_HEADER = (
    "# A fragment regenerated from a clone class (hookwright patterns extract): names it uses may be\n"
    "# defined in the module it came from.\n"
    "# ruff: noqa: F401, F811, F821, F841\n"
)


@dataclass
class Emission:
    files: dict[str, bytes] = field(default_factory=dict)  # repository-relative path -> content
    packs: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (pack, why)


def pack_name(rank: int, clone: CloneClass) -> str:
    stem = snake(clone.names[0])[:40] if clone.names and clone.names[0] else ""
    return f"clone_{rank:03d}" + (f"_{stem}" if stem else "")


def module_names(clone: CloneClass, name: str) -> list[str]:
    """A distinct module name per member, from its file and definition: ``users_get_user``."""
    found: list[str] = []
    for index, member in enumerate(clone.members):
        stem = Path(member.path).stem
        own = clone.names[index] if index < len(clone.names) else ""
        text = _MODULE_PART.sub("_", f"{stem}_{snake(own) if own else member.start_line}".lower()).strip("_")
        if not text or text[0].isdigit() or keyword.iskeyword(text):
            text = f"m_{text}"
        text = text[:60]
        while text in found:
            text += f"_{index + 1}"
        found.append(text)
    return found or [name]


def pack_files(clone: CloneClass, name: str, emit_dir: str) -> dict[str, bytes]:
    template = clone.template
    assert template is not None
    modules = module_names(clone, name)
    where = ", ".join(f"{m.path}:{m.start_line}-{m.end_line}" for m in clone.members[:5])
    more = f" and {len(clone.members) - 5} more" if len(clone.members) > 5 else ""
    properties: dict[str, Any] = {
        "module": {"type": "string", "format": "module", "description": "the output file's module name"}
    }
    properties.update({v.name: schema(v) for v in template.variables})
    definition = {
        "name": name,
        "type": "python" if template.compiles else "text",
        "description": (
            f"{clone.type} clone class of {len(clone.members)} members ({clone.lines} lines): {where}{more}."
        ),
        "braces": template.braces,
        "files": [{"template": FRAGMENT, "path": "{{ module }}.py" + ("" if template.compiles else ".txt")}],
        "variables": {
            "type": "object",
            "additionalProperties": False,
            "required": list(properties),
            "properties": properties,
        },
    }
    header = FRAGMENT_HEADER if template.compiles else ""
    files = {
        f"{emit_dir}/{name}/template.yaml": _yaml(definition),
        f"{emit_dir}/{name}/{FRAGMENT}": (header + template.text).encode("utf-8"),
    }
    for index, (member, module) in enumerate(zip(clone.members, modules, strict=True)):
        instance = {
            "schema_version": "1",
            "pattern": "batch_create",
            "id": f"{name}-{index + 1}",
            "description": (
                f"Regenerates {member.path}:{member.start_line}-{member.end_line} (member {index + 1} of "
                f"{len(clone.members)}) from the template {name}."
            ),
            "inputs": {
                "templates": [emit_dir],
                "items": [
                    {
                        "template": name,
                        "variables": {"module": module, **template.bindings[index]},
                        "target": f"{emit_dir}/{REGENERATED}",
                    }
                ],
            },
        }
        files[f"{emit_dir}/{INSTANCES}/{name}-{index + 1}.yaml"] = _yaml(instance)
    return files


def _yaml(data: dict[str, Any]) -> bytes:
    import yaml

    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100).encode("utf-8")


def verify(clone: CloneClass, name: str, emit_dir: str, files: dict[str, bytes]) -> str | None:
    """Why the pack does not regenerate every member through the real loaders, or None when it does."""
    from hookwright import instances
    from hookwright.templates import packs as template_packs
    from hookwright.templates import render as templates

    with tempfile.TemporaryDirectory(prefix="hookwright-packs-") as scratch:
        root = Path(scratch)
        for relpath, data in files.items():
            target = root / relpath
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            pack = template_packs.load(root / emit_dir / name)
            for index, statements in enumerate(clone.statements):
                path = root / emit_dir / INSTANCES / f"{name}-{index + 1}.yaml"
                item = instances.load(path, root=root).inputs["items"][0]
                label = f"member {index + 1}"
                context, problems = templates.prepare(pack, item["variables"], label)
                if problems:
                    return f"{label}: {problems[0]}"
                planned, problems = templates.plan_paths(pack, context, item["target"], label)
                if problems:
                    return f"{label}: {problems[0]}"
                text = templates.render(planned[0]).data.decode("utf-8")
                if ast.dump(ast.parse(text)) != ast.dump(ast.Module(body=list(statements), type_ignores=[])):
                    return f"{label} does not come back as the same code"
        except BadInput as exc:
            return str(exc).splitlines()[0]
        except (SyntaxError, ValueError, RecursionError) as exc:
            return f"the rendered code does not parse: {exc}"
    return None


def emit(classes: Sequence[CloneClass], emit_dir: str) -> Emission:
    """The files of every class that makes a template and survives verification."""
    emission = Emission()
    rank = 0
    for clone in classes:
        rank += 1
        if clone.template is None:
            continue
        name = pack_name(rank, clone)
        try:
            files = pack_files(clone, name, emit_dir)
        except (ValueError, UnicodeError) as exc:  # a binding YAML cannot hold
            emission.dropped.append((name, str(exc)))
            continue
        problem = verify(clone, name, emit_dir, files)
        if problem is not None:
            emission.dropped.append((name, problem))
            continue
        emission.files.update(files)
        emission.packs.append(name)
    from hookwright.templates import render as templates

    # Each pack was checked from its own scratch folder: their cached environments are useless now.
    templates.environment.cache_clear()
    return emission
