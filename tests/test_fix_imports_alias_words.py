"""An alias that names its standard-library module as a word of it, and reads through ``getattr``.

The shapes are kombu's (``import select as __select__``, read as ``__select__.select`` and probed with
``getattr(__select__, 'kqueue', None)`` for what only some platforms have) and eventlet's (``import
queue as Stdlib_Queue`` beside the project's own ``Queue`` classes).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from heal_projects import project as _project

from hookwright import stdlib_index
from hookwright.heal.fix_base import FixContext
from hookwright.heal.fix_imports import add_import
from hookwright.heal.import_stdlib import aliased_module
from hookwright.heal.import_usage import usage
from hookwright.heal.project_names import ProjectIndex

EVENTIO = (
    '"""Selector utilities."""\n\nimport errno\nimport math\nimport sys\n\n'
    "_selectf = __select__.select\n_selecterr = __select__.error\n"
    "xpoll = getattr(__select__, 'poll', None)\nepoll = getattr(__select__, 'epoll', None)\n"
    "kqueue = getattr(__select__, 'kqueue', None)\nKQ_EV_ADD = getattr(__select__, 'KQ_EV_ADD', 1)\n"
)
QUEUE = (
    "import sys\n\n\nclass Queue:\n    def get(self):\n        raise Stdlib_Queue.Empty\n\n"
    "    def put(self, item):\n        raise Stdlib_Queue.Full\n"
)


def _alias(text: str, path: str, name: str, index: ProjectIndex) -> str | None:
    ctx = FixContext(path, None, None, "F821", "", {"name": name}, {"source": "stdlib-alias"}, index)
    return add_import(text, ctx)


def _imported(text: str) -> set[tuple[str, str | None]]:
    return {(a.name, a.asname) for n in ast.parse(text).body if isinstance(n, ast.Import) for a in n.names}


@pytest.mark.parametrize(
    ("text", "alias", "module"),
    [
        pytest.param(EVENTIO, "__select__", "select", id="dunder-alias-of-a-compiled-module"),
        pytest.param(QUEUE, "Stdlib_Queue", "queue", id="a-word-of-the-alias-names-the-module"),
    ],
)
def test_the_module_an_alias_names(tmp_path: Path, text: str, alias: str, module: str) -> None:
    index = _project(tmp_path, {"pkg/__init__.py": "", "pkg/mod.py": text})
    fixed = _alias(text, "pkg/mod.py", alias, index)
    assert fixed is not None and (module, alias) in _imported(fixed)


def test_getattr_with_a_literal_reads_the_attribute() -> None:
    found = usage(
        ast.parse("x = getattr(q, 'Empty')\ny = getattr(q, 'maybe', None)\nhasattr(q, 'Full')\n"), "q"
    )
    assert found.chains == (("Empty",),) and found.probes == 2 and found.as_module


@pytest.mark.parametrize(
    ("text", "name"),
    [
        pytest.param("ok = hasattr(Stdlib_Queue, 'Empty')\n", "Stdlib_Queue", id="only-probed-says-nothing"),
        pytest.param("x = Stdlib_Queue.nothing_queue_has\n", "Stdlib_Queue", id="what-is-read-is-not-there"),
        pytest.param("x = Old_Thing.Empty\n", "Old_Thing", id="no-word-names-a-module"),
    ],
)
def test_no_answer(text: str, name: str) -> None:
    assert aliased_module(name, usage(ast.parse(text), name), stdlib_index.load()) == []
