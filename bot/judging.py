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
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.classify import Reader

EXEMPLARS = Path(__file__).with_name("heading_exemplars.json")
SIDES = {"downside": -1, "upside": 1, "neutral": 0}
REGULARISATION = 16.0  # sklearn's C; chosen by cross-validation on the exemplars


def load_exemplars(path: Path = EXEMPLARS) -> list[tuple[str, int]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(text, side) for label, side in SIDES.items() for text in data[label]]


class HeadingJudge(Reader):
    """Reads headings as judging the move badly (-1), well (+1) or not at all (0)."""

    def __init__(self, embedder: Embeddings, exemplars: list[tuple[str, int]], cache: Path | None = None):
        """cache: a folder to keep the exemplars' embeddings and threshold in, for a faster next start."""
        super().__init__(embedder, [(text, str(side)) for text, side in exemplars], "0", REGULARISATION,
                         cache, "headings")

    def judge(self, headings: list[str]) -> np.ndarray:
        """Each heading's side, where it is read with confidence; else 0."""
        return np.array([int(side) for side in self.read(headings)], dtype=np.int8)
