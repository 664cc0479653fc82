"""Who holds a piece of work: ``host:pid`` claims, so a restart can tell a dead holder's
work (take it back) from a live one's (leave it alone)."""

from __future__ import annotations

import os
import socket
from collections.abc import Callable

HOST = socket.gethostname()


def claimant() -> str:
    """This process's name in claims: ``host:pid`` (read at call time, so forks differ)."""
    return f"{HOST}:{os.getpid()}"


def process_alive(pid: int) -> bool:
    """Whether a process of this machine still runs."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, under another user
    return True


def claim_is_dead(claimed_by: str | None, host: str, is_alive: Callable[[int], bool]) -> bool:
    """Whether ``claimed_by`` names a process of ``host`` that is no longer running; a claim
    of another host, or one that is not ``host:pid``, is never taken for dead."""
    if not claimed_by:
        return False
    claim_host, _, pid = claimed_by.rpartition(":")
    return claim_host == host and pid.isdigit() and not is_alive(int(pid))
