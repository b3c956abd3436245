"""SIGINT, SIGTERM and SIGHUP as one exception that unwinds through every ``finally`` and rollback.

What ``timeout``, a cancelled CI job and a closed terminal send must clean up exactly as Ctrl-C does.
Console scripts ``hold`` signals from their first line, so a Ctrl-C while modules load is remembered
instead of printing a traceback; the error funnel then runs ``main`` ``armed``: a signal raises
``Interrupted`` in the main thread (one that arrived while held is raised at once). While an interrupt
unwinds, a second signal is only remembered, so the cleanup finishes; a third ends the process now.
A signal the parent set to be ignored (``nohup``, a background job's SIGINT) stays ignored.
"""

from __future__ import annotations

import _thread
import contextlib
import os
import signal
import sys
import threading
from collections.abc import Iterator

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)

_received: list[int] = []  # while held, deferred or unwinding
_state = {"armed": False, "unwinding": False}


class Interrupted(KeyboardInterrupt):
    """A signal, raised where the main thread was; ``exit_code`` is what a shell shows for it."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def exit_code(exc: BaseException) -> int:
    return exc.exit_code if isinstance(exc, Interrupted) else 128 + signal.SIGINT


def describe(exc: BaseException) -> str:
    signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
    return "interrupted" if signum == signal.SIGINT else f"interrupted ({signal.Signals(signum).name})"


def _main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def _remember(signum: int, frame: FrameType | None) -> None:
    _received.append(signum)


def _raise(signum: int, frame: FrameType | None) -> None:
    if not _state["unwinding"]:
        _state["unwinding"] = True
        raise Interrupted(signum)
    _received.append(signum)
    if len(_received) >= 2:  # the third signal: the user means it, cleanup or not
        from hookwright import parallel

        parallel.kill_all()
        with contextlib.suppress(OSError):
            os.write(2, b"hookwright: interrupted again; stopped before cleaning up\n")
        os._exit(128 + signum)


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An ``Interrupted`` raised where Python cannot raise (a weakref callback such as importlib's
    module-lock cleanup, a ``__del__``) is printed and dropped: the run would go on to the end as if
    no Ctrl-C had come. It is delivered again, from another thread so that it lands in the main
    thread's own code once this callback has returned."""
    exc = unraisable.exc_value
    if not isinstance(exc, Interrupted) or not _state["armed"]:
        _previous_hook[0](unraisable)
        return
    _state["unwinding"] = False
    # _thread, not threading.Thread: Thread.start waits for the thread, and the signal would land
    # in that wait, still inside this hook.
    _thread.start_new_thread(signal.raise_signal, (exc.signum,))


_previous_hook = [sys.unraisablehook]


def _install(handler: object) -> dict[int, object]:
    previous: dict[int, object] = {}
    for sig in SIGNALS:
        current = signal.getsignal(sig)
        if current is signal.SIG_IGN:
            continue
        previous[sig] = current
        signal.signal(sig, handler)  # type: ignore[arg-type]
    return previous


def _restore(previous: dict[int, object]) -> None:
    for sig, handler in previous.items():
        signal.signal(sig, handler if handler is not None else signal.SIG_DFL)  # type: ignore[arg-type]


def hold() -> None:
    """The first line of a console script: remember signals until ``armed`` raises them."""
    if _main_thread():
        _install(_remember)


@contextlib.contextmanager
def armed() -> Iterator[None]:
    """Signals raise ``Interrupted`` in here; one received while held is raised on entry."""
    if not _main_thread() or _state["armed"]:
        yield
        return
    previous = _install(_raise)
    _state["armed"] = True
    _previous_hook[0], sys.unraisablehook = sys.unraisablehook, _unraisable
    try:
        if _received:
            _state["unwinding"] = True
            raise Interrupted(_received.pop(0))
        yield
    finally:
        _restore(previous)
        sys.unraisablehook = _previous_hook[0]
        _state.update(armed=False, unwinding=False)
        _received.clear()


@contextlib.contextmanager
def deferred() -> Iterator[None]:
    """A step that must finish (a rollback, a file replace): signals wait until it has."""
    if not _main_thread():
        yield
        return
    before = len(_received)
    previous = _install(_remember)
    failed = False
    try:
        yield
    except BaseException:
        failed = True
        raise
    finally:
        _restore(previous)
        late = _received[before:]
        del _received[before:]
        if late and not failed:
            signal.raise_signal(late[0])  # to whatever handles it now: ours raises, the default dies
