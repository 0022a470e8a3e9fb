"""The default, offline answerer: builds its answer from the guide's own sentences and
bullets, each carrying a numbered citation; totals and durations come from the roadmap facts.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.answer import questions
from bot.answer.evidence import (
    ASKS_MONEY,
    Evidence,
    caveat,
    closing_unit,
    gives_the_figure,
    introduced_list,
    judged,
    paragraphs,
    passage_units,
    pieces,
    score_units,
    sides,
)
from bot.answer.pay import PAID, gap_reply, pay_reply
from bot.answer.roadmap import Phase, Roadmap, quoted_units, weekly_reply, weeks_text
from bot.ingest.outline import CELL
from bot.retrieval import HEADING_NAMED
from bot.schema import Answer, ChunkMeta, Citation, Plan, Request, Scores
from bot.text import content_terms, topical_terms, units, with_article

# A sentence opening so points back at the one before it: "Neither is necessary to land a first role."
BACK_REFERENCE = re.compile(r"^(?:neither|both|this|that|these|those|it|they)\s+(?:of\b|is|are|was|were|means?|will|"
                            r"would|can|could|should|also|makes?|matters?)\b", re.I)
WHOLE_PASSAGE_CHARS = 400  # prose up to this length is quoted whole; longer, its best sentences
JUDGED_PROSE_CHARS = 600  # ...and up to this, if its heading judges the move as asked ("What you will miss")
SAME_PASSAGE_GAP = 0.12  # units of the best passage scoring within this of the best are quoted too
FIGURE_GAP = 0.15  # a unit giving the figure asked for ("$95,000") beats a better one without it by this much
ALSO_GAP = 0.05  # a unit of another section this close to the best is worth a second citation
ALSO_FROM = 3  # a second section is looked for among the top passages only
CLAUSE_CHARS = 90  # a part's opening clause in a list of parts: a line, not a paragraph
SAYS_WORDS = 4  # an opening clause shorter than this ("Great news!", "Not necessarily.") says nothing alone
MAX_ANSWER_CHARS = 3000  # whatever the guide holds, an answer is cut here (the rest is in its sources)


def first_clause(unit: str) -> str:
    """A unit's opening clause, for a list of parts: up to its first full stop, colon or dash."""
    clause = re.split(r"(?<=[.;:])\s|\s[—–]\s", unit, maxsplit=1)[0]
    if clause.endswith(":") and CELL.match(unit):  # a table row's "Typical pay: $90,000–$120,000": the cell
        clause = re.split(r"(?<=[.;])\s|\s[—–]\s", unit, maxsplit=1)[0]
    return clause if len(clause) <= CLAUSE_CHARS else clause[:CLAUSE_CHARS].rsplit(" ", 1)[0] + "…"


def compare(weeks: float, claimed: float) -> str:
    """How a computed total stands against a claimed one: ", which the phases fit" or
    "; the phases take 3 weeks more than that (26 weeks)"."""
    gap = round(weeks - claimed)
    if abs(weeks - claimed) < 1:
        return ", which the phases fit"
    more = "more" if gap > 0 else "less"
    said = f"{claimed:g}" if claimed == int(claimed) else f"about {claimed:.0f}"
    return f"; the phases take {weeks_text(abs(gap))} {more} than that ({said} weeks)"


class _Citer:
    """Numbers passages in the order the answer first cites them."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []

    def cite(self, doc: Document, quote: list[str] | None = None) -> str:
        citation = Citation.of(len(self.citations) + 1, doc, "\n".join(quote) if quote else doc.page_content)
        for c in self.citations:
            if c.text == citation.text and c.section == citation.section:
                return f"[{c.number}]"
        self.citations.append(citation)
        return f"[{citation.number}]"


def capped(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """An answer of at most MAX_ANSWER_CHARS, cut after a line or a sentence, with the
    citations its text still marks (they are numbered in order of use: a prefix keeps 1..m)."""
    if len(text) <= MAX_ANSWER_CHARS:
        return text, citations
    cut = text[:MAX_ANSWER_CHARS]
    end = max(cut.rfind("\n"), cut.rfind(". ") + 1)
    cut = (cut[:end] if end > 0 else cut).rstrip() + " …"
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", cut)}
    return cut, [c for c in citations if c.number in marks]


def _rule_marks(roadmap: Roadmap, phases: list[Phase], citer: _Citer) -> str:
    """" [n]" citing the guide's month rule, if these phases' weeks were counted from months."""
    return "".join(f" {citer.cite(d, quoted_units(d))}" for d in roadmap.counted_from_months(phases))


def _reply(label: str, cite: str, units: list[str], bullets: bool) -> str:
    """A list under its section's name; prose as a reply, its citation (which names the
    section) at the end rather than the section as a prefix, unless it opens mid-sentence: a
    term's definition ("SCORM: a packaging standard ...") reads after its term; or it is a
    table row's cells ("Cost: $200 When: Weeks 11–16"), which say nothing without the row's
    first cell ("LinkedIn Sales Navigator (2 months at $100)")."""
    if bullets:
        return f"{label} {cite}:{_join(units, True)}"
    text = _join(units, False).strip()
    cells = bool(units) and all(CELL.match(u) for u in units)
    return f"{label}: {text} {cite}" if not text[:1].isupper() or cells else f"{text} {cite}"


def _join(items: list[str], bullets: bool) -> str:
    if bullets:
        return "".join(f"\n- {u}" for u in items)
    return " " + " ".join(items)


def openings(text: str) -> list[str]:
    """Long prose in brief: the first two sentences of its first paragraph, then the first of each other."""
    said = [units(line) for line in text.split("\n") if line.strip()]
    return [*said[0][:2], *(p[0] for p in said[1:] if p)] if said else []


def paragraph_of(doc: Document, unit: str) -> list[str]:
    """The units of unit's paragraph in a passage."""
    return next((said for said in paragraphs(doc) if unit in said), [unit])


class ExtractiveAnswerer:
    """The default answerer: no model, only the guide's own words, most relevant first."""

    name = "offline (extractive)"

    def __init__(self, idf: dict[str, float] | None = None, max_units: int = 4,
                 embedder: Embeddings | None = None) -> None:
        self.idf = idf or {}
        self.max_units = max_units
        self.embedder = embedder  # to score sentences by meaning; without it, by words alone

    def stream(self, request: Request) -> Iterator[str | Answer]:
        answer = self.answer(request)
        for piece in re.split(r"(?<=\n)|(?<=[.:] )", answer.text):
            if piece:
                yield piece
        yield answer

    def answer(self, request: Request) -> Answer:
        citer = _Citer()
        build = {
            Plan.REFUSE: self._refuse,
            Plan.TOTAL: self._total,
            Plan.DURATION: self._duration,
            Plan.SECTION: self._section,
            Plan.GENERAL: self._general,
            Plan.FACT: self._fact,
            Plan.CHAT: self._chat,
            Plan.SUMMARY: self._summary,
        }[request.plan]
        text, citations = capped(build(request, citer).strip(), citer.citations)
        return Answer(text=text, citations=citations, retrieved=request.passages,
                      answerer=self.name, refused=request.plan == Plan.REFUSE)

    def _refuse(self, request: Request, citer: _Citer) -> str:
        # quoted, so a section named as a question ("Ready to Start?") reads as a name, not mid-sentence
        near = [f'"{s}"' for s in dict.fromkeys(ChunkMeta.of(d).section for d in request.passages[:ALSO_FROM])]
        where = ", ".join(near[:-1]) + (" and " if len(near) > 1 else "") + near[-1] if near else ""
        text = "The guide doesn't cover that, so I can't answer it from the guide."
        return text + (f" The nearest sections it does cover are {where}." if where else "")

    def _total(self, request: Request, citer: _Citer) -> str:
        roadmap = request.roadmap
        assert roadmap is not None
        parts = [f"{p.label} {citer.cite(p.doc, [p.doc.page_content.split(chr(10))[0]])}"
                 for p in roadmap.phases]
        weeks, days = roadmap.total_weeks, roadmap.total_days
        rule = _rule_marks(roadmap, roadmap.phases, citer)
        dated = f"{roadmap.dates} as the guide dates them, " if roadmap.dates else ""
        months = roadmap.in_months(days / 7 if days else weeks)
        text = (f"The roadmap's {len(parts)} phases add up to {roadmap.amount(days or weeks)} ({dated}about "
                f"{months:.1f} months, {roadmap.month_rule}{rule}): " + ", ".join(parts) + ".")
        if roadmap.framing and roadmap.title_doc is not None:
            claim = with_article(roadmap.framing)
            text += f" The guide's title frames it as {claim} transition {citer.cite(roadmap.title_doc)}"
            text += compare(weeks, roadmap.framing_weeks) + "."
        return text

    def _duration(self, request: Request, citer: _Citer) -> str:
        roadmap, doc = request.roadmap, request.focus
        assert roadmap is not None and doc is not None
        phase = roadmap.phase_of(doc)
        assert phase is not None
        first = [p for u in units(doc.page_content)[:1] for p in pieces(u)][:1]  # of a long ";" list, its first item
        n = roadmap.phases.index(phase) + 1
        rule = _rule_marks(roadmap, [phase], citer)
        where = ("from day {:g} to day {:g}".format(*phase.days) if roadmap.total_days
                 else f"from week {phase.first_week:g} to week {phase.last_week:g}")
        total = f"{roadmap.total_days:g}-day" if roadmap.total_days else f"{roadmap.total_weeks:g}-week"
        return (f"{phase.name} takes {phase.length} {citer.cite(doc, first)}{rule}: phase {n} of "
                f"{len(roadmap.phases)}, {where} of the {total} roadmap. It starts with: {first[0]}"
                + ("" if first[0].endswith((".", "!", "?")) else "."))

    def _section(self, request: Request, citer: _Citer) -> str:
        doc = request.focus
        assert doc is not None
        if closing := closing_unit(request.question, doc):  # "what will I have by the end of phase 2?"
            return f"{request.lead or ChunkMeta.of(doc).label} {citer.cite(doc, [closing])}: {closing}"
        return self._whole(doc, citer, request.roadmap, lead=request.lead, passages=request.passages)

    def _fact(self, request: Request, citer: _Citer) -> str:
        """A computed fact, citing the passages it was computed from."""
        marks = " ".join(citer.cite(d, quoted_units(d, request.lead)) for d in request.passages)
        return f"{request.lead} {marks}."

    def _chat(self, request: Request, citer: _Citer) -> str:
        """Small talk: a friendly line on what the bot does, and three questions to try."""
        ideas = ", ".join(f'"{s}"' for s in request.suggestions)
        about = f'the guide "{request.title}"' if request.title else "the guide"
        if questions.THANKS.search(request.question):
            opener = "You're welcome! Ask me anything else about"
        elif questions.BYE.search(request.question):
            opener = "Good luck with the move! Come back any time with questions about"
        else:
            opener = "Hi! I answer questions about"
        text = f"{opener} {about}, and every answer cites the part of the guide it comes from."
        return text + (f" For example: {ideas}." if ideas else "")

    def _summary(self, request: Request, citer: _Citer) -> str:
        """The guide in brief: each top-level section with its opening clause, cited."""
        lines = [f'"{request.title}" covers:' if request.title else "The guide covers:"]
        for doc in request.passages:
            meta = ChunkMeta.of(doc)
            first = first_clause(units(doc.page_content)[0]) if units(doc.page_content) else ""
            parts = f" ({', '.join(meta.children[:4])})" if meta.children else ""
            says = len(first.split()) >= SAYS_WORDS and first != meta.heading  # not "Great news!"
            said = f": {first} {citer.cite(doc, [first])}" if says else f" {citer.cite(doc)}"
            lines.append(f"- {meta.heading}{parts}{said}")
        if request.roadmap is not None:
            roadmap = request.roadmap
            lines.append(f"The roadmap has {len(roadmap.phases)} phases over {roadmap.total_weeks:g} weeks.")
        return "\n".join(lines)

    def _whole(self, doc: Document, citer: _Citer, roadmap: Roadmap | None, lead: str = "",
               passages: list[Document] = (), limit: int = WHOLE_PASSAGE_CHARS) -> str:
        """A section in full: its bullets, its text (how its paragraphs open, if over limit), or its
        parts (each with its opening clause, where its passage is at hand)."""
        meta = ChunkMeta.of(doc)
        items = units(doc.page_content)
        if meta.children:
            text = f"{lead} {citer.cite(doc)}:" if lead else f"{' '.join(items)} {citer.cite(doc)}"
            if roadmap and roadmap.section == meta.section:
                return text + "".join(f"\n- {p.label}, {p.span}" for p in roadmap.phases)
            parts = {ChunkMeta.of(d).heading: d for d in passages if ChunkMeta.of(d).parent == meta.section}
            return text + "".join(f"\n- {self._part(c, parts.get(c), citer)}" for c in meta.children)
        if not meta.is_list and len(doc.page_content) > limit:
            items = openings(doc.page_content)[: self.max_units]
        if lead:
            return f"{lead} {citer.cite(doc, items)}:{_join(items, meta.is_list)}"
        return _reply(meta.label, citer.cite(doc, items), items, meta.is_list)

    def _part(self, heading: str, doc: Document | None, citer: _Citer) -> str:
        """A part with its opening clause, or, if it has no words of its own, its own parts' headings."""
        if doc is None:
            return heading
        found = units(doc.page_content)
        clause = first_clause(found[0]) if found else ""
        if clause in ("", heading) and ChunkMeta.of(doc).children:  # "2.1 What carries over: Spotting fraud; ..."
            clause = "; ".join(ChunkMeta.of(doc).children)
        return f"{heading}: {clause} {citer.cite(doc, [clause])}" if clause not in ("", heading) else heading

    def _general(self, request: Request, citer: _Citer) -> str:
        """The passage holding the unit that best answers the question: whole when it is an
        overview, short or named by the question; otherwise its units that answer (see
        evidence), in its own order; then a second passage if it answers nearly as well."""
        # "is there a book for it?" asks for a book, about the topic; "what about the SQL exam?" about the exam;
        # "and as an analyst?" asks of an analyst what was asked before ("how much do lineworkers make?")
        alone = (questions.has_own_topic(request.question) and not questions.points_back(request.question)
                 and questions.elliptic(request.question) is None)
        context = "" if alone or request.standalone == request.question else request.standalone
        ranked = score_units(request.question, request.passages, self.embedder, self.idf,
                             why=request.intent == "why", context=context, said=request.said)
        if not ranked:
            return self._whole(request.passages[0], citer, request.roadmap)
        # "What will I have to pick up?" asks for a section: the one retrieval ranks first, read from its best unit,
        # unless a section's own heading judges the move as asked ("the best thing about it?": "What You'll Love").
        overview = request.intent == "overview"
        pool = [e for e in ranked if e.judged >= 1] if overview else []
        best = self._figure(request.question, pool or [e for e in ranked if e.rank == 0 or not overview] or ranked,
                            self.idf)
        main, meta = best.doc, ChunkMeta.of(best.doc)
        # short prose is quoted whole, unless the last answer already said some of it: "what if I fail it?" after
        # the exam's questions and minutes asks for the rest of its passage, not all of it again
        short_prose = not meta.is_list and len(main.page_content) <= WHOLE_PASSAGE_CHARS and not any(
            e.said for e in ranked if e.doc.id == main.id)
        # "is it worth it?": the whole of "Upside" says; "what are the tough parts?": how "What's Hard" goes
        side = sides(request.question)
        judging = best.judged > 0 and (meta.is_list or overview and judged(side, main) > 0
                                       or len(main.page_content) <= JUDGED_PROSE_CHARS and judged(side, main) >= 1)
        named = Scores.of(main).heading_match >= HEADING_NAMED
        asked = context or request.question  # "how much does it cost?" of the book the last answer named
        whole = short_prose or judging or (named and (self._whole_list(asked, main) if meta.is_list
                                                      else self._in_brief(request.question, main)))
        if meta.children or (whole and not best.closing):  # "by the end of it?": the phase's last line alone
            text = self._whole(main, citer, request.roadmap, passages=request.passages, lead=request.lead,
                               limit=JUDGED_PROSE_CHARS if judging else WHOLE_PASSAGE_CHARS)
            chosen = passage_units(main)
            if meta.kind == "faq":  # not the question asked (that one is planned as a section): say whose answer
                text = f'From the FAQ, "{meta.heading}": {text}'
        else:
            found = passage_units(main)
            near = [e.text for e in ranked if e.doc.id == main.id and e.score >= best.score - SAME_PASSAGE_GAP]
            heading_says = judged(side, main) if best.judged > 0 and not meta.is_list else 1
            if not heading_says:  # its opening judges as asked: "The hard parts are..." (but not what comes before it)
                near = paragraph_of(main, best.text)
            elif 0 < heading_says < 1:  # "Why make the move" judges only to the heading judge: reasons follow
                near += paragraph_of(main, best.text)
            elif overview and not meta.is_list:  # "what are the gaps?": read on from the best
                near += found[found.index(best.text):]
            if request.said and questions.PICKS_AMONG.search(request.question) and (
                    own := topical_terms(request.question)):
                # "which of those is free?" asks of each thing listed, which the best scored alone may not be
                listed = topical_terms(request.said)
                near = [*(u for u in found if own <= topical_terms(u) and listed & topical_terms(u)), *near]
            kept = set(list(dict.fromkeys(near))[: self.max_units])
            kept |= {said[i - 1] for said in paragraphs(main) for i, u in enumerate(said)
                     if u in kept and i and BACK_REFERENCE.match(u)}  # "Neither is necessary": neither of what
            chosen = [u for u in found if u in kept]
            listed = introduced_list(main, chosen[-1]) if chosen else []
            if listed:  # "...do these five things:" answers with the five things
                lead = [u for u in chosen if u not in listed]
                chosen = [*lead, *listed]
                text = f"{' '.join(lead)} {citer.cite(main, chosen)}{_join(listed, True)}"
            else:
                # "June (week 14) falls in phase 3, ...": where the week asked falls, then what its phase says
                text = _reply(request.lead or meta.label, citer.cite(main, chosen), chosen, meta.is_list)
        if lead := pay_reply(request.question, meta.title, main.page_content, chosen):  # "a pay cut?": which way
            text = f"{lead} {text}"
        if lead := weekly_reply(request.question, chosen):  # "hours a week?" of "90 minutes a day, six days a week"
            text, chosen = f"{lead} {text}", [lead, *chosen]
        lead, used = gap_reply(request.question, request.passages, self.idf)  # "how much more is A than B?"
        if lead:
            text, chosen = f"{lead} {' '.join(dict.fromkeys(citer.cite(d) for d in used))}. {text}", [lead, *chosen]
        asks_phase = request.roadmap is not None and questions.asks_which_phase(request.question)
        if asks_phase and request.roadmap.phase_of(main) is not None and not text.startswith(meta.label):
            text = f"{meta.label}: {text}"  # "which phase has X?": the phase by name, then what it says of X
        if request.pay and judged(side, main) > 0 and request.pay[1].id != main.id and not any(
                PAID.search(u) for u in chosen):  # "is it worth it?" from "Why make the move": and what it pays
            paid, doc = request.pay
            text, chosen = f"{text}\nOn pay: {paid} {citer.cite(doc, [paid])}", [*chosen, paid]
        also = self._also(ranked, best, chosen, citer)
        # the figure may come "Also"; a difference computed from the guide's sums is what was asked
        missing = "" if used else caveat(request.question, [*chosen, also], self.idf, request.foreign)
        return (f"{missing} What it does say: " if missing else "") + text + also

    def _in_brief(self, question: str, doc: Document) -> bool:
        """Whether long prose in brief (how its paragraphs open) holds every word of its own that
        the question adds to its heading: "what does the Coursera certificate cost?" of "What It
        Costs" asks for the sentence naming it, wherever it is."""
        used = (set(content_terms(question)) - set(content_terms(ChunkMeta.of(doc).heading))) & set(
            content_terms(doc.page_content))
        return used <= set(content_terms(" ".join(openings(doc.page_content)[: self.max_units])))

    @staticmethod
    def _whole_list(question: str, doc: Document) -> bool:
        """Whether a list named by its heading answers whole: not when the question asks the sum
        of one thing it lists ("what does the Coursera certificate cost a month?" of "What it
        costs"), named by words of its own that at most half the items hold."""
        if not ASKS_MONEY.search(question):
            return True
        used = (topical_terms(question) - set(content_terms(ChunkMeta.of(doc).heading))) & set(
            content_terms(doc.page_content))
        items = passage_units(doc)
        holding = [u for u in items if used & set(content_terms(u))]
        return not used or len(holding) > len(items) / 2

    @staticmethod
    def _figure(question: str, ranked: list[Evidence], known: Collection[str] = ()) -> Evidence:
        """The best unit, or one nearly as good and as close in meaning that gives the figure the
        question asks for ("how much do juniors make?": the unit with a sum of money)."""
        top = ranked[0]
        return next((e for e in ranked if e.score >= top.score - FIGURE_GAP and e.similarity >= top.similarity
                     and gives_the_figure(question, [e.text], known)), top)

    def _also(self, ranked: list[Evidence], best: Evidence, chosen: list[str], citer: _Citer) -> str:
        """One more unit from another section, if it answers nearly as well and says more."""
        said = {t for u in chosen for t in content_terms(u)}
        for e in ranked[1:]:
            if e.score < best.score - ALSO_GAP:
                return ""
            meta = ChunkMeta.of(e.doc)
            if meta.section != ChunkMeta.of(best.doc).section and not meta.children and (
                    set(content_terms(e.text)) - said):
                found = passage_units(e.doc)
                at = found.index(e.text)
                quoted = found[at: at + 2] if len(e.text.split()) < SAYS_WORDS else [e.text]  # "Usually." and why
                if listed := introduced_list(e.doc, e.text):  # "do the following:" and what follows
                    return f"\nAlso: {e.text} {citer.cite(e.doc, [e.text, *listed])}{_join(listed, True)}"
                return f"\nAlso: {' '.join(quoted)} {citer.cite(e.doc, quoted)}"
        return ""
