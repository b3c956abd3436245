"""A test's parameter typed by the pytest fixture of that name (tinydb 4.9.0, held_out_6): the fixture
returns ``CachingMiddleware(MemoryStorage)()``, an instance called, and ``Middleware.__call__`` ends
in ``return self``; a test that parametrises the name gets the parameters, not the fixture."""

from __future__ import annotations

from pathlib import Path

from test_rename import make

from hookwright.refactor import rename

MIDDLEWARES = """
class Middleware:
    def __init__(self, storage_cls):
        self._storage_cls = storage_cls
        self.storage = None

    def __call__(self, *args, **kwargs):
        self.storage = self._storage_cls(*args, **kwargs)
        return self


class CachingMiddleware(Middleware):
    def flush(self):
        self.storage.write({})

    def close(self):
        self.flush()


class MemoryStorage:
    def write(self, data):
        self.memory = data
"""

CONFTEST = """
import pytest

from kit.middlewares import CachingMiddleware, MemoryStorage


@pytest.fixture
def storage():
    return CachingMiddleware(MemoryStorage)()
"""

TESTS = """
import io

import pytest

from kit.middlewares import CachingMiddleware, MemoryStorage


def test_flush(storage):
    storage.flush()


@pytest.mark.parametrize("storage", [io.StringIO()])
def test_parametrised(storage):
    storage.flush()


@pytest.mark.parametrize(("kind", "storage"), [(1, io.StringIO())])
class TestParametrised:
    def test_flush(self, kind, storage):
        storage.flush()


def test_inline():
    handle = io.StringIO()
    handle.flush()
"""


def test_a_fixture_returning_a_called_instance_types_the_test_parameter(tmp_path: Path) -> None:
    files = {
        "kit/__init__.py": "",
        "kit/middlewares.py": MIDDLEWARES,
        "tests/conftest.py": CONFTEST,
        "tests/test_middlewares.py": TESTS,
    }
    plan = rename.plan(
        tmp_path, make(tmp_path, files), "kit.middlewares.CachingMiddleware.flush", "flush_cache"
    )
    assert [s.text for s in plan.sites if s.kind == "typed"] == ["storage.flush: a CachingMiddleware"]
    # parametrize gives the test its own values (here file objects): the fixture says nothing of them
    assert sorted(s.text for s in plan.unsure) == [
        "storage.flush: storage is a parameter without a type",
        "storage.flush: storage is a parameter without a type",
    ]
    assert [s.text for s in plan.others] == ["handle.flush: a io.StringIO"]
