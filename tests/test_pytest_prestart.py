"""The pytest started early (while the tests check plans) must run exactly as a plain pytest would."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import TEST_ADD, git, hookwright, write

from hookwright import parallel
from hookwright.testing import pytest_prestart


@pytest.mark.parametrize(
    ("paths", "shadows"),
    [
        (["json.py"], True),
        (["src/inspect/__init__.py"], True),
        (["pytest/README.md"], True),
        (["pkg/json.py", "src/pkg/inspect.py"], False),
        (["site/index.html", "types/index.d.ts"], False),  # folders without __init__.py shadow nothing
        (["test/__init__.py", "json.pyx"], False),
        (["sitecustomize.py"], True),  # imported at start-up from the tree when it is on PYTHONPATH
        (["src/usercustomize.py"], True),
    ],
)
def test_a_tree_module_named_like_a_standard_one_gets_a_plain_run(paths: list[str], shadows: bool) -> None:
    assert pytest_prestart.shadows_pytest(paths) is shadows


@pytest.mark.parametrize("name", ["inspect", "json"])
def test_a_tree_that_breaks_a_plain_pytest_never_passes(committed_repo: Path, name: str) -> None:
    # `python -m pytest` in this tree imports the tree's module in place of the standard one, and
    # fails; a pytest that imported the standard one before the tree was on its path would pass.
    write(committed_repo / f"{name}.py", 'raise RuntimeError("this tree\'s module")\n')
    write(committed_repo / "tests" / "test_mod.py", "def test_add():\n    assert 1 + 2 == 3\n")
    git(committed_repo, "add", ".")
    result = hookwright("verify", "--only", "tests", cwd=committed_repo)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "tests" in result.stdout


def test_a_tree_sitecustomize_is_as_in_a_plain_run(committed_repo: Path) -> None:
    # A plain `python -m pytest` at the root has the root on sys.path only after start-up: it never
    # runs the tree's sitecustomize, started early or not (t28: hookwright's run ran it, through the
    # copy on PYTHONPATH, and this test expected that; tests/test_tree_sitecustomize.py).
    write(committed_repo / "sitecustomize.py", "import os\nos.environ['FROM_THE_TREE'] = '1'\n")
    write(
        committed_repo / "tests" / "test_mod.py",
        "import os\n\n\ndef test_plain():\n    assert 'FROM_THE_TREE' not in os.environ\n",
    )
    git(committed_repo, "add", ".")
    result = hookwright("verify", "--only", "tests", cwd=committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_dismissed_pytest_ends_without_finishing_its_imports(tmp_path: Path) -> None:
    # A `pytest` that never finishes importing: the process must still end once dismissed.
    blocker = tmp_path / "blocker"
    fifo = tmp_path / "never-written"
    os.mkfifo(fifo)
    pid_file = tmp_path / "pid"
    write(
        blocker / "pytest.py",
        f"import os\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\nopen({str(fifo)!r}).read()\n",
    )
    tree = tmp_path / "tree"
    tree.mkdir()
    env = {**os.environ, "PYTHONPATH": str(blocker)}
    early = pytest_prestart.Prestart(sys.executable, str(tree), env, timeout=120)
    pid = _wait_for(lambda: pid_file.exists() and pid_file.read_text())
    early.close()
    try:
        assert _wait_for(lambda: not parallel.process_alive(int(pid))), "the dismissed process lives on"
    finally:
        # Lets a process that ignored its dismissal end (no reader left: nothing to do).
        with contextlib.suppress(OSError):
            os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_a_prestarted_pytest_runs_what_it_is_told(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    write(
        tree / "test_one.py",
        "import os\n\n\ndef test_env():\n    assert os.environ['HOOKWRIGHT_PYTEST_X'] == '1'\n",
    )
    early = pytest_prestart.Prestart(sys.executable, str(tree), dict(os.environ), timeout=120)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    done = early.take(argv, cwd=str(tree), env={**os.environ, "HOOKWRIGHT_PYTEST_X": "1"})
    assert done is not None
    assert done.returncode == 0, done.out + done.err
    assert "1 passed" in done.out


def test_a_pytest_started_outside_the_tree_runs_there_as_a_plain_run_would(tmp_path: Path) -> None:
    # Started before the tree is exported (verify starts it before reading the index), then told
    # where the tree is: its cwd, sys.path and PYTHONPATH must be a plain `python -m pytest`'s.
    tree, seen = tmp_path / "tree", tmp_path / "seen.json"
    write(tree / "src" / "pkg" / "__init__.py", "VALUE = 3\n")
    write(
        tree / "tests" / "test_where.py",
        "import json, os, sys\n\nimport pkg\n\n\ndef test_where():\n"
        f"    with open({str(seen)!r}, 'w') as out:\n"
        "        json.dump([os.getcwd(), sys.path, os.environ['PYTHONPATH'], pkg.__file__], out)\n"
        "    assert pkg.VALUE == 3\n",
    )
    outside = tmp_path / "outside"
    outside.mkdir()
    plugin_dir, user_dir = str(tmp_path / "plugin"), str(tmp_path / "user")
    started_env = {**os.environ, "PYTHONPATH": os.pathsep.join([plugin_dir, user_dir])}
    early = pytest_prestart.Prestart(sys.executable, str(outside), started_env, timeout=120, outside=True)
    tree_paths = [str(tree / "src"), str(tree)]
    final = os.pathsep.join([plugin_dir, *tree_paths, user_dir])
    env = {**started_env, "PYTHONPATH": final}
    assert early.retarget(str(tree), env)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    done = early.take(argv, cwd=str(tree), env=env)
    assert done is not None
    assert done.returncode == 0, done.out + done.err
    adopted = json.loads(seen.read_text())
    plain = parallel.run(argv, cwd=str(tree), env=env, timeout=120)
    assert plain.returncode == 0, plain.out + plain.err
    assert adopted == json.loads(seen.read_text())  # cwd, the whole sys.path, PYTHONPATH, the module
    assert adopted[3] == str(tree / "src" / "pkg" / "__init__.py")


@pytest.mark.parametrize(
    ("started", "final", "other"),
    [
        (["/p", "u"], ["/p", "/t", "u"], {}),  # a relative entry: resolved against another directory
        (["/p"], ["/p", "t"], {}),
        (["/p"], ["/t"], {}),  # an entry it started with is gone
        (["/p"], ["/p"], {}),  # nothing of the tree
        (["/p"], ["/p", "/t"], {"OTHER": "1"}),  # any other variable differs
        (["/p", "/p"], ["/p", "/t", "/p"], {}),  # site keeps one of each: its place is not known
        (["/p/../q"], ["/t", "/p/../q"], {}),
    ],
)
def test_a_pytest_started_outside_is_not_moved_where_it_could_differ(
    tmp_path: Path, started: list[str], final: list[str], other: dict[str, str]
) -> None:
    base = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": os.pathsep.join(started)}
    early = pytest_prestart.Prestart(sys.executable, str(tmp_path), base, timeout=120, outside=True)
    try:
        env = {**base, **other, "PYTHONPATH": os.pathsep.join(final)}
        assert not early.retarget(str(tmp_path / "tree"), env)
        accepted = {**base, "PYTHONPATH": os.pathsep.join(["/t", *started])}
        assert early.retarget(str(tmp_path / "tree"), accepted) is bool(
            pytest_prestart.absolute_entries(base["PYTHONPATH"])
            and len(set(started)) == len(started)
            and all(os.path.normpath(e) == e for e in started)
        )
    finally:
        early.close()


def _wait_for(condition: object, limit: float = 60.0) -> object:
    """Poll ``condition`` until it is true (a generous bound: this is not a timing)."""
    assert callable(condition)
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        threading.Event().wait(0.05)
    return condition()


def test_a_folder_the_export_creates_after_the_start_is_imported_from(tmp_path: Path) -> None:
    # The first run of a fresh src-layout tree: pytest starts while `src/` does not exist yet, and
    # Python remembers a path entry it found missing as "nothing here" for the process's lifetime.
    # The committed package was then not found ("No module named 'jinja2'" in pallets/jinja's own
    # tree), or, worse, an installed copy of the work tree's version was imported in its place.
    tree = tmp_path / "tree"
    tree.mkdir()
    installed = tmp_path / "site"
    ready = tmp_path / "started"
    write(installed / "sitecustomize.py", f"open({str(ready)!r}, 'w').close()\n")
    write(installed / "pkg" / "__init__.py", "VALUE = 2\n")  # the work tree's fix, installed
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tree / "src"), str(installed)])}
    early = pytest_prestart.Prestart(sys.executable, str(tree), env, timeout=120)
    try:
        assert _wait_for(ready.exists), "the early pytest never started"
        write(tree / "src" / "pkg" / "__init__.py", "VALUE = 1\n")  # what is committed
        write(
            tree / "tests" / "test_pkg.py", "import pkg\n\n\ndef test_value():\n    assert pkg.VALUE == 2\n"
        )
        argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
        plain = subprocess.run(argv, cwd=tree, env=env, capture_output=True, text=True, check=False)
        assert plain.returncode == 1, plain.stdout
        done = early.take(argv, cwd=str(tree), env=env)
    finally:
        early.close()
    assert done is not None
    assert done.returncode == plain.returncode, done.out + done.err


# A test that leaves work for the end of the process: an atexit handler and a thread that is no
# daemon, each writing a file; and one that fails.
LEAVES_WORK = """\
import atexit, pathlib, threading

def test_leaves_work(tmp_path_factory):
    out = pathlib.Path(__file__).with_name("out")
    atexit.register(lambda: (out / "atexit").write_text("ran"))
    # Done only once the main thread has ended: an exit that does not wait for it loses the file.
    end = lambda: (threading.main_thread().join(), (out / "thread").write_text("ran"))
    threading.Thread(target=end).start()

def test_fails():
    assert False
"""


def test_a_prestarted_pytest_ends_as_a_plain_one_would(tmp_path: Path) -> None:
    # It skips the interpreter's teardown, not what the tests left for the end, nor the exit code.
    tree = tmp_path / "tree"
    write(tree / "test_work.py", LEAVES_WORK)
    (tree / "out").mkdir()
    early = pytest_prestart.Prestart(sys.executable, str(tree), dict(os.environ), timeout=120)
    argv = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    done = early.take(argv, cwd=str(tree), env=dict(os.environ))
    assert done is not None
    assert done.returncode == 1, done.out + done.err
    assert "1 failed, 1 passed" in done.out
    assert sorted(p.name for p in (tree / "out").iterdir()) == ["atexit", "thread"]


def test_pytest_is_started_before_the_tree_is_read_only_when_the_index_looks_new(
    committed_repo: Path,
) -> None:
    from hookwright.checks import pytest_early
    from hookwright.git.repo import Repo

    def looks_same() -> bool:
        return pytest_early._same_index_as_last_time(Repo.discover(committed_repo))

    assert not looks_same()  # nothing seen yet: start early
    assert looks_same()  # an unchanged re-run: the cache will most likely answer
    write(committed_repo / "pkg" / "new.py", "X = 1\n")
    git(committed_repo, "add", "pkg/new.py")
    assert not looks_same()  # new content staged: the tests check will most likely miss
    git(committed_repo, "commit", "-qm", "new")
    assert not looks_same()  # another HEAD
    assert looks_same()


def _processes_in(folder: Path) -> list[int]:
    """Processes whose working directory is ``folder`` or below it (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                if Path(os.readlink(entry / "cwd")).is_relative_to(folder):
                    found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/cwd").exists(), reason="reads working directories from /proc")
def test_a_dismissed_pytest_never_outlives_the_hook(committed_repo: Path, tmp_path: Path) -> None:
    # An interpreter started in the state folder (where the early pytest waits) starts slowly here,
    # so the dismissed one is still starting when the run ends. It must not outlive the hook: it
    # would go on writing bytecode under .git/hookwright after hookwright exited.
    site = tmp_path / "site"
    write(
        site / "sitecustomize.py",
        "import os, time\nif os.path.basename(os.getcwd()) == 'hookwright':\n    time.sleep(3)\n",
    )
    write(committed_repo / "tests" / "test_mod.py", "def test_add():\n    assert 1 + 2 == 3\n")
    git(committed_repo, "add", ".")
    env = {**os.environ, "PYTHONPATH": str(site)}
    first = hookwright("verify", "--only", "tests", cwd=committed_repo, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    index = committed_repo / ".git" / "index"
    later = index.stat().st_mtime + 10
    os.utime(index, (later, later))  # the index looks new: pytest starts early, the cache answers
    again = hookwright("verify", "--only", "tests", cwd=committed_repo, env=env)
    assert again.returncode == 0, again.stdout + again.stderr
    assert _processes_in(committed_repo / ".git" / "hookwright") == []


# Each test writes down how its process was started: `python -c LAUNCHER` or `python -m pytest`,
# beside the private copy, not in it (a run that writes into its tree is run again whole, unsplit).
HOW_STARTED = """\
import pathlib


def test_how_started():
    argv = pathlib.Path("/proc/self/cmdline").read_bytes().split(b"\\0")
    out = pathlib.Path(__file__).parent.parent.parent / "started" / pathlib.Path(__file__).stem
    out.parent.mkdir(exist_ok=True)
    out.write_bytes(argv[1])
"""


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads the command line from /proc")
def test_every_shard_runs_in_a_started_pytest(committed_repo: Path, tmp_path: Path) -> None:
    # The shards after the first run in twins of the early pytest, which end as it does (without
    # the interpreter's teardown), not in plain `python -m pytest` processes.
    for n in range(4):
        write(committed_repo / "tests" / f"test_s{n}.py", HOW_STARTED)
    write(committed_repo / ".hookwright.yaml", "checks:\n  tests:\n    shards: 2\n    select: all\n")
    git(committed_repo, "add", ".")
    exports = committed_repo / ".git" / "hookwright" / "snapshots"
    result = hookwright("verify", "--only", "tests", "--format", "json", cwd=committed_repo)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 shards" in result.stdout
    started = {p.name: p.read_bytes() for p in exports.glob("started/*")}
    assert sorted(started) == [f"test_s{n}" for n in range(4)], started
    assert set(started.values()) == {b"-c"}


# Every interpreter started in the state folder or an export writes down how: `-c` (the launcher of
# an early pytest, used or dismissed) or `-m` (a plain `python -m pytest`).
STARTS_LOG = """\
import os, sys
if "/.git/hookwright" in os.getcwd():
    with open({log!r}, "a") as log:
        log.write(open("/proc/self/cmdline", "rb").read().split(b"\\0")[1].decode() + "\\n")
"""


def _started_how(log: Path) -> list[str]:
    """How the interpreters of the last run were started (STARTS_LOG), read and then cleared."""
    how = log.read_text().split() if log.exists() else []
    log.unlink(missing_ok=True)
    return how


@pytest.mark.skipif(not Path("/proc/self/cmdline").exists(), reason="reads the command line from /proc")
def test_after_a_plan_that_ran_nothing_pytest_starts_only_when_planned(
    committed_repo: Path, tmp_path: Path
) -> None:
    # A pytest started early is dismissed, its imports done for nothing, when the plan runs no test
    # (a fresh function nothing names). After such a run the next starts pytest only once its plan
    # wants it, as a plain `python -m pytest`; what runs and what is decided stay as they were.
    log = tmp_path / "starts.log"
    write(tmp_path / "site" / "sitecustomize.py", STARTS_LOG.format(log=str(log)))
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site")}
    write(committed_repo / "tests" / "test_mod.py", TEST_ADD)
    git(committed_repo, "add", ".")

    def verify() -> subprocess.CompletedProcess[str]:
        return hookwright("verify", "--only", "tests", "--format", "json", cwd=committed_repo, env=env)

    first = verify()
    assert first.returncode == 0, first.stdout + first.stderr
    assert _started_how(log) == ["-c"]  # started early, while the run was planned
    git(committed_repo, "commit", "-qm", "tests")
    mod = committed_repo / "pkg" / "mod.py"
    write(mod, mod.read_text() + "\n\ndef fresh():\n    return 1\n")
    git(committed_repo, "add", ".")
    nothing = verify()
    assert nothing.returncode == 0, nothing.stdout + nothing.stderr
    reason = next(s["reason"] for s in json.loads(nothing.stdout)["steps"] if s["name"] == "tests")
    assert "0 of 1 test files" in reason, reason
    assert _started_how(log) == ["-c"]  # started early, then dismissed: the plan ran nothing
    git(committed_repo, "commit", "-qm", "fresh")
    write(mod, mod.read_text().replace("return a + b", "return a - b"))
    git(committed_repo, "add", ".")
    broken = verify()
    assert broken.returncode == 1, broken.stdout + broken.stderr  # the verdict is the plain run's
    # Not started early: plain runs, once planned (the failing test's, and its run at the base).
    assert set(_started_how(log)) == {"-m"}
    write(mod, mod.read_text().replace("return a - b", "return a + b"))
    git(committed_repo, "add", ".")
    fixed = verify()
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    assert _started_how(log)[:1] == ["-c"]  # the last plan ran tests: early again
