"""The Actions runner's side of a step: $GITHUB_OUTPUT, the job summary, output files, the event payload,
and text from a pull request printed with workflow commands switched off."""

from __future__ import annotations

import json
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from hookwright import bounded_read, output
from hookwright.atomic import atomic_write
from hookwright.errors import BadInput

MAX_PAYLOAD = 64 * 1024 * 1024  # GitHub caps webhook payloads at 25 MB


def print_untrusted(text: str) -> None:
    """Print text that may hold anything a pull request wrote, with workflow commands switched off."""
    if not text:
        return
    token = secrets.token_hex(16)
    end = "" if text.endswith("\n") else "\n"
    output.write(f"::stop-commands::{token}\n{text}{end}::{token}::\n")


def append(path: str, text: str) -> None:
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(text)


def write_outputs(env: Mapping[str, str], outputs: Mapping[str, str]) -> None:
    target = env.get("GITHUB_OUTPUT")
    if target:
        append(target, output_text(outputs))
    else:  # outside Actions: show them
        output.write("".join(f"{name}={value}\n" for name, value in outputs.items()))


def write_summary(env: Mapping[str, str], text: str) -> None:
    if env.get("GITHUB_STEP_SUMMARY"):
        append(env["GITHUB_STEP_SUMMARY"], text)


def write_file(path: Path, text: str) -> None:
    # An output for the workflow (upload-artifact, code scanning), not a user's file: atomic, no journal.
    path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write(path, text)


def load_payload(path: Path) -> dict[str, Any]:
    # GitHub writes this file, not a user: plain json (strict_yaml's YAML pass would crawl on 25 MB).
    try:
        data = json.loads(bounded_read.read_file(path, MAX_PAYLOAD, f"{path}: the event payload"))
    except FileNotFoundError:
        raise BadInput(f"{path}: no such event payload (is GITHUB_EVENT_PATH right?)") from None
    except (OSError, ValueError) as exc:
        raise BadInput(f"{path}: cannot read the event payload: {exc}") from None
    if not isinstance(data, dict):
        raise BadInput(f"{path}: the event payload is not a JSON object")
    return data


def output_text(outputs: Mapping[str, str]) -> str:
    """``$GITHUB_OUTPUT`` lines, each value in a heredoc whose delimiter no value can contain."""
    parts = []
    for name, value in outputs.items():
        delimiter = f"ghadelimiter_{secrets.token_hex(16)}"
        if delimiter in value:  # 128 random bits: only a value built to collide could
            raise BadInput(f"output {name} contains its own delimiter")
        parts.append(f"{name}<<{delimiter}\n{value}\n{delimiter}\n")
    return "".join(parts)
