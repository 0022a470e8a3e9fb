"""Reading a roadmap's timing, in whatever words a guide uses, as week spans.

    >>> timing("Months 2–3: SQL").first, timing("Months 2–3: SQL").last   # a month as 4 weeks here
    (2.0, 3.0)
    >>> timing("Stage one lasts six weeks and covers the code").length
    6.0

A phase states either where it falls ("Weeks 1–3", "Month 1", "Months 2-3", "Days 1–18", or dates:
"January 5 – February 1", "March – April") or how long it takes ("4 weeks- ...", "six weeks
long", "Final 4 weeks"). `resolve` turns a roadmap's phases into 1-based week spans: explicit
places are used as stated, durations follow the phase before; months become weeks by the
guide's own rule where it states one, else at 52/12 weeks a month with each month's end
rounded to a whole week (month 1 is weeks 1-4, month 2 weeks 5-9). Dates count from the first
dated phase's start: its first seven days are week 1; named months count from its month.

    >>> [(s.first_week, s.last_week) for s in resolve([timing("Jan 5 - Feb 1"), timing("February 2 to March 8")], 4)[0]]
    [(1.0, 4.0), (5.0, 9.0)]
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, replace

from bot.text import NUMBER_WORDS

NUM = r"(?:\d+(?:\.\d+)?|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
UNIT = r"(?P<unit>week|month|wk)s?"  # "3 wks": weeks
DASH = r"\s*(?:-|–|—|to|through|until)\s*"
# "Weeks 1–3", "Month 1", "Months 2-3", "Months 3 and 4", "Days 1–18": a place in the plan.
SPAN = re.compile(rf"\b(?P<unit>week|month|day)s?\s+(?P<a>{NUM})(?:(?:{DASH}|\s+(?:and|&)\s+)(?P<b>{NUM}))?\b", re.I)
# "4 weeks", "six-week", "Final 4 weeks": a length ("a week" is a rate, as in "10 hours a week").
LENGTH = re.compile(rf"\b(?P<n>{NUM})[\s-]+{UNIT}\b", re.I)
FORTNIGHT = re.compile(rf"\b(?P<n>a|{NUM})\s+fortnights?\b", re.I)  # "a fortnight": two weeks
MONTH_RULE = re.compile(rf"\b(?:a|one|each|every)\s+month\s+(?:as|is|=|means|equals|counts as)\s+"
                        rf"(?P<n>{NUM})\s+weeks\b"
                        rf"|\b(?P<m>{NUM})\s+weeks\s+(?:to|per|in)\s+(?:a|one|each|every)\s+month\b", re.I)
WEEKS_PER_MONTH = 52 / 12  # a calendar month, when the guide does not say how it counts one
MONTH_NAMES = ["january", "february", "march", "april", "may", "june", "july", "august", "september",
               "october", "november", "december"]
MONTH = r"(?:" + "|".join(f"{m[:3]}(?:{m[3:]}|\\.)?" for m in MONTH_NAMES) + r"|sept\.?)"
DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
YEAR = r"(?:,?\s+(?P<{}>(?:19|20)\d\d))?"
# "January 5", "5 Jan 2026", "2026-01-05": a day of the year.
DATE = re.compile(rf"\b(?:(?P<m1>{MONTH})\s+(?P<d1>{DAY}){YEAR.format('y1')}"
                  rf"|(?P<d2>{DAY})\s+(?P<m2>{MONTH}){YEAR.format('y2')}"
                  rf"|(?P<y3>(?:19|20)\d\d)-(?P<m3>[01]\d)-(?P<d3>[0-3]\d))\b", re.I)
DAY_AFTER_DASH = re.compile(rf"{DASH}(?P<d>{DAY}){YEAR.format('y')}\b", re.I)  # "January 5-31"
# "5–25 January": days of one month
DAYS_OF_MONTH = re.compile(rf"\b(?P<a>{DAY}){DASH}(?P<b>{DAY})\s+(?P<m>{MONTH}){YEAR.format('y')}\b", re.I)
# "January – February: ...", "April & May 2027", "March 2026": named months that open a heading.
MONTHS_SPAN = re.compile(rf"^\W*(?P<a>{MONTH})(?:\s+(?P<ya>(?:19|20)\d\d))?(?:(?:{DASH}|\s+(?:and|&)\s+)(?P<b>{MONTH})"
                         rf"(?:\s+(?P<yb>(?:19|20)\d\d))?)?(?=\s*(?:[:|(—–-]|$))", re.I)
WEEK_OF = re.compile(r"\bweek\s+(?:of|starting|beginning)\s+$", re.I)
COMMON_YEAR = 2026  # a date without a year: February has 28 days, as in most years
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
    dated: bool = False  # first and last are days ("day") or months ("month") of the calendar, not of the plan

    @property
    def is_span(self) -> bool:
        return self.first is not None


def timing(text: str) -> Timing | None:
    """The first statement of time in text, if any (a place before a length, a week or month of
    the plan before a date)."""
    span = SPAN.search(text)
    length = LENGTH.search(text)
    if span and (not length or span.start() <= length.start()):
        a = number(span["a"])
        b = number(span["b"]) if span["b"] else a
        return Timing(span.group(0), span["unit"].lower(), first=a, last=b) if b >= a else None
    if dated := dates(text):
        return dated
    if length:
        unit = length["unit"].lower()
        return Timing(length.group(0), "week" if unit == "wk" else unit, length=number(length["n"]))
    if fortnight := FORTNIGHT.search(text):
        n = 1.0 if fortnight["n"].lower() == "a" else number(fortnight["n"])
        return Timing(fortnight.group(0), "week", length=2 * n)
    return None


def month_number(name: str) -> int:
    return next(n for n, m in enumerate(MONTH_NAMES, 1) if name.lower().startswith(m[:3]))


def ordinal(year: int, month: int, day: str | int) -> int | None:
    """A day of the calendar as a proleptic ordinal; None for one that does not exist ("February 30")."""
    try:
        return dt.date(year, month, int(re.sub(r"\D", "", str(day)))).toordinal()
    except ValueError:
        return None


def day_of(found: re.Match) -> int | None:
    """The day a DATE match names (in a common year when it gives none)."""
    n = next(i for i in "123" if found[f"d{i}"])
    month = found[f"m{n}"]
    return ordinal(int(found[f"y{n}"] or COMMON_YEAR), int(month) if month.isdigit() else month_number(month),
                   found[f"d{n}"])


def day_in(text: str) -> tuple[str, int] | None:
    """The first date a text names ("on March 10"), as written and as an ordinal day."""
    found = DATE.search(text)
    day = day_of(found) if found else None
    return (found.group(0), day) if day is not None else None


# "in June", "mid-May 2027": a month of the calendar ("may" only where a time word or a year marks it one).
MONTH_NAMED = re.compile(rf"(?P<time>\b(?:in|by|of|until|before|after|during)\s+)?"
                         rf"(?P<said>(?:\b(?:early|late|mid)[\s-]+)?\b(?P<name>{MONTH})(?:\s+(?P<year>(?:19|20)\d\d))?)\b",
                         re.I)


def month_in(text: str) -> tuple[str, int, int | None] | None:
    """The first month of the calendar a text names: as written, its number, and its year if given."""
    for found in MONTH_NAMED.finditer(text):
        if found["name"].lower() != "may" or found["time"] or found["said"] != found["name"] or found["year"]:
            year = int(found["year"]) if found["year"] else None  # ("you may want" names no month)
            return found["said"], month_number(found["name"]), year
    return None


def dates(text: str) -> Timing | None:
    """The dates a text spans ("January 5 – February 1", "Jan 5-31", "5–25 January", "March – April"), if any."""
    months = MONTHS_SPAN.search(text)
    if months:
        # "April–May 2027": a year after the second month is the first's too
        a = int(months["ya"] or months["yb"] or COMMON_YEAR) * 12 + month_number(months["a"])
        b = int(months["yb"] or months["ya"] or COMMON_YEAR) * 12 + month_number(months["b"] or months["a"])
        if b < a and months["yb"] and not months["ya"]:
            a -= 12  # "November – January 2027": November 2026
        elif b < a:
            b += 12  # "November – January"
        return Timing(months.group(0).strip(" \t-–—"), "month", first=a, last=b, dated=True)
    found = DATE.search(text)
    if (days := DAYS_OF_MONTH.search(text)) and days.start() <= (found.start() if found else len(text)):
        year, month = int(days["y"] or COMMON_YEAR), month_number(days["m"])
        first, last = ordinal(year, month, days["a"]), ordinal(year, month, days["b"])
        if first is not None and last is not None and last >= first:
            return Timing(days.group(0), "day", first=float(first), last=float(last), dated=True)
    first = day_of(found) if found else None
    if first is None:
        return None
    last, end = first, found.end()
    if (dash := re.match(DASH, text[end:], re.I)) and (second := DATE.match(text, end + dash.end())):
        last, end = day_of(second) or first, second.end()
    elif (day := DAY_AFTER_DASH.match(text, end)) and found["m1"]:  # "January 5-31"
        start = dt.date.fromordinal(first)
        last, end = ordinal(int(day["y"] or start.year), start.month, day["d"]) or first, day.end()
    while last < first:  # "December 1 – January 15": the second date's year is not given
        last += a_year(last)
    start = found.start()
    if last == first and (week := WEEK_OF.search(text[:start])):  # "Week of March 2": seven days
        last, start = first + 6, week.start()
    return Timing(text[start:end], "day", first=float(first), last=float(last), dated=True)


def month_rule(text: str) -> float | None:
    """The weeks a guide counts to the month, if it says ("we count a month as four weeks",
    "assumes four weeks to a month")."""
    found = MONTH_RULE.search(text)
    weeks = number(found["n"] or found["m"]) if found else None
    return weeks if weeks is not None and 4 <= weeks <= 5 else None  # not "2 weeks per month of leave"


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


def in_sequence(spans: list[Span]) -> bool:
    """Whether there are spans and each starts later than the one before it: phases, not items
    scheduled side by side (two "Weeks 1-3" rows of a table of costs). A plan in days may start
    a phase in the week the one before it ends."""
    return bool(spans) and all(b.first_week > a.first_week for a, b in zip(spans, spans[1:], strict=False))


def resolve(timings: list[Timing], weeks_per_month: float) -> tuple[list[Span], list[str]]:
    """Week spans for a roadmap's phases in order, and notes on gaps and overlaps between them."""
    spans: list[Span] = []
    notes: list[str] = []
    done = 0.0  # weeks covered so far
    for n, t in enumerate(in_plan(timings), 1):
        months = t.unit == "month"
        if not t.is_span:
            first = done + 1
            last = month_end(done / weeks_per_month + t.length, weeks_per_month) if months else done + t.length
        elif t.unit == "day":  # days from the plan's first: days 0-6 are week 1
            first, last = float(t.first // 7 + 1), float(math.ceil((t.last + 1) / 7))
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


def in_plan(timings: list[Timing]) -> list[Timing]:
    """Dated timings counted from the first of their kind: days from the first day (day 0),
    months from the first month (month 1); a date before the one above it is a year later.
    Days of the plan ("Days 1–18") count from day 0 too."""
    origin: dict[str, float] = {}
    previous: dict[str, float] = {}
    out = []
    for t in timings:
        if t.dated:
            if t.first < previous.get(t.unit, t.first):  # "November 2 - ...", then "January 4 - ..."
                year = 12 if t.unit == "month" else a_year(int(t.first))
                t = replace(t, first=t.first + year, last=t.last + year)
            previous[t.unit] = t.first
            shift = origin.setdefault(t.unit, t.first) - (t.unit == "month")
            t = replace(t, first=t.first - shift, last=t.last - shift, dated=False)
        elif t.unit == "day" and t.is_span:
            t = replace(t, first=t.first - 1, last=t.last - 1)
        out.append(t)
    return out


def a_year(day: int) -> int:
    """The days from a day to the same day a year later."""
    date = dt.date.fromordinal(day)
    return ordinal(date.year + 1, date.month, min(date.day, 28)) - ordinal(date.year, date.month, min(date.day, 28))
