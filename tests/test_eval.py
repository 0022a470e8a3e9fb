"""The dev question set, with the quality thresholds the product promises (not latency)."""

import pytest
from conftest import DATA

from bot.front.evaluation import answer_all, load_questions, score

pytestmark = pytest.mark.slow


def test_dev_set_meets_the_quality_thresholds(bot):
    questions = load_questions(DATA / "dev.jsonl")
    metrics = score(questions, list(answer_all(bot, questions)))
    assert metrics["answer_accuracy"] >= 0.90, metrics
    assert metrics["refusal_accuracy"] == 1.0, metrics
    assert metrics["grounded_correct"] >= 0.90, metrics
    assert metrics["hit@3"] >= 0.95, metrics
    assert metrics["hit@1"] >= 0.85, metrics
    assert metrics["median_answer_chars"] <= 450, metrics
