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
        METHOD
        + "    def test_a(self):\n        self.check(Cart())\n        return T.check(self, Receipt())\n",
        "",
        "unsure",
        id="called-through-the-class-with-self-first",
    ),
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


# Two classes with the member: the name is shared, so only what the code says of a receiver decides.
UPDATES = """
class EventData:
    def update(self):
        return 1


class Other:
    def update(self):
        return 2
"""

# transitions 0.9.3's shape: an async override called with `await self._change_state(...)` in an async
# def, and comments and docstrings naming the method (they call nothing); a string naming it as a
# callback (`after="_change_state"`) may call it with anything: unsure
STATES = (
    UPDATES
    + '''

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
)


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
TRIGGERS = (
    "from functools import partial\n\n"
    + UPDATES
    + """

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
)


def test_a_partial_of_the_function_passes_its_first_arguments(tmp_path: Path) -> None:
    files = {"kit/__init__.py": "", "kit/events.py": TRIGGERS}
    plan = rename.plan(tmp_path, make(tmp_path, files), "kit.events.EventData.update", "update_state")
    assert [s.text for s in plan.sites if s.kind == "typed"] == ["event_data.update: a EventData"]
    assert [s.text for s in plan.unsure] == ["data.update: data is a parameter without a type"]


# mistletoe 1.4.0's shape: each block token's classmethod `read(cls, lines)` is called through a
# variable (`token_type.read(lines)`, lines = FileWrapper(...)), by another class's own `read`
# (`Item.read(lines)`), by `cls.read(lines)` in a classmethod that others reach through
# `hasattr(t, "interrupts")`, and by calls that cannot enter it (`fin.read()`, too few arguments)
TOKENS = """
class FileWrapper:
    def __init__(self, lines):
        self.lines = list(lines)
        self._index = -1

    def line_number(self):
        return self._index + 1


class Token:
    line_number = 0


class Quote(Token):
    @classmethod
    def read(cls, lines):
        return lines.line_number()

    @classmethod
    def interrupts(cls, lines):
        return cls.read(lines)


class Item(Token):
    @staticmethod
    def read(lines, marker=None):
        return marker


class Listing(Token):
    @classmethod
    def read(cls, lines):
        return Item.read(lines)


def tokenize(iterable, token_types):
    lines = FileWrapper(iterable)
    found = [t for t in token_types if hasattr(t, "interrupts")]
    for token_type in token_types:
        token_type.read(lines)
    return any(t.interrupts(lines) for t in found)


def load(path):
    with open(path) as fin:
        return tokenize(fin.read().splitlines(), [Quote, Listing])
"""


@pytest.mark.parametrize(
    ("decorator", "typed"),
    [("@classmethod", True), ("@functools.cache", False)],
    ids=["classmethod-called-through-a-variable", "another-decorator-may-change-what-it-receives"],
)
def test_a_classmethod_parameter_holds_what_every_call_that_can_enter_it_passes(
    tmp_path: Path, decorator: str, typed: bool
) -> None:
    tokens = "import functools\n" + TOKENS.replace(
        "@classmethod\n    def read(cls, lines):\n        return lines",
        f"{decorator}\n    def read(cls, lines):\n        return lines",
    )
    files = {"md/__init__.py": "", "md/tokens.py": tokens, "tests/test_md.py": TEST_TOKENS}
    plan = rename.plan(tmp_path, make(tmp_path, files), "md.tokens.FileWrapper.line_number", "current_line")
    if typed:
        assert "lines.current_line()" in plan.contents["md/tokens.py"].decode()
        assert [s.text for s in plan.unsure] == [], plan.unsure
    else:
        assert "lines.current_line()" not in plan.contents.get("md/tokens.py", b"").decode()
        assert [s.text for s in plan.unsure] == ["lines.line_number: lines is a parameter without a type"]


TEST_TOKENS = (
    "from md.tokens import Item\n\n\ndef test_item():\n    assert Item.read(iter(['foo'])) is None\n"
)


def test_a_call_on_a_subclass_or_one_python_cannot_enter_is_told_apart(tmp_path: Path) -> None:
    # a subclass's name reaches the method too: what it passes counts
    tokens = TOKENS + "\n\nclass Deep(Quote):\n    pass\n\n\ndef direct():\n    return Deep.read(['a'])\n"
    files = {"md/__init__.py": "", "md/tokens.py": tokens, "tests/test_md.py": TEST_TOKENS}
    plan = rename.plan(tmp_path, make(tmp_path, files), "md.tokens.FileWrapper.line_number", "current_line")
    assert [s.text for s in plan.unsure] == ["lines.line_number: lines is a parameter without a type"]
