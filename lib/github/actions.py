"""GitHub Actions: which commits an event asks us to verify, and how a verdict reaches a pull request.

The core of ``hookwright github`` (lib/commands/github.py) and so of the composite action (action.yml):
event payload -> the commits to compare (fetched into a shallow clone when missing); verification
record -> workflow-command annotations, a Markdown job summary and step outputs.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

from hookwright.errors import BadInput, GitError
from hookwright.git.repo import NULL_SHA, Repo
from hookwright.renderers import MarkdownRenderer, code_span
from hookwright.reporting import Finding, Report, sort_findings

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
EVENTS = (*PULL_REQUEST_EVENTS, "push", "merge_group")
# Checks that only read the files under review. Under pull_request_target the job holds the base
# repository's token and secrets, so by default nothing from the pull request may run there (tests,
# coverage and custom commands execute the project's code).
STATIC_CHECKS = ("syntax", "lint", "git_state", "todo")

# GitHub shows at most 10 error and 10 warning annotations per step and 50 per job; the rest are
# dropped silently (actions/toolkit docs/problem-matchers.md "Limitations", actions/toolkit#734).
# So we choose which ones it shows: the most severe first, notices held to the same cap.
ANNOTATIONS_PER_LEVEL = 10
ANNOTATIONS_PER_JOB = 50
_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}

_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
# What a base-ref override may be: a branch, tag, remote-tracking ref or commit, never an option.
_REF = re.compile(r"[\w][\w./@^~{}+-]*")
_FETCH_TIMEOUT = 600


@dataclass(frozen=True)
class EventRefs:
    """The two ends of what an event changes; ``base`` is NULL_SHA when there is nothing before it."""

    event: str
    base: str  # a commit id, or a ref name to fetch from the remote when it is missing
    head: str
    depth_hint: int = 1  # commits the event adds: where deepening a shallow clone starts


def _field(data: Mapping[str, Any], dotted: str) -> Any:
    value: Any = data
    for key in dotted.split("."):
        value = value.get(key) if isinstance(value, Mapping) else None
    return value


def _sha(payload: Mapping[str, Any], dotted: str) -> str:
    value = _field(payload, dotted)
    if not isinstance(value, str) or not _SHA.fullmatch(value):
        raise BadInput(f"the event payload has no commit id at {dotted} (got {value!r})")
    return value


def check_ref(text: str, what: str = "base-ref") -> str:
    if not _REF.fullmatch(text) or ".." in text:
        raise BadInput(f"{what} {text!r} is not a branch, tag or commit id")
    return text


def refs_from_event(
    event: str, payload: Mapping[str, Any], *, base_override: str = "", sha: str = ""
) -> EventRefs:
    """The commits an event names: base/head of a pull request, before/after of a push."""
    hint = 1
    if event in PULL_REQUEST_EVENTS:
        base = _sha(payload, "pull_request.base.sha")
        head = _sha(payload, "pull_request.head.sha")
        commits = _field(payload, "pull_request.commits")
        hint = commits if isinstance(commits, int) and commits > 0 else 1
    elif event == "merge_group":
        base = _sha(payload, "merge_group.base_sha")
        head = _sha(payload, "merge_group.head_sha")
    elif event == "push":
        head = _sha(payload, "after")
        if head == NULL_SHA:
            raise BadInput(f"the push deleted {payload.get('ref')}: there is nothing to verify")
        base = _sha(payload, "before")
        commits = payload.get("commits")
        hint = len(commits) if isinstance(commits, list) and commits else 1
        default = _field(payload, "repository.default_branch")
        if base == NULL_SHA and isinstance(default, str) and payload.get("ref") != f"refs/heads/{default}":
            # A new branch: what it adds over the default branch (with no default: every file).
            base = check_ref(default, "repository.default_branch")
    elif base_override:
        head = sha if _SHA.fullmatch(sha) else ""
        if not head:
            raise BadInput(f"event {event!r} names no commit and GITHUB_SHA is {sha!r}")
        base = ""
    else:
        raise BadInput(
            f"event {event!r} names no commits to compare: run on {', '.join(EVENTS)}, "
            "or set the base-ref input"
        )
    if base_override:
        base = check_ref(base_override)
    return EventRefs(event, base, head, hint)


# -- making sure both commits and their merge base are in a (shallow) clone ------------------------


def _fetch(repo: Repo, what: str, *args: str) -> None:
    result = repo.run(
        "fetch", "--quiet", "--no-tags", "--no-recurse-submodules", *args, timeout=_FETCH_TIMEOUT
    )
    if not result.ok:
        lines = [line for line in result.err.splitlines() if line.strip()]
        # git ends with advice ("Please make sure you have the correct access rights"): say its reason.
        reason = next(
            (line for line in lines if line.startswith(("fatal:", "error:"))), lines[-1] if lines else ""
        )
        raise GitError(
            f"cannot fetch {what}: {reason or result.returncode} (check out with "
            "`fetch-depth: 0`, or keep the checkout's credentials for a private repository)"
        )


def is_shallow(repo: Repo) -> bool:
    return repo.check("rev-parse", "--is-shallow-repository").strip() == b"true"


def _have(repo: Repo, ref: str, remote: str) -> str:
    sha = repo.rev_parse(ref)
    if sha is not None:
        return sha
    depth = ("--depth=1",) if is_shallow(repo) else ()
    if _SHA.fullmatch(ref):
        _fetch(repo, f"{ref} from {remote}", *depth, remote, ref)  # GitHub serves commits by id
    else:
        name = ref.removeprefix("refs/heads/")
        refspec = f"+refs/heads/{name}:refs/remotes/{remote}/{name}"
        _fetch(repo, f"branch {name} from {remote}", *depth, remote, refspec)
        ref = f"refs/remotes/{remote}/{name}"
    return repo.resolve(ref)


def ensure_commits(
    repo: Repo, refs: EventRefs, remote: str = "origin", max_rounds: int = 10
) -> tuple[str, str]:
    """Fetch what is missing, deepening a shallow clone only until base and head meet.

    Doubling from the event's own commit count fetches at most about twice the history needed,
    in a handful of round trips; after ``max_rounds`` the clone is unshallowed once and for all.
    """
    head = _have(repo, refs.head, remote)
    if refs.base == NULL_SHA:
        return NULL_SHA, head
    base = _have(repo, refs.base, remote)
    step = max(refs.depth_hint, 1)
    for _ in range(max_rounds):
        if repo.merge_base(base, head) is not None or not is_shallow(repo):
            return base, head
        _fetch(repo, f"more history from {remote}", f"--deepen={step}", remote, base, head)
        step *= 2
    if repo.merge_base(base, head) is None and is_shallow(repo):
        _fetch(repo, f"the whole history from {remote}", "--unshallow", remote)
    return base, head


# -- workflow commands, outputs and the job summary ------------------------------------------------


def escape_data(text: str) -> str:
    """Workflow-command message: a newline would end the command and start a forged one."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


@dataclass(frozen=True)
class Annotation:
    level: str  # error | warning | notice
    message: str
    title: str = ""
    file: str | None = None
    line: int | None = None
    col: int | None = None

    def command(self) -> str:
        props = [("file", self.file), ("line", self.line), ("col", self.col), ("title", self.title)]
        text = ",".join(f"{key}={escape_property(str(value))}" for key, value in props if value)
        return f"::{self.level}{' ' + text if text else ''}::{escape_data(self.message)}"


def annotation(finding: Finding) -> Annotation:
    title = f"{finding.code} ({finding.step})" if finding.step else finding.code
    line = finding.line if finding.path else None
    return Annotation(
        _LEVEL.get(finding.severity, "warning"),
        finding.message or finding.code,
        title,
        finding.path,
        line,
        finding.column if line else None,
    )


def select_annotations(
    findings: Iterable[Finding], per_level: int = ANNOTATIONS_PER_LEVEL
) -> tuple[list[Annotation], int]:
    """The annotations GitHub will show, most severe first; and how many findings are left out."""
    chosen: list[Annotation] = []
    counts: dict[str, int] = {}
    omitted = 0
    for finding in sort_findings(findings):
        item = annotation(finding)
        if counts.get(item.level, 0) >= per_level or len(chosen) >= ANNOTATIONS_PER_JOB:
            omitted += 1
            continue
        counts[item.level] = counts.get(item.level, 0) + 1
        chosen.append(item)
    return chosen, omitted


def output_text(outputs: Mapping[str, str]) -> str:
    """``$GITHUB_OUTPUT`` lines, each value in a heredoc whose delimiter no value can contain."""
    parts = []
    for name, value in outputs.items():
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        if delimiter in value:  # 128 random bits: only a value built to collide could
            raise BadInput(f"output {name} contains its own delimiter")
        parts.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(parts)


def blob_base(server: str, repository: str, sha: str) -> str | None:
    if not (server and repository and sha):
        return None
    return f"{server.rstrip('/')}/{quote(repository)}/blob/{sha}"


def summary(
    report: Report,
    *,
    link_base: str | None,
    target: Mapping[str, Any],
    omitted: int = 0,
    max_findings: int = 50,
) -> str:
    text = MarkdownRenderer(options={"link_base": link_base, "max_findings": max_findings}).format(report)
    files = target.get("files") or []
    ends = [str(target[k])[:12] for k in ("from_ref", "head") if target.get(k)]
    notes = [f"Verified {len(files)} changed file{'s' if len(files) != 1 else ''}"]
    if len(ends) == 2:
        notes[0] += f" between {code_span(ends[0])} and {code_span(ends[1])}"
    if omitted:
        notes.append(
            f"{omitted} more finding{'s' if omitted != 1 else ''} not annotated (GitHub's per-step limit)"
        )
    return text.rstrip("\n") + "\n\n" + " ".join(f"{note}." for note in notes) + "\n\n"


def failed_checks(record: Mapping[str, Any], report: Report) -> list[str]:
    decision = record.get("decision")
    if isinstance(decision, Mapping) and isinstance(decision.get("failed_steps"), list):
        return [str(name) for name in decision["failed_steps"]]
    return report.failed_steps


def narrow_for_untrusted(only: Sequence[str]) -> list[str]:
    """The checks a pull_request_target run may use: the static ones, within what was asked for."""
    wanted = [name.strip() for value in only for name in value.split(",") if name.strip()]
    kept = [name for name in (wanted or STATIC_CHECKS) if name in STATIC_CHECKS]
    if not kept:
        raise BadInput(
            f"under pull_request_target only static checks run ({', '.join(STATIC_CHECKS)}); "
            "set allow-pr-code: true to run the others on the pull request's code"
        )
    return kept
