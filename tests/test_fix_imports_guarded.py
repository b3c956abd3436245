"""Names an added import must not answer: ones the file reads only for another interpreter, and
Python 2's builtins.

The shapes are real: textual's ``_compat.py`` (2025) vendors ``cached_property`` under the ``else:``
of ``if sys.version_info >= (3, 12):`` and names ``Callable`` and ``Self`` only in postponed
annotations, without importing them; ``from typing import Self`` there would raise ImportError on
exactly the versions that branch is for. SCons's ``OptionsTests.py`` (2009) still called Python 2's
``cmp``, which ``filecmp`` happens to export as a function that compares files.
"""

from __future__ import annotations

from pathlib import Path

from conftest import git, write
from test_self_heal import self_heal_hook

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import

COMPAT = (
    "from __future__ import annotations\n\n"
    "import sys\n"
    "from typing import Any, Generic, TypeVar, overload\n\n"
    "if sys.version_info >= (3, 12):\n"
    "    from functools import cached_property\n"
    "else:\n"
    '    _T_co = TypeVar("_T_co", covariant=True)\n\n'
    "    class cached_property(Generic[_T_co]):\n"
    "        def __init__(self, func: Callable[[Any, _T_co]]) -> None:\n"
    "            self.func = func\n\n"
    "        @overload\n"
    "        def __get__(self, instance: None, owner: type[Any] | None = None) -> Self: ...\n\n"
    "        @overload\n"
    "        def __get__(self, instance: object, owner: type[Any] | None = None) -> _T_co: ...\n\n"
    "        def __get__(self, instance: object, owner: type[Any] | None = None) -> _T_co | Self:\n"
    "            return self if instance is None else self.func(instance)\n"
)


def _add(text: str, name: str, source: str = "stdlib-name", module: str = "") -> str | None:
    params = {"source": source, "names": {name: module}}
    ctx = FixContext("pkg/compat.py", None, None, "NameError", "", {"name": name}, params)
    return add_import(text, ctx)


def test_a_correct_file_whose_names_live_in_a_version_branch_is_left_alone(in_git_dir: Path) -> None:
    write(in_git_dir / "pkg" / "__init__.py", "")
    write(in_git_dir / "pkg" / "_compat.py", COMPAT)
    git(in_git_dir, "add", ".")
    result = self_heal_hook("pkg/_compat.py", cwd=in_git_dir)
    assert (in_git_dir / "pkg" / "_compat.py").read_text() == COMPAT
    assert "from typing import" not in result.stdout.replace("from typing import Any", "")


def test_names_read_only_inside_a_version_branch_are_declined() -> None:
    assert _add(COMPAT, "Callable") is None
    assert _add(COMPAT, "Self") is None


def test_a_name_read_only_inside_an_import_error_try_is_declined() -> None:
    text = (
        "try:\n    import ujson as json\n    parse = JSONDecodeError\nexcept ImportError:\n    json = None\n"
    )
    assert _add(text, "JSONDecodeError", "names", "simplejson") is None


def test_a_standard_library_name_inside_an_import_error_try_still_goes_to_the_top() -> None:
    # Flexget's ftp/sftp.py (2019): `try: import pysftp` then `logging.getLogger("paramiko")`;
    # the try guards pysftp, and the commit put `import logging` at the top.
    text = (
        "from flexget import plugin\n\ntry:\n    import pysftp\n\n"
        '    logging.getLogger("paramiko").setLevel(logging.ERROR)\n'
        "except ImportError:\n    pysftp = None\n"
    )
    fixed = _add(text, "logging", "stdlib")
    assert fixed is not None
    assert fixed.startswith("import logging\n")


def test_the_same_name_outside_any_branch_is_still_imported() -> None:
    text = COMPAT.replace(
        "else:\n", "else:\n    pass\n\n\ndef run(f: Callable[[], None]) -> None:\n    f()\n\n\nif True:\n"
    )
    fixed = _add(text, "Callable")
    assert fixed is not None
    assert "Callable" in fixed.split("if sys.version_info", 1)[0]


OPTIONS = (
    "import unittest\n\nimport SCons.Options\n\n\n"
    "class OptionsTestCase(unittest.TestCase):\n"
    "    def test_keys(self):\n"
    "        keys = list(SCons.Options.Options().keys())\n"
    "        keys.sort(cmp)\n"
    "        return keys\n"
)


def test_a_python2_builtin_is_not_imported_from_a_module_that_happens_to_export_it() -> None:
    assert _add(OPTIONS, "cmp") is None


def test_a_python2_builtin_goes_where_python3_moved_it() -> None:
    fixed = _add(OPTIONS.replace("keys.sort(cmp)", "keys = reduce(lambda a, b: a + b, keys)"), "reduce")
    assert fixed is not None
    assert "from functools import reduce\n" in fixed


def test_a_module_compiled_into_every_interpreter_is_still_imported_for_a_version_branch() -> None:
    # gevent's greentest/six.py (2012): `sys` read only under `if PY3:` and its `else:`.
    text = (
        "from gevent.hub import PY3\n\nif PY3:\n    MAXSIZE = sys.maxsize\n"
        "else:\n    MAXSIZE = int((1 << 31) - 1)\n"
    )
    fixed = _add(text, "sys", "stdlib")
    assert fixed is not None
    assert fixed.startswith("import sys\n")


def test_a_name_guarded_by_a_try_goes_back_into_the_gap_it_left_there() -> None:
    # pdm's install-pdm.py (2024): `import venv` was the first line of the `try:` whose handler
    # catches ModuleNotFoundError; the blank line it left is where it goes back, still guarded.
    text = (
        "import subprocess\n\n\n"
        "def make(venv_path):\n"
        "    try:\n\n"
        "        venv.create(venv_path, clear=False, with_pip=True)\n"
        "    except (ModuleNotFoundError, subprocess.CalledProcessError):\n"
        "        return False\n"
        "    return True\n"
    )
    fixed = _add(text, "venv", "stdlib")
    assert fixed is not None
    assert "    try:\n        import venv\n" in fixed


def test_a_name_from_a_module_the_file_loads_at_the_top_joins_it_inside_an_import_error_try() -> None:
    # spyder's collectionsdelegate.py (history9): `is_pynsist()` read in the `except ImportError:`
    # handler of an optional viewer's import; the file imports `_` from spyder.config.base at the
    # top, so one more name from that module fails nowhere the module itself does not
    text = (
        "from spyder.config.base import _, running_in_mac_app\n\n\n"
        "def show(module):\n    try:\n        import guiqwt\n    except ImportError:\n"
        "        if running_in_mac_app() or is_pynsist():\n            return _('Lite')\n"
    )
    fixed = _add(text, "is_pynsist", "names", "spyder.config.base")
    assert fixed is not None
    assert fixed.startswith("from spyder.config.base import _, is_pynsist, running_in_mac_app\n")


def test_a_version_branch_name_is_declined_though_the_file_imports_from_its_module() -> None:
    # the version branch keeps its rule: a name read only for another interpreter is never imported
    text = (
        "import sys\nfrom typing import Any\n\n"
        "if sys.version_info >= (3, 11):\n    Alias = Self\nelse:\n    Alias = Any\n"
    )
    assert _add(text, "Self", "names", "typing") is None
