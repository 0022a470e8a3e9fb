"""The one composition root: Settings in, a ready Bot out. The CLI, the app, the benchmarks
and the tests all get their bot here, so the parts can never be wired two ways."""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Callable
from pathlib import Path

from langchain_core.embeddings import Embeddings
from langchain_core.language_models import BaseChatModel

from bot.answer.extractive import ExtractiveAnswerer
from bot.answer.intents import IntentClassifier, load_exemplars
from bot.answer.planner import Planner
from bot.answer.roadmap import Roadmap
from bot.chain import Bot, Served, build_chain
from bot.classify import Reader
from bot.concerns import concern_reader
from bot.config import Settings
from bot.index.embeddings import make_embedder
from bot.index.generations import generations
from bot.index.store import Index, open_index
from bot.judging import HeadingJudge
from bot.judging import load_exemplars as load_heading_exemplars
from bot.retrieval import HybridRetriever
from bot.schema import Answerer

OFFLINE_ENVIRONMENT = {
    "ANONYMIZED_TELEMETRY": "False",  # Chroma
    "HF_HUB_OFFLINE": "1",  # Hugging Face: never ask the hub
    "TRANSFORMERS_OFFLINE": "1",
    "HF_HUB_DISABLE_TELEMETRY": "1",
    "TOKENIZERS_PARALLELISM": "false",  # no fork warning from tokenizers
    "GRADIO_ANALYTICS_ENABLED": "False",
    "ORT_DISABLE_TELEMETRY": "1",  # ONNX Runtime: no telemetry, no device id kept (or warned about) in ~/.cache
}


def quiet_libraries() -> None:
    """No telemetry, no hub lookups, no library chatter on stdout (called by each main())."""
    for name, value in OFFLINE_ENVIRONMENT.items():
        os.environ.setdefault(name, value)
    logging.getLogger("chromadb").setLevel(logging.ERROR)
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
        hf_logging.set_verbosity_error()
    except ImportError:
        pass


def make_answerer(settings: Settings, embedder: Embeddings, idf: dict[str, float],
                  llm: BaseChatModel | None = None) -> tuple[Answerer, Callable[[str, list[dict]], str | None] | None]:
    """The configured answerer and, for an LLM, its condensing function (llm: a model to use
    instead of the configured one, e.g. a test's fake). The offline default imports no LLM code."""
    offline = ExtractiveAnswerer(idf=idf, max_units=settings.max_answer_units, embedder=embedder)
    if llm is None and settings.answerer == "offline":
        return offline, None
    from bot.answer.llm import LLMAnswerer, make_llm

    llm = llm or make_llm(settings)
    name = f"{settings.llm_model or type(llm).__name__} ({settings.answerer})"
    answerer = LLMAnswerer(llm, offline, embedder, name=name, timeout=settings.llm_timeout)
    return answerer, answerer.condense


def make_classifier(settings: Settings, embedder: Embeddings) -> IntentClassifier:
    """The intent classifier, fitted on the packaged exemplars (their embeddings cached beside
    the exported model, so a restart does not embed them again)."""
    return IntentClassifier(embedder, load_exemplars(), cache=Path(settings.index_dir) / "models")


def wire(settings: Settings, index: Index, embedder: Embeddings, llm: BaseChatModel | None = None,
         intents: IntentClassifier | None = None, judge: HeadingJudge | None = None,
         concerns: Reader | None = None) -> Served:
    """Retriever, roadmap, answerer and planner over one opened index, joined into a chain."""
    retriever = HybridRetriever(collection=index.collection, vocabulary=index.vocabulary, judge=judge,
                                embedder=embedder, documents=index.documents, k=settings.k)
    roadmap = Roadmap.from_documents(index.documents)
    answerer, condense = make_answerer(settings, embedder, retriever.known_idf(), llm)
    planner = Planner(retriever=retriever, roadmap=roadmap, settings=settings, condense=condense, intents=intents,
                      concerns=concerns)
    return Served(index=index, chain=build_chain(planner, answerer), answerer=answerer, roadmap=roadmap)


def build_bot(settings: Settings, embedder: Embeddings | None = None, llm: BaseChatModel | None = None) -> Bot:
    """Load the model and open the index (which must exist) and wire the chain."""
    embedder = embedder or make_embedder(settings)
    dimension = len(embedder.embed_query("dimension check"))
    gens = generations(settings)
    intents = make_classifier(settings, embedder)
    models = Path(settings.index_dir) / "models"
    judge = HeadingJudge(embedder, load_heading_exemplars(), cache=models)
    concerns = concern_reader(embedder, cache=models)

    def open_served() -> Served:
        return wire(settings, open_index(settings, dimension=dimension, gens=gens), embedder, llm, intents, judge,
                    concerns)

    return Bot(settings, gens, open_served)


def to_stderr(message: str) -> None:
    sys.stderr.write(message + "\n")


def ready_bot(settings: Settings, progress: bool = True, notify: Callable[[str], None] = to_stderr) -> Bot:
    """The bot, building the index first if there is none yet (notify: where to say so)."""
    from bot.ingest.indexing import build_index

    embedder = make_embedder(settings)
    gens = generations(settings)
    if gens.current() is None:
        notify(f"No index in {gens.where} yet: building it from {settings.corpus_dir}.")
        notify(str(build_index(settings, embedder, progress=progress)))
    return build_bot(settings, embedder)
