"""The process groups a run started while it held a snapshot slot: a slot is free only once they end.

A slot's ``flock`` goes with the process that holds it. A run killed with SIGKILL (the OOM killer,
an editor's or a runner's timeout) frees it at once, while the processes it started go on: each runs
in a session of its own (``parallel.run``), so no signal to the run reaches them. A pytest started
by the killed run kept running its tests in the slot, and the next run took the same slot (each work
tree prefers its own) and exported its tree there while they ran: a test of the dead run that puts
a file back as it found it wrote the old bytes under the new run's tests (t31, measured). So a run
writes the id of every process group it starts while it holds a slot beside it (``slot-N.groups``),
and a slot where one of them is still alive is passed over as busy. A group id reused by another
program only costs a slot for as long as that program lives.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from hookwright import parallel


def groups_file(slot: Path) -> Path:
    return slot.with_name(f"{slot.name}.groups")


def still_running(slot: Path) -> bool:
    """Whether a process group an earlier holder of ``slot`` started is still alive."""
    try:
        listed = groups_file(slot).read_bytes().split()
    except OSError:
        return False
    for item in dict.fromkeys(listed):
        if not item.isdigit() or int(item) <= 1:
            continue
        try:
            os.killpg(int(item), 0)
        except ProcessLookupError:
            continue
        except OSError:  # (PermissionError: alive, another user's by now; busy all the same)
            return True
        return True
    return False


@contextlib.contextmanager
def recorded(slot: Path) -> Iterator[None]:
    """While the slot is held, every process group this run starts is written down for it."""
    try:
        handle = os.open(groups_file(slot), os.O_WRONLY | os.O_CREAT | os.O_TRUNC | os.O_APPEND, 0o600)
    except OSError:
        yield  # (unwritable: the state directory's other files are not written either)
        return

    def write(pid: int) -> None:
        with contextlib.suppress(OSError):
            os.write(handle, b"%d\n" % pid)

    stop = parallel.watch_starts(write)
    try:
        yield
    finally:
        stop()
        os.close(handle)
