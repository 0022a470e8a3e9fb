"""Hybrid retrieval: vector similarity from Chroma and BM25 keyword scores, fused by rank."""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Any

import numpy as np
from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from bot.store import embedding_text, get_all

STOPWORDS = frozenset(
    """a about after all also am an and any are as at be been before being both but by can
    could did do does doing for from had has have having he her here how i if in into is it
    its itself just me more most my no nor not now of off on once only or other our out over
    own same she should so some such than that the their them then there these they this
    those through to too under until up very was we were what when where which while who why
    will with would you your yours i'm i'll i've you'll you're it's don't don't what's
    tell say says said guide please thing things get got go going want wants need needs
    make makes made""".split()
)
WORD = re.compile(r"[a-z0-9]+(?:[+#]+|(?:'[a-z]+))?")
EXPANSION_SIMILARITY = 0.6  # how close (cosine) a corpus word must be to a query word
RRF_K = 10  # small: a passage first in one list should beat one middling in both
HEADING_WEIGHT = 0.05  # a heading that the question names is worth about a top-3 rank


def stem(word: str) -> str:
    """A crude stemmer: strip a suffix, keep 7 letters ('optimization' ~ 'optimize')."""
    word = word.split("'")[0]
    for suffix in ("ments", "ment", "ings", "ing", "ies", "ed", "es", "s"):
        if len(word) - len(suffix) >= 3 and word.endswith(suffix):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:7]


def content_words(text: str) -> list[str]:
    """Lower-cased words of text, without stop words."""
    return [w for w in WORD.findall(text.lower()) if w not in STOPWORDS]


def content_terms(text: str) -> list[str]:
    """Lower-cased, stemmed words of text, without stop words."""
    return [stem(w) for w in content_words(text)]


def vocabulary(texts: list[str]) -> list[str]:
    """The corpus's distinct content words worth expanding a query towards."""
    return sorted({w for t in texts for w in content_words(t) if w.isalpha() and len(w) > 2})


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


class HybridRetriever(BaseRetriever):
    """Chroma similarity plus BM25, fused by reciprocal rank; Documents carry their scores.

    BM25 also counts corpus words that the embedding model finds close to a query word
    (`vocabulary`, a Chroma collection of word vectors), so "pay" reaches "salaries".
    Each returned Document's metadata gains `score` (fused), `similarity` (cosine), `bm25`
    and `heading_match`.
    """

    model_config = ConfigDict(arbitrary_types_allowed=True)

    collection: Any
    embedder: Embeddings
    documents: list[Document]
    vocabulary: Any = None
    known_words: set[str] = set()
    expansion_cache: dict[str, dict[str, dict[str, float]]] = {}
    k: int = 4
    bm25: Any = None
    headings: Any = None  # BM25 over the passages' own headings
    heading_idf_total: Any = None
    position: dict[str, int] = {}

    def model_post_init(self, __context: Any) -> None:
        self.bm25 = BM25([embedding_text(d) for d in self.documents])
        self.headings = BM25([d.metadata.get("heading", "") for d in self.documents])
        self.heading_idf_total = np.array(
            [sum(self.idf(t) for t in doc) for doc in self.headings.docs], dtype=np.float32)
        self.position = {d.id: i for i, d in enumerate(self.documents)}
        if self.vocabulary is not None:
            self.known_words = set(get_all(self.vocabulary, [])["ids"])

    def idf(self, term: str) -> float:
        return self.bm25.idf.get(term, 1.0)

    def terms_of(self, doc: Document) -> set[str]:
        """The stemmed words of a passage and its heading path."""
        return set(self.bm25.docs[self.position[doc.id]])

    def heading_match(self, terms: list[str]) -> np.ndarray:
        """Share (by idf) of each passage's own heading that the question's terms cover."""
        hit = np.zeros(len(self.documents), dtype=np.float32)
        for term in set(terms):
            if term in self.headings.postings:
                hit[self.headings.postings[term][0]] += self.idf(term)
        return np.divide(hit, self.heading_idf_total, out=np.zeros_like(hit), where=self.heading_idf_total > 0)

    def unknown_words(self, query: str) -> list[str]:
        """The query's content words that the corpus never uses."""
        return [w for w in dict.fromkeys(content_words(query)) if w.isalpha() and w not in self.known_words]

    def expansions(self, query: str, vectors: list[list[float]] | None = None) -> dict[str, dict[str, float]]:
        """For each query term, the terms that stand for it with their weights: itself (1.0)
        and, for a word the corpus lacks, the corpus words the embedding model puts close
        to it ("pay" -> "salaries", "compensation"). `vectors`: the unknown words' embeddings,
        if the caller already has them."""
        if query in self.expansion_cache:
            return self.expansion_cache[query]
        out = {stem(w): {stem(w): 1.0} for w in dict.fromkeys(content_words(query))}
        unknown = self.unknown_words(query)
        if self.vocabulary is not None and unknown:
            hits = self.vocabulary.query(
                query_embeddings=vectors or self.embedder.embed_documents(unknown), n_results=3,
                include=["distances"],
            )
            for word, ids, distances in zip(unknown, hits["ids"], hits["distances"], strict=True):
                for near, distance in zip(ids, distances, strict=True):
                    if 1.0 - distance >= EXPANSION_SIMILARITY:
                        alternatives = out[stem(word)]
                        alternatives[stem(near)] = max(1.0 - distance, alternatives.get(stem(near), 0.0))
        if len(self.expansion_cache) > 256:
            self.expansion_cache.clear()
        self.expansion_cache[query] = out
        return out

    def expand(self, query: str, vectors: list[list[float]] | None = None) -> dict[str, float]:
        """Weighted BM25 terms for a query: its own terms and their stand-ins."""
        terms: dict[str, float] = {}
        for alternatives in self.expansions(query, vectors).values():
            for term, weight in alternatives.items():
                terms[term] = max(weight, terms.get(term, 0.0))
        return terms

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun | None = None
    ) -> list[Document]:
        return self.search(query, self.k)

    def search(self, query: str, k: int) -> list[Document]:
        n = min(len(self.documents), max(20, 4 * k))
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
        heading = self.heading_match(content_terms(query))
        fused: dict[int, float] = {int(i): HEADING_WEIGHT * float(heading[i]) for i in top(heading, n)}
        for rank, doc_id in enumerate(hits["ids"][0]):
            i = self.position[doc_id]
            fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank)
        for rank, i in enumerate(top(keyword, n)):
            fused[int(i)] = fused.get(int(i), 0.0) + 1.0 / (RRF_K + rank)
        out = []
        for i in sorted(fused, key=lambda j: (-fused[j], j))[:k]:
            doc = self.documents[i]
            meta = {
                **doc.metadata,
                "score": round(fused[i], 5),
                "similarity": round(similarity.get(doc.id, 0.0), 4),
                "bm25": round(float(keyword[i]), 3),
                "heading_match": round(float(heading[i]), 3),
            }
            out.append(Document(id=doc.id, page_content=doc.page_content, metadata=meta))
        return out
