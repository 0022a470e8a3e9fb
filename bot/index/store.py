"""The serving index: open the published generation, with every passage it holds."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from langchain_core.documents import Document

from bot.config import Settings
from bot.errors import BotError, IndexMissingError, ModelMismatchError
from bot.index.embeddings import model_id
from bot.index.generations import FolderGenerations, GenerationGone, ServerGenerations, generations
from bot.schema import ChunkMeta
from bot.text import SEP

logger = logging.getLogger(__name__)
PAGE = 5000  # records per get(): one get() of ~100k records exceeds SQLite's limit on variables


def embedding_text(doc: Document) -> str:
    """What gets embedded and keyword-indexed: the heading path travels with the text."""
    section = ChunkMeta.of(doc).section
    if not section:
        return doc.page_content
    return f"{section.replace(SEP, ': ')}\n{doc.page_content}"


@dataclass
class Index:
    """An opened, serving index: its Chroma collection, its manifest and all its passages."""

    generation: str
    manifest: dict[str, Any]
    collection: Any
    vocabulary: Any
    documents: list[Document]
    release: Callable[[], None] = field(default=lambda: None, repr=False)

    def close(self) -> None:
        """Let the generation go: an ingest may delete it once no process has it open."""
        release, self.release = self.release, lambda: None
        release()

    @property
    def built_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["built_at"])

    @property
    def files(self) -> int:
        return len(self.manifest.get("files", {}))


def get_all(collection, include: list[str], page: int = PAGE) -> dict[str, list]:
    """Every record of a collection, fetched a page at a time."""
    out: dict[str, list] = {"ids": [], **{name: [] for name in include}}
    for got in pages(collection, include, page):
        for name in out:
            out[name].extend(got[name])
    return out


def pages(collection, include: list[str], page: int = PAGE) -> Iterator[dict[str, list]]:
    """A collection's records, one page at a time."""
    offset = 0
    while True:
        got = collection.get(include=include, limit=page, offset=offset)
        yield got
        offset += len(got["ids"])
        if len(got["ids"]) < page:
            return


def load_documents(collection) -> list[Document]:
    """Every stored passage, in reading order (source, then position)."""
    got = get_all(collection, ["documents", "metadatas"])
    docs = [
        Document(id=i, page_content=t, metadata=m or {})
        for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]
    return sorted(docs, key=lambda d: (ChunkMeta.of(d).source, ChunkMeta.of(d).position))


def open_index(settings: Settings, dimension: int | None = None,
               gens: FolderGenerations | ServerGenerations | None = None) -> Index:
    """Open the serving generation, checking it was built with the configured model."""
    gens = gens or generations(settings)
    for _ in range(3):  # an ingest may replace and delete a generation between two reads
        try:
            return _open_generation(settings, gens, dimension)
        except GenerationGone:
            continue
    return _open_generation(settings, gens, dimension)


def _open_generation(settings: Settings, gens: FolderGenerations | ServerGenerations,
                     dimension: int | None) -> Index:
    gen = gens.current()
    if gen is None:
        raise IndexMissingError(
            f"No index in {gens.where}. Build it with `python ingest.py` (or `python -m bot ingest`)."
        )
    opened = None
    try:
        manifest = gens.manifest(gen)
        want = model_id(settings.embedding_model)
        if manifest["embedding_model"] != want or (
            dimension is not None and manifest["dimension"] != dimension
        ):
            raise ModelMismatchError(
                f"The index in {gens.where} was built with {manifest['embedding_model']} "
                f"({manifest['dimension']} dimensions), but the configured model is {want}"
                f"{f' ({dimension} dimensions)' if dimension else ''}. Re-run `python ingest.py` "
                "to rebuild it with this model, or set BOT_EMBEDDING_MODEL back."
            )
        opened = gens.open(gen)
        documents = load_documents(opened.chunks)
    except (BotError, GenerationGone):
        if opened is not None:
            opened.close()
        raise
    except Exception as exc:  # a damaged folder: Chroma, JSON or the file system says why
        if opened is not None:
            opened.close()
        logger.debug("index at %s could not be opened", gen, exc_info=True)
        raise IndexMissingError(
            f"The index in {gens.where} is damaged ({type(exc).__name__}). "
            "Re-run `python ingest.py` to rebuild it."
        ) from exc
    if not documents:
        opened.close()
        raise IndexMissingError(f"The index in {gens.where} is empty. Re-run `python ingest.py`.")
    return Index(generation=gen, manifest=manifest, collection=opened.chunks, vocabulary=opened.vocabulary,
                 documents=documents, release=opened.close)
