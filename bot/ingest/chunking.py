"""Chunking along the outline: one section's text per chunk, its heading path in the metadata.

Roadmap facts are extracted here too: a section whose subsections state durations
("4 weeks- ...") is a roadmap, and each phase's chunk carries its duration in weeks.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from langchain_core.documents import Document

from bot.ingest.loader import Guide, Section
from bot.schema import ChunkMeta
from bot.text import SEP

DURATION = re.compile(r"\b(\d+(?:\.\d+)?)\s*[- ]?\s*(week|month|day|year)s?\b", re.I)
WEEKS_PER = {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}


def parse_duration(text: str) -> tuple[str, float] | None:
    """('4 weeks', 4.0) for the first duration in text, or None."""
    m = DURATION.search(text)
    if not m:
        return None
    n, unit = float(m.group(1)), m.group(2).lower()
    return m.group(0), n * WEEKS_PER[unit]


def chunk_id(source: str, section: str, text: str) -> str:
    """A stable id derived from content: the same text in the same place keeps its id."""
    return hashlib.sha256(f"{source}\0{section}\0{text}".encode()).hexdigest()[:24]


def _phase_durations(section: Section) -> dict[int, tuple[str, float]]:
    """Durations of a section's children, if at least two of them state one (a roadmap)."""
    found = {}
    for i, child in enumerate(section.children):
        d = parse_duration(child.title) or (parse_duration(child.body[0]) if child.body else None)
        if d:
            found[i] = d
    return found if len(found) >= 2 else {}


def _windows(lines: list[str], limit: int) -> list[list[str]]:
    """Group lines into runs of at most `limit` characters (a longer line stands alone)."""
    out: list[list[str]] = [[]]
    size = 0
    for line in lines:
        if out[-1] and size + len(line) > limit:
            out.append([])
            size = 0
        out[-1].append(line)
        size += len(line) + 1
    return out


def chunk_guide(guide: Guide, chunk_chars: int = 900) -> list[Document]:
    """Documents for one guide: each section's body, in reading order, with the guide's title
    in the metadata (it is cited for its framing, e.g. "4-Month", but never ranked)."""
    docs: list[Document] = []
    phases = _phases(guide)
    for section in guide.walk():
        path = SEP.join(section.path)
        duration, weeks = phases.get(id(section), ("", None))
        meta = ChunkMeta(source=guide.source, section=path, title=guide.title, heading=section.title,
                         parent=SEP.join(section.path[:-1]), children=tuple(c.title for c in section.children),
                         shape=section.shape, duration=duration, weeks=weeks)
        for window in _windows(section.body, chunk_chars) if section.body else [[]]:
            if window or meta.children:
                _add(docs, "\n".join(window) if window else section.title, meta)
    return docs


def _phases(guide: Guide) -> dict[int, tuple[str, float]]:
    """id(section) -> (stated duration, weeks) for every roadmap phase in the guide."""
    return {id(section.children[i]): found for section in guide.walk()
            for i, found in _phase_durations(section).items()}


def _add(docs: list[Document], text: str, meta: ChunkMeta) -> None:
    """Append a chunk with its place in reading order and an id derived from its content."""
    ident = chunk_id(meta.source, meta.section, text)
    while any(d.id == ident for d in docs):  # the same text twice in one section
        ident = chunk_id(meta.source, meta.section, text + ident)
    docs.append(Document(id=ident, page_content=text, metadata=replace(meta, position=len(docs)).to_metadata()))
