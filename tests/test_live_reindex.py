"""A running app follows new ingests: it answers from each new index within seconds, never
fails a question while ingests replace and delete generations, and a link out of the
corpus never reaches the index."""

import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import GUIDE, ROOT, copy_corpus, free_port, settings_for

from bot.ingest.indexing import build_index
from bot.ingest.loader import read_corpus

INGESTS = 5
CLIENTS = 5
SWITCH_SECONDS = 2.0
QUESTIONS = ["How long until I'm job-ready?", "Will I take a pay cut?", "What should I do this week?",
             "What happens in the Cloud & Production Skills phase?", "What is the best pizza topping?"]


def test_links_out_of_the_corpus_are_skipped_with_a_warning_naming_them(tmp_path, caplog):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.txt").write_text("A guide\nOverview\nLearn the basics first, then build projects.\n")
    secret = tmp_path / "secret.txt"
    secret.write_text("root:x:0:0:daemon password line\n")
    (corpus / "absolute.txt").symlink_to(secret)
    (corpus / "relative.md").symlink_to(Path("..") / "secret.txt")
    (corpus / "inside.txt").symlink_to("guide.txt")
    (corpus / "folder").symlink_to(tmp_path)
    with caplog.at_level(logging.WARNING, logger="bot.ingest.loader"):
        sources = [g.source for g in read_corpus(corpus)]
    assert sources == ["guide.txt", "inside.txt"]
    warned = caplog.text
    assert "absolute.txt" in warned and "relative.md" in warned and "outside the corpus" in warned
    assert "folder" in warned


def start_app(settings, env_extra: dict) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "BOT_CORPUS_DIR": str(settings.corpus_dir), "BOT_INDEX_DIR": str(settings.index_dir),
           **env_extra}
    proc = subprocess.Popen([sys.executable, "app.py", "--port", str(port)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    line = proc.stdout.readline()  # "Open http://... in your browser"
    assert "Open http://" in line, line + proc.stdout.read()
    threading.Thread(target=proc.stdout.read, daemon=True).start()  # keep the pipe drained
    deadline = time.monotonic() + 60
    while True:  # the line comes just before the server starts listening
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return proc, f"http://127.0.0.1:{port}/"
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, "the app did not start"
            time.sleep(0.1)


WORKSHOPS = ["quillon", "marrowby", "tessarin", "velloran", "dunmeric"]


def new_file(corpus: Path, i: int) -> tuple[str, str]:
    """A small guide with a fact only it states: (question, words the answer must contain)."""
    name = WORKSHOPS[i]
    (corpus / f"notes-{i}.txt").write_text(
        f"Field notes {i}\nThe {name} workshop\n"
        f"The {name} workshop meets every Tuesday in room {100 + i} to review portfolio projects.\n")
    return f"Where does the {name} workshop meet?", f"room {100 + i}"


def ingest_while_clients_ask(settings, embedder, urls: list[str]) -> None:
    """INGESTS ingests in a row, each adding a file, while CLIENTS users ask every app questions."""
    from gradio_client import Client

    stop = threading.Event()
    errors: list[str] = []
    answered = [0]

    def user(n: int) -> None:
        client = Client(urls[n % len(urls)], verbose=False)
        while not stop.is_set():
            try:
                answer = client.predict(QUESTIONS[answered[0] % len(QUESTIONS)], None, api_name="/ask")["answer"]
                if answer.startswith("Sorry, something went wrong"):
                    errors.append(answer)
            except Exception as exc:  # a failed request is what this test counts
                errors.append(repr(exc))
            answered[0] += 1

    users = [threading.Thread(target=user, args=(n,)) for n in range(CLIENTS)]
    for t in users:
        t.start()
    pollers = [Client(url, verbose=False) for url in urls]
    try:
        for i in range(INGESTS):
            question, fact = new_file(settings.corpus_dir, i)
            build_index(settings, embedder, progress=False)
            done = time.monotonic()
            for client in pollers:
                while fact not in (answer := client.predict(question, None, api_name="/ask")["answer"]):
                    assert time.monotonic() - done < SWITCH_SECONDS, f"ingest {i}: still the old index: {answer}"
                    time.sleep(0.05)
    finally:
        stop.set()
        for t in users:
            t.join(timeout=60)
    assert errors == [], errors[:3]
    assert answered[0] >= INGESTS * CLIENTS


def with_onnx_export(settings, embedder) -> None:
    """Give the app the session's ONNX export, so it does not export the model again."""
    embedder.embed_query("export the model now")
    (settings.index_dir / "models").mkdir(parents=True, exist_ok=True)
    shutil.copy(embedder.file, settings.index_dir / "models" / embedder.file.name)


@pytest.mark.slow
def test_a_running_app_serves_each_new_ingest_and_never_fails_while_old_ones_are_deleted(tmp_path, embedder):
    settings = settings_for(copy_corpus(GUIDE, tmp_path / "corpus"), tmp_path / "index")
    with_onnx_export(settings, embedder)
    build_index(settings, embedder, progress=False)
    app, url = start_app(settings, {})
    try:
        ingest_while_clients_ask(settings, embedder, [url])
        fds = Path(f"/proc/{app.pid}/fd")
        open_files = [os.readlink(fd) for fd in fds.iterdir() if fd.is_symlink()]
    finally:
        app.terminate()
        app.wait(timeout=30)
    assert not [f for f in open_files if "(deleted)" in f]
    assert len(list(settings.index_dir.glob("gen-*"))) <= 3  # replaced generations are deleted once let go


@pytest.mark.slow
def test_two_server_mode_replicas_serve_each_new_ingest(tmp_path, embedder, chroma_url):
    settings = settings_for(copy_corpus(GUIDE, tmp_path / "corpus"), tmp_path / "index",
                            chroma_url=chroma_url, chroma_prefix="live")
    with_onnx_export(settings, embedder)
    build_index(settings, embedder, progress=False)
    env = {"BOT_CHROMA_URL": chroma_url, "BOT_CHROMA_PREFIX": "live"}
    replicas = [start_app(settings, env) for _ in range(2)]
    try:
        ingest_while_clients_ask(settings, embedder, [url for _, url in replicas])
    finally:
        for proc, _ in replicas:
            proc.terminate()
            proc.wait(timeout=30)


def test_a_broken_new_index_is_tried_once_and_the_open_one_keeps_answering(tmp_path, embedder, caplog):
    from bot.index.generations import CURRENT, write_atomically
    from bot.wiring import build_bot

    settings = settings_for(copy_corpus(GUIDE, tmp_path / "corpus"), tmp_path / "index")
    build_index(settings, embedder, progress=False)
    bot = build_bot(settings, embedder)
    served = bot.index.generation
    broken = tmp_path / "index" / "gen-9999999999999999999"
    shutil.copytree(tmp_path / "index" / served, broken)
    (broken / "chroma.sqlite3").write_bytes(b"not a database" * 100)
    write_atomically(tmp_path / "index" / CURRENT, broken.name)  # published, as a damaged ingest might
    with caplog.at_level(logging.WARNING):
        answers = [bot.ask("Will I take a pay cut?")["answer"] for _ in range(3)]
    assert all("Not necessarily" in a for a in answers) and bot.index.generation == served
    assert caplog.text.count("kept the open index") == 1  # not once per question
    write_atomically(tmp_path / "index" / CURRENT, served)
    shutil.rmtree(broken)
    (Path(settings.corpus_dir) / "extra.txt").write_text("Extra Notes\nSourdough\nFeed the starter daily.\n")
    build_index(settings, embedder, progress=False)
    assert "starter" in bot.ask("How often do I feed the sourdough starter?")["answer"]  # the next ingest is served
