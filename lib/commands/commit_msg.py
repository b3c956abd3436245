"""``hookwright commit-msg FILE``: the commit message as the team configured it (``commit_msg:``).

Two rules, both off unless configured: ``pattern``, a regex the subject line must match (say, a
ticket id or a conventional-commit type), and ``max_subject``, the longest subject allowed. Messages
git writes itself (merges, reverts, fixup!/squash!/amend! commits) are left alone.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from hookwright import bounded_read, config, output
from hookwright.errors import EXIT_FAILED, EXIT_PASSED
from hookwright.git.repo import Repo
from hookwright.user_regex import compile_pattern

_GENERATED = re.compile(r"^(Merge |Revert \"|fixup! |squash! |amend! )")
_SCISSORS = "# ------------------------ >8 ------------------------"

MAX_MESSAGE_BYTES = 1024 * 1024  # a message, not a file someone pointed at by mistake


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", help="the message file git passes to the commit-msg hook")


def subject_of(text: str) -> str:
    """The first line that is not a comment (git drops comments and everything below the scissors)."""
    for line in text.split(_SCISSORS, 1)[0].splitlines():
        if line.strip() and not line.startswith("#"):
            return line.rstrip()
    return ""


def problems(text: str, settings: dict[str, object]) -> list[str]:
    subject = subject_of(text)
    if not subject or _GENERATED.match(subject):
        return []
    found = []
    limit = int(settings.get("max_subject") or 0)  # type: ignore[call-overload]
    if limit and len(subject) > limit:
        found.append(f"the subject is {len(subject)} characters long; at most {limit}")
    pattern = settings.get("pattern")
    if isinstance(pattern, str) and not compile_pattern(pattern, "commit_msg.pattern").search(subject):
        found.append(f"the subject does not match {pattern!r}")
    return found


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    settings = dict(config.load_committed(repo).data.get("commit_msg") or {})
    raw = bounded_read.read_file(Path(args.file), MAX_MESSAGE_BYTES, f"the commit message {args.file}")
    text = raw.decode("utf-8", "replace")
    found = problems(text, settings)
    for problem in found:
        output.write_line(f"hookwright commit-msg: {problem}")
    return EXIT_FAILED if found else EXIT_PASSED
