"""The chain: question + history -> plan -> answerer -> answer, behind the Bot facade.

One LCEL runnable serves the CLI, the batch command and the app; `stream` yields the
answer's text as it is produced, then the citations and retrieved passages. The Bot also
follows new ingests: between questions it switches to a newly published index generation.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from langchain_core.documents import Document
from langchain_core.runnables import Runnable, RunnableGenerator, RunnableLambda
from langchain_core.runnables.utils import AddableDict

from bot.answer.planner import Planner
from bot.answer.roadmap import Roadmap
from bot.config import Settings
from bot.errors import QuestionError
from bot.index.generations import FolderGenerations, ServerGenerations
from bot.index.store import Index
from bot.schema import Answer, Answerer, ChunkMeta, Request, Scores, as_written
from bot.text import clean_text

logger = logging.getLogger(__name__)
REFRESH_SECONDS = 1.0  # how often a server-mode bot asks the server which generation serves


def check_question(raw: str, limit: int) -> str:
    """The question as clean text, or QuestionError saying what is wrong with it. The length
    is checked before any other work, so a huge input is turned away at once."""
    if len(raw) > limit:
        raise QuestionError(f"That question is {len(raw)} characters long; the limit is {limit}. Please shorten it.")
    question = clean_text(raw)
    if not any(c.isalnum() for c in question):  # empty, or only punctuation and symbols
        raise QuestionError("Please type a question about the guide.")
    return question


def passage_dict(doc: Document) -> dict:
    meta = ChunkMeta.of(doc)
    return {"source": meta.source, "section": meta.section, "text": as_written(doc), "score": Scores.of(doc).score}


def build_chain(planner: Planner, answerer: Answerer) -> Runnable:
    """{question, history} -> {answer, final, citations, retrieved, answerer, refused}.

    Streamed, `answer` pieces arrive as they are written and `final` (the checked answer,
    which may differ from what streamed) comes last, with the citations.
    """

    def to_request(inputs: dict) -> Request:
        question = check_question(str(inputs.get("question", "")), planner.settings.max_question_chars)
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
                        dropped=piece.dropped,
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

    def __init__(self, settings: Settings, generations: FolderGenerations | ServerGenerations,
                 open_served: Callable[[], Served]) -> None:
        """open_served: opens the generation that serves now and wires a chain over it."""
        self.settings = settings
        self.generations = generations
        self._open = open_served
        self._lock = threading.Lock()
        self._served = open_served()
        self._checked = time.monotonic()
        self._broken: str | None = None  # a published generation that failed to open: not retried

    @property
    def index(self) -> Index:
        return self._served.index

    @property
    def roadmap(self) -> Roadmap | None:
        return self._served.roadmap

    @property
    def answerer(self) -> Answerer:
        return self._served.answerer

    @property
    def title(self) -> str:
        """The guide's title, or a generic one when the corpus holds several guides."""
        titles = {ChunkMeta.of(d).title for d in self.index.documents}
        return titles.pop() if len(titles) == 1 else "Ask the guides"

    def describe(self) -> str:
        """What is served: "33 passages from 1 file(s), built 5 min ago"."""
        index = self.index
        minutes = int((datetime.now(UTC) - index.built_at).total_seconds() // 60)
        when = f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"
        return f"{len(index.documents)} passages from {index.files} file(s), built {when}"

    def example_questions(self, limit: int = 6) -> list[str]:
        """Questions this guide can answer, drawn from its outline."""
        from bot.answer.examples import example_questions

        return example_questions(self.index.documents, self.roadmap, limit)

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
        if newest is None or newest in (self._served.index.generation, self._broken):
            return False
        with self._lock:
            if newest == self._served.index.generation:  # another thread switched meanwhile
                return False
            try:
                fresh = self._open()
            except Exception as exc:  # a broken new index: the one open keeps serving until the next ingest
                logger.warning("kept the open index: the new one cannot be opened (%s)", exc)
                self._broken = newest
                return False
            old, self._served = self._served, fresh
            old.replaced = True
            if old.users == 0:
                old.index.close()
        logger.info("now serving index %s (%s)", fresh.index.generation, self.describe())
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
