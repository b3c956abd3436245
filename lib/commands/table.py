"""``hookwright``: one CLI, a table from subcommand to the module that implements it.

Only the chosen subcommand's module is imported: ``hookwright verify`` never pays for the dashboard.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Sequence

from hookwright import __version__
from hookwright.arguments import new_parser
from hookwright.errors import BadInput, entry_point


class Command:
    """A subcommand: its help line and where it lives (imported only when chosen)."""

    __slots__ = ("add_arguments", "help", "module", "run")

    def __init__(
        self, help: str, module: str, add_arguments: str = "add_arguments", run: str = "run_from_args"
    ):
        self.help = help
        self.module = module
        self.add_arguments = add_arguments
        self.run = run


COMMANDS: dict[str, Command] = {
    "verify": Command(
        "verify what is being committed (check-aggregate-report)", "hookwright.hooks.verify_commit"
    ),
    "records": Command(
        "list and show verification records; attach one as a git note", "hookwright.commands.records"
    ),
    "recover": Command(
        "finish or undo file transactions interrupted by a crash", "hookwright.commands.recover"
    ),
    "config": Command("print the effective configuration", "hookwright.commands.config"),
    "schema": Command(
        "print a JSON Schema (patterns, config, records)",
        "hookwright.commands.instances",
        "add_schema_arguments",
        "run_schema",
    ),
    "validate": Command(
        "validate pattern instance files",
        "hookwright.commands.instances",
        "add_validate_arguments",
        "run_validate",
    ),
    "run": Command(
        "run a pattern from an instance file", "hookwright.commands.instances", "add_run_arguments", "run_run"
    ),
    "create": Command(
        "create one file from a template, checked and atomic", "hookwright.hooks.atomic_create"
    ),
    "batch": Command("create many files from templates, all or nothing", "hookwright.hooks.batch_create"),
    "module": Command(
        "create a module with its tests and package wiring", "hookwright.hooks.module_creation"
    ),
    "templates": Command("list template packs, show one, or its variables", "hookwright.commands.templates"),
    "github": Command("the GitHub Action's steps: refs, run, publish", "hookwright.commands.github"),
    "worktree": Command("create, verify, clean up worktrees safely", "hookwright.hooks.worktree_lifecycle"),
    "dashboard": Command(
        "write one offline HTML report of the records: time saved, success, top patterns",
        "hookwright.commands.dashboard",
    ),
    "stats": Command(
        "print the dashboard's headline figures",
        "hookwright.commands.dashboard",
        "add_stats_arguments",
        "run_stats",
    ),
    "heal": Command("fix the errors a command or log reports, prove each fix", "hookwright.hooks.self_heal"),
    "patch": Command(
        "apply a unified diff, verified; breaking hunks left out",
        "hookwright.hooks.refactor_patch",
        "add_patch_arguments",
    ),
    "refactor": Command(
        "rename a symbol across the project, verified",
        "hookwright.hooks.refactor_patch",
        "add_refactor_arguments",
    ),
    "patterns": Command("find repeated code and turn it into templates", "hookwright.commands.patterns"),
    "install": Command("install native git hooks (no stash, no framework)", "hookwright.commands.install"),
    "uninstall": Command(
        "remove hookwright's git hooks, putting back what was there",
        "hookwright.commands.install",
        "add_uninstall_arguments",
        "run_uninstall",
    ),
    "hook": Command("what an installed git hook runs (see `install`)", "hookwright.commands.hook"),
    "commit-msg": Command(
        "check a commit message against the config's commit_msg rules", "hookwright.commands.commit_msg"
    ),
}


def _usage() -> str:
    width = max(len(name) for name in COMMANDS)
    rows = "\n".join(f"  {name:<{width}}  {cmd.help}" for name, cmd in COMMANDS.items())
    return (
        "usage: hookwright [--version] COMMAND [ARGS]\n\n"
        "Pre-commit hooks and CI checks that verify exactly what is being committed.\n\n"
        f"commands:\n{rows}\n\n"
        "`hookwright COMMAND --help` describes each one.\n"
    )


@entry_point(recover_first=False)  # `recover` itself must see the journals as they are
def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help", "help"):
        sys.stdout.write(_usage())
        return 0 if args else 2
    if args[0] == "--version":
        sys.stdout.write(f"hookwright {__version__}\n")
        return 0
    name = args[0]
    command = COMMANDS.get(name)
    if command is None:
        raise BadInput(f"unknown command {name!r}; known: {', '.join(COMMANDS)} (see `hookwright --help`)")
    if name != "recover":
        from hookwright import pending

        pending.settle()
    module = importlib.import_module(command.module)
    parser = new_parser(f"hookwright {name}", command.help)
    getattr(module, command.add_arguments)(parser)
    namespace = parser.parse_args(args[1:])
    return int(getattr(module, command.run)(namespace))


if __name__ == "__main__":
    raise SystemExit(main())
