"""sha256 without importing hashlib: its OpenSSL binding costs ~2 ms of every hook's start-up.

CPython ships its own sha256 (``_sha256`` before 3.12, ``_sha2`` since); hashlib is the fallback.
"""

from __future__ import annotations

TYPE_CHECKING = False  # typing stays unimported at run time (start-up)
if TYPE_CHECKING:
    from hashlib import sha256  # the same interface, and the one typeshed describes
else:
    try:
        from _sha256 import sha256
    except ImportError:  # pragma: no cover - Python >= 3.12, or another implementation
        try:
            from _sha2 import sha256
        except ImportError:
            from hashlib import sha256

__all__ = ["sha256"]
