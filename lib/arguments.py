"""argparse with hookwright's error funnel: usage errors are one line and exit code 2."""

from __future__ import annotations

import argparse
import os

from hookwright import __version__
from hookwright.errors import BadInput

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import NoReturn


class ArgumentParser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise BadInput(f"{message} (see `{self.prog} --help`)")


def _formatter(prog: str) -> argparse.HelpFormatter:
    # argparse asks shutil for the terminal width on every add_argument (shutil costs ~2 ms of
    # start-up); os answers the same question.
    try:
        width = os.get_terminal_size().columns
    except OSError:
        width = int(os.environ.get("COLUMNS", "80") or 80)
    return argparse.HelpFormatter(prog, width=max(width - 2, 40))


def new_parser(prog: str, description: str) -> ArgumentParser:
    parser = ArgumentParser(prog=prog, description=description, formatter_class=_formatter)
    parser.add_argument("--version", action="version", version=f"hookwright {__version__}")
    return parser


def parse_args(
    prog: str,
    description: str,
    add_arguments: Callable[[argparse.ArgumentParser], None],
    argv: Sequence[str] | None,
) -> argparse.Namespace:
    """A command's whole parser, built and applied: what every ``main(argv)`` starts with."""
    parser = new_parser(prog, description)
    add_arguments(parser)
    return parser.parse_args(argv)


def add_color_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--color",
        choices=("auto", "always", "never"),
        default="auto",
        help="colour the output: auto (on a terminal, unless NO_COLOR is set), always, never",
    )
