"""The Gradio app as a client and a person use it: launched on 127.0.0.1 inside the test."""

import json
import os
import threading

import pytest

from bot.front.feedback import FeedbackLog
from bot.front.guard import launch_options
from bot.front.look import look_options
from bot.front.roadmap_view import parse_week, roadmap_figure, week_markdown
from bot.front.ui import build_app

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def feedback_file(tmp_path_factory):
    return tmp_path_factory.mktemp("feedback") / "votes.jsonl"


@pytest.fixture(scope="module")
def app_url(bot, feedback_file, server_log):
    demo = build_app(bot, max_chars=1000, feedback=FeedbackLog(feedback_file))
    _, url, _ = demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True,
                            **launch_options(), **look_options())
    yield url
    demo.close()


@pytest.fixture(scope="module")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


def test_chat_streams_the_cited_answer_and_fills_the_sources(client):
    job = client.submit("Will I take a pay cut?", None, api_name="/chat")
    updates = list(job)
    answer, sources = job.result()
    assert len(updates) > 1  # streamed in pieces
    assert "Not necessarily" in answer and "[1]" in answer
    assert "[1] Frequently Asked Questions" in sources
    assert "> Not necessarily." in sources  # the cited sentence is quoted, the passage folded below
    assert "<details><summary>Whole passage</summary>" in sources


def test_two_turn_conversation_uses_the_history_for_the_follow_up(client):
    first = client.predict("What happens in the Job Search Preparation phase?", None, api_name="/ask")
    assert "Update resume" in first["answer"]
    history = [{"role": "user", "content": "What happens in the Job Search Preparation phase?"},
               {"role": "assistant", "content": first["answer"]}]
    second = client.predict("How long does it take?", history, api_name="/ask")
    assert "Job Search Preparation takes 3 weeks" in second["answer"]
    assert second["citations"][0]["section"] == "Your Learning Roadmap > Job Search Preparation"


def test_off_topic_question_is_refused_through_the_app(client):
    result = client.predict("What is the best pizza topping?", None, api_name="/ask")
    assert result["refused"] and "doesn't cover" in result["answer"] and result["citations"] == []


def test_over_long_input_is_rejected_by_the_server_with_a_clear_message(client):
    answer, sources = client.predict("why " * 400, None, api_name="/chat")
    assert "the limit is 1000" in answer and "[1]" not in sources
    assert "the limit is 1000" in client.predict("x" * 5000, None, api_name="/ask")["answer"]


def test_roadmap_week_picker_names_the_phase_and_its_tasks(client):
    _, detail = client.predict("12", api_name="/week")
    assert "phase 3 of 5" in detail and "Portfolio Development" in detail and "weeks 11-14" in detail
    assert "Build 2-3 end-to-end ML projects" in detail


def test_timeline_draws_every_phase_at_its_cumulative_weeks(bot):
    (bars,) = roadmap_figure(bot.roadmap, 7).data
    assert list(bars.base) == [0, 4, 10, 14, 17] and list(bars.x) == [4, 6, 4, 3, 3]
    assert "2. Cloud & Production Skills<br>weeks 5-10" in bars.y and list(bars.customdata)[1] == "6 weeks"
    last = week_markdown(bot.roadmap, 20)
    assert "Week 20" in last and "Interview &amp; Transition" in last


@pytest.mark.parametrize("typed", ["0", "21", "2.5", "abc", "", "-3", "1e9"])
def test_the_week_box_explains_what_it_takes_instead_of_failing(bot, typed):
    assert "Type a whole week number from 1 to 20." in parse_week(bot.roadmap, typed)


def test_examples_come_from_the_guide_itself(bot):
    examples = bot.example_questions()
    assert "How long does the whole roadmap take?" in examples
    assert "What happens in the Foundation Building phase?" in examples
    assert "What should I do this week?" in examples
    assert "What does the Frequently Asked Questions section say?" in examples


def test_concurrent_votes_are_all_kept_whole(tmp_path):
    log = FeedbackLog(tmp_path / "votes.jsonl")
    long_answer = "x" * 20000  # longer than a pipe buffer: a torn write would show

    def vote(i):
        for j in range(25):
            log.record(f"q{i}-{j}", long_answer, [{"n": 1, "section": "S"}], "up" if j % 2 else "down")

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = (tmp_path / "votes.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 200
    assert {r["question"] for r in records} == {f"q{i}-{j}" for i in range(8) for j in range(25)}
    assert all(r["answer"] == long_answer and r["vote"] in ("up", "down") for r in records)


# --- a real browser: Debian's chromium, headless, driven by Playwright ---------------

@pytest.fixture
def page(browser, app_url):
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.dialogs = []
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.goto(app_url)
    page.wait_for_selector("#question textarea")
    yield page
    page.close()


def ask_in_page(page, question):
    before = page.locator("#chatbot .bot").count() if page.locator("#chatbot .bot").count() else 0
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(
        "n => document.querySelectorAll('#chatbot .message.bot, #chatbot .bot').length > n", arg=before,
        timeout=30000)
    page.wait_for_timeout(1500)  # let the stream finish


def test_in_a_browser_a_question_gets_a_cited_answer_and_the_sources_panel(page, feedback_file):
    status = page.inner_text("#status")
    assert "Answerer: offline (extractive)" in status and "33 passages from 1 file(s), built" in status
    ask_in_page(page, "How long until I'm job-ready?")
    chat = page.inner_text("#chatbot")
    assert "20 weeks" in chat and "[1]" in chat
    sources = page.inner_text("#sources")
    assert "[1] Your Learning Roadmap > Foundation Building" in sources
    screenshot = os.environ.get("BOT_SCREENSHOT")
    page.screenshot(path=screenshot or str(feedback_file.parent / "app.png"), full_page=True)

    page.get_by_label("Like").last.click()
    page.wait_for_function("() => document.querySelector('#feedback-status').innerText.includes('saved')",
                           timeout=10000)
    vote = json.loads(feedback_file.read_text().splitlines()[-1])
    assert vote["vote"] == "up" and vote["question"] == "How long until I'm job-ready?"
    assert "20 weeks" in vote["answer"] and len(vote["citations"]) == 6


def test_in_a_browser_an_example_question_can_be_clicked(page):
    page.get_by_text("What should I do this week?").first.click()
    page.wait_for_function("() => document.querySelector('#sources').innerText.includes('This Week')",
                           timeout=30000)
    assert "Audit your current skills" in page.inner_text("#chatbot")


def test_in_a_browser_html_in_a_question_is_shown_as_text_and_never_runs(page):
    ask_in_page(page, "<img src=x onerror=alert(1)>")
    page.wait_for_timeout(1000)
    assert page.dialogs == []
    assert page.locator("#chatbot img[src='x']").count() == 0
    assert "doesn't cover" in page.inner_text("#chatbot")


def test_in_a_browser_retry_undo_and_clear_work_on_the_conversation(page):
    ask_in_page(page, "What should I do this week?")
    assert "Audit your current skills" in page.inner_text("#chatbot")
    page.get_by_label("Retry").last.click()
    page.wait_for_timeout(2000)
    assert page.inner_text("#chatbot").count("Audit your current skills") == 1
    page.get_by_label("Undo").last.click()
    page.wait_for_function("() => document.querySelector('#question textarea').value.includes('this week')",
                           timeout=10000)
    assert "Audit your current skills" not in page.inner_text("#chatbot")
    ask_in_page(page, "Will I take a pay cut?")
    page.get_by_label("Clear").first.click()
    page.wait_for_function("() => !document.querySelector('#chatbot').innerText.includes('Not necessarily')",
                           timeout=10000)


def test_app_py_builds_a_missing_index_prints_its_url_and_stops_cleanly_on_ctrl_c(tmp_path):
    import signal
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    from conftest import GUIDE, ROOT, free_port

    port = free_port()
    proc = subprocess.Popen(
        [sys.executable, "app.py", "--port", str(port), "--corpus", str(GUIDE), "--index", str(tmp_path / "i")],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "BOT_FEEDBACK_FILE": str(tmp_path / "votes.jsonl")},
    )
    try:
        line = proc.stdout.readline()
        assert line.strip() == f"Open http://127.0.0.1:{port} in your browser (Ctrl-C stops the app)."
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                    assert response.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "the app did not answer within 60 s"
                time.sleep(0.5)
        # app.py serves behind the guard: another web site cannot post to it
        forged = urllib.request.Request(f"http://127.0.0.1:{port}/gradio_api/call/ask", method="POST",
                                        data=b'{"data": ["hi", null]}', headers={"Origin": "http://evil.example",
                                                                               "Content-Type": "application/json"})
        with pytest.raises(urllib.error.HTTPError, match="403"):
            urllib.request.urlopen(forged, timeout=10)
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=60)
    finally:
        proc.kill()
    err = proc.stderr.read()
    assert proc.returncode == 0, err[-2000:]
    assert "No index" in err and "index updated" in err
    assert "Traceback" not in err


def test_an_oversized_question_is_turned_away_where_it_enters_and_never_reaches_the_history(bot):
    from bot.front.ui import ChatHandlers

    box, history, _ = ChatHandlers(bot, None, max_chars=1000).add_question("x" * 5_000_000, [])
    assert box == "" and len(history) == 1 and history[0]["role"] == "assistant"
    assert "5000000 characters long; the limit is 1000" in history[0]["content"]
    assert len(str(history)) < 200
