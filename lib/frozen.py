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
    from collections.abc import Callable
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
    """A copy of ``value`` with ``changes``: a ``Frozen``, or an instance of either ``dataclass``."""
    names: tuple[str, ...] | None = (
        value._fields if isinstance(value, Frozen) else type(value).__dict__.get("_fields")
    )
    if names is not None:
        unknown = set(changes) - set(names)
        if unknown:
            raise TypeError(f"{type(value).__name__} has no field {sorted(unknown)[0]!r}")
        fields = {name: getattr(value, name) for name in names}
        return type(value)(**{**fields, **changes})  # type: ignore[return-value]
    import dataclasses

    return dataclasses.replace(value, **changes)  # type: ignore[type-var]


# ``dataclass`` and ``field`` below: the part of ``dataclasses`` the commit path uses, for classes
# declared as dataclasses are (annotated fields, defaults, ``field(default_factory=...)``). The
# standard one costs ~8 ms to import and ~0.5 ms per class (six functions compiled one by one, the
# signature read for a docstring); this compiles ``__init__``, ``__eq__`` and ``__hash__`` of a
# class in one go. No ``order``, ``slots``, ``__post_init__``, ``ClassVar`` or inheritance of fields:
# a class that needs them uses ``dataclasses``. ``replace`` above copies either kind.
_NO_DEFAULT = object()


class _Field:
    __slots__ = ("default", "default_factory")

    def __init__(self, default: object, default_factory: object) -> None:
        self.default = default
        self.default_factory = default_factory


def field(*, default: Any = _NO_DEFAULT, default_factory: Any = _NO_DEFAULT) -> Any:
    """A field's default, or the function that makes a fresh one for each instance."""
    return _Field(default, default_factory)


if TYPE_CHECKING:
    from typing_extensions import dataclass_transform
else:

    def dataclass_transform(**_: object) -> Callable[[T], T]:
        return lambda decorated: decorated


@dataclass_transform(field_specifiers=(field,))
def dataclass(cls: type[T] | None = None, *, frozen: bool = False) -> Any:
    """``@dataclass`` / ``@dataclass(frozen=True)``: ``__init__``, ``__eq__``, ``__repr__``, and for a
    frozen class ``__hash__`` and no assignment, as the standard decorator makes them."""

    def build(cls: type[T]) -> type[T]:
        if "__post_init__" in cls.__dict__:  # never called here: refused, not silently skipped
            raise TypeError(f"{cls.__name__}.__post_init__ needs dataclasses")
        names = tuple(cls.__annotations__)  # its own (3.10+: never a base class's)
        namespace: dict[str, object] = {"_setattr": object.__setattr__, "_NO_DEFAULT": _NO_DEFAULT}
        parameters, lines = [], []
        for name in names:
            annotation = str(cls.__annotations__[name])  # a string under `from __future__ import annotations`
            if "ClassVar" in annotation or "InitVar" in annotation:  # typing.ClassVar, "ClassVar[int]" too
                raise TypeError(f"{cls.__name__}.{name}: a ClassVar or InitVar needs dataclasses")
            declared = cls.__dict__.get(name, _NO_DEFAULT)
            if isinstance(declared, _Field) and declared.default_factory is not _NO_DEFAULT:
                namespace[f"_make_{name}"] = declared.default_factory
                parameters.append(f"{name}=_NO_DEFAULT")
                value = f"_make_{name}() if {name} is _NO_DEFAULT else {name}"
                declared = _NO_DEFAULT
            else:
                if isinstance(declared, _Field):
                    declared = declared.default
                if declared is _NO_DEFAULT and parameters and "=" in parameters[-1]:
                    raise TypeError(f"non-default argument {name!r} follows default argument")
                if declared is not _NO_DEFAULT:
                    namespace[f"_default_{name}"] = declared
                parameters.append(name if declared is _NO_DEFAULT else f"{name}=_default_{name}")
                value = name
            if name in cls.__dict__:
                if declared is _NO_DEFAULT:
                    delattr(cls, name)  # a factory's field: no class attribute, as dataclasses leave it
                else:
                    setattr(cls, name, declared)
            lines.append(f"  _setattr(self, {name!r}, {value})" if frozen else f"  self.{name} = {value}")
        values = "".join(f"self.{name}, " for name in names)
        other = "".join(f"other.{name}, " for name in names)
        source = (
            f"def __init__(self, {', '.join(parameters)}):\n" + ("\n".join(lines) or "  pass") + "\n"
            "def __eq__(self, other):\n"
            "  if other.__class__ is not self.__class__:\n    return NotImplemented\n"
            f"  return ({values}) == ({other})\n"
            f"def __hash__(self):\n  return hash(({values}))\n"
        )
        exec(source, namespace)
        for method in ("__init__", "__eq__"):
            function = namespace[method]
            function.__qualname__ = f"{cls.__qualname__}.{method}"  # type: ignore[attr-defined]
            setattr(cls, method, function)
        cls.__repr__ = _repr  # type: ignore[assignment]
        cls._fields = names  # type: ignore[attr-defined]
        if frozen:
            cls.__hash__ = namespace["__hash__"]  # type: ignore[assignment]
            cls.__setattr__ = Frozen.__setattr__  # type: ignore[assignment]
            cls.__delattr__ = Frozen.__delattr__  # type: ignore[assignment]
        else:
            cls.__hash__ = None  # type: ignore[assignment]
        return cls

    return build if cls is None else build(cls)


def _repr(self: object) -> str:
    fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self._fields)  # type: ignore[attr-defined]
    return f"{type(self).__qualname__}({fields})"
