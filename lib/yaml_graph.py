"""A composed YAML node graph checked before it is built: no alias bomb, no cycle, no duplicate key.

The same walk maps every JSON pointer to the line and column it came from.
"""

from __future__ import annotations

import yaml

from hookwright.yaml_document import LoadError, Position

MAX_NODES = 200_000  # after alias expansion: a billion-laughs file stops here


def _escape(token: str) -> str:
    return token.replace("~", "~0").replace("/", "~1")


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [value for _, value in node.value]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def refuse_bombs(root: yaml.Node, source: str) -> None:
    """Refuse cycles and documents whose aliases expand past MAX_NODES, in time linear in the file.

    Each distinct node's expanded size is computed once (aliases share nodes), so a billion laughs
    is refused after a few hundred steps, not after walking 200,000 expanded nodes.
    """
    size: dict[int, int] = {}
    entered: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, finished = stack.pop()
        mark = node.start_mark
        if finished:
            size[id(node)] = total = 1 + sum(size[id(child)] for child in _children(node))
            if total > MAX_NODES:
                message = f"document expands to more than {MAX_NODES} nodes (an alias bomb?)"
                raise LoadError(source, mark.line + 1, mark.column + 1, message)
        elif id(node) in entered:
            if id(node) not in size:  # entered, not finished: reached again from inside itself
                raise LoadError(source, mark.line + 1, mark.column + 1, "recursive alias")
        else:
            entered.add(id(node))
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node))


def check_and_index(root: yaml.Node, source: str) -> dict[str, Position]:
    """Refuse duplicate keys, alias bombs and cycles; map every JSON pointer to its position."""
    refuse_bombs(root, source)
    positions: dict[str, Position] = {}
    seen: set[int] = set()
    # Iterative: a deeply nested file must not blow Python's recursion limit. At most MAX_NODES steps.
    stack: list[tuple[yaml.Node, str]] = [(root, "")]
    while stack:
        node, pointer = stack.pop()
        mark = node.start_mark
        positions.setdefault(pointer, (mark.line + 1, mark.column + 1))
        seen_before = id(node) in seen
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            keys: dict[str, yaml.Node] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    stack.append((value_node, pointer))
                    continue
                key = str(key_node.value) if isinstance(key_node, yaml.ScalarNode) else repr(key_node)
                if key in keys and not seen_before:
                    first = keys[key].start_mark
                    where = key_node.start_mark
                    raise LoadError(
                        source,
                        where.line + 1,
                        where.column + 1,
                        f"duplicate key {key!r} (first defined on line {first.line + 1})",
                    )
                keys[key] = key_node
                child = f"{pointer}/{_escape(key)}"
                positions.setdefault(child, (key_node.start_mark.line + 1, key_node.start_mark.column + 1))
                stack.append((value_node, child))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((item, f"{pointer}/{index}"))
    return positions
