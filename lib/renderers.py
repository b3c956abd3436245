"""Output formats for a report: one small class per format, each overriding ``format``."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence

from hookwright import output
from hookwright.reporting import Finding, Report, StepResult, sort_findings

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, ClassVar

_STATUS_COLOR = {
    "passed": output.GREEN,
    "failed": output.RED,
    "error": output.RED,
    "warning": output.YELLOW,
    "skipped": output.DIM,
}


def finding_line(finding: Finding) -> str:
    where = finding.location()
    prefix = f"{where}: " if where else ""
    return f"{prefix}{finding.code} {finding.message}"


class Renderer:
    name: ClassVar[str]

    def __init__(self, *, color: bool = False, options: Mapping[str, Any] | None = None) -> None:
        self.color = color
        self.options = dict(options or {})

    def format(self, report: Report) -> str:
        raise NotImplementedError


class TextRenderer(Renderer):
    """Quiet on success (one line, plus any warnings); a table and precise findings on failure."""

    name = "text"

    def _status(self, status: str) -> str:
        return output.paint(status, _STATUS_COLOR.get(status, ""), self.color)

    def format(self, report: Report) -> str:
        findings = sort_findings(report.all_findings())
        ran = [s for s in report.steps if s.status != "skipped"]
        cached = sum(1 for s in report.steps if s.cached)
        cached_note = f", {cached} from cache" if cached else ""
        head = f"hookwright {report.pattern}: {self._status(report.outcome)}"
        unit = "checks" if report.pattern == "verify_commit" else "steps"
        summary = f"{head} ({len(ran)} {unit}{cached_note}, {report.duration:.2f}s)"
        skipped = [s for s in report.steps if s.status == "skipped"]
        if skipped:
            # A check that did not run is never silent: "passed" says what it covers.
            summary += "; skipped: " + "; ".join(f"{s.name} ({s.reason or 'no reason'})" for s in skipped)
        # fail_on without "failed" (or "error"): the verdict passed over a check that did not pass,
        # and "passed" alone read as if every check had (fail_on: [] printed exactly that).
        overruled = [s for s in report.steps if s.status in ("failed", "error")]
        if report.outcome == "passed" and overruled:
            summary += "; not blocking by fail_on: " + "; ".join(
                f"{s.name} {s.status} ({s.reason or f'{len(s.findings)} findings'})" for s in overruled
            )
        if report.outcome == "passed":
            names = {s.name for s in overruled}
            shown = [f for f in findings if f.severity == "warning" or f.step in names]
            return "\n".join([summary, *(self._finding(f) for f in shown)]) + "\n"
        lines = [summary, ""]
        width = max((len(s.name) for s in report.steps), default=5)
        for step in report.steps:
            lines.append(self._step_row(step, width))
        if findings:
            lines.append("")
            lines.extend(self._finding(f) for f in findings if f.severity != "note")
        return "\n".join(lines) + "\n"

    def _step_row(self, step: StepResult, width: int) -> str:
        status = self._status(f"{step.status:<8}")
        timing = "cached" if step.cached else f"{step.duration:.2f}s"
        count = len(step.findings)
        detail = step.reason if step.reason and not count else f"{count} finding{'s' if count != 1 else ''}"
        return f"  {step.name:<{width}}  {status} {timing:>7}  {detail}"

    def _finding(self, finding: Finding) -> str:
        color = output.RED if finding.severity == "error" else output.YELLOW
        code = output.paint(finding.code, color, self.color)
        where = finding.location()
        return f"{where}: {code} {finding.message}" if where else f"{code} {finding.message}"


class JsonRenderer(Renderer):
    name = "json"

    def format(self, report: Report) -> str:
        return json.dumps(report.to_dict(), indent=2, ensure_ascii=False) + "\n"


class YamlRenderer(Renderer):
    name = "yaml"

    def format(self, report: Report) -> str:
        import yaml

        return yaml.safe_dump(report.to_dict(), sort_keys=False, allow_unicode=True)


def _md_escape(text: str) -> str:
    # Findings carry text from files under review: nothing in it may become Markdown or HTML.
    out = text.replace("\\", "\\\\")
    for ch in "`*_{}[]<>()#+!|~":
        out = out.replace(ch, "\\" + ch)
    return " ".join(out.split())


class MarkdownRenderer(Renderer):
    """A job summary: the verdict, a table of checks, the top findings linked to file and line.

    options: ``link_base`` (``https://github.com/OWNER/REPO/blob/SHA``), ``max_findings``.
    """

    name = "markdown"
    _ICON: ClassVar[dict[str, str]] = {
        "passed": "✅",
        "failed": "❌",
        "error": "💥",
        "warning": "⚠️",
        "skipped": "⏭️",
    }

    def format(self, report: Report) -> str:
        icon = self._ICON.get(report.outcome, "")
        lines = [f"## {icon} hookwright {report.pattern}: {report.outcome}", ""]
        lines += ["| check | status | time | findings |", "| --- | --- | ---: | ---: |"]
        for step in report.steps:
            timing = "cached" if step.cached else f"{step.duration:.2f}s"
            status = f"{self._ICON.get(step.status, '')} {step.status}"
            detail = str(len(step.findings)) if step.status != "skipped" else _md_escape(step.reason or "-")
            lines.append(f"| {_md_escape(step.name)} | {status} | {timing} | {detail} |")
        findings = [f for f in sort_findings(report.all_findings()) if f.severity != "note"]
        limit = int(self.options.get("max_findings", 50))
        if findings:
            lines += ["", f"### Findings ({len(findings)})", ""]
            for finding in findings[:limit]:
                lines.append(
                    f"- {self._link(finding)} **{_md_escape(finding.code)}** {_md_escape(finding.message)}"
                )
            if len(findings) > limit:
                lines.append(f"- … and {len(findings) - limit} more (see the verification record)")
        lines += [
            "",
            f"<sub>{len(report.steps)} checks in {report.duration:.2f}s · record `{report.run_id}`</sub>",
            "",
        ]
        return "\n".join(lines)

    def _link(self, finding: Finding) -> str:
        where = finding.location()
        if not where:
            return ""
        base = self.options.get("link_base")
        if not base or not finding.path:
            return code_span(where)
        from urllib.parse import quote

        anchor = f"#L{finding.line}" if finding.line else ""
        return f"[{code_span(where)}]({base}/{quote(finding.path)}{anchor})"


def code_span(text: str) -> str:
    """A Markdown code span that shows ``text`` verbatim, whatever backticks it holds.

    Backslash escapes do not work inside code spans (``my\\_file.py`` would show the backslash):
    the fence is simply longer than any run of backticks inside.
    """
    flat = " ".join(text.split())
    fence = "`" * (max((len(run) for run in re.findall(r"`+", flat)), default=0) + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


class JunitRenderer(Renderer):
    """One test case per step: CI systems that read JUnit show checks like tests."""

    name = "junit"

    def format(self, report: Report) -> str:
        from xml.etree import ElementTree as ET

        failures = sum(1 for s in report.steps if s.status == "failed")
        errors = sum(1 for s in report.steps if s.status == "error")
        skipped = sum(1 for s in report.steps if s.status == "skipped")
        suite = ET.Element(
            "testsuite",
            name=f"hookwright.{report.pattern}",
            tests=str(len(report.steps)),
            failures=str(failures),
            errors=str(errors),
            skipped=str(skipped),
            time=f"{report.duration:.3f}",
            timestamp=report.started_at.isoformat(),
        )
        for step in report.steps:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=f"hookwright.{report.pattern}",
                name=step.name,
                time=f"{step.duration:.3f}",
            )
            text = "\n".join(finding_line(f) for f in step.findings)
            if step.status == "failed":
                ET.SubElement(case, "failure", message=f"{len(step.findings)} findings").text = _xml_safe(
                    text
                )
            elif step.status == "error":
                ET.SubElement(case, "error", message=_xml_safe(step.reason or "error")).text = _xml_safe(text)
            elif step.status == "skipped":
                ET.SubElement(case, "skipped", message=_xml_safe(step.reason))
        ET.indent(suite)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suite, encoding="unicode") + "\n"


def _xml_safe(text: str) -> str:
    # XML 1.0 cannot carry most control characters, even escaped.
    return "".join(ch if ch in "\t\n\r" or ord(ch) >= 32 else f"\\x{ord(ch):02x}" for ch in text)


class SarifRenderer(Renderer):
    name = "sarif"

    def format(self, report: Report) -> str:
        from hookwright import sarif

        return json.dumps(sarif.from_findings(report.all_findings()), indent=2, ensure_ascii=False) + "\n"


RENDERERS: dict[str, type[Renderer]] = {
    r.name: r
    for r in (
        TextRenderer,
        JsonRenderer,
        YamlRenderer,
        MarkdownRenderer,
        JunitRenderer,
        SarifRenderer,
    )
}


def render(report: Report, fmt: str, *, color: bool = False, options: Mapping[str, Any] | None = None) -> str:
    return RENDERERS[fmt](color=color, options=options).format(report)


# -- worktree_lifecycle's text: its list and status are tables, not steps -----------------------------

WORKTREE_COLUMNS = ("PATH", "BRANCH", "HEAD", "STATE", "UPSTREAM", "MERGED", "AGE", "FLAGS")


def worktree_cells(row: Mapping[str, Any]) -> list[str]:
    """One row of ``worktree_table`` from a worktree as ``Health.to_dict`` describes it."""
    changed, untracked = sum(row["changes"].values()), row["untracked"]
    dirt = [f"{changed} changed"] * bool(changed) + [f"{untracked} untracked"] * bool(untracked)
    state = "missing" if row["prunable"] else "-" if row["clean"] is None else "clean"
    if dirt:
        state = f"dirty ({', '.join(dirt)})"
    track = "-"
    if row["upstream"]:
        track = f"+{row['ahead']}/-{row['behind']} {row['upstream']}" if row["ahead"] is not None else "gone"
    merged = {True: "merged", False: "unmerged", None: "-"}[row["merged"]]
    age = "-" if row["age_days"] is None else f"{row['age_days']:.0f}d"
    flags = [n for n in ("main", "bare", "locked", "prunable") if row[n]] + ["unsafe"] * bool(row["unsafe"])
    branch, head = row["branch"] or "(detached)", (row["head"] or "-")[:10]
    return [row["path"], branch, head, state, track, merged, age, ",".join(flags) or "-"]


def worktree_table(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    grid = [list(WORKTREE_COLUMNS), *map(worktree_cells, rows)]
    widths = [max(len(line[i]) for line in grid) for i in range(len(WORKTREE_COLUMNS))]
    return ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip() for line in grid]


_VERBS = {
    "would-remove": "would remove",
    "skipped": "kept",
    "refused": "refused to remove",
    "branch-deleted": "deleted the branch of",
    "would-delete-branch": "would delete the branch of",
    "swept": "removed abandoned",
}


def worktree_text(report: Report) -> str:
    """A worktree_lifecycle report as the command prints it (list and status as a table)."""
    data = report.to_dict()
    operation, lines = data["operation"], []
    if operation == "list":
        lines = worktree_table(data["worktrees"])
    elif operation == "status":
        for row in data["worktrees"]:
            safety = "holds " + "; ".join(row["unsafe"]) if row["unsafe"] else "nothing would be lost"
            labels = [label.lower() for label in WORKTREE_COLUMNS[1:]]
            lines += [
                row["path"],
                *(f"  {k:<9} {v}" for k, v in zip(labels, worktree_cells(row)[1:], strict=True)),
            ]
            lines.append(f"  {'safety':<9} {safety}")
    elif operation in ("remove", "prune"):
        for act in data["actions"]:
            verb = _VERBS.get(act["action"], act["action"])
            hint = "; commit or push them, or pass --force" if act["action"] == "refused" else ""
            lines.append(f"{verb} {act['path']}" + (f": {act['reason']}{hint}" if act["reason"] else ""))
        if not data["actions"]:
            lines.append("nothing to prune")
    elif operation == "create":
        made = data["worktree"]
        if report.outcome == "passed":
            how = "existing branch"
            if made["branch_created"]:
                how = f"new branch from {made['base'] or 'HEAD'}"
            verb = "would create" if data["dry_run"] else "created"
            lines.append(f"{verb} {made['path']} on {made['branch']} ({how})")
        else:
            lines.append(render(report, "text").rstrip("\n"))
            branch = " and its new branch" if made["branch_created"] else ""
            lines.append(f"rolled back: {made['path']}{branch} removed")
    elif operation == "verify" or "decision" in data:  # verify, or the hook's verification of a push
        lines.append(render(report, "text").rstrip("\n"))
    if operation == "hook":
        lines += [f"hookwright worktree: {f['path']}: {f['code']}: {f['message']}" for f in data["findings"]]
    return "\n".join(lines) + "\n" if lines else ""
