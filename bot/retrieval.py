"""Hybrid retrieval: vector similarity from Chroma and BM25 keyword scores, fused by rank."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any, Protocol, runtime_checkable

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.index.store import embedding_text, get_all
from bot.ingest.outline import heading_name
from bot.judging import HeadingJudge
from bot.schema import ChunkMeta, Scores
from bot.text import (
    EVALUATIVE,
    EVALUATIVE_HEADING,
    EVALUATIVE_WORDS,
    GENERIC,
    MONEY_WORDS,
    POSSESSIVE,
    content_terms,
    content_words,
    judging_terms,
    one_slip,
    role_names,
    role_words,
    stem,
    title_roles,
    tone,
    topical_terms,
    with_evaluative,
    without_rates,
)

SLIP_LETTERS = 5  # a word this long that the corpus lacks may be a slip for one it has ("dashbord")
SLIP_WEIGHT = 0.9  # ... and counts nearly as that word
EXPANSION_SIMILARITY = 0.6  # how close (cosine) a corpus word must be to a query word
RRF_K = 10  # small: a passage first in one list should beat one middling in both
HEADING_WEIGHT = 0.05  # a heading that the question names is worth about a top-3 rank
HEADING_NAMED = 0.5  # share of a heading's words that counts as the question naming it
RARE_PASSAGES = 2  # a word in this many passages or fewer belongs to the guide's own subject
INITIALISM_WORDS = 3  # a heading of this many words or more may be named by its initials ("FAQ")
TAKES_A_ROLE = {"from", "to", "into", "as", "a", "an", "being", "become", "becoming"}  # "from _ to _", "as a _"
EXPANSIONS_PER_WORD = 3  # corpus words that may stand in for one unknown query word
CANDIDATES_PER_K = 4  # each ranking contributes 4k candidates (at least MIN_CANDIDATES) to fuse
MIN_CANDIDATES = 20
CACHE_QUERIES = 256  # expansions remembered; a chat repeats its questions' words


@runtime_checkable
class VectorCollection(Protocol):
    """What retrieval needs of a Chroma collection (a real one, or a test's stand-in)."""

    def query(self, *, query_embeddings: list, n_results: int, include: list[str]) -> dict: ...

    def get(self, *, include: list[str], limit: int, offset: int) -> dict: ...


def top(scores: np.ndarray, n: int) -> np.ndarray:
    """Indexes of the n highest positive scores, best first (ties: lower index first)."""
    candidates = np.flatnonzero(scores > 0)
    if len(candidates) > n:
        candidates = candidates[np.argpartition(-scores[candidates], n - 1)[:n]]
    return candidates[np.lexsort((candidates, -scores[candidates]))]


class BM25:
    """Okapi BM25 over a fixed list of texts, as an inverted index: a query touches only the
    postings of its own terms, so it stays fast on a hundred thousand passages."""

    def __init__(self, texts: list[str], k1: float = 1.2, b: float = 0.75) -> None:
        self.docs = [Counter(content_terms(t)) for t in texts]
        self.n = len(self.docs)
        lengths = np.array([sum(d.values()) for d in self.docs], dtype=np.float32)
        avg = float(lengths.mean()) if self.n else 1.0
        postings: dict[str, tuple[list[int], list[int]]] = {}
        for i, doc in enumerate(self.docs):
            for term, f in doc.items():
                ids, tfs = postings.setdefault(term, ([], []))
                ids.append(i)
                tfs.append(f)
        self.idf = {t: math.log(1 + (self.n - len(ids) + 0.5) / (len(ids) + 0.5))
                    for t, (ids, _) in postings.items()}
        self.postings: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for term, (ids, tfs) in postings.items():
            ids_a, tf = np.array(ids, dtype=np.int64), np.array(tfs, dtype=np.float32)
            norm = tf + k1 * (1 - b + b * lengths[ids_a] / avg)
            self.postings[term] = (ids_a, self.idf[term] * tf * (k1 + 1) / norm)

    def scores(self, terms: dict[str, float]) -> np.ndarray:
        """Each text's score for weighted query terms (1.0 for a term the user typed)."""
        out = np.zeros(self.n, dtype=np.float32)
        for term, weight in terms.items():
            if term in self.postings:
                ids, contribution = self.postings[term]
                out[ids] += weight * contribution
        return out


def role_terms(titles: set[str]) -> set[str]:
    """The words of the two roles a career guide's title names ("From Deep Learning Engineer
    to Machine Learning Engineer: ..."), with their initialisms ("dl", "dle", "ml", "mle"):
    every passage is about them, so in a question they say nothing about where to look; but a
    word asking for a sum asks for one ("Cost Estimator": "what does the plan cost?")."""
    return {term for title in titles for role in title_roles(title) for term in role_words(role)} - MONEY_WORDS


class HybridRetriever(BaseRetriever):
    """Chroma similarity plus BM25, fused by reciprocal rank; Documents carry their scores.

    BM25 also counts corpus words that the embedding model finds close to a query word
    (`vocabulary`, a Chroma collection of word vectors), so "pay" reaches "salaries".
    Each returned Document's metadata gains `score` (fused), `similarity` (cosine), `bm25`,
    `heading_match` and `judged`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    collection: VectorCollection  # the passages' vectors
    embedder: Embeddings
    documents: list[Document]  # every passage, in reading order
    vocabulary: VectorCollection | None = None  # the corpus's words' vectors, for query expansion
    judge: HeadingJudge | None = None  # reads headings that judge the move in words of their own
    k: int = 4
    # Built from the above in model_post_init:
    known_words: set[str] = set()
    expansion_cache: dict[str, dict[str, dict[str, float]]] = {}
    bm25: BM25 | None = None
    headings: BM25 | None = None  # BM25 over the passages' own headings
    heading_idf_total: np.ndarray | None = None
    position: dict[str, int] = {}
    roles: set[str] = set()  # the stems naming the guide's subject: the roles its title moves between
    role_names: list[tuple[set[str], set[str]]] = []  # each role's stems, and its initialisms
    initialisms: dict[str, list[int]] = {}  # "faq" -> the passages headed "Frequently Asked Questions"
    spelled: dict[str, list[str]] = {}  # "faq" -> the terms of "Frequently Asked Questions"
    sides: np.ndarray | None = None  # how each passage's heading judges the move: see heading_sides

    def model_post_init(self, __context: Any) -> None:
        titles = {ChunkMeta.of(d).title for d in self.documents}
        self.roles = role_terms(titles)
        self.role_names = [role_names(role) for title in titles for role in title_roles(title)]
        self.bm25 = BM25([embedding_text(d) for d in self.documents])
        self.headings = BM25([heading_name(ChunkMeta.of(d).heading) for d in self.documents])  # "Part 5 — Pay": "Pay"
        self.heading_idf_total = np.array(
            [sum(self.idf(t) for t in doc) for doc in self.headings.docs], dtype=np.float32)
        self.position = {d.id: i for i, d in enumerate(self.documents)}
        self.initialisms, self.spelled = {}, {}
        for i, doc in enumerate(self.documents):
            words = [w for w in content_words(ChunkMeta.of(doc).heading) if w.isalpha()]
            if len(words) >= INITIALISM_WORDS:
                initials = "".join(w[0] for w in words)
                self.initialisms.setdefault(initials, []).append(i)
                self.spelled.setdefault(initials, [stem(w) for w in words])
        if self.vocabulary is not None:
            self.known_words = set(get_all(self.vocabulary, [])["ids"])

    def without_roles(self, query: str, stand_in: str = "") -> str:
        """The query less the words naming the guide's two roles, if a topical word is left
        ("the hardest part of going from DL engineer to ML engineer" -> "the hardest part of
        going from to"). With a stand_in, a role that a preposition or article asks for is that
        word ("is going from DL engineer to ML engineer worth it?" -> "... from job to job ...")."""
        kept: list[str] = []
        for word in re.split(r"(\W+)", query):
            if not (word.isalnum() and stem(word.lower()) in self.roles):
                kept.append(word)
            elif stand_in and len(kept) > 1 and kept[-2].lower() in TAKES_A_ROLE and not kept[-1].strip():
                kept.append(stand_in)  # one stand-in for "ML engineer", not two
        rest = "".join(kept)
        if stand_in:  # written as a sentence again, for the classifier
            rest = re.sub(r" (?=[?!.,;:])", "", " ".join(rest.split()))
        return rest if rest != query and topical_terms(rest) else query

    def idf(self, term: str) -> float:
        return self.bm25.idf.get(term, 1.0)

    def known_idf(self) -> dict[str, float]:
        """The idf of every term a question can use for something in the guide: its words, its
        headings' initials ("FAQ", as rare as its rarest word), and the words and initials of
        its two roles ("RA"), which say nothing about where to look (0)."""
        rarest = max(self.bm25.idf.values(), default=1.0)
        return {**dict.fromkeys(self.initialisms, rarest), **self.bm25.idf, **dict.fromkeys(self.roles, 0.0)}

    def rare_terms(self, question: str) -> set[str]:
        """The question's topical words that the guide uses in only a few passages ("pandas"):
        words of its own subject, not of everyday talk."""
        return {t for t in topical_terms(question) if t in self.bm25.postings
                and len(self.bm25.postings[t][0]) <= RARE_PASSAGES}

    def terms_of(self, doc: Document) -> set[str]:
        """The stemmed words of a passage and its heading path."""
        return set(self.bm25.docs[self.position[doc.id]])

    def heading_match(self, terms: list[str] | dict[str, float]) -> np.ndarray:
        """Share (by idf) of each passage's own heading that the question's terms cover, each
        term at its weight if they have one; a heading's initialism covers it whole ("the
        FAQ" names "Frequently Asked Questions")."""
        weights = terms if isinstance(terms, dict) else dict.fromkeys(terms, 1.0)
        hit = np.zeros(len(self.documents), dtype=np.float32)
        for term, weight in weights.items():
            if term in self.headings.postings:
                hit[self.headings.postings[term][0]] += weight * self.idf(term)
        share = np.divide(hit, self.heading_idf_total, out=np.zeros_like(hit), where=self.heading_idf_total > 0)
        for term in weights.keys() & self.initialisms.keys():
            share[self.initialisms[term]] = 1.0
        return share

    def heading_sides(self) -> np.ndarray:
        """How the judge reads each passage's own heading where its words do not say ("The less
        glamorous side", not "What's hard"): -1 (bad side), +1 (good side) or 0. Only a section
        of the guide's outline (top-level, or with parts; not a phase or an FAQ entry) is read,
        on first use: the judge embeds headings, and most questions judge nothing."""
        if self.sides is None:
            metas = [ChunkMeta.of(d) for d in self.documents]
            sides = np.zeros(len(metas), dtype=np.int8)
            outline = [i for i, m in enumerate(metas) if m.heading and m.kind == "section" and (
                not m.parent or m.children) and not EVALUATIVE_WORDS & set(content_terms(m.heading))]
            if self.judge is not None and outline:
                names = list(dict.fromkeys(metas[i].heading for i in outline))
                read = dict(zip(names, self.judge.judge(names).tolist(), strict=True))
                sides[outline] = [read[metas[i].heading] for i in outline]
            self.sides = sides
        return self.sides

    def word_coverage(self, question: str, doc: Document) -> float | None:
        """Share (by idf) of the question's topical words that doc contains, directly, through a
        close corpus word, or (at half weight) through a word judging the move alike ("toughest"
        in "What's hard"); None if the question has no topical words.

        A word the corpus never uses counts as the rarest word.
        """
        expansions = {t: with_evaluative(alt) for t, alt in self.expansions(question).items() if t not in GENERIC}
        if not expansions:
            return None
        idf = self.bm25.idf
        rarest = max(idf.values(), default=1.0)
        have = self.terms_of(doc)
        for words, short in self.role_names:  # "customer success managers" are the "CSMs" a passage names
            if have & short or words <= have:
                have = have | ((words | short) - MONEY_WORDS)
        if Scores.of(doc).judged > 0:  # its heading judges the move as asked, in words of its own
            have = have | EVALUATIVE[tone(judging_terms(question)) > 0]
        total = sum(idf.get(t, rarest) for t in expansions)
        found = sum(idf.get(t, rarest) * max((w for a, w in alt.items() if a in have), default=0.0)
                    for t, alt in expansions.items())
        return found / total

    def unknown_words(self, query: str) -> list[str]:
        """The query's content words that the corpus never uses ("master's" as "master")."""
        return [w for w in dict.fromkeys(content_words(query))
                if (base := POSSESSIVE.sub("", w)).isalpha() and base not in self.known_words]

    def expansions(self, query: str, vectors: list[list[float]] | None = None) -> dict[str, dict[str, float]]:
        """For each query term, the terms that stand for it with their weights: itself (1.0)
        and, for a word the corpus lacks, the corpus words the embedding model puts close
        to it ("pay" -> "salaries", "compensation"), or a heading's words for its initials.
        `vectors`: the unknown words' embeddings, if the caller already has them."""
        if query in self.expansion_cache:
            return self.expansion_cache[query]
        out = {stem(w): {stem(w): 1.0} for w in dict.fromkeys(content_words(query))}
        unknown = self.unknown_words(query)
        for word in unknown:  # a heading's initials stand for its words: "FAQ"
            out[stem(word)].update(dict.fromkeys(self.spelled.get(stem(word), []), 1.0))
        if self.vocabulary is not None and unknown:
            hits = self.vocabulary.query(
                query_embeddings=vectors or self.embedder.embed_documents(unknown), n_results=EXPANSIONS_PER_WORD,
                include=["distances"],
            )
            for word, ids, distances in zip(unknown, hits["ids"], hits["distances"], strict=True):
                for near, distance in zip(ids, distances, strict=True):
                    if 1.0 - distance >= EXPANSION_SIMILARITY:
                        alternatives = out[stem(word)]
                        alternatives[stem(near)] = max(1.0 - distance, alternatives.get(stem(near), 0.0))
        for word in unknown:  # nothing near in meaning ("dashbord"): the corpus words one slip away, if any
            if len(word) >= SLIP_LETTERS and len(out[stem(word)]) == 1:
                for slip in one_slip(word) & self.known_words:
                    out[stem(word)].setdefault(stem(slip), SLIP_WEIGHT)
        if len(self.expansion_cache) > CACHE_QUERIES:
            self.expansion_cache.clear()
        self.expansion_cache[query] = out
        return out

    def expand(self, query: str, vectors: list[list[float]] | None = None) -> dict[str, float]:
        """Weighted BM25 terms for a query: its own terms and their stand-ins."""
        terms: dict[str, float] = {}
        for alternatives in self.expansions(query, vectors).values():
            for term, weight in alternatives.items():
                terms[term] = max(weight, terms.get(term, 0.0))
        return with_evaluative(terms)

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None, k: int | None = None
    ) -> list[Document]:
        return self.search(query, k or self.k)

    def search(self, query: str, k: int) -> list[Document]:
        """The k best passages for query, each with its Scores in its metadata."""
        n = min(len(self.documents), max(MIN_CANDIDATES, CANDIDATES_PER_K * k))
        query = self.without_roles(query)
        # One pass of the model embeds the query and the words the corpus lacks.
        unknown = self.unknown_words(query) if self.vocabulary is not None else []
        vectors = self.embedder.embed_documents([query, *unknown])
        hits = self.collection.query(
            query_embeddings=[vectors[0]],
            n_results=n,
            include=["distances"],
        )
        similarity = {i: 1.0 - dist for i, dist in zip(hits["ids"][0], hits["distances"][0], strict=True)}
        keyword = self.bm25.scores(self.expand(query, vectors[1:] or None))
        terms = content_terms(without_rates(query))
        heading = self.heading_match(terms)
        # Ranks, but names nothing: a heading judging the move as the question does, in its words or
        # as the judge reads it, or the other way (less).
        judging = judging_terms(without_rates(query))
        judged = self.heading_match(
            with_evaluative(dict.fromkeys(judging, 1.0), EVALUATIVE_HEADING, -EVALUATIVE_HEADING))
        asked = tone(judging)
        read = asked * self.heading_sides() if asked else None  # +1 where the judge reads a heading the asked way
        if read is not None:
            judged = judged + EVALUATIVE_HEADING * read
        fused: dict[int, float] = {}
        for rank, doc_id in enumerate(hits["ids"][0]):
            i = self.position[doc_id]
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
        for rank, i in enumerate(top(keyword, n)):
            fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + rank)
        for i in fused.keys() | set(top(judged, n).tolist()):  # a heading lifts its passage, or sinks it
            fused[int(i)] = fused.get(int(i), 0.0) + HEADING_WEIGHT * float(judged[i])
        out = []
        for i in sorted(fused, key=lambda j: (-fused[j], j))[:k]:
            doc = self.documents[i]
            meta = {
                **doc.metadata,
                "score": round(fused[i], 5),
                "similarity": round(similarity.get(doc.id, 0.0), 4),
                "bm25": round(float(keyword[i]), 3),
                "heading_match": round(float(heading[i]), 3),
                "judged": int(read[i]) if read is not None else 0,
            }
            out.append(Document(id=doc.id, page_content=doc.page_content, metadata=meta))
        return out
