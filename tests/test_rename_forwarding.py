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


def kit(tmp_path: Path, table: str, database: str, use: str) -> list[str]:
    """The package ``kit`` (table, database, a test using them) written under ``tmp_path``."""
    files = {
        "kit/__init__.py": "",
        "kit/table.py": table,
        "kit/database.py": database,
        "kit/test_use.py": use,
    }
    return make(tmp_path, files)


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
    files = kit(tmp_path, TABLE, DATABASE, USE)
    plan = rename.plan(tmp_path, files, "kit.table.Table.insert_multiple", "insert_many")
    assert [s.text for s in plan.unsure] == [
        "db.insert_multiple: a TinyDB hands attributes it lacks on through __getattr__"
    ]
    # a forwarding class that defines the member itself, and a class with no __getattr__: another type
    others = sorted(s.text for s in plan.others)
    assert others == ["other.insert_multiple: a Plain"]
    plan = rename.plan(tmp_path, sorted(files), "kit.table.Table.insert", "add")
    assert "db.insert: a TinyDB" in sorted(s.text for s in plan.others)


# tinydb 4.9.0: `TinyDB.__getattr__` returns `getattr(self.table(self.default_table_name), name)` and
# `table` says `-> Table`; `Query` forwards too, but to a new Query, which the code does not type here
FORWARDING = """
from kit.table import Table


class TinyDB:
    default_table_name = "_default"

    def table(self, name: str) -> Table:
        return Table()

    def __getattr__(self, name):
        \"\"\"Forward all unknown attribute calls to the default table instance.\"\"\"
        return getattr(self.table(self.default_table_name), name)


class Loose:
    def __getattr__(self, name):
        return getattr(self.make(), name)

    def make(self):
        return object()


class Guarded:
    def __getattr__(self, name):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self.table(), name)

    def table(self) -> Table:
        return Table()
"""

# a shared name: another class has the member too, so no unique-name fallback decides for us
TABLES = TABLE + "\n\nclass Other:\n    def insert_multiple(self, docs):\n        return docs\n"

FORWARDED_USE = """
from kit.database import Guarded, Loose, TinyDB


def test_it():
    db = TinyDB()
    db.insert_multiple([1])
    loose = Loose()
    loose.insert_multiple([2])
    guarded = Guarded()
    guarded.insert_multiple([3])
"""


def test_a_receiver_forwarding_to_a_typed_value_is_that_type(tmp_path: Path) -> None:
    files = kit(tmp_path, TABLES, FORWARDING, FORWARDED_USE)
    plan = rename.plan(tmp_path, files, "kit.table.Table.insert_multiple", "insert_many")
    typed = [s.text for s in plan.sites if s.kind == "typed"]
    assert typed == ["db.insert_multiple: a TinyDB, which hands it on to a Table"]
    # a target the code does not type, and a hook that does more than forward: still unsure
    assert sorted(s.text for s in plan.unsure) == [
        "guarded.insert_multiple: a Guarded hands attributes it lacks on through __getattr__",
        "loose.insert_multiple: a Loose hands attributes it lacks on through __getattr__",
    ]


def test_a_forwarding_target_without_the_member_is_another_type(tmp_path: Path) -> None:
    files = kit(tmp_path, TABLES, FORWARDING, FORWARDED_USE)
    plan = rename.plan(tmp_path, files, "kit.table.Other.insert_multiple", "insert_many")
    assert "db.insert_multiple: a TinyDB, which hands it on to a Table" in [s.text for s in plan.others]
