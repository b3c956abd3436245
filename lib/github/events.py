"""Which commits a GitHub event asks us to verify, and which checks may run for it."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from hookwright.errors import BadInput
from hookwright.git.repo import NULL_SHA

PULL_REQUEST_EVENTS = ("pull_request", "pull_request_target")
EVENTS = (*PULL_REQUEST_EVENTS, "push", "merge_group")
# Checks that only read the files under review. Under pull_request_target the job holds the base
# repository's token and secrets, so by default nothing from the pull request may run there (tests,
# coverage and custom commands execute the project's code).
STATIC_CHECKS = ("syntax", "lint", "git_state", "todo")

COMMIT_ID = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")
# What a base-ref override may be: a branch, tag, remote-tracking ref or commit, never an option.
_REF = re.compile(r"[\w][\w./@^~{}+-]*")


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
    if not isinstance(value, str) or not COMMIT_ID.fullmatch(value):
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
        head = sha if COMMIT_ID.fullmatch(sha) else ""
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
