"""What a question asks for: one of a small closed set of intents, with a confidence.

A logistic regression over two views of each labelled exemplar (exemplars.jsonl, written for
the intents, across many careers): its MiniLM embedding (what it is about) and its word
n-grams with numbers masked (how it is asked: "how long", "start", "together"). Below a
threshold chosen by cross-validation on the exemplars, the question is read as a plain
passage question, the safe default.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.classify import fit, fitted_once, routing_threshold
from bot.text import content_terms

logger = logging.getLogger(__name__)
EXEMPLARS = Path(__file__).with_name("exemplars.jsonl")
NUMBER = re.compile(r"\d+(?:\.\d+)?")
REGULARISATION = 4.0  # sklearn's C: exemplars are few, so moderate
EVERYDAY_USES = 2  # exemplars a word must be in to count as how questions ask, not what about


class Intent(StrEnum):
    PASSAGE = "passage"  # a detail the guide may state (the default)
    OVERVIEW = "overview"  # a whole section, or a list
    DURATION = "duration"  # how long one phase takes
    TOTAL = "total"  # how long the whole roadmap takes
    TOTAL_HOURS = "total_hours"  # the hours of study the whole roadmap adds up to
    START_END = "start_end"  # the week a phase starts or ends, or the weeks before it
    WEEK_TO_PHASE = "week_to_phase"  # which phase week N or month N falls in
    PHASE_ARITHMETIC = "phase_arithmetic"  # phases added, compared, the longest
    COST_SUM = "cost_sum"  # what several listed things cost together
    NEXT_PREV = "next_prev"  # the section after or before one
    COUNT = "count"  # how many phases, skills, items
    WHY = "why"  # the reason for something
    GREETING = "greeting"  # hello, thanks, what can you do
    SUMMARY = "summary"  # the guide as a whole
    OUT_OF_SCOPE = "out_of_scope"  # nothing to do with a career guide


@dataclass(frozen=True)
class Reading:
    intent: Intent
    confidence: float


def bare(text: str) -> str:
    """A question without its closing marks: "how much is the exam" is asked as often as
    "how much is the exam?", and the embedding model reads the two apart."""
    return text.strip().rstrip("?!. ").strip() or text


def form(text: str) -> str:
    """The words of a question with numbers masked, for the n-gram view."""
    return NUMBER.sub(" num ", text.lower())


def load_exemplars(path: Path = EXEMPLARS) -> list[tuple[str, Intent]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [(row["text"], Intent(row["intent"])) for row in rows]


class IntentClassifier:
    """Reads questions into intents; fitted once per process from the exemplars."""

    def __init__(self, embedder: Embeddings, exemplars: list[tuple[str, Intent]], cache: Path | None = None):
        """cache: a folder to keep the exemplars' embeddings in, for a faster next start."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.embedder = embedder
        texts = [bare(t) for t, _ in exemplars]
        labels = np.array([i.value for _, i in exemplars])
        self.ngrams = TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, preprocessor=form).fit(texts)
        labelled = [(t, i.value) for t, (_, i) in zip(texts, exemplars, strict=True)]
        vectors, self.threshold = fitted_once(
            embedder, labelled, cache, "intents",
            lambda v: routing_threshold(self._features(texts, v), labels, Intent.PASSAGE.value, REGULARISATION))
        self.model = fit(self._features(texts, vectors), labels, REGULARISATION)
        self.words = {i: set() for i in Intent}  # the exemplars' words, by intent
        uses: Counter[str] = Counter()
        for text, intent in exemplars:
            words = set(content_terms(text))
            self.words[intent] |= words
            uses.update(words if intent != Intent.OUT_OF_SCOPE else ())
        # The words a question asks with, whatever its subject: those of more than one exemplar
        # (one exemplar's "pension" is its subject), not the subjects of off-topic questions.
        self.everyday = {w for w, n in uses.items() if n >= EVERYDAY_USES}
        logger.info("intent classifier: %d exemplars, routing threshold %.2f", len(texts), self.threshold)

    def _features(self, texts: list[str], vectors: np.ndarray) -> np.ndarray:
        return np.hstack([vectors, self.ngrams.transform(texts).toarray()])

    def read(self, question: str, vector: list[float] | None = None) -> Reading:
        """The question's intent; PASSAGE when no intent is read with confidence."""
        question = bare(question)
        vectors = np.array([vector or self.embedder.embed_query(question)], dtype=np.float32)
        probabilities = self.model.predict_proba(self._features([question], vectors))[0]
        best = int(probabilities.argmax())
        intent, confidence = Intent(self.model.classes_[best]), float(probabilities[best])
        if confidence < self.threshold:
            return Reading(Intent.PASSAGE, confidence)
        return Reading(intent, confidence)
