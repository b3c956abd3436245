"""A module's stub (``core.pyi`` beside ``core.py``) types what the module leaves untyped (transitions
0.9.3, held_out_6): ``def _change_state(self, event_data)`` is ``event_data: EventData`` in the stub,
``self.conditions = []`` is ``conditions: List[Condition]``; a comprehension's target is an item too."""

from __future__ import annotations

from pathlib import Path

from test_rename import make

from hookwright.refactor import rename

CORE = """
class EventData:
    def update(self, state):
        self.state = state


class Condition:
    def check(self, event_data):
        return bool(event_data)


class Transition:
    condition_cls = Condition

    def __init__(self, conditions):
        self.conditions = []
        for cond in conditions:
            self.conditions.append(self.condition_cls(cond))

    def _change_state(self, event_data):
        event_data.update(1)

    def _eval_conditions(self, event_data):
        for cond in self.conditions:
            if not cond.check(event_data):
                return False
        return all(c.check(event_data) for c in self.conditions)

    def _overloaded(self, event_data):
        event_data.update(2)

    def _options(self, settings):
        settings.update(x=1)
"""

CORE_STUB = """
from typing import Any, Dict, List, overload


class EventData:
    state: Any
    def update(self, state: Any) -> None: ...


class Condition:
    def check(self, event_data: EventData) -> bool: ...


class Transition:
    condition_cls: type
    conditions: List[Condition]
    def __init__(self, conditions: Any) -> None: ...
    def _change_state(self, event_data: EventData) -> None: ...
    def _eval_conditions(self, event_data: EventData) -> bool: ...
    @overload
    def _overloaded(self, event_data: EventData) -> None: ...
    @overload
    def _overloaded(self, event_data: int) -> None: ...
    def _options(self, settings: Dict[str, Any]) -> None: ...
"""

# shared names: `update` and `check` are also other classes' (dict.update, a model's check)
OTHER = """
class Model:
    def check(self):
        return True


def use(model: Model, options: dict):
    model.check()
    options.update(a=1)
"""


def files() -> dict[str, str]:
    return {"kit/__init__.py": "", "kit/core.py": CORE, "kit/core.pyi": CORE_STUB, "kit/other.py": OTHER}


def test_a_stub_types_an_untyped_parameter(tmp_path: Path) -> None:
    plan = rename.plan(tmp_path, make(tmp_path, files()), "kit.core.EventData.update", "update_state")
    assert [s.text for s in plan.sites if s.kind == "typed"] == ["event_data.update: a EventData"]
    # an overloaded stub says two things: not read; a Dict[str, Any] parameter is another type
    assert [s.text for s in plan.unsure] == ["event_data.update: event_data is a parameter without a type"]
    assert sorted(s.text for s in plan.others) == ["options.update: a dict", "settings.update: a dict"]


def test_a_stub_types_the_items_of_an_attribute_and_comprehensions_read_them(tmp_path: Path) -> None:
    plan = rename.plan(tmp_path, make(tmp_path, files()), "kit.core.Condition.check", "holds")
    assert sorted(s.text for s in plan.sites if s.kind == "typed") == [
        "c.check: a Condition",
        "cond.check: a Condition",
    ]
    assert not plan.unsure
    assert [s.text for s in plan.others] == ["model.check: a Model"]


# transitions' Machine._can_trigger: `for transition in self.events[trigger].transitions[state]` and
# HierarchicalMachine's `...transitions.get(state_name, [])`, each `all(c.check(...) for c in
# transition.conditions)`: items of items, declared by the stub only
MACHINE = """
from collections import defaultdict

from kit.core import Transition


class Event:
    def __init__(self):
        self.transitions = defaultdict(list)


class Machine:
    def __init__(self):
        self.events = {}
        self.lookup = {}

    def can(self, trigger, state):
        for transition in self.events[trigger].transitions[state]:
            if all(c.check(1) for c in transition.conditions):
                return True
        for got in self.events[trigger].transitions.get(state, []):
            if all(c.check(2) for c in got.conditions):
                return True
        for looked_up in self.lookup[trigger]:
            if all(c.check(3) for c in looked_up.conditions):
                return True
        return False
"""

MACHINE_STUB = """
from typing import Any, DefaultDict, Dict, List

from kit.core import Transition


class Event:
    transitions: DefaultDict[str, List[Transition]]


class Machine:
    events: Dict[str, Event]
    lookup: Any
"""


def test_items_of_items_declared_by_a_stub_type_the_loop_target(tmp_path: Path) -> None:
    tree = files() | {"kit/machine.py": MACHINE, "kit/machine.pyi": MACHINE_STUB}
    plan = rename.plan(tmp_path, make(tmp_path, tree), "kit.core.Condition.check", "holds")
    typed = sorted(s.text for s in plan.sites if s.kind == "typed" and s.path == "kit/machine.py")
    assert typed == ["c.check: a Condition", "c.check: a Condition"]
    # `lookup: Any` says nothing of its items: that loop's `c` stays unsure
    assert [s.path for s in plan.unsure] == ["kit/machine.py"]


# an override's untyped parameter takes the base method's annotation; the base's is in its stub
OVERRIDE = """
from kit.core import Transition


class LoggingTransition(Transition):
    def _change_state(self, event_data):
        event_data.update(3)
"""


def test_an_override_takes_the_type_the_base_method_has_in_its_stub(tmp_path: Path) -> None:
    tree = files() | {"kit/logging.py": OVERRIDE}
    plan = rename.plan(tmp_path, make(tmp_path, tree), "kit.core.EventData.update", "update_state")
    typed = [s.text for s in plan.sites if s.kind == "typed" and s.path == "kit/logging.py"]
    assert typed == ["event_data.update: a EventData"]
