"""The chain: question + history -> plan (condense, route, retrieve) -> answerer -> answer.

One LCEL runnable serves the CLI, the batch command and the app; `stream` yields the
answer's text as it is produced, then the citations and retrieved passages.
"""

from __future__ import annotations

import logging
import threading
import time
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda
from langchain_core.runnables.utils import AddableDict

from bot.answering import Answer, Answerer, Request, title_of
from bot.config import Settings
from bot.errors import QuestionError
from bot.questions import (
    GENERIC,
    asks_after,
    asks_count,
    asks_duration,
    asks_next,
    asks_total,
    asks_which_phase,
    has_own_topic,
    is_follow_up,
    ordinal,
    week_number,
)
from bot.retrieval import HybridRetriever, content_terms
from bot.roadmap import Roadmap
from bot.store import Index, generations, make_embedder, open_index

logger = logging.getLogger(__name__)
HEADING_NAMED = 0.5  # share of a heading's words that counts as the question naming it
REFRESH_SECONDS = 1.0  # how often a server-mode bot asks the server which generation serves


def message_text(content: Any) -> str:
    """Chat content as text: Gradio 6 may send a list of blocks instead of a string."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return " ".join(message_text(c) for c in content)
    if isinstance(content, dict):
        return str(content.get("text", ""))
    return ""


def clean_text(text: str) -> str:
    """Printable text on one line: no lone surrogates, control, zero-width or bidi characters."""
    text = text.encode("utf-8", errors="ignore").decode("utf-8")
    text = "".join(c if c.isspace() or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co") else " "
                   for c in text)
    return " ".join(text.split())


def last_user_turn(history: list[dict]) -> tuple[str | None, list[dict]]:
    """The latest user message in history, and the history before it."""
    for i in range(len(history) - 1, -1, -1):
        if history[i].get("role") == "user":
            return message_text(history[i].get("content")), history[:i]
    return None, []


def passage_dict(doc: Document) -> dict:
    m = doc.metadata
    return {"source": m.get("source", ""), "section": m.get("section", ""),
            "text": doc.page_content, "score": m.get("score", 0.0)}


@dataclass
class Planner:
    """Turns a question and its history into a Request: what to retrieve and how to answer."""

    retriever: HybridRetriever
    roadmap: Roadmap | None
    settings: Settings
    condense: Callable[[str, list[dict]], str | None] | None = None  # an LLM's rewriting

    def plan(self, question: str, history: list[dict], depth: int = 0) -> Request:
        if self.condense is not None and history and depth == 0:
            standalone = self.condense(question, history)
            if standalone:
                return replace(self.plan(standalone, [], depth=1), question=question, history=history)
        previous = None
        if history and depth < 3 and is_follow_up(question):
            prev_question, earlier = last_user_turn(history)
            if prev_question:
                previous = self.plan(prev_question, earlier, depth + 1)
        topic = None
        if previous is not None and previous.plan != "refuse":
            topic = previous.focus or (previous.passages[0] if previous.passages else None)
        # A follow-up is retrieved with its topic: the section the last answer was about.
        context = topic.metadata.get("section", "") if topic is not None and previous.focus else (
            previous.standalone if previous else "")
        standalone = f"{context} {question}".strip()
        request = Request(question=question, standalone=standalone, history=history,
                          passages=[], roadmap=self.roadmap)

        before = None
        if topic is not None and asks_next(question):
            before = topic
        elif asks_after(question):  # "what comes after Portfolio Development?"
            before = self.named_section(question)
        following = self.next_section(before) if before is not None else None
        if following is not None:
            return replace(request, plan="section", focus=following, passages=[following, before],
                           lead=f"After {before.metadata.get('heading')} comes {title_of(following)}")

        roadmap = self.roadmap
        phase, lead = None, ""
        rank, week = ordinal(question), week_number(question)
        if roadmap and rank is not None and -len(roadmap.phases) <= rank < len(roadmap.phases):
            phase = roadmap.phases[rank]
            n = roadmap.phases.index(phase) + 1
            lead = f"Start with {phase.label}" if n == 1 else f"Phase {n} is {phase.label}"
        elif roadmap and week is not None:
            phase = roadmap.phase_at(week)
            if phase is not None:
                n = roadmap.phases.index(phase) + 1
                lead = (f"Week {week} falls in phase {n}, {phase.name} (weeks "
                        f"{phase.start_week + 1:g}-{phase.start_week + phase.weeks:g})")
        if phase is not None:
            others = [p.doc for p in roadmap.phases if p is not phase]
            plan = "duration" if asks_duration(question) else "section"
            return replace(request, plan=plan, focus=phase.doc, passages=[phase.doc, *others], lead=lead)

        if roadmap and asks_count(question):
            intro = self.section_doc(roadmap.section)
            if intro is not None:
                return replace(request, plan="section", focus=intro,
                               passages=[intro, *(p.doc for p in roadmap.phases)],
                               lead=f"The roadmap has {len(roadmap.phases)} phases")

        passages = self.retriever.search(standalone, self.settings.k)
        request.passages = passages
        if topic is None:
            off_topic = self.off_topic(question, passages)
        else:  # "how long does it take?" has no topic of its own; "what about pizza?" does
            off_topic = has_own_topic(question) and self.off_topic(
                question, self.retriever.search(question, self.settings.k))
        if off_topic:
            return replace(request, plan="refuse")
        if roadmap and asks_duration(question):
            phase = self.named_phase(question)
            if phase is None and topic is not None:
                phase = roadmap.phase_of(topic)
            if phase is None and not asks_total(question):
                phase = self.named_phase(question, partly=True) or (
                    roadmap.phase_of(passages[0]) if passages[0].metadata.get("bm25", 0) > 0 else None)
            if phase is not None:
                rest = [p for p in passages if p.id != phase.doc.id]
                return replace(request, plan="duration", focus=phase.doc, passages=[phase.doc, *rest])
            docs = [p.doc for p in roadmap.phases]
            if roadmap.title_doc is not None:
                docs.append(roadmap.title_doc)
            return replace(request, plan="total", passages=docs)
        if roadmap and asks_which_phase(question) and roadmap.phase_of(passages[0]) is None:
            # "Which phase covers Docker?": the best-matching phase, even if ranked lower.
            ranked = self.retriever.search(standalone, 50)
            best = next((d for d in ranked if roadmap.phase_of(d)), None)
            if best is not None:
                request.passages = [best, *(p for p in passages if p.id != best.id)]
        return request

    def off_topic(self, question: str, passages: list[Document]) -> bool:
        """Whether the guide does not cover the question: no section named, and the best
        passage is neither close in meaning nor shares the question's words."""
        if not passages:
            return True
        if max(p.metadata.get("heading_match", 0.0) for p in passages) >= HEADING_NAMED:
            return False
        similarity = max(p.metadata.get("similarity", 0.0) for p in passages)
        low = self.settings.min_similarity
        coverage = self.word_coverage(question, passages[0])
        if coverage is None:
            return similarity < low
        return (similarity < low and coverage < 0.5) or (similarity < 1.5 * low and coverage < 0.25)

    def word_coverage(self, question: str, doc: Document) -> float | None:
        """Share (by idf) of the question's topical words that doc contains, directly or
        through a close corpus word; None if the question has no topical words.

        A word the corpus never uses counts as the rarest word.
        """
        expansions = {t: alt for t, alt in self.retriever.expansions(question).items() if t not in GENERIC}
        if not expansions:
            return None
        idf = self.retriever.bm25.idf
        rarest = max(idf.values(), default=1.0)
        have = self.retriever.terms_of(doc)
        total = sum(idf.get(t, rarest) for t in expansions)
        found = sum(idf.get(t, rarest) * max((w for a, w in alt.items() if a in have), default=0.0)
                    for t, alt in expansions.items())
        return found / total

    def named_phase(self, question: str, partly: bool = False):
        """The phase whose heading the question names ("the cloud phase" names it partly:
        then it must be the only phase it touches)."""
        if self.roadmap is None:
            return None
        matches = self.retriever.heading_match(content_terms(question))
        named = [(float(matches[self.retriever.position[p.doc.id]]), p) for p in self.roadmap.phases]
        named = [(share, p) for share, p in named if share > 0 and (partly or share >= HEADING_NAMED)]
        if not named or (partly and len(named) > 1):
            return None
        return max(named, key=lambda sp: sp[0])[1]

    def named_section(self, question: str) -> Document | None:
        """The passage whose heading the question names, if one clearly is."""
        matches = self.retriever.heading_match(content_terms(question))
        if not len(matches):
            return None
        best = int(matches.argmax())
        return self.retriever.documents[best] if matches[best] >= HEADING_NAMED else None

    def section_doc(self, section: str) -> Document | None:
        return next((d for d in self.retriever.documents if d.metadata.get("section") == section), None)

    def next_section(self, doc: Document) -> Document | None:
        """The sibling section after doc (same file, same parent), if any."""
        m = doc.metadata
        for other in self.retriever.documents:
            o = other.metadata
            if (o.get("source") == m.get("source") and o.get("parent", "") == m.get("parent", "")
                    and o.get("position", 0) > m.get("position", 0)
                    and o.get("heading") != m.get("heading")):
                return other
        return None


def build_chain(planner: Planner, answerer: Answerer) -> Runnable:
    """{question, history} -> {answer, final, citations, retrieved, answerer, refused}.

    Streamed, `answer` pieces arrive as they are written and `final` (the checked answer,
    which may differ from what streamed) comes last, with the citations.
    """

    def to_request(inputs: dict) -> Request:
        raw = str(inputs.get("question", ""))
        limit = planner.settings.max_question_chars
        if len(raw) > limit:  # checked before any work, so a huge input is turned away at once
            raise QuestionError(
                f"That question is {len(raw)} characters long; the limit is {limit}. Please shorten it."
            )
        question = clean_text(raw)
        if not question:
            raise QuestionError("Please type a question about the guide.")
        return planner.plan(question, list(inputs.get("history") or []))

    def answer(requests: Iterator[Request]) -> Iterator[AddableDict]:
        for request in requests:
            for piece in answerer.stream(request):
                if isinstance(piece, Answer):
                    yield AddableDict(
                        final=piece.text,
                        citations=[c.to_dict() for c in piece.citations],
                        retrieved=[passage_dict(d) for d in piece.retrieved],
                        answerer=piece.answerer,
                        refused=piece.refused,
                    )
                else:
                    yield AddableDict(answer=piece)

    return RunnableLambda(to_request) | RunnableGenerator(answer)


@dataclass
class Served:
    """One index generation opened and wired for answering; closed once replaced and idle."""

    index: Index
    chain: Runnable
    answerer: Answerer
    roadmap: Roadmap | None
    users: int = 0
    replaced: bool = False


class Bot:
    """Everything a front end needs: the chain, and what it answers from.

    Between questions the bot looks whether an ingest published a newer index generation and,
    if so, switches to it; the one it leaves is closed when its last question is answered, so
    that ingest may delete it.
    """

    def __init__(self, settings: Settings, embedder, llm=None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.llm = llm
        self.dimension = len(embedder.embed_query("dimension check"))
        self.generations = generations(settings)
        self._lock = threading.Lock()
        self._served = self._open()
        self._checked = time.monotonic()

    def _open(self) -> Served:
        index = open_index(self.settings, dimension=self.dimension, gens=self.generations)
        retriever = HybridRetriever(collection=index.collection, vocabulary=index.vocabulary,
                                    embedder=self.embedder, documents=index.documents, k=self.settings.k)
        roadmap = Roadmap.from_documents(index.documents)
        from bot.llm import make_answerer

        answerer, condense = make_answerer(self.settings, self.embedder, retriever.bm25.idf, self.llm)
        planner = Planner(retriever=retriever, roadmap=roadmap, settings=self.settings, condense=condense)
        return Served(index=index, chain=build_chain(planner, answerer), answerer=answerer, roadmap=roadmap)

    @property
    def index(self) -> Index:
        return self._served.index

    @property
    def roadmap(self) -> Roadmap | None:
        return self._served.roadmap

    @property
    def answerer(self) -> Answerer:
        return self._served.answerer

    def refresh(self) -> bool:
        """Switch to the newest published generation, if it is not the one served; True if switched.

        A folder's CURRENT costs a file read, so it is read before every question; a server's
        pointer costs a request, so it is read at most every REFRESH_SECONDS."""
        if self.settings.chroma_url and time.monotonic() - self._checked < REFRESH_SECONDS:
            return False
        self._checked = time.monotonic()
        try:
            newest = self.generations.current()
        except Exception as exc:  # the server is away for a moment: keep serving what is open
            logger.warning("could not check for a new index: %s", exc)
            return False
        if newest is None or newest == self._served.index.generation:
            return False
        with self._lock:
            if newest == self._served.index.generation:  # another thread switched meanwhile
                return False
            try:
                fresh = self._open()
            except Exception as exc:  # a broken new index: the one open keeps serving
                logger.warning("kept the open index: the new one cannot be opened (%s)", exc)
                return False
            old, self._served = self._served, fresh
            old.replaced = True
            if old.users == 0:
                old.index.close()
        logger.info("now serving index %s (%s)", fresh.index.generation, fresh.index.describe())
        return True

    @contextmanager
    def _serving(self) -> Iterator[Served]:
        self.refresh()
        with self._lock:
            served = self._served
            served.users += 1
        try:
            yield served
        finally:
            with self._lock:
                served.users -= 1
                if served.replaced and served.users == 0:
                    served.index.close()

    def ask(self, question: str, history: list[dict] | None = None) -> dict:
        """The whole result; `answer` is the final, checked answer."""
        with self._serving() as served:
            result = served.chain.invoke({"question": question, "history": history or []})
        result["answer"] = result.pop("final")
        return result

    def stream(self, question: str, history: list[dict] | None = None) -> Iterator[dict]:
        with self._serving() as served:
            yield from served.chain.stream({"question": question, "history": history or []})

    def close(self) -> None:
        self._served.index.close()


def build_bot(settings: Settings, embedder=None, llm=None) -> Bot:
    """Load the model and the index and wire the chain (the one factory front ends call)."""
    return Bot(settings, embedder or make_embedder(settings), llm)
