"""Load, bounded: simulated users through gradio_client on 127.0.0.1 (full figures: bench/load.py)."""

import sys
import threading
import time
import types

import pytest
from conftest import ROOT

from bot.front.ui import build_app
from bot.wiring import build_bot

sys.path.insert(0, str(ROOT / "bench"))
from load import run_load  # noqa: E402

pytestmark = pytest.mark.slow


def launch(bot, **kw):
    demo = build_app(bot, max_chars=1000, **kw)
    _, url, _ = demo.launch(server_name="127.0.0.1", prevent_thread_lock=True, quiet=True,
                            enable_monitoring=False)
    return demo, url


def test_a_short_load_run_has_no_errors(bot):
    demo, url = launch(bot)
    try:
        result = run_load(url, users=4, seconds=8, max_requests=200)
    finally:
        demo.close()
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] >= 8


def test_a_full_queue_tells_users_it_is_busy_at_once(guide_settings, embedder):
    from gradio_client import Client

    slow = build_bot(guide_settings, embedder)
    slow.stream = types.MethodType(
        lambda self, q, h=None: (time.sleep(3), iter([{"final": "slow", "citations": []}]))[1], slow)
    demo, url = launch(slow, concurrency=1, queue_size=1)
    outcomes = []

    def user():
        start = time.monotonic()
        try:
            Client(url, verbose=False).predict("What should I do this week?", None, api_name="/ask")
            outcomes.append(("answered", time.monotonic() - start))
        except Exception as exc:
            outcomes.append((str(exc), time.monotonic() - start))

    try:
        threads = [threading.Thread(target=user) for _ in range(6)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        demo.close()
    busy = [(what, took) for what, took in outcomes if what != "answered"]
    assert busy and len(outcomes) == 6
    for what, took in busy:
        assert "Queue is full! Please try again." in what
        assert took < 2.0
