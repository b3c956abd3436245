"""A pack's ``variables``: a JSON Schema for an object whose property names are identifiers."""

from __future__ import annotations

from typing import TYPE_CHECKING

from hookwright.templates.packs import PACK_FILE, Pack

if TYPE_CHECKING:
    from hookwright import strict_yaml


def schema_problems(pack: Pack, document: strict_yaml.Document) -> list[str]:
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
