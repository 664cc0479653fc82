"""``host:pid`` claims: only a dead process of this host gives up its work."""

from __future__ import annotations

import pytest

from handpicked.claims import claim_is_dead


@pytest.mark.parametrize(
    ("claim", "dead"),
    [
        ("here:41", True),  # this host, a process that is gone
        ("here:42", False),  # this host, alive
        ("there:41", False),  # another host: nothing here can tell
        ("here:x", False),  # not a pid
        ("", False),
        (None, False),
        ("here:with:colons:41", False),  # a host name is never taken apart
    ],
)
def test_a_claim_is_dead_only_when_its_process_on_this_host_is(
    claim: str | None, dead: bool
) -> None:
    assert claim_is_dead(claim, "here", lambda pid: pid == 42) is dead
