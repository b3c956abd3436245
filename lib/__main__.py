"""``python -m hookwright``: the same as the ``hookwright`` console script."""

from __future__ import annotations

import os
import sys

# `python -m` puts the current directory first on sys.path: in a repository with a folder named
# `yaml/` or `attr/` (or a `signal.py`), it would shadow a module. What we verify is data, not our code.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from hookwright import interrupts

interrupts.hold()  # before the command's modules load: a Ctrl-C meanwhile still ends cleanly

from hookwright.commands.console import finish  # noqa: E402
from hookwright.commands.table import main  # noqa: E402

if __name__ == "__main__":
    finish(main())
