"""A conftest reached by imports, judged by per-test records (issue 22, click's shape).

The package's ``__init__`` imports every module and ``tests/conftest.py`` imports the package, so
every change reaches the conftest, which could hand any test what changed. It can do so only by
running changed code: while it is imported or collects (the records' shared part), in a fixture or
hook during a test (that test's record), or in a hook after the last test. Each case below makes
the conftest run ``check`` one such way; changing ``check`` fails the whole suite, and
``hookwright verify --only tests`` with records must fail too. Only a change that no record entered
is narrowed (the control at the end), also when a file nothing imports is reached while the
package starts programs (click's ``examples/`` beside its pager).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git
from test_selection import make, verify_tests

RECORDING = "checks:\n  tests:\n    record_lines: true\n"
CORE = "def check():\n    return 1\n\n\ndef other():\n    return 1\n"
BROKEN = {"pkg/core.py": CORE.replace("return 1\n\n\ndef other", "return 2\n\n\ndef other")}
PACKAGE = {
    ".hookwright.yaml": RECORDING,
    "pkg/mod.py": None,
    "pkg/__init__.py": "from pkg.core import check, other\nfrom pkg.extra import spare\n",
    "pkg/core.py": CORE,
    "pkg/extra.py": "def spare():\n    return 1\n",
    "tests/test_a.py": "from pkg import other\n\n\ndef test_a():\n    assert other() == 1\n",
    "tests/test_spare.py": "from pkg import spare\n\n\ndef test_spare():\n    assert spare() == 1\n",
}
HEAD = "import pytest\n\nfrom pkg import check\n\n\n"

CASES = [
    pytest.param(
        HEAD + "@pytest.fixture\ndef checked():\n    return check()\n",
        "def test_b(checked):\n    assert checked == 1\n",
        id="a-fixture",
    ),
    pytest.param(
        HEAD + "@pytest.fixture(autouse=True)\ndef guard():\n    assert check() == 1\n",
        "def test_b():\n    pass\n",
        id="an-autouse-fixture",
    ),
    pytest.param(
        HEAD + "def pytest_collection_modifyitems(items):\n    for item in items:\n"
        "        item.seen = check()\n",
        "def test_b(request):\n    assert request.node.seen == 1\n",
        id="pytest_collection_modifyitems",
    ),
    pytest.param(
        HEAD + "def pytest_generate_tests(metafunc):\n    if 'value' in metafunc.fixturenames:\n"
        "        metafunc.parametrize('value', [check()], ids=['v'])\n",
        "def test_b(value):\n    assert value == 1\n",
        id="pytest_generate_tests",
    ),
    pytest.param(
        # test_a asks first (its file sorts first): the session fixture runs inside test_a.
        HEAD + "@pytest.fixture(scope='session')\ndef setting():\n    return check()\n",
        "def test_b(setting):\n    assert setting == 1\n",
        id="a-session-fixture-an-earlier-test-ran",
    ),
    pytest.param(
        HEAD + "VALUE = check()\n\n\n@pytest.fixture\ndef value():\n    return VALUE\n",
        "def test_b(value):\n    assert value == 1\n",
        id="called-while-the-conftest-is-imported",
    ),
    pytest.param(
        HEAD + "def pytest_configure(config):\n    config.seen = check()\n",
        "def test_b(pytestconfig):\n    assert pytestconfig.seen == 1\n",
        id="pytest_configure",
    ),
    pytest.param(
        HEAD + "def pytest_runtest_setup(item):\n    assert check() == 1\n",
        "def test_b():\n    pass\n",
        id="pytest_runtest_setup",
    ),
    pytest.param(
        HEAD + "@pytest.hookimpl(trylast=True)\ndef pytest_sessionfinish(session):\n"
        "    if check() != 1:\n        session.exitstatus = 1\n",
        "def test_b():\n    pass\n",
        id="pytest_sessionfinish-after-every-other",
    ),
    pytest.param(
        HEAD + "def pytest_unconfigure(config):\n    assert check() == 1\n",
        "def test_b():\n    pass\n",
        id="pytest_unconfigure",
    ),
]


@pytest.mark.parametrize(("conftest", "test_b"), CASES)
def test_a_conftest_that_runs_the_changed_body_runs_the_tests_that_catch_it(
    committed_repo: Path, conftest: str, test_b: str
) -> None:
    make(committed_repo, {**PACKAGE, "tests/conftest.py": conftest, "tests/test_b.py": test_b})
    first = verify_tests(committed_repo)
    assert first["status"] == "passed" and first["exit"] == 0, first
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, BROKEN)
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and step["status"] in ("failed", "error"), step


# A file nothing imports that imports the package, while the package starts programs (click's
# examples beside its pager): records see every process a test starts.
EXAMPLE = {
    "examples/demo.py": "import pkg\n\nprint(pkg.check())\n",
    "pkg/pager.py": "import subprocess\n\n\ndef page(command):\n    return subprocess.run(command)\n",
    "pkg/__init__.py": PACKAGE["pkg/__init__.py"] + "from pkg.pager import page\n",
}


@pytest.mark.parametrize("extra", [pytest.param({}, id="plain"), pytest.param(EXAMPLE, id="with-an-example")])
def test_a_change_no_record_entered_is_narrowed(committed_repo: Path, extra: dict[str, str]) -> None:
    conftest = HEAD + "@pytest.fixture\ndef checked():\n    return check()\n"
    test_b = "def test_b(checked):\n    assert checked == 1\n"
    make(committed_repo, {**PACKAGE, **extra, "tests/conftest.py": conftest, "tests/test_b.py": test_b})
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, {"pkg/extra.py": "def spare():\n    return 2 - 1\n"})
    step = verify_tests(committed_repo)
    assert step["exit"] == 0 and "1 passed" in step["reason"], step
    assert "1 of the import graph's 3 test files" in step["reason"], step
    git(committed_repo, "commit", "-qm", "same result")
    make(committed_repo, BROKEN)
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and "1 failed" in step["reason"], step


def test_a_test_that_starts_an_example_and_imports_nothing_that_changed_runs(committed_repo: Path) -> None:
    # No conftest: the import graph would run only the importers of pkg, but a test that imports
    # only a runner (not test code: the package uses it too) starts the example, which runs pkg.
    files = {
        **{k: v for k, v in PACKAGE.items() if not k.startswith("tests/")},
        "examples/demo.py": "import pkg\n\nraise SystemExit(pkg.check() - 1)\n",
        "runner/__init__.py": "import subprocess\nimport sys\n\n\ndef run(path):\n"
        "    return subprocess.run([sys.executable, path]).returncode\n",
        "runner/use.py": "from runner import run\n",
        "tests/test_example.py": "from runner import run\n\n\n"
        "def test_example():\n    assert run('examples/demo.py') == 0\n",
        "tests/test_a.py": PACKAGE["tests/test_a.py"],
    }
    make(committed_repo, files)
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, BROKEN)
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and "1 failed" in step["reason"], step


def test_pytest_failing_with_no_test_failing_is_no_pass(committed_repo: Path) -> None:
    # No records, the whole suite: every test passes, and pytest exits 1 (a conftest's last hook).
    conftest = "def pytest_sessionfinish(session):\n    session.exitstatus = 1\n"
    make(committed_repo, {"tests/conftest.py": conftest, "tests/test_a.py": "def test_a():\n    pass\n"})
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and step["status"] == "failed", step


def test_a_run_recorded_from_its_first_test_keeps_what_collection_ran(committed_repo: Path) -> None:
    # A narrowed run whose changes all lie in bodies no import or collection entered records from
    # its first test on (collection runs as recorded before): the shared record carried forward
    # must still send a change to a body run at import time to every test, and a fixture's body
    # to the test that ran it, however many such runs come between.
    conftest = HEAD + "VALUE = check()\n\n\n@pytest.fixture\ndef value():\n    return VALUE\n"
    test_b = "def test_b(value):\n    assert value == 1\n"
    make(committed_repo, {**PACKAGE, "tests/conftest.py": conftest, "tests/test_b.py": test_b})
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "project")
    for body in ("2 - 1", "3 - 2"):
        make(committed_repo, {"pkg/extra.py": f"def spare():\n    return {body}\n"})
        step = verify_tests(committed_repo)
        assert step["exit"] == 0 and "1 of the import graph's 3 test files" in step["reason"], step
        git(committed_repo, "commit", "-qm", "same result")
    make(committed_repo, {"pkg/extra.py": "def spare():\n    return 2\n"})
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and "1 failed" in step["reason"], step
    make(committed_repo, {"pkg/extra.py": "def spare():\n    return 3 - 2\n", **BROKEN})
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and "1 failed" in step["reason"] and "left out" not in step["reason"], step
