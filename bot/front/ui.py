"""The Gradio app: streamed, cited answers beside their sources, example questions drawn
from the guide, the roadmap as a timeline, and thumbs up/down feedback."""


import html
import logging
from collections import OrderedDict
from collections.abc import Iterator

import gradio as gr

from bot.answer.roadmap import Roadmap
from bot.chain import Bot, check_question
from bot.errors import QuestionError
from bot.front import chats
from bot.front.chats import keep_chat, new_chat, open_chat, restore_chat
from bot.front.feedback import FeedbackLog
from bot.front.guard import CACHE_SWEEP
from bot.front.roadmap_view import roadmap_tab
from bot.front.sources import NO_SOURCES, escape_markdown_html, sources_markdown
from bot.text import message_text

logger = logging.getLogger(__name__)
ROLES = ("user", "assistant", "system")
MAX_RATED_CHARS = 20_000  # longer than any answer the bot gives


class AnswerMemory:
    """The answers this server gave, per session, with their question, citations and the vote
    given: feedback is recorded only for an answer found here, so a client cannot record words
    of its own, and the chat shows each answer's vote again when it is redrawn."""

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, str], tuple[str, list[dict]]] = OrderedDict()
        self.votes: dict[tuple[str, str], str] = {}

    def remember(self, session: str, answer: str, question: str, citations: list[dict]) -> None:
        self.items[(session, answer)] = (question, citations)
        self.items.move_to_end((session, answer))
        while len(self.items) > self.size:
            self.votes.pop(self.items.popitem(last=False)[0], None)

    def recall(self, session: str, answer: str) -> tuple[str, list[dict]] | None:
        return self.items.get((session, answer))

    def vote(self, session: str, answer: str, vote: str) -> None:
        self.votes[(session, answer)] = vote

    def feedback_value(self, session: str, history: list[dict]) -> list[str | None]:
        """The vote shown on each assistant message of a chat ("Like", "Dislike" or None)."""
        return [self.votes.get((session, message_text(m.get("content"))))
                for m in history if m.get("role") == "assistant"]


def session_of(request: gr.Request | None) -> str:
    return getattr(request, "session_hash", None) or ""


def plain_history(history: list[dict] | None) -> list[dict]:
    """The chat as the bot reads it: role and plain text (the display escapes HTML). Anything
    but a list of {role, content} messages is a QuestionError saying what is expected."""
    if history is None:
        return []
    if not isinstance(history, list) or not all(
            isinstance(m, dict) and m.get("role") in ROLES for m in history):
        raise QuestionError('The history must be a list of messages like {"role": "user", "content": "..."}.')
    return [{"role": m["role"], "content": html.unescape(message_text(m.get("content")))} for m in history]


def drop_last_turn(history: list[dict]) -> tuple[list[dict], str]:
    """History without its last user message and the answers after it, and that message."""
    i = len(history) - 1
    while i >= 0 and history[i].get("role") == "assistant":
        i -= 1
    if i < 0:
        return history, ""
    return history[:i], html.unescape(message_text(history[i].get("content")))


class ChatHandlers:
    """What the app's events and API endpoints do; problems become messages, never tracebacks."""

    def __init__(self, bot: Bot, feedback: FeedbackLog | None, max_chars: int = 1000) -> None:
        self.bot = bot
        self.feedback = feedback
        self.max_chars = max_chars
        self.memory = AnswerMemory()

    def answer_pieces(self, question: str, history: list[dict]) -> Iterator[tuple[str, list[dict], bool]]:
        """(answer so far, its citations, whether the guide does not cover it) as it streams."""
        answer, citations, refused = "", [], False
        try:
            for chunk in self.bot.stream(question, history):
                answer = chunk.get("final", answer + chunk.get("answer", ""))
                citations = chunk.get("citations", citations)
                refused = chunk.get("refused", refused)
                yield answer, citations, refused
        except QuestionError as exc:
            yield str(exc), [], False
        except Exception:
            logger.exception("answering failed")
            yield "Sorry, something went wrong while answering. The details are in the server log.", [], False

    def add_question(self, message: str, history: list[dict]):
        """Put the question into the chat, unless it is empty or over the limit: checked here,
        where input enters, so an oversized question never reaches the history."""
        text = (message or "").strip()
        if not text:
            return gr.update(), history, gr.update()
        try:
            check_question(text, self.max_chars)
        except QuestionError as exc:
            return "", [*history, {"role": "assistant", "content": str(exc)}], ""
        return "", [*history, {"role": "user", "content": escape_markdown_html(text)}], ""

    def respond(self, history: list[dict], cites: list | None = None, request: gr.Request | None = None):
        """Stream the answer to the last user message into the chat and the sources panel, and
        keep its citations beside those of the chat's earlier answers."""
        plain = plain_history(history)
        earlier = list(cites or [])[: sum(m["role"] == "assistant" for m in plain)]
        if not plain or plain[-1]["role"] != "user":
            yield history, NO_SOURCES, earlier
            return
        answer, citations, votes = "", [], self.memory.feedback_value(session_of(request), history)
        for answer, citations, _ in self.answer_pieces(plain[-1]["content"], plain[:-1]):
            shown = [*history, {"role": "assistant", "content": escape_markdown_html(answer)}]
            panel = sources_markdown(citations) if citations else NO_SOURCES
            yield gr.update(value=shown, feedback_value=[*votes, None]), panel, [*earlier, citations]
        self.memory.remember(session_of(request), escape_markdown_html(answer), plain[-1]["content"], citations)

    def retry(self, history: list[dict], cites: list | None = None, request: gr.Request | None = None):
        earlier, question = drop_last_turn(history)
        yield from self.respond([*earlier, {"role": "user", "content": escape_markdown_html(question)}], cites, request)

    def show_sources(self, history: list[dict], cites: list | None, data: gr.SelectData) -> str:
        """The sources of the answer clicked on: the panel follows the answer being read."""
        index = data.index[0] if isinstance(data.index, list | tuple) and data.index else data.index
        if not isinstance(index, int) or not 0 <= index < len(history or []):
            return gr.update()
        answers = sum(isinstance(m, dict) and m.get("role") == "assistant" for m in history[: index + 1])
        if history[index].get("role") != "assistant" or not 0 < answers <= len(cites or []):
            return gr.update()
        return sources_markdown(cites[answers - 1], answers) if cites[answers - 1] else NO_SOURCES

    def undo(self, history: list[dict]):
        earlier, question = drop_last_turn(history)
        return earlier, question, NO_SOURCES, ""

    def pick_example(self, history: list[dict], data: gr.SelectData):
        text = data.value["text"] if isinstance(data.value, dict) else str(data.value)
        return [*history, {"role": "user", "content": escape_markdown_html(text)}], ""

    def vote(self, history: list[dict], data: gr.LikeData, request: gr.Request | None = None) -> str:
        """Record a thumbs up or down on an answer this server gave in this session, with the
        question it answered (both as the server keeps them); refuse anything else."""
        if self.feedback is None:
            return ""
        if data.liked not in (True, False):
            return "Feedback is a thumbs up or a thumbs down."
        index = data.index[0] if isinstance(data.index, list | tuple) and data.index else data.index
        message = history[index] if isinstance(history, list) and isinstance(index, int) and (
            0 <= index < len(history)) and isinstance(history[index], dict) else {}
        text = message_text(message.get("content"))
        given = self.memory.recall(session_of(request), text) if len(text) <= MAX_RATED_CHARS else None
        if given is None:
            return ("Only answers given since this page was opened can be rated, and this one is from before. "
                    "Ask the question again to rate its answer.")
        question, citations = given
        self.feedback.record(question, html.unescape(text), citations, "up" if data.liked else "down")
        self.memory.vote(session_of(request), text, "Like" if data.liked else "Dislike")
        return "Thanks, your feedback was saved."

    def chat(self, question: str, history: list[dict] | None = None) -> Iterator[tuple[str, str]]:
        """Stream the answer to a question, given the conversation so far as role/content
        messages: yields (answer so far, sources as Markdown)."""
        try:
            plain = plain_history(history)
        except QuestionError as exc:
            yield str(exc), NO_SOURCES
            return
        for answer, citations, _ in self.answer_pieces(question, plain):
            yield answer, sources_markdown(citations) if citations else NO_SOURCES

    def ask(self, question: str, history: list[dict] | None = None) -> dict:
        """Answer a question, given the conversation so far as role/content messages.
        Returns the answer, its citations and whether the guide does not cover it."""
        try:
            plain = plain_history(history)
        except QuestionError as exc:
            return {"answer": str(exc), "citations": [], "refused": False}
        answer, citations, refused = list(self.answer_pieces(question, plain))[-1]
        return {"answer": answer, "citations": citations, "refused": refused}

    def page(self, saved):
        """A page (re)loaded: the served guide's title, status and example questions (an ingest
        may have changed them since the app started), and the user's current chat."""
        status = self.status()
        messages, cites, listed, chat_id, panel = restore_chat(saved)
        examples = [{"text": q} for q in self.bot.example_questions()]
        return (f"## {html.escape(self.bot.title)}", status, gr.update(value=messages, examples=examples),
                cites, listed, chat_id, panel)

    def served_roadmap(self) -> Roadmap | None:
        self.bot.refresh()  # this page's events may run before the one that refreshes the status
        return self.bot.roadmap

    def status(self) -> str:
        self.bot.refresh()  # a page opened after an ingest shows the new index's counts
        return f"Answerer: **{self.bot.answerer.name}** · Index: {self.bot.describe()}"


def build_app(bot: Bot, max_chars: int, feedback: FeedbackLog | None = None,
              concurrency: int = 2, queue_size: int = 64, secret: str | None = None):
    """The app. At most `concurrency` answers are computed at once and `queue_size` wait;
    past that a user is told at once that the app is busy. `secret` encrypts the chats kept
    in the browser (a new one at each start if not given)."""
    on = ChatHandlers(bot, feedback, max_chars)
    with gr.Blocks(title="Career guide chat", delete_cache=CACHE_SWEEP) as demo:
        saved = gr.BrowserState(chats.empty(), storage_key="career-guide-chats", secret=secret)
        chat_id, cites = gr.State(chats.new_id), gr.State([])
        title = gr.Markdown(f"## {html.escape(bot.title)}", elem_id="title")
        status_line = gr.Markdown(on.status(), elem_id="status")
        with gr.Tab("Chat"):
            with gr.Row(elem_id="chat-row"):
                with gr.Column(scale=3):
                    with gr.Row(elem_id="chat-bar"):
                        past = gr.Dropdown(choices=[], value=None, label="Past chats", show_label=False,
                                           elem_id="past-chats", scale=4)
                        new = gr.Button("New chat", elem_id="new-chat", scale=1, size="sm")
                    chatbot = gr.Chatbot(
                        show_label=False, height=520, elem_id="chatbot", buttons=["copy"],
                        examples=[{"text": q} for q in bot.example_questions()],
                        placeholder="Ask about the guide, or pick an example.",
                    )
                    # No max_length: the browser would cut a long paste silently; add_question says why not.
                    box = gr.Textbox(placeholder="Ask about the guide…", show_label=False, submit_btn=True,
                                     elem_id="question")
                    thanks = gr.Markdown(elem_id="feedback-status")
                with gr.Column(scale=2, elem_id="sources-column"), gr.Accordion("Sources", elem_id="sources-box"):
                    sources = gr.Markdown(NO_SOURCES, elem_id="sources")
        answer = dict(fn=on.respond, inputs=[chatbot, cites], outputs=[chatbot, sources, cites], api_name=False)
        keep = dict(fn=keep_chat, inputs=[chatbot, cites, saved, chat_id], outputs=[saved, past], api_name=False)
        box.submit(on.add_question, [box, chatbot], [box, chatbot, thanks], queue=False, api_name=False).then(
            **answer).then(**keep)
        chatbot.example_select(on.pick_example, chatbot, [chatbot, thanks], queue=False, api_name=False).then(
            **answer).then(**keep)
        chatbot.retry(on.retry, [chatbot, cites], [chatbot, sources, cites], api_name=False).then(**keep)
        chatbot.undo(on.undo, chatbot, [chatbot, box, sources, thanks], api_name=False).then(**keep)
        chatbot.clear(lambda: (NO_SOURCES, ""), None, [sources, thanks], api_name=False).then(**keep)
        chatbot.like(on.vote, chatbot, thanks, api_name=False)
        chatbot.select(on.show_sources, [chatbot, cites], sources, api_name=False)
        new.click(new_chat, saved, [chatbot, cites, sources, chat_id, past, thanks], api_name=False)
        past.input(open_chat, [past, saved], [chatbot, cites, sources, chat_id], api_name=False)
        if bot.roadmap and bot.roadmap.phases:
            roadmap_tab(on.served_roadmap, demo)
        demo.load(on.page, saved, [title, status_line, chatbot, cites, past, chat_id, sources], api_name=False)
        gr.api(on.chat, api_name="chat")
        gr.api(on.ask, api_name="ask")
    demo.queue(default_concurrency_limit=concurrency, max_size=queue_size)
    return demo
