"""Which section headings judge the move, and which way: "The less glamorous side" tells its
downsides and "What makes it worth it" its upsides, though neither says "hard" or "enjoy".

A logistic regression over MiniLM embeddings of labelled headings (heading_exemplars.json,
written for this across many careers, not taken from any guide under test). A heading is read as
judging only above a confidence chosen by cross-validation on the exemplars; below it, it judges
nothing, the safe default. (Nearest-exemplar reading was tried first: on headings this short
MiniLM places words of one topic together, whatever their side, and it was right under half
the time.)
"""

from __future__ import annotations

import json
import logging
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.classify import fit, fitted_once, routing_threshold

logger = logging.getLogger(__name__)
EXEMPLARS = Path(__file__).with_name("heading_exemplars.json")
SIDES = {"downside": -1, "upside": 1, "neutral": 0}
REGULARISATION = 16.0  # sklearn's C; chosen by cross-validation on the exemplars


def load_exemplars(path: Path = EXEMPLARS) -> list[tuple[str, int]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(text, side) for label, side in SIDES.items() for text in data[label]]


class HeadingJudge:
    """Reads headings as judging the move badly (-1), well (+1) or not at all (0). Fitted on
    first use: most questions judge nothing, and a process that never meets one pays nothing."""

    def __init__(self, embedder: Embeddings, exemplars: list[tuple[str, int]], cache: Path | None = None):
        """cache: a folder to keep the exemplars' embeddings and threshold in, for a faster next start."""
        self.embedder = embedder
        self.exemplars = exemplars
        self.cache = cache

    @cached_property
    def fitted(self) -> tuple[Any, float]:
        """The regression and its threshold."""
        sides = np.array([side for _, side in self.exemplars])
        labelled = [(text, str(side)) for text, side in self.exemplars]
        vectors, threshold = fitted_once(self.embedder, labelled, self.cache, "headings",
                                         lambda v: routing_threshold(v, sides, 0, REGULARISATION))
        logger.info("heading judge: %d exemplars, threshold %.2f", len(sides), threshold)
        return fit(vectors, sides, REGULARISATION), threshold

    def judge(self, headings: list[str]) -> np.ndarray:
        """Each heading's side, where it is read with confidence; else 0."""
        if not headings:
            return np.zeros(0, dtype=np.int8)
        model, threshold = self.fitted
        probabilities = model.predict_proba(np.array(self.embedder.embed_documents(headings), dtype=np.float32))
        best = probabilities.argmax(axis=1)
        sure = probabilities[np.arange(len(headings)), best] >= threshold
        return np.where(sure, model.classes_[best], 0).astype(np.int8)
