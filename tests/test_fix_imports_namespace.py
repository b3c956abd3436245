"""A module whose names are written at run time gets no import for a name it does not define.

The shape is eventlet's ``green/urllib2.py`` (MIT, 2024): ``patcher.inject('urllib2', globals(),
...)`` fills the module with urllib2's names, then ``FTPHandler.ftp_open`` is patched. ruff reports
``FTPHandler`` as undefined; ``from urllib.request import FTPHandler`` compiled and changed a correct
file (fresh7's one changed correct file, found blind at ac3e50a).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import git, write
from test_self_heal import self_heal_hook

from hookwright.heal.import_guards import namespace_filled_at_run_time

INJECTED = (
    "from eventlet import patcher\n"
    "from eventlet.green import ftplib\n"
    "from eventlet.green import socket\n\n"
    "patcher.inject(\n"
    "    'urllib2',\n"
    "    globals(),\n"
    "    ('socket', socket))\n\n"
    "FTPHandler.ftp_open = patcher.patch_function(FTPHandler.ftp_open, ('ftplib', ftplib))\n\n"
    "del patcher\n"
)


def test_a_module_filled_by_its_globals_keeps_its_undefined_names(in_git_dir: Path) -> None:
    write(in_git_dir / "urllib2.py", INJECTED)
    git(in_git_dir, "add", ".")
    self_heal_hook("urllib2.py", cwd=in_git_dir)
    assert (in_git_dir / "urllib2.py").read_text() == INJECTED


@pytest.mark.parametrize(
    ("source", "filled"),
    [
        ("inject('m', globals())\n", True),
        ("globals().update(table)\n", True),
        ("vars().update(table)\n", True),
        ("exec(code)\n", True),
        # reads of the namespace, a function's own locals, exec inside a function: nothing written
        ("x = globals()['x']\n", False),
        ("def option(name, value):\n    globals()[name] = value\n", False),
        ("def load(m):\n    return __import__(m, globals(), locals(), [''])\n", False),
        ("def run(source, scope):\n    exec(source, globals(), scope)\n", False),
        ("value = eval(text, globals())\n", False),
        ("def run(source):\n    exec(source, globals())\n", True),
        ("x = globals().get('x')\n", False),
        # xonsh's lazy objects put themselves into the namespace under the name they are assigned to
        ("_winapi = LazyObject(load, globals(), '_winapi')\n", False),
        ("_winapi = LazyObject(load, globals(), 'msvcrt')\n", True),
        ("ok = 'x' in globals()\n", False),
        # a help text filled from the module's constants (CellProfiler's modules, history11)
        ("HELP = '%(LIMIT)s rows' % globals()\n", False),
        ("names = [n for n in globals()]\n", False),
        ("def f(**kw):\n    return locals()\n", False),
        ("def f(code):\n    exec(code, {})\n", False),
        ("import os\nos.getcwd()\n", False),
    ],
)
def test_what_writes_a_modules_names(source: str, filled: bool) -> None:
    assert namespace_filled_at_run_time(ast.parse(source)) is filled
