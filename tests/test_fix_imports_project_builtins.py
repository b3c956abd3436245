"""A name the project installs into ``builtins`` is defined everywhere: no import is added for it.

The shapes are quodlibet's (2010-2016: ``__builtin__.__dict__["_"] = ...`` in the package's
``__init__``, which this interpreter cannot parse, and ``print_d`` read bare in a plugin) and
exaile's (``gettext.install("exaile")`` at start-up, ``_`` read bare in the GUI modules).
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import add, project

PLUGIN = (
    "from quodlibet.plugins.events import EventPlugin\n\n\n"
    "class Zeitgeist(EventPlugin):\n"
    "    def enabled(self):\n"
    "        print_d('zeitgeist on')\n"
)

QUODLIBET = {
    "quodlibet/__init__.py": (
        "import __builtin__\n\n"
        "def _dummy_gettext(value):\n    return value\n\n"
        '__builtin__.__dict__["_"] = _dummy_gettext\n'
        "print 'python 2 only'\n"
    ),
    "quodlibet/util/__init__.py": "",
    "quodlibet/util/dprint.py": "def print_d(string):\n    return string\n",
    "quodlibet/util/main.py": (
        "import builtins\n\nfrom quodlibet.util.dprint import print_d\n\n"
        "setattr(builtins, 'print_d', print_d)\n"
    ),
    "quodlibet/plugins/__init__.py": "",
    "quodlibet/plugins/events.py": "class EventPlugin:\n    pass\n",
    "plugins/zeitgeist_client.py": PLUGIN,
}


def test_a_name_the_project_puts_into_builtins_gets_no_import(tmp_path: Path) -> None:
    index = project(tmp_path, QUODLIBET)
    assert add(PLUGIN, "plugins/zeitgeist_client.py", "print_d", index) is None
    text = PLUGIN.replace("print_d('zeitgeist on')", "return _('Zeitgeist')")
    assert add(text, "plugins/zeitgeist_client.py", "_", index) is None


def test_gettext_install_defines_the_underscore(tmp_path: Path) -> None:
    files = {
        "xl/__init__.py": "",
        "xl/main.py": 'import gettext\n\ngettext.install("exaile")\n',
        "xl/nls.py": "def gettext(text):\n    return text\n",
        "xlgui/__init__.py": "",
        "xlgui/panel.py": "from xl.nls import gettext as _\n",
        "xlgui/collection.py": "def title():\n    return _('Collection')\n",
    }
    index = project(tmp_path, files)
    assert add(files["xlgui/collection.py"], "xlgui/collection.py", "_", index) is None


def test_a_project_that_installs_nothing_still_gets_its_import(tmp_path: Path) -> None:
    files = {**QUODLIBET, "quodlibet/__init__.py": "", "quodlibet/util/main.py": ""}
    files["quodlibet/other.py"] = "from quodlibet.util.dprint import print_d\n\nprint_d('x')\n"
    index = project(tmp_path, files)
    fixed = add(PLUGIN, "plugins/zeitgeist_client.py", "print_d", index)
    assert fixed is not None
    assert "from quodlibet.util.dprint import print_d\n" in fixed
