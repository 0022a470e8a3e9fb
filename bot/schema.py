"""The typed contracts between stages: what a chunk knows about itself, what retrieval adds,
what the chain asks an answerer for, and the answer it gets back."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from langchain_core.documents import Document

if TYPE_CHECKING:
    from bot.answer.roadmap import Roadmap

CHILD_SEP = "|"  # Chroma metadata holds scalars only, so a section's child headings are joined


@dataclass(frozen=True)
class ChunkMeta:
    """What a stored passage knows about its place in the guide (its Chroma metadata)."""

    source: str  # the corpus file, relative to the corpus folder
    section: str  # the heading path, joined by text.SEP
    position: int = 0  # reading order within the file
    kind: str = "section"  # "section", "faq" (a question, its answer), "phase" (of the roadmap), "title"
    title: str = ""  # the guide's title
    heading: str = ""  # the section's own heading
    parent: str = ""  # the parent's heading path
    children: tuple[str, ...] = ()  # the headings of its subsections
    shape: str = "prose"  # "bullets" when its body is a list
    phase: str = ""  # a roadmap phase's name, without its number or time
    duration: str = ""  # ...the words that state its time ("4 weeks", "Weeks 1–3", "Months 2–3")
    weeks: float | None = None  # ...its length in weeks
    first_week: float | None = None  # ...the week it starts in (1-based)
    month_weeks: float | None = None  # ...the weeks to a month, where the guide states its rule
    lead: str = ""  # what the guide writes before the passage: its heading line, or a term's "SCORM: "

    @classmethod
    def of(cls, doc: Document) -> ChunkMeta:
        m = doc.metadata
        return cls(
            source=m.get("source", ""), section=m.get("section", ""), position=m.get("position", 0),
            kind=m.get("kind", "section"), title=m.get("title", ""), heading=m.get("heading", ""),
            parent=m.get("parent", ""), children=tuple(c for c in m.get("children", "").split(CHILD_SEP) if c),
            shape=m.get("shape", "prose"), phase=m.get("phase", ""), duration=m.get("duration", ""),
            weeks=m.get("weeks"), first_week=m.get("first_week"), month_weeks=m.get("month_weeks"),
            lead=m.get("lead", ""),
        )

    def to_metadata(self) -> dict[str, Any]:
        """Chroma-ready metadata: scalars only, empty fields left out."""
        out = {**asdict(self), "children": CHILD_SEP.join(self.children)}
        return {k: v for k, v in out.items() if v not in (None, "")}

    @property
    def is_list(self) -> bool:
        return self.shape == "bullets"

    @property
    def label(self) -> str:
        """The heading, with the duration a roadmap phase states: "Portfolio (4 weeks)"."""
        name = self.heading or self.section
        return f"{name} ({self.duration})" if self.duration and self.duration not in name else name


@dataclass(frozen=True)
class Scores:
    """What retrieval found of a passage (kept in its metadata, LangChain's convention)."""

    score: float = 0.0  # fused rank score
    similarity: float = 0.0  # cosine similarity to the question
    bm25: float = 0.0  # keyword score
    heading_match: float = 0.0  # share of its heading the question names
    judged: int = 0  # +1: the heading judges the move as the question does, in words of its own; -1: the other way

    @classmethod
    def of(cls, doc: Document) -> Scores:
        m = doc.metadata
        return cls(m.get("score", 0.0), m.get("similarity", 0.0), m.get("bm25", 0.0), m.get("heading_match", 0.0),
                   m.get("judged", 0))


class Plan(StrEnum):
    """How the answerer should answer a Request."""

    REFUSE = "refuse"  # the guide does not cover the question
    TOTAL = "total"  # the roadmap's phases added up
    DURATION = "duration"  # one phase's length (`focus`)
    SECTION = "section"  # present `focus` whole, introduced by `lead`
    GENERAL = "general"  # the sentences of the passages that answer the question
    FACT = "fact"  # a fact computed from the outline (`lead`), citing `passages`
    CHAT = "chat"  # small talk: hello, thanks, what can you do (`suggestions`)
    SUMMARY = "summary"  # the guide as a whole: its top-level `passages`


@dataclass
class Request:
    """What the chain hands an answerer: the question, its context and a plan."""

    question: str
    standalone: str  # the question with what the conversation was about
    history: list[dict]
    passages: list[Document]
    plan: Plan = Plan.GENERAL
    focus: Document | None = None
    lead: str = ""
    roadmap: Roadmap | None = None
    suggestions: list[str] = field(default_factory=list)  # questions the guide answers, for small talk
    intent: str = "passage"  # what the question was read as asking (see answer.intents)
    title: str = ""  # the guide's title
    said: str = ""  # for a follow-up, the answer it follows: not to be said again
    pay: tuple[str, Document] | None = None  # "is it worth it?": the guide's sentence on the move's pay, its passage
    foreign: list[str] = field(default_factory=list)  # the question's words the guide has nothing near


def as_written(doc: Document) -> str:
    """A passage as the guide shows it: after its heading, or after its term ("SCORM: a ...")."""
    return ChunkMeta.of(doc).lead + doc.page_content


@dataclass
class Citation:
    number: int
    source: str
    section: str
    text: str  # the whole passage
    quote: str  # the sentences or bullets the answer took from it

    @classmethod
    def of(cls, number: int, doc: Document, quote: str = "") -> Citation:
        """Passage `doc` cited as [number], quoting `quote` from it."""
        meta = ChunkMeta.of(doc)
        return cls(number, meta.source, meta.section, as_written(doc), quote)

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
    dropped: int = 0  # sentences of a model's answer the checker removed


class Answerer(Protocol):
    """Anything that turns a Request into an Answer, streaming its text as it goes."""

    name: str

    def stream(self, request: Request) -> Iterator[str | Answer]:
        """Yield pieces of the answer's text, then the finished Answer."""
        ...
