"""Pattern instances: every schema is sound, every example validates and runs, every mutant is refused."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, git, hookwright, write
from jsonschema import Draft202012Validator

from hookwright import schema_registry
from hookwright.commands import table as cli
from hookwright.instances import PATTERNS

EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
PATTERN_SCHEMAS = [p for p in PATTERNS if (ROOT / "schemas" / f"{p}.schema.json").exists()]


@pytest.mark.parametrize("name", schema_registry.schema_names())
def test_every_schema_is_valid_against_the_2020_12_metaschema(name: str) -> None:
    schema = schema_registry.load_schema(name)
    Draft202012Validator.check_schema(schema)
    # No `$id`: every reference resolves against the file's own location, so the files work offline.
    assert "$id" not in schema


@pytest.mark.parametrize("pattern", PATTERN_SCHEMAS)
def test_every_pattern_schema_has_inputs_and_closed_outputs(pattern: str) -> None:
    defs = schema_registry.load_schema(pattern)["$defs"]
    assert {"inputs", "outputs"} <= set(defs)
    assert defs["outputs"].get("unevaluatedProperties") is False
    assert defs["outputs"]["$ref"] == "common.schema.json#/$defs/report"


def test_every_object_in_every_schema_is_closed() -> None:
    def objects(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
        if isinstance(node, dict):
            if "properties" in node:
                yield where, node
            for key, value in node.items():
                yield from objects(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                yield from objects(value, f"{where}/{index}")

    open_objects = []
    for name in schema_registry.schema_names():
        for where, node in objects(schema_registry.load_schema(name), name):
            composed = "$ref" in node or "allOf" in node
            closed = node.get("additionalProperties") is False or node.get("unevaluatedProperties") is False
            # Conditions (if/then/else/not) constrain an object closed elsewhere; a $def that others
            # compose ($ref + unevaluatedProperties) is closed where it is used.
            parts = where.split("/")
            partial = parts[-1] in ("if", "then", "else", "not") or (
                len(parts) > 1 and parts[-2] in ("oneOf", "anyOf", "allOf") and "type" not in node
            )
            if not (closed or composed or partial or where.endswith(("/common_check", "/report"))):
                open_objects.append(where)
    assert not open_objects


def test_there_is_an_example_for_every_pattern() -> None:
    patterns = {yaml.safe_load(p.read_text())["pattern"] for p in EXAMPLES}
    assert set(PATTERN_SCHEMAS) <= patterns


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_validates(example: Path, committed_repo: Path) -> None:
    first = example.read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schemas/instance.schema.json"
    result = hookwright("validate", str(example), cwd=committed_repo)
    assert result.returncode == 0, result.stderr


def test_the_verify_commit_example_runs_and_records(committed_repo: Path) -> None:
    write(committed_repo / "pkg" / "new.py", "VALUE = 1  # TODO(#7) keep\n")
    git(committed_repo, "add", ".")
    example = ROOT / "examples" / "verify_commit.yaml"
    result = hookwright("run", str(example), "--format", "json", cwd=committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    report = json.loads(result.stdout)
    assert report["instance_id"] == "staged-quick-check"
    records = list((committed_repo / ".git" / "hookwright" / "records").glob("*.json"))
    assert len(records) == 1
    dry = hookwright("run", "--dry-run", str(example), cwd=committed_repo)
    assert dry.returncode == 0
    assert len(list((committed_repo / ".git" / "hookwright" / "records").glob("*.json"))) == 1


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_runs_in_a_fresh_repository_and_records(example: Path, committed_repo: Path) -> None:
    result = hookwright("run", str(example), cwd=committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    records = list((committed_repo / ".git" / "hookwright" / "records").glob("*.json"))
    assert len(records) == 1  # and the autouse fixture validates it against the pattern's outputs
    assert json.loads(records[0].read_text())["instance_id"] == yaml.safe_load(example.read_text()).get("id")


# -- mutants ---------------------------------------------------------------------------------------


def _resolve(schema: dict[str, Any], file: str) -> tuple[dict[str, Any], str]:
    """Follow $ref (and the first non-null branch of a oneOf/anyOf) to the schema that types a value."""
    nullable = False
    for _ in range(10):
        branches = schema.get("oneOf") or schema.get("anyOf")
        if branches and "$ref" not in schema:
            nullable = nullable or any(b.get("type") == "null" for b in branches)
            schema = next((b for b in branches if b.get("type") != "null"), branches[0])
            continue
        if "$ref" not in schema:
            break
        ref_file, _, pointer = schema["$ref"].partition("#")
        file = ref_file.removesuffix(".schema.json") if ref_file else file
        target: Any = schema_registry.load_schema(file)
        for part in pointer.strip("/").split("/"):
            target = target[part]
        local = {k: v for k, v in schema.items() if k != "$ref"}
        schema = {
            **target,
            **local,
            "properties": {**target.get("properties", {}), **local.get("properties", {})},
        }
        schema.setdefault("required", target.get("required", []))
    if nullable:
        schema = {**schema, "type": [schema.get("type", "string"), "null"]}
    return schema, file


def _wrong_type(value: Any) -> Any:
    if isinstance(value, bool):
        return "maybe"
    if isinstance(value, int | float):
        return "a string"
    if isinstance(value, str):
        return 12345
    if isinstance(value, list):
        return {"not": "a list"}
    if isinstance(value, dict):
        return ["not", "a mapping"]
    return 3.5


def mutants(pattern: str, inputs: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Single-field mutants of ``inputs``, each invalid under the pattern's schema by construction."""
    root = schema_registry.load_schema(pattern)["$defs"]["inputs"]
    stack: list[tuple[list[Any], Any, dict[str, Any], str]] = [([], inputs, root, pattern)]
    while stack:
        path, value, schema, file = stack.pop()
        schema, file = _resolve(schema, file)
        where = "/" + "/".join(map(str, path))

        def at(new_value: Any, *, drop: bool = False, _path: list[Any] = path) -> dict[str, Any]:
            mutant = copy.deepcopy(inputs)
            parent = mutant
            for part in _path[:-1]:
                parent = parent[part]
            if not _path:
                return new_value
            if drop:
                del parent[_path[-1]]
            else:
                parent[_path[-1]] = new_value
            return mutant

        if isinstance(value, dict):
            # A free-form mapping (a template's variables) is open by design: no extra-key mutant.
            if "properties" in schema or schema.get("additionalProperties") is False:
                yield f"{where}: extra key", at({**value, "unexpected_key": 1})
            for key in schema.get("required", []):
                if key in value:
                    yield f"{where}/{key}: dropped", at(None, drop=True, _path=[*path, key])
            for key, child in value.items():
                sub = schema.get("properties", {}).get(key)
                if sub is not None:
                    stack.append(([*path, key], child, sub, file))
        elif isinstance(value, list):
            items = schema.get("items")
            if isinstance(items, dict):
                for index, child in enumerate(value):
                    stack.append(([*path, index], child, items, file))
        if path:
            types = schema.get("type")
            nullable = types is None or "null" in (types if isinstance(types, list) else [types])
            if not nullable:
                yield f"{where}: wrong type", at(_wrong_type(value))
                yield f"{where}: null", at(None)
            if "enum" in schema:
                yield f"{where}: bad enum", at("not-a-valid-choice")
            if "const" in schema:
                yield f"{where}: not the constant", at(f"{schema['const']}-other")
            if "pattern" in schema and isinstance(value, str):
                yield f"{where}: breaks pattern", at("\n\0 bad value")
            if "minimum" in schema and isinstance(value, int | float) and not isinstance(value, bool):
                yield f"{where}: below minimum", at(schema["minimum"] - 1)
            if "maximum" in schema and isinstance(value, int | float) and not isinstance(value, bool):
                yield f"{where}: above maximum", at(schema["maximum"] + 1)
            if schema.get("minLength", 0) >= 1 and isinstance(value, str):
                yield f"{where}: empty string", at("")
            if schema.get("minItems", 0) >= 1 and isinstance(value, list):
                yield f"{where}: empty list", at([])
            if schema.get("uniqueItems") and isinstance(value, list) and value:
                yield f"{where}: duplicate item", at([*value, value[0]])


def _examples_with_schemas() -> list[Path]:
    return [p for p in EXAMPLES if yaml.safe_load(p.read_text())["pattern"] in PATTERN_SCHEMAS]


@pytest.mark.parametrize("example", _examples_with_schemas(), ids=lambda p: p.stem)
def test_fifty_single_field_mutants_are_each_refused(
    example: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    document = yaml.safe_load(example.read_text())
    envelope = [
        ("schema_version: dropped", {k: v for k, v in document.items() if k != "schema_version"}),
        ("schema_version: newer", {**document, "schema_version": "2"}),
        ("schema_version: a number", {**document, "schema_version": 1}),
        ("pattern: unknown", {**document, "pattern": "make_coffee"}),
        ("envelope: extra key", {**document, "extra": True}),
        ("inputs: a list", {**document, "inputs": []}),
        ("id: not an identifier", {**document, "id": "has spaces"}),
    ]
    cases = envelope + [
        (label, {**document, "inputs": m}) for label, m in mutants(document["pattern"], document["inputs"])
    ]
    assert len(cases) >= 50, f"only {len(cases)} mutants from {example.name}: make the example richer"
    monkeypatch.chdir(tmp_path)
    for index, (label, mutant) in enumerate(cases):
        path = tmp_path / f"mutant-{index}.yaml"
        path.write_text(yaml.safe_dump(mutant, sort_keys=False))
        code = cli.main(["validate", str(path)])
        err = capsys.readouterr().err
        assert code == 2, f"mutant accepted: {label}"
        assert err.startswith("hookwright: error: ") and err.count("\n") == 1, (label, err)
        assert "Traceback" not in err


# -- bad input table -------------------------------------------------------------------------------

GOOD = 'schema_version: "1"\npattern: verify_commit\ninputs:\n  target: {mode: staged}\n'


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param("", "empty document", id="empty-file"),
        pytest.param("- 1\n- 2\n", "top level must be a mapping", id="list-at-top"),
        pytest.param("just a string\n", "top level must be a mapping", id="scalar-at-top"),
        pytest.param(
            'schema_version: "1"\npattern: brew\ninputs: {}\n',
            "unknown pattern 'brew'; valid: verify_commit",
            id="unknown-pattern",
        ),
        pytest.param("pattern: verify_commit\ninputs: {}\n", "missing schema_version", id="missing-version"),
        pytest.param(
            'schema_version: "9"\npattern: verify_commit\ninputs: {}\n',
            "newer than this hookwright reads",
            id="newer-version",
        ),
        pytest.param(GOOD + "inputs: {}\n", "duplicate key 'inputs'", id="duplicate-keys"),
        pytest.param(
            GOOD + "  cache: yes\n", "/inputs/cache: 'yes' is not of type 'boolean'", id="yaml11-boolean"
        ),
        pytest.param(GOOD + "\tcache: true\n", "cannot start any token", id="tabs"),
        pytest.param(
            b'schema_version: "1"\npattern: verify_commit\ninputs: {config: "caf\xe9"}\n',
            "not UTF-8",
            id="non-utf8",
        ),
        pytest.param(GOOD + "# " + "x" * (5 * 1024 * 1024) + "\n", "over the", id="huge-file"),
        pytest.param(
            "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
            "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
            "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
            "alias bomb",
            id="alias-bomb",
        ),
        pytest.param(
            GOOD + "  jobs: !!python/object/apply:os.system [id]\n",
            "tag not allowed: !!python/object/apply:os.system",
            id="python-tag",
        ),
        pytest.param(
            GOOD + "  config: ../outside.yaml\n", "'..' would leave the repository", id="dotdot-path"
        ),
        pytest.param(
            GOOD + "  config: /etc/hookwright.yaml\n", "absolute paths are not allowed", id="absolute-path"
        ),
        pytest.param(GOOD + "  config: escape/x.yaml\n", "goes through a symlink", id="symlink-out"),
        pytest.param(GOOD + "  config: -rf.yaml\n", "does not start with '-'", id="leading-dash"),
        pytest.param(GOOD + '  config: "a\\nb.yaml"\n', "invalid path", id="newline-in-path"),
        pytest.param(GOOD + '  config: "a\\0b.yaml"\n', "invalid path", id="nul-in-path"),
        pytest.param(
            'schema_version: "1"\npattern: verify_commit\ninputs: {}\n---\nmore: 1\n',
            "several YAML documents",
            id="two-documents",
        ),
    ],
)
def test_bad_instances_are_one_line_and_exit_2(
    committed_repo: Path, tmp_path: Path, content: str | bytes, expected: str
) -> None:
    (committed_repo / "escape").symlink_to(tmp_path)
    path = committed_repo / "instance.yaml"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    for command in ("validate", "run"):
        result = hookwright(command, "instance.yaml", cwd=committed_repo)
        assert result.returncode == 2, (command, result.stdout, result.stderr)
        assert result.stderr.startswith("hookwright: error: instance.yaml")
        assert result.stderr.count("\n") == 1, result.stderr
        assert expected in result.stderr, result.stderr
    assert not (committed_repo / ".git" / "hookwright" / "records").exists()


def test_an_instance_path_that_is_a_directory(committed_repo: Path) -> None:
    (committed_repo / "dir.yaml").mkdir()
    result = hookwright("validate", "dir.yaml", cwd=committed_repo)
    assert result.returncode == 2
    assert result.stderr == "hookwright: error: dir.yaml: is a directory, not a file\n"


def test_all_errors_lists_each_with_its_position(committed_repo: Path) -> None:
    write(committed_repo / "i.yaml", GOOD + "  cache: yes\n  jobs: many\n  bogus: 1\n")
    result = hookwright("validate", "--all-errors", "i.yaml", cwd=committed_repo)
    assert result.returncode == 2
    lines = [line for line in result.stderr.splitlines() if ": /inputs/" in line]
    assert {line.removeprefix("hookwright: error: ").split(": ")[0] for line in lines} >= {
        "i.yaml:5:3",
        "i.yaml:6:3",
        "i.yaml:7:3",
    }


def test_json_instances_are_read_strictly_too(committed_repo: Path) -> None:
    write(
        committed_repo / "i.json",
        '{"schema_version": "1", "pattern": "verify_commit", "inputs": {"cache": "no"}}',
    )
    result = hookwright("validate", "i.json", cwd=committed_repo)
    assert result.returncode == 2
    assert "i.json:1:" in result.stderr and "/inputs/cache" in result.stderr
    write(
        committed_repo / "d.json",
        '{"schema_version": "1", "schema_version": "1", "pattern": "verify_commit", "inputs": {}}',
    )
    assert "duplicate key" in hookwright("validate", "d.json", cwd=committed_repo).stderr


def test_schema_command_prints_and_lists(committed_repo: Path) -> None:
    listing = hookwright("schema", cwd=committed_repo)
    assert "verify_commit" in listing.stdout.split()
    printed = hookwright("schema", "instance", cwd=committed_repo)
    printed_schema = json.loads(printed.stdout)
    assert printed_schema["title"] == "hookwright pattern instance"
    assert "verify_commit.inputs" in printed_schema["$defs"], "printed alone, it carries what it refers to"
    assert hookwright("schema", "nope", cwd=committed_repo).returncode == 2


def test_a_pattern_without_an_executor_is_named_not_pretended(
    committed_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from hookwright.commands import instances as instances_cli
    from hookwright.errors import BadInput

    with pytest.raises(BadInput, match="has no executor"):
        instances_cli.executor("no_such_pattern")


@pytest.fixture
def copy_of_examples(tmp_path: Path) -> Path:
    target = tmp_path / "examples"
    shutil.copytree(ROOT / "examples", target)
    return target
