"""Ingest: turn the corpus into a new index generation, then switch to it atomically.

A run takes the writer lock, reads and checks every file, reuses the stored
embedding of every unchanged chunk, writes a complete new generation, and only then
publishes it (CURRENT, or the server's pointer). Killed at any point, the previous
generation keeps serving.
"""

from __future__ import annotations

import fcntl
import hashlib
import logging
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.config import Settings
from bot.errors import IndexLockedError
from bot.index.embeddings import model_id
from bot.index.generations import generations, new_generation_name
from bot.index.store import embedding_text, get_all, load_documents
from bot.ingest.chunking import chunk_guide
from bot.ingest.loader import read_corpus
from bot.schema import ChunkMeta
from bot.text import vocabulary

logger = logging.getLogger(__name__)
BATCH = 64  # texts embedded per call: the progress bar moves, the model stays busy


@dataclass
class IngestReport:
    files: int
    chunks: int
    added: int
    updated: int
    removed: int
    seconds: float
    changed: bool

    def __str__(self) -> str:
        what = "index updated" if self.changed else "index already up to date"
        return (
            f"{what}: {self.files} file(s), {self.chunks} chunks "
            f"({self.added} added, {self.updated} updated, {self.removed} removed) "
            f"in {self.seconds:.1f} s"
        )


@contextmanager
def writer_lock(index_dir: Path) -> Iterator[None]:
    """Hold the index's single-writer lock, or fail at once naming who holds it.

    flock is released by the kernel when the holder dies, so a killed ingest never
    leaves a stale lock behind.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(index_dir / ".lock", os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "unknown"
            raise IndexLockedError(
                f"Another ingest (pid {holder}) is writing the index in {index_dir}. "
                "Wait for it to finish, then run again if you still need to."
            ) from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        yield
    finally:
        os.close(fd)


def _key(doc: Document) -> tuple:
    m = ChunkMeta.of(doc)
    return (m.source, m.section, m.position)


def _file_hashes(corpus_dir: Path, sources: set[str]) -> dict[str, str]:
    return {s: hashlib.sha256((corpus_dir / s).read_bytes()).hexdigest() for s in sorted(sources)}


@dataclass
class Previous:
    """What the serving generation already holds: its passages and their vectors, to reuse."""

    docs: dict[str, Document] = field(default_factory=dict)
    vectors: dict[str, np.ndarray] = field(default_factory=dict)
    words: dict[str, np.ndarray] = field(default_factory=dict)


def build_index(settings: Settings, embedder: Embeddings, progress: bool = True) -> IngestReport:
    """Bring the index in line with the corpus; return what changed."""
    start = time.monotonic()
    model = model_id(settings.embedding_model)
    gens = generations(settings)
    with writer_lock(Path(settings.index_dir)):  # first: a second ingest is told at once, not after reading
        guides = read_corpus(settings.corpus_dir)  # raises before anything is touched
        docs = [d for g in guides for d in chunk_guide(g, settings.chunk_chars)]
        files = _file_hashes(settings.corpus_dir, {g.source for g in guides})
        old_gen = gens.current()
        gens.prune(keep=old_gen)  # what killed runs left half-written
        previous = _previous(gens, old_gen, model)
        report = _compare(docs, previous, len(files))
        if report.changed:
            fresh = [d for d in docs if d.id not in previous.vectors]
            vectors = {**previous.vectors, **_embed(embedder, [(d.id, embedding_text(d)) for d in fresh], progress)}
            words = vocabulary([embedding_text(d) for d in docs])
            word_vectors = {w: previous.words[w] for w in words if w in previous.words}
            new_words = [(w, w) for w in words if w not in previous.words]
            word_vectors.update(_embed(embedder, new_words, progress, "Embedding vocabulary"))
            gen = new_generation_name()
            _write_generation(gens, gen, docs, vectors, word_vectors)
            gens.publish(gen, {
                "embedding_model": model,
                "dimension": len(next(iter(vectors.values()))) if vectors else 0,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "files": files,
                "chunks": len(docs),
            })
            gens.prune(keep=gen)
        report.seconds = time.monotonic() - start
        logger.info("%s", report)
        return report


def _previous(gens, gen: str | None, model: str) -> Previous:
    """The serving generation's passages and vectors, if it was built with this model."""
    if gen is None:
        return Previous()
    try:
        if gens.manifest(gen).get("embedding_model") != model:
            logger.info("embedding model changed to %s: rebuilding every embedding", model)
            return Previous()
        old = gens.open(gen)
        try:
            return Previous(docs={d.id: d for d in load_documents(old.chunks)},
                            vectors=_stored_vectors(old.chunks), words=_stored_vectors(old.vocabulary))
        finally:
            old.close()  # or prune would see this very process reading it
    except Exception as exc:  # a damaged index: rebuild it from the corpus
        logger.warning("the current index cannot be read (%s): rebuilding it", type(exc).__name__)
        return Previous()


def _compare(docs: list[Document], previous: Previous, files: int) -> IngestReport:
    """What this ingest changes: a chunk whose place is the same but text new is 'updated'."""
    new_ids = {d.id for d in docs}
    unchanged_meta = all(d.id in previous.docs and previous.docs[d.id].metadata == d.metadata for d in docs)
    old_keys = {_key(d) for d in previous.docs.values() if d.id not in new_ids}
    fresh = [d for d in docs if d.id not in previous.vectors]
    updated = sum(_key(d) in old_keys for d in fresh)
    return IngestReport(
        files=files,
        chunks=len(docs),
        added=len(fresh) - updated,
        updated=updated,
        removed=len(set(previous.docs) - new_ids) - updated,
        seconds=0.0,
        changed=not (unchanged_meta and len(previous.docs) == len(docs)),
    )


def _stored_vectors(collection) -> dict[str, np.ndarray]:
    got = get_all(collection, ["embeddings"])
    return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)}


def _embed(
    embedder: Embeddings, items: list[tuple[str, str]], progress: bool, desc: str = "Embedding chunks"
) -> dict[str, np.ndarray]:
    """Vectors for (id, text) pairs, in batches, with a progress bar on stderr."""
    out: dict[str, np.ndarray] = {}
    with tqdm(total=len(items), desc=desc, disable=not progress or not items) as bar:
        for i in range(0, len(items), BATCH):
            batch = items[i : i + BATCH]
            vectors = embedder.embed_documents([text for _, text in batch])
            # float32 arrays: an eighth of the memory of lists of Python floats, for large corpora
            out.update({ident: np.asarray(v, dtype=np.float32) for (ident, _), v in zip(batch, vectors, strict=True)})
            bar.update(len(batch))
    return out


def _write_generation(gens, gen: str, docs, vectors, word_vectors, step: int = 1000) -> None:
    """Fill a new generation's collections; it serves only once published."""
    opened = gens.open(gen, create=True)
    try:
        _fill(opened.chunks, opened.vocabulary, docs, vectors, word_vectors, step)
    finally:
        opened.close()


def _fill(collection, words, docs, vectors, word_vectors, step: int) -> None:
    for i in range(0, len(docs), step):
        batch = docs[i : i + step]
        collection.add(
            ids=[d.id for d in batch],
            documents=[d.page_content for d in batch],
            metadatas=[d.metadata for d in batch],
            embeddings=np.array([vectors[d.id] for d in batch], dtype=np.float32),
        )
    word_list = sorted(word_vectors)
    for i in range(0, len(word_list), step):
        batch = word_list[i : i + step]
        words.add(ids=batch, embeddings=np.array([word_vectors[w] for w in batch], dtype=np.float32))
