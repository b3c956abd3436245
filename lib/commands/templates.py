"""``hookwright templates``: list the packs (and where each comes from), show one, or its variables."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright import output
from hookwright.errors import GitError
from hookwright.git.repo import Repo
from hookwright.templates import pack_registry


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = sub.add_parser("list", help="every pack: name, origin, description")
    show = sub.add_parser("show", help="a pack's files and output paths")
    show.add_argument("name")
    variables = sub.add_parser("vars", help="a pack's variables: type, default, required, description")
    variables.add_argument("name")
    for child in (listing, show, variables):
        child.add_argument("--templates", "-t", action="append", default=[], metavar="DIR")
        child.add_argument("--config", "-c")
        child.add_argument("--format", "-f", choices=("text", "json"), default="text")
        child.error = parser.error  # type: ignore[method-assign]


def _root_and_config(config_file: str | None) -> tuple[Path, list[str]]:
    """The repository and its configured template folders; outside one, the built-ins (and -t)."""
    try:
        root = Repo.discover().root
    except GitError:
        return Path.cwd(), []
    return root, pack_registry.configured_dirs(root, config_file)


def _type(schema: Mapping[str, Any]) -> str:
    if "enum" in schema:
        return " | ".join(map(str, schema["enum"]))
    kind = schema.get("type", "any")
    text = " | ".join(kind) if isinstance(kind, list) else str(kind)
    if schema.get("format"):
        text += f" ({schema['format']})"
    return text


def run_from_args(args: argparse.Namespace) -> int:
    root, configured = _root_and_config(args.config)
    reg = pack_registry.registry(root, args.templates, configured)
    if args.action == "list":
        entries = reg.entries()
        if args.format == "json":
            rows = [
                {"name": e.name, "origin": e.origin, "description": e.description, "overrides": e.overrides}
                for e in entries
            ]
            output.write(json.dumps(rows, indent=2) + "\n")
            return 0
        width = max((len(e.name) for e in entries), default=4)
        for entry in entries:
            note = f" (overrides {entry.overrides})" if entry.overrides else ""
            output.write_line(f"{entry.name:<{width}}  {entry.origin}{note}: {entry.description}")
        return 0
    pack = reg.get(args.name)
    if args.action == "show":
        if args.format == "json":
            data = {
                "name": pack.name,
                "type": pack.type,
                "origin": pack.origin,
                "description": pack.description,
                "braces": pack.braces,
                "files": [{"template": f.template, "path": f.path} for f in pack.files],
                "derived": dict(pack.derived),
            }
            output.write(json.dumps(data, indent=2) + "\n")
            return 0
        output.write_line(f"{pack.name} ({pack.type}, {pack.origin}): {pack.description}")
        for item in pack.files:
            output.write_line(f"  {item.template} -> {item.path}")
        for name, expression in pack.derived.items():
            output.write_line(f"  derived {name} = {expression}")
        return 0
    properties = pack.variables.get("properties", {})
    required = set(pack.variables.get("required", []))
    if args.format == "json":
        output.write(
            json.dumps({"variables": pack.variables, "derived": dict(pack.derived)}, indent=2) + "\n"
        )
        return 0
    for name, schema in properties.items():
        flag = "required" if name in required else f"default {json.dumps(schema.get('default'))}"
        description = f"  {schema['description']}" if schema.get("description") else ""
        output.write_line(f"{name}: {_type(schema)}, {flag}{description}")
    return 0
