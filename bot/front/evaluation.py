"""Measuring the bot on a question set: the batch answer contract and the metrics.

Questions and metrics follow the eval README: hit@k is the rank of the first retrieved
passage holding the evidence; an answer is correct when its regexes match.
"""

from __future__ import annotations

import json
import re
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

from bot.chain import Bot
from bot.errors import BotError, QuestionError


def load_questions(path: Path) -> list[dict]:
    """Questions from a JSONL file; a bad line is an error naming its number."""
    questions = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise BotError(f"{path}, line {n}: not valid JSON ({exc.msg}).") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise BotError(f"{path}, line {n}: each line needs a \"question\" string.")
        item.setdefault("id", f"line{n}")
        questions.append(item)
    return questions


def answer_all(bot: Bot, questions: list[dict]) -> Iterator[dict]:
    """One batch-contract record per question, in order, timed in this warm process."""
    for q in questions:
        start = time.perf_counter()
        try:
            result = bot.ask(q["question"], q.get("history") or [])
        except QuestionError as exc:
            result = {"answer": str(exc), "citations": [], "retrieved": []}
        yield {
            "id": q["id"],
            "answer": result["answer"],
            "citations": result["citations"],
            "retrieved": result["retrieved"],
            "latency_ms": round((time.perf_counter() - start) * 1000, 1),
        }


def _norm(text: str) -> str:
    return " ".join(text.split()).lower()


def score(questions: list[dict], answers: list[dict], k: int = 3) -> dict:
    """The metrics of the eval README for answers to questions (matched by id)."""
    by_id = {a["id"]: a for a in answers}
    rows = []
    for q in questions:
        a = by_id.get(q["id"], {})
        text = a.get("answer", "")
        correct = all(re.search(p, text, re.I) for p in q.get("expect_all", [])) and (
            not q.get("expect_any") or any(re.search(p, text, re.I) for p in q["expect_any"])
        )
        evidence = [_norm(e) for e in q.get("evidence", [])]

        def holds(passage: dict, evidence: list[str] = evidence) -> bool:
            return any(e in _norm(passage.get("text", "")) for e in evidence)

        rank = next((i + 1 for i, p in enumerate(a.get("retrieved", [])) if holds(p)), None)
        rows.append({
            "id": q["id"], "answerable": q.get("answerable", True), "correct": correct,
            "rank": rank, "cited": any(holds(c) for c in a.get("citations", [])),
        })
    answerable = [r for r in rows if r["answerable"]] or [{}]
    unanswerable = [r for r in rows if not r["answerable"]]
    latencies = sorted(a["latency_ms"] for a in answers if a.get("latency_ms") is not None)

    def share(items, test) -> float:
        return round(sum(1 for r in items if r and test(r)) / max(1, len([r for r in items if r])), 3)

    return {
        "n": len(rows),
        "answer_accuracy": share(answerable, lambda r: r["correct"]),
        "refusal_accuracy": share(unanswerable, lambda r: r["correct"]) if unanswerable else None,
        "grounded_correct": share(answerable, lambda r: r["correct"] and r["cited"]),
        "hit@1": share(answerable, lambda r: r["rank"] == 1),
        f"hit@{k}": share(answerable, lambda r: r["rank"] is not None and r["rank"] <= k),
        "mrr": round(sum(1 / r["rank"] for r in answerable if r and r["rank"]) / max(1, len(answerable)), 3),
        "median_answer_chars": statistics.median(len(a.get("answer", "")) for a in answers) if answers else 0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else None,
        "failed": [r["id"] for r in rows if not r["correct"]],
    }


def format_metrics(metrics: dict) -> str:
    return "\n".join(f"{name:<22}{value}" for name, value in metrics.items())
