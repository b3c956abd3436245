"""A new top-level function narrows the tests only where it provably reaches nothing else (issue 22).

Each hostile case is a project verified once (so selection has a state to compare with), then a
change that appends a function and breaks a test that imports the module: the whole suite fails, so
``hookwright verify --only tests`` must fail too. The narrowing cases show what the rule saves.
Real git repositories, real pytest.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import git
from test_selection import make, passes_then_fails, verify_tests

from hookwright.git.repo import Repo
from hookwright.testing.fresh_names import appended_functions, judge
from hookwright.testing.name_listers import lists_names

# pkg/__init__.py imports every module, as click's does: the import graph reaches every test.
PACKAGE = {
    "pkg/__init__.py": "from pkg import mod, other\n",
    "pkg/mod.py": "def add(a, b):\n    return a + b\n",
    "pkg/other.py": "def sub(a, b):\n    return a - b\n",
    "tests/test_add.py": "from pkg.mod import add\n\n\ndef test_add():\n    assert add(1, 2) == 3\n",
    "tests/test_sub.py": "from pkg.other import sub\n\n\ndef test_sub():\n    assert sub(3, 2) == 1\n",
}
BAD = "\n\ndef check_new():\n    raise RuntimeError('broken')\n"
MOD = PACKAGE["pkg/mod.py"]
# A module __getattr__ that serves old names from private ones, as click's utils.py does.
GETATTR = (
    "\n\ndef __getattr__(name):\n    try:\n        return globals()[f'_{name}']\n"
    "    except KeyError:\n        raise AttributeError(name) from None\n"
)


def case(files: dict[str, str], change: dict[str, str], name: str) -> object:
    return pytest.param({**PACKAGE, **files}, change, id=name)


HOSTILE = [
    case(
        {
            "tests/test_walk.py": "import pkg.mod as m\n\n\ndef test_checks():\n"
            "    for name in dir(m):\n        if name.startswith('check_'):\n            getattr(m, name)()\n"
        },
        {"pkg/mod.py": MOD + BAD},
        "a-test-walks-dir-of-the-module",
    ),
    case(
        {
            "pkg/registry.py": "def checks(module):\n"
            "    return [getattr(module, n) for n in dir(module) if n.startswith('check_')]\n",
            "tests/test_registry.py": "import pkg.mod\nfrom pkg.registry import checks\n\n\n"
            "def test_checks():\n    for check in checks(pkg.mod):\n        check()\n",
        },
        {"pkg/mod.py": MOD + BAD},
        "package-code-walks-the-module-for-a-test",
    ),
    case(
        {
            "pkg/helpers.py": "def value():\n    return 1\n",
            "tests/test_star.py": "from pkg.helpers import *\nfrom pkg.mod import *\n\n\n"
            "def test_value():\n    assert value() == 1\n",
        },
        {"pkg/mod.py": MOD + "\n\ndef value():\n    return 2\n"},
        "a-star-import-now-shadows-a-name",
    ),
    case(
        {}, {"pkg/mod.py": MOD + "\n\ndef later(x=open('missing')):\n    return x\n"}, "a-default-that-fails"
    ),
    case(
        {},
        {"pkg/mod.py": MOD + "\n\ndef later(x: Missing) -> int:\n    return 1\n"},
        "an-undefined-annotation",
    ),
    case(
        {
            "pkg/mod.py": "TABLE = []\n\n\ndef register(f):\n    TABLE.append(f)\n    return f\n\n\n" + MOD,
            "tests/test_table.py": "from pkg.mod import TABLE\n\n\ndef test_empty():\n    assert TABLE == []\n",
        },
        {
            "pkg/mod.py": "TABLE = []\n\n\ndef register(f):\n    TABLE.append(f)\n    return f\n\n\n"
            + MOD
            + "\n\n@register\ndef extra():\n    return 1\n"
        },
        "a-decorator-registers-into-a-table",
    ),
    case({}, {"pkg/mod.py": MOD + "\n\ndef add(a, b):\n    return a - b\n"}, "a-duplicate-def"),
    case(
        {
            "tests/test_absent.py": "import pkg.mod\n\n\ndef test_absent():\n    assert not hasattr(pkg.mod, 'gone')\n"
        },
        {"pkg/mod.py": MOD + "\n\ndef __getattr__(name):\n    return name\n"},
        "a-new-module-getattr-answers-every-missing-name",
    ),
    case(
        {
            "pkg/user.py": "import pkg.mod\n\n\ndef g():\n    try:\n        return pkg.mod.later()\n"
            "    except AttributeError:\n        return 0\n",
            "tests/test_user.py": "from pkg.user import g\n\n\ndef test_g():\n    assert g() == 0\n",
        },
        {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"},
        "package-code-already-named-it",
    ),
    case(
        {
            "tests/test_absent.py": "import pkg.mod\n\n\ndef test_absent():\n    assert not hasattr(pkg.mod, 'later')\n"
        },
        {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"},
        "a-test-names-it",
    ),
    case(
        {
            "pkg/mod.py": "def fallback():\n    return 'default'\n\n\n"
            "def __getattr__(name):\n    return fallback\n\n\n" + MOD,
            "tests/test_lookup.py": "import pkg.mod\n\n\ndef test_lookup():\n"
            "    assert getattr(pkg.mod, 'la' + 'ter')() == 'default'\n",
        },
        {
            "pkg/mod.py": "def fallback():\n    return 'default'\n\n\n"
            "def __getattr__(name):\n    return fallback\n\n\n" + MOD + "\n\ndef later():\n    return 1\n"
        },
        "a-module-getattr-no-longer-asked",
    ),
    case(
        {
            "pkg/mod.py": MOD + "\n\ndef handlers():\n"
            "    return [v for k, v in globals().items() if k.startswith('on_')]\n",
            "tests/test_handlers.py": "from pkg.mod import handlers\n\n\n"
            "def test_none():\n    assert handlers() == []\n",
        },
        {
            "pkg/mod.py": MOD + "\n\ndef handlers():\n"
            "    return [v for k, v in globals().items() if k.startswith('on_')]\n\n\ndef on_save():\n    return 1\n"
        },
        "the-module-lists-its-globals",
    ),
    case(
        {
            "pkg/mod.py": MOD + GETATTR,
            "tests/test_alias.py": "import pkg.mod\n\n\ndef test_no_alias():\n"
            "    assert not hasattr(pkg.mod, 'later')\n",
        },
        {"pkg/mod.py": MOD + GETATTR + "\n\ndef _later():\n    return 1\n"},
        "a-module-getattr-serves-globals-by-a-built-key",
    ),
    case(
        {
            "tests/test_names.txt": ">>> import pkg.mod\n>>> [n for n in dir(pkg.mod) if not n.startswith('_')]\n['add']\n",
            "pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--doctest-glob=test*.txt'\n",
        },
        {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"},
        "a-doctest-text-file-lists-the-module",
    ),
    case(
        {
            "tests/test_count.py": "import subprocess\nimport sys\n\n\ndef test_count():\n"
            "    code = 'import pkg.mod as m; print(sum(callable(getattr(m, n)) for n in dir(m)))'\n"
            "    out = subprocess.run([sys.executable, '-c', code], capture_output=True, text=True).stdout\n"
            "    assert out.strip() == '1'\n"
        },
        {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"},
        "a-subprocess-counts-the-functions",
    ),
    case(
        {
            "tests/test_lines.py": "import pkg.mod\n\n\ndef test_line():\n"
            "    assert pkg.mod.add.__code__.co_firstlineno == 1\n"
        },
        {"pkg/mod.py": "def first():\n    return 0\n\n\n" + MOD},
        "a-def-above-moves-every-line-below",
    ),
    case(
        {
            "conftest.py": "import pytest\n\nimport pkg.mod\n\n\n@pytest.fixture(autouse=True)\ndef walk():\n"
            "    for name in vars(pkg.mod):\n        if name.startswith('check_'):\n"
            "            getattr(pkg.mod, name)()\n"
        },
        {"pkg/mod.py": MOD + BAD},
        "a-conftest-walks-the-module",
    ),
    case(
        {
            "tests/test_source.py": "import inspect\nimport pkg.mod\n\n\ndef test_source():\n"
            "    assert inspect.getsource(pkg.mod).count('def ') == 1\n"
        },
        {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"},
        "a-test-reads-the-module-source",
    ),
    case(
        {
            "tests/data/names.txt": "add\n",
            "tests/test_data.py": "from pathlib import Path\nimport pkg.mod\n\n\n"
            "def test_names():\n    names = (Path(__file__).parent / 'data' / 'names.txt').read_text().split()\n"
            "    assert all(hasattr(pkg.mod, n) for n in names)\n    assert not hasattr(pkg.mod, 'later')\n",
        },
        {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"},
        "a-test-names-it-in-an-assert-and-reads-data",
    ),
    case(  # a false pass before the pytest_ prefix was refused: no file spells the hook's name
        {"conftest.py": "pytest_plugins = ['pkg.plugin']\n", "pkg/plugin.py": "X = 1\n"},
        {
            "pkg/plugin.py": "X = 1\n\n\ndef pytest_collection_modifyitems(items):\n    raise RuntimeError('hook')\n"
        },
        "a-pytest-hook-appended-to-a-plugin-module",
    ),
    case(
        {"pyproject.toml": "[tool.pytest.ini_options]\naddopts = '--doctest-modules'\n"},
        {"pkg/mod.py": MOD + '\n\ndef later():\n    """\n    >>> later()\n    2\n    """\n    return 1\n'},
        "a-doctest-in-the-new-functions-docstring",
    ),
]


@pytest.mark.parametrize(("files", "change"), HOSTILE)
def test_a_new_function_that_breaks_a_test_is_caught(
    committed_repo: Path, files: dict[str, str], change: dict[str, str]
) -> None:
    passes_then_fails(committed_repo, files, change)


def test_a_fresh_function_runs_only_the_tests_that_name_it(committed_repo: Path) -> None:
    named = "import pkg.other\n\n\ndef test_fresh():\n    assert pkg.other.fresh() == 1\n"
    make(committed_repo, PACKAGE)
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "project")
    # Nothing names it: the import graph reached both test files; no test can call it.
    make(committed_repo, {"pkg/mod.py": MOD + "\n\ndef unused() -> int:\n    return 1\n"})
    step = verify_tests(committed_repo)
    assert step["exit"] == 0 and "1 new function that nothing else names" in step["reason"], step
    assert "0 of 2 test files" in step["reason"], step
    git(committed_repo, "commit", "-qm", "unused")
    # A function and its test: the test runs (and fails when the function is wrong); the others do not.
    make(committed_repo, {"pkg/other.py": PACKAGE["pkg/other.py"] + "\n\ndef fresh():\n    return 2\n"})
    make(committed_repo, {"tests/test_fresh.py": named})
    step = verify_tests(committed_repo)
    assert step["exit"] == 1 and "1 failed" in step["reason"] and "1 of 3 test files" in step["reason"], step
    make(committed_repo, {"pkg/other.py": PACKAGE["pkg/other.py"] + "\n\ndef fresh():\n    return 1\n"})
    step = verify_tests(committed_repo)  # (against the failed state: a body edit, the import graph's answer)
    assert step["exit"] == 0, step


def test_a_module_getattr_whose_keys_cannot_build_the_name_still_narrows(committed_repo: Path) -> None:
    make(committed_repo, {**PACKAGE, "pkg/mod.py": MOD + GETATTR})
    assert verify_tests(committed_repo)["exit"] == 0
    git(committed_repo, "commit", "-qm", "project")
    make(committed_repo, {"pkg/mod.py": MOD + GETATTR + "\n\ndef later():\n    return 1\n"})
    step = verify_tests(committed_repo)
    assert step["exit"] == 0 and "0 of 2 test files" in step["reason"], step


def test_coverage_in_addopts_makes_nothing_fresh(committed_repo: Path) -> None:
    """pytest-cov's --cov-fail-under counts a function no test calls: the whole suite may fail on it."""
    make(committed_repo, PACKAGE)
    git(committed_repo, "commit", "-qm", "project")
    before = {e.path: e.blob for e in Repo.discover(committed_repo).index_entries()}
    make(committed_repo, {"pkg/mod.py": MOD + "\n\ndef later():\n    return 1\n"})
    repo = Repo.discover(committed_repo)
    now = {e.path: e.blob for e in repo.index_entries()}

    tree = git(committed_repo, "write-tree").strip()

    def judged(addopts: tuple[str, ...]) -> object:
        return judge(repo, before, now, ["pkg/mod.py"], _is_test, lambda path: False, addopts, tree=tree)

    assert judged(("-q",)) is not None
    assert judged(("--cov=pkg", "--cov-fail-under=100")) is None


def _is_test(path: str) -> bool:
    return path.rsplit("/", 1)[-1].startswith("test_")


def test_what_counts_as_appended_plain_functions() -> None:
    old = b"import os\n\n\ndef a():\n    return 1\n"
    assert appended_functions(old, old + b"\n\ndef b(x=1, *, y=(-2, 'z')) -> int:\n    return x\n") == (
        ["b"],
        8,
    )
    assert appended_functions(old, old + b"\n\ndef b(x: Undefined):\n    pass\n") is None
    lazy = b"from __future__ import annotations\n" + old
    assert appended_functions(lazy, lazy + b"\n\ndef b(x: Undefined):\n    pass\n") == (["b"], 9)
    assert appended_functions(old, old + b"\n\ndef b(x=os.sep):\n    pass\n") is None
    assert appended_functions(old, old + b"\n\nclass B:\n    pass\n") is None
    assert appended_functions(old, old + b"\n\ndef __getattr__(name):\n    return name\n") is None
    assert appended_functions(old, old + b"\n\ndef b():\n    pass\n\n\ndef b():\n    pass\n") is None
    assert appended_functions(old, old.replace(b"return 1", b"return 2") + b"\ndef b():\n    pass\n") is None


@pytest.mark.parametrize(
    ("source", "lists"),
    [
        ("x = getattr(obj, 'name')\n", False),
        ("x = getattr(obj, name)\n", True),
        ("class P:\n    def __getattr__(self, name):\n        return getattr(self._wrapped, name)\n", False),
        (
            "class P:\n    def __getattr__(self, name):\n        name = 'x' + name\n        return getattr(self.w, name)\n",
            True,
        ),
        ("local.__dict__.setdefault('stack', []).append(1)\n", False),
        ("for key in module.__dict__:\n    pass\n", True),
        ("names = dir(module)\n", True),
        ("options = vars(args)\n", True),
        ("from pkg.mod import *\n", True),
        ("m = Mock(spec=module)\n", True),
        ("import inspect\nmembers = inspect.getmembers(module)\n", True),
        ("names = module.__all__\n", True),
        ("text = 'dir(x) in a string runs nothing here'\n", False),
    ],
)
def test_what_lists_or_computes_names(source: str, lists: bool) -> None:
    assert (lists_names(source.encode())[0] is not None) == lists
