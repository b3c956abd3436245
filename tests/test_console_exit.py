"""The console scripts end the process without the interpreter's teardown, and lose nothing by it."""

from __future__ import annotations

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
