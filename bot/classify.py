"""What the project's two small classifiers (question intents, heading sides) share: a logistic
regression over MiniLM embeddings of labelled exemplars, read only above a confidence chosen by
cross-validation, and the exemplars' vectors and threshold cached between runs."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

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


def routing_threshold(features: np.ndarray, labels: np.ndarray, default: object, regularisation: float) -> float:
    """The lowest confidence at which held-out exemplars read as anything but the safe default
    are read right at least TARGET_PRECISION of the time."""
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
        if chosen.any() and (predicted[chosen] == labels[chosen]).mean() >= TARGET_PRECISION:
            return float(threshold)
    return 1.0
