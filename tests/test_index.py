"""The index on disk: idempotent, atomic, single-writer, self-describing. Real model, real Chroma."""

import json
import re
import signal
import subprocess
import sys
import time

import pytest
from conftest import DATA, GUIDE, ROOT, copy_corpus, settings_for

from bot.errors import IndexLockedError, ModelMismatchError
from bot.front.cli import main
from bot.index.generations import current_generation
from bot.index.store import open_index
from bot.ingest.indexing import build_index, writer_lock
from bot.wiring import build_bot

pytestmark = pytest.mark.slow


@pytest.fixture
def two_guides(tmp_path):
    corpus = copy_corpus(GUIDE, tmp_path / "corpus")
    (corpus / "pastry.txt").write_text((DATA / "pastry" / "line-cook-to-pastry-chef.txt").read_text())
    return settings_for(corpus, tmp_path / "index")


def ids_by_source(settings):
    index = open_index(settings)
    out = {}
    for d in index.documents:
        out.setdefault(d.metadata["source"], set()).add(d.id)
    return out


def test_reingest_changes_nothing_and_adds_no_duplicates(two_guides, embedder):
    first = build_index(two_guides, embedder, progress=False)
    gen = current_generation(two_guides.index_dir)
    second = build_index(two_guides, embedder, progress=False)
    assert first.changed and first.added == first.chunks
    assert not second.changed and (second.added, second.updated, second.removed) == (0, 0, 0)
    assert current_generation(two_guides.index_dir) == gen
    index = open_index(two_guides)
    assert len(index.documents) == first.chunks == len({d.id for d in index.documents})


def test_edited_file_replaces_exactly_its_own_chunks(two_guides, embedder):
    build_index(two_guides, embedder, progress=False)
    before = ids_by_source(two_guides)
    pastry = two_guides.corpus_dir / "pastry.txt"
    pastry.write_text(pastry.read_text().replace("Temper chocolate on marble", "Temper chocolate on granite"))
    report = build_index(two_guides, embedder, progress=False)
    after = ids_by_source(two_guides)
    assert (report.added, report.updated, report.removed) == (0, 1, 0)
    assert after["dl-engineer-to-ml-engineer.txt"] == before["dl-engineer-to-ml-engineer.txt"]
    assert len(after["pastry.txt"] - before["pastry.txt"]) == 1
    assert len(after["pastry.txt"]) == len(before["pastry.txt"])
    bot = build_bot(two_guides, embedder)
    assert "granite" in bot.ask("How should I temper chocolate?")["answer"]


def test_removed_file_loses_its_chunks(two_guides, embedder):
    build_index(two_guides, embedder, progress=False)
    before = ids_by_source(two_guides)
    (two_guides.corpus_dir / "pastry.txt").unlink()
    report = build_index(two_guides, embedder, progress=False)
    assert report.removed == len(before["pastry.txt"])
    assert set(ids_by_source(two_guides)) == {"dl-engineer-to-ml-engineer.txt"}


def test_index_built_with_another_model_is_a_clear_error(two_guides, embedder):
    build_index(two_guides, embedder, progress=False)
    manifest_path = current_generation(two_guides.index_dir) / "manifest.json"
    manifest = json.loads(manifest_path.read_text())
    manifest_path.write_text(json.dumps({**manifest, "embedding_model": "someone/bigger-model"}))
    with pytest.raises(ModelMismatchError, match="someone/bigger-model.*Re-run `python ingest.py`"):
        build_bot(two_guides, embedder)
    manifest_path.write_text(json.dumps({**manifest, "dimension": 768}))
    with pytest.raises(ModelMismatchError, match="768 dimensions"):
        build_bot(two_guides, embedder)


def test_bad_corpus_file_stops_ingest_and_keeps_the_index(two_guides, embedder, capsys):
    build_index(two_guides, embedder, progress=False)
    gen = current_generation(two_guides.index_dir)
    (two_guides.corpus_dir / "notes.md").write_bytes(b"\xff\xfe broken")
    code = main(["ingest", "--corpus", str(two_guides.corpus_dir), "--index", str(two_guides.index_dir)])
    err = capsys.readouterr().err
    assert code == 2
    assert "notes.md" in err and "UTF-8" in err
    assert current_generation(two_guides.index_dir) == gen
    assert len(open_index(two_guides).documents) > 0


def run_ingest(settings, **kw):
    return subprocess.Popen(
        [sys.executable, "-m", "bot", "ingest", "--corpus", str(settings.corpus_dir),
         "--index", str(settings.index_dir)],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw,
    )


def test_second_concurrent_ingest_exits_quickly_with_a_clear_message(two_guides, embedder):
    build_index(two_guides, embedder, progress=False)
    with writer_lock(two_guides.index_dir):
        start = time.monotonic()
        proc = run_ingest(two_guides)
        _, err = proc.communicate(timeout=60)
        elapsed = time.monotonic() - start
    assert proc.returncode == 2
    assert "Another ingest" in err.decode() and "is writing the index" in err.decode()
    assert elapsed < 15


def test_a_second_ingest_is_told_of_the_first_before_it_reads_the_corpus(two_guides, embedder):
    build_index(two_guides, embedder, progress=False)
    (two_guides.corpus_dir / "broken.txt").write_bytes(b"\xff\xfe not utf-8")  # reading it would fail
    with writer_lock(two_guides.index_dir), pytest.raises(IndexLockedError):
        build_index(two_guides, embedder, progress=False)


def big_corpus(corpus, files=40):
    """Guide-like files enough to keep an ingest busy for several seconds."""
    base = (DATA / "pastry" / "line-cook-to-pastry-chef.txt").read_text()
    for i in range(files):
        (corpus / f"variant-{i:02}.txt").write_text(base.replace("croissant", f"croissant number {i}")
                                                    .replace("tart", f"tart {i}").replace("weigh", f"weigh {i}"))


def test_ingest_killed_mid_run_keeps_the_old_index_and_the_next_run_completes(two_guides, embedder):
    first = build_index(two_guides, embedder, progress=False)
    gen = current_generation(two_guides.index_dir)
    big_corpus(two_guides.corpus_dir)
    proc = run_ingest(two_guides)
    seen = b""
    deadline = time.monotonic() + 120
    while not re.search(rb"Embedding chunks:.*\| [1-9]\d*/", seen) and time.monotonic() < deadline:
        seen += proc.stderr.read1(4096) or b""
        if proc.poll() is not None:
            break
    assert proc.poll() is None, f"ingest ended before it could be killed: {seen[-500:]!r}"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert current_generation(two_guides.index_dir) == gen
    assert len(open_index(two_guides).documents) == first.chunks
    assert build_bot(two_guides, embedder).ask("How long is the Portfolio Development phase?")["citations"]

    rerun = run_ingest(two_guides)
    out, err = rerun.communicate(timeout=600)
    assert rerun.returncode == 0, err.decode()[-2000:]
    assert "index updated" in out.decode()
    index = open_index(two_guides)
    assert len(index.documents) > first.chunks
    assert len({d.metadata["source"] for d in index.documents}) == 42
    assert len(list(two_guides.index_dir.glob("gen-*"))) <= 2  # the half-written one was cleaned up


def test_reading_the_whole_index_pages_through_it(guide_settings):
    from bot.index.store import get_all

    index = open_index(guide_settings)
    got = get_all(index.collection, ["documents"], page=7)  # 33 passages: 5 pages
    assert len(got["ids"]) == len(set(got["ids"])) == len(index.documents) == 33
    assert len(got["documents"]) == 33
