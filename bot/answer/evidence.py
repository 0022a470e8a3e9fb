"""Evidence chosen sentence by sentence: every sentence, bullet and table cell of the
retrieved passages is scored against the question, by meaning (the embedding model) and by
the question's own words weighted by rarity, so the answer quotes what answers the question,
wherever in the passages it stands, not the opening lines of the top passage.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.answer import entities
from bot.answer.entities import names, numbers
from bot.answer.questions import ASKS_WORK, BOOK, PLAN_WORDS, asks_which_phase, elliptic, names_a_work
from bot.ingest.outline import CELL
from bot.schema import ChunkMeta, Scores
from bot.text import (
    ADVERB,
    BULLET,
    EVALUATIVE_WORDS,
    GENERIC,
    GOOD_KINDS,
    MONEY_WORDS,
    MOVE_WORDS,
    NUMBER_WORDS,
    POSSESSIVE,
    STOPWORDS,
    WORTH_WORDS,
    content_terms,
    judging_terms,
    one_slip,
    plain_english,
    rate_terms,
    role_words,
    stem,
    title_roles,
    tone,
    topical_terms,
    units,
    with_evaluative,
)

if TYPE_CHECKING:
    from bot.retrieval import HybridRetriever

CLAUSES = re.compile(r";\s+")  # a long table cell lists its items with semicolons
LONG_UNIT = 160  # a unit longer than this is split into its clauses...
LIST_CLAUSES = 3  # ...if it has this many: a list
WORDS_WEIGHT = 0.5  # the question's words found in a unit, against closeness in meaning (0-1 each)
RANK_PENALTY = 0.02  # a unit from a lower-ranked passage needs to be a little better
REASON = re.compile(r"\b(because|since|so that|so|as it|why|reason|helps?|lets?|gives?|means|otherwise|rather than|"
                    r"due to)\b", re.I)
REASON_BONUS = 0.3  # for "why?", a unit that gives a reason
CONTEXT_WORDS = 0.5  # a follow-up's context words, against the question's own (1.0)
SAID = 0.7  # share of a unit's words the last answer used, for the unit to count as said already
SAID_PENALTY = 0.5  # a follow-up asks for something new: what was just said comes last
# A follow-up's unit with none of the question's own words says only what the question is about
# ("Phase: Linux, Logs and SIEM" for "what searches do I build in it?"). On the tuning halves 0.15
# fixed one question, 0.3 two (as did 0.5), and none broke.
ASIDE_PENALTY = 0.3
FOREIGN_LETTERS = 3  # a shorter word the guide lacks is a typo or a particle, not a subject
COLUMN_NAMES = re.compile(r"^[^|.:;\d]{1,40}(?:\s\|\s[^|.:;\d]{1,40})+$")  # "Dates | Phase | What you do"
# "what else do I read?", "any other books?": a follow-up asking past what was said
ASKS_MORE = re.compile(r"\b(?:else|more|other|another|besides)\b", re.I)
# "what will I have built by the end of it?": guides close a phase with what it leaves you with
# ("Deliverable: ...", "Milestone: ..."), in words the question seldom shares; as much as a reason for "why?".
ASKS_END = re.compile(r"\b(?:by|at) the end\b|\bend up with\b", re.I)
CLOSING_BONUS = 0.3
# "Deliverable: ...": the unit saying what a phase ends with
LEAVES = re.compile(r"^\W*(?:deliverables?|milestones?|outcomes?|checkpoints?)\b", re.I)
GIVES_BONUS = 0.15  # a unit giving what is asked: a name for "which book?", a sum for "how much?", "3 tastings"
ASKS_NAME = re.compile(r"\b(?:which|what)(?:['’]s|\s+(?:is|are))?\s+(?:\w+\s+){0,2}?"
                       r"(?:tools?|platforms?|books?|courses?|apps?|software|packages?|"
                       r"(?:web)?sites?|certifications?|certificates?|programs?|programmes?|languages?|resources?|"
                       r"frameworks?|librar(?:y|ies)|services?|providers?|compan(?:y|ies)|podcasts?|exams?)\b"
                       r"|\bwho (?:wrote|writes|teaches|runs)\b"
                       r"|\bwhere (?:do|can|could|should) (?:i|we|you) (?:\w+ )?(?:learn|study|practi[sc]e|pick up)\b",
                       re.I)  # "where do I learn the stats side?": a place by name
MOVE_HEADING_WORDS = 1  # a heading judging the move names little else ("Biggest Challenges")
OTHER_ROLE_PENALTY = 0.2  # "what do RAs make?": not what pharmacists make
INTRO_WORDS = 3  # a sentence judging the move with at most this many other words opens a paragraph saying how
JUDGED_BONUS = 0.3  # for "what will I enjoy?", a unit whose section judges the move that way (or, less, the other way)
# A heading only the heading judge reads so ("Why make the move") counts half one saying so ("What You'll Love").
READ_AS_JUDGING = 0.5
HALF_JUDGED = 0.5  # a heading judging the move well in the other kind of good than asked (see GOOD_KINDS)


@dataclass(frozen=True)
class Evidence:
    """One unit of a passage, with how well it answers the question."""

    text: str
    doc: Document
    rank: int  # the passage's place in the retrieval
    similarity: float  # cosine to the question
    words: float  # share (by idf) of the question's topical words it holds, with its heading
    reason: bool = False  # whether it gives a reason, and one was asked for
    said: bool = False  # whether the answer a follow-up follows already said it
    aside: bool = False  # a follow-up's unit with none of the question's own words
    judged: float = 0  # +1 if its section (else its paragraph's opening) judges the move as asked, -1 the other way
    gives: bool = False  # a name the question lacks, and one was asked for; or a sum, or a number of the thing
    other_role: bool = False  # a sum for the guide's other role than the one asked about
    closing: bool = False  # the last unit of a roadmap phase, and the question asks what it ends with

    @property
    def score(self) -> float:
        # "why?" is answered by a reason, said before or not; any other follow-up asks for something new
        said_again = self.said and not self.reason
        return (self.similarity + WORDS_WEIGHT * self.words - RANK_PENALTY * self.rank + REASON_BONUS * self.reason
                - SAID_PENALTY * said_again - ASIDE_PENALTY * self.aside + JUDGED_BONUS * self.judged
                + GIVES_BONUS * self.gives - OTHER_ROLE_PENALTY * self.other_role + CLOSING_BONUS * self.closing)


def pieces(unit: str) -> list[str]:
    """A unit, or its clauses if it is a long semicolon list (three or more: "Read X; start
    with chapter 2" is one instruction, its second clause nothing without its first)."""
    clauses = [p.strip() for p in CLAUSES.split(unit) if p.strip()] if len(unit) > LONG_UNIT else []
    return clauses if len(clauses) >= LIST_CLAUSES else [unit]


def passage_units(doc: Document) -> list[str]:
    return [u for said in paragraphs(doc) for u in said]


def closing_unit(question: str, doc: Document) -> str | None:
    """What a roadmap phase ends with, if the question asks ("by the end of it?"): the unit saying
    so ("Deliverable: ..."), else its last."""
    said = passage_units(doc) if ASKS_END.search(question) and ChunkMeta.of(doc).kind == "phase" else []
    return next((u for u in said if LEAVES.match(u)), said[-1]) if said else None


_VECTORS: dict[tuple[int, str], np.ndarray] = {}  # (embedder, passage id) -> its units' vectors
CACHED_PASSAGES = 10_000  # about 60 MB of vectors at most; a guide's passages fit many times over


def unit_vectors(doc: Document, embedder: Embeddings) -> np.ndarray:
    """The embeddings of a passage's units, alone and framed by the section's heading (an FAQ
    answer "Yes. The plan is built around..." means something only with its question), shape
    (2, units, dim); computed once per passage and kept.

    The model pools its token vectors by their mean, so a framed unit is taken as the heading's
    and the unit's vectors weighted by their lengths in words (the heading's twice: it is dense):
    one more text to embed per passage, not one per unit."""
    key = (id(embedder), doc.id or doc.page_content)
    if key not in _VECTORS:
        if len(_VECTORS) >= CACHED_PASSAGES:
            _VECTORS.clear()
        texts = passage_units(doc)
        heading = ChunkMeta.of(doc).heading
        vectors = np.array(embedder.embed_documents([*texts, heading or " "]))
        alone, head = vectors[:-1], vectors[-1]
        weights = np.array([len(t.split()) for t in texts], dtype=float)[:, None]
        framed = weights * alone + 2 * len(heading.split()) * head
        framed /= np.maximum(np.linalg.norm(framed, axis=1, keepdims=True), 1e-9)
        _VECTORS[key] = np.stack([alone, framed])
    return _VECTORS[key]


def score_units(question: str, passages: list[Document], embedder: Embeddings | None,
                idf: dict[str, float], why: bool = False, context: str = "", said: str = "") -> list[Evidence]:
    """Every unit of the passages, best first (with why, those giving a reason first).

    context: what a follow-up is about ("Terraform" for "is there a book for it?"). It joins
    the question for closeness in meaning, but its words count for less than the question's
    own: the question says what is asked, the context only what it is asked about. said: the
    answer the follow-up follows; the units it already gave come last."""
    found = [(rank, doc, text) for rank, doc in enumerate(passages) for text in passage_units(doc)]
    if not found:
        return []
    ends = {doc.id: closing_unit(question, doc) for doc in passages}
    # "Which book ...?" is answered by a title and its author ("gives"), which the word "book" seldom goes with;
    # "which phase is that in?" by a unit of the phase, which seldom says "phase".
    asks_work = bool(ASKS_WORK.search(question))
    kind = PLAN_WORDS if asks_which_phase(question) else BOOK if asks_work else None
    own = topical_terms(kind.sub(" ", question) if kind else question)
    side, asked = sides(question), set(content_terms(question))
    roles = distinct_roles(ChunkMeta.of(passages[0]).title)
    asked_roles = {i for i, role in enumerate(roles) if role & asked}  # "how much do RAs make?": the new role's
    if side:  # "is this career change worth it?" judges the guide's whole subject, and in its sections, not in
        # passing: "a cheap career change", "worth more than two begun", "going from SE to SA" name it, no answer
        own -= MOVE_WORDS | WORTH_WORDS | (set().union(*roles) if len(asked_roles) == 2 else set())
    about = kind.sub(" ", context) if kind else context  # the kind asked for is not what it is about
    weights = {t: CONTEXT_WORDS for t in topical_terms(about) - own} | dict.fromkeys(own, 1.0)
    rarest = max(idf.values(), default=1.0)
    total = sum(idf.get(t, rarest) * w for t, w in weights.items()) or 1.0
    if embedder is not None:
        # the new role judged ("will I enjoy working in operations?") is named by every unit on it ("operations
        # managers earn ..."): its words say nothing of which unit judges it. Not so the old role ("am I the
        # kind of sommelier who'd enjoy buying?"), nor both (the move judged).
        reading = read_as(question, roles[1], "job") if side and asked_roles == {1} else question
        reading = read_as(reading, MOVE_WORDS, "move") if side else reading
        query = np.array(embedder.embed_query(f"{context} {reading}" if context else reading))
        # A unit is as close as the closer of its two readings: alone, or in its section.
        similarity = np.concatenate([(unit_vectors(doc, embedder) @ query).max(axis=0) for doc in passages])
    else:
        similarity = np.zeros(len(found))
    said_terms, said_numbers = set(content_terms(said)), numbers(said)
    # the other kind of good than asked counts half ("What You'll Love" for "is it worth it?") only beside a
    # passage judging the move well otherwise ("Why it's worth it", or read so by the heading judge)
    if not any(judged(side, doc, asked) > 0 and verdict(side, ChunkMeta.of(doc).section, asked) != HALF_JUDGED
               for doc in passages):
        side = {t: 1.0 if w == HALF_JUDGED else w for t, w in side.items()}
    asked_tone = tone(judging_terms(question)) if side else 0
    verdicts = {doc.id: paragraph_verdicts(doc) for doc in passages} if asked_tone else {}
    same_of = elliptic(question) is not None
    asking = f"{context} {question}" if same_of else question  # "and as an analyst?" asks what was asked before
    asks_name, asks_money = bool(ASKS_NAME.search(asking)), bool(ASKS_MONEY.search(asking))
    asks_count = not asks_money and bool(ASKS_COUNT.search(asking))
    asks_more = bool(ASKS_MORE.search(question))
    out = []
    for (rank, doc, text), sim in zip(found, similarity, strict=True):
        closing = ends.get(doc.id) == text  # what the question asks for, in none of its words: no aside
        have = set(content_terms(text)) | set(content_terms(ChunkMeta.of(doc).heading))
        named = {i for i, role in enumerate(roles) if role & have}
        have |= {t for i in named for t in roles[i]}  # "regulatory affairs" is the "RA" asked about
        other_role = asks_money and len(asked_roles) == 1 and bool(named) and not named & asked_roles
        words = sum(idf.get(t, rarest) * weights[t] for t in weights.keys() & have) / total
        gives = ((asks_work and names_a_work(text))
                 or (asks_name and not asks_work and any(set(content_terms(rest)) - asked for _, rest in names(text)))
                 or (asks_money and bool(MONEY.search(text)) and bool(have & (own - MONEY_WORDS)))
                 or (asks_count and gives_the_figure(question, [text], idf)))
        # said before, a line is asked for again by its label ("what's the deliverable there?" after the whole
        # phase: "Deliverable: ...") or by a follow-up asking the same of what it names ("and senior buyers?"
        # after "... and senior buyers earn £60,000"), unless more is asked
        label = CELL.match(text)
        # ("$48,000 a year" names no year: "and after a couple of years?" asks on)
        again = not asks_more and bool(own) and (own <= have - rate_terms(text) if same_of else label is not None
                                                 and bool(own & set(content_terms(label["header"]))))
        out.append(Evidence(text, doc, rank, float(sim), words, why and bool(REASON.search(text)),
                            repeats(text, said_terms, said_numbers) and not again,
                            aside(context, own, text, doc) and not closing,
                            judged(side, doc, asked) or asked_tone * verdicts.get(doc.id, {}).get(text, 0), gives,
                            other_role, closing))
    if all(e.aside for e in out):  # the question's own words are nowhere: it asks about its topic
        out = [replace(e, aside=False) if e.rank == 0 else e for e in out]
    return sorted(out, key=lambda e: -e.score)


def read_as(text: str, terms: set[str], stand_in: str) -> str:
    """text with each run of its words whose stems are terms read as stand_in."""
    read = re.sub(r"[\w'’]+", lambda m: stand_in if stem(m.group().lower()) in terms else m.group(), text)
    return re.sub(rf"\b{re.escape(stand_in)}(?:[\s-]+{re.escape(stand_in)})+\b", stand_in, read)


def paragraphs(doc: Document) -> list[list[str]]:
    """A passage's units, paragraph by paragraph (a line of prose, or one bullet); not a table's
    column names, which its section keeps ("Dates | Phase | Deliverable") and which state nothing."""
    return [[p for u in units(line) for p in pieces(u)] for line in doc.page_content.split("\n")
            if line.strip() and not COLUMN_NAMES.match(line)]


def introduced_list(doc: Document, unit: str) -> list[str]:
    """The bullets a line ending in unit introduces ("...do these five things:"), else none."""
    lines = [line for line in doc.page_content.split("\n") if line.strip()]
    at = next((i for i, line in enumerate(lines) if unit.endswith(":") and units(line)[-1:] == [unit]), None)
    if at is None:
        return []
    listed = []
    for line in lines[at + 1:]:
        if not BULLET.match(line):
            break
        listed += units(line)
    return listed


def paragraph_verdicts(doc: Document) -> dict[str, int]:
    """Each unit -> how the first sentence of its paragraph judges the move, if it is short and
    does little else (+1 good side, -1 bad side, 0): "The hard parts are physical and practical."
    for the sentences after it, not "Buying suits sommeliers who enjoy the list-building side..."."""
    out: dict[str, int] = {}
    for said in paragraphs(doc):
        opens = said[0] if said else ""
        way = tone(judging_terms(opens)) if judges_the_move(opens, most=INTRO_WORDS) else 0
        out.update({u: way for u in said if u not in out})
    return out


def distinct_roles(title: str) -> list[set[str]]:
    """The words naming each of the two roles a guide's title moves between, less those they share
    ("Engineer" in "Mechanical Engineer to Robotics Software Engineer" names neither)."""
    roles = [role_words(r) for r in title_roles(title)]
    return [roles[0] - roles[1], roles[1] - roles[0]] if roles else []


def sides(question: str) -> dict[str, float]:
    """The words judging the move that a question's own reach: +1 its side, -1 the other. A
    question asking for a book judges the book ("something fun to read?"), not the move."""
    if ASKS_WORK.search(question):
        return {}
    terms = judging_terms(question)
    judging = with_evaluative(dict.fromkeys(terms, 1.0), 1.0, -1.0)
    kinds = [kind for kind in GOOD_KINDS if kind & set(terms)]
    other = set().union(*(kind for kind in GOOD_KINDS if kind not in kinds)) if len(kinds) == 1 else set()
    return {t: (HALF_JUDGED if t in other and w > 0 else w) for t, w in judging.items() if t in EVALUATIVE_WORDS}


def weighs(question: str) -> bool:
    """Whether a question asks if the move is worth it ("is it worth the effort?"), which the guide's
    pay answers as much as its reasons do; not whether it is enjoyed ("what will I like?")."""
    return bool(sides(question)) and bool(WORTH_WORDS & set(judging_terms(question)))


def verdict(side: dict[str, float], section: str, asked: set[str] = frozenset()) -> float:
    """+1 if a section's path judges the move the question's way ("What's hard" for "the
    toughest part"; half that for the other kind of good: "What You'll Love" for "is it worth
    it?"), -1 if the other way, else 0. asked: the question's own terms."""
    parts = [part for part in section.split(" > ") if judges_the_move(part, asked)]
    signs = {side[t] for part in parts for t in set(content_terms(part)) & side.keys()}
    return max(signs) if any(sign > 0 for sign in signs) else -1 if -1.0 in signs else 0


def judged(side: dict[str, float], doc: Document, asked: set[str] = frozenset()) -> float:
    """verdict() on a passage's section path, else, for less, how the heading judge read its
    heading (the retriever's `judged` score): "The fine print" for "the toughest part?". 0 for a
    question that judges nothing of the move (side empty), such as one asking for a book "fun to
    read"."""
    return verdict(side, ChunkMeta.of(doc).section, asked) or (READ_AS_JUDGING * Scores.of(doc).judged if side else 0)


def judges_the_move(heading: str, asked: set[str] = frozenset(), most: int = MOVE_HEADING_WORDS) -> bool:
    """Whether a heading's judging words judge the move itself ("What makes it worth it",
    "Biggest Challenges"), not a thing it names that the question does not ("Certifications
    worth paying for", "Is the CSCP worth it straight away?"): it has at most one other word."""
    other = [t for t in content_terms(heading)
             if t not in EVALUATIVE_WORDS and t not in GENERIC and t not in asked and not t.isdigit()]
    return len(other) <= most


def aside(context: str, own: set[str], unit: str, doc: Document) -> bool:
    """Whether a follow-up's unit holds none of the question's own words, in it or on its
    section's path ("in which roadmap phase?" is answered under "Your Learning Roadmap")."""
    return bool(context and own) and own.isdisjoint(content_terms(f"{unit} {ChunkMeta.of(doc).section}"))


def repeats(unit: str, said: set[str], said_numbers: set[str]) -> bool:
    """Whether most of a unit's topical words were in an answer already given, and every name
    and number it holds: "the platform that delivers courses" did not say "such as Cornerstone
    or Moodle", nor "Storytelling with Data by Cole Nussbaumer Knaflic" its price, "$30"."""
    words = topical_terms(unit)
    if not (words and said) or len(words & said) / len(words) < SAID:
        return False
    return all(set(content_terms(rest)) <= said for _, rest in names(unit)) and numbers(unit) <= said_numbers


ASKS_MONEY = re.compile(r"\b(cost|costs|price|prices|fees?|salary|salaries|earn|earns|wage|wages|"
                        r"how much (?:money|do|does|will|would|can|am|are|is)\b.*\b(?:pay|make|making|earn|earning)|"
                        r"how many (?:dollars|euros|pounds))\b|\$\$|\$(?!\s?\d)"  # "how much $$"
                        r"|\bthe\s+(?:\w+\s+)?pay\b(?!\s+(?:off|cut|rise|attention))", re.I)  # "the (starting) pay?"
MONEY = re.compile(r"[$€£¥]\s?\d|\b(?:usd|cad|aud|eur|gbp|chf)\s?\d|"
                   r"\b\d[\d,.]*\s?(?:k|dollars|euros|pounds|usd|eur|gbp)\b", re.I)
# "the pass rate" asks a share, given as one ("72%", "one in three")
ASKS_COUNT = re.compile(r"\bhow (?:much|long|many\s+(?P<unit>[a-z]+))\b|\b(?:exact|average)\b|(?P<share>"
                        r"\b(?:percentage|per ?cent)\b|\b(?:pass|success|failure|acceptance|completion|placement|"
                        r"hiring|dropout|response) rates?\b)", re.I)
NUMBER = re.compile(r"\b(?:\d+(?:[.,]\d+)?|" + "|".join(n for n in NUMBER_WORDS if n != "zero")
                    + r"|a few|a couple|several|half)\b", re.I)
MEASURES = frozenset(stem(u) for u in "minutes hours days weeks months years".split())  # always the unit asked
SHARE = re.compile(rf"\d\s?%|\bper ?cent\b|{NUMBER.pattern} (?:in|out of) {NUMBER.pattern}", re.I)  # "one in three"


def gives_the_figure(question: str, quoted: list[str], known: Collection[str] = ()) -> bool:
    """Whether the quoted units hold the kind of figure the question asks for, if it asks one:
    a sum of money for "how much does it cost", a number of hours for "how many hours". known:
    the guide's words; a number of a thing it has no word for ("how many ppl?") is any number,
    but hours, days, weeks... are always the unit asked."""
    text = " ".join(quoted)
    if ASKS_MONEY.search(question):
        return bool(MONEY.search(text))
    asked = ASKS_COUNT.search(question)
    if not asked:
        return True
    if asked.group("share"):  # "what's the pass rate?": a percentage, or "one in three"
        return bool(SHARE.search(text))
    unit = stem(asked.group("unit").lower()) if asked.group("unit") else ""
    if unit and unit not in STOPWORDS and (unit in MEASURES or not known or unit in known):
        # "how many hours": a number of hours
        return bool(re.search(NUMBER.pattern + r"[\s-]+(?:\w+[\s-]+)?" + re.escape(unit), text, re.I))
    return bool(NUMBER.search(text))


def unknown_names(question: str, idf: dict[str, float]) -> list[str]:
    """The names a question uses that the guide never does ("Ontario", "Kaggle"; "Pfizer" for "Pfizer's")."""
    return [POSSESSIVE.sub("", rest) for _, rest in names(question.strip())
            if any(t not in idf for t in content_terms(rest))]


def misspelt(word: str, words: set[str]) -> bool:
    """Whether a word is one slip (a letter dropped, added, changed or swapped) from one of
    words or from a common English word ("interveiw", "shoud")."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    edits = one_slip(word)
    return not (edits.isdisjoint(words) and edits.isdisjoint(ENGLISH_STOP_WORDS))


# The words after which a word does something or is some way, rather than names a thing:
# a subject pronoun ("should I avoid"), a modal, a form of "be" ("is scary"); not "to" ("move to Berlin").
ACTS_AFTER = set("i you we they he she it can could should would will must might may shall do does did "
                 "be is are am was were been gonna wanna pretty too so very as".split())
DETERMINERS = set("a an the my your our their his her its this that these those any some no".split())
FILLERS = {"just", "even", "still", "ever"}  # "can I just throw": between a modal and its verb, as adverbs are


def verb_like(word: str, question: str) -> bool:
    """Whether a question uses a word as a verb or an adjective, which names no subject: after
    a pronoun, a modal or "be" (adverbs between: "can I just throw"), or an -ing or -ed
    form not after a determiner or a possessive ("while holding down", but "the pricing")."""
    words = re.findall(r"[\w'’-]+", question.lower())
    places = [i for i, w in enumerate(words) if w == word.lower()]
    for i in places:
        before = [w for w in words[:i] if not (ADVERB.match(w) or w in FILLERS)]
        last = before[-1] if before else ""
        owned = last in DETERMINERS or last.endswith(("'s", "’s"))  # "the pricing", "Google's hiring"
        if not (last in ACTS_AFTER or (re.search(r"(?:ing|ed)$", word.lower()) and not owned)):
            return False
    return bool(places)


def forms(word: str) -> set[str]:
    """A word's stem with and without a silent "e": the stemmer makes "chang" of "changes" but
    keeps "change", so "what changes?" is asked with the exemplars' "career change"."""
    stemmed = stem(word)
    return {stemmed, stemmed.rstrip("e"), f"{stemmed}e"}


def foreign_words(retriever: HybridRetriever, question: str, known: dict[str, float], everyday: set[str]) -> list[str]:
    """The question's words of a subject that neither the guide (`known`, its known_idf) nor any
    word near one in meaning uses ("pension"), less the everyday words a question asks with
    (`everyday`, stemmed)."""
    if retriever.vocabulary is None:  # no words' vectors: no telling what is near
        return []
    candidates = [w for w in retriever.unknown_words(question) if len(w) > FOREIGN_LETTERS and not plain_english(w)
                  and forms(w).isdisjoint(known.keys() | everyday) and stem(w) not in EVALUATIVE_WORDS | GENERIC
                  and not misspelt(w, retriever.known_words) and not verb_like(w, question)]
    # Only the candidates are looked up (usually none: no model call on the way to an answer).
    stand_ins = retriever.expansions(" ".join(candidates)) if candidates else {}
    return [w for w in candidates if len(stand_ins.get(stem(w), {})) == 1]


# A name owning what the question asks about: "Google's interview process", "Kaiser Permanente's".
# A name may end in symbols: "C++", "C#".
OWNER = re.compile(r"(?<=\s)([A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*)['’]s\b"
                   # ... or doing it, or where it is done: "How does Google structure ...", "interviews at Amazon"
                   r"|\b(?:does|do|did|at|for|with|by)\s+([A-Z][\w&.-]*(?: [A-Z][\w&.-]*)*(?:[+#]+|\b))")


PLAN_PART = re.compile(r"(?:phase|stage|step|module|month|week|sprint|quarter|part|day)s?$", re.I)


def unquoted_owners(question: str, quoted: list[str], idf: dict[str, float] | None = None) -> list[str]:
    """The names whose own thing the question asks about ("Google's interview process") that the
    quoted evidence does not name: the guide may name Google elsewhere, but not for this. Not a
    part of the plan ("for Phase 2"), nor the guide's roles ("How do DAs...": idf 0)."""
    held, idf = entities.words(" ".join(quoted)), idf or {}
    return [name for name in dict.fromkeys(a or b for a, b in OWNER.findall(question))
            if name.lower() not in STOPWORDS and not entities.contains(held, name)  # not "What's"
            and not PLAN_PART.match(name) and not all(idf.get(t) == 0.0 for t in content_terms(name))]


def caveat(question: str, quoted: list[str], idf: dict[str, float], foreign: list[str] = ()) -> str:
    """What the question asks that the guide does not say, said first: a name or a subject the
    guide never uses ("Kaggle", "pension": `foreign`), a name whose own thing is asked about
    that the quoted evidence does not name ("Google's interview process"), or a figure the
    quoted evidence does not give. "" if nothing is missing."""
    unknown = unknown_names(question, idf) or list(foreign)
    if unknown:
        return f"The guide doesn't mention {' or '.join(dict.fromkeys(unknown))}."
    if owners := unquoted_owners(question, quoted, idf):
        return f"The guide doesn't say anything about {' or '.join(owners)} in particular."
    if not gives_the_figure(question, quoted, idf):
        return "The guide doesn't mention a figure for that."
    return ""
