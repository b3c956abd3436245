"""The options ``hookwright dashboard`` and ``hookwright stats`` share: their arguments, parsed."""

from __future__ import annotations

import argparse
import datetime as dt
import json

from hookwright.dashboard.metrics import DEFAULT_FIX_MINUTES, FIX_FAMILIES
from hookwright.errors import BadInput


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--records", metavar="DIR", help="the records folder (default: the repository's, under its git dir)"
    )
    parser.add_argument(
        "--since", metavar="DATE", help="only runs that started on or after DATE (YYYY-MM-DD)"
    )
    parser.add_argument(
        "--fix-minutes",
        metavar="FAMILY=MIN",
        action="append",
        default=[],
        help="minutes one self_heal fix of FAMILY would take by hand, for the time-saved ESTIMATE "
        f"(defaults: {', '.join(f'{k}={v:g}' for k, v in DEFAULT_FIX_MINUTES.items())})",
    )
    parser.add_argument(
        "--validate",
        choices=("shown", "all"),
        default="shown",
        help="check against the full schema the runs listed one by one (default) or every record "
        "(~1.4 ms each); every record is always checked on the fields the figures use",
    )


def rule_families() -> dict[str, str]:
    """Rule id -> fix family from the built-in registry, for self_heal records that name only the rule."""
    from importlib import resources

    resource = resources.files("hookwright.schemas") / "builtin-fix-rules.json"
    try:
        data = json.loads(resource.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    rules = data.get("rules", data) if isinstance(data, dict) else data
    if not isinstance(rules, list):
        return {}
    return {
        str(rule["id"]): str(rule.get("family", "other"))
        for rule in rules
        if isinstance(rule, dict) and "id" in rule
    }


def parse_since(text: str) -> dt.datetime:
    try:
        when = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise BadInput(f"--since {text!r} is not a date; give YYYY-MM-DD or an ISO 8601 time") from None
    return when if when.tzinfo else when.replace(tzinfo=dt.timezone.utc)


def parse_fix_minutes(pairs: list[str]) -> dict[str, float]:
    minutes = dict(DEFAULT_FIX_MINUTES)
    for pair in pairs:
        family, _, value = pair.partition("=")
        try:
            number = float(value)
        except ValueError:
            number = -1.0
        if family not in FIX_FAMILIES or not 0 <= number <= 1440:
            raise BadInput(
                f"--fix-minutes {pair!r}: give FAMILY=MINUTES with FAMILY one of "
                f"{', '.join(FIX_FAMILIES)} and MINUTES between 0 and 1440"
            )
        minutes[family] = number
    return minutes
