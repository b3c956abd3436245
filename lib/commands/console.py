"""The console scripts: signals are held from the first line, before the command's modules load.

A Ctrl-C (or SIGTERM) while a hook starts up is remembered and raised once the error funnel runs, so
it ends as ``hookwright: interrupted``, never as a traceback from the middle of an import.
"""

from __future__ import annotations

from hookwright import interrupts

interrupts.hold()


def hookwright() -> int:
    from hookwright.commands.table import main

    return main()


def verify_commit() -> int:
    from hookwright.hooks.verify_commit import main

    return main()


def self_heal() -> int:
    from hookwright.hooks.self_heal import main

    return main()


def worktree() -> int:
    from hookwright.hooks.worktree_lifecycle import main

    return main()
