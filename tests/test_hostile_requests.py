"""The HTTP surface against a careless or hostile client (issue #13, items 3, 4 and 11): the
app launched as app.py launches it, on 127.0.0.1, with the real bot behind it."""

import http.client
import json
from types import SimpleNamespace

import gradio as gr
import pytest

from bot.front.feedback import FeedbackLog
from bot.front.guard import MAX_BODY_BYTES, launch_options
from bot.front.ui import ChatHandlers, build_app


@pytest.fixture(scope="module")
def server(bot, tmp_path_factory):
    demo = build_app(bot, max_chars=1000, feedback=FeedbackLog(tmp_path_factory.mktemp("fb") / "v.jsonl"))
    _, url, _ = demo.launch(server_name="127.0.0.1", prevent_thread_lock=True, **launch_options())
    host, port = url.split("//")[1].strip("/").split(":")
    yield host, int(port)
    demo.close()


def send(server, method, path, body=b"", headers=None, chunked=False):
    conn = http.client.HTTPConnection(*server, timeout=30)
    try:
        conn.request(method, path, body=body, headers=headers or {}, encode_chunked=chunked)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    finally:
        conn.close()


def ask(server, question, history):
    status, started = send(server, "POST", "/gradio_api/call/ask",
                           json.dumps({"data": [question, history]}), {"Content-Type": "application/json"})
    assert status == 200, started
    _, stream = send(server, "GET", f"/gradio_api/call/ask/{json.loads(started)['event_id']}")
    assert "event: complete" in stream, stream[-300:]
    return json.loads(stream.split("event: complete\ndata: ", 1)[1].splitlines()[0])[0]


MULTIPART = {"Content-Type": "multipart/form-data; boundary=b"}
FILE = b'--b\r\nContent-Disposition: form-data; name="files"; filename="a.txt"\r\n\r\nhello\r\n--b--\r\n'


def test_uploads_are_refused_from_this_page_and_from_other_sites(server):
    assert send(server, "POST", "/gradio_api/upload", FILE, MULTIPART)[0] == 404
    evil = {**MULTIPART, "Origin": "http://evil.example"}
    status, body = send(server, "POST", "/gradio_api/upload", FILE, evil)
    assert status in (403, 404) and "/tmp" not in body  # no server path reported either


def test_a_post_from_another_web_site_is_refused_and_one_from_the_app_itself_is_served(server):
    host, port = server
    body = json.dumps({"data": ["How long is the roadmap?", None]})
    evil = {"Content-Type": "application/json", "Origin": "http://evil.example"}
    assert send(server, "POST", "/gradio_api/call/ask", body, evil)[0] == 403
    assert send(server, "POST", "/gradio_api/call/ask", body, {**evil, "Origin": "null"})[0] == 403
    own = {**evil, "Origin": f"http://{host}:{port}"}
    assert send(server, "POST", "/gradio_api/call/ask", body, own)[0] == 200


@pytest.mark.parametrize("chunked", [False, True])
def test_an_oversized_request_is_refused_before_it_is_read_whole(server, chunked):
    huge = b'{"data": ["' + b"x" * (MAX_BODY_BYTES + 10) + b'"], "fn_index": 0, "session_hash": "s"}'
    headers = {"Content-Type": "application/json"}
    for path in ("/gradio_api/queue/join", "/gradio_api/call/ask"):
        status, body = send(server, "POST", path, huge if not chunked else iter([huge]), headers, chunked=chunked)
        assert status == 413 and "limit" in body


@pytest.mark.parametrize("history", [["a", 1, None], "string", [[1, 2]], json.loads("[" * 500 + "]" * 500),
                                     [{"role": "hacker", "content": "x"}]])
def test_a_malformed_history_gets_a_message_saying_what_is_expected(server, history, capfd):
    result = ask(server, "How long is the roadmap?", history)
    assert result["answer"].startswith("The history must be a list of messages")
    assert "Traceback" not in capfd.readouterr().err


def test_broken_queue_requests_get_a_4xx_and_at_most_one_log_line(server, capfd):
    join = "/gradio_api/queue/join"
    headers = {"Content-Type": "application/json"}
    assert send(server, "POST", join, json.dumps({"data": [], "fn_index": 99999, "session_hash": "s"}),
                headers)[0] == 400
    assert send(server, "POST", join, json.dumps({"data": [], "fn_index": 0, "session_hash": ""}), headers)[0] == 400
    assert send(server, "POST", join, b"not json", headers)[0] == 400
    for _ in range(3):
        status, body = send(server, "GET", "/gradio_api/queue/data?session_hash=nobody")
        assert status < 500 and len(body) < 500
    err = capfd.readouterr().err
    assert "Traceback" not in err and len(err.splitlines()) <= 5, err[-2000:]


# --- feedback: only answers this server gave, only up or down -------------------------------

def like(index, liked, value=""):
    return gr.LikeData(None, {"index": index, "value": value, "liked": liked})


@pytest.fixture
def handlers(bot, tmp_path):
    return ChatHandlers(bot, FeedbackLog(tmp_path / "votes.jsonl"), max_chars=1000), tmp_path / "votes.jsonl"


def answered(on, question, session):
    history = [{"role": "user", "content": question}]
    *_, (update, _, _) = on.respond(history, [], SimpleNamespace(session_hash=session))
    return update["value"]


def test_feedback_records_the_servers_own_question_and_answer(handlers):
    on, votes = handlers
    history = answered(on, "How long until I'm job-ready?", "s1")
    history[0]["content"] = "a question the client made up"
    assert on.vote(history, like(1, True), SimpleNamespace(session_hash="s1")) == "Thanks, your feedback was saved."
    record = json.loads(votes.read_text())
    assert record["vote"] == "up" and record["question"] == "How long until I'm job-ready?"
    assert "20 weeks" in record["answer"] and record["citations"]


@pytest.mark.parametrize("case", ["forged answer", "other session", "odd vote", "index out of range", "huge"])
def test_feedback_on_anything_the_server_did_not_answer_is_refused_and_not_written(handlers, case):
    on, votes = handlers
    history = answered(on, "How long until I'm job-ready?", "s1")
    session, data = "s1", like(1, True)
    if case == "forged answer":
        history[1]["content"] = "The guide says you will earn a million."
    elif case == "other session":
        session = "s2"
    elif case == "odd vote":
        data = like(1, "x" * 1000)
    elif case == "index out of range":
        data = like(7, False)
    else:
        history[1]["content"] = "y" * 50_000_000
    reply = on.vote(history, data, SimpleNamespace(session_hash=session))
    assert reply != "Thanks, your feedback was saved." and reply
    if case == "other session":  # a chat restored after a reload: the user is told what to do
        assert reply.endswith("Ask the question again to rate its answer.")
    assert not votes.exists()


# --- memory per session (item 7; the 20,000-session soak is bench/soak.py) -------------------

def test_sessions_that_finished_are_forgotten_by_the_server(bot, monkeypatch):
    import time

    from bot.front import guard

    monkeypatch.setattr(guard, "SWEEP_SECONDS", 0.2)
    demo = build_app(bot, max_chars=1000)
    _, url, _ = demo.launch(server_name="127.0.0.1", prevent_thread_lock=True, **launch_options())
    try:
        host, port = url.split("//")[1].strip("/").split(":")
        for _ in range(30):  # each call is a session of its own
            assert "weeks" in ask((host, int(port)), "How long is the roadmap?", None)["answer"]
        time.sleep(1)
        assert len(demo._queue.pending_event_ids_session) == 0
        assert len(demo._queue.event_analytics) <= guard.ANALYTICS_EVENTS
    finally:
        demo.close()


def test_the_sweep_keeps_sessions_with_work_pending():
    from bot.front.guard import ANALYTICS_EVENTS, forget_finished_sessions

    queue = SimpleNamespace(pending_event_ids_session={"done": set(), "busy": {"e1"}},
                            event_analytics={str(i): {} for i in range(ANALYTICS_EVENTS + 50)})
    assert forget_finished_sessions(queue) == 1
    assert queue.pending_event_ids_session == {"busy": {"e1"}}
    assert len(queue.event_analytics) == ANALYTICS_EVENTS and "0" not in queue.event_analytics
