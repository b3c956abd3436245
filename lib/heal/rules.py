r"""The fix-rule registry: built-in rules plus the user's rule files, validated, and selected per diagnostic.

A rule names the error types it answers, a regex for the message, a built-in action (a fixer from
ACTIONS) with its parameters, and a priority. User rule files come from the config
(``self_heal.rules``); a user rule with a built-in rule's id replaces it; ``self_heal.disable``
switches rules off.

A rule's regex is matched against every diagnostic's message, so one that backtracks exponentially
would hang a commit: a user rule's regex runs on RE2 (hookwright.user_regex), in time linear in the
message, and one RE2 cannot run is refused at load time with the rule's FILE:LINE:COL. The built-in
rules are ours and tested, and keep Python's ``re`` (its ``\w`` knows Unicode identifiers).
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from hookwright import bounded_read, strict_yaml, user_regex
from hookwright.errors import BadInput
from hookwright.heal.diagnostics import MESSAGE_LIMIT, Diagnostic
from hookwright.heal.fix_base import Fixer

BUILTIN = "builtin-fix-rules.json"

# The named built-in transformations a rule can apply: (module, function), imported when first used.
ACTIONS: dict[str, tuple[str, str]] = {
    "add_import": ("hookwright.heal.fix_imports", "add_import"),
    "remove_unused_import": ("hookwright.heal.fix_imports", "remove_unused_import"),
    "fix_mixed_indentation": ("hookwright.heal.fix_indentation", "fix_mixed_indentation"),
    "fix_unexpected_indent": ("hookwright.heal.fix_indentation", "fix_unexpected_indent"),
    "fix_unindent": ("hookwright.heal.fix_indentation", "fix_unindent"),
    "fix_expected_block": ("hookwright.heal.fix_indentation", "fix_expected_block"),
    "add_missing_colon": ("hookwright.heal.fix_syntax", "add_missing_colon"),
    "close_bracket": ("hookwright.heal.fix_syntax", "close_bracket"),
    "insert_closer": ("hookwright.heal.fix_closers", "insert_closer"),
    "insert_comma": ("hookwright.heal.fix_syntax", "insert_comma"),
    "close_string": ("hookwright.heal.fix_syntax", "close_string"),
    "remove_conflict_markers": ("hookwright.heal.fix_conflicts", "remove_conflict_markers"),
    "repair_token": ("hookwright.heal.fix_typos", "repair_token"),
}


class RuleError(BadInput):
    """A rule file that cannot be used: its one-line message names FILE:LINE:COL and the rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    error_types: frozenset[str]
    message: str
    action: str
    priority: int
    params: Mapping[str, Any] = field(default_factory=dict)
    family: str = "other"
    description: str = ""
    source: str = "builtin"
    where: str = ""  # FILE:LINE:COL: /rules/N/message, for errors about its regex
    enabled: bool = True  # False: switched off (by a user rule of the same id, say)
    pattern: Any = field(default=re.compile(""), compare=False, repr=False)  # re, or RE2 for user rules

    @property
    def builtin(self) -> bool:
        return self.source == "builtin"

    def fixer(self) -> Fixer:
        module, name = ACTIONS[self.action]
        fixer: Fixer = getattr(importlib.import_module(module), name)
        return fixer

    def match(self, message: str) -> Any:
        """The match object (``re`` for built-in rules, RE2 for the user's), or None."""
        return self.pattern.search(message[:MESSAGE_LIMIT])

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "family": self.family,
            "priority": self.priority,
            "error_types": sorted(self.error_types),
            "message": self.message,
            "action": self.action,
            "params": dict(self.params),
            "source": self.source,
            "description": self.description,
        }


@dataclass(frozen=True)
class Registry:
    rules: tuple[Rule, ...]
    disabled: tuple[str, ...] = ()

    def candidates(self, diagnostic: Diagnostic) -> list[tuple[Rule, dict[str, str]]]:
        """Rules for this diagnostic, highest priority first, with the groups their regex captured."""
        found = []
        for rule in self.rules:
            if diagnostic.error_type not in rule.error_types:
                continue
            match = rule.match(diagnostic.message)
            if match is not None:
                groups = {k: v for k, v in match.groupdict().items() if v is not None}
                found.append((rule, groups))
        return found

    def get(self, rule_id: str) -> Rule | None:
        return next((r for r in self.rules if r.id == rule_id), None)


# -- loading -----------------------------------------------------------------------------------------


def _rules_from(document: strict_yaml.Document, source: str) -> list[Rule]:
    if source != "builtin":  # the built-in registry is validated by the tests: no jsonschema on every commit
        from hookwright import validation

        validation.check_document(document, "fix-rules")
    rules = []
    for index, item in enumerate(document.data["rules"]):
        pointer = f"/rules/{index}/message"
        line, column = document.position(pointer)
        where = f"{document.source}:{line}:{column}: {pointer}"
        if source == "builtin":
            pattern = re.compile(item["message"])
        else:
            try:
                pattern = user_regex.compile_pattern(item["message"], where)
            except BadInput as exc:
                raise RuleError(str(exc)) from None
        rules.append(
            Rule(
                id=item["id"],
                error_types=frozenset(item["error_types"]),
                message=item["message"],
                action=item["action"],
                priority=item["priority"],
                params=item.get("params", {}),
                family=item.get("family", "other"),
                description=item.get("description", ""),
                source=source,
                where=where,
                pattern=pattern,
                enabled=item.get("enabled", True),
            )
        )
    return rules


def load_builtin() -> list[Rule]:
    text = (resources.files("hookwright.schemas") / BUILTIN).read_text(encoding="utf-8")
    document = strict_yaml.loads_json(text, BUILTIN)
    return _rules_from(document, "builtin")


def load_rule_file(root: Path, relpath: str) -> list[Rule]:
    from hookwright.safe_paths import resolve_inside

    path = resolve_inside(root, relpath)
    if not path.is_file():
        raise RuleError(f"{relpath}: rule file not found (listed in self_heal.rules)")
    raw = bounded_read.read_file(path, strict_yaml.MAX_BYTES, relpath)
    if relpath.endswith(".json"):
        document = strict_yaml.loads_json(raw, relpath)
    else:
        document = strict_yaml.loads(raw, relpath)
    return _rules_from(document, relpath)


def load(root: Path, settings: Mapping[str, Any]) -> Registry:
    """The effective registry for a repository: built-ins, then rule files in order, minus disabled ids."""
    by_id = {rule.id: rule for rule in load_builtin()}
    seen_in_files: dict[str, str] = {}
    for relpath in settings.get("rules", []):
        for rule in load_rule_file(root, relpath):
            if rule.id in seen_in_files:
                raise RuleError(
                    f"{rule.where}: rule id {rule.id!r} is already defined in {seen_in_files[rule.id]}"
                )
            seen_in_files[rule.id] = relpath
            by_id[rule.id] = rule
    disabled = tuple(settings.get("disable", []))
    for rule_id in disabled:
        if rule_id not in by_id:
            raise RuleError(
                f"self_heal.disable names unknown rule {rule_id!r} (see `hookwright heal --list-rules`)"
            )
    active = [r for r in by_id.values() if r.id not in disabled and r.enabled]
    active.sort(key=lambda r: (-r.priority, r.id))
    return Registry(tuple(active), disabled)


def describe(registry: Registry, fmt: str = "text") -> str:
    """The effective registry as ``heal --list-rules`` prints it."""
    if fmt == "json":
        data = {"rules": [r.to_dict() for r in registry.rules], "disabled": list(registry.disabled)}
        return json.dumps(data, indent=2) + "\n"
    width = max((len(r.id) for r in registry.rules), default=2)
    lines = [f"{'id':<{width}}  prio  family       action                   source"]
    for rule in registry.rules:
        lines.append(
            f"{rule.id:<{width}}  {rule.priority:>4}  {rule.family:<11}  {rule.action:<23}  {rule.source}"
        )
    if registry.disabled:
        lines.append(f"disabled: {', '.join(registry.disabled)}")
    return "\n".join(lines) + "\n"


def families(rules: Sequence[Rule]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for rule in rules:
        counts[rule.family] = counts.get(rule.family, 0) + 1
    return counts
