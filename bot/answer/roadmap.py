"""Roadmap facts: the phases a guide lays out, with their weeks, read from chunk metadata.

Ingest marks each phase chunk with its order and duration (see chunking); this module
puts them back together so that totals are computed, never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from langchain_core.documents import Document

from bot.ingest.chunking import WEEKS_PER, parse_duration
from bot.schema import ChunkMeta


def title_document(doc: Document) -> Document | None:
    """The title line of the guide a passage comes from, as a citable passage."""
    meta = ChunkMeta.of(doc)
    if not meta.title:
        return None
    return Document(id=f"title:{meta.source}", page_content=meta.title,
                    metadata=ChunkMeta(source=meta.source, section=meta.title, kind="title").to_metadata())


def in_months(weeks: float) -> float:
    return weeks / WEEKS_PER["month"]


@dataclass
class Phase:
    name: str
    duration: str
    weeks: float
    start_week: float  # weeks done before this phase
    doc: Document

    @property
    def label(self) -> str:
        return f"{self.name} ({self.duration})"

    @property
    def first_week(self) -> float:
        return self.start_week + 1

    @property
    def last_week(self) -> float:
        return self.start_week + self.weeks

    @property
    def span(self) -> str:
        """"weeks 5-10": where the phase falls in the roadmap."""
        return f"weeks {self.first_week:g}-{self.last_week:g}"


@dataclass
class Roadmap:
    """The phases of one roadmap section, in order, and the guide's own framing of its length."""

    section: str
    phases: list[Phase]
    title_doc: Document | None

    @property
    def total_weeks(self) -> float:
        return sum(p.weeks for p in self.phases)

    @property
    def framing(self) -> str | None:
        """A duration the guide's title claims (e.g. '4-Month'), if any."""
        if self.title_doc is None:
            return None
        found = parse_duration(self.title_doc.page_content)
        return found[0] if found else None

    @classmethod
    def from_documents(cls, documents: list[Document]) -> Roadmap | None:
        """The roadmap with the most phases among the passages, or None if there is none."""
        groups: dict[tuple[str, str], list[tuple[ChunkMeta, Document]]] = {}
        for doc in documents:
            meta = ChunkMeta.of(doc)
            if meta.weeks is not None:
                groups.setdefault((meta.source, meta.parent), []).append((meta, doc))
        if not groups:
            return None
        (source, section), docs = max(groups.items(), key=lambda kv: len(kv[1]))
        seen: set[str] = set()
        phases, done = [], 0.0
        for meta, doc in sorted(docs, key=lambda md: md[0].position):
            if meta.heading in seen:  # a long phase split over several chunks
                continue
            seen.add(meta.heading)
            phases.append(Phase(meta.heading, meta.duration, float(meta.weeks), done, doc))
            done += float(meta.weeks)
        return cls(section=section, phases=phases, title_doc=title_document(phases[0].doc))

    def phase_at(self, week: float) -> Phase | None:
        """The phase that week N (1-based) falls in."""
        return next((p for p in self.phases if p.start_week < week <= p.start_week + p.weeks), None)

    def phase_of(self, doc: Document) -> Phase | None:
        heading = ChunkMeta.of(doc).heading
        return next((p for p in self.phases if p.name == heading), None)
