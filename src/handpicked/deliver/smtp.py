"""Sending mail through an SMTP server, with the care that exactly-once delivery needs.

The caller sends many digests and must never send one twice, even when the process is killed
half-way. :meth:`SmtpSender.send` therefore runs the SMTP transaction step by step and calls a
``before_data`` hook right before the message body goes out: the caller commits "sending" to its
database there, so that after a crash a digest in that state is known to be *maybe* delivered.
The errors say which side of that line a failure fell on:

* :class:`TemporaryFailure` -- nothing was delivered and trying again later is fine (4xx
  replies, refused or broken connections before the body was sent);
* :class:`PermanentFailure` -- nothing was delivered and trying again will not help (5xx
  replies: unknown recipient, message refused);
* :class:`UncertainDelivery` -- the body was sent but the server's verdict never came: the
  message may have been delivered and must not be sent again.
"""

from __future__ import annotations

import copy
import email.errors
import email.policy
import email.utils
import ipaddress
import logging
import re
import smtplib
import ssl
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from types import TracebackType
from typing import Literal, Protocol
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from handpicked.errors import HandpickedError

_log = logging.getLogger(__name__)

Security = Literal["plain", "starttls", "tls"]
_SECURITIES = ("plain", "starttls", "tls")
_DEFAULT_PORTS = {"smtp": 25, "smtps": 465}
_URL_EXAMPLE = (
    "expected an SMTP URL such as smtp://user:password@mail.example.com:587 "
    "(STARTTLS when offered; add ?starttls=require to insist on it, ?starttls=never to skip "
    "it) or smtps://user:password@mail.example.com:465 (implicit TLS)"
)
_STARTTLS_MODES = ("auto", "require", "never")
_BAD_ADDRESS = re.compile(r"[\s<>\x00-\x1f\x7f]")
_LEADING_DOT = re.compile(rb"(?m)^\.")
_CRLF = b"\r\n"


class SmtpError(HandpickedError):
    """Sending one message failed. ``code`` and ``reply`` are the server's answer, when it gave
    one (``code`` is None for connection errors and checks made before talking to it)."""

    def __init__(self, message: str, code: int | None = None, reply: str = "") -> None:
        super().__init__(message)
        self.code = code
        self.reply = reply


class TemporaryFailure(SmtpError):
    """Nothing was delivered; the same message may be sent again later."""


class PermanentFailure(SmtpError):
    """Nothing was delivered and sending again will not help: record the reason, do not retry."""


class UncertainDelivery(SmtpError):
    """The connection broke after the message body was sent and before the server answered:
    the message may have been delivered. Never send it again automatically."""


@dataclass(frozen=True, slots=True)
class SmtpConfig:
    """Where and how to connect. :meth:`from_url` reads the usual ``smtp://`` form.

    ``security`` is ``"tls"`` for implicit TLS (smtps), ``"starttls"`` to upgrade with STARTTLS
    when the server offers it (and to fail when it does not and ``starttls_required``), or
    ``"plain"`` never to encrypt. Credentials go over an unencrypted connection only with
    ``"plain"`` or to a loopback address.
    """

    host: str
    port: int
    username: str | None
    password: str | None = field(repr=False)
    security: Security
    timeout_s: float = 30.0
    starttls_required: bool = False

    def __post_init__(self) -> None:
        if not self.host:
            raise ValueError("the SMTP host is empty")
        if self.security not in _SECURITIES:
            raise ValueError(f"security must be one of {', '.join(_SECURITIES)}")
        if not 0 < self.port < 65536:
            raise ValueError(f"the SMTP port must be within 1-65535, not {self.port}")
        if not self.timeout_s > 0:
            raise ValueError("the SMTP timeout must be positive")
        if self.starttls_required and self.security != "starttls":
            raise ValueError('starttls_required only goes with security="starttls"')
        if (self.username is None) != (self.password is None):
            raise ValueError("give both an SMTP user name and a password, or neither")
        for credential in (self.username, self.password):
            if credential is not None and not credential.isascii():
                # smtplib encodes AUTH exchanges as ASCII.
                raise ValueError("SMTP credentials must be ASCII")

    @classmethod
    def from_url(cls, url: str) -> SmtpConfig:
        """``smtp://user:pass@host:587``, ``smtps://host:465``, with percent-encoded
        credentials; the port defaults to 25 (smtp) or 465 (smtps). Query options:
        ``starttls=auto|require|never`` (smtp only) and ``timeout=<seconds>``."""
        try:
            parts = urlsplit(url.strip())
            port = parts.port
        except ValueError as exc:
            raise ValueError(f"not a valid SMTP URL ({exc}); {_URL_EXAMPLE}") from None
        scheme = parts.scheme.lower()
        if scheme not in _DEFAULT_PORTS:
            what = f"scheme {parts.scheme!r}" if parts.scheme else "no scheme"
            raise ValueError(f"unsupported SMTP URL: {what}; {_URL_EXAMPLE}")
        host = parts.hostname
        if not host:
            raise ValueError(f"the SMTP URL has no host; {_URL_EXAMPLE}")
        if parts.path not in ("", "/") or parts.fragment:
            raise ValueError(f"the SMTP URL must not have a path or fragment; {_URL_EXAMPLE}")
        username = unquote(parts.username) if parts.username is not None else None
        password = unquote(parts.password) if parts.password is not None else None
        if username is not None and password is None:
            raise ValueError(f"the SMTP URL has a user name but no password; {_URL_EXAMPLE}")
        if username == "" and password is not None:
            raise ValueError(f"the SMTP URL has a password but no user name; {_URL_EXAMPLE}")

        starttls = "auto"
        timeout_s = 30.0
        try:
            query = parse_qsl(parts.query, keep_blank_values=True, strict_parsing=True)
        except ValueError:
            raise ValueError(f"the SMTP URL's query is malformed; {_URL_EXAMPLE}") from None
        for key, value in query:
            timeout = _positive_float(value) if key == "timeout" else None
            if key == "starttls" and scheme == "smtp" and value in _STARTTLS_MODES:
                starttls = value
            elif timeout is not None:
                timeout_s = timeout
            else:
                raise ValueError(
                    f"unsupported SMTP URL option {key}={value}: smtp:// takes "
                    "starttls=auto|require|never, both schemes take timeout=<seconds>; "
                    f"{_URL_EXAMPLE}"
                )

        security: Security = "tls" if scheme == "smtps" else "starttls"
        if starttls == "never":
            security = "plain"
        return cls(
            host=host,
            port=port if port is not None else _DEFAULT_PORTS[scheme],
            username=username,
            password=password,
            security=security,
            timeout_s=timeout_s,
            starttls_required=starttls == "require",
        )

    def redacted(self) -> str:
        """The URL without the password, for logs and error messages."""
        scheme = "smtps" if self.security == "tls" else "smtp"
        user = f"{quote(self.username, safe='')}@" if self.username is not None else ""
        host = f"[{self.host}]" if ":" in self.host else self.host
        query = ""
        if self.security == "plain":
            query = "?starttls=never"
        elif self.starttls_required:
            query = "?starttls=require"
        return f"{scheme}://{user}{host}:{self.port}{query}"


def _positive_float(value: str) -> float | None:
    try:
        number = float(value)
    except ValueError:
        return None
    return number if 0 < number < float("inf") else None


class MessageSender(Protocol):
    """What sends digests: :class:`SmtpSender`, or the local outbox's
    (:class:`handpicked.deliver.outbox.OutboxSender`) when no SMTP server is set."""

    def __enter__(self) -> MessageSender: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def close(self) -> None: ...

    def send(self, message: EmailMessage, before_data: Callable[[], None] | None = None) -> str: ...


class SmtpSender:
    """One SMTP connection, reused for many messages; opened on the first :meth:`send` and
    reopened transparently when the server dropped it in between. Use it as a context manager
    so that the connection is closed politely (QUIT). Not thread-safe.

    ``ssl_context`` replaces the default one (system CAs, hostname checked), for a private CA.
    """

    def __init__(
        self,
        config: SmtpConfig,
        *,
        ssl_context: ssl.SSLContext | None = None,
        local_hostname: str | None = None,
    ) -> None:
        self.config = config
        self._ssl_context = ssl_context
        self._local_hostname = local_hostname
        self._conn: smtplib.SMTP | None = None
        self._encrypted = False
        self.connections_opened = 0
        """How many connections this sender has opened so far."""

    def __enter__(self) -> SmtpSender:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Say QUIT and close the connection, if one is open; the next send opens a new one."""
        conn, self._conn = self._conn, None
        if conn is None:
            return
        try:
            conn.quit()
        except (smtplib.SMTPException, OSError):
            pass
        finally:
            conn.close()

    def send(self, message: EmailMessage, before_data: Callable[[], None] | None = None) -> str:
        """Send ``message`` from its From address to its To, Cc and Bcc addresses (the Bcc
        header itself is not sent) and return the server's reply text to the message (it often
        carries a queue id).

        ``before_data`` is called once the server has accepted the sender and every recipient,
        right before the message goes out; if it raises, nothing is sent and its exception
        propagates. Raises :class:`TemporaryFailure`, :class:`PermanentFailure` or
        :class:`UncertainDelivery` (see the module's docs). A message that some recipient
        refuses is not sent to any of them.
        """
        sender, recipients = _envelope(message)
        conn = self._connection()
        try:
            options, payload = self._serialise(conn, message, sender, recipients)
            self._expect(conn.mail(sender, options), f"MAIL FROM:<{sender}>")
            for recipient in recipients:
                self._expect(conn.rcpt(recipient), f"RCPT TO:<{recipient}>")
        except SmtpError:
            self._reset()
            raise
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TemporaryFailure(self._describe(f"the connection failed ({exc})")) from exc
        except BaseException:
            self._drop()
            raise
        if before_data is not None:
            try:
                before_data()
            except BaseException:
                self._reset()
                raise
        return self._data(conn, payload)

    # --- the connection ----------------------------------------------------------------------

    def _connection(self) -> smtplib.SMTP:
        """The open connection if it still answers, else a new one."""
        if self._conn is not None:
            try:
                code, _ = self._conn.noop()
            except (smtplib.SMTPException, OSError):
                code = -1
            if code == 250:
                return self._conn
            self._drop()
        self._conn = self._connect()
        return self._conn

    def _connect(self) -> smtplib.SMTP:
        config = self.config
        conn: smtplib.SMTP | None = None
        self._encrypted = config.security == "tls"
        try:
            # The host goes to the constructor (which connects): STARTTLS checks it against
            # the certificate.
            if config.security == "tls":
                conn = smtplib.SMTP_SSL(
                    config.host,
                    config.port,
                    local_hostname=self._local_hostname,
                    timeout=config.timeout_s,
                    context=self._context(),
                )
            else:
                conn = smtplib.SMTP(
                    config.host,
                    config.port,
                    local_hostname=self._local_hostname,
                    timeout=config.timeout_s,
                )
            self.connections_opened += 1
            conn.ehlo_or_helo_if_needed()
            if config.security == "starttls":
                if conn.has_extn("starttls"):
                    conn.starttls(context=self._context())
                    self._encrypted = True
                    conn.ehlo_or_helo_if_needed()
                elif config.starttls_required:
                    raise TemporaryFailure(
                        self._describe("the server does not offer STARTTLS, which is required")
                    )
            if config.username is not None and config.password is not None:
                if not (self._encrypted or config.security == "plain" or _loopback(config.host)):
                    raise TemporaryFailure(
                        self._describe(
                            "refusing to send the password over an unencrypted connection "
                            "(the server offers no STARTTLS; use smtps:// or ?starttls=never)"
                        )
                    )
                conn.login(config.username, config.password)
        except BaseException as exc:
            if conn is not None:
                conn.close()
            if isinstance(exc, smtplib.SMTPResponseException):
                raise _by_code(exc.smtp_code, _text(exc.smtp_error), self._describe) from exc
            if isinstance(exc, smtplib.SMTPException | OSError) and not isinstance(exc, SmtpError):
                raise TemporaryFailure(self._describe(f"cannot connect: {exc}")) from exc
            raise
        return conn

    def _context(self) -> ssl.SSLContext:
        if self._ssl_context is None:
            self._ssl_context = ssl.create_default_context()
        return self._ssl_context

    def _reset(self) -> None:
        """End a failed transaction so the next message starts clean: RSET, or drop the
        connection when that does not work."""
        if self._conn is None:
            return
        try:
            code, _ = self._conn.rset()
        except (smtplib.SMTPException, OSError):
            code = -1
        if code != 250:
            self._drop()

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            conn.close()

    def _describe(self, what: str) -> str:
        return f"{what} [{self.config.redacted()}]"

    def _expect(self, answer: tuple[int, bytes], command: str) -> None:
        """Raise the failure that a non-2xx reply to ``command`` means."""
        code, reply = answer
        if not 200 <= code < 300:
            raise self._refusal(code, reply, command)

    def _refusal(self, code: int, reply: bytes, command: str) -> SmtpError:
        """The failure for a refusing reply: Permanent for 5xx, else Temporary. Drops the
        connection when the server said it closes it (421)."""
        if code == 421:
            self._drop()
        return _by_code(code, _text(reply), lambda what: self._describe(f"{command}: {what}"))

    # --- the message -------------------------------------------------------------------------

    def _serialise(
        self, conn: smtplib.SMTP, message: EmailMessage, sender: str, recipients: Sequence[str]
    ) -> tuple[list[str], bytes]:
        """The MAIL FROM options and the message's bytes (CRLF, dot-stuffed, terminated)."""
        message = copy.copy(message)  # del rebinds the header list: the caller's is untouched
        del message["Bcc"]
        del message["Resent-Bcc"]
        options: list[str] = []
        utf8 = not all(address.isascii() for address in (sender, *recipients))
        if utf8:
            if not conn.has_extn("smtputf8"):
                raise PermanentFailure(
                    self._describe(
                        "the server does not support SMTPUTF8, which the non-ASCII address in "
                        "the envelope needs"
                    )
                )
            options.append("SMTPUTF8")
        try:
            payload = message.as_bytes(policy=email.policy.SMTPUTF8 if utf8 else email.policy.SMTP)
            if not payload.isascii():
                if conn.has_extn("8bitmime"):
                    options.append("BODY=8BITMIME")
                elif not utf8:
                    # Re-encode 8-bit parts as base64 / quoted-printable.
                    payload = message.as_bytes(policy=email.policy.SMTP.clone(cte_type="7bit"))
        except (ValueError, TypeError, LookupError, email.errors.MessageError) as exc:
            raise PermanentFailure(f"the message cannot be serialised: {exc}") from exc
        if not payload.isascii() and "BODY=8BITMIME" not in options:
            raise PermanentFailure(
                self._describe("the message has 8-bit data and the server does not take 8BITMIME")
            )
        payload = _LEADING_DOT.sub(b"..", payload)
        if not payload.endswith(_CRLF):
            payload += _CRLF
        payload += b"." + _CRLF
        if conn.has_extn("size"):
            options.append(f"SIZE={len(payload)}")
        return options, payload

    def _data(self, conn: smtplib.SMTP, payload: bytes) -> str:
        """DATA: TemporaryFailure until the body is out, UncertainDelivery after it."""
        try:
            conn.putcmd("data")
            code, reply = conn.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise TemporaryFailure(
                self._describe(f"the connection failed before the message was sent ({exc})")
            ) from exc
        except BaseException:
            self._drop()
            raise
        if code != 354:
            error = self._refusal(code, reply, "DATA")
            if 400 <= code < 600:
                self._reset()
            else:  # an odd reply: the server's state is unknown, do not reuse the connection
                self._drop()
            raise error
        try:
            conn.send(payload)
        except (smtplib.SMTPException, OSError) as exc:
            # sendall() failed, so at least the final "\r\n.\r\n" never left: the server cannot
            # have taken the message.
            self._drop()
            raise TemporaryFailure(
                self._describe(f"the connection failed while sending the message ({exc})")
            ) from exc
        except BaseException:
            self._drop()
            raise
        try:
            code, reply = conn.getreply()
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            raise UncertainDelivery(
                self._describe(
                    f"the message was sent but the server's answer never came ({exc}); "
                    "it may have been delivered"
                )
            ) from exc
        except BaseException:
            self._drop()
            raise
        text = _text(reply)
        if 200 <= code < 300:
            return text
        if 400 <= code < 600:  # the server refused the message: nothing was delivered
            error = self._refusal(code, reply, "the message was refused")
            self._reset()
            raise error
        self._drop()
        raise UncertainDelivery(
            self._describe(f"unexpected reply to the message: {code} {text}"), code, text
        )


def send_with_retries(
    sender: MessageSender,
    message: EmailMessage,
    before_data: Callable[[], None] | None = None,
    attempts: int = 3,
    backoff_s: Sequence[float] = (1, 4, 15),
    sleep: Callable[[float], object] = time.sleep,
) -> str:
    """:meth:`SmtpSender.send`, tried again on a fresh connection after a
    :class:`TemporaryFailure`: ``backoff_s[i]`` seconds before attempt ``i + 2`` (the last
    value repeats). The last TemporaryFailure propagates; PermanentFailure and
    UncertainDelivery propagate at once. ``before_data`` runs on every attempt that gets that
    far, so it must be idempotent."""
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    for attempt in range(1, attempts + 1):
        try:
            return sender.send(message, before_data)
        except TemporaryFailure as exc:
            if attempt == attempts:
                raise
            delay = backoff_s[min(attempt, len(backoff_s)) - 1] if backoff_s else 0
            _log.warning(
                "attempt %d of %d failed: %s; retrying in %ss", attempt, attempts, exc, delay
            )
            sender.close()
            sleep(delay)
    raise AssertionError("unreachable")  # pragma: no cover


# --- helpers ---------------------------------------------------------------------------------


def _envelope(message: EmailMessage) -> tuple[str, list[str]]:
    """The envelope sender (From) and recipients (To, Cc, Bcc; each once)."""
    senders = _addresses(message, "From")
    if not senders:
        raise PermanentFailure("the message has no valid From address")
    recipients: list[str] = []
    seen: set[str] = set()
    for address in _addresses(message, "To", "Cc", "Bcc"):
        if address.lower() not in seen:
            seen.add(address.lower())
            recipients.append(address)
    if not recipients:
        raise PermanentFailure("the message has no recipient (To, Cc or Bcc)")
    return senders[0], recipients


def _addresses(message: EmailMessage, *headers: str) -> list[str]:
    values = [str(value) for header in headers for value in message.get_all(header, [])]
    found = []
    for _name, address in email.utils.getaddresses(values):
        if not address:
            continue
        if _BAD_ADDRESS.search(address) or "@" not in address:
            raise PermanentFailure(f"invalid email address {address!r} in {'/'.join(headers)}")
        found.append(address)
    return found


def _by_code(code: int, text: str, describe: Callable[[str], str]) -> SmtpError:
    what = describe(f"{code} {text}".strip())
    if 500 <= code < 600:
        return PermanentFailure(what, code, text)
    return TemporaryFailure(what, code, text)


def _text(reply: bytes | str) -> str:
    if isinstance(reply, bytes):
        reply = reply.decode("utf-8", errors="replace")
    return " ".join(reply.split())


def _loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
