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
