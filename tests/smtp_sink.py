"""A real SMTP server (aiosmtpd) on 127.0.0.1 for the delivery tests, with knobs to make it
refuse, fail or hang up."""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

USER = "digest-bot"
PASSWORD = "s3cret:p@ss/word"


@dataclass(frozen=True)
class Received:
    mail_from: str
    rcpt_tos: list[str]
    content: bytes
    mail_options: list[str]


@dataclass
class _Knob:
    reply: str = ""
    times: int = 0

    def take(self) -> str | None:
        if self.times <= 0:
            return None
        self.times -= 1
        return self.reply


class _Controller(Controller):
    """Binds port 0 and learns the real port before aiosmtpd's start-up probe connects."""

    def _trigger_server(self) -> None:
        server = cast(asyncio.Server, self.server)
        self.port = server.sockets[0].getsockname()[1]
        super()._trigger_server()  # type: ignore[no-untyped-call]  # aiosmtpd leaves it untyped


@dataclass
class SmtpTestServer:
    """The server's state as the tests see it. Knobs apply to the next ``times`` commands."""

    host: str = "127.0.0.1"
    port: int = 0
    received: list[Received] = field(default_factory=list)
    """Messages the server got in full (including ones it then hung up on)."""
    connections: int = 0
    """Sessions that said EHLO (aiosmtpd's start-up probe never does)."""
    logins: list[tuple[str, str]] = field(default_factory=list)
    mail_over_tls: list[bool] = field(default_factory=list)
    """For each MAIL FROM: whether the session had switched to TLS."""
    data_calls: int = 0
    require_auth: bool = False
    hide_extensions: set[str] = field(default_factory=set)
    """EHLO keywords not to advertise ("SMTPUTF8", "8BITMIME", "AUTH", "SIZE")."""
    on_data: Callable[[], None] | None = None
    """Called (in the server's thread) when a message's data has arrived."""
    on_rcpt: Callable[[str], None] | None = None
    """Called (in the server's thread) with each RCPT address, before it is answered."""
    rcpt_delay_s: float = 0.0
    """How long each RCPT takes to answer (a slow server, so a sender can be killed mid-run)."""
    _rcpt: _Knob = field(default_factory=_Knob)
    _data: _Knob = field(default_factory=_Knob)
    _drops: int = 0
    _sessions: list[Any] = field(default_factory=list)
    _servers: list[Any] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _loop: asyncio.AbstractEventLoop | None = None

    def fail_rcpt(self, reply: str, times: int = 1) -> None:
        """Answer the next ``times`` RCPT commands with ``reply`` ("550 5.1.1 No such user")."""
        with self._lock:
            self._rcpt = _Knob(reply, times)

    def fail_data(self, reply: str, times: int = 1) -> None:
        """Answer the next ``times`` messages (after their data) with ``reply``."""
        with self._lock:
            self._data = _Knob(reply, times)

    def drop_during_data(self, times: int = 1) -> None:
        """Take the next ``times`` messages in full, then hang up without answering."""
        with self._lock:
            self._drops = times

    def disconnect_all(self) -> None:
        """Close every open client connection from the server's side."""
        assert self._loop is not None

        async def close() -> None:
            for server in self._servers:
                if server.transport is not None:
                    server.transport.close()
            await asyncio.sleep(0.01)

        asyncio.run_coroutine_threadsafe(close(), self._loop).result(timeout=5)

    # --- aiosmtpd handler hooks ----------------------------------------------------------------

    async def handle_EHLO(
        self, server: Any, session: Any, envelope: Any, hostname: str, responses: list[str]
    ) -> list[str]:
        session.host_name = hostname
        with self._lock:
            if not any(seen is session for seen in self._sessions):
                self._sessions.append(session)
                self._servers.append(server)
                self.connections += 1
        return [
            line for line in responses if line[4:].split(" ")[0].upper() not in self.hide_extensions
        ]

    async def handle_MAIL(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.require_auth and not session.authenticated:
            return "530 5.7.0 Authentication required"
        self.mail_over_tls.append(session.ssl is not None)
        envelope.mail_from = address
        envelope.mail_options.extend(options)
        return "250 OK"

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: list[str]
    ) -> str:
        if self.on_rcpt is not None:
            self.on_rcpt(address)
        if self.rcpt_delay_s:
            await asyncio.sleep(self.rcpt_delay_s)
        with self._lock:
            reply = self._rcpt.take()
        if reply:
            return reply
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.on_data is not None:
            self.on_data()
        with self._lock:
            self.data_calls += 1
            reply = self._data.take()
            drop = self._drops > 0
            if drop:
                self._drops -= 1
        if reply:
            return reply
        self.received.append(
            Received(
                mail_from=envelope.mail_from,
                rcpt_tos=list(envelope.rcpt_tos),
                content=envelope.original_content,
                mail_options=list(envelope.mail_options),
            )
        )
        if drop:
            server.transport.abort()
            # connection_lost() cancels this task; wait for that as a real crash would.
            await asyncio.Event().wait()
        return f"250 2.0.0 Ok: queued as Q{len(self.received)}"

    def authenticate(
        self, server: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any
    ) -> AuthResult:
        if not isinstance(auth_data, LoginPassword):
            return AuthResult(success=False, handled=False)
        login = auth_data.login.decode()
        password = auth_data.password.decode()
        self.logins.append((login, password))
        # handled=False: aiosmtpd then answers 535 itself.
        return AuthResult(success=(login, password) == (USER, PASSWORD), handled=False)


ServerFactory = Callable[..., SmtpTestServer]


@pytest.fixture
def make_smtp_server() -> Iterator[ServerFactory]:
    """Starts servers (``tls_context=`` for STARTTLS) and stops them after the test."""
    controllers: list[Controller] = []

    def start(tls_context: ssl.SSLContext | None = None) -> SmtpTestServer:
        state = SmtpTestServer()
        controller = _Controller(
            state,
            hostname="127.0.0.1",
            port=0,
            ready_timeout=5.0,
            server_hostname="localhost",  # skips a slow getfqdn() per connection
            auth_require_tls=False,  # lets AUTH run over plain loopback in these tests
            authenticator=state.authenticate,
            tls_context=tls_context,
        )
        controller.start()
        controllers.append(controller)
        state.port = controller.port
        state._loop = controller.loop
        return state

    yield start
    for controller in controllers:
        controller.stop()


@pytest.fixture
def smtp_server(make_smtp_server: ServerFactory) -> SmtpTestServer:
    """A plain SMTP server on 127.0.0.1 that takes any message (see the knobs)."""
    return make_smtp_server()
