"""Parameters without a type, typed by what every call of their function passes (param_callers)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

CART = "class Cart:\n    def total(self):\n        return 1\n\n\nclass Receipt:\n    def total(self):\n        return 0\n"
HEAD = "from shop.cart import Cart, Receipt\n\n\n"
METHOD = "class T:\n    def check(self, cart):\n        return cart.total()\n\n"
FUNCTION = "def check(cart):\n    return cart.total()\n\n\n"

# shop/use.py after HEAD; shop/more.py; then where the site ends up.
CASES = [
    pytest.param(
        METHOD + "    def test_a(self):\n        self.check(Cart())\n\n    def test_b(self):\n"
        "        self.check(cart=Cart())\n",
        "",
        "renamed",
        id="a-method-every-call-on-self-passes-the-class",
    ),
    pytest.param(
        FUNCTION + "def run():\n    made = Cart()\n    return check(made)\n",
        "from shop.use import check\nfrom shop.cart import Cart\n\n\ndef again():\n    return check(Cart())\n",
        "renamed",
        id="a-function-called-in-two-modules",
    ),
    pytest.param(
        FUNCTION + "def run():\n    return check(Cart())\n",
        "from shop.use import check\nfrom shop.cart import Receipt\n\n\ndef again():\n    return check(Receipt())\n",
        "unsure",
        id="another-module-passes-another-class",
    ),
    pytest.param(
        FUNCTION + "def run():\n    return check(Receipt())\n",
        "",
        "other",
        id="every-call-passes-another-class",
    ),
    pytest.param(
        FUNCTION + "def run():\n    check(Cart())\n    return list(map(check, [Receipt()]))\n",
        "",
        "unsure",
        id="also-passed-as-a-callback",
    ),
    pytest.param(
        METHOD + "    def test_a(self):\n        self.check(Cart())\n        return getattr(self, 'check')\n",
        "",
        "unsure",
        id="named-in-a-string",
    ),
    pytest.param(FUNCTION, "", "unsure", id="never-called"),
    pytest.param(
        FUNCTION + "def run(*args):\n    check(Cart())\n    return check(*args)\n",
        "",
        "unsure",
        id="called-with-star-args",
    ),
    pytest.param(
        METHOD + "    def test_a(self, other):\n        self.check(Cart())\n        other.check(Receipt())\n",
        "",
        "unsure",
        id="called-on-another-receiver-with-another-class",
    ),
    pytest.param(
        "def check(cart=None):\n    return cart.total()\n\n\ndef run():\n    check(Cart())\n    return check()\n",
        "",
        "unsure",
        id="left-to-its-default",
    ),
]


@pytest.mark.parametrize(("use", "more", "outcome"), CASES)
def test_a_parameter_holds_what_every_call_passes(tmp_path: Path, use: str, more: str, outcome: str) -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/use.py": HEAD + use, "shop/more.py": more}
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    if outcome == "renamed":
        assert "cart.grand_total()" in plan.contents["shop/use.py"].decode()
        assert not plan.unsure, plan.unsure
        return
    assert "shop/use.py" not in plan.contents
    found = plan.others if outcome == "other" else plan.unsure
    assert [(s.path, s.line) for s in found] == [("shop/use.py", 6 if use.startswith("class") else 5)], found
    assert all(s.text for s in found), "every site left alone says why"


# transitions 0.9.3's shape: an async override called with `await self._change_state(...)` in an async
# def, and comments and docstrings naming the method (they call nothing); a string naming it as a
# callback (`after="_change_state"`) may call it with anything: unsure
STATES = '''
class EventData:
    def update(self):
        return 1


class Other:
    def update(self):
        return 2


class Transition:
    def _change_state(self, event_data):
        """Move on; execute() calls _change_state once."""
        event_data.update()

    def execute(self):
        # shouldn't _change_state twice
        self._change_state(EventData())


class AsyncTransition(Transition):
    async def _change_state(self, event_data):
        event_data.update()

    async def execute(self):
        await self._change_state(EventData())
'''


@pytest.mark.parametrize("callback", ["", '\n\nHOOKS = {"after": "_change_state"}\n'])
def test_callers_in_async_defs_are_read_and_docstrings_call_nothing(tmp_path: Path, callback: str) -> None:
    files = {"kit/__init__.py": "", "kit/states.py": STATES + callback}
    plan = rename.plan(tmp_path, make(tmp_path, files), "kit.states.EventData.update", "update_state")
    typed = [s.text for s in plan.sites if s.kind == "typed"]
    if not callback:
        assert typed == ["event_data.update: a EventData", "event_data.update: a EventData"]
        assert not plan.unsure
    else:
        assert not typed
        assert len(plan.unsure) == 2


# transitions' Event.trigger: `func = partial(self._trigger, EventData(...))`, called later by the
# machine; a keyword given to partial may be overridden by that later call, so it is not read
TRIGGERS = """
from functools import partial


class EventData:
    def update(self):
        return 1


class Other:
    def update(self):
        return 2


class Event:
    def trigger(self, machine):
        func = partial(self._trigger, EventData())
        return machine.process(func)

    def later(self, machine):
        return machine.process(partial(self._checked, data=EventData()))

    def _trigger(self, event_data):
        event_data.update()

    def _checked(self, data):
        data.update()
"""


def test_a_partial_of_the_function_passes_its_first_arguments(tmp_path: Path) -> None:
    files = {"kit/__init__.py": "", "kit/events.py": TRIGGERS}
    plan = rename.plan(tmp_path, make(tmp_path, files), "kit.events.EventData.update", "update_state")
    assert [s.text for s in plan.sites if s.kind == "typed"] == ["event_data.update: a EventData"]
    assert [s.text for s in plan.unsure] == ["data.update: data is a parameter without a type"]
