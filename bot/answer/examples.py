"""Example questions drawn from a guide's own outline, so every guide gets its own: its
roadmap, its action plan ("This Week"), its FAQ's own questions and a skill it names, each
asked as a user would ask it."""

from __future__ import annotations

from langchain_core.documents import Document

from bot.answer.roadmap import Roadmap
from bot.schema import ChunkMeta


def example_questions(documents: list[Document], roadmap: Roadmap | None, limit: int = 6) -> list[str]:
    metas = [ChunkMeta.of(d) for d in documents]
    out = []
    if roadmap and roadmap.phases:
        out.append("How long does the whole roadmap take?")
        out.append(f"What happens in the {roadmap.phases[0].name} phase?")
    headings = [m.heading for m in metas if m.kind == "section"]
    out += [f"What should I do {h.lower()}?" for h in headings if h.split()[0] in ("This", "Next")][:1]
    faq = [m.heading for m in metas if m.kind == "faq" and m.heading.endswith("?")]
    faq_sections = [h for h in headings if "question" in h.lower() or "faq" in h.lower()]
    out += faq[:2] or [f"What does the {h} section say?" for h in faq_sections]
    topics = [m for m in metas if m.parent and m.kind == "section" and m.weeks is None]
    skills = [m for m in topics if "skill" in m.parent.lower()]  # "Transferable Skills", "Skills to build"
    out += [f"What does the guide say about {m.heading}?" for m in (skills or topics)[:1]]
    return list(dict.fromkeys(out))[:limit]
