"""The console scripts: signals are held from the first line, before the command's modules load.

A Ctrl-C (or SIGTERM) while a hook starts up is remembered and raised once the error funnel runs, so
it ends as ``hookwright: interrupted``, never as a traceback from the middle of an import.

The installed scripts (``*_script``) end the process as soon as the command returns (``finish``);
the plain functions return the exit code, for callers that go on afterwards.
"""

from __future__ import annotations

from hookwright import interrupts

interrupts.hold()

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import NoReturn


def finish(code: int) -> NoReturn:
    """End the process with ``code`` without the interpreter's teardown.

    Freeing the ~200 modules and their objects one by one took 35-65 ms after a commit's verdict was
    printed (issue 22, syn50 at load ~5), longer than the rest of the tail. What the teardown does
    that anyone can see is done first: atexit handlers (coverage's data, logging), the standard
    streams flushed. Another non-daemon thread still running, or a stream that cannot take its
    output (a closed pipe): the ordinary exit, which reports it as before.
    """
    import atexit
    import os
    import sys
    import threading

    if any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        raise SystemExit(code)
    atexit._run_exitfuncs()
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except (OSError, ValueError):
        raise SystemExit(code) from None
    os._exit(code)


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


def hookwright_script() -> NoReturn:
    finish(hookwright())


def verify_commit_script() -> NoReturn:
    finish(verify_commit())


def self_heal_script() -> NoReturn:
    finish(self_heal())


def worktree_script() -> NoReturn:
    finish(worktree())
