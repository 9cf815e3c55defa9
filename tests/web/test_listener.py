"""uvicorn's own listening socket (``--workers N``) gets TCP_NODELAY from
``eduplan.web.listener``, which accepted connections inherit; without it every answer of several
workers waited for the client's delayed ACK (eduplan bench web: 48 ms for a static file)."""

from __future__ import annotations

import socket

from uvicorn.config import Config

from eduplan.web.listener import nodelay_listeners


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


def test_bound_socket_and_accepted_connections_have_nodelay():
    nodelay_listeners()
    nodelay_listeners()  # twice changes nothing (no wrapper around the wrapper)
    listener = Config("eduplan.web.app:create_app", host="127.0.0.1", port=0).bind_socket()
    try:
        assert _nodelay(listener) != 0
        listener.listen(1)
        with socket.create_connection(listener.getsockname()) as client:
            accepted, _ = listener.accept()
            with accepted:
                assert _nodelay(accepted) != 0
            assert client is not None
    finally:
        listener.close()


def test_a_plain_socket_has_no_nodelay():
    """What the test above would see without the fix: a socket made as uvicorn makes it."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as plain:
        assert _nodelay(plain) == 0
