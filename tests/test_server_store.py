"""The index on a Chroma server (`chroma run` on 127.0.0.1, started here): ingest, chat, kill,
and two app replicas sharing one index."""

import os
import re
import signal
import subprocess
import sys

import pytest
from conftest import DATA, GUIDE, ROOT, copy_corpus, free_port

from bot.config import Settings
from bot.errors import BotError
from bot.index.generations import generations
from bot.index.store import open_index
from bot.ingest.indexing import build_index
from bot.wiring import build_bot

pytestmark = pytest.mark.slow


@pytest.fixture
def server_settings(chroma_url, tmp_path, request):
    corpus = copy_corpus(GUIDE, tmp_path / "corpus")
    prefix = re.sub(r"[^a-z0-9]", "", request.node.name.lower())[-40:]
    return Settings(corpus_dir=corpus, index_dir=tmp_path / "lock", chroma_url=chroma_url, chroma_prefix=prefix)


def test_ingest_into_the_server_is_idempotent_and_edits_replace_their_chunks(server_settings, embedder):
    first = build_index(server_settings, embedder, progress=False)
    second = build_index(server_settings, embedder, progress=False)
    assert first.changed and not second.changed
    pastry = (DATA / "pastry" / "line-cook-to-pastry-chef.txt").read_text()
    (server_settings.corpus_dir / "pastry.txt").write_text(pastry)
    third = build_index(server_settings, embedder, progress=False)
    assert third.added > 0 and third.removed == 0
    index = open_index(server_settings)
    assert len(index.documents) == third.chunks == len({d.id for d in index.documents})
    assert not (server_settings.index_dir / "CURRENT").exists()  # nothing went to the folder


def test_a_conversation_is_answered_from_the_server_index(server_settings, embedder):
    build_index(server_settings, embedder, progress=False)
    bot = build_bot(server_settings, embedder)
    first = bot.ask("What happens in the Interview & Transition phase?")
    history = [{"role": "user", "content": "What happens in the Interview & Transition phase?"},
               {"role": "assistant", "content": first["answer"]}]
    assert "Interview & Transition takes 3 weeks" in bot.ask("How long does it take?", history)["answer"]


def test_two_app_replicas_share_one_server_index(server_settings, embedder):
    build_index(server_settings, embedder, progress=False)
    env = {**os.environ, "BOT_CHROMA_URL": server_settings.chroma_url,
           "BOT_CHROMA_PREFIX": server_settings.chroma_prefix, "BOT_INDEX_DIR": str(server_settings.index_dir),
           "BOT_CORPUS_DIR": str(server_settings.corpus_dir)}
    replicas = [subprocess.Popen([sys.executable, "-m", "bot", "ask", question], cwd=ROOT, env=env,
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for question in ["Will I take a pay cut?", "How long until I'm job-ready?"]]
    outputs = [r.communicate(timeout=120) for r in replicas]
    assert all(r.returncode == 0 for r in replicas), [e for _, e in outputs]
    assert "Not necessarily" in outputs[0][0] and "20 weeks" in outputs[1][0]
    assert all("No index" not in e for _, e in outputs)  # neither rebuilt it


def test_ingest_killed_mid_run_keeps_the_server_index_serving(server_settings, embedder):
    first = build_index(server_settings, embedder, progress=False)
    gens = generations(server_settings)
    old = gens.current()
    for i in range(30):
        (server_settings.corpus_dir / f"v{i}.txt").write_text(
            (DATA / "pastry" / "line-cook-to-pastry-chef.txt").read_text().replace("croissant", f"croissant {i}"))
    env = {**os.environ, "BOT_CHROMA_URL": server_settings.chroma_url,
           "BOT_CHROMA_PREFIX": server_settings.chroma_prefix}
    cmd = [sys.executable, "-m", "bot", "ingest", "--corpus", str(server_settings.corpus_dir), "--index",
           str(server_settings.index_dir)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    seen = b""
    while not re.search(rb"Embedding chunks:.*\| [1-9]\d*/", seen) and proc.poll() is None:
        seen += proc.stderr.read1(4096) or b""
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert gens.current() == old
    assert len(open_index(server_settings).documents) == first.chunks
    rerun = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, timeout=600)
    assert rerun.returncode == 0, rerun.stderr[-2000:]
    assert gens.current() != old
    assert len(gens._generations()) <= 2  # the previous one is kept for apps still reading it


def test_an_unreachable_server_is_a_clear_error(tmp_path):
    settings = Settings(chroma_url=f"http://127.0.0.1:{free_port()}", index_dir=tmp_path)
    with pytest.raises(BotError, match="Cannot reach the Chroma server .* unset BOT_CHROMA_URL"):
        open_index(settings)
