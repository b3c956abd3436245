"""A re-added project import is spelled the way the files of the same folder spell it.

The shapes are alembic's and jinja's: ``alembic/autogenerate/compare/*.py`` import
``AutogenContext`` from ``...autogenerate.api`` (the shortest spelling, ``..api``, is what the
project's other folders would suggest), and jinja's package modules import ``Environment`` from
``.environment`` while its many tests import it from ``jinja2``.
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import add as _add
from heal_projects import project as _project


def _compare_module(extra: str) -> str:
    return (
        "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
        f"if TYPE_CHECKING:\n{extra}    from ...operations.ops import UpgradeOps\n\n\n"
        "def _compare(autogen_context: AutogenContext, upgrade_ops: UpgradeOps) -> None:\n"
        "    pass\n"
    )


def test_the_folder_s_own_relative_spelling_is_kept(tmp_path: Path) -> None:
    spelled = "    from ...autogenerate.api import AutogenContext\n"
    broken = _compare_module("")
    index = _project(
        tmp_path,
        {
            "alembic/__init__.py": "",
            "alembic/autogenerate/__init__.py": "",
            "alembic/autogenerate/api.py": "class AutogenContext:\n    pass\n",
            "alembic/autogenerate/render.py": "from .api import AutogenContext\n",
            "alembic/autogenerate/rewriter.py": "from .api import AutogenContext\n",
            "alembic/ddl/__init__.py": "",
            "alembic/ddl/impl.py": "from ..autogenerate.api import AutogenContext\n",
            "alembic/operations/__init__.py": "",
            "alembic/operations/ops.py": "class UpgradeOps:\n    pass\n",
            "alembic/autogenerate/compare/__init__.py": "",
            "alembic/autogenerate/compare/comments.py": _compare_module(spelled),
            "alembic/autogenerate/compare/types.py": _compare_module(spelled),
            "alembic/autogenerate/compare/tables.py": broken,
        },
    )
    fixed = _add(broken, "alembic/autogenerate/compare/tables.py", "AutogenContext", index)
    assert fixed == _compare_module(spelled)


RUNTIME = (
    "import typing as t\n\nif t.TYPE_CHECKING:\n    from .nodes import Node\n\n\n"
    "def new_context(environment: 'Environment', node: 'Node') -> None:\n    pass\n"
)


def test_the_package_s_defining_module_beats_the_tests_public_import(tmp_path: Path) -> None:
    tests = {f"tests/test_{n}.py": "from jinja2 import Environment\n" for n in range(4)}
    index = _project(
        tmp_path,
        {
            "jinja2/__init__.py": "from .environment import Environment as Environment\n",
            "jinja2/environment.py": "class Environment:\n    pass\n",
            "jinja2/nodes.py": "class Node:\n    pass\n",
            "jinja2/compiler.py": "import typing as t\n\nif t.TYPE_CHECKING:\n    from .environment import Environment\n",
            "jinja2/runtime.py": RUNTIME,
            **tests,
        },
    )
    fixed = _add(RUNTIME, "jinja2/runtime.py", "Environment", index)
    assert fixed is not None
    assert "    from .environment import Environment\n" in fixed
    assert "from . import Environment" not in fixed


def test_a_folder_split_two_ways_gives_no_evidence(tmp_path: Path) -> None:
    broken = _compare_module("")
    index = _project(
        tmp_path,
        {
            "alembic/__init__.py": "",
            "alembic/autogenerate/__init__.py": "",
            "alembic/autogenerate/api.py": "class AutogenContext:\n    pass\n",
            "alembic/operations/__init__.py": "",
            "alembic/operations/ops.py": "class UpgradeOps:\n    pass\n",
            "alembic/autogenerate/compare/__init__.py": "",
            "alembic/autogenerate/compare/a.py": _compare_module(
                "    from ...autogenerate.api import AutogenContext\n"
            ),
            "alembic/autogenerate/compare/b.py": _compare_module("    from ..api import AutogenContext\n"),
            "alembic/autogenerate/compare/tables.py": broken,
        },
    )
    fixed = _add(broken, "alembic/autogenerate/compare/tables.py", "AutogenContext", index)
    assert fixed is not None
    assert "    from ..api import AutogenContext\n" in fixed  # as before: the shortest relative spelling


def test_a_tie_goes_to_the_form_spelled_as_this_file_spells_its_project_imports(tmp_path: Path) -> None:
    # electrum's gui/qml/qetxfinalizer.py (2023): `NetworkException` is imported from `.interface`
    # twice inside the package and from `electrum.network` twice from outside it; the file imports
    # the rest of the project absolutely, as the commit did.
    broken = (
        "from electrum.util import NotEnoughFunds\n\nfrom .qetypes import QEAmount\n\n\n"
        "def finalize(amount: QEAmount) -> None:\n    try:\n        pass\n"
        "    except (NetworkException, NotEnoughFunds):\n        pass\n"
    )
    index = _project(
        tmp_path,
        {
            "electrum/__init__.py": "",
            "electrum/util.py": "class NotEnoughFunds(Exception):\n    pass\n",
            "electrum/interface.py": "class NetworkException(Exception):\n    pass\n",
            "electrum/network.py": "from .interface import NetworkException\n",
            "electrum/lnworker.py": "from .interface import NetworkException\n",
            "electrum/plugins/__init__.py": "",
            "electrum/plugins/a.py": "from electrum.network import NetworkException\n",
            "electrum/plugins/b.py": "from electrum.network import NetworkException\n",
            "electrum/gui/__init__.py": "",
            "electrum/gui/qml/__init__.py": "",
            "electrum/gui/qml/qetypes.py": "class QEAmount:\n    pass\n",
            "electrum/gui/qml/qetxfinalizer.py": broken,
        },
    )
    fixed = _add(broken, "electrum/gui/qml/qetxfinalizer.py", "NetworkException", index)
    assert fixed is not None
    assert "from electrum.network import NetworkException\n" in fixed


def test_a_folder_s_class_import_is_not_taken_for_a_module_read_as_a_module(tmp_path: Path) -> None:
    # dateutil's parser/_parser.py (fresh2): `time.localtime()` and `time.tzname` read the module
    # `time`; the sibling isoparser.py imports the class `from datetime import time`. The project
    # elsewhere writes `import time`. Taking the folder's spelling compiles and fails at run time.
    broken = "import re\n\n\ndef year():\n    return time.localtime().tm_year, time.tzname, re\n"
    index = _project(
        tmp_path,
        {
            "dateutil/__init__.py": "",
            "dateutil/tz.py": "import time\n\nOFFSET = time.timezone\n",
            "dateutil/rrule.py": "import time\n\nNOW = time.time()\n",
            "dateutil/parser/__init__.py": "",
            "dateutil/parser/isoparser.py": "from datetime import datetime, timedelta, time, date\n",
            "dateutil/parser/_parser.py": broken,
        },
    )
    fixed = _add(broken, "dateutil/parser/_parser.py", "time", index)
    assert fixed is not None and fixed.startswith("import re\nimport time\n"), fixed
