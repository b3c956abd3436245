"""Validate data against the package's JSON Schemas, files by their syntax, and a project's tools.

Everything here returns Findings or raises SchemaError with ``FILE:LINE:COL: /pointer: message``.
jsonschema is imported only when a schema is actually checked: it costs ~50 ms at start-up.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import importlib.util
import json
import re
import shutil
import warnings
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from hookwright.errors import BadInput, SchemaError
from hookwright.reporting import Finding

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

    from hookwright.strict_yaml import Document

SCHEMA_BASE = "https://hookwright.dev/schemas/"


# -- schemas -----------------------------------------------------------------------------------------


def schema_names() -> list[str]:
    files = resources.files("hookwright.schemas").iterdir()
    return sorted(f.name.removesuffix(".schema.json") for f in files if f.name.endswith(".schema.json"))


@functools.cache
def load_schema(name: str) -> dict[str, Any]:
    resource = resources.files("hookwright.schemas") / f"{name}.schema.json"
    if not resource.is_file():
        raise BadInput(f"unknown schema {name!r}; known: {', '.join(schema_names())}")
    return json.loads(resource.read_text(encoding="utf-8"))


@functools.cache
def _registry() -> Any:
    from referencing import Registry, Resource

    resources_ = [Resource.from_contents(load_schema(n)) for n in schema_names()]
    return Registry().with_resources((r.id(), r) for r in resources_ if r.id())


_REPOSITORY: contextvars.ContextVar[Path | None] = contextvars.ContextVar(
    "hookwright_repository", default=None
)


@contextlib.contextmanager
def paths_inside(root: Path | None) -> Iterator[None]:
    """While validating, ``relpath`` values must also stay inside ``root`` on disk (no symlink escape)."""
    token = _REPOSITORY.set(root)
    try:
        yield
    finally:
        _REPOSITORY.reset(token)


def _relpath_ok(value: object) -> bool:
    from hookwright.transactions import resolve_inside, safe_relpath

    if not isinstance(value, str):
        return True
    safe_relpath(value)
    root = _REPOSITORY.get()
    if root is not None:
        resolve_inside(root, value)
    return True


@functools.cache
def _format_checker() -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    from hookwright.errors import PathEscape

    checker = FormatChecker(formats=Draft202012Validator.FORMAT_CHECKER.checkers)
    checker.checks("relpath", raises=PathEscape)(_relpath_ok)
    return checker


@functools.cache
def validator(name: str, definition: str | None = None) -> Validator:
    """A compiled validator for a schema (or one of its ``$defs``), built once per process."""
    from jsonschema import Draft202012Validator

    root = load_schema(name)
    schema: dict[str, Any] = root
    if definition is not None:
        if definition not in root.get("$defs", {}):
            raise BadInput(f"schema {name!r} has no definition {definition!r}")
        schema = {"$ref": f"{root['$id']}#/$defs/{definition}"}
    return Draft202012Validator(schema, registry=_registry(), format_checker=_format_checker())


@dataclass(frozen=True)
class SchemaIssue:
    pointer: str
    message: str


def _pointer(path: Iterable[Any]) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def _properties(schema: Mapping[str, Any]) -> set[str]:
    """Property names a schema allows, following ``$ref`` into the package's schemas."""
    names = set(schema.get("properties", {}))
    ref = schema.get("$ref")
    if isinstance(ref, str) and "#/$defs/" in ref:
        file, _, definition = ref.partition("#/$defs/")
        candidates = [file.removesuffix(".schema.json")] if file else schema_names()
        for candidate in candidates:
            target = load_schema(candidate).get("$defs", {}).get(definition)
            if target is not None:
                names |= _properties(target)
                break
    return names


def _message(error: Any) -> str:
    if error.validator in ("additionalProperties", "unevaluatedProperties"):
        extra = re.findall(r"'([^']+)'", error.message)
        allowed = sorted(_properties(error.schema))
        names = ", ".join(repr(e) for e in extra) or "a property"
        hint = f" (allowed: {', '.join(allowed)})" if allowed else ""
        return f"unknown key {names}{hint}"
    if error.validator == "format" and error.cause is not None:
        return str(error.cause)
    if error.validator == "pattern" and error.schema.get("format") == "relpath":
        from hookwright.transactions import safe_relpath

        try:
            safe_relpath(error.instance)
        except BadInput as exc:
            return str(exc)
        return f"{error.instance!r} must be a path inside the repository that does not start with '-'"
    if error.validator == "enum":
        return f"{error.instance!r} is not one of {', '.join(map(repr, error.validator_value))}"
    return error.message


def schema_issues(name: str, data: Any, definition: str | None = None) -> list[SchemaIssue]:
    """Every violation, best first."""
    from jsonschema.exceptions import best_match, relevance

    errors = list(validator(name, definition).iter_errors(data))
    if not errors:
        return []
    best = best_match(errors)
    ordered = sorted(errors, key=relevance)
    if best is not None:
        # best_match may descend into a oneOf/anyOf and return a sub-error not in the top list.
        ordered = [best, *(e for e in ordered if e is not best)]
    issues = []
    for error in ordered:
        deepest = error
        # A failed anyOf/oneOf says little; its most relevant sub-error says what to change.
        while deepest.context:
            deepest = best_match(deepest.context) or deepest.context[0]
        pointer = _pointer(deepest.absolute_path)
        if deepest.validator in ("additionalProperties", "unevaluatedProperties"):
            extra = re.findall(r"'([^']+)'", deepest.message)
            if len(extra) == 1:  # point at the unknown key itself, so the line number is its line
                pointer += _pointer(extra)
        issues.append(SchemaIssue(pointer, _message(deepest)))
    return list(dict.fromkeys(issues))


def check_document(
    document: Document,
    name: str,
    definition: str | None = None,
    *,
    data: Any = None,
    base_pointer: str = "",
    all_errors: bool = False,
) -> None:
    """Raise SchemaError naming file, line, column and JSON pointer of the best (or every) error."""
    issues = schema_issues(name, document.data if data is None else data, definition)
    if not issues:
        return
    lines = []
    for issue in issues if all_errors else issues[:1]:
        pointer = base_pointer + issue.pointer
        line, column = document.position(pointer)
        lines.append(f"{document.source}:{line}:{column}: {pointer or '/'}: {issue.message}")
    raise SchemaError("\n".join(lines) if all_errors else lines[0])


# -- syntax, by file type ----------------------------------------------------------------------------

SYNTAX_TYPES = {
    ".py": "python",
    ".pyi": "python",
    ".json": "json",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".toml": "toml",
}


def file_type(path: str) -> str | None:
    dot = path.rfind(".")
    return SYNTAX_TYPES.get(path[dot:].lower()) if dot >= 0 else None


def _decode(path: str, data: bytes) -> str | Finding:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Finding(
            path,
            None,
            None,
            "not-utf8",
            f"not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start})",
        )


def python_syntax(path: str, data: bytes) -> list[Finding]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SyntaxWarnings (invalid escapes) are lint's business
        try:
            compile(data, path, "exec", dont_inherit=True)
        except SyntaxError as exc:
            kind = type(exc).__name__
            return [Finding(path, exc.lineno, exc.offset, kind, exc.msg)]
        except ValueError as exc:  # source code string cannot contain null bytes
            return [Finding(path, None, None, "SyntaxError", str(exc))]
        except (RecursionError, MemoryError):
            return [Finding(path, None, None, "SyntaxError", "nested too deeply for the compiler")]
    return []


def json_syntax(path: str, data: bytes) -> list[Finding]:
    text = _decode(path, data)
    if isinstance(text, Finding):
        return [text]
    try:
        json.loads(text)
    except json.JSONDecodeError as exc:
        return [Finding(path, exc.lineno, exc.colno, "json", exc.msg)]
    except RecursionError:
        return [Finding(path, None, None, "json", "nested too deeply")]
    return []


def _yaml_duplicates(node: Any, path: str) -> list[Finding]:
    import yaml

    found = []
    stack = [node]
    seen: set[int] = set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, yaml.MappingNode):
            keys: set[str] = set()
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode) and key.tag != "tag:yaml.org,2002:merge":
                    if key.value in keys:
                        mark = key.start_mark
                        found.append(
                            Finding(
                                path,
                                mark.line + 1,
                                mark.column + 1,
                                "yaml",
                                f"duplicate key {key.value!r}",
                            )
                        )
                    keys.add(key.value)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return found


def yaml_syntax(path: str, data: bytes) -> list[Finding]:
    import yaml

    text = _decode(path, data)
    if isinstance(text, Finding):
        return [text]
    loader_class = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    findings: list[Finding] = []
    try:
        # Composing checks the syntax of every document without building objects: custom tags
        # (CloudFormation's !Ref) are fine and aliases are never expanded.
        for node in yaml.compose_all(text, Loader=loader_class):
            if node is not None:
                findings.extend(_yaml_duplicates(node, path))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (None, None)
        findings.append(Finding(path, line, column, "yaml", exc.problem or exc.context or "invalid YAML"))
    except yaml.YAMLError as exc:
        findings.append(Finding(path, None, None, "yaml", str(exc)))
    except RecursionError:
        findings.append(Finding(path, None, None, "yaml", "nested too deeply"))
    return findings


def toml_syntax(path: str, data: bytes) -> list[Finding]:
    from hookwright import tomlfile

    text = _decode(path, data)
    if isinstance(text, Finding):
        return [text]
    try:
        tomlfile.loads(text)
    except tomlfile.TOMLDecodeError as exc:
        message = str(exc)
        where = re.search(r"\(at line (\d+), column (\d+)\)", message)
        if where:
            message = message[: where.start()].strip()
            return [Finding(path, int(where.group(1)), int(where.group(2)), "toml", message)]
        return [Finding(path, None, None, "toml", message)]
    return []


SYNTAX_VALIDATORS = {
    "python": python_syntax,
    "json": json_syntax,
    "yaml": yaml_syntax,
    "toml": toml_syntax,
}


def syntax_findings(path: str, data: bytes) -> list[Finding]:
    kind = file_type(path)
    return SYNTAX_VALIDATORS[kind](path, data) if kind else []


_CONFLICT_START = re.compile(rb"^<<<<<<< ", re.M)


def conflict_markers(path: str, data: bytes) -> list[Finding]:
    """Leftover merge-conflict blocks: ``<<<<<<<`` ... ``=======`` ... ``>>>>>>>``.

    A lone ``=======`` is a reStructuredText heading, so only complete blocks and the unmistakable
    start and end markers are reported.
    """
    if b"<<<<<<< " not in data and b">>>>>>> " not in data:
        return []
    findings = []
    for number, line in enumerate(data.splitlines(), start=1):
        if line.startswith((b"<<<<<<< ", b">>>>>>> ")) or line in (b"<<<<<<<", b">>>>>>>"):
            marker = line[:7].decode()
            findings.append(Finding(path, number, 1, "conflict-marker", f"merge conflict marker {marker}"))
    return findings


# -- what a project needs ----------------------------------------------------------------------------


def missing_executables(names: Iterable[str]) -> list[Finding]:
    return [
        Finding(None, None, None, "missing-executable", f"{name} is not installed or not on PATH")
        for name in names
        if shutil.which(name) is None
    ]


def missing_modules(names: Iterable[str]) -> list[Finding]:
    return [
        Finding(None, None, None, "missing-module", f"Python module {name} cannot be imported")
        for name in names
        if importlib.util.find_spec(name) is None
    ]


def missing_paths(root: Any, required: Mapping[str, str]) -> list[Finding]:
    """Project-structure check: ``{relative path: "file" | "dir"}`` that must exist under root."""
    findings = []
    for relative, kind in required.items():
        path = Path(root) / relative
        ok = path.is_dir() if kind == "dir" else path.is_file()
        if not ok:
            findings.append(Finding(relative, None, None, "missing-path", f"expected a {kind} here"))
    return findings
