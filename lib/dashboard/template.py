"""The dashboard page's files: a jinja2 template, a style sheet and one optional script.

They ship as package data (``assets/``, setup.cfg) and are read as they are: the page's Content
Security Policy hashes the exact bytes of the style and the script.
"""

from __future__ import annotations

import functools
from pathlib import Path

ASSETS = Path(__file__).with_name("assets")


@functools.cache
def asset(name: str) -> str:
    return (ASSETS / name).read_text(encoding="utf-8")


def style() -> str:
    return asset("page.css")


def script() -> str:
    return asset("page.js")


def template() -> str:
    return asset("page.html.j2")
