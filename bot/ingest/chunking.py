"""Chunking along the outline: one section's text per chunk (never two sections in one), its
heading path, place and, for a roadmap phase, its weeks in the metadata.

A section longer than the chunk size is cut between lines; a single line longer than it is
cut between sentences, or between words, so no chunk exceeds the size.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from dataclasses import replace

from langchain_core.documents import Document

from bot.ingest.outline import Guide, Section
from bot.schema import ChunkMeta
from bot.text import SEP, sentences


def chunk_id(source: str, section: str, text: str) -> str:
    """A stable id derived from content: the same text in the same place keeps its id."""
    return hashlib.sha256(f"{source}\0{section}\0{text}".encode()).hexdigest()[:24]


def split_line(line: str, limit: int) -> list[str]:
    """A line cut into pieces of at most `limit` characters: between sentences where it can,
    between words where it must, anywhere as a last resort."""
    if len(line) <= limit:
        return [line]
    pieces: list[str] = []
    for part in sentences(line) if len(sentences(line)) > 1 else line.split(" "):
        for bit in [part[i : i + limit] for i in range(0, len(part), limit)]:
            if pieces and len(pieces[-1]) + 1 + len(bit) <= limit:
                pieces[-1] += " " + bit
            else:
                pieces.append(bit)
    return pieces


def windows(lines: list[str], limit: int) -> list[list[str]]:
    """Group lines into runs of at most `limit` characters."""
    out: list[list[str]] = [[]]
    size = 0
    for piece in (piece for line in lines for piece in split_line(line, limit)):
        if out[-1] and size + len(piece) > limit:
            out.append([])
            size = 0
        out[-1].append(piece)
        size += len(piece) + 1
    return out


def section_meta(guide: Guide, section: Section) -> ChunkMeta:
    span = section.span
    return ChunkMeta(
        source=guide.source, section=SEP.join(section.path), kind=section.kind, title=guide.title,
        heading=section.title, parent=SEP.join(section.path[:-1]), children=tuple(c.title for c in section.children),
        shape=section.shape, phase=section.phase, duration=section.timing.text if section.timing else "",
        weeks=span.weeks if span else None, first_week=span.first_week if span else None,
        month_weeks=guide.weeks_per_month if span and guide.month_rule_stated else None,
        lead=section.lead,
    )


def chunk_guide(guide: Guide, chunk_chars: int = 900) -> list[Document]:
    """Documents for one guide: each section's body, in reading order, with the guide's title
    in the metadata (it is cited for its framing, e.g. "4-Month", but never ranked)."""
    return list(iter_chunks(guide, chunk_chars))


def iter_chunks(guide: Guide, chunk_chars: int = 900) -> Iterator[Document]:
    """chunk_guide one chunk at a time, so an ingest never holds a whole large file's chunks."""
    seen: set[str] = set()
    for section in guide.walk():
        meta = section_meta(guide, section)
        for window in windows(section.body, chunk_chars) if section.body else [[section.title[:chunk_chars]]]:
            text = "\n".join(window)
            ident = chunk_id(meta.source, meta.section, text)
            while ident in seen:  # the same text twice in one guide
                ident = chunk_id(meta.source, meta.section, text + ident)
            yield Document(id=ident, page_content=text, metadata=replace(meta, position=len(seen)).to_metadata())
            seen.add(ident)
