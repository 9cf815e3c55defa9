"""uvicorn's listening socket with ``TCP_NODELAY``, so several workers answer as fast as one.

With ``--workers N`` uvicorn binds the socket itself (``Config.bind_socket``) as a plain
``socket(AF_INET, SOCK_STREAM)`` — protocol number 0 — and asyncio sets ``TCP_NODELAY`` only on
sockets whose protocol is ``IPPROTO_TCP``. The accepted connections then keep Nagle's algorithm:
a response written as headers and then body waits for the client's delayed ACK, and every
answer on a kept-alive connection took 48 ms instead of 1–3 ms (measured here: a 100-byte ASGI
app, one worker 0.5 ms, two workers 48.0 ms, two workers with this 3.4 ms). Linux copies
``TCP_NODELAY`` from a listening socket to the connections it accepts, so it is set there, once,
in the process that binds it; the workers inherit the socket.

``python -m eduplan.web.listener ARGS`` is ``uvicorn ARGS`` with the fix (the benchmarks use it);
``eduplan serve --workers N`` applies it itself.
"""

from __future__ import annotations

import socket


def nodelay_listeners() -> None:
    """Make uvicorn set ``TCP_NODELAY`` on every TCP socket it binds (idempotent)."""
    from uvicorn.config import Config

    bind = Config.bind_socket
    if getattr(bind, "_eduplan_nodelay", False):
        return

    def bind_socket(self: Config) -> socket.socket:
        sock = bind(self)
        if sock.family in (socket.AF_INET, socket.AF_INET6):
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        return sock

    bind_socket._eduplan_nodelay = True  # type: ignore[attr-defined]
    Config.bind_socket = bind_socket  # type: ignore[method-assign]


if __name__ == "__main__":  # not in the workers uvicorn spawns (they import this as __mp_main__)
    from uvicorn.main import main

    nodelay_listeners()
    main()
