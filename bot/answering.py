"""Answering: the Answerer interface, and the default offline answerer that builds its
answer from the guide's own sentences and bullets, each carrying a numbered citation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from langchain_core.documents import Document

from bot.loader import BULLET, DURATION_LINE
from bot.questions import GENERIC
from bot.retrieval import content_terms
from bot.roadmap import Roadmap

SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'(])")
WHOLE_PASSAGE_CHARS = 400
RARE_IDF = 2.0  # a word in only a few passages: worth citing a second section for


@dataclass
class Citation:
    number: int
    source: str
    section: str
    text: str  # the whole passage
    quote: str  # the sentences or bullets the answer took from it

    def to_dict(self) -> dict:
        return {"n": self.number, "source": self.source, "section": self.section,
                "text": self.text, "quote": self.quote}


@dataclass
class Answer:
    text: str
    citations: list[Citation]
    retrieved: list[Document]
    answerer: str
    refused: bool = False


@dataclass
class Request:
    """What the chain hands an answerer: the question, its context and a plan.

    plan is one of: "refuse", "total" (sum of the roadmap's phases), "duration" (one
    phase's length), "section" (present `focus` whole, introduced by `lead`), "general".
    """

    question: str
    standalone: str
    history: list[dict]
    passages: list[Document]
    plan: str = "general"
    focus: Document | None = None
    lead: str = ""
    roadmap: Roadmap | None = None


class Answerer(Protocol):
    """Anything that turns a Request into an Answer, streaming its text as it goes."""

    name: str

    def stream(self, request: Request) -> Iterator[str | Answer]:
        """Yield pieces of the answer's text, then the finished Answer."""
        ...


def units(text: str) -> list[str]:
    """A passage's bullets and sentences, markers and duration prefixes removed."""
    out = []
    for line in text.split("\n"):
        if BULLET.match(line):
            out.append(BULLET.sub("", line, count=1).strip())
        elif DURATION_LINE.match(line):
            out.append(DURATION_LINE.sub("", line, count=1).strip())
        else:
            out.extend(s.strip() for s in SENTENCE_END.split(line) if s.strip())
    return out


def is_list(doc: Document) -> bool:
    return doc.metadata.get("shape") == "bullets"


def title_of(doc: Document) -> str:
    heading = doc.metadata.get("heading") or doc.metadata.get("section", "")
    duration = doc.metadata.get("duration")
    return f"{heading} ({duration})" if duration else heading


class _Citer:
    """Numbers passages in the order the answer first cites them."""

    def __init__(self) -> None:
        self.citations: list[Citation] = []

    def cite(self, doc: Document, quote: list[str] | None = None) -> str:
        for c in self.citations:
            if c.text == doc.page_content and c.section == doc.metadata.get("section"):
                return f"[{c.number}]"
        n = len(self.citations) + 1
        self.citations.append(Citation(
            number=n, source=doc.metadata.get("source", ""), section=doc.metadata.get("section", ""),
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
            "refuse": self._refuse,
            "total": self._total,
            "duration": self._duration,
            "section": self._section,
        }.get(request.plan, self._general)
        text = build(request, citer)
        return Answer(text=text.strip(), citations=citer.citations, retrieved=request.passages,
                      answerer=self.name, refused=request.plan == "refuse")

    def _refuse(self, request: Request, citer: _Citer) -> str:
        near = list(dict.fromkeys(d.metadata.get("section", "") for d in request.passages[:3]))
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
                f"(about {weeks * 12 / 52:.1f} months): " + ", ".join(parts) + ".")
        if roadmap.framing and roadmap.title_doc is not None:
            text += (f" The guide's title frames it as a {roadmap.framing} transition "
                     f"{citer.cite(roadmap.title_doc)}.")
        return text

    def _duration(self, request: Request, citer: _Citer) -> str:
        roadmap, doc = request.roadmap, request.focus
        assert roadmap is not None and doc is not None
        phase = roadmap.phase_of(doc)
        assert phase is not None
        first = units(doc.page_content)[:1]
        n = roadmap.phases.index(phase) + 1
        return (f"{phase.name} takes {phase.duration} {citer.cite(doc, first)}: phase {n} of "
                f"{len(roadmap.phases)}, weeks {phase.start_week + 1:g}-{phase.start_week + phase.weeks:g} "
                f"of the {roadmap.total_weeks:g}-week roadmap. It starts with: {first[0]}")

    def _section(self, request: Request, citer: _Citer) -> str:
        doc = request.focus
        assert doc is not None
        return self._whole(doc, citer, request.roadmap, lead=request.lead)

    def _whole(self, doc: Document, citer: _Citer, roadmap: Roadmap | None, lead: str = "") -> str:
        """A section in full: its bullets, its text (the first sentences if long), or its parts."""
        items = units(doc.page_content)
        children = [c for c in doc.metadata.get("children", "").split("|") if c]
        if children:
            if roadmap and roadmap.section == doc.metadata.get("section"):
                children = [p.label for p in roadmap.phases]
            text = f"{lead} {citer.cite(doc)}:" if lead else f"{' '.join(items)} {citer.cite(doc)}"
            return text + "".join(f"\n- {c}" for c in children)
        if not is_list(doc) and len(doc.page_content) > WHOLE_PASSAGE_CHARS:
            items = items[:2]
        head = lead or title_of(doc)
        return f"{head} {citer.cite(doc, items)}:{_join(items, is_list(doc))}"

    def _general(self, request: Request, citer: _Citer) -> str:
        """The best passage: whole when the question names its section or it is short,
        otherwise the sentences or bullets that match the question (plus its opening
        sentence, for prose); then one more section if it covers words the first did not."""
        main = request.passages[0]
        terms = set(content_terms(request.standalone))
        specific = terms - set(content_terms(main.metadata.get("heading", "")))
        if main.metadata.get("children"):
            # An overview answers questions about the whole section, not about one detail
            # ("what is CI/CD used for in the roadmap?"): prefer a passage that has the detail.
            detailed = [d for d in request.passages[1:] if any(s for s, _ in self._score(d, specific - GENERIC))]
            if detailed:
                main = detailed[0]
                specific = terms - set(content_terms(main.metadata.get("heading", "")))
        scored = self._score(main, specific)
        best = max((s for s, _ in scored), default=0.0)
        short_prose = not is_list(main) and len(main.page_content) <= WHOLE_PASSAGE_CHARS
        if main.metadata.get("children") or main.metadata.get("heading_match", 0) >= 0.5 or best == 0 or short_prose:
            text = self._whole(main, citer, request.roadmap)
            chosen = units(main.page_content)
        else:
            chosen = [u for s, u in scored if s >= 0.5 * best][: self.max_units]
            if not is_list(main):
                chosen = list(dict.fromkeys([units(main.page_content)[0], *chosen]))[: self.max_units]
            text = f"{title_of(main)} {citer.cite(main, chosen)}:{_join(chosen, is_list(main))}"
        covered = {t for u in chosen for t in content_terms(u)}
        missing = {t for t in specific - covered - GENERIC if self.idf.get(t, 0.0) >= RARE_IDF}
        return text + self._also(request, missing, citer)

    def _score(self, doc: Document, terms: set[str]) -> list[tuple[float, str]]:
        return [(sum(self.idf.get(t, 1.0) for t in terms & set(content_terms(u))), u)
                for u in units(doc.page_content)]

    def _also(self, request: Request, missing: set[str], citer: _Citer) -> str:
        """One more passage from another top section, for question words not yet covered."""
        main_section = request.passages[0].metadata.get("section")
        for doc in request.passages[1:3]:
            if doc.metadata.get("section") == main_section or doc.metadata.get("children"):
                continue
            scored = [(s, u) for s, u in self._score(doc, missing) if s > 0]
            if scored:
                _, u = max(scored)
                return f"\nAlso, {title_of(doc)} {citer.cite(doc, [u])}: {u}"
        return ""
