"""What the project's small classifiers (question intents, heading sides, the worries questions
voice) share: a logistic regression over MiniLM embeddings of labelled exemplars, read only above
a confidence chosen by cross-validation, and the exemplars' vectors and threshold cached between runs."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

logger = logging.getLogger(__name__)
TARGET_PRECISION = 0.9  # a routed reading is right at least this often on held-out exemplars
FOLDS = 5


def fitted_once(embedder: Embeddings, exemplars: list[tuple[str, str]], cache: Path | None, name: str,
                threshold: Callable[[np.ndarray], float]) -> tuple[np.ndarray, float]:
    """The vectors of a classifier's (text, label) exemplars and its threshold (found from the
    vectors by cross-validation, which takes a while), kept in the cache folder under a key of
    the exemplars and the model, so a restart neither embeds nor cross-validates them again."""
    probe = np.round(embedder.embed_query("probe"), 4).tobytes()  # stands for the model
    key = hashlib.sha256("\n".join(f"{t}\t{label}" for t, label in exemplars).encode() + probe).hexdigest()[:16]
    cached = Path(cache) / f"{name}-{key}.npz" if cache else None
    if cached is not None and cached.is_file():
        saved = np.load(cached)
        return saved["vectors"], float(saved["threshold"])
    vectors = np.array(embedder.embed_documents([t for t, _ in exemplars]), dtype=np.float32)
    found = threshold(vectors)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        np.savez(cached, vectors=vectors, threshold=found)
    return vectors, found


def fit(features: np.ndarray, labels: np.ndarray, regularisation: float):
    from sklearn.linear_model import LogisticRegression

    return LogisticRegression(C=regularisation, max_iter=3000).fit(features, labels)


def routing_threshold(features: np.ndarray, labels: np.ndarray, default: object, regularisation: float,
                      precision: float = TARGET_PRECISION) -> float:
    """The lowest confidence at which held-out exemplars read as anything but the safe default
    are read right at least `precision` of the time."""
    from sklearn.model_selection import StratifiedKFold

    confidence = np.zeros(len(labels))
    predicted = np.empty(len(labels), dtype=labels.dtype)
    for train, test in StratifiedKFold(FOLDS, shuffle=True, random_state=0).split(features, labels):
        model = fit(features[train], labels[train], regularisation)
        probabilities = model.predict_proba(features[test])
        predicted[test] = model.classes_[probabilities.argmax(axis=1)]
        confidence[test] = probabilities.max(axis=1)
    routed = predicted != default
    for threshold in np.arange(0.0, 1.0, 0.02):
        chosen = routed & (confidence >= threshold)
        if chosen.any() and (predicted[chosen] == labels[chosen]).mean() >= precision:
            return float(threshold)
    return 1.0


class Reader:
    """Reads short texts into labels by the regression over their embeddings alone. Fitted on first
    use: most questions need no reading, and a process that never meets one pays nothing. A text
    read below the threshold gets the default label, the safe one."""

    def __init__(self, embedder: Embeddings, exemplars: list[tuple[str, str]], default: str,
                 regularisation: float, cache: Path | None = None, name: str = "labels",
                 precision: float = TARGET_PRECISION):
        """cache: a folder to keep the exemplars' embeddings and threshold in, for a faster next start;
        precision: how often a text read as other than the default must be read right."""
        self.embedder, self.exemplars, self.default = embedder, exemplars, default
        self.regularisation, self.cache, self.name, self.precision = regularisation, cache, name, precision

    @cached_property
    def fitted(self) -> tuple[Any, float]:
        """The regression and its threshold."""
        labels = np.array([label for _, label in self.exemplars])
        name = self.name if self.precision == TARGET_PRECISION else f"{self.name}-{self.precision}"  # its own threshold
        vectors, threshold = fitted_once(self.embedder, self.exemplars, self.cache, name, lambda v: routing_threshold(
            v, labels, self.default, self.regularisation, self.precision))
        logger.info("%s: %d exemplars, threshold %.2f", self.name, len(labels), threshold)
        return fit(vectors, labels, self.regularisation), threshold

    def read(self, texts: list[str], vectors: np.ndarray | None = None) -> list[str]:
        """Each text's label where it is read with confidence, else the default (vectors: the
        texts' embeddings, if the caller has them)."""
        if not texts:
            return []
        model, threshold = self.fitted
        if vectors is None:
            vectors = np.array(self.embedder.embed_documents(texts), dtype=np.float32)
        probabilities = model.predict_proba(np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1))
        best = probabilities.argmax(axis=1)
        sure = probabilities[np.arange(len(texts)), best] >= threshold
        return [str(model.classes_[b]) if certain else self.default for b, certain in zip(best, sure, strict=True)]
