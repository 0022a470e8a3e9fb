"""Load test: N simulated users chat with the app through gradio_client for T seconds.

    .venv/bin/python bench/load.py                     # starts the app itself on 127.0.0.1
    .venv/bin/python bench/load.py --users 10 --seconds 60 --url http://127.0.0.1:7860/

Loopback only; bounded in time and in requests. Reports requests, errors, p50/p95 latency,
throughput and the peak memory of this process (which serves the app when it starts it).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CONVERSATIONS = [
    ["What is the first thing I should do?", "and after that?", "How long does it take?"],
    ["Will I take a pay cut?"],
    ["What happens in the Job Search Preparation phase?", "How long does it take?"],
    ["How long until I'm job-ready?"],
    ["What should I do this week?", "and after that?"],
    ["What does the roadmap say about Kubernetes?"],
    ["What is the best pizza topping?"],
]


def run_load(url: str, users: int, seconds: float, max_requests: int = 100_000) -> dict:
    """Each user replays conversations (with history) until time or the request budget runs out."""
    from gradio_client import Client

    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        raise SystemExit(f"refusing to load {host}: this script only targets loopback")
    latencies: list[float] = []
    errors: list[str] = []
    budget = threading.Semaphore(max_requests)
    deadline = time.monotonic() + seconds
    lock = threading.Lock()

    def user(n: int) -> None:
        client = Client(url, verbose=False)
        rng = random.Random(n)
        while time.monotonic() < deadline:
            history: list[dict] = []
            for question in rng.choice(CONVERSATIONS):
                if time.monotonic() >= deadline or not budget.acquire(blocking=False):
                    return
                start = time.perf_counter()
                try:
                    result = client.predict(question, history, api_name="/ask")
                    ok = bool(result.get("answer"))
                except Exception as exc:  # a failed request is what we count
                    ok, result = False, {"answer": f"{type(exc).__name__}: {exc}"}
                elapsed = (time.perf_counter() - start) * 1000
                with lock:
                    (latencies if ok else errors).append(elapsed if ok else result["answer"])
                history += [{"role": "user", "content": question},
                            {"role": "assistant", "content": result.get("answer", "")}]

    threads = [threading.Thread(target=user, args=(n,)) for n in range(users)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started
    ordered = sorted(latencies)
    return {
        "users": users, "seconds": round(wall, 1), "requests": len(latencies) + len(errors),
        "errors": len(errors), "error_samples": errors[:3],
        "p50_ms": round(statistics.median(ordered), 1) if ordered else None,
        "p95_ms": round(ordered[max(0, int(len(ordered) * 0.95) - 1)], 1) if ordered else None,
        "throughput_rps": round(len(latencies) / wall, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", help="a running app (default: start one here, on 127.0.0.1)")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--max-requests", type=int, default=100_000)
    args = parser.parse_args(argv)
    demo = None
    url = args.url
    if url is None:
        from bot.config import load_settings
        from bot.front.ui import build_app
        from bot.index.embeddings import make_embedder
        from bot.ingest.indexing import build_index
        from bot.wiring import build_bot, quiet_libraries

        quiet_libraries()
        settings = load_settings()
        embedder = make_embedder(settings)
        build_index(settings, embedder, progress=False)
        demo = build_app(build_bot(settings, embedder), settings.max_question_chars,
                         concurrency=settings.concurrency, queue_size=settings.queue_size)
        _, url, _ = demo.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True,
                                enable_monitoring=False)
    try:
        print(json.dumps(run_load(url, args.users, args.seconds, args.max_requests), indent=1))
    finally:
        if demo is not None:
            demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
