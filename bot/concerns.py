"""The worry about a career move a question voices, when it voices one of the common ones: keeping
the job while retraining, going back, the pay, the credentials, the odds of being hired, age, what
the old career counts for. "Should I hand in my notice first?" and the FAQ's "Do I have to quit my
job?" voice one worry in words too far apart for their embeddings to meet.

A logistic regression over MiniLM embeddings of labelled questions (concern_exemplars.json, written
for this across many careers, not taken from any guide or question set under test), read only
above a confidence chosen by cross-validation; below it, "other", the safe default.
"""

from __future__ import annotations

import json
from pathlib import Path

from langchain_core.embeddings import Embeddings

from bot.classify import Reader

EXEMPLARS = Path(__file__).with_name("concern_exemplars.json")
NONE = "other"
REGULARISATION = 16.0  # sklearn's C, as for the heading judge: exemplars are few and short
# A worry read wrong answers a question with another's FAQ entry: read one only where held-out
# exemplars are read right this often (the intents' 0.9 let "Can I work from home right away?" pass
# as keeping one's job).
PRECISION = 0.95


def load_exemplars(path: Path = EXEMPLARS) -> list[tuple[str, str]]:
    data = json.loads(path.read_text(encoding="utf-8"))
    return [(text, label) for label, texts in data.items() if not label.startswith("_") for text in texts]


def concern_reader(embedder: Embeddings, cache: Path | None = None) -> Reader:
    return Reader(embedder, load_exemplars(), NONE, REGULARISATION, cache, "concerns", PRECISION)
