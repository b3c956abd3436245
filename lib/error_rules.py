"""The fix-rule registry: built-in rules plus the user's rule files, validated, and selected per diagnostic.

A rule names the error types it answers, a regex for the message, a built-in action (a fixer from
ACTIONS) with its parameters, and a priority. User rule files come from the config
(``self_heal.rules``); a user rule with a built-in rule's id replaces it; ``self_heal.disable``
switches rules off.

Catastrophic regexes. A rule's regex is matched against every diagnostic's message, so a regex that
backtracks exponentially would hang a commit. Two guards, both for user rules (the built-in ones are
ours and tested): at load time the parsed regex is refused when a repeat holds another unbounded
repeat, or an alternation whose branches can start alike (``(a+)+``, ``(a|a)*``, ``(.*a){9}``), the
shapes that backtrack exponentially, with the rule's FILE:LINE:COL; and every match runs under a
deadline (``MATCH_BUDGET_S``, a SIGALRM timer: CPython's regex engine checks for signals while it
backtracks) on messages clipped to ``diagnostics.MESSAGE_LIMIT`` characters, so whatever slips past
the static check costs at most the budget and then fails the run with exit 2. A worker process per
match would bound it too, but would put a process start on the hook's path for every message.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import re
import signal
import threading
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from hookwright import strict_yaml
from hookwright.diagnostics import MESSAGE_LIMIT, Diagnostic
from hookwright.errors import BadInput
from hookwright.fix_base import Fixer

BUILTIN = "builtin-fix-rules.json"
MATCH_BUDGET_S = 0.2

# The named built-in transformations a rule can apply: (module, function), imported when first used.
ACTIONS: dict[str, tuple[str, str]] = {
    "add_import": ("hookwright.fix_imports", "add_import"),
    "remove_unused_import": ("hookwright.fix_imports", "remove_unused_import"),
    "fix_mixed_indentation": ("hookwright.fix_indentation", "fix_mixed_indentation"),
    "fix_unexpected_indent": ("hookwright.fix_indentation", "fix_unexpected_indent"),
    "fix_unindent": ("hookwright.fix_indentation", "fix_unindent"),
    "fix_expected_block": ("hookwright.fix_indentation", "fix_expected_block"),
    "add_missing_colon": ("hookwright.fix_syntax", "add_missing_colon"),
    "close_bracket": ("hookwright.fix_syntax", "close_bracket"),
    "insert_comma": ("hookwright.fix_syntax", "insert_comma"),
    "close_string": ("hookwright.fix_syntax", "close_string"),
    "remove_conflict_markers": ("hookwright.fix_conflicts", "remove_conflict_markers"),
    "repair_token": ("hookwright.fix_typos", "repair_token"),
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
    pattern: re.Pattern[str] = field(default=re.compile(""), compare=False, repr=False)

    @property
    def builtin(self) -> bool:
        return self.source == "builtin"

    def fixer(self) -> Fixer:
        module, name = ACTIONS[self.action]
        fixer: Fixer = getattr(importlib.import_module(module), name)
        return fixer

    def match(self, message: str) -> re.Match[str] | None:
        message = message[:MESSAGE_LIMIT]
        if self.builtin:
            return self.pattern.search(message)
        try:
            with _deadline(MATCH_BUDGET_S):
                return self.pattern.search(message)
        except _Timeout:
            raise RuleError(
                f"{self.where}: the regex of rule {self.id!r} took over {MATCH_BUDGET_S:g}s on one message "
                "(catastrophic backtracking); simplify it"
            ) from None

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


class _Timeout(Exception):
    pass


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Timeout in the main thread after ``seconds``; elsewhere (no signals) the static check holds."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    earlier, interval = signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if earlier:  # someone else's timer was running: give back what was left of it
            signal.setitimer(signal.ITIMER_REAL, max(earlier - seconds, 0.001), interval)


# -- catastrophic shapes -----------------------------------------------------------------------------


def _parser() -> Any:
    try:
        from re import _parser as parser  # type: ignore[attr-defined]
    except ImportError:  # Python 3.10
        import sre_parse as parser  # type: ignore[no-redef]
    return parser


def catastrophic(pattern: str) -> str | None:
    """Why ``pattern`` can backtrack exponentially, or None."""
    parser = _parser()
    try:
        parsed = parser.parse(pattern)
    except re.error:
        return None  # reported as "does not compile" instead
    return _walk(parsed, parser, inside_repeat=False)


def _is_repeat(op: Any, parser: Any) -> bool:
    constants = parser
    names = {getattr(constants, n, None) for n in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")}
    return op in names


def _walk(items: Any, parser: Any, inside_repeat: bool) -> str | None:
    for op, argument in items:
        if _is_repeat(op, parser):
            _, high, sub = argument
            unbounded = high == parser.MAXREPEAT or high > 16
            if inside_repeat and unbounded:
                return "a repeated group holds another unbounded repeat (like (a+)+)"
            if unbounded and _overlapping_branches(sub, parser):
                return "a repeated alternation has branches that can match the same text (like (a|ab)*)"
            reason = _walk(sub, parser, inside_repeat or unbounded)
            if reason:
                return reason
        elif op == parser.SUBPATTERN:
            reason = _walk(argument[-1], parser, inside_repeat)
            if reason:
                return reason
        elif op == parser.BRANCH:
            for branch in argument[1]:
                reason = _walk(branch, parser, inside_repeat)
                if reason:
                    return reason
    return None


def _first(items: Any, parser: Any) -> Any:
    """The first element a sequence must match: a literal code, or None when it is not one literal."""
    for op, argument in items:
        if op == parser.LITERAL:
            return argument
        if op == parser.SUBPATTERN:
            return _first(argument[-1], parser)
        return None
    return None


def _overlapping_branches(items: Any, parser: Any) -> bool:
    for op, argument in items:
        if op == parser.SUBPATTERN:
            return _overlapping_branches(argument[-1], parser)
        if op == parser.BRANCH:
            firsts = [_first(branch, parser) for branch in argument[1]]
            return None in firsts or len(set(firsts)) != len(firsts)
    return False


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
        try:
            pattern = re.compile(item["message"])
        except re.error as exc:
            raise RuleError(f"{where}: the regex does not compile: {exc}") from None
        if source != "builtin" and (reason := catastrophic(item["message"])):
            raise RuleError(
                f"{where}: the regex of rule {item['id']!r} can backtrack catastrophically: {reason}"
            )
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
    from hookwright.transactions import resolve_inside

    path = resolve_inside(root, relpath)
    if not path.is_file():
        raise RuleError(f"{relpath}: rule file not found (listed in self_heal.rules)")
    raw = path.read_bytes()
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
