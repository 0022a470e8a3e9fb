"""Soak test: many short sessions against app.py, with the server's memory sampled as they go.

    .venv/bin/python bench/soak.py                       # 20,000 sessions, 4 clients
    .venv/bin/python bench/soak.py --sessions 2000       # a quicker look

Starts app.py on a free loopback port over the guide in corpus/, then asks one question per
fresh session (POST /gradio_api/call/ask and its result stream: Gradio gives each call a
session of its own) until the count is reached. Prints the server's RSS every --every
sessions and whether it stayed within 10% of its level after warm-up (the first fifth).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ["How long is the roadmap?", "Will I take a pay cut?", "What should I do this week?",
             "What is the best pizza topping?", "hi"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def ask(port: int, question: str) -> bool:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        conn.request("POST", "/gradio_api/call/ask", body=json.dumps({"data": [question, None]}),
                     headers={"Content-Type": "application/json"})
        event = json.loads(conn.getresponse().read())["event_id"]
        conn.request("GET", f"/gradio_api/call/ask/{event}")
        return b"event: complete" in conn.getresponse().read()
    except (OSError, ValueError, KeyError):
        return False
    finally:
        conn.close()


def wait_ready(port: int, proc: subprocess.Popen, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"app.py exited: {proc.stderr.read()[-2000:]}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.5)
    sys.exit("app.py did not start listening in time")


def soak(sessions: int, clients: int, every: int) -> list[tuple[int, float, int]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "BOT_FEEDBACK_FILE": str(Path(tmp) / "votes.jsonl")}
        proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port), "--index", str(Path(tmp) / "index")],
                                cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        try:
            wait_ready(port, proc)
            done, errors, lock = 0, 0, threading.Lock()
            samples = [(0, rss_mb(proc.pid), 0)]

            def client(k: int) -> None:
                nonlocal done, errors
                while True:
                    with lock:
                        if done >= sessions:
                            return
                        done += 1
                        n = done
                    ok = ask(port, QUESTIONS[n % len(QUESTIONS)])
                    with lock:
                        errors += not ok
                        if n % every == 0:
                            samples.append((n, rss_mb(proc.pid), errors))
                            print(f"{n:>7} sessions  RSS {samples[-1][1]:7.1f} MB  errors {errors}", flush=True)

            threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            return samples
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--every", type=int, default=1000, help="sample RSS every N sessions")
    args = parser.parse_args()
    start = time.monotonic()
    samples = soak(args.sessions, args.clients, args.every)
    warm = [mb for n, mb, _ in samples if n >= args.sessions // 5]
    base = warm[0] if warm else samples[-1][1]
    growth = (max(warm) - base) / base if warm else 0.0
    print(f"\n{args.sessions} sessions in {time.monotonic() - start:.0f} s, {samples[-1][2]} errors; "
          f"RSS after warm-up {base:.0f} MB, peak {max(warm):.0f} MB ({growth:+.1%}): "
          f"{'flat within 10%' if growth <= 0.10 else 'GROWING'}")
    return 0 if growth <= 0.10 and samples[-1][2] == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
