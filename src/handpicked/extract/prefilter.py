"""A C-speed test that lets a case-insensitive regex skip text it cannot match.

The engine runs several ``re.I`` patterns over the class names or the text of thousands of
elements per page ("caption", "pull-quote", "originally published in"), and almost none
match. Every match of each of those patterns contains one of a few literal words; a substring
test for them on the lower-cased text is many times cheaper than the regex, which then runs
only where a word is present. The answer is the same, not an approximation: the regex still
decides.
"""

from __future__ import annotations

import re

# The only characters that Python's case-insensitive matching pairs with an ASCII letter but
# that str.lower() does not turn into it: dotless i, long s, dotted capital I, Kelvin sign.
_UNUSUAL_FOLDS = re.compile("[\u0130\u0131\u017f\u212a]")


def may_contain(text: str, words: tuple[str, ...]) -> bool:
    """Whether ``text`` may hold, in any letter case, one of ``words`` (lower-case ASCII).

    False only where a case-insensitive regex whose every match holds one of ``words`` cannot
    match ``text``."""
    if not text.isascii() and _UNUSUAL_FOLDS.search(text):
        return True
    lowered = text.lower()
    return any(map(lowered.__contains__, words))  # map: no Python frame per word


__all__ = ["may_contain"]
