"""docs/configuration.md is generated from the schema and kept current; every example in it is a valid
configuration file, every key has a meaning, and every default the code uses is documented."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml
from conftest import ROOT, write

from hookwright import config, validation

SCRIPT = ROOT / "scripts" / "config_reference.py"


@pytest.fixture(scope="module")
def reference() -> ModuleType:
    spec = importlib.util.spec_from_file_location("config_reference", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _keys(reference: ModuleType, folder: Path = ROOT / "schemas") -> list[Any]:
    schemas = reference.Schemas(folder)
    return list(schemas.keys(schemas.document("config.schema.json"), "config.schema.json"))


def test_the_reference_is_current() -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--check"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr + "(run: python scripts/config_reference.py)"


def test_every_example_is_a_whole_valid_configuration(reference: ModuleType, tmp_path: Path) -> None:
    keys = _keys(reference)
    items = {
        k.path: reference.Key(
            k.path, reference.Schemas(ROOT / "schemas").expand(k.node["items"], k.node["$file"])
        )
        for k in keys
        if k.node.get("type") == "array" and "$file" in k.node
    }
    documented = (ROOT / "docs" / "configuration.md").read_text()
    for key in keys:
        if key.node.get("properties") or items.get(key.path, reference.Key((), {})).node.get("properties"):
            continue  # a section, not a key with a value
        example = reference.example_document(key, items)
        assert validation.schema_issues("config", example) == [], (key.path, example)
        write(tmp_path / ".hookwright.yaml", yaml.safe_dump(example))
        config.load(tmp_path)  # the loader takes it as well (strict YAML, merge over the defaults)
        assert f"| `{key.path[-1]}` |" in documented and key.node["description"], key.path


def _leaves(data: Mapping[str, Any], path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    for name, value in data.items():
        if isinstance(value, Mapping) and value:
            yield from _leaves(value, (*path, name))
        else:
            yield (*path, name)


def test_every_default_the_code_uses_is_a_documented_key(reference: ModuleType) -> None:
    documented = {key.path for key in _keys(reference)}
    missing = [path for path in _leaves(config.DEFAULT) if path not in documented]
    assert missing == [], "in lib/config.py's DEFAULT but not in schemas/config.schema.json"


def test_a_new_key_in_the_schema_makes_the_reference_stale(reference: ModuleType, tmp_path: Path) -> None:
    folder = tmp_path / "schemas"
    shutil.copytree(ROOT / "schemas", folder)
    schema = json.loads((folder / "config.schema.json").read_text())
    schema["properties"]["records"]["properties"]["compress"] = {"type": "boolean"}
    (folder / "config.schema.json").write_text(json.dumps(schema))
    with pytest.raises(SystemExit, match="/records/compress: add a `description`"):
        reference.render(reference.Schemas(folder))
    schema["properties"]["records"]["properties"]["compress"].update(
        description="Gzip each record.", examples=[True]
    )
    (folder / "config.schema.json").write_text(json.dumps(schema))
    text = reference.render(reference.Schemas(folder))
    assert "| `compress` | boolean | not set | Gzip each record. | `records: {compress: true}` |" in text
    assert text != (ROOT / "docs" / "configuration.md").read_text()


def test_defaults_the_schema_states_agree_with_the_code(reference: ModuleType) -> None:
    """Defaults that live in code rather than in DEFAULT: the hooks' built-in steps, a command's options."""
    from hookwright.checks.command import CommandCheck
    from hookwright.commands.hook import BUILTIN

    keys = {key.path: key for key in _keys(reference)}
    for stage, steps in BUILTIN.items():
        assert reference.default_of(keys[("hooks", stage)]) == steps, stage
    command = {name: reference.default_of(keys[("commands", "[]", name)]) for name in ("timeout", "severity")}
    assert command == {"timeout": CommandCheck.default_timeout, "severity": "error"}
