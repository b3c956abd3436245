"""A standard-library module is imported for ``name.attr`` only when the module has that attribute.

The shapes are twisted's (web2/requtil.py, where ``site`` is a local the commit left undefined;
and a public name ``subprocess`` leaves out of ``__all__``).
"""

from __future__ import annotations

import pytest

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import


def _add(text: str, name: str) -> str | None:
    ctx = FixContext("mod.py", None, None, "NameError", "", {"name": name}, {"source": "stdlib"}, None)
    return add_import(text, ctx)


REQUTIL = (
    "import time\n\n\ndef getSession(request, cookiename):\n"
    "    session = Session(request.site, request.site.mkuid())\n"
    "    site.setSession(session)\n    return session, time.time()\n"
)


def test_an_attribute_the_module_lacks_is_no_module_use() -> None:
    assert _add(REQUTIL, "site") is None


@pytest.mark.parametrize(
    ("text", "name", "line"),
    [
        pytest.param(
            "print(subprocess.list2cmdline(['a', 'b c']))\n",
            "subprocess",
            "import subprocess\n",
            id="public-but-not-in-all",
        ),
        pytest.param("print(site.getsitepackages())\n", "site", "import site\n", id="exported"),
        pytest.param("sys._getframe(1)\n", "sys", "import sys\n", id="private-is-not-checked"),
    ],
)
def test_attributes_the_module_has(text: str, name: str, line: str) -> None:
    fixed = _add(text, name)
    assert fixed is not None and fixed.startswith(line)
