"""An error raised while unwinding from Ctrl-C is the interruption, not an internal error.

Seen in CI: SIGINT landed inside ``threading.Event.wait``'s ``with self._cond:``; the lock's release
then raised ``RuntimeError: release unlocked lock`` with the interruption as its context, and the
funnel reported an internal error (exit 3) instead of ``hookwright: interrupted`` (130).
"""

from __future__ import annotations

import pytest

from hookwright.errors import entry_point


def test_an_error_with_an_interruption_behind_it_ends_as_interrupted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    @entry_point(recover_first=False)
    def main(argv: object = None) -> int:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("release unlocked lock") from None

    assert main([]) == 130
    assert "internal error" not in capsys.readouterr().err
