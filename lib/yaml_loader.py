"""PyYAML's SafeLoader with YAML 1.2-like scalars (``on``, ``no``, dates stay strings); its errors."""

from __future__ import annotations

import re

import yaml

from hookwright.yaml_document import LoadError


class StrictLoader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2-like scalars: only true/false are booleans; no dates, no base 60."""


StrictLoader.yaml_implicit_resolvers = {}
for _tag, _regexp, _first in (
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", "<"),
):
    StrictLoader.add_implicit_resolver(_tag, re.compile(_regexp), list(_first))


def _construct_int(loader: yaml.SafeLoader, node: yaml.Node) -> int:
    value = loader.construct_scalar(node)  # type: ignore[arg-type]
    text = str(value)
    if text.startswith(("0o", "0x")):
        return int(text, 0)
    return int(text, 10)


StrictLoader.add_constructor("tag:yaml.org,2002:int", _construct_int)


def marked_error(exc: yaml.MarkedYAMLError, source: str) -> LoadError:
    """PyYAML's error at its mark, with a tag it refuses named the way a user wrote it."""
    mark = exc.problem_mark or exc.context_mark
    problem = exc.problem or exc.context or "invalid YAML"
    if "could not determine a constructor" in problem:
        quoted = re.search(r"'([^']*)'", problem)
        tag = (quoted.group(1) if quoted else problem).replace("tag:yaml.org,2002:", "!!")
        problem = f"tag not allowed: {tag} (only plain YAML is read)"
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    return LoadError(source, line, column, problem)
