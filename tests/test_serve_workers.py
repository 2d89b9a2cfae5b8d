"""Several server processes: the shared listening socket gives every connection TCP_NODELAY, and
the processes share the cores."""
from __future__ import annotations

import asyncio
import socket

import uvicorn

from eval.server import free_port
from qa.settings import Settings


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


def test_the_shared_listening_socket_turns_nagle_off_for_every_connection():
    """uvicorn issue #3149 (fixed by the uvicorn that pyproject.toml asks for): its multi-process mode
    bound the shared socket with `proto` 0, asyncio then left Nagle's algorithm on, and each kept-alive
    request after the first waited ~40 ms for a delayed ACK (68 ms a question at one client)."""
    config = uvicorn.Config("qa.api:create_app", factory=True, host="127.0.0.1", port=free_port(), workers=2)
    assert nodelay_of_accepted_connection(config.bind_socket()) != 0


def test_server_processes_share_the_cores_and_one_process_work_takes_them_all(monkeypatch):
    monkeypatch.setattr("os.cpu_count", lambda: 8)
    assert Settings(workers=2, encoder_threads=0).encoder_threads_for(serving=True) == 4
    assert Settings(workers=2).encoder_threads_for(serving=True) == 1  # the default leaves cores to requests
    assert Settings(workers=2).encoder_threads_for(serving=False) == 8  # qa ingest, qa eval
    assert Settings().lone_question_threads_now() == 8  # nobody else is asking
