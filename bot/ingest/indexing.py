"""Ingest: turn the corpus into a new index generation, then switch to it atomically.

A run takes the writer lock, reads and checks every file, reuses the stored
embedding of every unchanged chunk, writes a complete new generation, and only then
publishes it (CURRENT, or the server's pointer). Killed at any point, the previous
generation keeps serving.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import islice
from pathlib import Path
from typing import TypeVar

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings
from tqdm import tqdm

from bot.config import Settings
from bot.errors import IndexLockedError
from bot.index.embeddings import model_id
from bot.index.generations import OpenGeneration, generations, new_generation_name
from bot.index.store import embedding_text, pages
from bot.ingest.chunking import iter_chunks
from bot.ingest.loader import corpus_paths, load_guide
from bot.schema import ChunkMeta
from bot.text import vocabulary

logger = logging.getLogger(__name__)
T = TypeVar("T")
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


def _place(doc: Document) -> tuple[int, int]:
    """Hashes of a chunk's place (file, section, position) and of all its metadata: small, so
    an ingest can hold one per chunk of a large corpus. Compared only within one process."""
    m = ChunkMeta.of(doc)
    return hash((m.source, m.section, m.position)), hash(json.dumps(doc.metadata, sort_keys=True, default=str))


def _file_hashes(corpus_dir: Path, paths: list[Path]) -> dict[str, str]:
    """Each file's SHA-256, by its name in the corpus (as its chunks name it)."""
    return {p.relative_to(corpus_dir).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


Plan = dict[str, tuple[int, int]]  # chunk id -> _place


@dataclass
class Previous:
    """The serving generation, open for reuse: each passage's place and fingerprint in memory,
    its vectors read from Chroma a batch at a time."""

    places: Plan = field(default_factory=dict)
    opened: OpenGeneration | None = None

    def vectors(self, part: str, ids: list[str]) -> dict[str, np.ndarray]:
        """The stored vectors of those ids ("chunks" or "vocabulary") that the generation has."""
        if self.opened is None or not ids:
            return {}
        try:
            got = getattr(self.opened, part).get(ids=ids, include=["embeddings"])
        except Exception as exc:  # a damaged index: embed again what it cannot give
            logger.warning("the current index cannot be read (%s): re-embedding", type(exc).__name__)
            self.close()
            return {}
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(got["ids"], got["embeddings"], strict=True)}

    def close(self) -> None:
        opened, self.opened = self.opened, None
        if opened is not None:
            opened.close()  # or prune would see this very process reading it


def build_index(settings: Settings, embedder: Embeddings, progress: bool = True) -> IngestReport:
    """Bring the index in line with the corpus; return what changed.

    Memory is bounded by the largest file, not the corpus: a first pass reads, checks and
    chunks every file keeping only each chunk's id and place (so a bad file stops the run
    before anything is touched); only if something changed does a second pass stream the
    chunks, a batch at a time, into the new generation.
    """
    start = time.monotonic()
    model = model_id(settings.embedding_model)
    gens = generations(settings)
    with writer_lock(Path(settings.index_dir)):  # first: a second ingest is told at once, not after reading
        paths = corpus_paths(settings.corpus_dir)
        plan = {d.id: _place(d) for d in _chunks(settings, paths, warn=True)}
        files = _file_hashes(settings.corpus_dir, paths)
        old_gen = gens.current()
        gens.prune(keep=old_gen)  # what killed runs left half-written
        previous = _previous(gens, old_gen, model)
        try:
            report = _compare(plan, previous.places, len(files))
            if report.changed:
                gen = new_generation_name()
                bar = tqdm(total=len(plan), desc="Embedding chunks", disable=not progress)
                dimension = _write_generation(gens, gen, _chunks(settings, paths), previous, embedder, bar)
        finally:
            previous.close()
        if report.changed:
            gens.publish(gen, {
                "embedding_model": model,
                "dimension": dimension,
                "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
                "files": files,
                "chunks": len(plan),
            })
            gens.prune(keep=gen)
        report.seconds = time.monotonic() - start
        logger.info("%s", report)
        return report


def _chunks(settings: Settings, paths: list[Path], warn: bool = False) -> Iterator[Document]:
    for path in paths:
        yield from iter_chunks(load_guide(settings.corpus_dir, path, warn), settings.chunk_chars)


def _previous(gens, gen: str | None, model: str) -> Previous:
    """The serving generation, opened, if it was built with this model."""
    if gen is None:
        return Previous()
    old = None
    try:
        if gens.manifest(gen).get("embedding_model") != model:
            logger.info("embedding model changed to %s: rebuilding every embedding", model)
            return Previous()
        old = gens.open(gen)
        places = {}
        for got in pages(old.chunks, ["metadatas"]):
            for ident, meta in zip(got["ids"], got["metadatas"], strict=True):
                places[ident] = _place(Document(id=ident, page_content="", metadata=meta or {}))
        return Previous(places, old)
    except Exception as exc:  # a damaged index: rebuild it from the corpus
        if old is not None:
            old.close()
        logger.warning("the current index cannot be read (%s): rebuilding it", type(exc).__name__)
        return Previous()


def _compare(plan: Plan, previous: Plan, files: int) -> IngestReport:
    """What this ingest changes: a chunk whose place is the same but text new is 'updated'."""
    unchanged_meta = all(i in previous and previous[i][1] == fp for i, (_, fp) in plan.items())
    old_keys = {key for i, (key, _) in previous.items() if i not in plan}
    fresh = [key for i, (key, _) in plan.items() if i not in previous]
    updated = sum(key in old_keys for key in fresh)
    return IngestReport(
        files=files,
        chunks=len(plan),
        added=len(fresh) - updated,
        updated=updated,
        removed=len(set(previous) - set(plan)) - updated,
        seconds=0.0,
        changed=not (unchanged_meta and len(previous) == len(plan)),
    )


def _write_generation(gens, gen: str, docs: Iterator[Document], previous: Previous,
                      embedder: Embeddings, bar: tqdm, step: int = 1000) -> int:
    """Fill a new generation's collections, a batch at a time (it serves only once published);
    return the vectors' dimension."""
    opened = gens.open(gen, create=True)
    words: set[str] = set()
    dimension = 0
    try:
        with bar:
            for batch in _batches(docs, step):
                texts = [embedding_text(d) for d in batch]
                items = [(d.id, t) for d, t in zip(batch, texts, strict=True)]
                vectors = _vectors(embedder, previous, "chunks", items, bar)
                opened.chunks.add(ids=[d.id for d in batch], documents=[d.page_content for d in batch],
                                  metadatas=[d.metadata for d in batch], embeddings=vectors)
                words.update(vocabulary(texts))
                dimension = vectors.shape[1]
        word_list = sorted(words)
        with tqdm(total=len(word_list), desc="Embedding vocabulary", disable=bar.disable) as word_bar:
            for batch in _batches(word_list, step):
                vectors = _vectors(embedder, previous, "vocabulary", [(w, w) for w in batch], word_bar)
                opened.vocabulary.add(ids=list(batch), embeddings=vectors)
    finally:
        opened.close()
    return dimension


def _vectors(embedder: Embeddings, previous: Previous, part: str, items: list[tuple[str, str]],
             bar: tqdm) -> np.ndarray:
    """Vectors for (id, text) pairs, in order: the previous generation's where it has them,
    the rest embedded BATCH texts per call, moving the progress bar."""
    found = previous.vectors(part, [ident for ident, _ in items])
    bar.update(len(found))
    missing = [(ident, text) for ident, text in items if ident not in found]
    for i in range(0, len(missing), BATCH):
        some = missing[i : i + BATCH]
        vectors = embedder.embed_documents([text for _, text in some])
        found.update({ident: np.asarray(v, dtype=np.float32) for (ident, _), v in zip(some, vectors, strict=True)})
        bar.update(len(some))
    return np.array([found[ident] for ident, _ in items], dtype=np.float32)


def _batches(items: Iterable[T], size: int) -> Iterator[list[T]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch
