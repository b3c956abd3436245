"""The console scripts end the process without the interpreter's teardown, and lose nothing by it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import git, hookwright, write

# In a child: an atexit handler, buffered output, then ``finish`` with an exit code.
AT_EXIT = """\
import atexit, sys
from hookwright.commands.console import finish
atexit.register(lambda: print("atexit ran"))
sys.stdout.write("buffered ")
sys.stderr.write("to stderr")
finish(3)
"""
# A non-daemon thread that is still going when the command returns: it must get to finish.
A_THREAD_LEFT = """\
import threading
from hookwright.commands.console import finish
go = threading.Event()
def late():
    go.wait()
    print("thread finished")
threading.Thread(target=late).start()
threading.Timer(0.2, go.set).start()
finish(0)
"""


def _child(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )


# Output still buffered when the reader has gone: the flush fails, so the ordinary exit runs; the
# atexit handler (it appends to a file) must have run exactly once, not once more at that exit.
A_CLOSED_PIPE = """\
import atexit, sys
from hookwright.commands.console import finish
atexit.register(lambda: open(sys.argv[1], "a").write("ran\\n"))
sys.stdout.write("verdict")
finish(0)
"""


def test_finish_keeps_the_exit_code_the_output_and_the_atexit_handlers() -> None:
    done = _child(AT_EXIT)
    assert (done.returncode, done.stdout, done.stderr) == (3, "buffered atexit ran\n", "to stderr")


def test_finish_waits_for_a_thread_that_is_not_a_daemon() -> None:
    done = _child(A_THREAD_LEFT)
    assert (done.returncode, done.stdout) == (0, "thread finished\n")


def test_the_verdict_and_its_code_come_through_the_module_entry_point(committed_repo: Path) -> None:
    write(committed_repo / "bad.py", "def f(:\n")
    git(committed_repo, "add", "bad.py")
    done = hookwright("verify", cwd=committed_repo)
    assert done.returncode == 1
    assert "bad.py:1" in done.stdout


def test_finish_with_a_closed_stdout_runs_the_handlers_once_and_exits_as_python_does(
    tmp_path: Path,
) -> None:
    log = tmp_path / "atexit.log"
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # keep the write buffered
    reader, writer = os.pipe()
    os.close(reader)  # the reader is gone before the child starts: every flush fails
    try:
        done = subprocess.run(
            [sys.executable, "-c", A_CLOSED_PIPE, str(log)],
            stdout=writer,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
            check=False,
        )
    finally:
        os.close(writer)
    assert done.returncode == 120  # CPython's code for output it could not flush at exit
    assert log.read_text() == "ran\n"
    assert b"Traceback" not in done.stderr
