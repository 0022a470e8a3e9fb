"""One small handler per intent: fill the intent's slots from the guide's outline and the
conversation, and say how to answer. A handler that cannot fill its slots returns None and
the question is answered as a plain passage question instead.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from langchain_core.documents import Document

from bot.answer import questions as q
from bot.answer.costs import on_cost_sum
from bot.answer.entities import names
from bot.answer.evidence import ASKS_MONEY, judged, paragraphs, passage_units, sides, unknown_names
from bot.answer.intents import Intent
from bot.answer.roadmap import ASKS_WEEKLY, WEEKLY_HOURS, Phase, days_text, less_weekly_hours, weekly_hours
from bot.answer.roadmap import weeks_text as weeks
from bot.ingest.timeline import NUM, month_end, number
from bot.retrieval import HEADING_NAMED
from bot.schema import ChunkMeta, Plan, Request, Scores
from bot.text import (
    EVALUATIVE_WORDS,
    MOVE_WORDS,
    NUMBER_WORDS,
    SEP,
    content_terms,
    last_user_turn,
    opening,
    topical_terms,
)

if TYPE_CHECKING:
    from bot.answer.planner import Planner

Handler = Callable[["Planner", Request, "Document | None"], "Request | None"]
COVERED = 0.5  # share (by idf) of a question's words a passage holds for it to cover the question
ONE_THING = 0.6  # share of an answer's words one line of a phase holds for the answer to name one thing in it
GOES_ON = 2  # words of that thing a later phase's line names for the thing to go on there
# Words asking for the section before or after another, not for a thing in it.
STEPPING = frozenset(content_terms("come comes coming next follow follows following precede precedes preceding "
                                   "previous prior earlier later happen happens done finish finished right current "
                                   "last back move ok okay pls one"))
FROM_WEEK = re.compile(rf"\b(?:from|after|starting(?: in)?)\s+week\s+(?P<n>{NUM})\b", re.I)  # "then 10 from week 8"
RATE_CLAUSE = re.compile(r"[,;\n]|\.\s|\band\b")  # "8 hours a week in Q1, 10 in Q2 and 12 in Q3": a rate a clause
LOW_END = re.compile(r"\b(?:low(?:er)?|bottom) end\b|\b(?:minimum|min|at least|fewest)\b", re.I)
HIGH_END = re.compile(r"\b(?:high(?:er)?|top|upper) end\b|\b(?:maximum|max|at most)\b", re.I)
ASKS_SUM = re.compile(r"\b(?:total|in all|altogether|all told|overall|sum|add(?:s|ed)? up|combined|whole|entire)\b",
                      re.I)
EVERY = re.compile(rf"\bevery\s+(?:{NUM}\s+)?(?:second|minute|hour|day|week|month|year)s?\b", re.I)  # how often
SIZED = re.compile(rf"\b{NUM}[\s-]+(?:pages?|words?|slides?)\b", re.I)  # "a PDF of about 15 pages": a thing's length
OPENING_CLAUSE = re.compile(r"[,:;(]|\s[—–-]\s")  # "Phase 3 is Databases and Web Maps (4 weeks) [1]: ..."
# What a summary may be asked to fit: "in a couple of lines", "in three bullets".
SUMMARY_SHAPES = set(content_terms("line lines sentence sentences bullet bullets point points paragraph paragraphs "
                                   "word words couple few short brief list"))


def phase_slot(planner: Planner, request: Request, topic: Document | None, length: bool = False) -> Phase | None:
    """The one phase a question is about: named, by order, by a week or day in it, the
    conversation's, or the best phase among the passages the question retrieves (asked its
    `length`, unless the passage gives the length of the thing asked about)."""
    roadmap = planner.roadmap
    if roadmap is None:
        return None
    named = phase_named(planner, request.question)
    if named is None and topic is not None:
        named = roadmap.phase_of(topic)
    if named is None and q.has_own_topic(request.question):  # the top passage, if it is a phase
        ranked = planner.retriever.search(request.standalone, 1)
        if ranked and not (length and states_its_length(planner, request.question, ranked[0])):
            named = roadmap.phase_of(ranked[0])
    return named


def phase_named(planner: Planner, question: str) -> Phase | None:
    """The phase a question names itself: by name, by order, or by a week or day in it ("I'm on
    day 50: when does it end?")."""
    roadmap = planner.roadmap
    named = planner.named_phase(question) or planner.named_phase(question, partly=True)
    positions = q.phase_positions(question, len(roadmap.phases))
    if named is None and len(positions) == 1:
        named = roadmap.phases[positions[0]]
    return named or roadmap.phase_in(q.week_or_month(question))


def states_its_length(planner: Planner, question: str, doc: Document, besides: str = "") -> bool:
    """Whether a sentence of the passage gives a length ("a 14-day Zendesk free trial", not a
    rate) and most of the question's words (less those of besides, a phase's name): "how long is
    the Zendesk trial?" asks of that, not of its phase."""
    asked = topical_terms(question) - set(content_terms(besides))
    if not asked:
        return False
    idf = planner.retriever.idf
    total = sum(map(idf, asked)) or 1.0
    return any(q.LASTS.search(less_weekly_hours(unit))  # "8 hours a week" is a rate, not a length
               and sum(map(idf, asked & set(content_terms(unit)))) / total >= COVERED for unit in passage_units(doc))


def length_of_thing_said(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    """The length the guide gives the one thing the last answer named, when the question points
    back at it and a paragraph holds most of the words of the answer's first sentence, which names
    it (the topic's, else one the answer retrieves): "how long does each take?" after "Four free
    FEMA courses: IS-100.c, ..." quotes "... the four foundation courses: IS-100.c, ... They are
    free, online and take 2 to 4 hours each"; "how long should it be?" after a binder, "a single
    PDF of about 15 pages". Where no paragraph naming it gives a length, and no passage gives one
    beside one of its names, the guide does not say. None if none names it, if the question names
    a part of the plan ("that phase", "the whole plan"), or after an answer opening on a phase or
    one to "what happens in the X phase?": the length asked is the phase's."""
    named = topical_terms(opening(request.said)) or topical_terms(request.said)
    if (not named or not q.points_back(request.question) or q.PLAN_WORDS.search(request.question)
            or planner.named_phase(request.question, partly=True)
            or planner.named_phases(OPENING_CLAUSE.split(request.said, maxsplit=1)[0])
            or planner.phase_asked_for(last_user_turn(request.history)[0] or "")):
        return None
    docs = [topic] if topic is not None else []
    docs += planner.retriever.search(request.said, planner.settings.k)
    found = [(len(named & topical_terms(" ".join(line))), doc, line) for doc in docs for line in paragraphs(doc)]
    naming = [(doc, line) for held, doc, line in sorted(found, key=lambda f: -f[0]) if held >= ONE_THING * len(named)]
    for doc, line in naming:  # the most-naming first; in it, the length said with the thing or after it
        held = [len(named & topical_terms(u)) for u in line]
        title = titled(doc, named)
        start = 0 if title else held.index(max(held))
        lasting = next((i for i, u in enumerate(line[start:], start) if lasts(u)),
                       next((i for i, u in enumerate(line[start:], start) if SIZED.search(u)), None))
        if lasting is not None:
            return fact(request, title + " ".join(line[start:lasting + 1]).rstrip("."), [doc])
    if naming and not length_by_name(planner, request):  # the guide gives the thing no length, nor the roadmap's
        doc, line = naming[0]
        quote = titled(doc, named) + max(line, key=lambda u: len(named & topical_terms(u))).rstrip(".")
        return fact(request, f"The guide doesn't say how long that takes; it says only: {quote}", [doc])
    return None


def lasts(unit: str) -> bool:
    """Whether a sentence gives a length ("a 14-day trial"), not a rate ("8 hours a week") nor how often."""
    return bool(q.LASTS.search(EVERY.sub("", less_weekly_hours(unit))))


def titled(doc: Document, named: set[str]) -> str:
    """"SQL for Utility Data: " when the answer names a passage's heading whole: all of it is about
    that thing, and its name heads what is quoted of it; else ""."""
    heading = ChunkMeta.of(doc).heading
    return f"{heading}: " if topical_terms(heading) and topical_terms(heading) <= named else ""


def length_by_name(planner: Planner, request: Request) -> bool:
    """Whether a passage the question retrieves gives a length (not a rate, nor how often) in a
    sentence with a name the last answer's first sentence uses: "The AAPC Certified Professional
    Coder (CPC) credential ..." -> "how long does that exam take?": "the AAPC practice exam ... 4 hours"."""
    named = {t for _, rest in names(opening(request.said)) for t in content_terms(rest)}
    found = planner.retriever.search(request.standalone, planner.settings.k)
    return any(named & set(content_terms(unit)) and lasts(unit) for doc in found for unit in passage_units(doc))


def phases_slot(planner: Planner, request: Request, topic: Document | None) -> list[Phase]:
    """The phases a question names, in roadmap order: by position ("the first two"), by name (or,
    short of two, by words each name alone has), and the conversation's phase with its neighbour
    ("and the one before it")."""
    roadmap = planner.roadmap
    picked = [roadmap.phases[i] for i in q.phase_positions(request.question, len(roadmap.phases))]
    picked += planner.named_phases(request.question)
    if len(picked) < 2 and len(touched := planner.phases_touched(request.question)) >= 2:
        picked += touched  # "ICD-10 and CPT/HCPCS combined?": each named by a word its name alone has
    current = roadmap.phase_of(topic) if topic is not None else None
    if current is not None:
        i = roadmap.phases.index(current)
        neighbour = i - 1 if q.asks_before(request.question) else i + 1
        picked += [current] + ([roadmap.phases[neighbour]] if 0 <= neighbour < len(roadmap.phases) else [])
    return sorted({id(p): p for p in picked}.values(), key=roadmap.phases.index)


def fact(request: Request, lead: str, docs: list[Document]) -> Request:
    unique = list({d.id: d for d in docs}.values())
    return replace(request, plan=Plan.FACT, lead=lead, focus=unique[0] if unique else None,
                   passages=unique or request.passages)


def as_stated(phases: list[Phase]) -> str:
    """" (4 months as the guide states them)" if the guide states each of these phases in months."""
    months = [p.months for p in phases]
    if not phases or None in months:
        return ""
    return f" ({sum(months):g} month{'s' if sum(months) != 1 else ''} as the guide states them)"


def on_total(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    if planner.roadmap is None or q.counts_other(request.question):
        return None  # "how many hours of study does the exam take?" is no length of the plan
    if topic is not None and q.points_back(request.question):  # "how long does it take?" asks of the topic
        if planner.roadmap.phase_of(topic):
            return on_duration(planner, request, topic)  # after a phase: that phase
        if not planner.roadmap.holds(topic):
            return None  # after a certificate: the certificate, from the passages
    docs = [p.doc for p in planner.roadmap.phases]
    if planner.roadmap.title_doc is not None:
        docs.append(planner.roadmap.title_doc)
    return replace(request, plan=Plan.TOTAL, passages=docs)


def phase_rates(docs: list[Document], phases: list[Phase]) -> dict[int, tuple[tuple[float, float], Document]]:
    """The hours a week the guide gives phases by their place, anywhere: "8 hours a week in Q1,
    10 hours a week in Q2", "Phase 2: 10 hours a week", "6–8 hours a week for the first two
    phases, then 10 hours a week from week 8", or under a heading naming one phase
    ("Foundations (weeks 1–5)": "8 hours per week.") (phase index -> (fewest, most) and the passage saying so)."""
    out = {}
    for doc in docs:
        heading = ChunkMeta.of(doc).heading.lower()
        named = [i for i, p in enumerate(phases) if p.name.lower() in heading]
        if len(named) == 1 and len(WEEKLY_HOURS.findall(doc.page_content)) == 1:
            out.setdefault(named[0], (weekly_hours(doc.page_content), doc))
        for clause in RATE_CLAUSE.split(doc.page_content):
            if len(WEEKLY_HOURS.findall(clause)) != 1:
                continue
            places = q.phase_positions(clause, len(phases))
            if not places and (since := FROM_WEEK.search(clause)):
                places = [i for i, p in enumerate(phases) if p.first_week >= number(since["n"])]
            for i in places:
                out.setdefault(i, (weekly_hours(clause), doc))
    return out


def on_total_hours(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    """The hours a week times the roadmap's weeks: each phase at the hours it asks for, if it says,
    else at the guide's first."""
    roadmap = planner.roadmap
    if roadmap is None or ASKS_WEEKLY.search(request.question) and not ASKS_SUM.search(request.question):
        return None  # "how many hours a week is that?" asks a rate, not a total: the passages say
    said, first = next(((d, rate) for d in planner.retriever.documents if (rate := weekly_hours(d.page_content))),
                       (None, None))
    if said is None:
        return None  # no weekly hours to multiply: the passages may still say
    ranked = planner.retriever.search(request.standalone, 1)
    if ranked and states_its_length(planner, request.question, ranked[0]):
        return None  # "how many hours is the final exam?": "a 3-hour final exam"
    stated = phase_rates(planner.retriever.documents, roadmap.phases)
    rates = [stated[i][0] if i in stated else weekly_hours(p.doc.page_content) or first
             for i, p in enumerate(roadmap.phases)]
    sources = [said, *(doc for _, doc in stated.values())]  # where each rate is given (fact() drops repeats)
    ends = (0,) if LOW_END.search(request.question) else (1,) if HIGH_END.search(request.question) else (0, 1)

    def said_as(numbers: list[float]) -> str:  # "60 to 72", or "60" for one end (or a range of one)
        return " to ".join(f"{n:g}" for n in dict.fromkeys(numbers))

    named = planner.named_phases(request.question)
    if not named and q.PHASE_WORD.search(request.question):  # "the editing-skills phase": the one "editing" names
        named = [p] if (p := planner.named_phase(request.question, partly=True)) else []
    asked = sorted(set(q.phase_positions(request.question, len(roadmap.phases))) | {
        roadmap.phases.index(p) for p in named})
    if asked:  # "the last three phases": those alone, each at its hours a week
        some = [roadmap.phases[i] for i in asked]
        hours = said_as([sum(rates[i][end] * roadmap.phases[i].weeks for i in asked) for end in ends])
        each = ", ".join(f"{p.name} ({weeks(p.weeks)} at {said_as([rates[i][end] for end in ends])} hours a week)"
                         for i, p in zip(asked, some, strict=True))
        verb = "come" if len(some) > 1 else "comes"
        rated = [stated[i][1] for i in asked if i in stated]
        return fact(request, f"{each} {verb} to {hours} hours of study", [said, *rated, *(p.doc for p in some)])

    flat = said_as([first[end] * roadmap.total_weeks for end in ends])
    lead = (f"At {said_as([first[end] for end in ends])} hours a week, the {roadmap.total_weeks:g}-week roadmap "
            f"comes to {flat} hours of study")
    own = said_as([sum(rate[end] * p.weeks for rate, p in zip(rates, roadmap.phases, strict=True)) for end in ends])
    if len(stated) == len(rates):  # "8 hours a week in Q1, 10 in Q2 and 12 in Q3": each phase at its own
        each = ", ".join(said_as([rate[end] for end in ends]) for rate in rates)
        lead = (f"Counting each phase at the hours a week the guide gives it ({each}), the "
                f"{roadmap.total_weeks:g}-week roadmap comes to {own} hours of study")
    elif own != flat and any(rate != first for rate in rates):  # and the phases' own where they ask for other hours
        lead += f"; counting each phase at the hours a week it asks for, {own}"
    return fact(request, lead, [*sources, *(p.doc for p in roadmap.phases)])


def on_duration(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    if q.counts_other(request.question):
        return None  # the phases are counted in weeks or months, not in the hours asked for
    if len(planner.named_phases(request.question)) > 1:  # a duration has one phase; two named are a sum
        return on_phase_arithmetic(planner, request, topic)
    if planner.unfamiliar(request.question, Intent.DURATION):
        return None  # "how many years is the certificate valid?": how long of something the guide never names
    if topic is not None and planner.named_phase(request.question, partly=True) is None and states_its_length(
            planner, request.standalone, topic):
        return None  # "how long does it take?" after "the CIPS certificate, ...": its length, as the passage says
    phase = phase_slot(planner, request, topic, length=True)
    if phase is None:
        return on_total(planner, request, topic) if not q.has_own_topic(request.question) else None
    from bot.answer.planner import WHOLE_NAME

    if phase not in planner.named_phases(request.question, least=WHOLE_NAME) and planner.named_phase(
            request.question, partly=True) is phase:
        ranked = planner.retriever.search(request.standalone, planner.settings.k)
        # "how long is the demo reel?" names "Reel & Launch" in part: the reel's length, as said; "how long
        # should the trailer for my pilot be?": "a 90-second trailer", in "Build a Pilot Season" itself
        if any(states_its_length(planner, request.question, p, besides=phase.name if p.id == phase.doc.id else "")
               for p in ranked):
            return None
    return replace(request, plan=Plan.DURATION, focus=phase.doc,
                   passages=[phase.doc, *(p.doc for p in planner.roadmap.phases if p is not phase)])


def on_start_end(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    phase = phase_slot(planner, request, topic) if not q.counts_other(request.question) else None
    if phase is None:  # "how many applications a week at the end?" counts no weeks of the plan
        return None
    roadmap = planner.roadmap
    if request.said and q.asks_finished(request.question) and phase_named(planner, request.question) is None:
        phase = finishing_phase(roadmap.phases, phase, request.said)  # "when should I have it finished by?"
    n = roadmap.phases.index(phase) + 1
    later = roadmap.phases[n:] if q.asks_left(request.question) else []  # the weeks left are counted from them
    if roadmap.total_days:  # a plan counted in days is answered in days
        (first, last), what, end = phase.days, phase.length, roadmap.total_days
        span, before, left = f"day {first:g} to day {last:g}", days_text(first - 1), days_text(end - last)
    else:
        span, what = f"week {phase.first_week:g} to week {phase.last_week:g}", weeks(phase.weeks)
        what += f", {phase.dates}" if phase.dates else ""
        before = weeks(phase.start_week) + as_stated(roadmap.phases[:n - 1])
        left = weeks(roadmap.total_weeks - phase.last_week) + as_stated(later)
    lead = (f"{phase.name} runs from {span} (phase {n} of {len(roadmap.phases)}, {what}), "
            + (f"after {before} of the roadmap" if phase.start_week else "at the start of the roadmap"))
    if later:  # and what they are: "(phase 5, Job Search: weeks 14 to 16)", "(phases 4 to 6: weeks 8 to 20)"
        what_left = f"phase {n + 1}, {later[0].name}" if len(later) == 1 else f"phases {n + 1} to {len(roadmap.phases)}"
        unit = "day" if roadmap.total_days else "week"
        start, stop = ((later[0].days[0], later[-1].days[1]) if roadmap.total_days
                       else (later[0].first_week, later[-1].last_week))
        what_left += f": {unit} {start:g} to {unit} {stop:g}"
        lead += f", with {left} left after it ({what_left})"
    return fact(request, lead, [phase.doc, *roadmap.counted_from_months(roadmap.phases[:n]), *(p.doc for p in later)])


def finishing_phase(phases: list[Phase], phase: Phase, said: str) -> Phase:
    """The last phase going on with the one thing an answer named in phase: a certificate
    enrolled in during Month 1 ("Enroll in the Coursera certificate and take its first course")
    is finished in Months 2-3 ("Finish the remaining courses of the Coursera certificate"). The
    phase itself when the answer named more than one of its lines."""
    named = set(topical_terms(said))
    lines = [set(topical_terms(u)) for u in passage_units(phase.doc)]
    thing = max((named & line for line in lines), key=len, default=set())
    if len(thing) < ONE_THING * len(named):
        return phase
    going_on = [p for p in phases[phases.index(phase) + 1:]
                if any(len(thing & set(topical_terms(u))) >= GOES_ON for u in passage_units(p.doc))]
    return going_on[-1] if going_on else phase


def on_week_to_phase(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    roadmap, slot = planner.roadmap, q.week_or_month(request.question)
    dated = roadmap.week_on(request.question) if roadmap is not None and slot is None else None
    if roadmap is None or (slot is None and dated is None) or (slot and slot[0] == "day" and not roadmap.total_days):
        return None
    said = [planner.sections.first(s) for s in planner.sections.asked_for(request.question)]
    if said and not any(d is not None and roadmap.phase_of(d) for d in said):
        return None  # "what do I do in Month 5?" asks for the part of a phase headed "Month 5", by name
    unit, n = slot or ("week", dated[1])
    week = month_end(n - 1, roadmap.weeks_per_month) + 1 if unit == "month" else n
    asked = f"{dated[0]} (week {n:g})" if dated else f"{unit} {n:g}"
    phase = roadmap.phase_on_day(n) if unit == "day" else roadmap.phase_at(week)
    if phase is None:
        end = f"day {roadmap.total_days:g}" if unit == "day" else f"week {roadmap.total_weeks:g}"
        lead = f"The roadmap ends after {end}, so {asked} is past its last phase"
        return fact(request, lead, [roadmap.phases[-1].doc])
    i = roadmap.phases.index(phase) + 1
    where = asked[0].upper() + asked[1:] + (f" (from week {week:g})" if unit == "month" else "")
    lead = f"{where} falls in phase {i}, {phase.name} ({phase.placed})"
    if q.asks_next(request.question) and i < len(roadmap.phases):  # "I'm in week 12, what's next?"
        phase, i = roadmap.phases[i], i + 1
        lead += f"; next comes phase {i}, {phase.name} ({phase.placed})"
    return replace(request, plan=Plan.SECTION, focus=phase.doc, lead=lead,
                   passages=[phase.doc, *(p.doc for p in roadmap.phases if p is not phase)])


def on_phase_arithmetic(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    roadmap = planner.roadmap
    if roadmap is None:
        return None
    if ASKS_MONEY.search(request.question):  # "what do the March and June phases cost together?": their prices
        return on_cost_sum(planner, request, topic)
    op = q.operation(request.question)
    phases = phases_slot(planner, request, topic)
    if op in ("max", "min"):
        phases = phases if len(phases) > 1 else roadmap.phases
        pick = (max if op == "max" else min)(phases, key=lambda p: p.size)
        word = "longest" if op == "max" else "shortest"
        return fact(request, f"The {word} phase is {pick.name}, at {pick.length} ({pick.span})", [pick.doc])
    if not phases and op == "sum" and q.counts_roadmap(request.question):  # "what do the phases add up to?": all
        return on_total(planner, request, topic)
    if len(phases) == 1 and op == "sum" and q.asks_left(request.question):  # "how many weeks are left after phase 3?"
        return on_start_end(planner, request, topic)
    if len(phases) < 2:
        return None
    named = [f"{p.name} ({p.length})" for p in phases]
    parts = ", ".join(named[:-1]) + " and " + named[-1]
    if op == "difference" and len(phases) == 2:
        a, b = phases
        gap = roadmap.amount(abs(a.size - b.size))
        lead = f"{a.name} takes {a.length} and {b.name} {b.length}: a difference of {gap}"
    else:
        lead = f"Together, {parts} take {roadmap.amount(sum(p.size for p in phases))}{as_stated(phases)}"
    return fact(request, lead, [p.doc for p in phases] + roadmap.counted_from_months(phases))


def on_next_prev(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    if topic is None and not (q.asks_after(request.question) or q.asks_before(request.question)):
        return None  # "what happens in the X phase?" is not "what comes after X?"
    before = q.asks_before(request.question) and not q.asks_after(request.question)
    # "what comes after Networking?" names its anchor; "what comes right after that?" points back at the topic
    own = q.has_own_topic(request.question) and not q.points_back(request.question)
    anchor = planner.named_section(request.question) if topic is None or own else None
    anchor = anchor or topic
    other = planner.sections.sibling(anchor, step=-1 if before else 1) if anchor is not None else None
    if other is None:
        return None
    word = "Before" if before else "After"
    lead = f"{word} {ChunkMeta.of(anchor).heading} comes {ChunkMeta.of(other).label}"
    # "and what's the reading for the next one?" asks a thing of it, which its lines that answer say
    asked = q.asked_of_a_phase(request.question, STEPPING | set(
        content_terms(f"{ChunkMeta.of(anchor).heading} {ChunkMeta.of(other).heading}")))
    if asked and asked <= set(content_terms(other.page_content)):
        return replace(request, plan=Plan.GENERAL, passages=[other], lead=lead)
    return replace(request, plan=Plan.SECTION, focus=other, passages=[other, anchor], lead=lead)


def on_count(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    roadmap = planner.roadmap
    if roadmap is not None and q.counts_roadmap(request.question):
        intro = planner.sections.first(roadmap.section)
        phases = [p.doc for p in roadmap.phases]
        if intro is None:
            return fact(request, f"The roadmap has {len(phases)} phases: " + ", ".join(p.label for p in roadmap.phases),
                        phases)
        return replace(request, plan=Plan.SECTION, focus=intro, passages=[intro, *phases],
                       lead=f"The roadmap has {len(phases)} phases")
    noun = q.counted(request.question)
    section = planner.listed_section(request)
    meta = ChunkMeta.of(section) if section is not None else None
    if meta is None or noun is None or not set(content_terms(noun)) & set(content_terms(meta.heading)):
        return None  # "how many meetups should I attend?" counts nothing the outline lists
    return fact(request, f"{meta.heading} lists {len(meta.children)}: " + "; ".join(meta.children), [section])


def on_overview(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    """The section the question names, or else the list its passages lead with (or the section
    holding it); not a list ranked below other passages ("the worst part of the job" is not the
    glossary) unless its heading is about what the question asks ("What You Already Bring" for
    "which skills carry over?"), nor a list when one thing of a kind is asked for ("what book
    should I read?")."""
    if planner.kind_asked(request.question) is not None:
        return None
    if unknown_names(request.question, planner.known):
        return None  # "...an emergency planning officer in the UK?": what the guide says, after saying what it doesn't
    pointed = topic if topic is not None and q.points_back(request.question) else None  # "what's in there?"
    side, asked = sides(request.question), set(content_terms(request.question))

    def in_passing(doc: Document) -> bool:  # "the tough parts of this career change" names "Career" by the way
        by_the_move = set(content_terms(ChunkMeta.of(doc).heading)) & asked <= MOVE_WORDS  # "...this switch?"
        return bool(side) and (not planner.words_of_its_own(doc) or by_the_move) and judged(side, doc, asked) <= 0

    def judged_otherwise(doc: Document) -> bool:  # "the best thing about this switch?": not "What's hard > Switching"
        return bool(side) and judged(side, doc, asked) < 0

    named = planner.named_section(request.question)
    named = None if named is not None and (in_passing(named) or judged_otherwise(named)) else named
    section = (named and holding_list(planner, request.question, named)) or pointed or planner.listed_section(
        request, lists_too=True)
    if section is None or judged_otherwise(section):
        return None
    unnamed = Scores.of(section).heading_match < HEADING_NAMED or in_passing(section)
    if unnamed and request.passages and not planner.about_the_asked(request.question, section):
        first, meta = request.passages[0], ChunkMeta.of(section)
        if section.id != first.id and ChunkMeta.of(first).parent != meta.section:
            return None
    return replace(request, plan=Plan.SECTION, focus=section, passages=[section])  # its parts: see Planner.plan


def holding_list(planner: Planner, question: str, named: Document) -> Document:
    """The section an overview asks for, given the one its words name: a part of a section that
    is named only in passing ("running a warehouse shift" for "Running a shift by the numbers")
    and lists nothing is one item of the list asked for, which is the section holding it."""
    meta = ChunkMeta.of(named)
    if meta.children or meta.is_list or meta.kind != "section" or not meta.parent:
        return named
    strip = planner.retriever.without_roles  # a role's name is never asked by ("Well-Architected")
    heading, asked = set(content_terms(strip(meta.heading))), set(content_terms(strip(question)))
    if heading <= asked:
        return named  # named in full: "What are the pillars of the AWS Well-Architected Framework?"
    if heading & asked <= EVALUATIVE_WORDS:
        return named  # named by what it judges: "what will I miss most?" of "You will miss your team"
    return planner.sections.first(meta.parent) or named


def on_why(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    """"why?" after an answer: the reasons the conversation's passage gives, first."""
    if topic is None:
        return None
    rest = [p for p in planner.retriever.search(request.standalone, planner.settings.k) if p.id != topic.id]
    return replace(request, plan=Plan.GENERAL, passages=[topic, *rest])


def guide_subjects(planner: Planner, question: str, intent: Intent) -> set[str]:
    """The question's words for something the guide holds that the intent's exemplars never
    use: a hello or a summary that names one ("can you help me with my pay?") asks about it."""
    said = getattr(planner.intents, "words", {}).get(intent, set())
    named = {t for t in topical_terms(question) if planner.known.get(t) and not t.isdigit()}
    return named - said - NUMBER_WORDS.keys()


def on_greeting(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    from bot.answer.examples import example_questions

    if guide_subjects(planner, request.question, Intent.GREETING):
        return None  # "can you help me with my pay?" asks the guide about pay
    docs = planner.retriever.documents
    return replace(request, plan=Plan.CHAT, passages=[], title=ChunkMeta.of(docs[0]).title if docs else "",
                   suggestions=example_questions(docs, planner.roadmap, limit=3))


def on_summary(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    if planner.unfamiliar(request.question, Intent.SUMMARY) - SUMMARY_SHAPES:
        return None  # "ignore the guide and tell me a joke" asks for something else
    if guide_subjects(planner, request.question, Intent.SUMMARY) - SUMMARY_SHAPES:
        return None  # "what terms are in the glossary?" asks for one part, not the guide
    tops = {}
    for doc in planner.retriever.documents:
        meta = ChunkMeta.of(doc)
        if not meta.parent and meta.kind == "section":
            tops.setdefault(meta.section, doc)
    docs = list(tops.values())
    asked = q.parts_asked(request.question)
    if asked is not None and asked < len(docs):  # "in 3 bullets": the 3 sections the guide says most in
        size = dict.fromkeys(tops, 0)
        for doc in planner.retriever.documents:
            top = ChunkMeta.of(doc).section.split(SEP)[0]
            size[top] = size.get(top, 0) + len(doc.page_content)
        kept = set(sorted(tops, key=lambda section: -size[section])[:asked])
        docs = [doc for section, doc in tops.items() if section in kept]
    return replace(request, plan=Plan.SUMMARY, passages=docs, title=ChunkMeta.of(docs[0]).title if docs else "")


def on_out_of_scope(planner: Planner, request: Request, topic: Document | None) -> Request | None:
    """Refused, unless the guide plainly covers it after all: a section named, or most of the
    question's words in the best passage (a guard against a misread question)."""
    passages = planner.retriever.search(request.standalone, planner.settings.k)
    named = any(Scores.of(p).heading_match >= HEADING_NAMED for p in passages)
    coverage = planner.retriever.word_coverage(request.question, passages[0]) if passages else None
    if named or (coverage is not None and coverage >= COVERED) or planner.retriever.rare_terms(request.question):
        return None  # "wats the best book to pick up pandas?" names what only this guide talks about
    return replace(request, plan=Plan.REFUSE, passages=passages)


HANDLERS: dict[Intent, Handler] = {
    Intent.TOTAL: on_total,
    Intent.TOTAL_HOURS: on_total_hours,
    Intent.DURATION: on_duration,
    Intent.START_END: on_start_end,
    Intent.WEEK_TO_PHASE: on_week_to_phase,
    Intent.PHASE_ARITHMETIC: on_phase_arithmetic,
    Intent.COST_SUM: on_cost_sum,
    Intent.NEXT_PREV: on_next_prev,
    Intent.COUNT: on_count,
    Intent.OVERVIEW: on_overview,
    Intent.WHY: on_why,
    Intent.GREETING: on_greeting,
    Intent.SUMMARY: on_summary,
    Intent.OUT_OF_SCOPE: on_out_of_scope,
}
