"""Typed errors whose ``str`` is the sentence a user reads, and the one funnel to exit codes."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable, Sequence

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, TypeVar

EXIT_PASSED = 0
EXIT_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_INTERNAL = 3
EXIT_INTERRUPTED = 130


class HookwrightError(Exception):
    """Base of every error the library raises on purpose."""

    exit_code = EXIT_INTERNAL


class BadInput(HookwrightError):
    """Something the user can fix: a config, an argument, the state of the repository."""

    exit_code = EXIT_BAD_INPUT


class InputProblems(BadInput):
    """Several problems a user can fix; ``str`` joins them, ``problems`` keeps one line each."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


class ConfigError(BadInput):
    pass


class SchemaError(BadInput):
    pass


class GitError(BadInput):
    """Git refused or the repository is in a state we cannot work with."""


class PathEscape(BadInput):
    """A path would leave the repository (``..``, absolute, or through a symlink)."""


class TransactionError(HookwrightError):
    pass


if TYPE_CHECKING:
    F = TypeVar("F", bound=Callable[..., int])


def _write_details(exc: BaseException) -> str:
    # Imported here: only an internal error needs them, and every hook run would pay for them.
    import tempfile
    import time
    import traceback
    from pathlib import Path

    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    text = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    header = f"hookwright internal error at {time.strftime('%Y-%m-%dT%H:%M:%S')}\nargv: {sys.argv!r}\n"
    for directory in (Path(base) / "hookwright", Path(tempfile.gettempdir())):
        try:
            directory.mkdir(parents=True, exist_ok=True)
            path = directory / "hookwright.log"
            with path.open("a", encoding="utf-8") as log:
                log.write(header + text + "\n")
        except OSError:
            continue
        return str(path)
    return "<nowhere: no writable log directory>"


def report_error(message: str) -> None:
    # One line, always: a newline inside a message (a filename, a git error) would fake a second one.
    flat = " ".join(message.split("\n")).strip()
    sys.stderr.write(f"hookwright: error: {flat}\n")
    sys.stderr.flush()


_warned: set[str] = set()  # per command: the same warning from ten threads is one line


def report_warning(message: str) -> None:
    flat = " ".join(message.split("\n")).strip()
    if flat in _warned:
        return
    _warned.add(flat)
    sys.stderr.write(f"hookwright: warning: {flat}\n")
    sys.stderr.flush()


def entry_point(main: F | None = None, *, recover_first: bool = True) -> Any:
    """Map what ``main`` raises to the exit codes in DESIGN.md; no traceback reaches a user.

    Signals are armed around ``main`` (hookwright.interrupts); whatever ends it, child processes are
    stopped and file transactions it left open are rolled back before the exit code is returned.
    ``recover_first``: a transaction a killed run left behind is recovered before ``main`` starts.
    """
    if main is None:
        return functools.partial(entry_point, recover_first=recover_first)

    @functools.wraps(main)
    def guarded(argv: Sequence[str] | None = None) -> int:
        from hookwright import interrupts

        _warned.clear()
        try:
            with interrupts.armed():
                try:
                    if recover_first:
                        from hookwright import pending

                        pending.settle()
                    return main(argv)
                except BaseException:
                    _stop_children()
                    raise
                finally:
                    _clean_up()
        except InputProblems as exc:  # every problem at once, one line each
            for problem in exc.problems:
                report_error(problem)
            return exc.exit_code
        except HookwrightError as exc:
            if exc.exit_code == EXIT_INTERNAL:
                report_error(f"{exc} (details written to {_write_details(exc)})")
            else:
                report_error(str(exc))
            return exc.exit_code
        except KeyboardInterrupt as exc:
            _say(f"hookwright: {interrupts.describe(exc)}\n")
            return interrupts.exit_code(exc)
        except BrokenPipeError:
            # `hookwright ... | head`: the reader left; nothing to report.
            _silence_stdout()
            return EXIT_FAILED
        except Exception as exc:
            signal = _interrupt_behind(exc)
            if signal is not None:  # raised while unwinding from Ctrl-C (threading's lock, cut mid-acquire)
                _say(f"hookwright: {interrupts.describe(signal)}\n")
                return interrupts.exit_code(signal)
            where = _write_details(exc)
            report_error(f"internal error: {type(exc).__name__}: {exc} (details written to {where})")
            return EXIT_INTERNAL

    return guarded  # type: ignore[return-value]


def _interrupt_behind(exc: BaseException) -> KeyboardInterrupt | None:
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        if isinstance(exc, KeyboardInterrupt):
            return exc
        seen.add(id(exc))
        exc = exc.__context__  # type: ignore[assignment]
    return None


def _stop_children() -> None:
    # Only if something started a process: the module is not imported otherwise (start-up).
    parallel = sys.modules.get("hookwright.parallel")
    if parallel is not None:
        parallel.kill_all()


def _clean_up() -> None:
    parallel = sys.modules.get("hookwright.parallel")
    if parallel is not None:
        parallel.reset()  # after kill_all: undoing an index entry needs git again
    transactions = sys.modules.get("hookwright.transactions")
    if transactions is not None:
        transactions.settle_open()


def _say(line: str) -> None:
    # After SIGHUP the terminal may be gone: the exit code still tells.
    try:
        sys.stderr.write(line)
        sys.stderr.flush()
    except (OSError, ValueError):
        pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except OSError:
        pass
