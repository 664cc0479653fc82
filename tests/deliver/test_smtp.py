"""SMTP delivery against a real (aiosmtpd) server on 127.0.0.1."""

from __future__ import annotations

import copy
import email
import email.policy
import shutil
import socket
import ssl
import subprocess
import time
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from urllib.parse import quote

import pytest
from smtp_sink import PASSWORD, USER, ServerFactory, SmtpTestServer

from handpicked.deliver.smtp import (
    PermanentFailure,
    SmtpConfig,
    SmtpError,
    SmtpSender,
    TemporaryFailure,
    UncertainDelivery,
    send_with_retries,
)
from handpicked.errors import HandpickedError


def digest(
    to: str = "reader@example.com", subject: str = "Your news", **headers: str
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "handpicked <desk@handpicked.example>"
    message["To"] = to
    message["Subject"] = subject
    for name, value in headers.items():
        message[name] = value
    # Non-ASCII text, a line starting with a dot (dot-stuffing) and a lone dot line.
    message.set_content("Grüße from the desk.\n.hidden dot line\n.\nThe end.\n")
    message.add_alternative("<p>Grüße from the <b>desk</b>.</p>\n", subtype="html")
    message.set_boundary("==handpicked-test-boundary==")  # else each serialisation draws one
    return message


def sender_for(server: SmtpTestServer, query: str = "", userinfo: str = "") -> SmtpSender:
    config = SmtpConfig.from_url(f"smtp://{userinfo}{server.host}:{server.port}{query}")
    return SmtpSender(config, local_hostname="localhost")


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


# --- sending -----------------------------------------------------------------------------------


def test_message_arrives_byte_intact_with_both_parts(smtp_server: SmtpTestServer) -> None:
    message = digest(Bcc="hidden@example.com", Cc="Copy <copy@example.com>")
    expected = copy.copy(message)
    del expected["Bcc"]

    with sender_for(smtp_server) as sender:
        reply = sender.send(message)

    assert "queued as Q1" in reply
    [got] = smtp_server.received
    assert got.mail_from == "desk@handpicked.example"
    assert got.rcpt_tos == ["reader@example.com", "copy@example.com", "hidden@example.com"]
    assert got.content == expected.as_bytes(policy=email.policy.SMTP)
    assert b"hidden@example.com" not in got.content
    assert "BODY=8BITMIME" in got.mail_options
    parsed = email.message_from_bytes(got.content, policy=email.policy.default)
    parts = [part for part in parsed.walk() if not part.is_multipart()]
    assert [part.get_content_type() for part in parts] == ["text/plain", "text/html"]
    text = parts[0].get_content()
    assert text.replace("\r\n", "\n") == "Grüße from the desk.\n.hidden dot line\n.\nThe end.\n"
    assert "<b>desk</b>" in parts[1].get_content()
    assert message["Bcc"] == "hidden@example.com"  # the caller's message is untouched


def test_many_messages_share_one_connection(smtp_server: SmtpTestServer) -> None:
    with sender_for(smtp_server) as sender:
        replies = [sender.send(digest(f"reader{n}@example.com")) for n in range(3)]
        assert sender.connections_opened == 1

    assert [r.split()[-1] for r in replies] == ["Q1", "Q2", "Q3"]
    assert [m.rcpt_tos for m in smtp_server.received] == [
        ["reader0@example.com"],
        ["reader1@example.com"],
        ["reader2@example.com"],
    ]
    assert smtp_server.connections == 1


def test_reconnects_when_the_server_dropped_the_connection(smtp_server: SmtpTestServer) -> None:
    with sender_for(smtp_server) as sender:
        sender.send(digest())
        smtp_server.disconnect_all()
        sender.send(digest())
        assert sender.connections_opened == 2

    assert len(smtp_server.received) == 2
    assert smtp_server.connections == 2


def test_before_data_runs_once_before_the_server_gets_the_data(
    smtp_server: SmtpTestServer,
) -> None:
    events: list[str] = []
    smtp_server.on_data = lambda: events.append("server got data")

    def before_data() -> None:
        assert smtp_server.data_calls == 0 and not smtp_server.received
        events.append("hook")

    with sender_for(smtp_server) as sender:
        sender.send(digest(), before_data)

    assert events == ["hook", "server got data"]


def test_before_data_is_not_called_when_the_recipient_is_refused(
    smtp_server: SmtpTestServer,
) -> None:
    calls: list[str] = []
    smtp_server.fail_rcpt("550 5.1.1 No such user here")
    with sender_for(smtp_server) as sender, pytest.raises(PermanentFailure):
        sender.send(digest(), lambda: calls.append("hook"))
    assert calls == []


def test_a_failing_before_data_sends_nothing(smtp_server: SmtpTestServer) -> None:
    def crash() -> None:
        raise RuntimeError("database is locked")

    with sender_for(smtp_server) as sender:
        with pytest.raises(RuntimeError, match="database is locked"):
            sender.send(digest(), crash)
        assert smtp_server.data_calls == 0
        sender.send(digest())  # the connection was reset and still works
        assert sender.connections_opened == 1

    assert len(smtp_server.received) == 1


# --- failures ----------------------------------------------------------------------------------


def test_451_is_temporary_and_the_retry_succeeds(smtp_server: SmtpTestServer) -> None:
    smtp_server.fail_data("451 4.3.0 Greylisted, try again later")
    with sender_for(smtp_server) as sender:
        with pytest.raises(TemporaryFailure, match="Greylisted") as caught:
            sender.send(digest())
        assert caught.value.code == 451

        smtp_server.fail_data("451 4.3.0 Greylisted, try again later")
        sleep = FakeSleep()
        hooks: list[str] = []
        reply = send_with_retries(sender, digest(), lambda: hooks.append("hook"), sleep=sleep)

    assert "queued as" in reply
    assert sleep.calls == [1]
    assert hooks == ["hook", "hook"]  # once per attempt that reached DATA
    assert len(smtp_server.received) == 1
    assert smtp_server.connections == 2  # the retry reconnected


def test_retries_give_up_with_the_last_temporary_failure(smtp_server: SmtpTestServer) -> None:
    smtp_server.fail_rcpt("452 4.2.2 Mailbox full", times=10)
    sleep = FakeSleep()
    with sender_for(smtp_server) as sender, pytest.raises(TemporaryFailure, match="Mailbox full"):
        send_with_retries(sender, digest(), attempts=4, backoff_s=(1, 4), sleep=sleep)
    assert sleep.calls == [1, 4, 4]
    assert not smtp_server.received


def test_550_on_rcpt_is_permanent_with_the_servers_reason(smtp_server: SmtpTestServer) -> None:
    smtp_server.fail_rcpt("550 5.1.1 <gone@example.com>: Recipient address rejected")
    sleep = FakeSleep()
    with sender_for(smtp_server) as sender:
        with pytest.raises(PermanentFailure) as caught:
            send_with_retries(sender, digest("gone@example.com"), sleep=sleep)
        sender.send(digest())  # RSET left the connection clean
        assert sender.connections_opened == 1

    error = caught.value
    assert error.code == 550
    assert "Recipient address rejected" in str(error)
    assert "RCPT TO:<gone@example.com>" in str(error)
    assert error.reply == "5.1.1 <gone@example.com>: Recipient address rejected"
    assert isinstance(error, SmtpError) and isinstance(error, HandpickedError)
    assert sleep.calls == []
    assert len(smtp_server.received) == 1


def test_550_on_data_is_permanent(smtp_server: SmtpTestServer) -> None:
    smtp_server.fail_data("550 5.7.1 Message content rejected")
    with sender_for(smtp_server) as sender, pytest.raises(PermanentFailure, match="rejected"):
        sender.send(digest())
    assert not smtp_server.received


def test_hanging_up_after_the_data_is_uncertain_and_never_retried(
    smtp_server: SmtpTestServer,
) -> None:
    smtp_server.drop_during_data()
    sleep = FakeSleep()
    with sender_for(smtp_server) as sender:
        with pytest.raises(UncertainDelivery, match="may have been delivered"):
            send_with_retries(sender, digest(), sleep=sleep)
        assert sleep.calls == []
        assert len(smtp_server.received) == 1  # the server did get it: a resend would duplicate
        sender.send(digest())  # and the next message goes on a new connection

    assert len(smtp_server.received) == 2
    assert smtp_server.connections == 2


def test_no_answer_in_time_after_the_data_is_uncertain(smtp_server: SmtpTestServer) -> None:
    smtp_server.on_data = lambda: time.sleep(0.4)  # blocks the server's loop
    config = SmtpConfig.from_url(f"smtp://{smtp_server.host}:{smtp_server.port}?timeout=0.1")
    with SmtpSender(config, local_hostname="localhost") as sender, pytest.raises(UncertainDelivery):
        sender.send(digest())


@pytest.fixture
def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_server_down_is_temporary(closed_port: int) -> None:
    config = SmtpConfig.from_url(f"smtp://127.0.0.1:{closed_port}?timeout=1")
    sleep = FakeSleep()
    with (
        SmtpSender(config, local_hostname="localhost") as sender,
        pytest.raises(TemporaryFailure, match="cannot connect") as caught,
    ):
        send_with_retries(sender, digest(), attempts=2, sleep=sleep)
    assert caught.value.code is None
    assert f"smtp://127.0.0.1:{closed_port}" in str(caught.value)
    assert sleep.calls == [1]


def test_an_unusable_message_fails_before_connecting(smtp_server: SmtpTestServer) -> None:
    no_sender = digest()
    del no_sender["From"]
    no_recipient = digest()
    del no_recipient["To"]
    with sender_for(smtp_server) as sender:
        with pytest.raises(PermanentFailure, match="no valid From"):
            sender.send(no_sender)
        with pytest.raises(PermanentFailure, match="no recipient"):
            sender.send(no_recipient)
        assert sender.connections_opened == 0


# --- authentication and TLS --------------------------------------------------------------------


def test_login_with_credentials(smtp_server: SmtpTestServer) -> None:
    smtp_server.require_auth = True
    userinfo = f"{quote(USER, safe='')}:{quote(PASSWORD, safe='')}@"
    with sender_for(smtp_server, userinfo=userinfo) as sender:
        sender.send(digest())
        sender.send(digest())
    assert smtp_server.logins == [(USER, PASSWORD)]
    assert len(smtp_server.received) == 2


def test_wrong_password_is_permanent(smtp_server: SmtpTestServer) -> None:
    smtp_server.require_auth = True
    with (
        sender_for(smtp_server, userinfo=f"{USER}:wrong@") as sender,
        pytest.raises(PermanentFailure, match="535") as caught,
    ):
        sender.send(digest())
    assert "wrong" not in str(caught.value)
    assert not smtp_server.received


def test_missing_login_is_refused(smtp_server: SmtpTestServer) -> None:
    smtp_server.require_auth = True
    with sender_for(smtp_server) as sender, pytest.raises(PermanentFailure, match="530"):
        sender.send(digest())


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    command = "openssl req -x509 -nodes -days 2 -subj /CN=localhost"
    command += " -newkey ec -pkeyopt ec_paramgen_curve:prime256v1"
    command += " -addext subjectAltName=IP:127.0.0.1,DNS:localhost"
    subprocess.run(
        [*command.split(), "-keyout", str(key), "-out", str(cert)],
        check=True,
        capture_output=True,
    )
    return cert, key


@pytest.fixture
def tls_server(
    make_smtp_server: ServerFactory, certificate: tuple[Path, Path]
) -> Iterator[SmtpTestServer]:
    cert, key = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    yield make_smtp_server(tls_context=context)


def test_starttls_is_used_when_offered(
    tls_server: SmtpTestServer, certificate: tuple[Path, Path]
) -> None:
    tls_server.require_auth = True
    config = SmtpConfig.from_url(
        f"smtp://{USER}:{quote(PASSWORD, safe='')}@127.0.0.1:{tls_server.port}?starttls=require"
    )
    client = ssl.create_default_context(cafile=str(certificate[0]))
    with SmtpSender(config, ssl_context=client, local_hostname="localhost") as sender:
        sender.send(digest())
    assert tls_server.mail_over_tls == [True]
    assert tls_server.logins == [(USER, PASSWORD)]


def test_an_untrusted_certificate_is_temporary(tls_server: SmtpTestServer) -> None:
    with sender_for(tls_server) as sender, pytest.raises(TemporaryFailure, match="certificate"):
        sender.send(digest())
    assert not tls_server.received


def test_required_starttls_that_is_not_offered_fails(smtp_server: SmtpTestServer) -> None:
    with (
        sender_for(smtp_server, "?starttls=require") as sender,
        pytest.raises(TemporaryFailure, match="does not offer STARTTLS"),
    ):
        sender.send(digest())
    assert not smtp_server.received


# --- SMTPUTF8 and 8BITMIME ---------------------------------------------------------------------


def test_non_ascii_address_goes_with_smtputf8(smtp_server: SmtpTestServer) -> None:
    with sender_for(smtp_server) as sender:
        sender.send(digest("José <josé@exämple.com>"))
    [got] = smtp_server.received
    assert got.rcpt_tos == ["josé@exämple.com"]
    assert "SMTPUTF8" in got.mail_options
    assert "josé@exämple.com".encode() in got.content


def test_non_ascii_address_without_smtputf8_is_permanent(smtp_server: SmtpTestServer) -> None:
    smtp_server.hide_extensions = {"SMTPUTF8"}
    with sender_for(smtp_server) as sender:
        with pytest.raises(PermanentFailure, match="SMTPUTF8"):
            sender.send(digest("josé@exämple.com"))
        sender.send(digest())
    assert len(smtp_server.received) == 1


def test_without_8bitmime_the_body_is_re_encoded_as_7bit(smtp_server: SmtpTestServer) -> None:
    smtp_server.hide_extensions = {"8BITMIME"}
    with sender_for(smtp_server) as sender:
        sender.send(digest())
    [got] = smtp_server.received
    assert got.content.isascii()
    assert "BODY=8BITMIME" not in got.mail_options
    parsed = email.message_from_bytes(got.content, policy=email.policy.default)
    body = parsed.get_body(("plain",))
    assert body is not None and "Grüße from the desk." in body.get_content()


# --- configuration -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "host", "port", "username", "password", "security", "required"),
    [
        ("smtp://mail.example.com", "mail.example.com", 25, None, None, "starttls", False),
        ("smtp://u:p@mail.example.com:587", "mail.example.com", 587, "u", "p", "starttls", False),
        ("SMTPS://Mail.Example.com", "mail.example.com", 465, None, None, "tls", False),
        ("smtps://a%40b.c:p%3Aw%2Fd@h:2465/", "h", 2465, "a@b.c", "p:w/d", "tls", False),
        ("smtp://h:587?starttls=require", "h", 587, None, None, "starttls", True),
        ("smtp://h?starttls=never", "h", 25, None, None, "plain", False),
        ("smtp://[::1]:2525", "::1", 2525, None, None, "starttls", False),
        ("smtp://u:@h", "h", 25, "u", "", "starttls", False),
    ],
)
def test_from_url(
    url: str,
    host: str,
    port: int,
    username: str | None,
    password: str | None,
    security: str,
    required: bool,
) -> None:
    config = SmtpConfig.from_url(url)
    assert (config.host, config.port, config.username, config.password) == (
        host,
        port,
        username,
        password,
    )
    assert config.security == security
    assert config.starttls_required is required
    assert config.timeout_s == 30.0


def test_from_url_timeout() -> None:
    assert SmtpConfig.from_url("smtps://h?timeout=2.5").timeout_s == 2.5


@pytest.mark.parametrize(
    "url",
    [
        "http://mail.example.com",
        "mail.example.com:25",
        "",
        "smtp://",
        "smtp://:secret@h",
        "smtp://user@h",
        "smtp://h:99999",
        "smtp://h:port",
        "smtp://h/path",
        "smtp://h#frag",
        "smtp://h?starttls=maybe",
        "smtps://h?starttls=require",
        "smtp://h?timeout=0",
        "smtp://h?timeout=soon",
        "smtp://h?tls",
        "smtp://h?other=1",
        "smtp://us\u00e9r:p@h",
    ],
)
def test_from_url_rejects(url: str) -> None:
    with pytest.raises(ValueError, match=r"smtp://user:password@mail\.example\.com:587|ASCII"):
        SmtpConfig.from_url(url)


def test_bad_url_errors_do_not_show_the_password() -> None:
    with pytest.raises(ValueError) as caught:
        SmtpConfig.from_url("smtp://user:hunter2@h/path")
    assert "hunter2" not in str(caught.value)


def test_redacted_and_repr_hide_the_password() -> None:
    config = SmtpConfig.from_url("smtp://me%40x.org:hunter2@mail.example.com:587?starttls=require")
    assert config.redacted() == "smtp://me%40x.org@mail.example.com:587?starttls=require"
    assert "hunter2" not in repr(config)
    assert SmtpConfig.from_url("smtps://h").redacted() == "smtps://h:465"
    assert SmtpConfig.from_url("smtp://[::1]?starttls=never").redacted() == (
        "smtp://[::1]:25?starttls=never"
    )
    with pytest.raises(ValueError, match="security"):
        SmtpConfig("h", 25, None, None, "ssl")  # type: ignore[arg-type]
