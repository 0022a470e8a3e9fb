"""The planner: question + history -> Request (what to retrieve, and how to answer it).

A follow-up takes its topic from the previous turn (the conversation state is derived from the
history each time: the API stays stateless). The question's intent is read by the classifier
(intents); its handler (handlers) fills the intent's slots from the outline. A question no
handler settles is a passage question: retrieved, then refused or answered from the passages.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
from langchain_core.documents import Document

from bot.answer.entities import names
from bot.answer.evidence import (
    ASKS_COUNT,
    ASKS_END,
    ASKS_MONEY,
    ASKS_MORE,
    MONEY,
    foreign_words,
    gives_the_figure,
    judged,
    score_units,
    sides,
    unknown_names,
    verb_like,
    weighs,
)
from bot.answer.handlers import HANDLERS, STEPPING, length_of_thing_said, on_week_to_phase
from bot.answer.intents import Intent, IntentClassifier, Reading
from bot.answer.pay import ASKS_GAP, ASKS_PAY_CHANGE, PAY_QUESTION, pay_verdict
from bot.answer.questions import (
    ASKS_WORK,
    ORDINAL,
    PHASE_WORD,
    PLAN_WORDS,
    TIME_UNITS,
    answer_subject,
    asked_of_a_phase,
    asks_of_named_thing,
    asks_which_phase,
    elliptic,
    has_own_topic,
    is_follow_up,
    names_a_work,
    normalise_time,
    of_order_only,
    ordinal,
    place_phrases,
    points_back,
    spell_out,
    untimed,
    week_or_month,
    with_listed_item,
    with_named_thing,
    work_named,
)
from bot.answer.roadmap import Phase, Roadmap
from bot.answer.sections import Sections, within
from bot.classify import Reader
from bot.concerns import NONE as NO_CONCERN
from bot.config import Settings
from bot.ingest.outline import heading_name
from bot.ingest.timeline import MONTH_NAMES
from bot.retrieval import HEADING_NAMED, HybridRetriever
from bot.schema import ChunkMeta, Plan, Request, Scores
from bot.text import (
    GENERIC,
    HEADING_FACETS,
    NUMBER_WORDS,
    content_terms,
    content_words,
    facets,
    judging_terms,
    last_reply,
    last_user_turn,
    opening,
    plain_english,
    sentences,
    stem,
    topical_terms,
    without_rates,
)

NAME_FIRST = re.compile(r"^\W*(?:(?:[Tt]he|[Aa]n?)\s+)?(?!(?:[Tt]he|[Aa]n?)\s)[A-Z0-9]")  # a name first, or "The" name
FOLLOW_UP_DEPTH = 3  # "and after that?" chains resolved back at most this many turns
LOOSE_COVERAGE = 0.5  # below min_similarity, a passage with half the question's words still covers it
CLOSE_FACTOR = 1.5  # ...and one a little below 1.5x min_similarity needs only a quarter of them
CLOSE_COVERAGE = 0.25
ENDING = frozenset(content_terms("end phase stage have"))  # "what will I have by the end of the X phase?"
ABOUT_A_PHASE = frozenset(content_terms("phase stage happen cover involve"))  # "what happens in the X phase?"
FACET_HEADING_WORDS = 1  # a heading about a facet names at most this many other words ("What you already bring")
PRICED_DEPTH = 2  # a question asking for a sum that the k passages lack looks on to 2k for one
KIND_DEPTH = 50  # "which phase covers X?", "which book?" look this far down the ranking for one
MONTH_TERMS = frozenset(content_terms(" ".join(MONTH_NAMES)))  # "in June" says when, not what
LIST_SEARCH_DEPTH = 6  # "what's in the reality check?": a listed section among this many passages
WHOLE_NAME = 0.99  # share of a phase name's words an answer uses to name that phase (all: "production" is no name)
QUOTED = 0.6  # share (by idf) of an answer's words a passage holds for the answer to be taken from it
YES_NO = re.compile(r"^\W*(?:will|would|do|does|did|is|are|am|was|were|can|could|should|shall|has|have)\b", re.I)
WHOLLY_NAMED = 0.999  # a heading every word of which a question uses
FAQ_MATCH = 0.55  # cosine of two questions that ask the same (chosen on the tuning halves of the question sets)
# An FAQ answer's first sentence this short is its yes or no ("Possibly, at first."): read off the FAQs of
# the 40 test guides, whose verdicts run to six words ("Yes, for at least two years.") and answers beyond
VERDICT_WORDS = 6
ASKS_THE_GUIDE = {Intent.PASSAGE, Intent.OVERVIEW, Intent.WHY, Intent.COUNT, Intent.OUT_OF_SCOPE}
# Intents whose question may name a phase by order ("and the last stage?"): that phase is the answer.
NAMES_ITS_TOPIC = {Intent.PASSAGE, Intent.OVERVIEW, Intent.NEXT_PREV, Intent.WHY}
ASKS_LENGTH = {Intent.DURATION, Intent.TOTAL, Intent.TOTAL_HOURS}
ASKS_A_THING = {Intent.PASSAGE, Intent.OUT_OF_SCOPE}  # a phase's words asked of: no overview, no sum
OWN_ASK = 2  # words of a phase a question asks besides its order for it to ask a thing of the phase, not the phase


def asks_amount(question: str) -> bool:
    """Whether a question asks for an amount (how much, how long, how many, a price or pay), not
    for a yes or no ("Will a degree cost much?")."""
    return not YES_NO.match(question) and bool(
        ASKS_COUNT.search(question) or ASKS_MONEY.search(question) or ASKS_PAY_CHANGE.search(question))


@dataclass
class Planner:
    """Turns a question and its history into a Request: what to retrieve and how to answer."""

    retriever: HybridRetriever
    roadmap: Roadmap | None
    settings: Settings
    condense: Callable[[str, list[dict]], str | None] | None = None  # an LLM's rewriting
    intents: IntentClassifier | None = None  # without one, every question is a passage question
    concerns: Reader | None = None  # the worry a question voices (see bot.concerns); without one, none
    _faq: tuple[list[Document], np.ndarray, list[str]] | None = field(default=None, repr=False)

    def plan(self, question: str, history: list[dict], depth: int = 0) -> Request:
        question = spell_out(question, self.known)  # "wat r the certs" -> "what are the certifications"
        request = self._plan(question, history, depth)
        if request.plan == Plan.SECTION and request.focus is not None:  # its parts at hand, to say how each opens
            given = {d.id for d in request.passages}
            parts = [p for p in self.sections.parts(request.focus) if p.id not in given]
            request = replace(request, passages=[*request.passages, *parts]) if parts else request
        if self.condense is not None and history and depth == 0 and request.plan == Plan.REFUSE:
            # A follow-up the conversation state could not place: the model may rewrite it.
            standalone = self.condense(question, history)
            retried = self._plan(standalone, [], depth=1) if standalone else request
            if retried.plan != Plan.REFUSE:
                return replace(retried, question=question, history=history)
        return request

    def conversation(self, question: str, history: list[dict], depth: int) -> tuple[Document | None, str, str]:
        """What a follow-up is about: (the topic passage, the last answer, the words to retrieve
        it with). The topic is the focus of the previous question, re-planned from the history,
        unless the last answer opens by naming one phase of the roadmap whole: then that phase."""
        said = last_reply(history)
        if not history or depth >= FOLLOW_UP_DEPTH:
            return None, "", ""
        return self._conversation(question, history, said, depth) if is_follow_up(question, said) else (None, "", "")

    def _conversation(self, question: str, history: list[dict], said: str,
                      depth: int) -> tuple[Document | None, str, str]:
        prev_question, earlier = last_user_turn(history)
        if not prev_question:
            return None, "", ""
        previous = self.plan(prev_question, earlier, depth + 1)
        if previous.plan == Plan.REFUSE:  # an answer this bot would not have given: what it was taken from
            quoted = self.quoted_from(said)
            return (None, "", previous.standalone) if quoted is None else (quoted, said, ChunkMeta.of(quoted).section)
        asked_work = ASKS_WORK.search(prev_question) and not asks_which_phase(prev_question)
        work = work_named(said) if asked_work else ""  # not "Which phase has me reading a book?": the phase
        if work and points_back(question):  # "Which book ...?" -> "how much is it?": the book the answer named
            return None, said, work
        first = opening(said)
        if first and (opened := self.sections.opened_with(first)) is not None:  # "Month 5 — ...": that part
            return opened, said, ChunkMeta.of(opened).section
        named = self.named_phases(first, least=WHOLE_NAME, by_month=False) if first else []  # "...register in June"
        if len(named) == 1 and not self.says_by_the_way(previous.focus, named[0]):
            return named[0].doc, said, ChunkMeta.of(named[0].doc).section  # "Stage three, Field Shadowing, ..."
        topic = previous.focus or (self.drawn_from(said, previous.passages) if previous.plan == Plan.GENERAL
                                   else next(iter(previous.passages), None))
        subject = answer_subject(first, self.proper_names)
        if subject and points_back(question):  # "AWS, because ..." -> "which course teaches it?"
            return topic, said, subject
        # "it": the name the answer opens with ("The AWS Certified Cloud Practitioner exam, which ..."), not
        # one it goes on to use ("A scenario-based Storyline module ...": "it" is the module)
        named_first = " ".join(rest for _, rest in names(first)) if NAME_FIRST.match(first) else ""
        if points_back(question) and previous.focus is None and named_first:
            return topic, said, f"{previous.standalone} {named_first}"
        # Retrieved with its topic: the section the last answer was about, else the last question's words.
        return topic, said, ChunkMeta.of(topic).section if previous.focus is not None else previous.standalone

    def says_by_the_way(self, focus: Document | None, phase: Phase) -> bool:
        """Whether a section the last answer was about, outside the roadmap, says a phase's name in its
        own words: "No, learn photogrammetry first" is the FAQ's answer, not Stage Two ("Learn Photogrammetry")."""
        return (focus is not None and self.roadmap is not None and not self.roadmap.holds(focus)
                and set(content_terms(phase.name)) <= set(content_terms(focus.page_content)))

    def asked_again(self, question: str, history: list[dict], depth: int = 0) -> str | None:
        """"and in the last quarter?" after "How many hours a week should I study in Q1?": the
        earlier question asked of the place the follow-up names ("... study in the last quarter?"),
        when the follow-up names only a place in the plan and the earlier question ends on one."""
        place = elliptic(question)
        if not history or depth >= FOLLOW_UP_DEPTH or place is None or not self.names_a_place(place):
            return None
        previous, earlier = last_user_turn(history)
        previous = spell_out(previous, self.known)
        previous = self.asked_again(previous, earlier, depth + 1) or previous  # "and in Q2?" then "and in Q3?"
        return next((f"{asked}{prep} {place}?" for asked, prep, said in place_phrases(previous)
                     if self.names_a_place(said)), None)

    def names_a_place(self, words: str) -> bool:
        """Whether the words name one place in the roadmap and nothing more: "the last quarter",
        "Month 5", "the SQL phase" (not "the SQL exercise", "Month 5's project")."""
        if self.roadmap is None:
            return False
        rest = of_order_only(words)
        if ordinal(words) is not None or week_or_month(words) is not None:
            return not rest
        named = self.named_phase(words, partly=True) if PHASE_WORD.search(words) else None
        return named is not None and rest <= set(content_terms(named.name))

    def _plan(self, question: str, history: list[dict], depth: int) -> Request:
        again = self.asked_again(question, history, depth)
        if again is not None:  # a question of its own now, with nothing left to resolve
            return replace(self._plan(again, [], depth + 1), history=history)
        topic, said, context = self.conversation(question, history, depth)
        question = with_listed_item(question, said)  # "why does that last one matter?": that item of the list
        named = with_named_thing(question, said)  # "those videos": the implementation videos the answer named,
        if named != question and asks_of_named_thing(question):  # asked of themselves, not of the answer's topic
            context, question = "", named
        standalone = normalise_time(f"{context} {question}".strip())
        intent = self.read(question).intent
        if intent == Intent.SUMMARY and topic is not None and points_back(question):
            intent = Intent.OVERVIEW  # "what's in it?" after a phase asks for the phase, not the guide
        foreign = foreign_words(self.retriever, question, self.known, getattr(self.intents, "everyday", set()))
        request = Request(question=question, standalone=standalone, history=history, passages=[],
                          roadmap=self.roadmap, intent=intent.value, said=said, foreign=foreign)
        # A question the guide's FAQ asks in other words, unless it names what the guide never does
        # ("What does Ontario require?", "Can I keep my pension?"): then the caveat says so.
        asks_faq = intent in ASKS_THE_GUIDE and not unknown_names(question, self.known) and not foreign
        faq = self.faq_answers(question) if asks_faq else None
        if faq is not None and context and points_back(question) and getattr(
                self.faq_match(standalone), "id", None) != faq.id:
            faq = None  # "how does the plan help me get past that?" (the job gap) is no "while I follow the plan?"
        if faq is not None:
            # "is that more than I make now?" voices the worry of "Will I take a pay cut?" without asking it:
            # the entry's "Usually not." is said to answer that question
            lead = ChunkMeta.of(faq).heading if self.answers_another(question, faq) else ""
            return replace(request, plan=Plan.SECTION, focus=faq, lead=lead,
                           passages=[faq, *(p for p in self.retriever.search(standalone, self.settings.k)
                                            if p.id != faq.id)])
        shown = self.phase_shown(request, depth) if topic is None else None
        if shown is not None:
            return shown
        told = length_of_thing_said(self, request, topic) if intent in ASKS_LENGTH else None
        if told is not None:  # "how long does each take?" after the courses a phase lists: theirs, not the phase's
            return told
        handler = HANDLERS.get(intent)
        by_order = self._phase_by_order(request)
        if by_order is not None and intent in NAMES_ITS_TOPIC:
            return by_order
        routed = handler(self, request, topic) if handler is not None else None
        return routed or by_order or self._from_passages(request, topic)

    @cached_property
    def sections(self) -> Sections:
        return Sections(self.retriever.documents)

    @cached_property
    def known(self) -> dict[str, float]:
        return self.retriever.known_idf()

    @cached_property
    def proper_names(self) -> set[str]:
        """The words the guide capitalises inside its sentences ("Tableau", not "Start"), lower-cased."""
        return {w.lower() for doc in self.retriever.documents for line in doc.page_content.splitlines()
                for sentence in sentences(line) for _, rest in names(sentence) for w in rest.split()}

    def unfamiliar(self, question: str, intent: Intent) -> set[str]:
        """The question's topical words, numbers aside, that neither the guide nor that intent's
        exemplars use, nor shorten ("prod" for the guide's "production")."""
        if not hasattr(self.intents, "words"):  # a classifier that keeps no exemplars: no opinion
            return set()
        asked = {t for t in topical_terms(question) if not t.isdigit() and t not in NUMBER_WORDS}
        unknown = asked - self.intents.words.get(intent, set()) - set(self.retriever.bm25.idf)
        return {t for t in unknown if not any(word.startswith(t) for word in self.retriever.bm25.idf)}

    def faq_answers(self, question: str) -> Document | None:
        """The FAQ entry asking what this question asks, unless the question asks for a kind of thing
        ("Which book do I start with?") the entry neither names nor asks for ("Which cloud first?"),
        for a figure it does not give (a yes or no question's answer need not), judging the move
        where the entry's question does not judge it alike, of a roadmap phase it names as where
        to look, or names all of another section's heading and not half of the entry's."""
        faq = self.faq_match(question)
        if faq is None:
            return None
        if not YES_NO.match(question) and not gives_the_figure(question, [faq.page_content], self.known):
            return None  # "What is the exam fee?" is not answered by "Is the certification required?": no sum
        side = sides(question)
        if side and judged(side, faq, set(content_terms(question))) <= 0:
            return None  # "Will I miss flying?" judges the move, "Can I keep flying while I study?" nothing
        if self.roadmap is not None and self.roadmap.phase_of(faq) is None and (
                PHASE_WORD.search(question) and self.named_phase(question, partly=True)):
            return None  # "which exam during the cloud phase?" asks of that phase, not "Which cloud first?"
        # "which of my design skills carry over?" names all of "Skills That Carry Over", not "Can I keep my design
        # job?" ("which cloud should I learn first?" names half of "Skills to learn": the entry still answers;
        # "move into analytics while staying" names "Why Make the Move" by one word, as any question may)
        named = self.heading_shares(question)
        if named[self.retriever.position[faq.id]] < HEADING_NAMED and any(
                share >= WHOLLY_NAMED and ChunkMeta.of(d).kind != "faq" and self.words_of_its_own(d)
                for d, share in zip(self.retriever.documents, named, strict=True)):
            return None
        wanted = self.kind_asked(question)
        return faq if wanted is None or wanted(faq) or self.kind_asked(ChunkMeta.of(faq).heading) else None

    def answers_another(self, question: str, faq: Document) -> bool:
        """Whether an FAQ entry opens with a yes or no to a question ("Will I take a pay cut?" "Usually
        not.") other than the one asked, which voices only the same worry ("is that more than I make?")."""
        heading, said = ChunkMeta.of(faq).heading, sentences(" ".join(faq.page_content.split()))
        if not YES_NO.match(heading) or not said or len(said[0].split()) > VERDICT_WORDS:
            return False
        docs, vectors, _ = self._faq  # read by faq_match, which found the entry
        asked = self.retriever.embedder.embed_query(self.retriever.without_roles(question))
        return float(vectors[docs.index(faq)] @ np.array(asked)) < FAQ_MATCH

    def faq_match(self, question: str) -> Document | None:
        """The FAQ entry whose question means the same as this one, or voices the same worry about
        the move ("Should I hand in my notice?", "Do I have to quit my job?") and is the closest of
        those that do, if one does (both read without the guide's role names: a shared "pharmacist"
        makes no two questions alike)."""
        strip = self.retriever.without_roles
        if self._faq is None:
            docs = [d for d in self.retriever.documents if ChunkMeta.of(d).kind == "faq"]
            docs = list({ChunkMeta.of(d).section: d for d in reversed(docs)}.values())[::-1]  # first chunk each
            headings = [strip(ChunkMeta.of(d).heading) for d in docs]
            vectors = np.array(self.retriever.embedder.embed_documents(headings) if docs else [])
            worries = self.concerns.read(headings, vectors) if self.concerns is not None else [NO_CONCERN] * len(docs)
            self._faq = (docs, vectors, worries)
        docs, vectors, worries = self._faq
        if not docs:
            return None
        plain = strip(question)
        asked = np.array(self.retriever.embedder.embed_query(plain))
        similarity = vectors @ asked
        best: int | None = int(similarity.argmax())
        if similarity[best] < FAQ_MATCH:
            worry = self.concerns.read([plain], asked[None])[0] if self.concerns is not None else NO_CONCERN
            alike = [i for i, w in enumerate(worries) if w == worry != NO_CONCERN]
            best = max(alike, key=lambda i: similarity[i]) if alike else None
        # "how much is the CPC exam?" is not "Is the CPC exam open book?", however alike the two read
        if best is not None and asks_amount(ChunkMeta.of(docs[best]).heading) >= asks_amount(question):
            return docs[best]
        # "is that less than I make now?" asks what "Will I take a pay cut?" asks, in words too far apart
        pay = [d for d in docs if ASKS_PAY_CHANGE.search(ChunkMeta.of(d).heading)] if ASKS_PAY_CHANGE.search(
            question) else []
        return pay[0] if len(pay) == 1 else None

    def read(self, question: str) -> Reading:
        """The question's intent, read with the guide's role names as "job": how it asks, not about whom."""
        if self.intents is None:
            return Reading(Intent.PASSAGE, 0.0)
        return self.intents.read(self.retriever.without_roles(question, stand_in="job"))

    def phase_asked_for(self, question: str, asked: frozenset[str] = ABOUT_A_PHASE) -> Phase | None:
        """The phase a question names and asks for whole ("what happens in the cloud phase?"), asking
        nothing of it but the asked words; not "how many analyses in the portfolio phase?"."""
        named = self.named_phase(question, partly=True)
        if named is None or has_own_topic(question, besides=asked | set(content_terms(named.name))):
            return None
        return named

    def _phase_by_order(self, request: Request) -> Request | None:
        """"the first step", "phase 3", "week 12", "what happens in the cloud phase?", "by the end of the
        networking phase": the phase, presented whole (what it ends with, if asked), or its lines that
        answer a thing asked of it by its order."""
        roadmap, question = self.roadmap, request.question
        if roadmap is None:
            return None
        rank, slot = ordinal(question), week_or_month(question)
        if rank is not None and not PLAN_WORDS.search(question) and self.sections.asked_for(question):
            rank = None  # "what do I do first, like this week?": the section "This week", not phase 1
        if rank is None and PHASE_WORD.search(question):
            # "what happens in the cloud phase?", "by the end of the networking phase?": not a passage naming
            # it ("shorten the networking phase"); "how many analyses by the end of the portfolio phase?" asks
            # something of its own
            named = self.phase_asked_for(question, ENDING if ASKS_END.search(question) else ABOUT_A_PHASE)
            if named is not None:
                rank = roadmap.phases.index(named)
        if rank is not None and -len(roadmap.phases) <= rank < len(roadmap.phases):
            phase = roadmap.phases[rank]
            told = self.told_beside(request, phase)
            if told is not None:
                return told
            if ordinal(question) is not None and self.asks_a_thing_of(request, phase):
                # "what should the python script in step 1 do?": the units of step 1 that say
                return replace(request, plan=Plan.GENERAL, focus=phase.doc, passages=[phase.doc])
            n = roadmap.phases.index(phase) + 1
            lead = f"Start with {phase.label}" if n == 1 else f"Phase {n} is {phase.label}"
        elif roadmap.phase_in(slot) or (not slot and roadmap.week_on(question)):
            found = on_week_to_phase(self, request, None)
            if found is not None and found.focus is not None and self.asks_of_the_phase(request, found.focus):
                return replace(found, plan=Plan.GENERAL, passages=[found.focus])  # its units that answer
            return found
        else:
            return None
        others = [p.doc for p in roadmap.phases if p is not phase]
        return replace(request, plan=Plan.SECTION, focus=phase.doc, passages=[phase.doc, *others], lead=lead)

    def told_beside(self, request: Request, phase: Phase) -> Request | None:
        """"how many hours a week in the last quarter?" asks of the phase a thing it never mentions
        and lines outside it give, naming it ("Q3: 12 hours a week"): answered from those lines'
        passages, the question read with the phase's heading. A phase that uses any of the words
        asked may answer in its own ("whose book in the first sprint?": a title and its author)."""
        if request.intent != Intent.PASSAGE.value:
            return None
        heading = ChunkMeta.of(phase.doc).heading
        asked = asked_of_a_phase(ORDINAL.sub(" ", request.question), TIME_UNITS | MONTH_TERMS)
        if not asked or asked & set(content_terms(f"{heading}\n{phase.doc.page_content}")):
            return None
        # its name, not its kind or time: "Q3", "Reel & Launch", not "Sprint 1" nor "Months 7-9"
        telling = list({id(d): d for d, terms in self.told_of(phase) if terms & asked}.values())
        if not telling:
            return None
        question = f"{request.question} ({heading})"
        return replace(request, plan=Plan.GENERAL, question=question, standalone=question,
                       passages=telling[: self.settings.k])

    def told_of(self, phase: Phase) -> list[tuple[Document, set[str]]]:
        """The words of each line outside the roadmap naming a phase ("Q3: 12 hours a week", or "12 hours a
        week" under the heading "Q3"), with its passage: named by its name, not its kind or time ("Q3",
        "Reel & Launch", not "Sprint 1" nor "Months 7-9")."""
        name = {t for t in content_terms(PLAN_WORDS.sub(" ", ChunkMeta.of(phase.doc).heading))
                if not t.isdigit()} - TIME_UNITS - MONTH_TERMS
        return [(d, terms) for d, terms in self.lines_outside if terms & name]

    @cached_property
    def lines_outside(self) -> list[tuple[Document, set[str]]]:
        """Each line of the passages outside the roadmap, as words read with its passage's heading."""
        return [(d, set(content_terms(f"{ChunkMeta.of(d).heading} {line}"))) for d in self.retriever.documents
                if self.roadmap.phase_holding(d) is None for line in d.page_content.splitlines()]

    def phase_shown(self, request: Request, depth: int) -> Request | None:
        """"how many hours a week?" after the third phase, no follow-up by its words, asks it of that phase
        if the phase, or a line naming it elsewhere ("Databases and Web Maps: 12 hours per week"), holds
        every word asked ("what do I clean?" there may be another phase's work) and it names no place."""
        question, history, said = request.question, request.history, last_reply(request.history)
        asked = asked_of_a_phase(question, TIME_UNITS | MONTH_TERMS)
        if (not asked or not history or depth >= FOLLOW_UP_DEPTH or self.roadmap is None
                or request.intent != Intent.PASSAGE.value or is_follow_up(question, said)
                or ordinal(question) is not None or week_or_month(question) is not None
                or self.named_phase(question) is not None):
            return None  # a follow-up by its words had its topic looked for already
        shown = self._conversation(question, history, said, depth)[0]
        phase = self.roadmap.phase_holding(shown) if shown is not None else None
        if phase is None:
            return None
        own = set(content_terms(f"{ChunkMeta.of(phase.doc).heading}\n{phase.doc.page_content}\n{shown.page_content}"))
        if asked <= own:
            return replace(request, plan=Plan.GENERAL, passages=[shown])
        if any(asked <= terms for _, terms in self.told_of(phase)):
            return self.told_beside(request, phase)
        return None

    def asks_a_thing_of(self, request: Request, phase: Phase) -> bool:
        """Whether a question naming a phase by its order asks a thing the phase names, in at least
        OWN_ASK words besides its order ("what should the python script in step 1 do?"), not
        for the phase ("what do I learn in the second phase?"); read as a passage question, or as off
        the topic, which the phase's own words belie."""
        asked = asked_of_a_phase(ORDINAL.sub(" ", request.question), TIME_UNITS | STEPPING | ABOUT_A_PHASE)
        held = set(content_terms(f"{ChunkMeta.of(phase.doc).heading}\n{phase.doc.page_content}"))
        return request.intent in ASKS_A_THING and len(asked & held) >= OWN_ASK

    def asks_of_the_phase(self, request: Request, phase: Document) -> bool:
        """Whether a passage question naming a week or month of the plan asks a thing of its phase that
        the phase names ("how many interviews do I hold in June?"), not for the phase ("what am I doing in May?")."""
        if request.intent != Intent.PASSAGE.value:
            return False
        asked = asked_of_a_phase(request.question, TIME_UNITS | MONTH_TERMS)
        return bool(asked & set(content_terms(phase.page_content)))

    def _from_passages(self, request: Request, topic: Document | None) -> Request:
        """Retrieve; then refuse, answer a duration or total, or answer from the passages."""
        question = request.question
        request.passages = self.retriever.search(request.standalone, self.settings.k)

        def asks_apart() -> bool:
            """Whether the question names a topic of its own, far from the guide and from the topic's
            passage: "what about pizza?" does; "how long does it take?" names none, "and SEs?" the
            guide's roles, "and the senior ones?" words the topic's passage holds (a pay list's "Senior")."""
            return has_own_topic(question, besides=self.retriever.roles) and self.off_topic(
                question, self.retriever.search(question, self.settings.k)) and (
                self.retriever.word_coverage(question, topic) or 0.0) < LOOSE_COVERAGE

        if topic is None or points_back(question):  # "is there a book for it?" is about the topic
            off_topic = self.off_topic(request.standalone if topic is not None else question, request.passages)
            # "can I do it from home?": of the topic, in a word the guide never uses ("does that ever change?"
            # asks in everyday words, which the topic may well answer)
            off_topic = off_topic or (topic is not None and self.names_what_it_never_does(question) and asks_apart())
        else:
            off_topic = asks_apart()
        if off_topic and not self.names_the_kind(request):
            return replace(request, plan=Plan.REFUSE)
        # "can you name a few?" asks of the topic alone ("what do I make with it?" names what it asks of)
        if topic is not None and not has_own_topic(question, besides=untimed(question)) and not points_back(question):
            topical = {ChunkMeta.of(topic).section}
            request.passages = [topic, *(p for p in request.passages if p.id != topic.id and within(p, topical))]
        if topic is not None and self.phase_holding_part(request.passages[0], topic):
            # "do I need to code for that?" after Month 6: the context names Month 6 by its path, and so its
            # quarter, whose outline is not what the conversation is about (a list's other items may be:
            # "and a mid-level one?" after the junior pay)
            request.passages = [p for p in request.passages if not self.phase_holding_part(p, topic)] or [topic]
        if (topic is not None and points_back(question) and not ASKS_MORE.search(question) and self.roadmap
                and self.roadmap.phase_holding(topic)):
            # "what's the deliverable there?" after a phase: its own units are candidates, whatever its words ranked
            # ("what else goes in the portfolio besides that?" asks past it)
            request.passages = [topic, *(p for p in request.passages if p.id != topic.id)]
        top = request.passages[0]
        wanted = self.kind_asked(question)
        if (ChunkMeta.of(top).children and self.about_the_asked(self.retriever.without_roles(question), top)
                and wanted is None and not ASKS_COUNT.search(question)):
            # a list on top whose heading is about what is asked ("What skills do I already have?" for
            # "which strengths carry over?", not "Skills to learn" for "a PhD to become an ML engineer?"):
            # the list whole, as an overview would give it; not for an amount ("how many hours a week?")
            return replace(request, plan=Plan.SECTION, focus=top)
        if ChunkMeta.of(top).children:  # an overview on top: its parts are evidence too, and listed with it
            known = {p.id for p in request.passages}
            request.passages += [p for p in self.sections.parts(top) if p.id not in known]
        # "Which phase covers Docker?", "which book for the exam?": the best-ranked passage of the kind asked.
        if wanted is not None and not wanted(request.passages[0]):
            best = next(filter(wanted, self.retriever.search(request.standalone, KIND_DEPTH)), None)
            if best is not None:
                request.passages = [best, *(p for p in request.passages if p.id != best.id)]
        if self.roadmap and asks_which_phase(question) and wanted(request.passages[0]):
            request.passages = list(filter(wanted, request.passages))  # passages of no phase are no evidence
        # "how much do SREs make starting out?": the passage stating a sum, if ranked just below; two sums
        # compared ("how much more is A than B?"): every one below, as B may rank lower
        unpriced = ASKS_MONEY.search(question) and not any(MONEY.search(p.page_content) for p in request.passages)
        if unpriced or ASKS_GAP.search(question):
            below = self.retriever.search(request.standalone, PRICED_DEPTH * self.settings.k)[self.settings.k:]
            priced = [p for p in below if MONEY.search(p.page_content)]
            request.passages = [*request.passages, *(priced[:1] if unpriced else priced)]
        said = self.sections.asked_for(question)  # "this week?": "This week", not "What if a bad week...?"
        inside = [p for p in self.retriever.search(request.standalone, KIND_DEPTH) if within(p, said)] if said else []
        request.passages = inside[:self.settings.k] or request.passages
        whole = self.sections.first(next(iter(said))) if len(said) == 1 else None
        if whole is not None:  # asked for by its name alone: the section whole
            return replace(request, plan=Plan.SECTION, focus=whole,
                           passages=[whole, *(p for p in request.passages if p.id != whole.id)])
        if weighs(question):  # "is it worth it?" is weighed in pay too, wherever the guide states it
            passages = self.retriever.search(PAY_QUESTION, self.settings.k)
            paid = pay_verdict(score_units(PAY_QUESTION, passages, self.retriever.embedder, self.known))
            request.pay = (paid.text, paid.doc) if paid is not None else None
        return request

    def names_what_it_never_does(self, question: str) -> bool:
        """Whether the question names a subject in a word the guide never uses ("home"), not one
        of the everyday words questions ask with ("change", "end"), nor plain English ("ever"), nor
        a verb ("does it lead anywhere?")."""
        if self.retriever.vocabulary is None:  # no words' vectors: no telling whether "fail" stands for "retake"
            return False
        asking = getattr(self.intents, "everyday", set()) | GENERIC
        # "can I do it remotely?" names a subject (remote work) in an adverb: read as its adjective, and no verb
        return any(stem(w) not in self.known and stem(w) not in asking and not plain_english(w.removesuffix("ly"))
                   and (w.endswith("ly") or not verb_like(w, question)) for w in content_words(question))

    def phase_holding_part(self, doc: Document, part: Document) -> bool:
        """Whether doc is a roadmap phase that part is a part of ("Q2 — Months 4–6" of "Month 6")."""
        return (self.roadmap is not None and doc.id != part.id and self.roadmap.phase_of(doc) is not None
                and within(part, {ChunkMeta.of(doc).section}))

    def names_the_kind(self, request: Request) -> bool:
        """Whether the guide names a book for a question asking for one ("a good book to start
        with?") that names nothing the guide does not: any book the guide names is on its subject."""
        if not ASKS_WORK.search(request.question) or request.foreign or unknown_names(request.question, self.known):
            return False
        return any(names_a_work(p.page_content) for p in self.retriever.search(request.standalone, KIND_DEPTH))

    def drawn_from(self, said: str, passages: list[Document]) -> Document | None:
        """Of the passages an answer was built from, the one holding most of its words (by idf),
        the first of them on a tie: "What happens in Sprint 2?" quoted the second passage retrieved."""
        indexed = [p for p in passages if p.id in self.retriever.position]
        return max(indexed, key=lambda p: self.retriever.word_coverage(said, p) or 0.0, default=None)

    def quoted_from(self, said: str) -> Document | None:
        """The passage an answer was taken from, if one holds most of its words (by idf)."""
        ranked = self.retriever.search(said, self.settings.k)
        share, best = max(((self.retriever.word_coverage(said, p) or 0.0, p) for p in ranked),
                          key=lambda c: c[0], default=(0.0, None))
        return best if share >= QUOTED else None

    def kind_asked(self, question: str) -> Callable[[Document], bool] | None:
        """What a passage must be to answer a question asking for a kind of thing: a phase, a book."""
        if self.roadmap and asks_which_phase(question):
            return lambda doc: self.roadmap.phase_holding(doc) is not None  # "Month 7" of "Q3 — Months 7–9" too
        return (lambda doc: names_a_work(doc.page_content)) if ASKS_WORK.search(question) else None

    def off_topic(self, question: str, passages: list[Document]) -> bool:
        """Whether the guide does not cover the question: no section named or judging the move as
        the question does, and no passage close in meaning or sharing its words."""
        if not passages:
            return True
        named = max(Scores.of(p).heading_match for p in passages) >= HEADING_NAMED or bool(
            self.sections.asked_for(question))  # "this week?" asks for "Your First Steps This Week"
        # "toughest?": "What's hard", "The fine print"; "will I enjoy it?": "The good parts"
        side, asked = sides(question), set(content_terms(question))
        if named or any(judged(side, p, asked) > 0 for p in passages):
            return False
        similarity = max(Scores.of(p).similarity for p in passages)
        low = self.settings.min_similarity
        first = self.retriever.word_coverage(question, passages[0])
        if first is None:  # no topical words
            return similarity < low
        # Half the question's words in any passage retrieved cover it (a long stage's passage is far in
        # meaning from one of its bullets); a quarter, only in the passage ranked first.
        most = max([first, *(self.retriever.word_coverage(question, p) for p in passages[1:])])
        return ((similarity < low and most < LOOSE_COVERAGE)
                or (similarity < CLOSE_FACTOR * low and first < CLOSE_COVERAGE))

    def named_phase(self, question: str, partly: bool = False) -> Phase | None:
        """The phase whose heading the question names ("the cloud phase" names it partly:
        then it must be the only phase it touches)."""
        named = [(share, p) for share, p in self._phase_names(question)
                 if share > 0 and (partly or share >= HEADING_NAMED)]
        if not named or (partly and len(named) > 1):
            return None
        return max(named, key=lambda sp: sp[0])[1]

    def named_phases(self, question: str, least: float = HEADING_NAMED, by_month: bool = True) -> list[Phase]:
        """Every phase whose name the question names (at least that share of its words)."""
        return [p for share, p in self._phase_names(question, by_month) if share >= least]

    def phases_touched(self, question: str) -> list[Phase]:
        """Every phase the question names by a word of its name that no other phase's name uses
        ("ICD-10 and CPT/HCPCS" for "ICD-10-CM Diagnosis Coding" and "CPT and HCPCS Level II")."""
        if self.roadmap is None:
            return []
        asked = set(content_terms(question))
        names = [set(content_terms(p.name)) for p in self.roadmap.phases]
        return [p for i, (p, words) in enumerate(zip(self.roadmap.phases, names, strict=True))
                if words & asked - set().union(*names[:i], *names[i + 1:])]

    def _phase_names(self, question: str, by_month: bool = True) -> list[tuple[float, Phase]]:
        """Each phase with the share (by idf) of its name's words that the question uses; the
        name, not the heading, so that "Phase 2" or "(Weeks 4-6)" in headings match nothing
        (but a month of one dated by month names it whole)."""
        if self.roadmap is None:
            return []
        asked, idf = set(content_terms(question)), self.retriever.bm25.idf
        out = []
        for phase in self.roadmap.phases:
            words = set(content_terms(phase.name))
            total = sum(idf.get(t, 1.0) for t in words)
            share = sum(idf.get(t, 1.0) for t in words & asked) / total if total else 0.0
            # a phase dated by month is named by any of its months: "the June phase", "the April–May stretch"
            months = set(content_terms(" ".join(phase.month_names))) if by_month else set()
            out.append((1.0 if asked & months else share, phase))
        return out

    def listed_section(self, request: Request, lists_too: bool = False) -> Document | None:
        """The section a question asks to list or count: the best-ranked passage with
        subsections (or, with lists_too, a list), a section the question names first."""
        ranked = self.retriever.search(request.standalone, max(self.settings.k, LIST_SEARCH_DEPTH))
        request.passages = ranked[: self.settings.k]

        def listed(doc: Document) -> bool:
            meta = ChunkMeta.of(doc)
            return bool(meta.children) or (lists_too and meta.is_list)

        other = self.about_another(request.question)
        first = ranked[0] if ranked else None
        named = [d for d in ranked if listed(d) and Scores.of(d).heading_match >= HEADING_NAMED
                 and not other[self.retriever.position[d.id]] and (d is first or self.words_of_its_own(d))]
        # a part ranked stands for the section holding it: "Accuracy under pressure" for "What you already bring"
        holding = {h.id: h for d in ranked if (h := self.sections.first(ChunkMeta.of(d).parent))}
        about = [d for d in [*ranked, *holding.values()] if listed(d) and self.about_the_asked(request.question, d)]
        return next(iter(named + about), None) or next((d for d in ranked if listed(d)), None)

    def words_of_its_own(self, doc: Document) -> bool:
        """Whether a heading has more than one word of its own (roles aside): "Skills That Carry
        Over" is named by what a question asks; "Career" or "Move" by any question on the change."""
        return len(set(content_terms(self.retriever.without_roles(heading_name(ChunkMeta.of(doc).heading))))) > 1

    def heading_shares(self, question: str) -> np.ndarray:
        """For each passage, the share of its heading the question names (not by a role's name)."""
        return self.retriever.heading_match(content_terms(without_rates(self.retriever.without_roles(question))))

    def named_section(self, question: str) -> Document | None:
        """The passage whose heading the question names, if one clearly is (not by a role's name)."""
        matches = self.heading_shares(question)
        matches[self.about_another(question)] = 0.0
        best = int(matches.argmax()) if len(matches) else -1
        return self.retriever.documents[best] if best >= 0 and matches[best] >= HEADING_NAMED else None

    @cached_property
    def heading_facets(self) -> list[frozenset[int]]:
        """For each passage, the FACETS its own heading touches."""
        return [facets(content_terms(heading_name(ChunkMeta.of(d).heading)), HEADING_FACETS)
                for d in self.retriever.documents]

    def about_the_asked(self, question: str, doc: Document) -> bool:
        """Whether a passage's heading is about a facet the question asks about, and little else:
        "What You Already Bring" for "which skills carry over?", not "Risk Assessment and Controls"
        for "the toughest part?"."""
        asked = facets(judging_terms(question)) & self.heading_facets[self.retriever.position[doc.id]]
        words = set().union(*(HEADING_FACETS[i] for i in asked))
        other = set(content_terms(heading_name(ChunkMeta.of(doc).heading))) - words
        return bool(asked) and len(other) <= FACET_HEADING_WORDS

    def about_another(self, question: str) -> np.ndarray:
        """For each passage, whether its heading is about another facet than the question asks
        about: "Skills You'll Need to Learn" for "which of my skills carry over?", "Biggest
        Challenges" for "my biggest advantage?" (each names the heading by one word)."""
        asked = facets(judging_terms(question))
        return np.array([bool(asked and own) and asked.isdisjoint(own) for own in self.heading_facets], dtype=bool)
