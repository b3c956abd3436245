"""The harness itself: what a test sees of the machine is its own."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest


def test_the_temp_directory_is_this_tests_own(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Another hookwright on the machine (CI runs several) leaves its temp folders elsewhere."""
    mine = Path(tempfile.gettempdir())
    assert mine.is_relative_to(tmp_path_factory.getbasetemp())
    assert os.environ["TMPDIR"] == str(mine)
    assert not any(mine.iterdir())
