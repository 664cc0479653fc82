"""Accounts: passwords (argon2id), sign-in links by email, and limits on guessing.

Failed sign-ins are counted per account and per client address in the database, so the
limits hold across restarts and across server processes: five wrong passwords for one
account, or thirty from one address, within fifteen minutes lock that key until the window
has passed. A correct password does not reset an address's count, only the account's.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from handpicked.addresses import email_key
from handpicked.deliver.runner import smtp_config
from handpicked.deliver.smtp import SmtpError, SmtpSender, send_with_retries
from handpicked.desk import readers as service
from handpicked.desk.errors import DeskError
from handpicked.settings import Settings
from handpicked.store import ReaderExists, ReaderRecord, Store
from handpicked.store.accounts import API_TOKEN_PREFIX

log = logging.getLogger("handpicked.web")
HASHER = PasswordHasher()
MIN_PASSWORD = 10
MAX_PASSWORD = 1024
WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 30
SESSION_LIFETIME = timedelta(days=30)
LINK_LIFETIME = timedelta(minutes=20)
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = HASHER.hash("not a real password, only for timing")


class AccountError(DeskError):
    """Sign-up or sign-in cannot go on; the message is safe to show."""


class TooManyAttempts(AccountError):
    def __init__(self, retry_after: timedelta) -> None:
        minutes = max(1, round(retry_after.total_seconds() / 60))
        super().__init__(
            f"Too many failed sign-ins. Try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}, or ask for a sign-in link by email.",
            code="too_many_attempts",
        )
        self.retry_after = retry_after


def check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(
            f"Choose a password of at least {MIN_PASSWORD} characters.", code="weak_password"
        )
    if len(password) > MAX_PASSWORD:
        raise AccountError("That password is too long.", code="weak_password")


def sign_up(
    store: Store,
    email: str,
    password: str,
    now: datetime,
    time_zone: str = "UTC",
    *,
    verified: bool = True,
) -> ReaderRecord:
    """A new reader with a password; the desk's first account is its admin. An address added
    from the command line (no password yet) cannot be claimed this way: its owner signs in
    with a link instead. Whether sign-up is open is :func:`register`'s question."""
    check_password(password)
    first = store.readers.count() == 0
    taken = AccountError(
        "That address already has an account: sign in, or ask for a sign-in link.",
        code="address_taken",
    )
    try:
        if store.readers.get(email=service.check_email(email)) is not None:
            raise taken
        reader = service.add_reader(store, email, now, time_zone=time_zone or "UTC")
    except service.ReaderError as error:
        if isinstance(error.__cause__, ReaderExists):  # signed up meanwhile
            raise taken from error
        raise AccountError(str(error)) from error
    return store.readers.update(
        reader.id,
        password_hash=HASHER.hash(password),
        is_admin=first,
        verified_at=now if verified or first else None,
    )


@dataclass(frozen=True, slots=True)
class Registration:
    """A new account, and the link that confirms its address (open sign-up only)."""

    reader: ReaderRecord
    confirm: SignInLink | None


VERIFY_LIFETIME = timedelta(days=2)


def register(
    store: Store,
    settings: Settings,
    email: str,
    password: str,
    now: datetime,
    time_zone: str = "UTC",
    *,
    mode: str,
    invite: str = "",
) -> Registration:
    """Sign up from the web, as the desk's sign-up ``mode`` allows: the first account always
    (it is the admin); then ``invite`` needs a live invite link (used up here), ``open``
    emails a link that confirms the address (until then the account cannot sign in or get
    digests), and ``closed`` refuses."""
    if store.readers.count() > 0:
        if mode == "closed" or (mode == "invite" and not invite):
            raise AccountError(
                "This desk takes new readers by invitation only: ask its admin for a link.",
                code="closed",
            )
        if mode == "invite" and not store.invites.is_live(invite, now):
            raise AccountError(
                "This invite link has been used or has expired: ask the admin for a new one.",
                code="closed",
            )
    check_password(password)
    verified = mode != "open"
    reader = sign_up(store, email, password, now, time_zone, verified=verified)
    if mode == "invite" and invite and not reader.is_admin and not store.invites.use(invite, now):
        store.readers.remove(reader.id)  # another sign-up took the invite meanwhile
        raise AccountError("This invite link has just been used.", code="closed")
    confirm = None
    if reader.verified_at is None:
        confirm = _email_link(store, settings, reader, now, VERIFY_LIFETIME, confirming=True)
    return Registration(reader, confirm)


def use_sign_in_link(store: Store, token: str, now: datetime) -> ReaderRecord | None:
    """The reader whose live link this is (used up); opening it proves the address."""
    reader_id = store.accounts.use_sign_in_link(token, now)
    reader = store.readers.get(reader_id=reader_id) if reader_id else None
    if reader is not None and reader.verified_at is None:
        reader = store.readers.update(reader.id, verified_at=now)
    return reader


def set_password(store: Store, reader: ReaderRecord, password: str) -> None:
    check_password(password)
    store.readers.update(reader.id, password_hash=HASHER.hash(password))
    store.accounts.end_all_sessions(reader.id)
    store.accounts.revoke_all_api_tokens(reader.id)  # a stolen password's tokens die with it


def _keys(email: str, address: str | None) -> list[str]:
    keys = [f"account:{email_key(email)}"]
    if address:
        keys.append(f"address:{address}")
    return keys


LINK_ACCOUNT_LIMIT = 3
"""Sign-in-link emails per account in ``WINDOW``: apart from password tries, so that wrong
passwords never lock the owner out of signing in by email."""
LINK_ADDRESS_LIMIT = 10
_LIMITS = {"account": ACCOUNT_LIMIT, "address": ADDRESS_LIMIT,
           "link-account": LINK_ACCOUNT_LIMIT, "link-address": LINK_ADDRESS_LIMIT}  # fmt: skip


def _take_turn(store: Store, keys: list[str], now: datetime) -> None:
    """Count this attempt under each key (recorded before it is counted, in one step, so that
    concurrent attempts cannot all pass); ``TooManyAttempts`` past a key's limit."""
    counts = store.accounts.record_attempt(keys, now, now - WINDOW)
    for key, (count, first) in counts.items():
        if count > _LIMITS[key.split(":", 1)[0]] and first is not None:
            raise TooManyAttempts(first + WINDOW - now)


def authenticate(
    store: Store, email: str, password: str, address: str | None, now: datetime
) -> ReaderRecord:
    """The reader whose email and password these are; ``AccountError`` otherwise (the same
    message whether the account exists or not), ``TooManyAttempts`` when limited."""
    _take_turn(store, _keys(email, address), now)
    reader = store.readers.get(email=email)
    stored = store.readers.password_hash(reader.id) if reader is not None else None
    try:
        HASHER.verify(stored or _DUMMY_HASH, password[:MAX_PASSWORD])
        ok = reader is not None and stored is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok or reader is None or stored is None:
        raise AccountError(
            "That email and password do not match an account.", code="wrong_password"
        )
    if reader.verified_at is None:
        raise AccountError(
            "Confirm your address first: open the link we emailed you, or ask for a new "
            "sign-in link below.",
            code="unverified",
        )
    store.accounts.clear_login_failures(_keys(email, None)[0])
    if HASHER.check_needs_rehash(stored):
        store.readers.update(reader.id, password_hash=HASHER.hash(password))
    return reader


@dataclass(frozen=True, slots=True)
class SignInLink:
    url: str
    emailed: bool


def send_sign_in_link(
    store: Store, settings: Settings, email: str, address: str | None, now: datetime
) -> SignInLink | None:
    """Email a one-time sign-in link to a reader; None when there is no such reader (the
    caller says the same thing either way). Without SMTP the link goes to the server log."""
    _take_turn(store, [f"link-{key}" for key in _keys(email, address)], now)
    reader = store.readers.get(email=email)
    if reader is None:
        return None
    return _email_link(store, settings, reader, now, LINK_LIFETIME, confirming=False)


def _email_link(
    store: Store,
    settings: Settings,
    reader: ReaderRecord,
    now: datetime,
    lifetime: timedelta,
    *,
    confirming: bool,
) -> SignInLink:
    """Email a one-time sign-in link (which also confirms the address) through the desk's
    SMTP server; without one, the link goes to the server log."""
    token = store.accounts.create_sign_in_link(reader.id, now, lifetime)
    url = f"{settings.base_url}/signin/link/{token}"
    if not settings.smtp_url:
        log.warning("no SMTP server set: sign-in link for %s: %s", reader.email, url)
        return SignInLink(url, emailed=False)
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = reader.email
    message["Message-ID"] = make_msgid("signin")
    if confirming:
        hours = int(lifetime.total_seconds() // 3600)
        message["Subject"] = "Confirm your handpicked account"
        message.set_content(
            f"Open this link to confirm your address and sign in to handpicked (it works "
            f"once, for {hours} hours):\n\n{url}\n\nIf you did not sign up, ignore this email.\n"
        )
    else:
        minutes = int(lifetime.total_seconds() // 60)
        message["Subject"] = "Your handpicked sign-in link"
        message.set_content(
            f"Open this link to sign in to handpicked (it works once, for {minutes} "
            f"minutes):\n\n{url}\n\nIf you did not ask for it, ignore this email.\n"
        )
    try:
        with SmtpSender(smtp_config(settings)) as sender:
            send_with_retries(sender, message, attempts=2, backoff_s=(1,))
    except SmtpError as error:
        log.error("could not email a sign-in link to %s: %s", reader.email, error)
        raise AccountError(
            "The sign-in email could not be sent; try again later.", code="unreachable"
        ) from error
    return SignInLink(url, emailed=True)


def authenticate_app(
    store: Store, email: str, secret: str, address: str | None, now: datetime
) -> ReaderRecord:
    """Sign-in for apps (the Google Reader API's ClientLogin): the reader's password, or one of
    their API tokens as an app password. Both count against the same limits on guessing."""
    if not secret.startswith(API_TOKEN_PREFIX):
        return authenticate(store, email, secret, address, now)
    _take_turn(store, _keys(email, address), now)
    reader = store.accounts.api_token_reader(secret[:MAX_PASSWORD], now)
    if reader is None or email_key(reader.email) != email_key(email):
        raise AccountError(
            "That email and password do not match an account.", code="wrong_password"
        )
    store.accounts.clear_login_failures(_keys(email, None)[0])
    return reader
