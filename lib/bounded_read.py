"""Reading a file a user named, never more than a limit: ``/dev/zero`` or a 20 GB log is refused, not read.

``stat`` cannot tell: a device or a pipe reports size 0 and then never ends. So every input the user
points at (a patch, a log, a config, a vars file, a record) is read with ``read(limit + 1)``; one byte
more than the limit is the refusal, as bad input (exit 2).
"""

from __future__ import annotations

from pathlib import Path

from hookwright.errors import BadInput

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from typing import BinaryIO

MB = 1024 * 1024


def read_stream(stream: BinaryIO, limit: int, what: str) -> bytes:
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise BadInput(f"{what}: over the {limit // MB} MB limit; give a smaller file")
    return data


def read_file(path: Path, limit: int, what: str | None = None) -> bytes:
    """At most ``limit`` bytes of ``path``; BadInput for more, a directory, or a file that cannot be read."""
    what = what or str(path)
    try:
        with path.open("rb") as handle:
            return read_stream(handle, limit, what)
    except FileNotFoundError:
        raise BadInput(f"{what}: no such file") from None
    except IsADirectoryError:
        raise BadInput(f"{what}: is a directory, not a file") from None
    except OSError as exc:
        raise BadInput(f"{what}: cannot read: {exc.strerror or exc}") from None
