"""How the project's other files import a name decides the form of a re-added import.

The shapes are twisted's (2003-2005): Python 2 modules that import their siblings implicitly
(``import log`` inside ``twisted/python``), and a module name several packages use (``util``).
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import add as _add
from heal_projects import project as _project

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import

PORTFORWARD = (
    '"""A simple port forwarder."""\n\n# Twisted imports\nfrom twisted.internet import protocol\n\n'
    "class Proxy(protocol.Protocol):\n    def connectionLost(self, reason):\n"
    '        log.msg("lost")\n'
)


def test_an_implicit_relative_import_is_learned_as_the_sibling_it_names(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "twisted/__init__.py": "",
            "twisted/python/__init__.py": "",
            "twisted/python/log.py": "def msg(*args):\n    pass\n",
            "twisted/python/failure.py": "import log\n\nlog.msg('failure')\n",
            "twisted/python/threadable.py": "import log\n\nlog.msg('threads')\n",
            "twisted/internet/__init__.py": "",
            "twisted/internet/tcp.py": "from twisted.python import log\n\nlog.msg('tcp')\n",
            "twisted/protocols/__init__.py": "",
            "twisted/protocols/portforward.py": PORTFORWARD,
        },
    )
    fixed = _add(PORTFORWARD, "twisted/protocols/portforward.py", "log", index)
    assert fixed is not None
    assert "from twisted.internet import protocol\nfrom twisted.python import log\n" in fixed
    assert "import log\n" not in fixed.replace("from twisted.python import log\n", "")


def test_a_top_level_module_of_that_name_is_not_a_sibling(tmp_path: Path) -> None:
    # `import log` in pkg/a.py where pkg/log.py does not exist names the top-level `log`.
    index = _project(
        tmp_path,
        {
            "log.py": "def msg(*args):\n    pass\n",
            "pkg/__init__.py": "",
            "pkg/a.py": "import log\n\nlog.msg('a')\n",
            "pkg/b.py": "import log\n\nlog.msg('b')\n",
        },
    )
    fixed = _add("def f():\n    log.msg('c')\n", "pkg/c.py", "log", index)
    assert fixed is not None and fixed.startswith("import log\n")


LOG = (
    '"""Logging."""\n\n# Sibling Imports\n\nimport context\n\n\n'
    "class FileLogObserver:\n    def emit(self, text):\n        util.untilConcludes(self.write, text)\n"
)


def test_an_aliased_import_is_ranked_by_how_often_it_is_written(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "twisted/__init__.py": "",
            "twisted/python/__init__.py": "",
            "twisted/python/util.py": "def untilConcludes(f, *a):\n    return f(*a)\n",
            "twisted/python/context.py": "",
            "twisted/python/log.py": LOG,
            "twisted/python/usage.py": "from twisted.python import util\n\nutil.untilConcludes(print)\n",
            "twisted/python/logfile.py": "from twisted.python import util\n\nutil.untilConcludes(print)\n",
            "twisted/web/__init__.py": "",
            "twisted/web/util.py": "def redirectTo(url, request):\n    pass\n",
            "twisted/web/widgets.py": "import twisted.web.util as util\n\nutil.redirectTo('/', None)\n",
        },
    )
    fixed = _add(LOG, "twisted/python/log.py", "util", index)
    assert fixed is not None
    assert "from twisted.python import util\n" in fixed and "twisted.web" not in fixed


WIN32 = (
    "from twisted.internet import abstract, posixbase, main, error\n"
    "from twisted.internet.interfaces import IReactorFDSet\n\n"
    "class Win32Reactor(posixbase.PosixReactorBase):\n"
    "    __implements__ = (IReactorFDSet, IReactorProcess)\n"
)


def test_a_module_this_interpreter_cannot_parse_still_defines_its_classes(tmp_path: Path) -> None:
    # twisted/internet/interfaces.py of 2004 is Python 2 (`except X, e:`); its classes are still there.
    index = _project(
        tmp_path,
        {
            "twisted/__init__.py": "",
            "twisted/internet/__init__.py": "",
            "twisted/internet/interfaces.py": (
                "from twisted.python.components import Interface\n\n"
                "try:\n    import os\nexcept ImportError, e:\n    os = None\n\n"
                "class IReactorFDSet(Interface):\n    pass\n\n"
                "class IReactorProcess(Interface):\n    def spawnProcess(self):\n        pass\n"
            ),
            "twisted/internet/win32eventreactor.py": WIN32,
        },
    )
    ctx = FixContext(
        "twisted/internet/win32eventreactor.py", None, None, "NameError", "", {"name": "IReactorProcess"},
        {"source": "definitions"}, index,
    )  # fmt: skip
    fixed = add_import(WIN32, ctx)
    assert fixed is not None
    assert "from twisted.internet.interfaces import IReactorFDSet, IReactorProcess\n" in fixed


def test_an_unparsable_scripts_assignments_are_not_definitions(tmp_path: Path) -> None:
    # twisted's doc/examples/rootscript.py (Python 2) assigns `file = ...`; `file` in another
    # Python 2 module is the old builtin, which no import supplies.
    index = _project(
        tmp_path,
        {
            "doc/examples/rootscript.py": "print 'root'\nfile = open('x')\n",
            "win32/twisted_postinstall.py": "def run():\n    return file('log')\n",
        },
    )
    ctx = FixContext(
        "win32/twisted_postinstall.py", None, None, "NameError", "", {"name": "file"},
        {"source": "definitions"}, index,
    )  # fmt: skip
    assert add_import("def run():\n    return file('log')\n", ctx) is None


GETRGB = """\
import re


def getrgb(color):
    m = re.match(r"hsl\\((\\d+)\\)$", color)
    if m:
        from colorsys import hls_to_rgb

        return hls_to_rgb(float(m.group(1)), 0.5, 0.5)

    m = re.match(r"hsv\\((\\d+)\\)$", color)
    if m:
{gap}
        return hsv_to_rgb(float(m.group(1)), 0.5, 0.5)
    return None
"""


def test_an_import_in_another_branch_is_not_joined() -> None:
    # Pillow's ImageColor.getrgb: `from colorsys import hsv_to_rgb, hls_to_rgb` in the hsl branch
    # would leave hsv_to_rgb unbound in the hsv branch (UnboundLocalError when it runs).
    ctx = FixContext(
        "src/PIL/ImageColor.py",
        None,
        None,
        "NameError",
        "",
        {"name": "hsv_to_rgb"},
        {"source": "stdlib-name"},
    )
    fixed = add_import(GETRGB.format(gap=""), ctx)
    assert fixed == GETRGB.format(gap="        from colorsys import hsv_to_rgb\n")


LEGACY = """\
from __future__ import annotations

from tox.plugin import impl

from .devenv import devenv


def legacy(state: State) -> int:
    return devenv(state, impl)
"""


def test_a_file_that_writes_only_sibling_imports_relative_gets_an_absolute_one(tmp_path: Path) -> None:
    # tox's session/cmd/legacy.py: `from .devenv import` for siblings, `from tox.x import` beyond.
    index = _project(
        tmp_path,
        {
            "src/tox/__init__.py": "",
            "src/tox/plugin.py": "impl = None\n",
            "src/tox/session/__init__.py": "",
            "src/tox/session/state.py": "class State:\n    pass\n",
            "src/tox/session/cmd/__init__.py": "",
            "src/tox/session/cmd/devenv.py": "def devenv(state, impl):\n    return 0\n",
            "src/tox/session/cmd/legacy.py": LEGACY,
        },
    )
    ctx = FixContext(
        "src/tox/session/cmd/legacy.py", None, None, "NameError", "", {"name": "State"},
        {"source": "definitions"}, index,
    )  # fmt: skip
    fixed = add_import(LEGACY, ctx)
    assert fixed is not None and "from tox.session.state import State\n" in fixed
    assert "from ..state" not in fixed
    sibling = add_import(LEGACY.replace("from .devenv", "from ..devenv"), ctx)
    assert sibling is not None and "from ..state import State\n" in sibling  # it writes `..` itself


def test_a_main_block_and_a_type_checking_block_define_nothing_to_import(tmp_path: Path) -> None:
    # twisted/web2/requtil.py reads `site`, a local its commit left undefined: cgichannel binds
    # `site` only under `if __name__ == "__main__":`, and ipython's tests/test_async_helpers.py
    # binds `ip` only under `if TYPE_CHECKING:` (IPython's tests get `ip` as a builtin).
    text = "def getSession(request):\n    site.setSession(request)\n"
    index = _project(
        tmp_path,
        {
            "twisted/__init__.py": "",
            "twisted/web2/__init__.py": "",
            "twisted/web2/proxy.py": "class ReverseProxyResource:\n    pass\n",
            "twisted/web2/cgichannel.py": "def startCGI(site):\n    pass\n\nif __name__ == '__main__':\n"
            "    site = object()\n",
            "tests/__init__.py": "",
            "tests/test_async_helpers.py": "from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n"
            "    site = object()\n",
            "twisted/web2/requtil.py": text,
        },
    )
    ctx = FixContext(
        "twisted/web2/requtil.py", None, None, "NameError", "", {"name": "site"},
        {"source": "definitions"}, index,
    )  # fmt: skip
    assert add_import(text, ctx) is None
