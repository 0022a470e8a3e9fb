"""A guide's outline, whatever its format: sections with their lines, FAQ pairs, and the
roadmap's phases with their week spans.

Both parsers (markdown, plaintext) build the sections; `finish` then does what does not
depend on the format:
- FAQ pairs: "Q: ..." / "A: ..." lines and question headings become one section each, the
  question as its heading, its answer as its body.
- The roadmap: a section whose subsections, table rows or labelled lines ("Stage one — Name.
  It lasts six weeks...") state their time is a roadmap; each such part becomes a phase with
  a week span (see timeline).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from bot.ingest import timeline
from bot.ingest.timeline import Span, Timing
from bot.text import BULLET, DURATION_LINE

# "Q: ...", "Q1: ...", "Question: ..."
QUESTION_LINE = re.compile(r"^\s*Q(?:uestion)?\s*\d{0,2}\s*[:.)-]\s*(?P<q>.+)$", re.I)
QUESTION_CHARS = 160  # a longer line ending in "?" is prose
MIN_FAQ = 2  # bare question lines are an FAQ where a section has two or more
ANSWER_LINE = re.compile(r"^\s*A(?:nswer)?\s*\d{0,2}\s*[:.)-]\s*", re.I)
QUESTION_HEADING = re.compile(r"^\s*(?:Q(?:uestion)?\s*\d{0,2}\s*[:.)-]\s*)?(?P<q>.+\?)\s*$", re.I)
# A phase's name before its description: "Stage one — Regulations Foundations. It lasts...",
# "- Weeks 1-4: Python basics", "Months 2-3 — SQL".
LABEL_ENDS = (re.compile(r"(?<!\b[A-Z])\.\s|:\s"), re.compile(r"\s[—–-]\s"))
LABEL_WORDS = 9  # a longer lead is a sentence, not a name
NAME_EDGES = " :,—–-()·|"  # what separates a phase's name from its number and time ("Weeks 1–3 · SQL")
SYMBOLS = re.compile(r"^[^\w(\[]+")  # an emoji or a mark before a heading's words
PARENTHESES = re.compile(r"\(([^()]*)\)")  # "(January 4 – January 31)": a phase's time said again
VALUE_LINE = re.compile(r":\s+[$€£]?\d[\d,.]*$")  # "Book: Make Noise (Eric Nuzum): $17": a name and its value
SENTENCE_END = re.compile(r"(?<=[.!?;])\s")  # where a line's first sentence ends
NOTE = re.compile(r"^\([^()]*\)$")  # "**Quantity takeoff** (weeks 4–7, 8 hours a week)": the part's time, noted
CELL = re.compile(r"^(?P<header>[^:]{1,40}):\s*(?P<value>.+)$")  # a table row's "Weeks: 4"
TIME_HEADER = re.compile(r"\b(?P<unit>week|month)s?\b|\b(?:duration|length|time|timing|when|dates?)\b", re.I)
NAME_HEADER = re.compile(r"^(?:phase|stage|step|module|name|focus|topic|title)$", re.I)  # a table's "Phase" column
DAYS = re.compile(r"^\s*(?P<n>\d+)\s*days?\s*$", re.I)  # a table cell's length in days
BARE_RANGE = re.compile(r"^\s*(?P<a>\d+(?:\.\d+)?)(?:\s*(?:-|–|—|to)\s*(?P<b>\d+(?:\.\d+)?))?\s*$")
ORDINAL_PREFIX = re.compile(
    r"^(?:(?:phase|stage|step|part|module|sprint|month|week|quarter)s?\s+(?:\d+|[ivx]+|[a-h]\b|one|two|three|four|"
    r"five|six|seven|eight|nine|ten)(?:\s*[-–]\s*\d+)?|q[1-4]\b|\d+[.)]"
    r"|(?:final|last)(?=\s*(?:\d|[:.)—–-]|$)))\s*[:.)—–-]*\s*", re.I)  # not the "Final" of "Final Approach"
# A heading's outline number, "4.2 " or "4. ": not a length ("4.2 Weeks 1-4: Basics" is weeks 1-4).
OUTLINE_NUMBER = re.compile(r"^\s*\d{1,2}(?:\.\d{1,2})+\.?\s+|^\s*\d{1,2}[.)]\s+")
# A heading's part number, beside its outline number: "Part VI: ", "Step 3 - ".
HEADING_PART = re.compile(r"^\W*(?:part|chapter|section|step)\s+[ivxlc\d]+\s*[:.—–-]\s*", re.I)
MIN_PHASES = 2  # one stated length is a detail; two or more in one section are a roadmap
MIN_TERMS, TERM_SHARE, TERM_WORDS = 3, 2 / 3, 6  # a list of "Term. Text" lines: 3+, most lines, short terms
ROADMAP_HEADING = re.compile(r"\b(?:road ?map|timeline|schedule|route|phases|stages|milestones)\b", re.I)


@dataclass
class Section:
    """A heading and the lines under it, with its subsections."""

    title: str
    body: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    path: tuple[str, ...] = ()
    kind: str = "section"  # "faq" (a question and its answer) or "phase" (of the roadmap)
    timing: Timing | None = None  # a phase's stated time
    span: Span | None = None  # ...and its place in the plan, in weeks
    phase: str = ""  # a phase's name, without its number or time ("Foundations")
    # How the guide writes what comes before the body, where that is not the heading on a line
    # of its own: "SCORM: " for a term that opens its line, "" for a heading the loader made up.
    opening: str | None = None

    @property
    def lead(self) -> str:
        """What a passage of this section is shown after: its heading line, as written."""
        if not self.body:
            return ""
        return f"{self.title}\n" if self.opening is None else self.opening

    @property
    def shape(self) -> str:
        return "bullets" if any(BULLET.match(line) for line in self.body) else "prose"


def introduction(body: list[str] | None = None) -> Section:
    """The section for text before a guide's first heading, headed by a title the guide never wrote."""
    return Section(title="Introduction", opening="", body=body or [])


def table_row(header: list[str], row: list[str]) -> Section:
    """A table's row as a subsection: headed by its first cell (with that column's header, where
    only the header makes a range of numbers a time: "1-4" under "Weeks" is "Weeks 1-4"), with a
    line "Header: cell" for each other cell."""
    title = row[0] if row else ""
    bare = BARE_RANGE.match(title)
    if bare and bare["b"] and header and TIME_HEADER.search(header[0]):
        title = f"{header[0]} {title}"
    body = [f"{h}: {c}" for h, c in zip(header[1:], row[1:], strict=False) if c]
    return Section(title=title or " ".join(row), body=body)


@dataclass
class Guide:
    """One corpus file: its title and its top-level sections, and what its roadmap says."""

    source: str
    title: str
    sections: list[Section]
    weeks_per_month: float = timeline.WEEKS_PER_MONTH
    month_rule_stated: bool = False  # whether the guide says how many weeks it counts to a month
    notes: list[str] = field(default_factory=list)  # gaps or overlaps between phases; unread timings

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))

    @property
    def roadmap(self) -> Section | None:
        """The section whose phases run longest (then: the most phases), if any: the 30-week
        roadmap, not the "Day 1" to "Day 7" of the first week. Phases that are the guide's own
        top-level sections are held by a section with no title."""

        def reach(section: Section) -> tuple[float, int]:
            phases = [c for c in section.children if c.kind == "phase"]
            return max((p.span.last_week for p in phases if p.span), default=0.0), len(phases)

        best = max([Section(title="", children=self.sections), *self.walk()], key=reach)
        return best if any(c.kind == "phase" for c in best.children) else None


def heading_name(heading: str) -> str:
    """A heading without its numbering, by which a question may ask for it ("Part VI: Pay" -> "Pay")."""
    return HEADING_PART.sub("", OUTLINE_NUMBER.sub("", heading, count=1)).strip(" ?:.!")


def finish(guide: Guide, text: str) -> Guide:
    """FAQ pairs, roadmap phases and section paths, for a guide either parser built."""
    rule = timeline.month_rule(text)
    if rule:
        guide.weeks_per_month, guide.month_rule_stated = rule, True
    for section in list(guide.walk()):
        split_faq(section)
        for child in section.children:  # a question heading under a section ("### Q: ...?")
            question = QUESTION_HEADING.match(child.title)
            if child.kind == "section" and child.body and question:  # "1) Do I need a degree?" too
                child.kind, child.title = "faq", OUTLINE_NUMBER.sub("", question["q"], count=1).strip()
                child.body[0] = ANSWER_LINE.sub("", child.body[0], count=1)  # "**Q: ...?**" over "A: No. ..."
    top = Section(title="", children=guide.sections)  # the top level, whose sections may be the phases
    unread = []  # sections titled like a roadmap whose phases the loader could not read
    for section in [top, *guide.walk()]:
        if section.kind == "phase":  # "Take the exam early in week 21." in a phase is a step, not a phase
            continue
        found = top_level_phases(section) if section is top else find_phases(section)
        notes = place_phases(section, guide.weeks_per_month) if found else None
        if notes is not None:
            guide.notes += [f"{section.title or 'Top level'}: {note}" for note in notes]
            gather_details(section)
        elif section is not top and section.kind == "section":
            if ROADMAP_HEADING.search(section.title) and (section.children or len(section.body) > 1):
                unread.append(section.title)
            split_terms(section)
    if not guide.roadmap:  # "## The roadmap" over a preamble, with the dated phases as its peers, is no warning
        guide.notes += [f"{title}: looks like a roadmap, but no phase states its time in a form the loader reads "
                        "(e.g. '4 weeks', 'Weeks 1-3', 'Month 2', 'Jan 5 - Feb 1')" for title in unread]
    for top in guide.sections:
        _set_paths(top, ())
    return guide


def asked(lines: list[str]) -> list[str | None]:
    """The question each line asks as an FAQ entry, or None: a "Q: ..." line, or (where a
    section has MIN_FAQ of them) a short line that is all question, with an answer after it."""
    marked = [m["q"].strip() if (m := QUESTION_LINE.match(line)) else None for line in lines]
    if any(marked):
        return marked
    bare = [line.strip() if line.strip().endswith("?") and len(line) <= QUESTION_CHARS and not BULLET.match(line)
            and n + 1 < len(lines) and not lines[n + 1].strip().endswith("?") else None
            for n, line in enumerate(lines)]
    return bare if sum(map(bool, bare)) >= MIN_FAQ else [None] * len(lines)


def split_faq(section: Section) -> None:
    """Turn the questions in a section's body ("Q: ..." / "A: ..." lines, or question lines
    each with its answer after it) into one subsection per question."""
    questions = asked(section.body)
    if not any(questions):
        return
    body, pairs = [], []
    for line, question in zip(section.body, questions, strict=True):
        if question:
            pairs.append(Section(title=question, kind="faq"))
        elif pairs:
            pairs[-1].body.append(ANSWER_LINE.sub("", line, count=1))
        else:
            body.append(line)
    section.body = body
    section.children[:0] = pairs


def find_phases(section: Section) -> bool:
    """Mark a section's parts that state their time as phases, if at least MIN_PHASES do:
    its subsections (time in the heading or first line), else its labelled lines."""
    finest_first(section)
    told_once(section)
    timed = [(c, _timing_of(c)) for c in section.children]
    if sum(t is not None for _, t in timed) >= MIN_PHASES:
        for child, t in timed:
            if t is not None:
                child.kind, child.timing, child.phase = "phase", t, phase_name(child.title, t, child.body)
        return True
    labelled = [(i, lr) for i, line in enumerate(section.body) if (lr := label(line))]
    timed = [(i, lr, t) for i, lr in labelled if (t := label_timing(*lr))]
    if len(timed) < MIN_PHASES or 2 * len(timed) < len(labelled):
        return False  # a few timed lines among many labels ("Coursera, 2 months at $49: $98"): a list, no plan
    labelled = timed
    section.children[:0] = [Section(title=name, body=[rest], kind="phase", timing=t, phase=phase_name(name, t),
                                    opening=opening(section.body[i], rest)) for i, (name, rest), t in labelled]
    taken = {i for i, _, _ in labelled}
    section.body = [line for i, line in enumerate(section.body) if i not in taken]
    return True


def label_timing(name: str, rest: str) -> Timing | None:
    """A labelled line's time: in its name or its first sentence (after a title, "Stage 4: Exam.
    Six weeks."), not in passing further on ("Slower feedback. ... churn nine months later")."""
    first, *more = SENTENCE_END.split(rest, maxsplit=2)
    opening = f"{first} {more[0]}" if more and len(first.split()) <= LABEL_WORDS // 2 else first
    return timeline.timing(name) or timeline.timing(opening)


def gather_details(section: Section) -> None:
    """Lines of a roadmap's own text that open with a phase's name ("- **Ledger** (8 hours per
    week): Tools are Excel..." under a table of sprints) go to that phase."""
    phases = {p.phase.lower(): p for p in section.children if p.kind == "phase" and p.phase}
    kept = []
    for line in section.body:
        name = label(line)
        phase = phases.get(PARENTHESES.sub("", name[0]).strip().lower()) if name else None
        if phase is None:
            kept.append(line)
        else:
            phase.body.append(BULLET.sub("", line, count=1))
    section.body = kept


def place_phases(section: Section, weeks_per_month: float) -> list[str] | None:
    """Each of a section's phases placed in weeks, and notes on gaps and overlaps; None, and no
    phases, where they start side by side rather than one after another (a table of costs
    saying in which weeks each is paid)."""
    phases = [c for c in section.children if c.kind == "phase"]
    spans, notes = timeline.resolve([c.timing for c in phases], weeks_per_month)
    if not timeline.in_sequence(spans):
        for phase in phases:
            phase.kind, phase.timing, phase.phase = "section", None, ""
        return None
    for phase, span in zip(phases, spans, strict=True):
        phase.span = span
    return notes


def top_level_phases(top: Section) -> bool:
    """Mark the guide's top-level sections as phases where MIN_PHASES or more in a row state
    their place in their heading ("## Phase 1 (Weeks 1–3): Name", "## Phase 2 (Weeks 4–7): ..."):
    a roadmap without a heading of its own. One dated section ("Your first week (5–11 January)")
    or a length ("The 24-week roadmap") is no phase. Where a roadmap's heading with no parts comes
    just before them (a plain-text "The Roadmap" whose long lead-in kept them from nesting), they
    become its parts instead, and are marked with the rest of its section (False)."""
    runs: list[list[tuple[Section, Timing]]] = [[]]
    for child in top.children:
        t = timeline.timing(OUTLINE_NUMBER.sub("", child.title, count=1)) if child.kind == "section" else None
        if t is not None and t.is_span:
            runs[-1].append((child, t))
        elif runs[-1]:
            runs.append([])
    phases = max(runs, key=len)
    if len(phases) < MIN_PHASES:
        return False
    at = next(i for i, c in enumerate(top.children) if c is phases[0][0])
    holder = top.children[at - 1] if at else None
    if holder is not None and holder.kind == "section" and not holder.children and ROADMAP_HEADING.search(holder.title):
        holder.children = [c for c, _ in phases]
        del top.children[at : at + len(phases)]
        return False
    for child, t in phases:
        child.kind, child.timing, child.phase = "phase", t, phase_name(child.title, t, child.body)
    return True


def finest_first(section: Section) -> None:
    """A roadmap timed twice over ("### Month 1" holding "#### Weeks 1–2: ..."): the finer
    parts become the section's own, each month's words going to its first part. Coarse parts
    named by more than their time ("### Q2 — Months 4–6: Build & Implement" holding "Month 4",
    "Month 5"...) are the guide's phases, and stay."""
    coarse = [(c, t) for c in section.children if (t := _timing_of(c)) and any(map(_timing_of, c.children))]
    if not coarse or any(phase_name(c.title, t) != c.title for c, t in coarse):
        return
    parts: list[Section] = []
    for child in section.children:
        if _timing_of(child) and any(map(_timing_of, child.children)):
            child.children[0].body[:0] = child.body
            parts += child.children
            child.children = []
        else:
            parts.append(child)
    section.children = parts


def told_once(section: Section) -> None:
    """A roadmap told twice (a table of week ranges, then a subsection per phase): each pair as
    one part, the one not timed by a cell, with the other's lines but its time."""
    # places, not lengths, are compared: lengths alone ("3 weeks", "4 weeks") repeat by chance
    timed = [(c, t) for c in section.children if (t := _timing_of(c))]
    half = len(timed) // 2
    if half < MIN_PHASES or len(timed) % 2 or not all(t.is_span for _, t in timed) or any(
            _when(a) != _when(b) for (_, a), (_, b) in zip(timed[:half], timed[half:], strict=True)):
        return
    dropped = []
    for (one, _), (other, _) in zip(timed[:half], timed[half:], strict=True):
        told, kept = (other, one) if _cell_timed(other) and not _cell_timed(one) else (one, other)
        kept.body += [line for line in told.body if not cell_timing(line)]
        kept.children += told.children
        dropped.append(told)
    section.children = [c for c in section.children if not any(c is d for d in dropped)]


def _when(t: Timing) -> tuple:
    return t.unit, t.first, t.last, t.length


def _cell_timed(section: Section) -> bool:
    return any(map(cell_timing, section.body))


def split_terms(section: Section) -> None:
    """Make each line of a list of terms ("Lesson planning. Every unit plan...", "ADDIE: ...",
    "**Clinical judgment** — ...") a subsection headed by its term, so one can be quoted
    and all of them listed."""
    terms = [(i, found) for i, line in enumerate(section.body) if (found := label(line))
             and len(found[0].split()) <= TERM_WORDS and any(c.isupper() for c in found[0])]
    if any(BULLET.match(section.body[i]) for i, _ in terms):  # a lead-in over bulleted terms is no term
        terms = [(i, found) for i, found in terms if BULLET.match(section.body[i])]
    if len(terms) < MIN_TERMS or len(terms) < TERM_SHARE * len(section.body):
        return
    taken = {i for i, _ in terms}
    section.children[:0] = [Section(title=name, body=[rest], opening=opening(section.body[i], rest))
                            for i, (name, rest) in terms]
    section.body = [line for i, line in enumerate(section.body) if i not in taken]


def label(line: str) -> tuple[str, str] | None:
    """(name, description) of a line that opens with a short name, else None."""
    line = BULLET.sub("", line, count=1)
    value = VALUE_LINE.search(line)
    if value and len(line[: value.start()].split()) <= LABEL_WORDS:
        return line[: value.start()].strip(), line[value.start() + 1 :].strip()
    for n, end in enumerate(LABEL_ENDS):
        found = end.search(line)
        lead = line[: found.start()] if found else ""
        if found and lead.count("(") > lead.count(")"):
            return None  # "March 2027 (subtotal: $272)": a note in brackets, not a name
        if found and 3 <= found.start() and len(lead.split()) <= LABEL_WORDS and ";" not in lead:
            return lead.strip(), line[found.end() :].strip()
        if found and not any(e.search(lead) for e in LABEL_ENDS[n + 1:]):
            return None  # a sentence, unless a dash ends a name before it ("Weeks 1-3 · SQL — read...; project: ...")
    return None


def opening(line: str, rest: str) -> str:
    """How a labelled line opens, as written: "SCORM: " of "SCORM: a packaging standard..."."""
    written = BULLET.sub("", line, count=1).strip()
    return written.removesuffix(rest) if rest else written


def _timing_of(section: Section) -> Timing | None:
    """A subsection's time: stated in its heading, or at the start of its first line
    ("4 weeks- ...", "(weeks 4–7, 8 hours a week)", or a table row's "Weeks: 4")."""
    if section.kind == "faq":
        return None
    found = timeline.timing(OUTLINE_NUMBER.sub("", section.title, count=1))
    if found is None and section.body and (DURATION_LINE.match(section.body[0]) or NOTE.match(section.body[0])):
        found = timeline.timing(section.body[0])
    if found is None:
        found = next(filter(None, map(cell_timing, section.body)), None)
    return found


def cell_timing(line: str) -> Timing | None:
    """The time in a table cell whose column is about time: "Weeks: 4", "Weeks: 1-4", "Duration: 3 weeks"."""
    cell = CELL.match(line)
    header = TIME_HEADER.search(cell["header"]) if cell else None
    if header is None:
        return None
    number = BARE_RANGE.match(cell["value"])
    if number and header["unit"]:
        unit, a, b = header["unit"].lower(), float(number["a"]), number["b"]
        if b:
            return Timing(f"{unit}s {a:g}-{float(b):g}", unit, first=a, last=float(b))
        return Timing(f"{a:g} {unit}{'s' if a != 1 else ''}", unit, length=a)
    if days := DAYS.match(cell["value"]):  # "Length: 28 days" in a table of weeks
        return Timing(days.group(0).strip(), "week", length=float(days["n"]) / 7)
    return timeline.timing(cell["value"])


def phase_name(title: str, t: Timing, body: list[str] = ()) -> str:
    """A phase's name without its number and time: "Phase 1 — Foundations (Weeks 1–3)" ->
    "Foundations"; "Month 1: Spreadsheets" -> "Spreadsheets"; a table row headed by its time
    ("Sep 14 – Oct 4") is named by its Phase (or Stage, Name...) cell. Dates said again in
    parentheses go too: "Weeks 1–4 (January 4 – January 31): Anatomy" -> "Anatomy"; "Step 1
    (about 5 weeks) - SQL" -> "SQL". A phase named by nothing but its number and time is named
    by its number: "Sprint 1 · 3 weeks · 5–25 January" -> "Sprint 1"."""
    name = OUTLINE_NUMBER.sub("", SYMBOLS.sub("", title), count=1)  # "🧭 Months 1–2: Learning the craft"
    name = PARENTHESES.sub(lambda said: "" if timeline.timing(said[1]) else said[0], name).replace(t.text, "")
    if t.is_span:  # its length said besides its place
        name = timeline.LENGTH.sub("", name)
    name = name.strip(NAME_EDGES)
    previous = None
    while name and name != previous:
        previous, name = name, ORDINAL_PREFIX.sub("", name).strip(NAME_EDGES)
    if not name and previous and any(c.isdigit() for c in previous):
        return previous
    cells = (CELL.match(line) for line in body)
    return name or next((c["value"].strip() for c in cells if c and NAME_HEADER.match(c["header"].strip())), title)


def _set_paths(section: Section, parent: tuple[str, ...]) -> None:
    section.path = (*parent, section.title)
    for child in section.children:
        _set_paths(child, section.path)
