"""The default, offline answerer: builds its answer from the guide's own sentences and
bullets, each carrying a numbered citation; totals and durations come from the roadmap facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from langchain_core.documents import Document

from bot.answer.roadmap import Roadmap
from bot.schema import Answer, ChunkMeta, Citation, Plan, Request, Scores
from bot.text import GENERIC, content_terms, units

WHOLE_PASSAGE_CHARS = 400  # prose up to this length is quoted whole; longer, its best sentences
RARE_IDF = 2.0  # a word in only a few passages: worth citing a second section for
NEAR_BEST = 0.5  # sentences scoring at least half the best one's score are quoted too
HEADING_NAMED = 0.5  # share of a heading's words that counts as the question naming it
ALSO_FROM = 3  # a second section is looked for among the top passages only


def compare(weeks: float, claimed: float) -> str:
    """How a computed total stands against a claimed one: ", which the phases fit" or
    "; the phases take 3 weeks more than that (26 weeks)"."""
    gap = round(weeks - claimed)
    if abs(weeks - claimed) < 1:
        return ", which the phases fit"
    more = "more" if gap > 0 else "less"
    said = f"{claimed:g}" if claimed == int(claimed) else f"about {claimed:.0f}"
    return f"; the phases take {abs(gap):g} week{'s' if abs(gap) != 1 else ''} {more} than that ({said} weeks)"


def title_of(doc: Document) -> str:
    return ChunkMeta.of(doc).label


class _Citer:
    """Numbers passages in the order the answer first cites them."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []

    def cite(self, doc: Document, quote: list[str] | None = None) -> str:
        meta = ChunkMeta.of(doc)
        for c in self.citations:
            if c.text == doc.page_content and c.section == meta.section:
                return f"[{c.number}]"
        n = len(self.citations) + 1
        self.citations.append(Citation(
            number=n, source=meta.source, section=meta.section,
            text=doc.page_content, quote="\n".join(quote) if quote else doc.page_content,
        ))
        return f"[{n}]"


def _join(items: list[str], bullets: bool) -> str:
    if bullets:
        return "".join(f"\n- {u}" for u in items)
    return " " + " ".join(items)


class ExtractiveAnswerer:
    """The default answerer: no model, only the guide's own words, most relevant first."""

    name = "offline (extractive)"

    def __init__(self, idf: dict[str, float] | None = None, max_units: int = 4) -> None:
        self.idf = idf or {}
        self.max_units = max_units

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
        }[request.plan]
        text = build(request, citer)
        return Answer(text=text.strip(), citations=citer.citations, retrieved=request.passages,
                      answerer=self.name, refused=request.plan == Plan.REFUSE)

    def _refuse(self, request: Request, citer: _Citer) -> str:
        near = list(dict.fromkeys(ChunkMeta.of(d).section for d in request.passages[:ALSO_FROM]))
        where = ", ".join(near[:-1]) + (" and " if len(near) > 1 else "") + near[-1] if near else ""
        text = "The guide doesn't cover that, so I can't answer it from the guide."
        return text + (f" The nearest sections it does cover are {where}." if where else "")

    def _total(self, request: Request, citer: _Citer) -> str:
        roadmap = request.roadmap
        assert roadmap is not None
        parts = [f"{p.label} {citer.cite(p.doc, [p.doc.page_content.split(chr(10))[0]])}"
                 for p in roadmap.phases]
        weeks = roadmap.total_weeks
        text = (f"The roadmap's {len(parts)} phases add up to {weeks:g} weeks "
                f"(about {roadmap.in_months(weeks):.1f} months, {roadmap.month_rule}): " + ", ".join(parts) + ".")
        if roadmap.framing and roadmap.title_doc is not None:
            text += f" The guide's title frames it as a {roadmap.framing} transition {citer.cite(roadmap.title_doc)}"
            text += compare(weeks, roadmap.framing_weeks) + "."
        return text

    def _duration(self, request: Request, citer: _Citer) -> str:
        roadmap, doc = request.roadmap, request.focus
        assert roadmap is not None and doc is not None
        phase = roadmap.phase_of(doc)
        assert phase is not None
        first = units(doc.page_content)[:1]
        n = roadmap.phases.index(phase) + 1
        return (f"{phase.name} takes {phase.duration} {citer.cite(doc, first)}: phase {n} of "
                f"{len(roadmap.phases)}, {phase.span} "
                f"of the {roadmap.total_weeks:g}-week roadmap. It starts with: {first[0]}")

    def _section(self, request: Request, citer: _Citer) -> str:
        doc = request.focus
        assert doc is not None
        return self._whole(doc, citer, request.roadmap, lead=request.lead)

    def _whole(self, doc: Document, citer: _Citer, roadmap: Roadmap | None, lead: str = "") -> str:
        """A section in full: its bullets, its text (the first sentences if long), or its parts."""
        meta = ChunkMeta.of(doc)
        items = units(doc.page_content)
        children = list(meta.children)
        if children:
            if roadmap and roadmap.section == meta.section:
                children = [p.label for p in roadmap.phases]
            text = f"{lead} {citer.cite(doc)}:" if lead else f"{' '.join(items)} {citer.cite(doc)}"
            return text + "".join(f"\n- {c}" for c in children)
        if not meta.is_list and len(doc.page_content) > WHOLE_PASSAGE_CHARS:
            items = items[:2]
        head = lead or meta.label
        return f"{head} {citer.cite(doc, items)}:{_join(items, meta.is_list)}"

    def _general(self, request: Request, citer: _Citer) -> str:
        """The best passage: whole when the question names its section or it is short,
        otherwise the sentences or bullets that match the question (plus its opening
        sentence, for prose); then one more section if it covers words the first did not."""
        main = request.passages[0]
        terms = set(content_terms(request.standalone))
        specific = terms - set(content_terms(ChunkMeta.of(main).heading))
        if ChunkMeta.of(main).children:
            # An overview answers questions about the whole section, not about one detail
            # ("what is CI/CD used for in the roadmap?"): prefer a passage that has the detail.
            detailed = [d for d in request.passages[1:] if any(s for s, _ in self._score(d, specific - GENERIC))]
            if detailed:
                main = detailed[0]
                specific = terms - set(content_terms(ChunkMeta.of(main).heading))
        meta = ChunkMeta.of(main)
        scored = self._score(main, specific)
        best = max((s for s, _ in scored), default=0.0)
        short_prose = not meta.is_list and len(main.page_content) <= WHOLE_PASSAGE_CHARS
        if meta.children or Scores.of(main).heading_match >= HEADING_NAMED or best == 0 or short_prose:
            text = self._whole(main, citer, request.roadmap)
            chosen = units(main.page_content)
        else:
            chosen = [u for s, u in scored if s >= NEAR_BEST * best][: self.max_units]
            if not meta.is_list:
                chosen = list(dict.fromkeys([units(main.page_content)[0], *chosen]))[: self.max_units]
            text = f"{meta.label} {citer.cite(main, chosen)}:{_join(chosen, meta.is_list)}"
        covered = {t for u in chosen for t in content_terms(u)}
        missing = {t for t in specific - covered - GENERIC if self.idf.get(t, 0.0) >= RARE_IDF}
        return text + self._also(request, missing, citer)

    def _score(self, doc: Document, terms: set[str]) -> list[tuple[float, str]]:
        return [(sum(self.idf.get(t, 1.0) for t in terms & set(content_terms(u))), u)
                for u in units(doc.page_content)]

    def _also(self, request: Request, missing: set[str], citer: _Citer) -> str:
        """One more passage from another top section, for question words not yet covered."""
        main_section = ChunkMeta.of(request.passages[0]).section
        for doc in request.passages[1:ALSO_FROM]:
            meta = ChunkMeta.of(doc)
            if meta.section == main_section or meta.children:
                continue
            scored = [(s, u) for s, u in self._score(doc, missing) if s > 0]
            if scored:
                _, u = max(scored)
                return f"\nAlso, {title_of(doc)} {citer.cite(doc, [u])}: {u}"
        return ""
