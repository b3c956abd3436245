"""Two runs changing one remembered row at once each keep what the other wrote.

``pytest_left_state.remember`` reads "which test files leave state behind", changes it and writes it
back. As a plain get then put, a second run finishing in between was overwritten, and a later narrowed
run forgot a state leaker (t31). ``ResultCache.update`` holds SQLite's write lock across the three.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from hookwright.cache import ResultCache


def test_a_second_writer_waits_and_sees_the_first_ones_row(tmp_path: Path) -> None:
    path = tmp_path / "results.sqlite"
    first, second = ResultCache(path), ResultCache(path)
    other = threading.Thread(target=lambda: second.update("k", lambda v: {**(v or {}), "b": "2"}))

    def slow_change(value: dict[str, str] | None) -> dict[str, str]:
        other.start()  # the other run reads while this one is between its read and its write
        time.sleep(0.3)
        return {**(value or {}), "a": "1"}

    try:
        first.update("k", slow_change)
        other.join(15)
        assert ResultCache(path).get("k") == {"a": "1", "b": "2"}
    finally:
        first.close()
        second.close()


def test_a_change_that_returns_none_writes_nothing_and_an_error_rolls_back(tmp_path: Path) -> None:
    cache = ResultCache(tmp_path / "results.sqlite")
    try:
        cache.put("k", {"a": "1"})
        cache.update("k", lambda v: None)
        assert cache.get("k") == {"a": "1"}
        with pytest.raises(ZeroDivisionError):
            cache.update("k", lambda v: 1 / 0)
        cache.update("k", lambda v: {**v, "b": "2"})  # the connection is usable after the rollback
        assert cache.get("k") == {"a": "1", "b": "2"}
    finally:
        cache.close()
