"""Email addresses as one account: the form a reader's address is stored and looked up in."""

from __future__ import annotations


def normal_email(email: str) -> str:
    """``email`` trimmed, its domain lower-cased and without a final dot: "Ann@Example.COM."
    and "Ann@example.com" are one address (the local part keeps its case, as sent)."""
    local, at, domain = email.strip().rpartition("@")
    if not at:
        return email.strip()
    return f"{local}@{domain.lower().rstrip('.')}"


def email_key(email: str) -> str:
    """What two addresses of one account share (lookups and limits ignore case throughout)."""
    return normal_email(email).lower()
