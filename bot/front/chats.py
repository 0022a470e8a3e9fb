"""Conversations kept in the user's own browser (Gradio's BrowserState: localStorage, encrypted
with the server's key): the current one comes back on reload, earlier ones are listed to
reopen, and the server keeps none of them.

A saved value is {"current": id, "chats": [{"id", "title", "messages", "cites"}, ...]}, the
most recent chat first; `cites` holds each answer's citations, in the order of the answers.
"""

import html
import json
import logging
import os
import secrets
import uuid
from pathlib import Path

import gradio as gr

from bot.front.sources import NO_SOURCES, sources_markdown
from bot.text import message_text

logger = logging.getLogger(__name__)
MAX_CHATS = 50
TITLE_CHARS = 60
# The saved value travels with every save, beside the chat itself, under the app's 256 kB cap
# on a request: the oldest chats give way past this, and a long chat keeps only the quotes
# (not whole passages) of its earlier answers' sources.
MAX_SAVED_CHARS = 90_000
WHOLE_SOURCES = 5  # the last answers whose cited passages are kept whole


def empty() -> dict:
    return {"current": "", "chats": []}


def new_id() -> str:
    return uuid.uuid4().hex[:12]


def chats_of(saved) -> list[dict]:
    """The saved chats that have the expected shape (a value from the browser may not)."""
    chats = saved.get("chats") if isinstance(saved, dict) else None
    return [c for c in chats or [] if isinstance(c, dict) and isinstance(c.get("id"), str)
            and isinstance(c.get("messages"), list) and isinstance(c.get("cites"), list)]


def title_of(messages: list[dict]) -> str:
    """A chat's name: its first question, shortened."""
    first = next((message_text(m.get("content")) for m in messages if m.get("role") == "user"), "")
    first = " ".join(html.unescape(first).split())
    return first if len(first) <= TITLE_CHARS else first[: TITLE_CHARS - 1].rstrip() + "…"


def store(saved, chat_id: str, messages: list[dict], cites: list) -> dict:
    """`saved` with this chat put first (or dropped, if it has no messages) and made current."""
    chats = [c for c in chats_of(saved) if c["id"] != chat_id]
    kept = [{"role": m["role"], "content": message_text(m.get("content"))} for m in messages
            if isinstance(m, dict) and m.get("role") in ("user", "assistant")]
    if kept:
        answers = sum(m["role"] == "assistant" for m in kept)
        chat = {"id": chat_id, "title": title_of(kept), "messages": kept, "cites": list(cites)[:answers]}
        chats.insert(0, chat if size(chat) <= MAX_SAVED_CHARS else slim(chat))
    return {"current": chat_id, "chats": bounded(chats[:MAX_CHATS])}


def size(value) -> int:
    return len(json.dumps(value))


def slim(chat: dict) -> dict:
    """The chat with the cited passages of all but its last answers cut to their quotes."""
    old = len(chat["cites"]) - WHOLE_SOURCES
    cites = [[{**c, "text": c.get("quote", "")} for c in cs] if i < old else cs for i, cs in enumerate(chat["cites"])]
    return {**chat, "cites": cites}


def bounded(chats: list[dict]) -> list[dict]:
    """The most recent chats that fit in MAX_SAVED_CHARS (the current one always)."""
    kept, total = [], 0
    for chat in chats:
        total += size(chat)
        if kept and total > MAX_SAVED_CHARS:
            break
        kept.append(chat)
    return kept


def find(saved, chat_id: str | None) -> dict | None:
    return next((c for c in chats_of(saved) if c["id"] == chat_id), None)


def current(saved) -> dict | None:
    return find(saved, saved.get("current") if isinstance(saved, dict) else None)


def choices(saved) -> list[tuple[str, str]]:
    """(title, id) of every saved chat, for the list of past chats."""
    return [(c.get("title") or "(untitled)", c["id"]) for c in chats_of(saved)]


def secret_for(folder: Path) -> str:
    """The key the browser's copy is encrypted with, kept in `folder` so that saved chats
    still open after the app restarts (Gradio's default is a new key at every start)."""
    path = Path(folder) / "browser-state.key"
    try:
        if key := (path.read_text().strip() if path.is_file() else ""):
            return key
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(24)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(key)
        return key
    except OSError as exc:  # a read-only folder: chats still work, until the app restarts
        logger.warning("cannot keep the browser key in %s (%s): saved chats will not survive a restart", path, exc)
        return secrets.token_urlsafe(24)


# --- the app's events ---

def keep_chat(history: list[dict], cites: list, saved, chat_id: str):
    """Save the chat in the browser after each change, and list it among the past chats."""
    saved = store(saved, chat_id, history or [], cites or [])
    return saved, gr.update(choices=choices(saved), value=chat_id if find(saved, chat_id) else None)


def restore_chat(saved):
    """On (re)load: the chat the user was in, and the list of their past chats."""
    chat = current(saved)
    listed = gr.update(choices=choices(saved), value=chat["id"] if chat else None)
    if chat is None:
        return [], [], listed, new_id(), NO_SOURCES
    last = chat["cites"][-1] if chat["cites"] else []
    return chat["messages"], chat["cites"], listed, chat["id"], sources_markdown(last) if last else NO_SOURCES


def new_chat(saved):
    return [], [], NO_SOURCES, new_id(), gr.update(choices=choices(saved), value=None), ""


def open_chat(chat_id: str, saved):
    chat = find(saved, chat_id)
    if chat is None:
        return gr.update(), gr.update(), gr.update(), gr.update()
    return chat["messages"], chat["cites"], NO_SOURCES, chat_id
