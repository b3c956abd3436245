"""The fix-rule registry: the built-in rules, user rule files, selection, and rule files that are wrong."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import hookwright, write

from hookwright import schema_registry, strict_yaml, validation
from hookwright.heal import rules as error_rules
from hookwright.heal.diagnostics import Diagnostic
from hookwright.heal.rules import Rule

NAME_ERROR = Diagnostic("a.py", 3, 7, "NameError", "name 'sys' is not defined", "python")


def builtin_document() -> dict[str, object]:
    from importlib import resources

    text = (resources.files("hookwright.schemas") / error_rules.BUILTIN).read_text(encoding="utf-8")
    return json.loads(text)


def test_the_builtin_registry_is_valid_and_names_only_known_actions() -> None:
    document = builtin_document()
    assert validation.schema_issues("fix-rules", document) == []
    schema_actions = schema_registry.load_schema("fix-rules")["$defs"]["action"]["enum"]
    assert sorted(schema_actions) == sorted(error_rules.ACTIONS)
    for rule in error_rules.load_builtin():
        assert callable(rule.fixer())


def test_every_family_of_the_issue_has_rules() -> None:
    families = error_rules.families(error_rules.load_builtin())
    assert families == {"import": 8, "indentation": 4, "syntax": 7}


@pytest.mark.parametrize(
    ("diagnostic", "expected"),
    [
        pytest.param(
            NAME_ERROR,
            ["add-import-from-project", "add-import-stdlib-module", "add-import-stdlib-name",
             "add-import-defined-in-project", "add-import-stdlib-alias", "add-import-installed-package",
             "add-import-conventional-alias"],
            id="name-error-by-priority",
        ),
        pytest.param(
            Diagnostic("a.py", 1, 8, "F401", "`os` imported but unused", "ruff"), ["remove-unused-import"], id="f401"
        ),
        pytest.param(
            Diagnostic("a.py", 1, 9, "SyntaxError", "'(' was never closed", "compile"),
            ["remove-conflict-markers", "close-bracket"],
            id="bracket",
        ),
        pytest.param(Diagnostic("a.py", 1, 1, "AssertionError", "assert 1 == 2", "pytest"), [], id="no-rule"),
        pytest.param(Diagnostic("a.py", 1, 1, "F821", "something else", "ruff"), [], id="type-but-not-message"),
    ],
)  # fmt: skip
def test_candidates_by_type_message_and_priority(diagnostic: Diagnostic, expected: list[str]) -> None:
    registry = error_rules.load(Path("."), {})
    assert [rule.id for rule, _ in registry.candidates(diagnostic)] == expected


def test_the_message_regex_captures_what_the_action_needs() -> None:
    registry = error_rules.load(Path("."), {})
    for message, tool in [
        ("name 'sys' is not defined", "NameError"),
        ("Undefined name `sys`", "F821"),
        ('Name "sys" is not defined', "name-defined"),
    ]:
        diagnostic = Diagnostic("a.py", 1, 1, tool, message, "x")
        _, groups = registry.candidates(diagnostic)[0]
        assert groups == {"name": "sys"}


def test_user_rules_add_override_and_disable(in_git_dir: Path) -> None:
    write(
        in_git_dir / "rules" / "mine.json",
        json.dumps(
            {
                "rules": [
                    {  # replaces the built-in rule of that id: a custom alias table, tried first
                        "id": "add-import-conventional-alias",
                        "error_types": ["NameError"],
                        "message": "name '(?P<name>\\w+)'",
                        "action": "add_import",
                        "params": {"source": "alias", "aliases": {"sp": "scipy"}},
                        "priority": 999,
                    },
                    {
                        "id": "my-colon",
                        "family": "syntax",
                        "error_types": ["my-linter"],
                        "message": "colon",
                        "action": "add_missing_colon",
                        "priority": 5,
                    },
                    {
                        "id": "close-string",
                        "error_types": ["SyntaxError"],
                        "message": "x",
                        "action": "close_string",
                        "priority": 1,
                        "enabled": False,
                    },
                ]
            }
        ),
    )
    settings = {"rules": ["rules/mine.json"], "disable": ["remove-unused-import"]}
    registry = error_rules.load(in_git_dir, settings)
    ids = [rule.id for rule in registry.rules]
    assert ids[0] == "add-import-conventional-alias"
    assert registry.get("add-import-conventional-alias").source == "rules/mine.json"  # type: ignore[union-attr]
    assert "my-colon" in ids
    assert "close-string" not in ids and "remove-unused-import" not in ids
    mine = Diagnostic("a.py", 1, 1, "my-linter", "missing colon here", "lint")
    assert [rule.id for rule, _ in registry.candidates(mine)] == ["my-colon"]
    listing = error_rules.describe(registry)
    assert "rules/mine.json" in listing and "disabled: remove-unused-import" in listing


@pytest.mark.parametrize(
    ("pattern", "hostile", "matching"),
    [
        pytest.param("(a+)+$", "a" * 900 + "!", "aaa", id="nested-plus"),
        pytest.param("(a*)*b", "a" * 900, "aab", id="nested-star"),
        pytest.param(r"(\w+\s?)+$", "word " * 180 + "!", "two words", id="nested-words"),
        pytest.param("(a|ab)*c", "ab" * 450, "abac", id="overlapping-alternation"),
        pytest.param("(.*a){20}", "a" * 19 + "b" * 900, "a" * 20, id="large-bounded-repeat"),
        pytest.param(".*.*.*.*.*.*x", "a" * 900, "ax", id="polynomial"),
    ],
)
def test_a_user_rule_regex_runs_in_linear_time_on_a_hostile_message(
    pattern: str, hostile: str, matching: str
) -> None:
    """Each hostile message keeps Python's re busy for minutes or more; RE2 answers at once, correctly."""
    rule = _user_rule(pattern)
    assert rule.match(hostile) is None
    assert rule.match(matching) is not None


def test_named_groups_of_a_user_rule_reach_the_action() -> None:
    rule = _user_rule(r"name '(?P<name>\w+)' is not defined")
    match = rule.match("name 'os' is not defined")
    assert match is not None and match.groupdict() == {"name": "os"}


def _user_rule(pattern: str) -> Rule:
    document = strict_yaml.loads_json(json.dumps({"rules": [{**RULE, "message": pattern}]}), "rules.json")
    (rule,) = error_rules._rules_from(document, "rules.json")
    return rule


RULE = {"id": "r1", "error_types": ["SyntaxError"], "message": "x", "action": "close_string", "priority": 1}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        pytest.param('{"rules": [', "rules/bad.json:1:", id="malformed-json"),
        pytest.param(json.dumps({"rules": [{**RULE, "prio": 3}]}), "unknown key 'prio'", id="unknown-key"),
        pytest.param(
            json.dumps({"rules": [{**RULE, "action": "rm_rf"}]}), "/rules/0/action", id="unknown-action"
        ),
        pytest.param(
            json.dumps({"rules": [{**RULE, "action": "add_import", "params": {}}]}),
            "/rules/0/params",
            id="action-params",
        ),
        pytest.param(
            json.dumps({"rules": [{**RULE, "message": "(unclosed"}]}), "/rules/0/message", id="bad-regex"
        ),
        pytest.param(
            json.dumps({"rules": [{**RULE, "message": "(?<=x)y"}]}),
            "/rules/0/message: '(?<=x)y' is not a regular expression hookwright can run in linear time",
            id="lookbehind",
        ),
        pytest.param(json.dumps({"rules": [RULE, RULE]}), "already defined", id="duplicate-id"),
        pytest.param(b"\xff\xfe{}", "not UTF-8", id="not-utf8"),
    ],
)
def test_bad_rule_files_are_one_line_and_exit_2(
    committed_repo: Path, content: str | bytes, message: str
) -> None:
    write(committed_repo / "rules" / "bad.json", content)
    write(committed_repo / ".hookwright.yaml", "self_heal:\n  rules: [rules/bad.json]\n")
    result = hookwright("heal", "--list-rules", cwd=committed_repo)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("hookwright: error:")
    assert message in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("config", "message"),
    [
        pytest.param(
            "self_heal:\n  rules: [nowhere.json]\n", "nowhere.json: rule file not found", id="missing"
        ),
        pytest.param(
            "self_heal:\n  rules: [../outside.json]\n", "/self_heal/rules/0", id="outside-repository"
        ),
        pytest.param(
            "self_heal:\n  disable: [no-such-rule]\n", "unknown rule 'no-such-rule'", id="unknown-disable"
        ),
    ],
)
def test_bad_rule_settings(committed_repo: Path, config: str, message: str) -> None:
    write(committed_repo / ".hookwright.yaml", config)
    result = hookwright("heal", "--list-rules", cwd=committed_repo)
    assert result.returncode == 2
    assert result.stderr.startswith("hookwright: error:") and message in result.stderr


def test_list_rules_prints_the_effective_registry(committed_repo: Path) -> None:
    text = hookwright("heal", "--list-rules", cwd=committed_repo)
    assert text.returncode == 0
    assert text.stdout.splitlines()[1].startswith("add-import-from-project")
    data = json.loads(hookwright("heal", "--list-rules", "--format", "json", cwd=committed_repo).stdout)
    assert {r["family"] for r in data["rules"]} == {"import", "indentation", "syntax"}
    assert data["disabled"] == []
