"""Immutable value classes for the start-up path, without ``dataclasses``.

Importing ``dataclasses`` costs ~8 ms (it imports ``inspect``, which imports ``ast``, ``dis`` and
``tokenize``) and each decorated class ~0.3 ms more, a fifth of a no-op ``hookwright verify``. The
classes every run builds (reports, findings, the configuration, a finished process) derive from
``Frozen`` instead: ``_fields`` names the fields in order (and is the ``__slots__``), ``__init__``
calls ``_fill``.
They behave as ``@dataclass(frozen=True)`` does: equal and hashed by their fields, read-only,
``replace`` makes a changed copy (``frozen.replace`` also takes a dataclass, for callers of both).
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import Any, TypeVar

    T = TypeVar("T")


class Frozen:
    __slots__ = ()
    _fields: tuple[str, ...] = ()  # the fields in order (``__slots__`` is the same tuple)

    def _fill(self, *values: object) -> None:
        for name, value in zip(self._fields, values, strict=True):
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self._fields)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r}: {type(self).__name__} is frozen")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r}: {type(self).__name__} is frozen")

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()  # type: ignore[attr-defined]

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)
        return f"{type(self).__qualname__}({fields})"

    # copy, deepcopy and pickle rebuild through __init__: their default would assign the slots.
    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return type(self), self._values()


class Ordered(Frozen):
    """A ``Frozen`` that sorts by its fields in order, as ``@dataclass(order=True)`` does."""

    __slots__ = ()

    def _pair(self, other: object) -> tuple[tuple[Any, ...], tuple[Any, ...]] | None:
        if other.__class__ is not self.__class__:
            return None
        return self._values(), other._values()  # type: ignore[attr-defined]

    def __lt__(self, other: object) -> bool:
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] < pair[1]

    def __le__(self, other: object) -> bool:
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] <= pair[1]

    def __gt__(self, other: object) -> bool:
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] > pair[1]

    def __ge__(self, other: object) -> bool:
        pair = self._pair(other)
        return NotImplemented if pair is None else pair[0] >= pair[1]


def replace(value: T, **changes: Any) -> T:
    """A copy of ``value`` with ``changes``: a ``Frozen`` or a dataclass instance."""
    if isinstance(value, Frozen):
        unknown = set(changes) - set(value._fields)
        if unknown:
            raise TypeError(f"{type(value).__name__} has no field {sorted(unknown)[0]!r}")
        fields = {name: getattr(value, name) for name in value._fields}
        return type(value)(**{**fields, **changes})  # type: ignore[return-value]
    import dataclasses

    return dataclasses.replace(value, **changes)  # type: ignore[type-var]
