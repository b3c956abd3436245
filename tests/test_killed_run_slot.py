"""A run killed with SIGKILL while its tests run: its pytest lives on, and its slot is not free.

Each process hookwright starts runs in a session of its own, so a SIGKILL to ``hookwright verify``
(the OOM killer, a runner's or an editor's timeout) leaves its pytest running the tests in the
snapshot slot. The slot's lock went with the killed process: on 3650294 the next run took the same
slot and exported its own tree into it under the still running tests (a test of the dead run that
puts a file back as it found it then writes the old bytes under the new run's tests).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from conftest import git, write

from hookwright.git import slot_groups

SLOW_TEST = """\
import os
import time
from pathlib import Path

SEEN = Path({seen!r})
HOLD = Path({hold!r})


def test_where_it_runs():
    SEEN.mkdir(exist_ok=True)
    (SEEN / str(os.getpid())).write_text(os.getcwd())
    if HOLD.exists() and not HOLD.read_text():  # the first run to get here holds on
        HOLD.write_text(str(os.getpid()))
        while HOLD.exists():
            time.sleep(0.05)
"""


def _verify(repo: Path) -> subprocess.Popen[str]:
    argv = [sys.executable, "-m", "hookwright", "verify", "--only", "tests", "--no-cache"]
    return subprocess.Popen(argv, cwd=repo, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


def _wait_for(condition, seconds: float = 120) -> None:  # type: ignore[no-untyped-def]
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "timed out"
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_the_next_run_does_not_share_a_slot_with_a_killed_runs_tests(
    committed_repo: Path, tmp_path: Path
) -> None:
    seen, hold = tmp_path / "seen", tmp_path / "hold"
    write(committed_repo / "tests" / "test_where.py", SLOW_TEST.format(seen=str(seen), hold=str(hold)))
    git(committed_repo, "add", "-A")
    hold.write_text("")
    first = _verify(committed_repo)
    _wait_for(lambda: hold.read_text() != "")
    orphan = int(hold.read_text())
    first.kill()  # SIGKILL: no handler runs, the pytest it started lives on
    first.communicate()
    try:
        assert _alive(orphan)
        second = _verify(committed_repo)
        out, _ = second.communicate(timeout=300)
        assert second.returncode == 0, out
        places = {int(p.name): p.read_text() for p in seen.iterdir()}
        [later] = [pid for pid in places if pid != orphan]
        assert places[later] != places[orphan], "the second run's tests ran in the killed run's slot"
    finally:
        hold.unlink()
        _wait_for(lambda: not _alive(orphan), 30)
    # Once the killed run's tests are over, its slot is free again.
    assert not slot_groups.still_running(Path(places[orphan]))
