"""A small guide written for the unit tests, and stand-ins for the model and the Chroma store,
so the thinking parts (routing, retrieval fusion, answer composition) are tested in
milliseconds: words hashed into vectors give similar texts similar vectors."""

from __future__ import annotations

import re
import zlib

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.answer.intents import Intent, Reading
from bot.answer.planner import Planner
from bot.answer.roadmap import Roadmap
from bot.config import Settings
from bot.index.store import embedding_text
from bot.ingest.chunking import chunk_guide
from bot.ingest.loader import parse_guide
from bot.retrieval import HybridRetriever
from bot.text import content_terms

BAKER_GUIDE = """From Baker to Data Analyst: A 3-Month Plan
Overview
Bakers already measure, schedule and keep records every day. \
This guide turns those habits into the analysis skills employers hire for.
Skills That Transfer
Here's what carries over from the bakery.
Precision
- Weighing ingredients to the gram
- Following exact recipes without shortcuts
Scheduling
- Planning proofing times around the oven
- Keeping a production log every morning
Your Roadmap
Three phases take you from spreadsheets to a portfolio.
Spreadsheet Basics
4 weeks- Learn formulas and pivot tables
- Clean a messy sales log
SQL Fundamentals
6 weeks- Write SELECT queries against an orders table
- Join customers to their orders
Portfolio
2 weeks- Publish two analyses of bakery sales
- Write a short case study for each
Frequently Asked Questions
Do I need a degree?
No. Employers look at your portfolio first, and a degree rarely decides it.
"""


class WordEmbeddings(Embeddings):
    """Each stemmed word hashed to one of DIMENSIONS axes: shared words, close vectors."""

    DIMENSIONS = 512

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self.embed_query(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        v = np.zeros(self.DIMENSIONS)
        for term in content_terms(text):
            v[zlib.crc32(term.encode()) % self.DIMENSIONS] += 1.0
        norm = np.linalg.norm(v)
        return (v / norm if norm else v).tolist()


class CountingEmbeddings(Embeddings):
    """Another embedder, recording how many texts each embed_documents call was given."""

    def __init__(self, inner: Embeddings, calls: list[int]) -> None:
        self.inner, self.calls = inner, calls

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls.append(len(texts))
        return self.inner.embed_documents(texts)


class ListCollection:
    """The two calls retrieval makes of a Chroma collection, over vectors held in a list."""

    def __init__(self, ids: list[str], vectors: list[list[float]]) -> None:
        self.ids = ids
        self.vectors = np.array(vectors)

    def query(self, *, query_embeddings: list, n_results: int, include: list[str]) -> dict:
        found: dict[str, list] = {"ids": [], "distances": []}
        for vector in query_embeddings:
            similarity = self.vectors @ np.array(vector)
            order = np.argsort(-similarity, kind="stable")[:n_results]
            found["ids"].append([self.ids[i] for i in order])
            found["distances"].append([1.0 - float(similarity[i]) for i in order])
        return found

    def get(self, *, include: list[str], limit: int, offset: int) -> dict:
        ids = self.ids[offset : offset + limit]
        return {"ids": ids, **{name: [None] * len(ids) for name in include}}


def baker_documents(text: str = BAKER_GUIDE) -> list[Document]:
    return chunk_guide(parse_guide("baker.txt", text))


def baker_retriever(documents: list[Document] | None = None, words: bool = False) -> HybridRetriever:
    """A retriever over the documents; with words, also the vectors of their words (which
    stand in for one another only where they share a stem)."""
    docs = documents or baker_documents()
    embedder = WordEmbeddings()
    collection = ListCollection([d.id for d in docs], embedder.embed_documents([embedding_text(d) for d in docs]))
    vocabulary = None
    if words:
        known = sorted({w for d in docs for w in re.findall(r"[a-z]+", embedding_text(d).lower())})
        vocabulary = ListCollection(known, embedder.embed_documents(known))
    return HybridRetriever(collection=collection, embedder=embedder, documents=docs, vocabulary=vocabulary)


class ReadAs:
    """A stand-in for the intent classifier: reads each question as the test says, else as a
    passage question, and records what it was asked."""

    def __init__(self, intents: dict[str, Intent] | None = None) -> None:
        self.intents = intents or {}
        self.asked: list[str] = []

    def read(self, question: str) -> Reading:
        self.asked.append(question)
        return Reading(self.intents.get(question, Intent.PASSAGE), 1.0)


def guide_planner(text: str, intents: dict[str, Intent] | None = None, name: str = "g.md") -> Planner:
    """A planner over one hand-made guide, read as the loader reads a corpus file."""
    documents = chunk_guide(parse_guide(name, text))
    return Planner(retriever=baker_retriever(documents), roadmap=Roadmap.from_documents(documents), settings=Settings(),
                   intents=ReadAs(intents))


def baker_planner(intents: dict[str, Intent] | None = None) -> Planner:
    retriever = baker_retriever()
    return Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                   intents=ReadAs(intents))
