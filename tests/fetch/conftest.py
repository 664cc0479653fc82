"""A local HTTP server that misbehaves on request: slow, endless, looping, flaky.

Each path is given a route: a :class:`Reply`, a list of replies served in turn (the last one
repeats), or a function that gets the :class:`Exchange` and may write raw bytes itself. Every
request is recorded as a :class:`Hit` with its arrival time, and connections are counted, so
tests can prove that a refused URL never reached the server. Connections close after each
response, and stopping the server ends every slow or endless route.
"""

from __future__ import annotations

import socket
import socketserver
import ssl
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from http import HTTPStatus

import pytest


@dataclass(frozen=True)
class Hit:
    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    at: float  # time.monotonic() on arrival


@dataclass(frozen=True)
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


class Exchange:
    """One request, for routes that write the response themselves."""

    def __init__(self, hit: Hit, connection: socket.socket, stopping: threading.Event) -> None:
        self.hit = hit
        self._connection = connection
        self._stopping = stopping

    def send(self, data: bytes) -> bool:
        """Write raw bytes; False once the client has gone."""
        try:
            self._connection.sendall(data)
        except OSError:
            return False
        return True

    def head(self, status: int, headers: dict[str, str]) -> bool:
        lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}"]
        lines += [f"{name}: {value}" for name, value in {"Connection": "close", **headers}.items()]
        return self.send(("\r\n".join(lines) + "\r\n\r\n").encode("latin-1"))

    def reply(self, reply: Reply) -> None:
        headers = {"Content-Length": str(len(reply.body)), **reply.headers}
        if self.head(reply.status, headers):
            self.send(reply.body)

    def wait(self, seconds: float) -> bool:
        """Sleep; False when the server is stopping (so endless routes end)."""
        return not self._stopping.wait(seconds)


Route = Reply | Sequence[Reply] | Callable[[Exchange], Reply | None]


class LocalServer:
    """The misbehaving server, listening on ``host`` with a free port."""

    def __init__(self, host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> None:
        self.tls = tls
        self.routes: dict[str, Route] = {}
        self.hits: list[Hit] = []
        self.connections = 0
        self.in_flight = 0
        self.most_in_flight = 0
        self._served: dict[str, int] = {}
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._server = _Server((host, 0), _Handler)
        self._server.owner = self
        address = self._server.server_address
        self.host, self.port = str(address[0]), int(address[1])
        self._thread = threading.Thread(
            target=self._server.serve_forever, args=(0.02,), daemon=True
        )
        self._thread.start()

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def route(self, path: str, route: Route) -> str:
        """Serve ``route`` at ``path``; return its URL."""
        self.routes[path] = route
        return self.url(path)

    def hits_for(self, path: str) -> list[Hit]:
        with self._lock:
            return [hit for hit in self.hits if hit.path == path]

    def stop(self) -> None:
        if self._stopping.is_set():
            return
        self._stopping.set()
        self._server.shutdown()
        self._server.server_close()  # joins the handler threads
        self._thread.join()

    def handle(self, connection: socket.socket) -> None:
        with self._lock:
            self.connections += 1
        if self.tls is None:
            self._serve(connection)
            return
        try:
            secure = self.tls.wrap_socket(connection, server_side=True)
        except OSError:  # the client refused our certificate
            return
        with secure:
            self._serve(secure)

    def _serve(self, connection: socket.socket) -> None:
        request = _read_request(connection)
        if request is None:
            return
        hit = Hit(*request, at=time.monotonic())
        with self._lock:
            self.hits.append(hit)
            self.in_flight += 1
            self.most_in_flight = max(self.most_in_flight, self.in_flight)
            count = self._served.get(hit.path, 0)
            self._served[hit.path] = count + 1
        try:
            self._respond(Exchange(hit, connection, self._stopping), count)
        finally:
            with self._lock:
                self.in_flight -= 1

    def _respond(self, exchange: Exchange, count: int) -> None:
        route = self.routes.get(exchange.hit.path.split("?", 1)[0], Reply(404, b"not found"))
        if callable(route):
            reply = route(exchange)
        elif isinstance(route, Reply):
            reply = route
        else:
            reply = route[min(count, len(route) - 1)]
        if reply is not None:
            exchange.reply(reply)


def _read_request(connection: socket.socket) -> tuple[str, str, dict[str, str]] | None:
    data = b""
    while b"\r\n\r\n" not in data:
        try:
            chunk = connection.recv(65536)
        except OSError:
            return None
        if not chunk:
            return None
        data += chunk
    head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
    method, path, _version = head[0].split(" ", 2)
    headers = {}
    for line in head[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return method, path, headers


class _Server(socketserver.ThreadingTCPServer):
    daemon_threads = False
    block_on_close = True
    allow_reuse_address = True
    owner: LocalServer


class _Handler(socketserver.BaseRequestHandler):
    server: _Server
    request: socket.socket

    def handle(self) -> None:
        self.request.settimeout(10)
        self.server.owner.handle(self.request)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    local = LocalServer()
    yield local
    local.stop()


@pytest.fixture
def make_server() -> Iterator[Callable[..., LocalServer]]:
    """Start extra servers: on other loopback addresses (``127.0.0.2``), or speaking TLS."""
    started: list[LocalServer] = []

    def start(host: str = "127.0.0.1", tls: ssl.SSLContext | None = None) -> LocalServer:
        started.append(LocalServer(host, tls))
        return started[-1]

    yield start
    for local in started:
        local.stop()


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
