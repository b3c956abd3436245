"""A class that hands attributes it lacks on through ``__getattr__`` (tinydb's ``TinyDB`` to its
default ``Table``, held_out_6): its instances may answer to the renamed member, so a site on one is
unsure, never "another type" left alone."""

from __future__ import annotations

from pathlib import Path

from test_rename import make

from hookwright.refactor import rename

TABLE = """
class Table:
    def insert_multiple(self, docs):
        return [self.insert(d) for d in docs]

    def insert(self, doc):
        return doc
"""

# tinydb/database.py: the database forwards what it lacks to its default table
DATABASE = """
from kit.table import Table


class Base:
    def __getattr__(self, name):
        return getattr(self.table(), name)


class TinyDB(Base):
    def table(self):
        return Table()

    def insert(self, doc):
        return ("db", doc)


class Plain:
    def insert_multiple(self, docs):
        return docs
"""

USE = """
from kit.database import Plain, TinyDB


def test_it():
    db = TinyDB()
    db.insert_multiple([1])
    db.insert(2)
    other = Plain()
    other.insert_multiple([3])
"""


def test_a_receiver_that_forwards_through_getattr_is_unsure(tmp_path: Path) -> None:
    files = {
        "kit/__init__.py": "",
        "kit/table.py": TABLE,
        "kit/database.py": DATABASE,
        "kit/test_use.py": USE,
    }
    plan = rename.plan(tmp_path, make(tmp_path, files), "kit.table.Table.insert_multiple", "insert_many")
    assert [s.text for s in plan.unsure] == [
        "db.insert_multiple: a TinyDB hands attributes it lacks on through __getattr__"
    ]
    # a forwarding class that defines the member itself, and a class with no __getattr__: another type
    others = sorted(s.text for s in plan.others)
    assert others == ["other.insert_multiple: a Plain"]
    plan = rename.plan(tmp_path, sorted(files), "kit.table.Table.insert", "add")
    assert "db.insert: a TinyDB" in sorted(s.text for s in plan.others)
