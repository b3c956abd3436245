"""``hookwright schema [NAME]``: list the package's JSON Schemas, or print one self-contained."""

from __future__ import annotations

import argparse

from hookwright import output, schema_registry
from hookwright.errors import EXIT_PASSED


def add_schema_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("name", nargs="?", help="schema name (omit to list them)")


def run_schema(args: argparse.Namespace) -> int:
    if not args.name:
        output.write("".join(f"{name}\n" for name in schema_registry.schema_names()))
        return EXIT_PASSED
    schema_registry.load_schema(args.name)  # an unknown name is bad input
    from hookwright import schema_bundle

    # Printed, a schema lives apart from its siblings: the self-contained copy.
    output.write(schema_bundle.render(args.name))
    return EXIT_PASSED
