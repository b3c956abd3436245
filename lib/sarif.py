"""SARIF 2.1.0 from findings, for GitHub code scanning and any SARIF viewer."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from hookwright import __version__
from hookwright.reporting import Finding

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "note": "note"}


def from_findings(findings: Iterable[Finding], *, tool: str = "hookwright") -> dict[str, Any]:
    findings = list(findings)
    rule_ids = sorted({_rule_id(f) for f in findings})
    index = {rule: i for i, rule in enumerate(rule_ids)}
    results = []
    for finding in findings:
        rule = _rule_id(finding)
        result: dict[str, Any] = {
            "ruleId": rule,
            "ruleIndex": index[rule],
            "level": _LEVEL.get(finding.severity, "warning"),
            "message": {"text": finding.message or finding.code},
        }
        if finding.path:
            region: dict[str, int] = {}
            if finding.line:
                region["startLine"] = finding.line
                if finding.column:
                    region["startColumn"] = finding.column
            location: dict[str, Any] = {
                "artifactLocation": {"uri": _uri(finding.path), "uriBaseId": "%SRCROOT%"}
            }
            if region:
                location["region"] = region
            result["locations"] = [{"physicalLocation": location}]
        results.append(result)
    rules = [
        {"id": rule, "name": rule.replace("/", "-"), "shortDescription": {"text": rule}} for rule in rule_ids
    ]
    return {
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": tool,
                        "version": __version__,
                        "informationUri": "https://github.com/hookwright/hookwright",
                        "rules": rules,
                    }
                },
                "results": results,
            }
        ],
    }


def _rule_id(finding: Finding) -> str:
    return f"{finding.step}/{finding.code}" if finding.step else finding.code


def _uri(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
