"""All terminal output goes through here; colour is decided once."""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from pathlib import Path
    from typing import TextIO

RED = "\033[31m"
GREEN = "\033[32m"
YELLOW = "\033[33m"
BOLD = "\033[1m"
DIM = "\033[2m"
RESET = "\033[0m"


def use_color(setting: str, stream: TextIO | None = None) -> bool:
    if setting == "always":
        return True
    if setting == "never":
        return False
    if "NO_COLOR" in os.environ or os.environ.get("TERM") == "dumb":
        return False
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, color: str, enabled: bool) -> str:
    return f"{color}{text}{RESET}" if enabled else text


def write(text: str, stream: TextIO | None = None) -> None:
    stream = stream or sys.stdout
    try:
        stream.write(text)
    except UnicodeEncodeError:
        # A path or patch line that is not UTF-8 arrives surrogate-escaped, and stdout is strict in
        # every locale but C: show the byte as an escape rather than fail (the stream wrote nothing).
        encoding = getattr(stream, "encoding", None) or "utf-8"
        stream.write(text.encode(encoding, "backslashreplace").decode(encoding))
    stream.flush()


def write_line(text: str = "", stream: TextIO | None = None) -> None:
    write(text + "\n", stream)


def write_file(path: Path, text: str) -> None:
    """A report written to ``path`` (``--output``): whole or not at all."""
    from hookwright.atomic import atomic_write

    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text.encode("utf-8"))
