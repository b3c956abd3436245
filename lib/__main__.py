"""``python -m hookwright``: the same as the ``hookwright`` console script."""

from __future__ import annotations

import os
import sys

# `python -m` puts the current directory first on sys.path: in a repository with a folder named
# `yaml/` or `attr/`, that folder would shadow a dependency. What we verify is data, not our code.
if sys.path and sys.path[0] in ("", os.getcwd()):
    del sys.path[0]

from hookwright.cli import main  # after the path is safe

if __name__ == "__main__":
    raise SystemExit(main())
