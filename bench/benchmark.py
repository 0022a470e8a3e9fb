"""Benchmarks: our pipeline side by side with the naive LangChain tutorial pipeline, in one run.

    .venv/bin/python bench/benchmark.py                       # dev set, then 1k, 10k and 100k chunks
    .venv/bin/python bench/benchmark.py --sizes 1000 --out -  # a quick run, table on stdout only

Measures, on this machine: hit@1, hit@3, answer accuracy, median answer length, warm p50/p95
per question, cold start to first answer and peak memory on the dev question set; then, on
synthetic guide-like corpora, ingest throughput, re-ingest of an unchanged corpus, and warm
query latency at each size. Writes a Markdown report and a PNG plot of latency against size.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import naive  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.front.evaluation import answer_all, load_questions, score  # noqa: E402
from bot.index.embeddings import make_embedder  # noqa: E402
from bot.ingest.indexing import build_index  # noqa: E402
from bot.wiring import build_bot, quiet_libraries  # noqa: E402

DEV = ROOT / "tests" / "data" / "dev.jsonl"
CORPUS = ROOT / "corpus"
COLD_QUESTION = "How long until I'm job-ready?"


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[max(0, int(round(q * len(values))) - 1)] if values else float("nan")


def machine() -> str:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    mem = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))) / 2**20
    return f"{os.cpu_count()} cores ({cpu}), {mem:.0f} GiB RAM, Python {platform.python_version()}"


# Run by a small fresh process: a child forked straight from this (large) one would inherit
# its peak memory figure.
LAUNCHER = """
import os, subprocess, sys, time
start = time.perf_counter()
proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
proc.stdout.readline()
first = time.perf_counter() - start
proc.stdout.read()
print(first, os.wait4(proc.pid, 0)[2].ru_maxrss / 1024)
"""


def cold_start(command: list[str]) -> tuple[float, float]:
    """Seconds from process start to its first line of output, and its peak memory in MB."""
    out = subprocess.run([sys.executable, "-c", LAUNCHER, *command], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def dev_set(tmp: Path, embeddings, baseline) -> dict[str, dict]:
    questions = load_questions(DEV)
    settings = Settings(corpus_dir=CORPUS, index_dir=tmp / "ours-dev")
    build_index(settings, embeddings, progress=False)
    bot = build_bot(settings, embeddings)
    ours = score(questions, list(answer_all(bot, questions)))
    naive.ingest(CORPUS, tmp / "naive-dev", baseline)
    store = naive.open_store(tmp / "naive-dev", baseline)
    naive.answer(store, "warm up")
    base = score(questions, [{"id": q["id"], **naive.answer(store, q["question"])} for q in questions])
    py = sys.executable
    ours["cold_s"], ours["peak_mb"] = cold_start(
        [py, "-m", "bot", "ask", COLD_QUESTION, "--corpus", str(CORPUS), "--index", str(tmp / "ours-dev")])
    base["cold_s"], base["peak_mb"] = cold_start([py, "bench/naive.py", "ask", str(tmp / "naive-dev"), COLD_QUESTION])
    return {"ours": ours, "naive": base}


WORDS = re.findall(r"[a-z]{4,}", (CORPUS / "dl-engineer-to-ml-engineer.txt").read_text().lower())


def synthetic_corpus(folder: Path, sections: int, seed: int = 7) -> list[str]:
    """Guide-like plain-text files with about `sections` subsections; returns questions about them."""
    rng = random.Random(seed)
    folder.mkdir(parents=True)
    questions, per_file, n = [], 100, 0
    for f in range(max(1, sections // per_file)):
        lines = [f"Guide {f}: From {rng.choice(WORDS).title()} to {rng.choice(WORDS).title()}"]
        for g in range(per_file // 10):
            lines += [f"Part {f}-{g} {rng.choice(WORDS).title()}", f"Here is what part {g} of guide {f} covers."]
            for _ in range(10):
                topic = " ".join(rng.choice(WORDS) for _ in range(2)).title()
                body = [" ".join(rng.choice(WORDS) for _ in range(12)).capitalize() + "." for _ in range(2)]
                lines += [f"Topic {n} {topic}", " ".join(body)]
                if rng.random() < 0.02:
                    questions.append(f"What does the guide say about {topic.lower()} and {body[0].split()[3]}?")
                n += 1
        (folder / f"guide-{f:04}.txt").write_text("\n".join(lines) + "\n")
    return questions[:40]


def scale(tmp: Path, size: int, embeddings, baseline) -> dict:
    corpus = tmp / f"corpus-{size}"
    questions = synthetic_corpus(corpus, size)
    settings = Settings(corpus_dir=corpus, index_dir=tmp / f"ours-{size}")
    start = time.perf_counter()
    report = build_index(settings, embeddings, progress=False)
    ours_ingest = time.perf_counter() - start
    start = time.perf_counter()
    build_index(settings, embeddings, progress=False)
    reingest = time.perf_counter() - start
    start = time.perf_counter()
    naive_chunks = naive.ingest(corpus, tmp / f"naive-{size}", baseline)
    naive_ingest = time.perf_counter() - start

    bot = build_bot(settings, embeddings)
    store = naive.open_store(tmp / f"naive-{size}", baseline)
    bot.ask(questions[0])
    naive.answer(store, questions[0])
    ours_ms, naive_ms = [], []
    for q in questions:
        t = time.perf_counter()
        bot.ask(q)
        ours_ms.append((time.perf_counter() - t) * 1000)
        naive_ms.append(naive.answer(store, q)["latency_ms"])
    return {
        "size": size, "ours_chunks": report.chunks, "naive_chunks": naive_chunks,
        "ours_ingest_cps": report.chunks / ours_ingest, "naive_ingest_cps": naive_chunks / naive_ingest,
        "ours_ingest_s": ours_ingest, "reingest_s": reingest, "naive_ingest_s": naive_ingest,
        "ours_p50": statistics.median(ours_ms), "ours_p95": percentile(ours_ms, 0.95),
        "naive_p50": statistics.median(naive_ms), "naive_p95": percentile(naive_ms, 0.95),
        "queries": len(questions),
    }


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b else "n/a"


def report(dev: dict | None, rows: list[dict]) -> str:
    out = [f"Machine: {machine()}.", ""]
    if dev:
        o, n = dev["ours"], dev["naive"]
        out += ["## Dev question set (`tests/data/dev.jsonl`, 16 questions)", "",
                "| metric | ours | naive LangChain | ours / naive |", "| --- | --- | --- | --- |"]
        for key, label in [("hit@1", "hit@1"), ("hit@3", "hit@3"), ("answer_accuracy", "answer accuracy"),
                           ("refusal_accuracy", "refusal accuracy"), ("grounded_correct", "grounded correct"),
                           ("median_answer_chars", "median answer (chars)"), ("p50_ms", "warm p50 (ms)"),
                           ("p95_ms", "warm p95 (ms)"), ("cold_s", "cold start to first answer (s)"),
                           ("peak_mb", "peak memory, cold process (MB)")]:
            a, b = o[key] or 0, n[key] or 0
            out.append(f"| {label} | {a:.3g} | {b:.3g} | {ratio(a, b)} |")
        out.append("")
    if rows:
        out += ["## Scale (synthetic guide-like corpora)", "",
                "| corpus | chunks ours / naive | ingest chunks/s ours / naive (ratio) | re-ingest unchanged "
                "(% of fresh) | warm p50 ms ours / naive (ratio) | warm p95 ms ours / naive |",
                "| --- | --- | --- | --- | --- | --- |"]
        for r in rows:
            out.append(
                f"| ~{r['size']:,} | {r['ours_chunks']:,} / {r['naive_chunks']:,} | "
                f"{r['ours_ingest_cps']:.0f} / {r['naive_ingest_cps']:.0f} "
                f"({ratio(r['ours_ingest_cps'], r['naive_ingest_cps'])}) | "
                f"{r['reingest_s']:.1f} s ({100 * r['reingest_s'] / r['ours_ingest_s']:.1f}%) | "
                f"{r['ours_p50']:.1f} / {r['naive_p50']:.1f} ({ratio(r['ours_p50'], r['naive_p50'])}) | "
                f"{r['ours_p95']:.1f} / {r['naive_p95']:.1f} |")
        out += ["", "Ours: a full answer (plan, hybrid retrieval, answer with citations). "
                "Naive: retrieval only (top-4 similarity), its top chunk quoted."]
    return "\n".join(out)


def plot(rows: list[dict], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [r["size"] for r in rows]
    fig, ax = plt.subplots(figsize=(7, 4))
    for key, label, style in [("ours_p50", "ours p50", "o-"), ("ours_p95", "ours p95", "o--"),
                              ("naive_p50", "naive p50", "s-"), ("naive_p95", "naive p95", "s--")]:
        ax.plot(sizes, [r[key] for r in rows], style, label=label)
    ax.set_xscale("log")
    ax.set_xlabel("corpus size (chunks, approx.)")
    ax.set_ylabel("warm latency per question (ms)")
    ax.set_title("Query latency against corpus size")
    ax.grid(True, alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,100000", help="synthetic corpus sizes, in chunks ('' for none)")
    parser.add_argument("--no-dev", action="store_true", help="skip the dev question set")
    parser.add_argument("--out", default="docs/BENCHMARKS.md", help="Markdown report ('-' for stdout only)")
    parser.add_argument("--plot", default="docs/benchmark-latency.png", help="PNG plot of latency against size")
    args = parser.parse_args(argv)
    quiet_libraries()
    baseline = naive.embedder()  # the tutorial's HuggingFaceEmbeddings (torch)
    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        tmp = Path(tmp)
        # ours: ONNX Runtime, exported into the dev index's folder as ingest would do it, so the
        # cold-start process finds the export there like any later run
        embeddings = make_embedder(Settings(index_dir=tmp / "ours-dev"))
        dev = None if args.no_dev else dev_set(tmp, embeddings, baseline)
        if dev:
            print(report(dev, []), flush=True)
        rows = []
        for size in [int(s) for s in args.sizes.split(",") if s]:
            rows.append(scale(tmp, size, embeddings, baseline))
            print(report(None, rows[-1:]).split("\n", 2)[-1], flush=True)
    text = report(dev, rows)
    print("\n" + text)
    if args.out != "-":
        Path(args.out).parent.mkdir(parents=True, exist_ok=True)
        Path(args.out).write_text("# Benchmarks\n\nReproduce: `.venv/bin/python bench/benchmark.py` "
                                  f"(sizes {args.sizes}).\n\n{text}\n"
                                  + (f"\n![latency against corpus size]({Path(args.plot).name})\n" if rows else ""))
        if rows:
            plot(rows, Path(args.plot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
