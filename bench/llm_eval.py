"""The LLM answerer measured against the offline one on the shared question sets: writes docs/LLM.md.

    .venv/bin/python bench/llm_eval.py --llama                     # starts SmolLM2-135M on llama.cpp
    .venv/bin/python bench/llm_eval.py --url http://127.0.0.1:8080/v1 --model NAME --sets career,dev

Each set's guide gets its own temporary index; every question is answered by the offline
answerer and by the LLM answerer (BOT_ANSWERER=openai against the server) over that index.
Besides accuracy, refusals, grounding and latency, the table counts the model sentences the
checker dropped, and the sentences kept in the LLM's answers that hold a capitalised word or a
number absent from the passages they cite: counted here by a rule of its own (every such
word of the sentence, as a substring of the cited text), independent of the product's checker.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from contextlib import nullcontext
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

from llama_server import llama_server  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.front.evaluation import load_sets, lone_guide, questions_of, score  # noqa: E402
from bot.index.embeddings import make_embedder  # noqa: E402
from bot.ingest.indexing import build_index  # noqa: E402
from bot.wiring import build_bot, quiet_libraries  # noqa: E402

SETS = ROOT / "tests" / "data" / "eval-sets.json"
MARK = re.compile(r"\s*\[(\d+)\]")
LEGEND = ("Dropped: sentences of the model's answers the checker removed (names, titles or numbers absent "
          "from the cited passage, or too few shared words). Kept with unsupported name/number: sentences "
          "shown to users holding a capitalised word or number that their cited passages lack, counted by "
          "bench/llm_eval.py's own rule, not by the product's checker.\n")
CHECKED = re.compile(r"(?<![\w.])(?:[A-Za-z][\w+#-]*[A-Z][\w+#-]*|[A-Z][\w+#-]*|\d+(?:\.\d+)?)")


def unsupported_kept(answer: str, citations: list[dict]) -> int:
    """Sentences of an answer holding a capitalised word or a number that the passages they
    cite (all cited passages, for a sentence without a mark) do not contain."""
    cited = {c["n"]: c["text"].lower() for c in citations}
    count = 0
    for sentence in re.split(r"(?<=[.!?])\s+|\n", answer):
        marks = [int(n) for n in MARK.findall(sentence)]
        source = " ".join(cited.get(n, "") for n in marks) if marks else " ".join(cited.values())
        words = CHECKED.findall(MARK.sub("", sentence))[1:]  # the first word is capitalised anyway
        count += any(w != "I" and w.lower() not in source for w in words)
    return count


def run(settings: Settings, questions: list[dict], embedder) -> tuple[dict, dict]:
    """Metrics of the answers, and the LLM's own figures (dropped, unsupported kept)."""
    bot = build_bot(settings, embedder)
    answers, dropped, unsupported, by_model = [], 0, 0, 0
    for q in questions:
        start = time.perf_counter()
        result = bot.ask(q["question"], q.get("history") or [])
        latency = round((time.perf_counter() - start) * 1000, 1)
        answers.append({"id": q["id"], "answer": result["answer"], "citations": result["citations"],
                        "retrieved": result["retrieved"], "latency_ms": latency})
        dropped += result.get("dropped", 0)
        if result["answerer"] == bot.answerer.name and settings.answerer != "offline":
            by_model += 1  # the model's answer was shown (not the offline fallback)
            unsupported += unsupported_kept(result["answer"], result["citations"])
    bot.close()
    latencies = sorted(a["latency_ms"] for a in answers)
    extra = {"dropped": dropped, "unsupported": unsupported, "shown": by_model,
             "p95": latencies[max(0, int(len(latencies) * 0.95) - 1)], "p50": statistics.median(latencies)}
    return score(questions, answers), extra


def table(rows: list[tuple[str, str, dict, dict]]) -> str:
    head = ("| set | answerer | n | answer | refusal | grounded | p50 ms | p95 ms | model answers shown | "
            "sentences dropped | kept with unsupported name/number |")
    lines = [head, "|" + " --- |" * (head.count("|") - 1)]
    for name, who, m, x in rows:
        lines.append(f"| {name} | {who} | {m['n']} | {m['answer_accuracy']} | {m['refusal_accuracy']} | "
                     f"{m['grounded_correct']} | {x['p50']:.0f} | {x['p95']:.0f} | {x['shown']} | "
                     f"{x['dropped']} | {x['unsupported']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--url", help="an OpenAI-compatible server's base URL (…/v1)")
    parser.add_argument("--model", default="smollm2", help="the model name the server expects")
    parser.add_argument("--llama", action="store_true", help="start llama.cpp's server with SmolLM2-135M")
    parser.add_argument("--sets", default="career", help="comma-separated set names from eval-sets.json")
    parser.add_argument("--half", choices=["tune", "check", "all"], default="all")
    parser.add_argument("--out", default=str(ROOT / "docs" / "LLM.md"), help="the Markdown file, or - for stdout")
    args = parser.parse_args()
    if not args.url and not args.llama:
        parser.error("give --url of a server, or --llama to start one")
    quiet_libraries()
    wanted = args.sets.split(",")
    sets = [s for s in load_sets(SETS) if s[0] in wanted]
    embedder = make_embedder(Settings())
    rows, notes = [], []
    with (llama_server() if args.llama else nullcontext(args.url)) as url:
        for name, guide, questions_file in sets:
            questions = questions_of(questions_file, args.half)
            with lone_guide(guide) as tmp:
                base = Settings(corpus_dir=tmp / "corpus", index_dir=tmp / "index", chroma_url="")
                build_index(base, embedder, progress=False)
                llm = base.model_copy(update={"answerer": "openai", "llm_base_url": url, "llm_model": args.model,
                                              "llm_timeout": 60})
                for who, settings in (("offline", base), (f"LLM ({args.model})", llm)):
                    metrics, extra = run(settings, questions, embedder)
                    rows.append((name, who, metrics, extra))
                    print(table(rows[-1:]).splitlines()[-1], flush=True)
                worse = sorted(set(rows[-1][2]["failed"]) - set(rows[-2][2]["failed"]))
                notes.append(f"- {name}: wrong with the LLM, right offline: {' '.join(worse) or 'none'}")
                print(notes[-1], flush=True)
    command = "python bench/llm_eval.py " + " ".join(sys.argv[1:])
    text = (f"# The LLM answerer against the offline one\n\nCommand: `{command}` (half: {args.half}).\n\n"
            + table(rows) + "\n\n" + "\n".join(notes) + "\n\n" + LEGEND)
    if args.out == "-":
        print(text)
    else:
        Path(args.out).write_text(text, encoding="utf-8")
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
