"""A generic function's signature says what its call gives: ``def get(self, interface: Type[T]) -> T``
returns an instance of the class passed (injector's ``builder = injector.get(AssistedBuilder[A])``,
then ``builder.build()``; held_out_11). On d8c1084 every such call was "T is not a class we can see"
and its sites stayed unsure. The decorator on ``get`` (``@synchronized(lock)``, annotated
``-> Callable[[F], F]``) keeps the signature by its own annotations; one that does not say so, a
second ``Type[T]`` parameter or a class passed in a parameter still leave the site unsure."""

from __future__ import annotations

import pytest
from test_rename import make

from hookwright.refactor import rename

CORE = """import threading
from typing import Any, Callable, Generic, Type, TypeVar

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])
lock = threading.RLock()


def synchronized(lock: threading.RLock) -> Callable[[F], F]:
    def outside(function: F) -> F:
        return function

    return outside


def logged(function):
    return function


class Builder(Generic[T]):
    def build(self) -> T:
        raise NotImplementedError


class Other:
    def build(self) -> None:
        pass


class Injector:
    @synchronized(lock)
    def get(self, interface: Type[T]) -> T:
        return interface()

    @logged
    def fetch(self, interface: Type[T]) -> T:
        return interface()

    def either(self, first: Type[T], second: Type[T]) -> T:
        return first()


def make(interface: Type[T], *, name: str = "") -> T:
    return interface()
"""

USES = """from pkg.core import Builder, Injector, Other, make


def use(injector: Injector, given):
    builder = injector.get(Builder[int])
    builder.build()
    other = injector.get(Other)
    other.build()
    kind = Builder[str]
    held = injector.get(kind)
    held.build()
    made = make(interface=Builder)
    made.build()
    fetched = injector.fetch(Builder)
    fetched.build()
    either = injector.either(Builder, Other)
    either.build()
    passed = injector.get(given)
    passed.build()
"""


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> rename.Plan:
    root = tmp_path_factory.mktemp("generic")
    files = {"pkg/__init__.py": "", "pkg/core.py": CORE, "pkg/uses.py": USES}
    return rename.plan(root, make(root, files), "pkg.core.Builder.build", "build_instance")


def _verdict(plan: rename.Plan, receiver: str) -> str:
    line = USES.splitlines().index(f"    {receiver}.build()") + 1
    for verdict, sites in (("renamed", plan.sites), ("unsure", plan.unsure), ("other", plan.others)):
        if any(site.path == "pkg/uses.py" and site.line == line for site in sites):
            return verdict
    return "missing"


@pytest.mark.parametrize(
    ("receiver", "verdict"),
    [
        pytest.param("builder", "renamed", id="generic-alias-passed"),
        pytest.param("other", "other", id="another-class-passed"),
        pytest.param("held", "renamed", id="a-name-bound-once-to-the-alias"),
        pytest.param("made", "renamed", id="a-module-function-by-keyword"),
        pytest.param("fetched", "unsure", id="a-decorator-that-does-not-say"),
        pytest.param("either", "unsure", id="two-type-parameters"),
        pytest.param("passed", "unsure", id="a-class-in-a-parameter"),
    ],
)
def test_a_generic_return_is_the_class_passed(plan: rename.Plan, receiver: str, verdict: str) -> None:
    assert _verdict(plan, receiver) == verdict
