"""hookwright: verify exactly what is being committed, fix what is safe to fix, never lose work."""

from __future__ import annotations

__version__ = "0.2.0"
