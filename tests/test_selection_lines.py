"""Selection by recorded lines (issue 22): narrower than imports, never narrower than what can fail.

A package whose ``__init__`` imports every module reaches every test by imports; the bodies each
test file ran, recorded on the previous run, say which files a change to a body can reach. What the
records cannot see (code run at import, shared fixtures, memoised results, subprocesses, a module
imported inside a test) keeps the import graph's answer: each such way in is a case below where the
whole suite fails and ``hookwright verify --only tests`` must fail too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git
from test_committed_bytes import plain_pytest
from test_selection import make, verify_tests

from hookwright.git.repo import Repo
from hookwright.testing import code_units, line_narrowing
from hookwright.testing import lines as test_lines

A_PY = "def double(x):\n    return x * 2\n\n\ndef triple(x):\n    return x * 3\n"
B_PY = "def greet(name):\n    return 'hi ' + name\n"
RECORDING = "checks:\n  tests:\n    record_lines: true\n"  # off by default (its tracer's cost)
PACKAGE: dict[str, str | None] = {
    ".hookwright.yaml": RECORDING,
    "pkg/mod.py": None,  # a module nothing imports makes every change to the package unsure
    "pkg/__init__.py": "from pkg.a import double, triple\nfrom pkg.b import greet\n",
    "pkg/a.py": A_PY,
    "pkg/b.py": B_PY,
    "tests/test_double.py": "from pkg import double\n\n\ndef test_double():\n    assert double(2) == 4\n",
    "tests/test_greet.py": "from pkg import greet, triple\n\n\ndef test_greet():\n"
    "    assert greet('x') == 'hi x'\n\n\ndef test_triple():\n    assert triple(1) == 3\n",
}


@pytest.fixture
def verified_package(committed_repo: Path) -> Path:
    make(committed_repo, PACKAGE)
    first = verify_tests(committed_repo)
    assert first["exit"] == 0 and "3 passed" in first["reason"], first
    git(committed_repo, "commit", "-qm", "package")
    return committed_repo


def test_a_change_to_a_function_runs_only_the_test_files_that_ran_it(verified_package: Path) -> None:
    make(verified_package, {"pkg/a.py": A_PY.replace("x * 2", "x + x")})
    step = verify_tests(verified_package)
    assert step["exit"] == 0 and "1 passed" in step["reason"], step
    assert "1 of the import graph's 2 test files" in step["reason"]
    git(verified_package, "commit", "-qm", "same result")
    make(verified_package, {"pkg/a.py": A_PY.replace("x * 3", "x * 4")})
    step = verify_tests(verified_package)
    assert step["exit"] == 1 and "1 failed" in step["reason"], (step["reason"], step.get("stdout"))


def test_a_change_to_module_level_code_runs_every_importer(verified_package: Path) -> None:
    make(verified_package, {"pkg/b.py": B_PY + "\nLIMIT = 3\n"})
    step = verify_tests(verified_package)
    assert step["exit"] == 0 and "3 passed" in step["reason"], step


def test_a_comment_runs_nothing(verified_package: Path) -> None:
    make(verified_package, {"pkg/b.py": "def greet(name):\n    # kind\n    return 'hi ' + name\n"})
    step = verify_tests(verified_package)
    assert step["exit"] == 0 and "0 of the import graph's 2 test files" in step["reason"], step


WORKER = (
    "import queue\nimport threading\n\nJOBS = queue.Queue()\nRESULTS = queue.Queue()\n\n\n"
    "def work():\n    while True:\n        RESULTS.put(JOBS.get() * {factor})\n\n\n"
    "def start():\n    threading.Thread(target=work, daemon=True).start()\n\n\n"
    "def double(value):\n    JOBS.put(value)\n    return RESULTS.get(timeout=5)\n"
)
MEMO = (
    "_CACHE = {{}}\n\n\ndef load():\n    return {{'n': {n}}}\n\n\ndef config():\n"
    "    if 'c' not in _CACHE:\n        _CACHE['c'] = load()\n    return _CACHE['c']\n"
)
CACHED = "import functools\n\n\n@functools.cache\ndef config():\n    return load()\n\n\ndef load():\n    return {{'n': {n}}}\n"
READS_CONFIG = {
    "tests/test_1_any.py": "from pkg.a import config\n\n\ndef test_any():\n    assert config()\n",
    "tests/test_2_value.py": "from pkg.a import config\n\n\ndef test_value():\n    assert config()['n'] == 1\n",
}
CASES = [
    pytest.param(
        {
            "pkg/a.py": "def build():\n    return {'n': 1}\n",
            "pkg/__init__.py": "from pkg.a import build\n\nTABLE = build()\n",
            "tests/test_build.py": "from pkg.a import build\n\n\ndef test_build():\n    assert build()\n",
            "tests/test_table.py": "import pkg\n\n\ndef test_table():\n    assert pkg.TABLE['n'] == 1\n",
        },
        {"pkg/a.py": "def build():\n    return {'n': 2}\n"},
        id="a-body-run-at-import-time",
    ),
    pytest.param(
        {
            "pkg/a.py": "import functools\n\n\n@functools.cache\ndef settings():\n    return {'n': 1}\n",
            "tests/test_1_any.py": "from pkg.a import settings\n\n\ndef test_any():\n    assert settings()\n",
            "tests/test_2_value.py": "from pkg.a import settings\n\n\n"
            "def test_value():\n    assert settings()['n'] == 1\n",
        },
        {"pkg/a.py": "import functools\n\n\n@functools.cache\ndef settings():\n    return {'n': 2}\n"},
        id="a-memoised-body-an-earlier-test-ran",
    ),
    pytest.param(
        {
            "pkg/a.py": "def make_db():\n    return ['row']\n",
            "conftest.py": "import pytest\nfrom pkg.a import make_db\n\n\n"
            "@pytest.fixture(scope='session')\ndef db():\n    return make_db()\n",
            "tests/test_1_db.py": "def test_db(db):\n    assert db is not None\n",
            "tests/test_2_rows.py": "def test_rows(db):\n    assert db == ['row']\n",
        },
        {"pkg/a.py": "def make_db():\n    return []\n"},
        id="a-session-fixture-set-up-by-another-test-file",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "from pkg.a import answer\n",
            "pkg/a.py": "def answer():\n    return 42\n",
            "tests/test_direct.py": "from pkg import answer\n\n\ndef test_direct():\n    assert answer() > 0\n",
            "tests/test_cli.py": "import subprocess\nimport sys\n\n\ndef test_cli():\n"
            "    code = 'from pkg.a import answer; print(answer())'\n"
            "    done = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True)\n"
            "    assert done.stdout == '42\\n'\n",
        },
        {"pkg/a.py": "def answer():\n    return 41\n"},
        id="a-body-run-in-a-test-subprocess",
    ),
    pytest.param(
        {
            "pkg/a.py": "def compute():\n    return 1\n",
            "pkg/lazy.py": "from pkg.a import compute\n\nVALUE = compute()\n",
            "tests/test_1_first.py": "def test_first():\n    import pkg.lazy  # noqa: F401\n",
            "tests/test_2_value.py": "def test_value():\n    import pkg.lazy\n\n    assert pkg.lazy.VALUE == 1\n",
        },
        {"pkg/a.py": "def compute():\n    return 2\n"},
        id="a-module-imported-inside-an-earlier-test",
    ),
    pytest.param(
        {
            "pkg/a.py": "def run():\n    '''Run it.'''\n    return 1\n",
            "tests/test_run.py": "from pkg.a import run\n\n\ndef test_run():\n    assert run() == 1\n",
            "tests/test_doc.py": "from pkg.a import run\n\n\ndef test_doc():\n    assert run.__doc__ == 'Run it.'\n",
        },
        {"pkg/a.py": "def run():\n    '''Run this.'''\n    return 1\n"},
        id="a-docstring-read-without-calling",
    ),
    pytest.param(
        {
            "pkg/a.py": "def register(n):\n    def mark(cls):\n        cls.n = n\n        return cls\n\n"
            "    return mark\n\n\n@register(1)\nclass Plugin:\n    pass\n",
            "tests/test_n.py": "from pkg.a import Plugin\n\n\ndef test_n():\n    assert Plugin.n == 1\n",
            "tests/test_other.py": "def test_other():\n    assert True\n",
        },
        {
            "pkg/a.py": "def register(n):\n    def mark(cls):\n        cls.n = n\n        return cls\n\n"
            "    return mark\n\n\n@register(2)\nclass Plugin:\n    pass\n"
        },
        id="a-class-decorator-argument",
    ),
    pytest.param(
        {
            "pkg/__init__.py": "from pkg.a import double, triple\n",
            "pkg/a.py": A_PY,
            "tests/test_triple.py": "from pkg import triple\n\n\ndef test_t():\n    assert triple(1) == 3\n",
            "tests/test_other.py": "def test_other():\n    assert True\n",
        },
        {"pkg/__init__.py": "from pkg.a import double\n"},
        id="a-dropped-re-export",
    ),
    pytest.param(
        {
            "pyproject.toml": "[tool.pytest.ini_options]\n",
            "pkg/a.py": "import warnings\n\n\ndef old():\n    warnings.warn('old', DeprecationWarning)\n"
            "    return 1\n",
            "tests/test_old.py": "from pkg.a import old\n\n\ndef test_old():\n    assert old() == 1\n",
            "tests/test_other.py": "def test_other():\n    assert True\n",
        },
        {"pyproject.toml": "[tool.pytest.ini_options]\nfilterwarnings = ['error']\n"},
        id="a-pyproject-setting",
    ),
    pytest.param(
        {
            "pkg/a.py": "def parse(text):\n    return text.split(',')\n",
            "tests/data/row.txt": "a,b\n",
            "tests/test_row.py": "from pathlib import Path\n\nfrom pkg.a import parse\n\n\ndef test_row():\n"
            "    text = (Path(__file__).parent / 'data' / 'row.txt').read_text()\n"
            "    assert parse(text.strip()) == ['a', 'b']\n",
            "tests/test_other.py": "def test_other():\n    assert True\n",
        },
        {"tests/data/row.txt": "a;b\n"},
        id="test-data",
    ),
    pytest.param(
        {
            # The seed is drawn from what ``slow`` returns: 0.26 before the change (``fast`` runs,
            # the record never enters ``slow``), 0.13 after it (``slow`` runs, and fails).
            "pkg/a.py": "def slow():\n    return 1\n\n\ndef fast():\n    return 1\n",
            "tests/test_roll.py": "import random\n\nfrom pkg.a import fast, slow\n\n\ndef test_roll():\n"
            "    random.seed(str(slow.__code__.co_consts))\n"
            "    assert (slow() if random.random() < 0.2 else fast()) == 1\n",
            "tests/test_other.py": "from pkg.a import fast\n\n\ndef test_other():\n    assert fast() == 1\n",
        },
        {"pkg/a.py": "def slow():\n    return 2\n\n\ndef fast():\n    return 1\n"},
        id="a-test-s-own-randomness",
    ),
    pytest.param(
        {
            "pkg/a.py": "def helper():\n    return 1\n\n\ndef other():\n    return 1\n",
            "tests/test_quiet.py": "import sys\n\nfrom pkg.a import helper\n\n\ndef test_quiet():\n"
            "    before = sys.gettrace()\n    sys.settrace(None)\n    try:\n"
            "        assert helper() == 1\n    finally:\n        sys.settrace(before)\n",
            "tests/test_other.py": "from pkg.a import other\n\n\ndef test_other():\n    assert other() == 1\n",
        },
        {"pkg/a.py": "def helper():\n    return 2\n\n\ndef other():\n    return 1\n"},
        id="a-test-that-swaps-the-tracer",
    ),
    pytest.param(
        {
            # A worker thread started by one test serves the next: its loop was entered once, in
            # the thread, while the first test ran.
            "pkg/a.py": WORKER.format(factor=2),
            "tests/test_1_start.py": "from pkg.a import start\n\n\ndef test_start():\n    start()\n",
            "tests/test_2_double.py": "from pkg.a import double\n\n\ndef test_double():\n"
            "    assert double(2) == 4\n",
        },
        {"pkg/a.py": WORKER.format(factor=3)},
        id="a-body-run-in-a-thread-another-test-started",
    ),
    pytest.param(
        {
            # The test reads the module's source as data (here: its comments); the package also
            # loads modules by name, which records see, so only the audit hook stands between.
            "pkg/a.py": "import importlib\n\n\ndef load(name):\n    # version: 1\n"
            "    return importlib.import_module(name)\n",
            "tests/test_source.py": "import pkg.a\n\n\ndef test_source():\n"
            "    with open(pkg.a.__file__) as handle:\n        assert '# version: 1' in handle.read()\n",
            "tests/test_other.py": "from pkg.a import load\n\n\ndef test_other():\n    assert load('json')\n",
        },
        {
            "pkg/a.py": "import importlib\n\n\ndef load(name):\n    # version: 2\n"
            "    return importlib.import_module(name)\n"
        },
        id="a-source-read-as-data",
    ),
    pytest.param(
        {
            # A session fixture starts the project's code in a process that outlives the test.
            "pkg/a.py": "def answer():\n    return 42\n\n\ndef other():\n    return 1\n",
            "conftest.py": "import subprocess\nimport sys\n\nimport pytest\n\n\n"
            "@pytest.fixture(scope='session')\ndef served():\n"
            "    code = 'from pkg.a import answer; print(answer())'\n"
            "    return subprocess.run([sys.executable, '-c', code], capture_output=True, text=True).stdout\n",
            "tests/test_served.py": "def test_served(served):\n    assert served == '42\\n'\n",
            "tests/test_other.py": "from pkg.a import other\n\n\ndef test_other():\n    assert other() == 1\n",
        },
        {"pkg/a.py": "def answer():\n    return 41\n\n\ndef other():\n    return 1\n"},
        id="a-process-a-session-fixture-started",
    ),
    # On d8c1084 each case below passed: test_2's record, made after test_1 filled the cache, never
    # entered load(), so a change to load() left test_2 out.
    pytest.param(
        {"pkg/a.py": MEMO.format(n=1), **READS_CONFIG},
        {"pkg/a.py": MEMO.format(n=2)},
        id="a-result-a-module-level-dict-keeps",
    ),
    pytest.param(
        {"pkg/a.py": CACHED.format(n=1), **READS_CONFIG},
        {"pkg/a.py": CACHED.format(n=2)},
        id="a-plain-body-a-cached-function-calls",
    ),
    pytest.param(
        {
            # linecache opens a file once per process: test_2's getsource read it with no open.
            "pkg/a.py": "def f():\n    return 1\n\n\ndef g():\n    return 1\n",
            "tests/test_1_f.py": "import inspect\n\nfrom pkg import a\n\n\ndef test_f():\n"
            "    assert 'return 1' in inspect.getsource(a.f)\n",
            "tests/test_2_g.py": "import inspect\n\nfrom pkg import a\n\n\ndef test_g():\n"
            "    assert 'return 1' in inspect.getsource(a.g)\n",
        },
        {"pkg/a.py": "def f():\n    return 1\n\n\ndef g():\n    return 2\n"},
        id="a-source-read-again-through-linecache",
    ),
    pytest.param(
        {
            # The loader's get_data, asked by pkgutil: the import system's frames, but no import.
            "pkg/a.py": "def f():\n    return 1\n",
            "pkg/b.py": "def g():\n    return 1\n",
            "tests/test_data.py": "import pkgutil\n\nimport pkg.b  # noqa: F401\n\n\ndef test_data():\n"
            "    assert b'return 1' in pkgutil.get_data('pkg', 'a.py')\n",
            "tests/test_f.py": "from pkg.a import f\n\n\ndef test_f():\n    assert f() >= 1\n",
        },
        {"pkg/a.py": "def f():\n    return 2\n"},
        id="a-source-read-by-pkgutil-get-data",
    ),
]


@pytest.mark.parametrize(("files", "change"), CASES)
def test_what_the_records_cannot_see_still_runs_its_tests(
    committed_repo: Path, files: dict[str, str | None], change: dict[str, str | None]
) -> None:
    make(committed_repo, {".hookwright.yaml": RECORDING, "pkg/mod.py": None, **files})
    first = verify_tests(committed_repo)
    assert first["status"] == "passed" and first["exit"] == 0, first
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, change)
    step = verify_tests(committed_repo)
    assert step["status"] == "failed" and step["exit"] == 1, step


def test_a_test_with_no_record_that_fills_a_memo_for_a_later_one(
    committed_repo: Path, tmp_path: Path
) -> None:
    # test_1 failed when the records were made, so it has none: what it enters is not known, and on
    # d8c1084 (and before the rule covered tests without records) test_2 was left out and this passed.
    failing_before = "from pkg.a import config\n\n\ndef test_any():\n    assert config()['n'] == 2\n"
    make(committed_repo, {".hookwright.yaml": RECORDING, "pkg/mod.py": None, "pkg/a.py": MEMO.format(n=1)})
    make(committed_repo, {**READS_CONFIG, "tests/test_1_any.py": failing_before})
    assert verify_tests(committed_repo)["exit"] == 1
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, {"pkg/a.py": MEMO.format(n=2)})
    assert plain_pytest(committed_repo, tmp_path / "plain") != 0
    step = verify_tests(committed_repo)
    assert step["status"] == "failed" and step["exit"] == 1, step


def test_a_test_without_a_record_runs(committed_repo: Path) -> None:
    old, new = "def f():\n    return 1\n", "def f():\n    return 2\n"
    make(committed_repo, {"pkg/a.py": old})
    git(committed_repo, "commit", "-qm", "a")
    repo = Repo.discover(committed_repo)
    blobs = {"old": git(committed_repo, "rev-parse", "HEAD:pkg/a.py").strip()}
    blobs["new"] = git(committed_repo, "hash-object", "-w", "--stdin", input=new.encode()).strip()
    floor = ("tests/test_new.py", "tests/test_seen.py", "tests/test_unrelated.py", "tests/test_mixed.py")
    recorded = test_lines.Recorded(
        "s",
        {
            "tests/test_seen.py::test_f": {"pkg/a.py": ["f"]},
            "tests/test_unrelated.py::test_u": {},
            "tests/test_mixed.py::test_u": {},
        },
        {},
        {
            "tests/test_seen.py": ["tests/test_seen.py::test_f"],
            "tests/test_unrelated.py": ["tests/test_unrelated.py::test_u"],
            # test_failed failed when it was recorded: it has no record.
            "tests/test_mixed.py": ["tests/test_mixed.py::test_u", "tests/test_mixed.py::test_failed"],
        },
    )
    narrowed = line_narrowing.narrow(
        repo,
        recorded,
        {"pkg/a.py": blobs["old"]},
        {"pkg/a.py": blobs["new"], **dict.fromkeys(floor, "x")},
        ["pkg/a.py"],
        floor,
        (),
        lambda path: path.startswith("tests/"),
        lambda paths: floor,
    )
    assert narrowed is not None
    assert narrowed.tests == ("tests/test_new.py", "tests/test_seen.py", "tests/test_mixed.py")
    assert narrowed.deselect == {"tests/test_mixed.py::test_u"}


@pytest.mark.parametrize(
    ("old", "new", "changed"),
    [
        pytest.param("def f():\n    return 1\n", "def f():\n    return 2\n", {"f"}, id="body"),
        pytest.param(
            "def f():\n    return 1\n", "def f():\n\n    # why\n    return 1\n", set(), id="comment"
        ),
        pytest.param(
            "def f(a=1):\n    return a\n", "def f(a=2):\n    return a\n", None, id="default-argument"
        ),
        pytest.param(
            "@d(1)\ndef f():\n    return 1\n", "@d(2)\ndef f():\n    return 1\n", None, id="decorator"
        ),
        pytest.param("class C:\n    x = 1\n", "class C:\n    x = 2\n", None, id="class-body"),
        pytest.param(
            "class C:\n    def m(self):\n        return 1\n",
            "class C:\n    def m(self):\n        return 2\n",
            {"C.m"},
            id="method",
        ),
        pytest.param(
            "def f():\n    return 1\n", "def f():\n    return 1\n\n\ndef g():\n    return 2\n", None, id="new"
        ),
        pytest.param("def f(): return 1\n", "def f(): return 2\n", None, id="one-line"),
        pytest.param("def f():\n    return 1\n", "def f(:\n", None, id="does-not-parse"),
    ],
)
def test_changed_bodies(old: str, new: str, changed: set[str] | None) -> None:
    assert code_units.changed_bodies(old, new) == changed


@pytest.mark.parametrize(
    ("source", "remembering"),
    [
        pytest.param(MEMO.format(n=1), {"config"}, id="module-level-dict"),
        pytest.param(CACHED.format(n=1), {"config"}, id="cache"),
        pytest.param(
            "import functools\n\n\n@functools.cache\ndef f(): return 1\n",
            {code_units.ONE_LINE},
            id="one-line",
        ),
        pytest.param(
            "class K:\n    @classmethod\n    def add(cls, x):\n        cls.seen.append(x)\n",
            {"K.add"},
            id="cls",
        ),
        pytest.param("N = 0\n\n\ndef bump():\n    global N\n    N += 1\n", {"bump"}, id="global"),
        pytest.param("def f():\n    seen = []\n    seen.append(1)\n    return seen\n", set(), id="local"),
        pytest.param("def f(:\n", None, id="does-not-parse"),
    ],
)
def test_remembering_bodies(source: str, remembering: set[str] | None) -> None:
    assert code_units.remembering_bodies(source) == remembering


def test_a_suite_of_one_test_file_narrows_by_test(committed_repo: Path) -> None:
    tests = (
        "from pkg.a import double, triple\n\n\ndef test_double():\n    assert double(2) == 4\n\n\n"
        "def test_triple():\n    assert triple(1) == 3\n"
    )
    files = {".hookwright.yaml": RECORDING, "pkg/mod.py": None, "pkg/a.py": A_PY, "tests/test_a.py": tests}
    make(committed_repo, files)
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "one file")
    make(committed_repo, {"pkg/a.py": A_PY.replace("x * 2", "x + x")})
    step = verify_tests(committed_repo)
    assert step["exit"] == 0 and "1 passed" in step["reason"] and "1 tests left out" in step["reason"], step
    make(committed_repo, {"pkg/a.py": A_PY.replace("x * 3", "x * 4")})
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and "1 failed" in step["reason"], step


CONFTEST_USES_PKG = (
    "import pytest\nfrom pkg import greet\n\n\n@pytest.fixture\ndef hello():\n    return greet('x')\n"
)


def test_a_conftest_that_imports_the_package_still_narrows_by_records(verified_package: Path) -> None:
    # A conftest reaching the change hands it to any test in the test process, where the records
    # see it: the import graph's "every test" is narrowed like any other floor.
    make(verified_package, {"conftest.py": CONFTEST_USES_PKG})
    git(verified_package, "commit", "-qm", "conftest")
    assert verify_tests(verified_package)["exit"] == 0
    make(verified_package, {"pkg/a.py": A_PY.replace("x * 2", "x + x")})
    step = verify_tests(verified_package)
    assert step["exit"] == 0 and "1 of the import graph's 2 test files" in step["reason"], step
    git(verified_package, "commit", "-qm", "same result")
    make(verified_package, {"pkg/b.py": B_PY.replace("'hi '", "'hello '")})
    step = verify_tests(verified_package)
    assert step["exit"] == 1 and "1 failed" in step["reason"], step


def test_a_conftest_that_starts_processes_keeps_every_test(verified_package: Path) -> None:
    # What a conftest's subprocess runs, no record sees: every test stays.
    spawning = (
        CONFTEST_USES_PKG
        + "\n\n@pytest.fixture\ndef tool():\n    import subprocess\n\n    return subprocess\n"
    )
    make(verified_package, {"conftest.py": spawning})
    git(verified_package, "commit", "-qm", "conftest")
    assert verify_tests(verified_package)["exit"] == 0
    make(verified_package, {"pkg/a.py": A_PY.replace("x * 2", "x + x")})
    step = verify_tests(verified_package)
    assert step["exit"] == 0 and "3 passed" in step["reason"], step


def test_nothing_is_recorded_unless_the_config_asks(committed_repo: Path) -> None:
    # The tracer costs every recorded run; the default configuration never pays it.
    make(committed_repo, {k: v for k, v in PACKAGE.items() if k != ".hookwright.yaml"})
    assert verify_tests(committed_repo)["exit"] == 0
    assert not list((committed_repo / ".git" / "hookwright" / "cache").glob("tests-calls-*"))
