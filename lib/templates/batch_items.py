"""The batch_create command line: its arguments, and the items an instance file or ``--each`` names."""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright.errors import BadInput, InputProblems
from hookwright.git.repo import Repo
from hookwright.templates import creation
from hookwright.templates import creation_options as creation_cli
from hookwright.templates.assignments import parse_assignments

INSTANCE_SUFFIXES = (".yaml", ".yml", ".json")


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "source",
        help="an instance file (batch_create inputs, or a whole instance) or a pack name to use with --each",
    )
    creation_cli.add_variable_arguments(parser)
    parser.add_argument(
        "--each",
        action="append",
        nargs="+",
        default=[],
        metavar="NAME=VALUE",
        help="one item per --each with these variables on top of --var: --each name=User --each name=Order",
    )
    parser.add_argument(
        "--target",
        metavar="DIR",
        help="the folder the pack's output paths are relative to (default: the repository)",
    )
    creation_cli.add_common_arguments(parser)


def items_from_inputs(inputs: Mapping[str, Any]) -> list[creation.Item]:
    return [
        creation.Item(
            f"items[{index}] {item['template']}",
            item["template"],
            item.get("variables", {}),
            item.get("target", "."),
        )
        for index, item in enumerate(inputs["items"])
    ]


def items_from_args(repo: Repo, args: argparse.Namespace) -> tuple[list[creation.Item], dict[str, Any]]:
    """(items, options of generate) from the command line: an instance file, or a pack and --each."""
    if args.source.endswith(INSTANCE_SUFFIXES):
        if not Path(args.source).is_file():
            raise BadInput(f"{args.source}: no such instance file")
        if args.var or args.each or args.vars:
            raise BadInput(
                "an instance file holds its own variables; --var, --vars and --each go with a pack name"
            )
        _, inputs, instance_id = creation_cli.read_instance(args.source, "batch_create")
        extra = [*inputs.get("templates", ()), *args.templates]
        options = {
            "extra": extra,
            "force": args.force or bool(inputs.get("force")),
            "lint": [*inputs.get("lint", ()), *args.lint],
            "instance_id": instance_id,
        }
        return items_from_inputs(inputs), options
    reg = creation.registry(repo, args.templates, args.config)
    schema = reg.get(args.source).variables
    shared = creation_cli.variables_from(args.var, args.vars, schema)
    groups = args.each or [[]]
    items, problems = [], []
    for index, group in enumerate(groups):
        values, found = parse_assignments(group, schema)
        problems += [f"--each #{index + 1}: {p}" for p in found]
        label = f"{args.source} #{index + 1}" if args.each else args.source
        items.append(creation.Item(label, args.source, {**shared, **values}, args.target or "."))
    if problems:
        raise InputProblems(problems)
    return items, {"extra": args.templates, "force": args.force, "lint": args.lint}
