"""The ``hookwright worktree`` argument table: one subcommand per operation, with its options."""

from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--config", "-c", help="config file (default: .hookwright.yaml or pyproject.toml)")
    common.add_argument("--format", "-f", choices=("text", "json"), default="text")
    sub = parser.add_subparsers(dest="operation", required=True, metavar="OPERATION")

    def add(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, help=help, description=help, parents=[common])

    create = add("create", "a new worktree, set up and verified; rolled back on failure")
    create.add_argument("branch", help="the branch to check out (created from --base when new)")
    create.add_argument("path", nargs="?", help="where (default: ../<repo>-<branch>)")
    create.add_argument("--base", help="start a new branch here (default: HEAD)")
    create.add_argument("--no-verify", dest="verify", action="store_false", help="skip the checks")
    verify = add("verify", "run the checks in a temporary worktree, always torn down")
    verify.add_argument("path", nargs="?", help="the worktree whose staged index is verified")
    verify.add_argument("--staged", action="store_true", help="the staged index (the default)")
    verify.add_argument("--ref", help="verify this commit instead of an index")
    verify.add_argument("--from-ref", help="with --ref: verify only what FROM_REF..REF adds")
    verify.add_argument("--only", action="append", default=[], metavar="CHECK")
    verify.add_argument("--skip", action="append", default=[], metavar="CHECK")
    verify.add_argument("--timeout", type=float, help="give up (and tear down) after SECONDS")
    verify.add_argument("--no-cache", dest="cache", action="store_false")
    verify.add_argument("--jobs", "-j", type=int)
    add("list", "every worktree: branch, HEAD, clean, ahead/behind, merged, age")
    status = add("status", "the state of some worktrees (default: all)")
    status.add_argument("paths", nargs="*")
    remove = add("remove", "remove a worktree; refused when it holds work")
    remove.add_argument("path")
    remove.add_argument("--force", action="store_true", help="remove it even though work would be lost")
    remove.add_argument("--dry-run", action="store_true")
    prune = add("prune", "remove missing, merged or old worktrees that hold no work")
    prune.add_argument("--merged", action="store_true", help="worktrees whose branch is merged")
    prune.add_argument("--older-than", dest="older_than_days", type=float, metavar="DAYS")
    prune.add_argument("--delete-branches", action="store_true", help="delete their merged branches too")
    prune.add_argument("--dry-run", action="store_true")
    hook = add("hook", "the pre-commit hook (post-checkout, pre-push)")
    hook.add_argument("--stage", choices=("post-checkout", "pre-push"))
