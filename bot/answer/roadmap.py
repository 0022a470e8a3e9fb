"""Roadmap facts: the phases a guide lays out, with their week spans, read from chunk metadata.

Ingest marks each phase chunk with its name, its stated time and its place in weeks (see
ingest.timeline); this module puts them back together so that totals are computed, never
guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from langchain_core.documents import Document

from bot.answer.entities import numbers
from bot.answer.sections import within
from bot.ingest.timeline import (
    DASH,
    MONTH_NAMES,
    NUM,
    WEEKS_PER_MONTH,
    Timing,
    a_year,
    claim_weeks,
    dates,
    day_in,
    month_in,
    month_rule,
    number,
    timing,
    title_claim,
)
from bot.schema import ChunkMeta
from bot.text import SEP, sentences, units

# "8 to 10 hours a week", "about 8 hours of study a week", "10 hrs/week": what the plan asks for.
WEEKLY_HOURS = re.compile(rf"\b(?P<a>{NUM})(?:{DASH}(?P<b>{NUM}))?\s+(?:hours?|hrs?)(?:\s+of\s+\w+)?"
                          r"\s*(?:a|per|each|every|/)\s*week\b", re.I)
# "90 minutes a day, six days a week", "2 hours a day on 5 days a week": the same, said by the day.
DAILY_HOURS = re.compile(rf"\b(?P<a>{NUM})(?:{DASH}(?P<b>{NUM}))?\s+(?P<unit>minutes?|mins?|hours?|hrs?)"
                         rf"(?:\s+of\s+\w+)?\s+(?:a|per|each|every)\s+day\b[^.;]{{0,20}}?\b(?P<days>{NUM})\s+days\s+"
                         r"(?:a|per|each|every|of the)\s+week\b", re.I)


# "two 3-hour weeknight sessions", "one 6-hour weekend block", "three sessions of 2 hours": a week's
# study told as its sittings
SITTINGS = re.compile(rf"\b(?P<n>{NUM}|an?)\s+(?:(?P<h>{NUM})-hours?\s+(?:\w+\s+){{0,2}}?(?:sessions?|blocks?)|"
                      rf"(?:\w+\s+){{0,2}}?(?:sessions?|blocks?)\s+of\s+(?P<g>{NUM})\s+hours?)\b", re.I)
# "1 hour each weeknight and 4 hours on Saturday": five weeknights, and the weekend's hours said apart.
NIGHTLY = re.compile(rf"\b(?P<a>{NUM}|an?)\s+hours?\s+(?:each|every|a|per)\s+weeknight\b", re.I)
WEEKEND_HOURS = re.compile(rf"\b(?P<a>{NUM})\s+hours?\s+(?:on|each|every)\s+(?:saturday|sunday|weekend day)s?\b",
                           re.I)
WEEKNIGHTS = 5
# "$28 an hour, about 60 hours a week": hours of paid work, not of study
WAGE = re.compile(r"[$€£]\s?\d[\d.,]*\s*(?:an|per|/|a)\s*(?:hour|hr)\b", re.I)
WEEK_WORDS = re.compile(r"\bweek(?:s|night|nights|end|ends|day|days)?\b", re.I)


def weekly_hours(text: str) -> tuple[float, float] | None:
    """The hours a week a text first asks for ("8 to 10 hours a week", "about 8 hours of study a
    week", or by the day: "90 minutes a day, six days a week" is 9; or by its sittings, two or
    more kinds in a sentence on the week: "two 3-hour weeknight sessions and one 6-hour weekend
    block" is 12; "1 hour each weeknight and 4 hours on Saturday" is 9), fewest and most; not
    in a sentence giving an hourly wage ("$28 an hour, about 60 hours a week")."""
    if WAGE.search(text):
        text = " ".join(s for s in sentences(text) if not WAGE.search(s))
    if found := WEEKLY_HOURS.search(text):
        low = number(found["a"])
        return low, number(found["b"]) if found["b"] else low
    if found := DAILY_HOURS.search(text):
        scale = number(found["days"]) / (60 if found["unit"].lower().startswith("min") else 1)
        low = number(found["a"])
        return low * scale, (number(found["b"]) if found["b"] else low) * scale
    if nightly := NIGHTLY.search(text):
        each = 1.0 if nightly["a"].lower() in ("a", "an") else number(nightly["a"])
        said = next((s for s in sentences(text) if nightly.group(0) in s), text)
        hours = WEEKNIGHTS * each + sum(number(m["a"]) for m in WEEKEND_HOURS.finditer(said))
        return hours, hours
    if len(SITTINGS.findall(text)) < 2:
        return None
    for sentence in sentences(text):
        sittings = list(SITTINGS.finditer(sentence))
        if len(sittings) >= 2 and WEEK_WORDS.search(sentence):
            hours = sum((1.0 if s["n"].lower() in ("a", "an") else number(s["n"].lower())) * number(
                (s["h"] or s["g"]).lower()) for s in sittings)
            return hours, hours
    return None


def less_weekly_hours(text: str) -> str:
    """text less its hours a week, said in any of the ways weekly_hours reads: a rate, not a length."""
    return WEEKEND_HOURS.sub("", NIGHTLY.sub("", WEEKLY_HOURS.sub("", text)))


ASKS_WEEKLY = re.compile(r"\b(?:hours?|hrs?|time)\b.*\b(?:a|per|each|every)\s+week\b|\bweekly\b", re.I)


def weekly_reply(question: str, quoted: list[str]) -> str:
    """A first line giving the hours a week asked for, where the quoted units say them by the
    day ("90 minutes a day, six days a week": about 9 hours a week); "" otherwise."""
    said = " ".join(quoted)
    if not ASKS_WEEKLY.search(question) or WEEKLY_HOURS.search(said) or not (rate := weekly_hours(said)):
        return ""
    return f"About {' to '.join(f'{n:g}' for n in dict.fromkeys(rate))} hours a week."


def title_document(doc: Document) -> Document | None:
    """The title line of the guide a passage comes from, as a citable passage."""
    meta = ChunkMeta.of(doc)
    if not meta.title:
        return None
    return Document(id=f"title:{meta.source}", page_content=meta.title,
                    metadata=ChunkMeta(source=meta.source, section=meta.title, kind="title").to_metadata())


def quoted_units(doc: Document, fact: str = "") -> list[str]:
    """What a computed fact quotes of a passage it rests on: the sentence stating the month
    rule, if the passage states it, else the sentences and bullets giving a figure the fact
    uses ("The exam costs $165."), else its first."""
    found = units(doc.page_content)
    rule = [u for u in found if month_rule(u)]
    figures = numbers(fact)
    giving = [u for u in found if numbers(u) & figures]
    return rule[:1] or giving or found[:1] or [doc.page_content]


def weeks_text(n: float) -> str:
    """"1 week", "3 weeks", "2.5 weeks"."""
    return f"{n:g} week{'s' if n != 1 else ''}"


def days_text(n: float) -> str:
    return f"{n:g} day{'s' if n != 1 else ''}"


def weeks_span(first: float, last: float) -> str:
    """"weeks 5-10", or "week 15" for a phase of one week."""
    return f"week {first:g}" if first == last else f"weeks {first:g}-{last:g}"


@dataclass
class Phase:
    name: str
    duration: str  # the words that state its time, as written
    weeks: float
    start_week: float  # weeks done before this phase
    doc: Document

    @property
    def label(self) -> str:
        return f"{self.name} ({self.length})"

    @cached_property
    def stated(self) -> Timing | None:
        """What its duration words state, read once."""
        return timing(self.duration)

    @property
    def days(self) -> tuple[float, float] | None:
        """The days of the plan the phase takes, if the guide counts it in days ("Days 41–75": (41, 75))."""
        stated = self.stated
        if stated is None or stated.unit != "day" or stated.dated or not stated.is_span:
            return None
        return stated.first, stated.last

    @property
    def size(self) -> float:
        """How long it takes, in days for a phase the guide counts in days, else in weeks."""
        return self.days[1] - self.days[0] + 1 if self.days else self.weeks

    @property
    def length(self) -> str:
        """"35 days" for a phase the guide counts in days, else "5 weeks"."""
        return days_text(self.size) if self.days else weeks_text(self.weeks)

    @property
    def months(self) -> float | None:
        """How many months the phase takes, if the guide states it in months ("Months 2-3": 2)."""
        stated = self.stated
        if stated is None or stated.unit != "month":
            return None
        return stated.last - stated.first + 1 if stated.is_span else stated.length

    @cached_property
    def calendar(self) -> Timing | None:
        """The phase's days or months of the calendar, if the guide dates it ("March 9 – April 19"),
        where it states its time or in its heading ("Weeks 18–20 (May 3 – May 23): Practice")."""
        stated = self.stated
        return stated if stated is not None and stated.dated else dates(ChunkMeta.of(self.doc).heading)

    @property
    def month_names(self) -> list[str]:
        """The months of the calendar the phase takes, if the guide dates it by month ("April & May 2027")."""
        span = self.calendar
        if span is None or span.unit != "month":
            return []
        return [MONTH_NAMES[(m - 1) % 12] for m in range(int(span.first), int(span.last) + 1)]

    @property
    def dates(self) -> str:
        return self.calendar.text if self.calendar else ""

    @property
    def section(self) -> str:
        """The phase's section path, for its citation."""
        return ChunkMeta.of(self.doc).section

    @property
    def source(self) -> str:
        return ChunkMeta.of(self.doc).source

    @property
    def first_week(self) -> float:
        return self.start_week + 1

    @property
    def last_week(self) -> float:
        return self.start_week + self.weeks

    @property
    def span(self) -> str:
        """"weeks 5-10" (or "days 41-75"): where the phase falls in the roadmap."""
        if self.days:
            return "days {:g}-{:g}".format(*self.days)
        return weeks_span(self.first_week, self.last_week)

    @property
    def placed(self) -> str:
        """"weeks 5-9, Feb 2 – March 8": its weeks, and its dates if the guide dates it."""
        return f"{self.span}, {self.dates}" if self.dates else self.span


@dataclass
class Roadmap:
    """The phases of one roadmap section, in order, and the guide's own framing of its length."""

    section: str
    phases: list[Phase]
    title_doc: Document | None
    weeks_per_month: float = WEEKS_PER_MONTH
    month_rule_stated: bool = False
    rule_doc: Document | None = None  # the passage saying how many weeks the guide counts to a month

    def counted_from_months(self, phases: list[Phase]) -> list[Document]:
        """The passage stating the guide's month rule, if these phases' weeks come from months
        through it (an answer in weeks rests on it, so cites it); else nothing."""
        months = any(p.months is not None for p in phases)
        return [self.rule_doc] if months and self.rule_doc is not None else []

    @property
    def total_weeks(self) -> float:
        return max((p.last_week for p in self.phases), default=0.0)

    @property
    def total_days(self) -> float | None:
        """The plan's last day, if the guide counts every phase in days."""
        return self.phases[-1].days[1] if all(p.days for p in self.phases) else None

    def amount(self, n: float) -> str:
        """n phase sizes added or compared, in the plan's unit: "40 days", "7 weeks"."""
        return days_text(n) if self.total_days else weeks_text(n)

    def phase_on_day(self, day: float) -> Phase | None:
        return next((p for p in self.phases if p.days and p.days[0] <= day <= p.days[1]), None)

    def phase_in(self, slot: tuple[str, float] | None) -> Phase | None:
        """The phase a week or a day of the plan falls in: ("week", 8), ("day", 50)."""
        unit, n = slot or ("", 0.0)
        return self.phase_at(n) if unit == "week" else self.phase_on_day(n) if unit == "day" else None

    @property
    def framing(self) -> str | None:
        """A length the guide's title claims (e.g. '4-Month'), if any."""
        return title_claim(self.title_doc.page_content) if self.title_doc is not None else None

    @property
    def framing_weeks(self) -> float | None:
        return claim_weeks(self.framing, self.weeks_per_month) if self.framing else None

    def in_months(self, weeks: float) -> float:
        return weeks / self.weeks_per_month

    @property
    def month_rule(self) -> str:
        """How months and weeks were converted, said plainly."""
        if self.month_rule_stated:
            return f"counting a month as {self.weeks_per_month:g} weeks, as the guide does"
        return "counting a month as 52/12 weeks"

    @classmethod
    def from_documents(cls, documents: list[Document]) -> Roadmap | None:
        """The roadmap among the passages whose phases run longest (then: the most phases), as
        Guide.roadmap chooses it, or None if there is none."""
        groups: dict[tuple[str, str], list[tuple[ChunkMeta, Document]]] = {}
        for doc in documents:
            meta = ChunkMeta.of(doc)
            if meta.weeks is not None:
                groups.setdefault((meta.source, meta.parent), []).append((meta, doc))
        if not groups:
            return None

        def reach(group: list[tuple[ChunkMeta, Document]]) -> tuple[float, int]:
            return max((meta.first_week or 1.0) - 1 + float(meta.weeks) for meta, _ in group), len(group)

        (source, section), docs = max(groups.items(), key=lambda kv: reach(kv[1]))
        seen: set[str] = set()
        phases = []
        for meta, doc in sorted(docs, key=lambda md: md[0].position):
            if meta.heading in seen:  # a long phase split over several chunks
                continue
            seen.add(meta.heading)
            first = meta.first_week if meta.first_week is not None else 1.0
            phases.append(Phase(meta.phase or meta.heading, meta.duration, float(meta.weeks), first - 1, doc))
        rule = ChunkMeta.of(phases[0].doc).month_weeks
        stating = next((d for d in documents if rule is not None and ChunkMeta.of(d).source == source
                        and month_rule(d.page_content)), None)
        return cls(section=section, phases=phases, title_doc=title_document(phases[0].doc),
                   weeks_per_month=rule or WEEKS_PER_MONTH, month_rule_stated=rule is not None, rule_doc=stating)

    def phase_at(self, week: float) -> Phase | None:
        """The phase that week N (1-based) falls in."""
        return next((p for p in self.phases if p.start_week < week <= p.start_week + p.weeks), None)

    @property
    def dates(self) -> str:
        """The days the plan runs, if the guide dates its phases by day ("September 14 to February 28")."""
        first, last = self.phases[0].calendar, self.phases[-1].calendar
        if not (first and last and first.unit == last.unit == "day"):
            return ""
        start, end = (date.fromordinal(int(d)) for d in (first.first, last.last))
        return f"{start:%B} {start.day} to {end:%B} {end.day}"

    def week_on(self, question: str) -> tuple[str, float] | None:
        """The date a question names and the week of the plan it falls in, if the roadmap is
        dated by day ("It's March 10: which phase?" -> ("March 10", 10))."""
        start, named = self.phases[0].calendar, day_in(question)
        if start is not None and start.unit == "month":
            return self.week_in_month(question)
        if start is None or start.unit != "day" or named is None:
            return None
        said, day = named
        if day < start.first:  # "January 10" in a plan that starts in November
            day += a_year(day)
        return said, float((day - start.first) // 7 + 1)

    def week_in_month(self, question: str) -> tuple[str, float] | None:
        """The month a question names and the week of the plan it falls in, if the roadmap is dated
        by month ("It's mid-May 2027: which stage?" in a plan of "April–May 2027", ... -> its weeks)."""
        named, start = month_in(question), self.phases[0].calendar
        if named is None or start is None:
            return None
        said, month, year = named
        asked = year * 12 + month if year else start.first + (month - start.first) % 12  # no year: the next one
        for phase in self.phases:
            span = phase.calendar
            if span is not None and span.first <= asked <= span.last:  # its months share its weeks
                return said, phase.start_week + 1 + (asked - span.first) * phase.weeks // (span.last - span.first + 1)
        return (said, self.total_weeks + 1) if asked > start.first else None

    def holds(self, doc: Document) -> bool:
        """Whether doc is the roadmap's section or a part of it (not "Your Roadmap FAQ" beside "Your Roadmap")."""
        section = ChunkMeta.of(doc).section
        return section == self.section or section.startswith(self.section + SEP)

    def phase_of(self, doc: Document) -> Phase | None:
        heading = ChunkMeta.of(doc).heading
        return next((p for p in self.phases if ChunkMeta.of(p.doc).heading == heading), None)

    def phase_holding(self, doc: Document) -> Phase | None:
        """The phase a passage is or is a part of ("Month 7" under "Q3 — Months 7–9")."""
        return self.phase_of(doc) or next((p for p in self.phases if within(doc, {ChunkMeta.of(p.doc).section})), None)
