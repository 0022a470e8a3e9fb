"""Ingest streams the corpus: what it holds grows with its largest file, not with the corpus.

Measured with tracemalloc, which sees the project's Python objects (chunks, vectors,
dictionaries) and not Chroma's own native index, so the figure is what ingest keeps.
"""

from __future__ import annotations

import random
import tracemalloc
from pathlib import Path

from bot.config import Settings
from bot.index.store import open_index
from bot.ingest.indexing import build_index
from tests.handmade import WordEmbeddings

MB = 1 << 20
WORDS = "model deploy serving latency pipeline feature batch review project salary cloud drift week phase".split()


def write_corpus(folder: Path, files: int, size: int = 250_000) -> None:
    folder.mkdir()
    rng = random.Random(files)
    for n in range(files):
        sections = [f"# Guide {n}\n"]
        while sum(map(len, sections)) < size:
            body = " ".join(f"{' '.join(rng.choices(WORDS, k=12))}." for _ in range(6))
            sections.append(f"\n## Part {len(sections)}\n\n{body}\n")
        (folder / f"guide{n}.md").write_text("".join(sections))


def ingest_peak(tmp_path: Path, name: str, files: int, embedder) -> int:
    """Peak bytes of Python memory while ingesting `files` files into a fresh index."""
    settings = Settings(corpus_dir=tmp_path / name, index_dir=tmp_path / f"{name}-index")
    write_corpus(settings.corpus_dir, files)
    tracemalloc.start()
    try:
        report = build_index(settings, embedder, progress=False)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    index = open_index(settings)
    assert len(index.documents) == report.chunks > files * 250  # everything was written
    index.close()
    return peak


def test_ingest_memory_does_not_grow_with_the_corpus(tmp_path):
    embedder = WordEmbeddings()
    ingest_peak(tmp_path, "warm-up", 1, embedder)  # imports and caches, paid once
    small = ingest_peak(tmp_path, "small", 4, embedder)
    large = ingest_peak(tmp_path, "large", 10, embedder)
    # 1.5 MB more text is ~2,400 more chunks: holding them and their vectors took ~12 MB more
    assert large - small < 3 * MB, f"{small / MB:.1f} MB for 1 MB of text, {large / MB:.1f} MB for 2.5 MB"
