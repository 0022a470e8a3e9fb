"""Measuring the bot on a question set: the batch answer contract and the metrics.

Questions and metrics follow the eval README: hit@k is the rank of the first retrieved
passage holding the evidence; an answer is correct when its regexes match.
"""

from __future__ import annotations

import json
import re
import shutil
import statistics
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bot.chain import Bot
from bot.config import Settings
from bot.errors import BotError, QuestionError


def load_questions(path: Path) -> list[dict]:
    """Questions from a JSONL file; a bad line is an error naming its number."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BotError(f"Cannot read the questions file {path}: {exc.strerror or exc}.") from None
    questions = []
    for n, raw in enumerate(data.splitlines(), 1):
        try:
            line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise BotError(f"{path}, line {n}: not UTF-8 (byte {exc.start}). Re-save the file as UTF-8.") from None
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


def half_of(qid: str) -> str:
    """"tune" for an odd number at the end of the id, "check" for an even one: tune on one
    half, and the other says how much of the tuning was fitting."""
    found = re.search(r"(\d+)$", qid)
    return "tune" if found and int(found.group(1)) % 2 else "check"


def score(questions: list[dict], answers: list[dict], k: int = 3) -> dict:
    """The metrics of the eval README for answers to questions (matched by id), as its
    score.py computes them: retrieval and grounding over the questions that name evidence."""
    by_id = {a["id"]: a for a in answers}
    rows = [_row(q, by_id.get(q["id"], {})) for q in questions]
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    grounded = [r for r in answerable if r["evidence"]]
    latencies = sorted(a["latency_ms"] for a in answers if a.get("latency_ms") is not None)

    def share(items: list[dict], test) -> float | None:
        return round(sum(1 for r in items if test(r)) / len(items), 3) if items else None

    categories = sorted({r["category"] for r in rows if r["category"]})
    return {
        "n": len(rows),
        "answer_accuracy": share(answerable, lambda r: r["correct"]),
        "refusal_accuracy": share(unanswerable, lambda r: r["correct"]),
        "grounded_correct": share(grounded, lambda r: r["correct"] and r["cited"]),
        "hit@1": share(grounded, lambda r: r["rank"] == 1),
        f"hit@{k}": share(grounded, lambda r: r["rank"] is not None and r["rank"] <= k),
        "mrr": round(sum(1 / r["rank"] for r in grounded if r["rank"]) / max(1, len(grounded)), 3),
        "median_answer_chars": statistics.median(len(a.get("answer", "")) for a in answers) if answers else 0,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
        "p95_ms": latencies[max(0, int(len(latencies) * 0.95) - 1)] if latencies else None,
        "by_category": {c: share([r for r in rows if r["category"] == c], lambda r: r["correct"]) for c in categories},
        "failed": [r["id"] for r in rows if not r["correct"]],
    }


def _row(q: dict, a: dict) -> dict:
    text = a.get("answer", "")
    correct = all(re.search(p, text, re.I) for p in q.get("expect_all", [])) and (
        not q.get("expect_any") or any(re.search(p, text, re.I) for p in q["expect_any"]))
    evidence = [_norm(e) for e in q.get("evidence", [])]

    def holds(passage: dict) -> bool:
        return any(e in _norm(passage.get("text", "")) for e in evidence)

    return {"id": q["id"], "answerable": q.get("answerable", True), "category": q.get("category"),
            "correct": correct, "evidence": bool(evidence), "cited": any(holds(c) for c in a.get("citations", [])),
            "rank": next((i + 1 for i, p in enumerate(a.get("retrieved", [])) if holds(p)), None)}


def format_table(rows: list[tuple[str, dict]]) -> str:
    """One Markdown table: a row per question set, a column per metric and category."""
    categories = sorted({c for _, m in rows for c in m["by_category"]})
    head = ["set", "n", "answer", "refusal", "grounded", "hit@3", "median ch", "p50 ms", *categories]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for name, m in rows:
        cells = [name, m["n"], m["answer_accuracy"], m["refusal_accuracy"], m["grounded_correct"], m["hit@3"],
                 m["median_answer_chars"], m["p50_ms"], *(m["by_category"].get(c, "") for c in categories)]
        lines.append("| " + " | ".join("" if c is None else str(c) for c in cells) + " |")
    return "\n".join(lines)


def load_sets(path: Path) -> list[tuple[str, Path, Path]]:
    """(name, guide file, questions file) for each set a JSON list names, paths relative to it."""
    root = Path(path).resolve().parent
    try:
        items = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise BotError(f"Cannot read the list of question sets {path}: {exc}") from None
    return [(item["name"], (root / item["guide"]).resolve(), (root / item["questions"]).resolve()) for item in items]


def questions_of(path: Path, half: str = "all") -> list[dict]:
    """A set's questions: all, or its tune or check half."""
    return [q for q in load_questions(path) if half == "all" or half_of(q["id"]) == half]


@contextmanager
def lone_guide(guide: Path) -> Iterator[Path]:
    """A temporary folder holding corpus/ with only this guide (an index can go beside it)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "corpus").mkdir()
        shutil.copy(guide, Path(tmp) / "corpus" / guide.name)
        yield Path(tmp)


def run_suite(sets: list[tuple[str, Path, Path]], settings: Settings, embedder,
              half: str = "all") -> list[tuple[str, dict]]:
    """Each set answered by a bot over its own guide, in its own temporary index."""
    from bot.ingest.indexing import build_index
    from bot.wiring import build_bot

    rows = []
    for name, guide, questions_file in sets:
        questions = questions_of(questions_file, half)
        with lone_guide(guide) as tmp:
            local = settings.model_copy(update={"corpus_dir": tmp / "corpus", "index_dir": tmp / "index",
                                               "chroma_url": ""})
            build_index(local, embedder, progress=False)
            bot = build_bot(local, embedder)
            rows.append((name, score(questions, list(answer_all(bot, questions)))))
            bot.close()
    return rows


def format_metrics(metrics: dict) -> str:
    return "\n".join(f"{name:<22}{value}" for name, value in metrics.items())
