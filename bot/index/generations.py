"""Index generations: each ingest writes a complete new one and publishes it with one switch.

On a folder (the default):

    index_dir/
      CURRENT          name of the generation that serves (switched atomically)
      gen-<n>/         a Chroma folder plus manifest.json (model, dimension, files, time)
        .readers       share-locked (flock) by every process that has the generation open
      .lock            held by the one ingest allowed to write

On a Chroma server (several replicas or machines): collections `<prefix>-gen-<n>-{chunks,vocab,
manifest}` and a pointer collection whose metadata names the generation that serves.

A generation that no longer serves is deleted only once nothing reads it: on a folder, when
no process holds its readers lock; on a server, whose replicas may be on other machines, once
GRACE_SECONDS have passed since it was replaced (replicas switch within seconds).
"""

from __future__ import annotations

import fcntl
import json
import logging
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from bot.config import Settings
from bot.errors import BotError

logger = logging.getLogger(__name__)

COLLECTION = "guide"
VOCABULARY = "vocabulary"
MANIFEST = "manifest.json"
CURRENT = "CURRENT"
READERS = ".readers"
GRACE_SECONDS = 600  # a replica switches within seconds; ten minutes covers a stalled one


class GenerationGone(Exception):
    """The generation was deleted before it could be opened: read CURRENT again."""


@dataclass
class OpenGeneration:
    """A generation's two collections, held open until `close` (which is safe to call twice)."""

    chunks: Any
    vocabulary: Any
    close: Callable[[], None] = field(default=lambda: None)


def chroma_client(path: Path | None = None, url: str = ""):
    """A Chroma client, telemetry off: embedded in one generation folder, or of a server."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    quiet = ChromaSettings(anonymized_telemetry=False)
    if path is not None:
        return chromadb.PersistentClient(path=str(path), settings=quiet)
    where = urlparse(url)
    return chromadb.HttpClient(host=where.hostname or "127.0.0.1", port=where.port or 8000,
                               ssl=where.scheme == "https", settings=quiet)


def get_collection(client, create: bool = False, name: str = COLLECTION):
    if create:
        # The embedding function is always ours; "default" would make Chroma fetch a model.
        return client.create_collection(name, metadata={"hnsw:space": "cosine"}, embedding_function=None)
    return client.get_collection(name, embedding_function=None)


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
    try:
        client = chroma_client(url=settings.chroma_url)
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
