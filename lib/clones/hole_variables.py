"""From holes to template variables: one variable per idea, with filters for its spellings.

A copy-paste-rename swaps one word everywhere it appears, in every spelling: ``User``, ``user``,
``users``, ``USER_TABLE``, ``get_user_by_id``. Each such hole is a fixed prefix, a core and a fixed
suffix; cores that name the same thing in every member share one variable, and each hole says which
filters (``snake``, ``pascal``, ``upper``, ``plural``...) turn that variable into its own spelling.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from hookwright.templates.filters import FILTERS, singular

_TOKEN = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")
_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
# A short one-line string literal that may carry a renamed word ("users", "/api/users/").
_WORDY = re.compile(r"^[^\\'\"\n\r{}]{0,80}$")
_CASES: tuple[tuple[str, ...], ...] = (
    (), ("snake",), ("pascal",), ("camel",), ("kebab",), ("upper",), ("lower",), ("snake", "upper"),
)  # fmt: skip
_NUMBERS: tuple[tuple[str, ...], ...] = ((), ("plural",), ("singular",))
CHAINS: tuple[tuple[str, ...], ...] = tuple(
    dict.fromkeys([*(n + c for n in _NUMBERS for c in _CASES), *(c + n for n in _NUMBERS for c in _CASES)])
)
IDENTIFIER_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$"


@dataclass
class Hole:
    """One place in the template; ``values`` holds each member's binding there."""

    kind: str  # ident | literal | code | block
    values: list[Any]
    role: str = ""  # def, attr, ... for naming


@dataclass
class Variable:
    name: str
    values: list[Any]
    kind: str  # word | ident | literal | code | block


@dataclass
class Use:
    """How one hole is written: ``prefix {{ variable | filters }} suffix``, quoted when a string literal."""

    variable: Variable
    filters: tuple[str, ...] = ()
    prefix: str = ""
    suffix: str = ""
    literal: bool = False  # the hole is a whole Python literal

    def expression(self) -> str:
        chain = "".join(f" | {f}" for f in self.filters)
        core = f"{self.variable.name}{chain}"
        if not self.literal:
            return self.prefix + "{{ " + core + " }}" + self.suffix
        if self.variable.kind == "word":
            if _plain_text(self.prefix) and _plain_text(self.suffix):
                return '"' + self.prefix + "{{ " + core + " }}" + self.suffix + '"'
            parts = [json.dumps(p) for p in (self.prefix,) if p] + [f"({core})"]
            parts += [json.dumps(s) for s in (self.suffix,) if s]
            return "{{ (" + " ~ ".join(parts) + ") | py }}"
        if all(_plain_number(v) for v in self.variable.values):
            return "{{ " + core + " }}"
        return "{{ " + core + " | py }}"


def _plain_text(text: str) -> bool:
    return all(c.isalnum() or c in " _-./:" for c in text)


def _plain_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _apply(chain: tuple[str, ...], value: str) -> str:
    for name in chain:
        value = FILTERS[name](value)
    return value


def _split(value: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in _TOKEN.finditer(value)]


def decompose(values: Sequence[str]) -> tuple[str, list[str], str] | None:
    """Common prefix and suffix (whole words) and each member's core, or None when nothing is shared."""
    tokens = [_split(v) for v in values]
    if not all(tokens):
        return None
    shortest = min(len(t) for t in tokens)
    head = 0
    while head < shortest and len({t[head][2] for t in tokens}) == 1:
        head += 1
    tail = 0
    while tail < shortest - head and len({t[-1 - tail][2] for t in tokens}) == 1:
        tail += 1
    for h in range(min(head, shortest - 1), -1, -1):
        for k in range(min(tail, shortest - 1 - h), -1, -1):
            prefixes = {v[: t[h][0]] for v, t in zip(values, tokens, strict=True)}
            suffixes = {v[t[len(t) - k - 1][1] :] for v, t in zip(values, tokens, strict=True)}
            if len(prefixes) == 1 and len(suffixes) == 1:
                prefix, suffix = prefixes.pop(), suffixes.pop()
                cores = [v[len(prefix) : len(v) - len(suffix)] for v in values]
                return (prefix, cores, suffix) if all(cores) else None
    return None


def _concept(cores: Sequence[str]) -> tuple[tuple[str, ...], ...]:
    key = []
    for core in cores:
        words = [w.lower() for _, _, w in _split(core)]
        if words:
            words[-1] = singular(words[-1])
        key.append(tuple(words))
    return tuple(key)


def _chain_for(base: Sequence[str], cores: Sequence[str]) -> tuple[str, ...] | None:
    for chain in CHAINS:
        try:
            if all(_apply(chain, b) == c for b, c in zip(base, cores, strict=True)):
                return chain
        except (TypeError, ValueError):
            continue
    return None


def _type_name(hole: Hole) -> str:
    if hole.kind in ("code", "block"):
        return hole.kind
    if hole.kind == "ident":
        return "ident"
    values = hole.values
    if all(isinstance(v, bool) for v in values):
        return "flag"
    if all(_plain_number(v) for v in values):
        return "number"
    if all(isinstance(v, str) for v in values):
        return "text"
    return "value"


def assign(holes: Sequence[Hole]) -> tuple[list[Variable], list[Use]]:
    """Variables for ``holes`` (one ``Use`` per hole, in order): shared words first, equal bindings next."""
    uses: list[Use | None] = [None] * len(holes)
    variables: list[Variable] = []
    names: dict[str, int] = {}

    def new_variable(stem: str, values: list[Any], kind: str) -> Variable:
        names[stem] = names.get(stem, 0) + 1
        name = stem if names[stem] == 1 else f"{stem}_{names[stem]}"
        variable = Variable(name, values, kind)
        variables.append(variable)
        return variable

    # 1. Words: identifiers and word-like strings whose cores name one concept in every member.
    concepts: dict[tuple[tuple[str, ...], ...], list[tuple[int, str, list[str], str]]] = {}
    for index, hole in enumerate(holes):
        if not _wordy(hole):
            continue
        parts = decompose(hole.values)
        if parts is None:
            continue
        prefix, cores, suffix = parts
        concepts.setdefault(_concept(cores), []).append((index, prefix, cores, suffix))
    for members in sorted(concepts.values(), key=lambda m: m[0][0]):
        pending = list(members)
        while pending:
            base = max((m[2] for m in pending), key=lambda b: _base_rank(b, pending))
            variable: Variable | None = None
            rest = []
            for index, prefix, cores, suffix in pending:
                chain = _chain_for(base, cores)
                if chain is None:
                    rest.append((index, prefix, cores, suffix))
                    continue
                if variable is None:
                    variable = new_variable("name", list(base), "word")
                uses[index] = Use(variable, chain, prefix, suffix, holes[index].kind == "literal")
            if variable is None:
                break
            pending = rest
    # 2. Everything else: the same bindings in the same places are one variable.
    by_values: dict[str, Variable] = {}
    for index, hole in enumerate(holes):
        if uses[index] is not None:
            continue
        key = json.dumps([hole.kind, [repr(v) for v in hole.values]])
        variable = by_values.get(key)
        if variable is None:
            variable = by_values[key] = new_variable(_type_name(hole), list(hole.values), hole.kind)
        uses[index] = Use(variable, literal=hole.kind == "literal")
    return variables, [u for u in uses if u is not None]


_Pending = tuple[int, str, list[str], str]  # (hole index, prefix, each member's core, suffix)


def _base_rank(base: list[str], pending: Sequence[_Pending]) -> tuple[int, int, int, int]:
    """The spelling a user would give: the one most holes derive from, then singular, then PascalCase."""
    explained = sum(_chain_for(base, cores) is not None for _, _, cores, _ in pending)
    singular_form = all(singular(b) == b for b in base)
    pascal = all(b[:1].isupper() and not b.isupper() for b in base)
    return explained, singular_form, pascal, -sum(len(b) for b in base)


def _wordy(hole: Hole) -> bool:
    if hole.kind == "ident":
        return all(isinstance(v, str) and _IDENTIFIER.match(v) for v in hole.values)
    if hole.kind == "literal":
        return all(isinstance(v, str) and _WORDY.match(v) for v in hole.values)
    return False


def schema(variable: Variable) -> dict[str, Any]:
    """The JSON Schema of one variable, its type inferred from its values."""
    values = variable.values
    # minLength 0: an empty block or string is a value here, not a forgotten one.
    if variable.kind == "block":
        return {
            "type": "string",
            "minLength": 0,
            "description": "statements, indented, each line ending in a newline; may be empty",
        }
    if variable.kind == "code":
        return {"type": "string", "description": "a Python expression"}
    if all(isinstance(v, str) for v in values):
        found: dict[str, Any] = {"type": "string"}
        if variable.kind in ("word", "ident") and all(_IDENTIFIER.match(v) for v in values):
            found["pattern"] = IDENTIFIER_PATTERN
        else:
            found["minLength"] = 0
        found["description"] = "e.g. " + ", ".join(sorted(set(values))[:3])
        return found
    types = sorted({_json_type(v) for v in values})
    found = {"type": types[0] if len(types) == 1 else types}
    if "string" in types:
        found["minLength"] = 0
    found["description"] = "e.g. " + ", ".join(json.dumps(v) for v in values[:3])
    return found


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string"
