"""A name read only where nothing runs it goes back under ``if TYPE_CHECKING:``.

The shapes are jinja's and pydantic's: a ``Protocol`` class defined inside the ``if
t.TYPE_CHECKING:`` block itself (``class VisitCallable(te.Protocol)``), and a function whose
signature names a class its body imports again for ``isinstance`` (the signature is read in the
module's scope, the body's import does not cover it).
"""

from __future__ import annotations

import ast
from pathlib import Path

from heal_projects import add as _add
from heal_projects import project as _project

from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import
from hookwright.heal.import_usage import usage

VISITOR = (
    '"""API for traversing the AST nodes."""\n\nimport typing as t\n\nfrom .nodes import Node\n\n'
    "if t.TYPE_CHECKING:\n\n"
    "    class VisitCallable(te.Protocol):\n"
    "        def __call__(self, node: Node, *args: t.Any, **kwargs: t.Any) -> t.Any: ...\n\n\n"
    "class NodeVisitor:\n"
    '    def get_visitor(self, node: Node) -> "VisitCallable | None":\n'
    '        return getattr(self, f"visit_{type(node).__name__}", None)\n'
)


def test_a_name_read_inside_the_type_checking_block_is_imported_there(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "jinja2/__init__.py": "",
            "jinja2/nodes.py": "class Node:\n    pass\n",
            "jinja2/utils.py": "import typing as t\n\nif t.TYPE_CHECKING:\n    import typing_extensions as te\n",
            "jinja2/visitor.py": VISITOR,
        },
    )
    fixed = _add(VISITOR, "jinja2/visitor.py", "te", index)
    assert fixed is not None
    tree = ast.parse(fixed)
    block = next(n for n in tree.body if isinstance(n, ast.If))
    assert any(isinstance(n, ast.Import) and n.names[0].asname == "te" for n in block.body)
    assert not any(isinstance(n, ast.Import) and n.names[0].asname == "te" for n in tree.body)


def test_a_name_also_read_at_run_time_is_not_type_only() -> None:
    text = VISITOR + "\nPROTOCOL = te.Protocol\n"
    assert not usage(ast.parse(text), "te").type_only
    assert usage(ast.parse(VISITOR), "te").type_only


UNION = (
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
    "if TYPE_CHECKING:\n    from ._core_metadata import CoreMetadata\n\n\n"
    "def apply_discriminator(schema: CoreMetadata, discriminator: str | Discriminator) -> None:\n"
    '    """Apply the discriminator."""\n'
    "    from ..types import Discriminator\n\n"
    "    if isinstance(discriminator, Discriminator):\n"
    "        return None\n"
    "    return None\n"
)


def test_a_signature_is_read_in_the_scope_outside_the_function(tmp_path: Path) -> None:
    index = _project(
        tmp_path,
        {
            "pydantic/__init__.py": "",
            "pydantic/types.py": "class Discriminator:\n    pass\n",
            "pydantic/main.py": "from .types import Discriminator\n",
            "pydantic/_internal/__init__.py": "",
            "pydantic/_internal/_core_metadata.py": "class CoreMetadata:\n    pass\n",
            "pydantic/_internal/_discriminated_union.py": UNION,
        },
    )
    found = usage(ast.parse(UNION), "Discriminator")
    assert found.chains == ((),) and found.type_only
    fixed = _add(UNION, "pydantic/_internal/_discriminated_union.py", "Discriminator", index)
    assert fixed is not None
    assert "if TYPE_CHECKING:\n    from ..types import Discriminator\n    from ._core_metadata" in fixed


def test_the_block_s_own_test_is_read_at_run_time(tmp_path: Path) -> None:
    # electrum's json_db.py: `if TYPE_CHECKING:` with the typing import gone; it goes back to the
    # module's imports, never under the block it guards.
    text = (
        "import copy\nimport json\n\nfrom . import util\n\nif TYPE_CHECKING:\n"
        "    from .storage import WalletStorage\n\n\ndef load(s: 'WalletStorage') -> None:\n"
        "    copy.copy(json.loads(s))\n"
    )
    assert not usage(ast.parse(text), "TYPE_CHECKING").type_only
    ctx = FixContext(
        "electrum/json_db.py",
        None,
        None,
        "NameError",
        "",
        {"name": "TYPE_CHECKING"},
        {"source": "stdlib-name"},
    )
    fixed = add_import(text, ctx)
    assert fixed is not None
    assert fixed.startswith("import copy\nimport json\nfrom typing import TYPE_CHECKING\n")


CACHING = (
    "from __future__ import annotations\n\nimport logging\nfrom typing import TYPE_CHECKING, TypeVar\n\n"
    'if TYPE_CHECKING:\n    from typing_extensions import ParamSpec\n\n    P = ParamSpec("P")\nelse:\n'
    '    P = TypeVar("P")\n\n\nclass MMapCache:\n    def _makefile(self) -> mmap.mmap | bytearray:\n'
    "        import mmap\n\n        return mmap.mmap(-1, 10)\n"
)


def test_a_type_checking_block_with_an_else_is_still_the_block(tmp_path: Path) -> None:
    # fsspec's caching.py: `mmap` read in a signature only, imported in the body again
    index = _project(tmp_path, {"fsspec/__init__.py": "", "fsspec/caching.py": CACHING})
    fixed = _add(CACHING, "fsspec/caching.py", "mmap", index)
    assert fixed is not None
    block = next(n for n in ast.parse(fixed).body if isinstance(n, ast.If))
    assert any(isinstance(n, ast.Import) and n.names[0].name == "mmap" for n in block.body)
    assert "\nimport mmap\n" not in fixed


HTML = (
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\nimport coverage\n"
    "from coverage.data import CoverageData\n\nif TYPE_CHECKING:\n    from coverage.plugins import FileReporter\n\n\n"
    "class HtmlReporter:\n    def __init__(self, cov: Coverage, data: CoverageData) -> None:\n"
    "        self.cov = cov\n        self.version = coverage.__version__\n\n"
    "    def file(self, fr: FileReporter) -> None:\n        pass\n"
)


def test_a_plain_import_of_the_module_leaves_a_type_only_name_in_the_block(tmp_path: Path) -> None:
    # coveragepy's html.py: `import coverage` at the top, `from coverage import Coverage` in the block
    index = _project(
        tmp_path,
        {
            "coverage/__init__.py": "from coverage.control import Coverage\n",
            "coverage/control.py": "class Coverage:\n    pass\n",
            "coverage/report.py": "from coverage import Coverage\n",
            "coverage/html.py": HTML,
        },
    )
    fixed = _add(HTML, "coverage/html.py", "Coverage", index)
    assert fixed is not None
    block = next(n for n in ast.parse(fixed).body if isinstance(n, ast.If))
    assert any(isinstance(n, ast.ImportFrom) and n.names[0].name == "Coverage" for n in block.body)
