"""The guide's sections as the index holds them: each section's first passage, its parts and
siblings, and the sections a question asks for by their heading."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from langchain_core.documents import Document

from bot.answer.questions import asks_for, normalise_time
from bot.ingest.outline import heading_name
from bot.schema import ChunkMeta

# The time a heading names, by which a question may ask for it: "what do I do this week?"
NAMED_TIME = re.compile(r"\b(?:this|next)\s+(?:week|month|\d+\s+days)\b", re.I)
DAYS = re.compile(r"\d+\s+days")  # a count of days, read as the week or month it makes (not "Next week")


@dataclass
class Sections:
    """The passages of a guide, read as its outline of sections."""

    documents: list[Document]  # every passage, in reading order

    def first_passages(self, source: str, parent: str) -> dict[str, Document]:
        """heading -> first passage of each section under parent in one file, in reading order."""
        firsts: dict[str, Document] = {}
        for doc in self.documents:
            meta = ChunkMeta.of(doc)
            if meta.source == source and meta.parent == parent:
                firsts.setdefault(meta.heading, doc)
        return firsts

    def parts(self, doc: Document) -> list[Document]:
        """The first passage of each of doc's subsections, in order."""
        meta = ChunkMeta.of(doc)
        firsts = self.first_passages(meta.source, meta.section)
        return [firsts[c] for c in meta.children if c in firsts]

    def first(self, section: str) -> Document | None:
        return next((d for d in self.documents if ChunkMeta.of(d).section == section), None)

    def sibling(self, doc: Document, step: int = 1) -> Document | None:
        """The sibling section after (step 1) or before (step -1) doc: same file, same parent."""
        m = ChunkMeta.of(doc)
        siblings = self.first_passages(m.source, m.parent)
        order = list(siblings)
        i = order.index(m.heading) + step if m.heading in siblings else -1
        return siblings[order[i]] if 0 <= i < len(order) else None

    @cached_property
    def by_name(self) -> dict[str, set[str]]:
        """Each heading's name (its numbering aside) -> the sections headed so."""
        names: dict[str, set[str]] = {}
        for meta in map(ChunkMeta.of, self.documents):
            names.setdefault(heading_name(meta.heading), set()).add(meta.section)
            for time in NAMED_TIME.findall(meta.heading):  # "Your First Steps This Week" is "This Week" too
                names.setdefault(time, set()).add(meta.section)
                if DAYS.search(time):  # ...and "Next 30 days" is "this month", as "the next month" is read
                    names.setdefault(normalise_time(time), set()).add(meta.section)
        return names

    @cached_property
    def leaves(self) -> set[str]:
        """The names of sections without parts."""
        return {heading_name(m.heading) for m in map(ChunkMeta.of, self.documents) if not m.children}

    def opened_with(self, text: str) -> Document | None:
        """The section whose heading of two words or more a text opens with as its label, the
        longest such ("Month 5 — Implement in a real project: ...": "Month 5"), if it heads one
        section ("Python, Linux and Git, from Sep 14" names a phase, not the skill "Python")."""
        low = text.lower()
        opened = [name for name in self.by_name if len(name.split()) > 1
                  and re.match(rf"{re.escape(name.lower())}\s*[—–:(\[]", low)]
        sections = self.by_name[max(opened, key=len)] if opened else set()
        return self.first(next(iter(sections))) if len(sections) == 1 else None

    def asked_for(self, question: str) -> set[str]:
        """The sections a question asks for by their heading ("what should I get done this week?"),
        the finest of a section and its part ("This Week and the Next 30 Days" > "Next 30 days")."""
        text = normalise_time(question)
        asked = {section for name, sections in self.by_name.items()
                 if asks_for(text, name, leaf=name in self.leaves) for section in sections}
        return {s for s in asked if not any(other.startswith(f"{s} > ") for other in asked)}


def within(doc: Document, sections: set[str]) -> bool:
    """Whether a passage belongs to one of the sections, or to a subsection of one."""
    return any(f"{ChunkMeta.of(doc).section} > ".startswith(f"{s} > ") for s in sections)
