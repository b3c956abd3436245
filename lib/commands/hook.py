"""``hookwright hook TYPE``: what a native git hook runs (``hookwright install`` writes the scripts).

The configuration's ``hooks:`` section says which steps run at which stage; a stage it does not
mention runs its built-in steps. Each step is a pattern's own entry point, so a native hook and the
pre-commit framework's hook decide the same way. Nothing here stashes or rewrites the user's files:
verify reads a private copy of the index, and self-heal edits only the files being committed.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from hookwright import config
from hookwright.errors import EXIT_PASSED
from hookwright.git.hook_scripts import HOOK_TYPES
from hookwright.git.repo import NULL_SHA, Repo

# The steps of each stage when the configuration's `hooks:` section does not name that stage.
BUILTIN: dict[str, list[str]] = {
    "pre-commit": ["verify"],
    "pre-push": ["verify"],
    "commit-msg": ["commit_msg"],
    "post-checkout": ["worktree"],
    "post-merge": ["worktree"],
    "post-commit": ["note"],
}
STEPS_AT = {
    "verify": ("pre-commit", "pre-push"),
    "self_heal": ("pre-commit",),
    "commit_msg": ("commit-msg",),
    "worktree": ("post-checkout", "post-merge", "pre-push"),
    "note": ("post-commit",),
}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("hook", choices=HOOK_TYPES, help="the git hook being run")
    parser.add_argument("args", nargs="*", help="what git passes to that hook")


def _cli(*argv: str) -> int:
    from hookwright.commands import table as cli

    return cli.main(list(argv))


def _verify(repo: Repo, hook: str, args: Sequence[str]) -> int:
    if hook == "pre-commit":
        return _cli("verify")
    worst = EXIT_PASSED
    # pre-push: one line per ref pushed on stdin: <local ref> <local sha> <remote ref> <remote sha>.
    for line in sys.stdin.read().splitlines():
        fields = line.split()
        if len(fields) != 4 or set(fields[1]) == {"0"}:
            continue  # a deletion pushes no new content
        worst = max(worst, _cli("verify", "--from-ref", fields[3] or NULL_SHA, "--to-ref", fields[1]))
    return worst


def _self_heal(repo: Repo, hook: str, args: Sequence[str]) -> int:
    from hookwright.hooks import self_heal

    staged = repo.check("diff", "--cached", "--name-only", "-z", "--diff-filter=ACMR", "--", "*.py", "*.pyi")
    files = [p.decode("utf-8", "surrogateescape") for p in staged.split(b"\0") if p]
    return self_heal.main(["--", *files]) if files else EXIT_PASSED  # the console script's rules


def _commit_msg(repo: Repo, hook: str, args: Sequence[str]) -> int:
    return _cli("commit-msg", *args[:1])


def _worktree(repo: Repo, hook: str, args: Sequence[str]) -> int:
    return _cli("worktree", "hook", "--stage", "pre-push" if hook == "pre-push" else "post-checkout")


def _note(repo: Repo, hook: str, args: Sequence[str]) -> int:
    return _cli("records", "note")


RUNNERS: dict[str, Callable[[Repo, str, Sequence[str]], int]] = {
    "verify": _verify,
    "self_heal": _self_heal,
    "commit_msg": _commit_msg,
    "worktree": _worktree,
    "note": _note,
}


def steps_for(cfg: config.Config, hook: str) -> list[str]:
    configured = cfg.data.get("hooks") or {}
    return list(configured.get(hook, BUILTIN[hook]))


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    # What runs when is part of the committed configuration, like everything else in it.
    cfg = config.load_committed(repo, at_head=args.hook != "pre-commit")
    for step in steps_for(cfg, args.hook):
        code = RUNNERS[step](repo, args.hook, args.args)
        if code != EXIT_PASSED:
            return code
    return EXIT_PASSED
