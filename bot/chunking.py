"""Chunking along the outline: one section's text per chunk, its heading path in the metadata.

Roadmap facts are extracted here too: a section whose subsections state durations
("4 weeks- ...") is a roadmap, and each phase's chunk carries its duration in weeks.
"""

from __future__ import annotations

import hashlib
import re

from langchain_core.documents import Document

from bot.loader import Guide, Section

DURATION = re.compile(r"\b(\d+(?:\.\d+)?)\s*[- ]?\s*(week|month|day|year)s?\b", re.I)
WEEKS_PER = {"day": 1 / 7, "week": 1.0, "month": 52 / 12, "year": 52.0}
SEP = " > "


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

    def add(section_path: str, text: str, **meta) -> None:
        ident = chunk_id(guide.source, section_path, text)
        while any(d.id == ident for d in docs):  # the same text twice in one section
            ident = chunk_id(guide.source, section_path, text + ident)
        meta = {k: v for k, v in meta.items() if v not in (None, "")}
        docs.append(
            Document(
                id=ident,
                page_content=text,
                metadata={"source": guide.source, "section": section_path, "position": len(docs), **meta},
            )
        )

    phase_info: dict[int, tuple[int, str, float]] = {}  # id(section) -> (order, text, weeks)
    for section in guide.walk():
        for i, (text, weeks) in _phase_durations(section).items():
            phase_info[id(section.children[i])] = (i, text, weeks)
    for section in guide.walk():
        path = SEP.join(section.path)
        phase = phase_info.get(id(section))
        children = "|".join(c.title for c in section.children)
        for window in _windows(section.body, chunk_chars) if section.body else [[]]:
            if not window and not children:
                continue
            add(
                path,
                "\n".join(window) if window else section.title,
                kind="section",
                title=guide.title,
                heading=section.title,
                parent=SEP.join(section.path[:-1]),
                children=children,
                shape=section.shape,
                phase_order=phase[0] if phase else None,
                duration=phase[1] if phase else None,
                weeks=phase[2] if phase else None,
            )
    return docs
