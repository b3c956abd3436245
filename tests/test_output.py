from __future__ import annotations

import io

import pytest

from hookwright import output


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.parametrize(
    ("setting", "env", "stream", "expected"),
    [
        pytest.param("auto", {}, Tty(), True, id="terminal"),
        pytest.param("auto", {}, io.StringIO(), False, id="pipe"),
        pytest.param("auto", {"NO_COLOR": ""}, Tty(), False, id="no-color-even-empty"),
        pytest.param("auto", {"TERM": "dumb"}, Tty(), False, id="dumb-terminal"),
        pytest.param("always", {"NO_COLOR": "1"}, io.StringIO(), True, id="always"),
        pytest.param("never", {}, Tty(), False, id="never"),
    ],
)
def test_colour_is_decided_once_by_setting_terminal_and_environment(
    monkeypatch: pytest.MonkeyPatch, setting: str, env: dict[str, str], stream: io.StringIO, expected: bool
) -> None:
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("TERM", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert output.use_color(setting, stream) is expected
    painted = output.paint("failed", output.RED, expected)
    assert ("\033[" in painted) is expected
