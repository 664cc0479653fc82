"""Who holds a piece of work: ``host:pid`` claims, so a restart can tell a dead holder's
work (take it back) from a live one's (leave it alone)."""

from __future__ import annotations

import os
import socket

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
