"""A signal during the whole-suite re-run that follows a narrowed pass: no pass is kept anywhere.

The narrowed run passed, and is not the verdict: the whole run it asks for is. Stopped there, the run
must leave no passing record, no cached pass and the user's tree and index as they were.
"""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from conftest import PYTEST_CONFIG, files_of, git, write
from test_committed_bytes import verify
from test_interrupts import LINES, alive, start, wait_for, written

pytestmark = pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="reads /proc")

# Sleeps (and tells its pid) only while the switch says "sleep"; fails while it says "fail".
GUARDED_TEST = """\
import os, pathlib, time

SWITCH = pathlib.Path({switch!r})


def test_guarded():
    said = SWITCH.read_text() if SWITCH.exists() else ""
    if said == "sleep":
        pathlib.Path({pids!r}).write_text(str(os.getpid()))
        time.sleep(300)
    assert said != "fail"
"""


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM], ids=lambda s: signal.Signals(s).name)
def test_a_signal_in_the_whole_rerun_keeps_no_pass(committed_repo: Path, tmp_path: Path, sig: int) -> None:
    repo = committed_repo
    switch, pids = tmp_path / "switch", tmp_path / "pids"
    write(repo / "pyproject.toml", PYTEST_CONFIG)
    write(repo / "tests" / "test_a.py", "def test_a():\n    pass\n")
    write(repo / "tests" / "test_guarded.py", GUARDED_TEST.format(switch=str(switch), pids=str(pids)))
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "two tests")
    assert verify(repo, "--only", "tests", "--all-files").returncode == 0
    # Only test_a changes, and it leaves a variable behind: its narrowed pass asks for a whole run.
    write(repo / "tests" / "test_a.py", "import os\n\n\ndef test_a():\n    os.environ['FLAG'] = '1'\n")
    git(repo, "add", ".")
    switch.write_text("sleep")
    before, index = files_of(repo), (repo / ".git" / "index").read_bytes()
    records = repo / ".git" / "hookwright" / "records"
    known = set(records.iterdir())
    proc = start(repo, "verify", "--only", "tests")
    assert wait_for(written(pids)), "the whole re-run never started"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert (proc.returncode, err) == LINES[sig]
    assert wait_for(lambda: not alive(int(pids.read_text())), 10), "the test process outlived the signal"
    assert files_of(repo) == before
    assert (repo / ".git" / "index").read_bytes() == index
    for record in set(records.iterdir()) - known:
        assert json.loads(record.read_text())["outcome"] != "passed", record.read_text()
    # Had the stopped run kept a pass, this tree would now replay it.
    switch.write_text("fail")
    result = verify(repo, "--only", "tests")
    assert result.returncode == 1, f"a pass kept from a stopped run: {result.stdout}"
