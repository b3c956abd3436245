from __future__ import annotations

from hookwright.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
