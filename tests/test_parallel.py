from __future__ import annotations

import os
import sys
import threading
import time
from pathlib import Path

from hookwright import parallel


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie still answers kill(0): look at its state.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split()[2]
    except OSError:
        return False
    return state != "Z"


def test_timeout_kills_the_whole_process_group(tmp_path: Path) -> None:
    pidfile = tmp_path / "grandchild.pid"
    script = f"sleep 60 & echo $! > {pidfile}; wait"
    result = parallel.run(["sh", "-c", script], timeout=1)
    assert result.timed_out
    assert not result.ok
    grandchild = int(pidfile.read_text())
    deadline = time.monotonic() + 5
    while _alive(grandchild) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not _alive(grandchild), "the grandchild sleep outlived the timeout"


def test_background_grandchild_holding_the_pipe_does_not_hang(tmp_path: Path) -> None:
    pidfile = tmp_path / "bg.pid"
    result = parallel.run(["sh", "-c", f"sleep 60 & echo $! > {pidfile}; echo done"], timeout=30)
    assert result.returncode == 0
    assert result.out.strip() == "done"
    time.sleep(0.1)
    assert not _alive(int(pidfile.read_text()))


def test_missing_executable_is_a_result_not_a_crash() -> None:
    result = parallel.run(["hookwright-no-such-tool", "--x"])
    assert result.missing
    assert result.returncode == 127
    assert "not found" in result.err


def test_output_is_bounded_keeping_head_and_tail() -> None:
    code = "import sys; sys.stdout.write('HEAD' + 'x' * 5_000_000 + 'TAIL')"
    result = parallel.run([sys.executable, "-c", code], max_output=100_000)
    assert result.truncated
    assert len(result.stdout) < 110_000
    assert result.stdout.startswith(b"HEAD")
    assert result.stdout.endswith(b"TAIL")
    assert b"bytes of output dropped" in result.stdout


def test_input_and_env_and_cwd(tmp_path: Path) -> None:
    code = "import os, sys; print(sys.stdin.read(), os.environ['HW_X'], os.getcwd())"
    result = parallel.run(
        [sys.executable, "-c", code], input=b"abc", env={**os.environ, "HW_X": "1"}, cwd=tmp_path
    )
    assert result.out.split() == ["abc", "1", str(tmp_path)]


def test_run_many_keeps_input_order_with_bounded_concurrency() -> None:
    running = 0
    peak = 0
    lock = threading.Lock()

    def task(i: int) -> object:
        def inner() -> int:
            nonlocal running, peak
            with lock:
                running += 1
                peak = max(peak, running)
            time.sleep(0.02 * (5 - i % 5))
            with lock:
                running -= 1
            return i

        return inner

    done: list[int] = []
    results = parallel.run_many([task(i) for i in range(12)], jobs=3, on_done=lambda i, r: done.append(i))
    assert results == list(range(12))
    assert peak <= 3
    assert sorted(done) == list(range(12))


def test_arguments_are_never_interpreted_by_a_shell(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    result = parallel.run(["echo", f"; touch {marker}", "$(touch x)"], cwd=tmp_path)
    assert result.out.strip() == f"; touch {marker} $(touch x)"
    assert not marker.exists()
    assert not (tmp_path / "x").exists()


def test_an_exit_under_a_timeout_keeps_its_status_and_all_its_output() -> None:
    # Waited on a pidfd (Linux): the process is reaped once, with its own status, and the pipes drain.
    result = parallel.run(["sh", "-c", "printf 'x%.0s' $(seq 1000); exit 3"], timeout=30)
    assert result.returncode == 3 and not result.timed_out
    assert result.out == "x" * 1000
