"""Several server processes: the shared listening socket must give every connection TCP_NODELAY."""
from __future__ import annotations

import asyncio
import socket

import uvicorn

from eval.server import free_port
from qa.cli import tcp_listener


def nodelay_of_accepted_connection(listener: socket.socket) -> int:
    async def check() -> int:
        loop = asyncio.get_running_loop()
        seen: asyncio.Future[int] = loop.create_future()

        class Probe(asyncio.Protocol):
            def connection_made(self, transport: asyncio.BaseTransport) -> None:
                sock = transport.get_extra_info("socket")
                seen.set_result(sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY))
                transport.close()

        server = await loop.create_server(Probe, sock=listener)
        _, writer = await asyncio.open_connection(*listener.getsockname()[:2])
        try:
            return await asyncio.wait_for(seen, 5)
        finally:
            writer.close()
            server.close()

    return asyncio.run(check())


def config() -> uvicorn.Config:
    return uvicorn.Config("qa.api:create_app", factory=True, host="127.0.0.1", port=free_port(), workers=2)


def test_worker_listener_turns_nagle_off_for_every_connection():
    assert nodelay_of_accepted_connection(tcp_listener(config())) != 0


def test_uvicorns_own_bound_socket_does_not_which_is_why_the_listener_exists():
    """uvicorn issue #3149. When uvicorn fixes it this fails, and tcp_listener can go."""
    assert nodelay_of_accepted_connection(config().bind_socket()) == 0
