"""A name the file's own ``from`` import of a re-exporting package can bring joins that import.

The shape is litestar's ``_kwargs/extractors.py``: ``from litestar.connection import ASGIConnection``
under ``if TYPE_CHECKING:``, ``Request`` read only in annotations; ``litestar.connection``'s
``__init__`` re-exports both, while most files write ``from litestar import Request``.
"""

from __future__ import annotations

from pathlib import Path

from heal_projects import add as _add
from heal_projects import project as _project

EXTRACTORS = (
    "from __future__ import annotations\n\nfrom typing import TYPE_CHECKING\n\n"
    "if TYPE_CHECKING:\n    from app.connection import ASGIConnection\n\n\n"
    "def extract(connection: ASGIConnection, request: Request) -> None:\n    pass\n"
)


def _files(extra: dict[str, str]) -> dict[str, str]:
    files = {
        "app/__init__.py": "from app.connection.request import Request\n",
        "app/connection/__init__.py": (
            "from app.connection.base import ASGIConnection\nfrom app.connection.request import Request\n\n"
            '__all__ = ("ASGIConnection", "Request")\n'
        ),
        "app/connection/base.py": "class ASGIConnection:\n    pass\n",
        "app/connection/request.py": "from app.connection.base import ASGIConnection\n\n\nclass Request(ASGIConnection):\n    pass\n",
        "app/kwargs/__init__.py": "",
        "app/kwargs/extractors.py": EXTRACTORS,
    }
    for number in range(3):
        files[f"app/handler{number}.py"] = (
            "from app import Request\n\n\ndef handle(r: Request) -> None:\n    pass\n"
        )
    return {**files, **extra}


def test_joins_the_block_s_import_of_a_package_that_re_exports_it(tmp_path: Path) -> None:
    fixed = _add(EXTRACTORS, "app/kwargs/extractors.py", "Request", _project(tmp_path, _files({})))
    assert fixed is not None
    assert "    from app.connection import ASGIConnection, Request\n" in fixed


def test_a_name_read_at_run_time_does_not_join_the_block(tmp_path: Path) -> None:
    text = EXTRACTORS + "\n\nDEFAULT = Request()\n"
    files = _files({"app/kwargs/extractors.py": text})
    fixed = _add(text, "app/kwargs/extractors.py", "Request", _project(tmp_path, files))
    assert fixed is None or "from app.connection import ASGIConnection, Request" not in fixed


def test_a_plain_module_that_imports_the_name_is_no_api(tmp_path: Path) -> None:
    text = EXTRACTORS.replace("app.connection import", "app.connection.base import")
    files = _files(
        {
            "app/kwargs/extractors.py": text,
            "app/connection/base.py": "from app.connection.request import Request\n",
        }
    )
    fixed = _add(text, "app/kwargs/extractors.py", "Request", _project(tmp_path, files))
    assert fixed is not None and "from app.connection.base import ASGIConnection, Request" not in fixed


def test_a_package_that_imports_the_name_for_its_own_use_is_no_api(tmp_path: Path) -> None:
    # kivy's `kivy.core` imports `Logger` for itself, without `__all__`: `kivy.logger` stays the answer
    init = "from app.connection.base import ASGIConnection\nfrom app.connection.request import Request\n"
    files = _files({"app/connection/__init__.py": init})
    fixed = _add(EXTRACTORS, "app/kwargs/extractors.py", "Request", _project(tmp_path, files))
    assert fixed is not None and "from app.connection import ASGIConnection, Request" not in fixed
