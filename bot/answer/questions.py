"""Reading a question: is it a follow-up, and does it ask for a duration, an order or what's next?

These are patterns of English questions, not of any one guide: the answers still come
from the passages and the roadmap facts of whatever corpus is indexed.
"""

from __future__ import annotations

import re

from bot.text import GENERIC, content_terms

DURATION = re.compile(
    r"\bhow (long|many (weeks|months|days|hours))\b|\bduration\b|\btime ?(line|frame)\b"
    r"|\bwhen (will|can|could|would) i\b|\bjob.?ready\b|\bhow (soon|quickly|fast)\b",
    re.I,
)
TOTAL = re.compile(
    r"\b(ready|total|overall|whole|entire|altogether|in all|until|till|full|end to end)\b", re.I
)
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3,
            "4th": 3, "fifth": 4, "5th": 4, "last": -1, "final": -1}
ORDINAL = re.compile(
    r"\b(first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|last|final)\s+"
    r"(thing|things|step|steps|phase|stage|part|task|move)\b"
    r"|\b(do|start|begin)\s+(first)\b|\bwhere (do|should|can) i (start|begin)\b"
    r"|\b(?:phase|stage|step) (?P<number>\d+)\b",
    re.I,
)
WEEK_NUMBER = re.compile(r"\bweek (\d+)\b", re.I)
AFTER = re.compile(r"\b(after|following|comes next after)\b", re.I)
WHICH_PHASE = re.compile(r"\b(which|what|in which) (phase|stage)\b", re.I)
NEXT = re.compile(
    r"^\W*(and\s+)?(then\s+)?(what\s+)?(comes\s+|happens\s+|do i do\s+)?"
    r"(after that|after this|afterwards|next|then what|and then)\W*$",
    re.I,
)
COUNT = re.compile(r"\bhow many (phases|stages|steps|parts)\b", re.I)
FOLLOW_UP_START = re.compile(r"^\W*(and|what about|how about|what else|also|then)\b", re.I)
def has_own_topic(question: str) -> bool:
    """Whether the question names something, beyond words like 'how long' or 'it'."""
    return any(t not in GENERIC for t in content_terms(question))


def is_follow_up(question: str) -> bool:
    """True when the question leans on the conversation for its topic."""
    return not has_own_topic(question) or bool(FOLLOW_UP_START.match(question) or NEXT.match(question))


def asks_duration(question: str) -> bool:
    return bool(DURATION.search(question))


def asks_total(question: str) -> bool:
    return bool(TOTAL.search(question))


def asks_count(question: str) -> bool:
    return bool(COUNT.search(question))


def asks_next(question: str) -> bool:
    return bool(NEXT.match(question))


def ordinal(question: str) -> int | None:
    """0 for 'first step', -1 for 'last phase', None if no order is asked for."""
    m = ORDINAL.search(question)
    if not m:
        return None
    if m.group("number"):
        return int(m.group("number")) - 1
    return ORDINALS[(m.group(1) or "first").lower()]


def week_number(question: str) -> int | None:
    """N for 'what do I do in week N?'."""
    m = WEEK_NUMBER.search(question)
    return int(m.group(1)) if m else None


def asks_after(question: str) -> bool:
    return bool(AFTER.search(question))


def asks_which_phase(question: str) -> bool:
    return bool(WHICH_PHASE.search(question))
