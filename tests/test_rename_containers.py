"""Receivers taken out of containers and test helpers, from the shapes of h11's tests (held_out_5):
``for conn in p.conns`` over a property annotated ``-> ValuesView[Connection]``, ``p.conn[SERVER]`` of
a dict of ``Connection(...)`` values, ``c, data = setup(...)`` and ``p = setup()`` of a helper defined
in the test; and the wording of the reasons of unsure sites."""

from __future__ import annotations

from pathlib import Path

from test_rename import make

from hookwright.refactor import rename

CONN = """
class Connection:
    def __init__(self, role):
        self.role = role

    def send(self, data):
        return data


class State:
    def send(self, data):
        return None
"""

# h11/tests/helpers.py: a dict of constructed values, and a property whose annotation says its items
PAIR = """
from typing import ValuesView

from kit.conn import Connection


class ConnectionPair:
    def __init__(self):
        self.conn = {"client": Connection("client"), "server": Connection("server")}

    @property
    def conns(self) -> ValuesView[Connection]:
        return self.conn.values()

    def send(self, role, data):
        return self.conn[role].send(data)
"""

# h11/tests/test_connection.py: helpers defined inside the tests, annotated or returning constructors
USE = """
from typing import Dict, List, Optional, Tuple

from kit.conn import Connection, State
from kit.pair import ConnectionPair


def test_pair():
    def setup() -> ConnectionPair:
        return ConnectionPair()

    p = setup()
    p.send("client", 1)
    for conn in p.conns:
        conn.send(2)
    sc = p.conn["server"]
    sc.send(3)
    p = ConnectionPair()


def test_helpers(by_role: Dict[str, Connection], maybe: Optional[List[Connection]]):
    def setup() -> Tuple[Connection, Optional[List[bytes]]]:
        return Connection("server"), None

    def pair():
        return State(), Connection("x")

    c, data = setup()
    c.send(4)
    s, k = pair()
    s.send(5)
    k.send(6)
    for role, each in by_role.items():
        each.send(7)
    for one in maybe or ():
        one.send(8)
"""


def plan_of(tmp_path: Path, files: dict[str, str], old: str = "kit.conn.Connection.send") -> rename.Plan:
    return rename.plan(tmp_path, make(tmp_path, {"kit/__init__.py": "", **files}), old, "transmit")


def test_items_of_containers_and_helpers_are_typed_by_what_the_code_says(tmp_path: Path) -> None:
    plan = plan_of(tmp_path, {"kit/conn.py": CONN, "kit/pair.py": PAIR, "kit/test_use.py": USE})
    assert "return self.conn[role].transmit(data)" in plan.contents["kit/pair.py"].decode()
    text = plan.contents["kit/test_use.py"].decode()
    for renamed in (
        "conn.transmit(2)",
        "sc.transmit(3)",
        "c.transmit(4)",
        "k.transmit(6)",
        "each.transmit(7)",
    ):
        assert renamed in text
    assert 'p.send("client", 1)' in text and "s.send(5)" in text
    others = sorted(s.text for s in plan.others)
    assert others == ["p.send: a ConnectionPair", "s.send: a State"]
    # `maybe or ()` is not a container whose annotation is read: left unsure, not renamed
    assert [s.text for s in plan.unsure] == ["one.send: one is assigned something whose type is not said"]


def test_a_container_the_class_fills_later_or_an_annotation_with_a_plain_type_is_not_read(
    tmp_path: Path,
) -> None:
    # self.conn[role] = ... after the literal: an item may be anything; `list[Connection] | str`: a str's
    # items are str, so the element type is not said
    filled = PAIR + "\n    def adopt(self, role, other):\n        self.conn[role] = other\n"
    use = (
        "from typing import List, Union\n\nfrom kit.pair import ConnectionPair\n\n\n"
        "def test_it(items: Union[List['Connection'], str]):\n"
        "    p = ConnectionPair()\n    p.conn['server'].send(1)\n"
        "    for item in items:\n        item.send(2)\n"
    )
    plan = plan_of(tmp_path, {"kit/conn.py": CONN, "kit/pair.py": filled, "kit/test_use.py": use})
    assert "kit/test_use.py" not in plan.contents
    assert sorted(s.text for s in plan.unsure) == [
        "item.send: item is assigned something whose type is not said",
        "p.conn[...].send: nothing here says what p.conn[...] holds",
        "self.conn[...].send: nothing here says what self.conn[...] holds",
    ]


def test_unsure_reasons_read_as_one_sentence(tmp_path: Path) -> None:
    # the garbled forms held_out_5 printed: "it can be its value is not known here", "it can be the
    # value of setup(...) is not known here"
    use = (
        "from kit.conn import Connection\n\n\n"
        "def test_it(table, make):\n"
        "    sc = table['server']\n    sc.send(1)\n"
        "    p = make()\n    p.send(2)\n"
        "    c = Connection('a')\n    if table:\n        c = make()\n    c.send(3)\n"
    )
    plan = plan_of(tmp_path, {"kit/conn.py": CONN, "kit/test_use.py": use})
    assert [s.text for s in plan.unsure] == [
        "sc.send: nothing here says what table[...] holds",
        "p.send: the value of make(...) is not known here",
        "c.send: it can be a Connection, but the value of make(...) is not known here",
    ]


def test_names_bound_to_each_other_in_a_cycle_end_unsure(tmp_path: Path) -> None:
    # a swap through a temporary: reading a's items reads b's, tmp's, then a's again
    use = (
        "from kit.conn import Connection\n\n\n"
        "def test_swap():\n    a = [Connection('a')]\n    b = [Connection('b')]\n"
        "    tmp = a\n    a = b\n    b = tmp\n"
        "    for conn in a:\n        conn.send(1)\n    x, y = b\n    x.send(2)\n"
    )
    plan = plan_of(tmp_path, {"kit/conn.py": CONN, "kit/test_use.py": use})
    assert "kit/test_use.py" not in plan.contents
    assert sorted(s.text.split(":")[0] for s in plan.unsure) == ["conn.send", "x.send"]


# transitions 0.9.3 without its stub: Transition.__init__ fills `self.conditions = []` with
# `self.condition_cls(cond)` (a class attribute, `Condition`; a subclass sets `AsyncCondition`)
TRANSITIONS = """
class Condition:
    def check(self, event_data):
        return bool(event_data)


class AsyncCondition(Condition):
    async def check(self, event_data):
        return bool(event_data)


class Model:
    def check(self):
        return False


def make_condition(spec):
    return Model()


class Transition:
    condition_cls = Condition

    def __init__(self, conditions, unless):
        self.conditions = []
        self.guards = []
        self.loose = []
        for cond in conditions:
            self.conditions.append(self.condition_cls(cond))
        self.guards.extend([Condition(unless), self.condition_cls(unless)])
        self.loose.append(self.factory(cond))

    factory = make_condition

    def evaluate(self, event_data):
        held = all(c.check(event_data) for c in self.conditions)
        guarded = all(g.check(event_data) for g in self.guards)
        return held and guarded and all(x.check(event_data) for x in self.loose)


class AsyncTransition(Transition):
    condition_cls = AsyncCondition
"""


def test_items_a_class_adds_as_instances_of_a_class_attribute_are_typed(tmp_path: Path) -> None:
    files = {"kit/__init__.py": "", "kit/core.py": TRANSITIONS}
    plan = rename.plan(tmp_path, make(tmp_path, files), "kit.core.Condition.check", "holds")
    # the first of the family the items may be names the reason (AsyncTransition's AsyncCondition)
    assert sorted(s.text for s in plan.sites if s.kind == "typed") == [
        "c.check: a AsyncCondition",
        "g.check: a AsyncCondition",
    ]
    # `factory = make_condition` is a function, whose value the code does not type as a class: unsure
    assert [s.text.split(":")[0] for s in plan.unsure] == ["x.check"]


COMPREHENDED = """
class Condition:
    def check(self):
        return True


class Model:
    def check(self):
        return False


class Transition:
    def __init__(self, specs, kinds):
        self.conditions = [Condition() for spec in specs]
        self.made = [kind() for kind in kinds]

    def evaluate(self):
        return all(c.check() for c in self.conditions) and all(m.check() for m in self.made)
"""


def test_a_list_comprehension_of_constructed_values_gives_its_items(tmp_path: Path) -> None:
    files = {"kit/__init__.py": "", "kit/core.py": COMPREHENDED}
    plan = rename.plan(tmp_path, make(tmp_path, files), "kit.core.Condition.check", "holds")
    assert [s.text for s in plan.sites if s.kind == "typed"] == ["c.check: a Condition"]
    # `kind()` calls what the comprehension's own loop binds: not read
    assert [s.text.split(":")[0] for s in plan.unsure] == ["m.check"]
