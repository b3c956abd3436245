"""``hookwright install`` / ``uninstall``: native git hooks, no pre-commit framework in between."""

from __future__ import annotations

import argparse

from hookwright import config, output
from hookwright.errors import EXIT_PASSED
from hookwright.git import hook_scripts as githooks
from hookwright.git.repo import Repo


def _add_hook_type(parser: argparse.ArgumentParser, help: str) -> None:
    parser.add_argument("--hook-type", "-t", action="append", choices=githooks.HOOK_TYPES, help=help)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    _add_hook_type(
        parser, "a hook to install (repeatable; default: the stages of the config's `hooks:` section)"
    )
    parser.add_argument(
        "--overwrite",
        action="store_true",
        help="replace an existing hook (kept aside, put back by uninstall) instead of running it first",
    )


def add_uninstall_arguments(parser: argparse.ArgumentParser) -> None:
    _add_hook_type(parser, "default: every hook we installed")


def run_from_args(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    hooks = args.hook_type or list(config.load_committed(repo).data.get("hooks") or {"pre-commit": []})
    for line in githooks.install(repo, list(dict.fromkeys(hooks)), overwrite=args.overwrite):
        output.write_line(line)
    output.write_line(f"hooks in {githooks.hooks_dir(repo)}")
    return EXIT_PASSED


def run_uninstall(args: argparse.Namespace) -> int:
    repo = Repo.discover()
    hooks = args.hook_type or githooks.installed(repo)
    for line in githooks.uninstall(repo, list(dict.fromkeys(hooks))) or ["no hookwright hooks installed"]:
        output.write_line(line)
    return EXIT_PASSED
