"""What the code makes sure of before a use: ``assert isinstance(x, T)`` and ``if not isinstance(x,
T): raise`` narrow ``x`` for the rest of the block (isinstance_tests.narrowed_after), and calling a
name annotated ``type[T]`` makes a T (receiver_bindings.class_given)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_rename import make

from hookwright.refactor import rename

CART = (
    "class Cart:\n    def total(self):\n        return 1\n\n\nclass Receipt:\n    def total(self):\n        return 0\n\n\n"
    "class Odd:\n    def __new__(cls, *args):\n        return Receipt() if args else super().__new__(cls)\n\n"
    "    def total(self):\n        return 2\n"
)
HEAD = "import typing\nfrom typing import Type\n\nfrom shop.cart import Cart, Odd, Receipt\n\n\n"

CASES = [
    # wsproto 1.2.0's test_closure: `event = next(remote.events())`, then `assert isinstance(event, ...)`
    pytest.param(
        "def apply(events):\n    event = next(events)\n    assert isinstance(event, Cart)\n    return event.total()\n",
        "renamed",
        id="assert-isinstance-narrows-what-is-not-known-here",
    ),
    pytest.param(
        "def apply(events):\n    event = next(events)\n    assert isinstance(event, Cart) and event\n"
        "    return event.total()\n",
        "renamed",
        id="assert-isinstance-and-more",
    ),
    pytest.param(
        "def apply(events):\n    event = next(events)\n    if not isinstance(event, Cart):\n"
        "        raise TypeError(event)\n    return event.total()\n",
        "renamed",
        id="if-not-isinstance-raise",
    ),
    pytest.param(
        "def apply(events):\n    for event in events:\n        if not isinstance(event, (Cart,)): continue\n"
        "        event.total()\n",
        "renamed",
        id="if-not-isinstance-continue-on-one-line",
    ),
    pytest.param(
        "def apply(events):\n    event = next(events)\n    assert isinstance(event, Receipt)\n    return event.total()\n",
        "other",
        id="assert-isinstance-of-another-class",
    ),
    pytest.param(
        "def apply(events):\n    event = next(events)\n    event.total()\n    assert isinstance(event, Cart)\n",
        "unsure",
        id="a-use-before-the-assert",
    ),
    pytest.param(
        "def apply(events):\n    event = next(events)\n    assert isinstance(event, Cart)\n    event = next(events)\n"
        "    return event.total()\n",
        "unsure",
        id="bound-again-after-the-assert",
    ),
    pytest.param(
        "def apply(events, fresh):\n    event = next(events)\n    if fresh:\n        assert isinstance(event, Cart)\n"
        "    return event.total()\n",
        "unsure",
        id="an-assert-in-an-inner-block-says-nothing-after-it",
    ),
    pytest.param(
        "def apply(event):\n    if not isinstance(event, Cart):\n        print(event)\n    return event.total()\n",
        "unsure",
        id="if-not-isinstance-that-does-not-leave",
    ),
    pytest.param(
        "def apply(event):\n    if not isinstance(event, Cart):\n        raise TypeError(event)\n    else:\n"
        "        pass\n    return event.total()\n",
        "unsure",
        id="if-not-isinstance-with-an-else-is-not-read",
    ),
    pytest.param(
        "def apply(event):\n    assert not isinstance(event, Cart)\n    return event.total()\n",
        "unsure",
        id="assert-not-isinstance-says-nothing",
    ),
    # filelock 3.16.1's test_lock_can_be_non_thread_local: `lock = lock_type(...)`, lock_type: type[BaseFileLock]
    pytest.param(
        "def apply(kind: type[Cart]):\n    made = kind()\n    return made.total()\n",
        "renamed",
        id="a-call-of-a-name-annotated-type-of-the-class",
    ),
    pytest.param(
        "def apply(kind: Type[Cart]):\n    return kind().total()\n",
        "renamed",
        id="typing-Type-called-in-place",
    ),
    pytest.param(
        "def apply(kind: type[Receipt]):\n    made = kind()\n    return made.total()\n",
        "other",
        id="type-of-another-class",
    ),
    pytest.param(
        "def apply(kind: type[Odd]):\n    made = kind(1)\n    return made.total()\n",
        "unsure",
        id="type-of-a-class-whose-new-may-give-another",
    ),
    pytest.param(
        "def apply(kind: typing.Sequence[Cart]):\n    made = kind()\n    return made.total()\n",
        "unsure",
        id="another-generic-is-not-a-class",
    ),
]


@pytest.mark.parametrize(("use", "outcome"), CASES)
def test_what_the_code_makes_sure_of(tmp_path: Path, use: str, outcome: str) -> None:
    files = {"shop/__init__.py": "", "shop/cart.py": CART, "shop/use.py": HEAD + use}
    plan = rename.plan(tmp_path, make(tmp_path, files), "shop.cart.Cart.total", "grand_total")
    line = next(n for n, text in enumerate((HEAD + use).splitlines(), 1) if ".total()" in text)
    if outcome == "renamed":
        assert ".grand_total()" in plan.contents["shop/use.py"].decode()
        assert not plan.unsure, plan.unsure
        return
    assert "shop/use.py" not in plan.contents
    found = plan.others if outcome == "other" else plan.unsure
    assert [(s.path, s.line) for s in found] == [("shop/use.py", line)], (plan.unsure, plan.others)
    assert all(s.text for s in found), "every site left alone says why"
