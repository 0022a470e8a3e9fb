"""The planner: question + history -> Request (what to retrieve, and how to answer it).

Each step either settles the plan or passes the question on: a follow-up takes its topic
from the previous turn; "what comes after X" moves to the next section; a phase named by
order or week is presented; "how many phases" counts; otherwise the passages are retrieved,
and the question is refused, answered with a duration or total, or answered from them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

from langchain_core.documents import Document

from bot.answer.questions import (
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
from bot.answer.roadmap import Phase, Roadmap
from bot.config import Settings
from bot.retrieval import HybridRetriever
from bot.schema import ChunkMeta, Plan, Request, Scores
from bot.text import content_terms, message_text

HEADING_NAMED = 0.5  # share of a heading's words that counts as the question naming it
FOLLOW_UP_DEPTH = 3  # "and after that?" chains resolved back at most this many turns
LOOSE_COVERAGE = 0.5  # below min_similarity, a passage with half the question's words still covers it
CLOSE_FACTOR = 1.5  # ...and one a little below 1.5x min_similarity needs only a quarter of them
CLOSE_COVERAGE = 0.25
WHICH_PHASE_DEPTH = 50  # "which phase covers X?" looks this far down the ranking for a phase


def last_user_turn(history: list[dict]) -> tuple[str | None, list[dict]]:
    """The latest user message in history, and the history before it."""
    for i in range(len(history) - 1, -1, -1):
        if history[i].get("role") == "user":
            return message_text(history[i].get("content")), history[:i]
    return None, []


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
        if history and depth < FOLLOW_UP_DEPTH and is_follow_up(question):
            prev_question, earlier = last_user_turn(history)
            if prev_question:
                previous = self.plan(prev_question, earlier, depth + 1)
        topic = None
        if previous is not None and previous.plan != Plan.REFUSE:
            topic = previous.focus or (previous.passages[0] if previous.passages else None)
        # A follow-up is retrieved with its topic: the section the last answer was about.
        context = ChunkMeta.of(topic).section if topic is not None and previous.focus else (
            previous.standalone if previous else "")
        request = Request(question=question, standalone=f"{context} {question}".strip(), history=history,
                          passages=[], roadmap=self.roadmap)
        return (self._next_section(request, topic) or self._phase_by_order(request)
                or self._phase_count(request) or self._from_passages(request, topic))

    def _next_section(self, request: Request, topic: Document | None) -> Request | None:
        """"and after that?" (after the topic) or "what comes after X?" (after a named section)."""
        before = None
        if topic is not None and asks_next(request.question):
            before = topic
        elif asks_after(request.question):
            before = self.named_section(request.question)
        following = self.next_section(before) if before is not None else None
        if following is None:
            return None
        return replace(request, plan=Plan.SECTION, focus=following, passages=[following, before],
                       lead=f"After {ChunkMeta.of(before).heading} comes {ChunkMeta.of(following).label}")

    def _phase_by_order(self, request: Request) -> Request | None:
        """"the first step", "phase 3", "week 12": the phase, presented whole or by its length."""
        roadmap, question = self.roadmap, request.question
        if roadmap is None:
            return None
        phase, lead = None, ""
        rank, week = ordinal(question), week_number(question)
        if rank is not None and -len(roadmap.phases) <= rank < len(roadmap.phases):
            phase = roadmap.phases[rank]
            n = roadmap.phases.index(phase) + 1
            lead = f"Start with {phase.label}" if n == 1 else f"Phase {n} is {phase.label}"
        elif week is not None:
            phase = roadmap.phase_at(week)
            if phase is not None:
                n = roadmap.phases.index(phase) + 1
                lead = f"Week {week} falls in phase {n}, {phase.name} ({phase.span})"
        if phase is None:
            return None
        others = [p.doc for p in roadmap.phases if p is not phase]
        plan = Plan.DURATION if asks_duration(question) else Plan.SECTION
        return replace(request, plan=plan, focus=phase.doc, passages=[phase.doc, *others], lead=lead)

    def _phase_count(self, request: Request) -> Request | None:
        """"how many phases are there?": the roadmap's own passage, and its phases."""
        if self.roadmap is None or not asks_count(request.question):
            return None
        intro = self.section_doc(self.roadmap.section)
        if intro is None:
            return None
        return replace(request, plan=Plan.SECTION, focus=intro,
                       passages=[intro, *(p.doc for p in self.roadmap.phases)],
                       lead=f"The roadmap has {len(self.roadmap.phases)} phases")

    def _from_passages(self, request: Request, topic: Document | None) -> Request:
        """Retrieve; then refuse, answer a duration or total, or answer from the passages."""
        question = request.question
        request.passages = self.retriever.search(request.standalone, self.settings.k)
        if topic is None:
            off_topic = self.off_topic(question, request.passages)
        else:  # "how long does it take?" has no topic of its own; "what about pizza?" does
            off_topic = has_own_topic(question) and self.off_topic(
                question, self.retriever.search(question, self.settings.k))
        if off_topic:
            return replace(request, plan=Plan.REFUSE)
        if self.roadmap and asks_duration(question):
            return self._duration(request, topic)
        if self.roadmap and asks_which_phase(question) and self.roadmap.phase_of(request.passages[0]) is None:
            # "Which phase covers Docker?": the best-matching phase, even if ranked lower.
            ranked = self.retriever.search(request.standalone, WHICH_PHASE_DEPTH)
            best = next((d for d in ranked if self.roadmap.phase_of(d)), None)
            if best is not None:
                request.passages = [best, *(p for p in request.passages if p.id != best.id)]
        return request

    def _duration(self, request: Request, topic: Document | None) -> Request:
        """How long one phase takes (named, the topic, or the best passage's), or the total."""
        roadmap, question, passages = self.roadmap, request.question, request.passages
        phase: Phase | None = self.named_phase(question)
        if phase is None and topic is not None:
            phase = roadmap.phase_of(topic)
        if phase is None and not asks_total(question):
            phase = self.named_phase(question, partly=True) or (
                roadmap.phase_of(passages[0]) if Scores.of(passages[0]).bm25 > 0 else None)
        if phase is not None:
            rest = [p for p in passages if p.id != phase.doc.id]
            return replace(request, plan=Plan.DURATION, focus=phase.doc, passages=[phase.doc, *rest])
        docs = [p.doc for p in roadmap.phases]
        if roadmap.title_doc is not None:
            docs.append(roadmap.title_doc)
        return replace(request, plan=Plan.TOTAL, passages=docs)

    def off_topic(self, question: str, passages: list[Document]) -> bool:
        """Whether the guide does not cover the question: no section named, and the best
        passage is neither close in meaning nor shares the question's words."""
        if not passages:
            return True
        if max(Scores.of(p).heading_match for p in passages) >= HEADING_NAMED:
            return False
        similarity = max(Scores.of(p).similarity for p in passages)
        low = self.settings.min_similarity
        coverage = self.retriever.word_coverage(question, passages[0])
        if coverage is None:
            return similarity < low
        return ((similarity < low and coverage < LOOSE_COVERAGE)
                or (similarity < CLOSE_FACTOR * low and coverage < CLOSE_COVERAGE))

    def named_phase(self, question: str, partly: bool = False) -> Phase | None:
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
        return next((d for d in self.retriever.documents if ChunkMeta.of(d).section == section), None)

    def next_section(self, doc: Document) -> Document | None:
        """The sibling section after doc (same file, same parent), if any."""
        m = ChunkMeta.of(doc)
        for other in self.retriever.documents:
            o = ChunkMeta.of(other)
            if o.source == m.source and o.parent == m.parent and o.position > m.position and o.heading != m.heading:
                return other
        return None
