"""The schemas as shipped work in standard tools, offline: check-jsonschema, editors, bundlers.

check-jsonschema runs with every proxy variable pointing at a closed local port: a schema that made it
fetch anything (a `$ref` resolved against a web `$id`) fails these tests instead of passing by luck.
"""

from __future__ import annotations

import configparser
import fnmatch
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, git, hookwright, write

from hookwright import schema_bundle, schema_registry, validation

SCHEMAS = ROOT / "schemas"
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
_EDITOR_LINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$", re.M)


def offline_env(tmp_path: Path) -> dict[str, str]:
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens, a connection is refused at once
    env = {k: v for k, v in os.environ.items() if "proxy" not in k.lower()}
    env.update(
        {name: closed for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY")}
    )
    env["XDG_CACHE_HOME"] = str(tmp_path / "no-cache")  # nothing downloaded earlier can help
    return env


def check_jsonschema(schema: Path, instance: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        # The patterns in hookwright's files are Python regular expressions (`(?i)`, `(?P<name>)`).
        [CHECK_JSONSCHEMA, "--no-cache", "--regex-variant", "python", "--schemafile", schema, instance],
        capture_output=True,
        text=True,
        env=offline_env(tmp_path),
        timeout=120,
        check=False,
    )


def test_the_offline_harness_would_catch_a_fetch(tmp_path: Path) -> None:
    schema = write(tmp_path / "s.json", json.dumps({"$ref": "https://example.com/s.json"}))
    instance = write(tmp_path / "i.json", "{}")
    ran = check_jsonschema(schema, instance, tmp_path)
    assert ran.returncode != 0 and "127.0.0.1" in ran.stdout + ran.stderr


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
@pytest.mark.parametrize("copy", ["split", "bundled"])
def test_every_example_validates_offline_against_the_schema_its_editor_line_names(
    example: Path, copy: str, tmp_path: Path
) -> None:
    (named,) = _EDITOR_LINE.findall(example.read_text())
    schema = (example.parent / named).resolve()
    assert schema.is_file(), f"{example.name}: {named} does not resolve"
    if copy == "bundled":
        schema = schema.parent / schema_bundle.BUNDLED / schema.name
    ran = check_jsonschema(schema, example, tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr


def _package_data_globs() -> list[str]:
    parser = configparser.ConfigParser()
    parser.read(ROOT / "setup.cfg")
    return [g.strip() for g in parser["options.package_data"]["hookwright.schemas"].split(",")]


def test_what_the_editor_lines_name_is_shipped() -> None:
    """Every example's schema, and every file those schemas refer to, is package data."""
    globs = _package_data_globs()
    named = {(e.parent / m).resolve() for e in EXAMPLES for m in _EDITOR_LINE.findall(e.read_text())}
    refs = {
        r.split("#")[0]
        for p in SCHEMAS.glob("*.json")
        for r in re.findall(r'"\$ref": "([^"#]+)', p.read_text())
    }
    for path in {*named, *(SCHEMAS / r for r in refs)}:
        relative = path.relative_to(SCHEMAS).as_posix()
        assert path.is_file() and any(fnmatch.fnmatch(relative, g) for g in globs), relative


def test_builtin_fix_rules_name_a_schema_beside_them(tmp_path: Path) -> None:
    rules = SCHEMAS / "builtin-fix-rules.json"
    schema = SCHEMAS / json.loads(rules.read_text())["$schema"]
    ran = check_jsonschema(schema, rules, tmp_path)
    assert ran.returncode == 0, ran.stdout + ran.stderr


@pytest.mark.parametrize("copy", ["split", "bundled"])
def test_the_default_config_and_a_real_record_validate_offline(
    committed_repo: Path, copy: str, tmp_path: Path
) -> None:
    printed = hookwright("config", cwd=committed_repo)
    assert printed.returncode == 0, printed.stderr
    config = write(tmp_path / "config.yaml", printed.stdout)
    write(committed_repo / "pkg" / "new.py", "def sub(a, b):\n    return a - b  # TODO: more\n")
    git(committed_repo, "add", "-A")
    verified = hookwright("verify", "--skip", "tests", cwd=committed_repo)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    (record,) = (committed_repo / ".git" / "hookwright" / "records").glob("*.json")
    folder = SCHEMAS / schema_bundle.BUNDLED if copy == "bundled" else SCHEMAS
    for schema, instance in (
        (folder / "config.schema.json", config),
        (folder / "verification-record.schema.json", record),
    ):
        ran = check_jsonschema(schema, instance, tmp_path)
        assert ran.returncode == 0, f"{instance.name}: {ran.stdout}{ran.stderr}"


def test_the_printed_config_is_a_config_hookwright_reads_back(committed_repo: Path) -> None:
    write(committed_repo / ".hookwright.yaml", hookwright("config", cwd=committed_repo).stdout)
    again = hookwright("config", cwd=committed_repo)
    assert again.returncode == 0, again.stderr
    assert (
        again.stdout.replace(".hookwright.yaml", "<default>")
        == (committed_repo / ".hookwright.yaml").read_text()
    )


@pytest.mark.parametrize("name", schema_registry.schema_names())
def test_no_schema_names_a_host(name: str) -> None:
    text = (SCHEMAS / f"{name}.schema.json").read_text()
    schema = json.loads(text)
    assert "$id" not in schema
    assert all(not r.startswith(("http:", "https:")) for r in re.findall(r'"\$ref": "([^"]+)"', text))


def test_the_bundled_copies_are_current_and_self_contained() -> None:
    expected = schema_bundle.expected()
    assert set(expected) == {
        "config.schema.json",
        "fix-rules.schema.json",
        "instance.schema.json",
        "template-pack.schema.json",
        "verification-record.schema.json",
    }
    shipped = {p.name: p.read_text() for p in (SCHEMAS / schema_bundle.BUNDLED).glob("*.json")}
    stale = sorted(n for n in expected if shipped.get(n) != expected[n])
    assert not stale, f"run `python -m hookwright.schema_bundle`: {stale}"
    assert set(shipped) == set(expected)
    for text in shipped.values():
        assert all(r.startswith("#") for r in re.findall(r'"\$ref": "([^"]+)"', text))
    assert schema_bundle.main(["--check"]) == 0


def test_a_bundled_copy_judges_as_the_split_schemas_do() -> None:
    from jsonschema import Draft202012Validator

    bundled = json.loads((SCHEMAS / schema_bundle.BUNDLED / "config.schema.json").read_text())
    good = {"checks": {"syntax": {"languages": ["python"], "exclude_types": ["svg"]}}}
    bad = {"checks": {"git_state": {"protected_patterns": "main"}}}
    for data in (good, bad):
        split_ok = not validation.schema_issues("config", data)
        assert Draft202012Validator(bundled).is_valid(data) is split_ok
    assert not validation.schema_issues("config", good) and validation.schema_issues("config", bad)
