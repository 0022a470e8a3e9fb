"""Checking a model's answer against the passages it cites: a sentence stays only if a passage
it cites (or, failing that, any passage) supports it, by its names and numbers (entities) and
by its words; citation numbers are renumbered."""

from __future__ import annotations

import re

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.answer.entities import missing
from bot.schema import Citation
from bot.text import BULLET, CITATION, content_terms, sentences, topical_terms, units

MARKS_AFTER_STOP = re.compile(r"([.!?])((?:\s*\[\d+\])+)")  # "... end. [1]" -> "... end [1]."
MIN_OVERLAP = 0.65  # share of a sentence's topical words the passage must have, to pass on words alone
MIN_PARTIAL_OVERLAP = 0.4  # below this share no closeness of meaning is enough
MIN_SIMILARITY = 0.7  # cosine to one of the passage's sentences that counts as "says the same"


class CitationChecker:
    """Keeps the sentences of a model's answer that the passages they cite support."""

    def __init__(self, embedder: Embeddings | None) -> None:
        self.embedder = embedder

    def problem(self, sentence: str, passage: str) -> str | None:
        """Why the passage does not support the sentence, or None if it does: every number,
        quoted string and name of the sentence must be in the passage (entities), and most of
        its words, or many of them and the meaning of one of the passage's sentences."""
        absent = missing(sentence, passage)
        if absent:
            return f"the passage does not name {', '.join(absent)}"
        words = topical_terms(sentence)
        if not words:
            return None
        overlap = len(words & set(content_terms(passage))) / len(words)
        if overlap >= MIN_OVERLAP:
            return None
        if self.embedder is None or overlap < MIN_PARTIAL_OVERLAP:
            return f"only {overlap:.0%} of its words are the passage's"
        parts = units(passage) or [passage]
        vectors = self.embedder.embed_documents([sentence, *parts])
        best = max(sum(a * b for a, b in zip(vectors[0], v, strict=True)) for v in vectors[1:])
        return None if best >= MIN_SIMILARITY else f"no sentence of the passage says the same ({best:.2f})"

    def check(self, text: str, passages: list[Document]) -> tuple[str, list[Citation], list[tuple[str, str]]]:
        """(checked text with renumbered [n], its citations, each sentence dropped with why)."""
        kept: list[tuple[str, list[int]]] = []
        dropped: list[tuple[str, str]] = []
        for raw in model_sentences(text):
            cited = [int(n) for n in CITATION.findall(raw)]
            sentence = CITATION.sub("", raw).strip()
            if not sentence:
                continue
            if not topical_terms(sentence) and not missing(sentence, ""):
                kept.append((sentence, []))  # "Yes." or a connective: nothing to check
                continue
            support, why = self._support(sentence, cited, passages)
            if support:
                kept.append((sentence, support))
            else:
                dropped.append((sentence, why))
        answer, citations = renumber(kept, passages)
        return answer, citations, dropped

    def _support(self, sentence: str, cited: list[int], passages: list[Document]) -> tuple[list[int], str]:
        """The cited passages that support the sentence, else the first passage that does;
        with none, why the first cited passage (or the first passage) does not. Each passage
        is judged once (a judgement may embed the sentence)."""
        if not passages:
            return [], "no passage"
        problems: dict[int, str | None] = {}

        def problem(n: int) -> str | None:
            if n not in problems:
                problems[n] = self.problem(sentence, passages[n - 1].page_content)
            return problems[n]

        valid = [n for n in dict.fromkeys(cited) if 1 <= n <= len(passages)]
        support = [n for n in valid if problem(n) is None]
        if not support:
            support = next(([n] for n in range(1, len(passages) + 1) if problem(n) is None), [])
        return support, "" if support else str(problem(valid[0] if valid else 1))


def model_sentences(text: str) -> list[str]:
    """A model's answer as sentences, each keeping its [n] marks (moved before its full stop)."""
    out = []
    for line in text.split("\n"):
        line = MARKS_AFTER_STOP.sub(r"\2\1", BULLET.sub("", line, count=1)).strip()
        out.extend(sentences(line))
    return out


def renumber(kept: list[tuple[str, list[int]]], passages: list[Document]) -> tuple[str, list[Citation]]:
    """The kept sentences with citations numbered in order of first use."""
    numbering: dict[int, int] = {}
    citations: list[Citation] = []
    out = []
    for sentence, support in kept:
        marks = ""
        for n in support:
            if n not in numbering:
                numbering[n] = len(numbering) + 1
                citations.append(Citation.of(numbering[n], passages[n - 1]))
            citation = citations[numbering[n] - 1]
            citation.quote = "\n".join(filter(None, [citation.quote, sentence]))
            marks += f" [{numbering[n]}]"
        end = len(sentence.rstrip(".!?"))
        out.append(sentence[:end] + marks + sentence[end:])
    return " ".join(out), citations
