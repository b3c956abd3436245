"""An alias read for a name its standard-library module holds but does not list in ``__all__``.

The shapes are docker-py's: ``import http.client as http_client`` read as
``http_client.NOT_ACCEPTABLE`` (http.client puts ``HTTPStatus``'s members into its globals at run
time) and ``import socket as pysocket`` read as ``pysocket.SocketIO`` (a class socket.py defines
and leaves out of ``__all__``; the alias is the module's name after a prefix).
"""

from __future__ import annotations

import ast

import pytest

from hookwright import stdlib_index
from hookwright.heal.import_stdlib import aliased_module
from hookwright.heal.import_usage import usage
from hookwright.heal.project_names import ImportForm


def _aliased(text: str, alias: str) -> list[ImportForm]:
    return aliased_module(alias, usage(ast.parse(text), alias), stdlib_index.load())


@pytest.mark.parametrize(
    ("text", "alias", "module"),
    [
        pytest.param(
            "def check(status):\n    return status in (http_client.NOT_ACCEPTABLE, http_client.SERVICE_UNAVAILABLE)\n",
            "http_client",
            "http.client",
            id="names-put-into-the-globals-at-run-time",
        ),
        pytest.param(
            "def reader(sock):\n    return isinstance(sock, pysocket.SocketIO)\n",
            "pysocket",
            "socket",
            id="a-class-left-out-of-__all__-after-a-prefix",
        ),
    ],
)
def test_the_module_that_holds_what_is_read(text: str, alias: str, module: str) -> None:
    assert _aliased(text, alias) == [ImportForm(module, None, alias)]


def test_a_prefix_and_a_name_no_such_module_holds() -> None:
    assert _aliased("x = pysocket.nothing_socket_holds\n", "pysocket") == []
