"""The only place a subprocess starts: argv lists, timeouts, process-group kill, bounded output."""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Mapping, Sequence

from hookwright.frozen import Frozen

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    import subprocess
    from typing import IO, TypeVar

    T = TypeVar("T")

DEFAULT_MAX_OUTPUT = 8 * 1024 * 1024
_GRACE_SECONDS = 2.0

_live_lock = threading.Lock()
_live: set[subprocess.Popen[bytes]] = set()
_stopping = threading.Event()
_start_watchers: list[Callable[[int], None]] = []  # told each child's pid (its process group's id)


class Completed(Frozen):
    _fields = ("argv", "returncode", "stdout", "stderr", "duration", "timed_out", "truncated", "missing")
    __slots__ = _fields
    argv: tuple[str, ...]
    returncode: int
    stdout: bytes
    stderr: bytes
    duration: float
    timed_out: bool
    truncated: bool
    missing: bool

    def __init__(
        self,
        argv: tuple[str, ...],
        returncode: int,
        stdout: bytes,
        stderr: bytes,
        duration: float,
        timed_out: bool = False,
        truncated: bool = False,
        missing: bool = False,
    ) -> None:
        self._fill(argv, returncode, stdout, stderr, duration, timed_out, truncated, missing)

    @property
    def ok(self) -> bool:
        return self.returncode == 0 and not self.timed_out

    @property
    def out(self) -> str:
        return self.stdout.decode("utf-8", "replace")

    @property
    def err(self) -> str:
        return self.stderr.decode("utf-8", "replace")


class _BoundedCapture:
    """Keeps the first and the last half of ``limit`` bytes; the middle of a flood is dropped.

    ``limit`` None keeps everything: output the code parses (git's blobs, a test report) must never
    lose its middle, or a parser reads a guess (a 29 MB ``cat-file --batch`` once did).
    """

    def __init__(self, limit: int | None) -> None:
        self._half = max(limit // 2, 1) if limit is not None else None
        self._head = bytearray()
        self._tail: deque[bytes] = deque()
        self._tail_size = 0
        self.dropped = 0

    def feed(self, chunk: bytes) -> None:
        if self._half is None:
            self._head += chunk
            return
        room = self._half - len(self._head)
        if room > 0:
            self._head += chunk[:room]
            chunk = chunk[room:]
        if not chunk:
            return
        self._tail.append(chunk)
        self._tail_size += len(chunk)
        while self._tail_size > self._half:
            first = self._tail[0]
            excess = self._tail_size - self._half
            if len(first) <= excess:
                self._tail.popleft()
                self._tail_size -= len(first)
                self.dropped += len(first)
            else:
                self._tail[0] = first[excess:]
                self._tail_size -= excess
                self.dropped += excess

    def value(self) -> bytes:
        tail = b"".join(self._tail)
        if self.dropped:
            marker = f"\n... [{self.dropped} bytes of output dropped] ...\n".encode()
            return bytes(self._head) + marker + tail
        return bytes(self._head) + tail


def _drain(stream: IO[bytes], capture: _BoundedCapture) -> None:
    with stream:
        while chunk := stream.read(65536):
            capture.feed(chunk)


def _kill_group(proc: subprocess.Popen[bytes], sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, sig)


def _terminate(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the whole process group, then SIGKILL whatever is left after a grace period."""
    import subprocess

    _kill_group(proc, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(_GRACE_SECONDS)
    # Grandchildren may ignore SIGTERM or outlive the leader: the group goes either way.
    _kill_group(proc, signal.SIGKILL)
    proc.wait()


def kill_all() -> None:
    """Stop every running child process group and refuse to start new ones (used on Ctrl-C)."""
    _stopping.set()
    with _live_lock:
        procs = list(_live)
    for proc in procs:
        _kill_group(proc, signal.SIGKILL)


def watch_starts(watcher: Callable[[int], None]) -> Callable[[], None]:
    """Tell ``watcher`` the pid of every child running now and of every one started until the
    returned function is called. Each child leads a process group of its own (``start_new_session``):
    the pid is that group's id, which its own children keep unless they start a session too."""
    with _live_lock:
        _start_watchers.append(watcher)
        running = [proc.pid for proc in _live]
    for pid in running:
        watcher(pid)

    def stop() -> None:
        with _live_lock:
            _start_watchers.remove(watcher)

    return stop


def reset() -> None:
    """Allow processes again after ``kill_all`` (for long-lived callers and tests)."""
    _stopping.clear()


def run(
    argv: Sequence[str],
    *,
    cwd: str | os.PathLike[str] | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float | None = None,
    input: bytes | Callable[[], bytes] | None = None,
    max_output: int | None = DEFAULT_MAX_OUTPUT,
) -> Completed:
    """Run ``argv`` to completion; ``max_output`` None keeps every byte (for output that is parsed).

    ``input`` may be a function: the process starts at once and is fed what it returns when it
    returns (a process started early, told what to do once the caller knows).
    """
    import subprocess  # here, not at the top: a run that starts no process never loads it

    argv = tuple(os.fspath(a) for a in argv)
    start = time.monotonic()
    if _stopping.is_set():
        return Completed(argv, -signal.SIGINT, b"", b"interrupted", 0.0)
    try:
        proc = subprocess.Popen(
            argv,
            cwd=cwd,
            env=dict(env) if env is not None else None,
            stdin=subprocess.PIPE if input is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,  # its own process group: a kill reaches grandchildren too
        )
    except (FileNotFoundError, NotADirectoryError) as exc:
        missing = exc.filename in (None, argv[0])
        message = f"executable not found: {argv[0]}" if missing else str(exc)
        return Completed(argv, 127, b"", message.encode(), 0.0, missing=missing)
    except PermissionError as exc:
        return Completed(argv, 126, b"", f"cannot execute {argv[0]}: {exc}".encode(), 0.0)

    with _live_lock:
        _live.add(proc)
        if _stopping.is_set():  # kill_all ran between our check above and now
            _kill_group(proc, signal.SIGKILL)
        watchers = list(_start_watchers)
    for watcher in watchers:
        watcher(proc.pid)
    out, err = _BoundedCapture(max_output), _BoundedCapture(max_output)
    assert proc.stdout is not None and proc.stderr is not None
    readers = [
        threading.Thread(target=_drain, args=(proc.stdout, out), daemon=True),
        threading.Thread(target=_drain, args=(proc.stderr, err), daemon=True),
    ]
    for reader in readers:
        reader.start()
    timed_out = False
    try:
        if input is not None:
            threading.Thread(target=_feed, args=(proc, input), daemon=True).start()
        if not _exited(proc, timeout):
            timed_out = True
            _terminate(proc)
        for reader in readers:
            reader.join(1.0)
        if any(reader.is_alive() for reader in readers):
            # A background grandchild still holds the pipe open: it goes with its group.
            _kill_group(proc, signal.SIGKILL)
            for reader in readers:
                reader.join()
    except BaseException:
        _terminate(proc)
        raise
    finally:
        with _live_lock:
            _live.discard(proc)
    return Completed(
        argv,
        proc.returncode if not timed_out else -signal.SIGKILL,
        out.value(),
        err.value(),
        time.monotonic() - start,
        timed_out=timed_out,
        truncated=bool(out.dropped or err.dropped),
    )


def _exited(proc: subprocess.Popen[bytes], timeout: float | None) -> bool:
    """Wait for ``proc`` to end; False when ``timeout`` passed first.

    ``Popen.wait(timeout)`` polls with sleeps that grow to 50 ms, so a process is seen to end up to
    50 ms late (every pytest run of every commit). A pidfd wakes us the moment it ends (Linux).
    """
    import subprocess

    if timeout is not None and hasattr(os, "pidfd_open"):
        import select

        try:
            pidfd = os.pidfd_open(proc.pid)
        except OSError:
            pidfd = None
        if pidfd is not None:
            try:
                poller = select.poll()
                poller.register(pidfd, select.POLLIN)
                if not poller.poll(max(0, int(timeout * 1000))):
                    return False
            finally:
                os.close(pidfd)
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        return False
    return True


def _feed(proc: subprocess.Popen[bytes], data: bytes | Callable[[], bytes]) -> None:
    assert proc.stdin is not None
    try:
        with proc.stdin:
            proc.stdin.write(data() if callable(data) else data)
    except (BrokenPipeError, OSError):
        pass


def process_alive(pid: int) -> bool:
    """Whether a process with this id exists here (one owned by another user counts as alive)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def default_jobs() -> int:
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def run_many(
    tasks: Sequence[Callable[[], T]],
    *,
    jobs: int | None = None,
    on_done: Callable[[int, T], None] | None = None,
) -> list[T]:
    """Run ``tasks`` with at most ``jobs`` at a time; results come back in input order.

    Plain threads rather than concurrent.futures: this runs on every commit, and that import alone
    (it pulls in logging) costs more than the git processes it waits for.
    """
    if not tasks:
        return []
    jobs = max(1, min(jobs or default_jobs(), len(tasks)))
    slots: list[T | None] = [None] * len(tasks)
    errors: list[BaseException] = []
    lock = threading.Lock()
    pending = iter(range(len(tasks)))

    def worker() -> None:
        while not errors:
            with lock:
                index = next(pending, None)
            if index is None:
                return
            try:
                slots[index] = tasks[index]()
                if on_done:
                    with lock:
                        on_done(index, slots[index])  # type: ignore[arg-type]
            except BaseException as exc:
                errors.append(exc)
                return

    if jobs == 1:
        worker()
    else:
        threads = [threading.Thread(target=worker, daemon=True) for _ in range(jobs)]
        for thread in threads:
            thread.start()
        try:
            for thread in threads:
                thread.join()
        except BaseException:
            errors.append(KeyboardInterrupt())
            kill_all()
            # Let the tasks unwind (their temporary directories go with them) before we exit.
            give_up = time.monotonic() + _GRACE_SECONDS
            for thread in threads:
                thread.join(max(0.0, give_up - time.monotonic()))
            raise
    if errors:
        raise errors[0]
    return slots  # type: ignore[return-value]
