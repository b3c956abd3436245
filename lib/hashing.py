"""sha256 without importing hashlib: its OpenSSL binding costs ~2 ms of every hook's start-up.

CPython ships its own sha256 (``_sha256`` before 3.12, ``_sha2`` since); hashlib is the fallback.
"""

from __future__ import annotations

try:
    from _sha256 import sha256  # type: ignore[import-not-found]
except ImportError:  # pragma: no cover - Python >= 3.12, or another implementation
    try:
        from _sha2 import sha256  # type: ignore[import-not-found,no-redef]
    except ImportError:
        from hashlib import sha256  # type: ignore[assignment]

__all__ = ["sha256"]
