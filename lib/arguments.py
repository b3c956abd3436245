"""argparse with hookwright's error funnel: usage errors are one line and exit code 2."""

from __future__ import annotations

import argparse
from typing import NoReturn

from hookwright import __version__
from hookwright.errors import BadInput


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{message} (see `{self.prog} --help`)")


def new_parser(prog: str, description: str) -> ArgumentParser:
    parser = ArgumentParser(prog=prog, description=description)
    parser.add_argument("--version", action="version", version=f"hookwright {__version__}")
    return parser


def add_color_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output: auto (on a terminal, unless NO_COLOR is set), always, never",
    )
