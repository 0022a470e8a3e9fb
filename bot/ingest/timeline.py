"""Reading a roadmap's timing, in whatever words a guide uses, as week spans.

    >>> timing("Months 2–3: SQL").first, timing("Months 2–3: SQL").last   # a month as 4 weeks here
    (2.0, 3.0)
    >>> timing("Stage one lasts six weeks and covers the code").length
    6.0

A phase states either where it falls ("Weeks 1–3", "Month 1", "Months 2-3") or how long it
takes ("4 weeks- ...", "six weeks long", "Final 4 weeks"). `resolve` turns a roadmap's phases
into 1-based week spans: explicit places are used as stated, durations follow the phase
before; months become weeks by the guide's own rule where it states one, else at 52/12 weeks
a month with each month's end rounded to a whole week (month 1 is weeks 1-4, month 2 weeks 5-9).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from bot.text import NUMBER_WORDS

NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
UNIT = r"(?P<unit>week|month)s?"
DASH = r"\s*(?:-|–|—|to|through|until)\s*"
# "Weeks 1–3", "Month 1", "Months 2-3": a place in the plan.
SPAN = re.compile(rf"\b{UNIT}\s+(?P<a>{NUM})(?:{DASH}(?P<b>{NUM}))?\b", re.I)
# "4 weeks", "six-week", "Final 4 weeks": a length ("a week" is a rate, as in "10 hours a week").
LENGTH = re.compile(rf"\b(?P<n>{NUM})[\s-]+{UNIT}\b", re.I)
MONTH_RULE = re.compile(rf"\b(?:a|one|each|every)\s+month\s+(?:as|is|=|means|equals|counts as)\s+"
                        rf"(?P<n>{NUM})\s+weeks\b", re.I)
WEEKS_PER_MONTH = 52 / 12  # a calendar month, when the guide does not say how it counts one
TITLE_CLAIM = re.compile(rf"\b(?P<n>{NUM})[\s-]+(?P<unit>week|month)s?\b", re.I)


def number(word: str) -> float:
    word = word.lower()
    return float(NUMBER_WORDS[word]) if word in NUMBER_WORDS else float(word)


@dataclass(frozen=True)
class Timing:
    """What one phase states about its time, in its own unit (weeks or months)."""

    text: str  # the words that state it, as written
    unit: str  # "week" or "month"
    first: float | None = None  # where it starts, when it says ("Weeks 5-8": 5)
    last: float | None = None  # where it ends ("Weeks 5-8": 8)
    length: float | None = None  # how long, when it says only that

    @property
    def is_span(self) -> bool:
        return self.first is not None


def timing(text: str) -> Timing | None:
    """The first statement of time in text, if any (a place before a length)."""
    span = SPAN.search(text)
    length = LENGTH.search(text)
    if span and (not length or span.start() <= length.start()):
        a = number(span["a"])
        b = number(span["b"]) if span["b"] else a
        return Timing(span.group(0), span["unit"].lower(), first=a, last=b) if b >= a else None
    if length:
        return Timing(length.group(0), length["unit"].lower(), length=number(length["n"]))
    return None


def month_rule(text: str) -> float | None:
    """The weeks a guide counts to the month, if it says ("we count a month as four weeks")."""
    found = MONTH_RULE.search(text)
    return number(found["n"]) if found else None


def title_claim(title: str) -> str | None:
    """The length a title promises: "4-Month", "16 Weeks", "6-Month"."""
    found = TITLE_CLAIM.search(title)
    return found.group(0) if found else None


def claim_weeks(claim: str, weeks_per_month: float) -> float:
    found = TITLE_CLAIM.search(claim)
    n = number(found["n"])
    return n * weeks_per_month if found["unit"].lower() == "month" else n


def month_end(months: float, weeks_per_month: float) -> float:
    """The week in which the plan's first `months` months end, to the nearest whole week."""
    return float(math.floor(months * weeks_per_month + 0.5))


@dataclass(frozen=True)
class Span:
    """A phase's place in the plan, in 1-based weeks."""

    first_week: float
    last_week: float

    @property
    def weeks(self) -> float:
        return self.last_week - self.first_week + 1


def resolve(timings: list[Timing], weeks_per_month: float) -> tuple[list[Span], list[str]]:
    """Week spans for a roadmap's phases in order, and notes on gaps and overlaps between them."""
    spans: list[Span] = []
    notes: list[str] = []
    done = 0.0  # weeks covered so far
    for n, t in enumerate(timings, 1):
        months = t.unit == "month"
        if not t.is_span:
            first = done + 1
            last = month_end(done / weeks_per_month + t.length, weeks_per_month) if months else done + t.length
        else:
            first, last = t.first, t.last
            if months:
                first, last = month_end(first - 1, weeks_per_month) + 1, month_end(last, weeks_per_month)
            if first > done + 1:
                notes.append(f"weeks {done + 1:g}-{first - 1:g} (before phase {n}) belong to no phase")
            elif first <= done:
                notes.append(f"phase {n} starts in week {first:g}, inside the phase before it")
        spans.append(Span(first, last))
        done = max(done, last)
    return spans, notes
