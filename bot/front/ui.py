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
from bot.front.feedback import FeedbackLog
from bot.front.guard import CACHE_SWEEP
from bot.text import message_text, units

logger = logging.getLogger(__name__)
NO_SOURCES = "_The passages the last answer cites appear here._"
ROLES = ("user", "assistant", "system")
MAX_RATED_CHARS = 20_000  # longer than any answer the bot gives


def escape_markdown_html(text: str) -> str:
    """Show text as text: angle brackets never reach the page as HTML."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def sources_markdown(citations: list[dict]) -> str:
    """The cited passages, numbered as in the answer, the quoted lines in bold."""
    if not citations:
        return "_No sources: the answer does not quote the guide._"
    out = []
    for c in citations:
        quoted = [q for q in c["quote"].split("\n") if q]
        lines = []
        for line in c["text"].split("\n"):
            text = escape_markdown_html(line)
            lines.append(f"**{text}**" if any(q in line for q in quoted) else text)
        out.append(f"**[{c['n']}] {html.escape(c['section'])}**  \n_{html.escape(c['source'])}_\n\n"
                   + "\n".join(f"> {line}  " for line in lines))
    return "\n\n".join(out)


def roadmap_svg(roadmap: Roadmap) -> str:
    """The phases as a horizontal timeline: one bar per phase, placed by its weeks."""
    total = roadmap.total_weeks or 1
    width, left, row = 720, 230, 34
    height = row * len(roadmap.phases) + 40
    scale = (width - left - 20) / total
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="Roadmap timeline" style="width:100%;max-width:{width}px">']
    for i, p in enumerate(roadmap.phases):
        y = 10 + i * row
        x = left + p.start_week * scale
        parts.append(
            f'<text x="{left - 8}" y="{y + 18}" text-anchor="end" font-size="13">{html.escape(p.name)}</text>'
            f'<rect x="{x:.1f}" y="{y}" width="{p.weeks * scale:.1f}" height="24" rx="4" fill="#4f7fd9"/>'
            f'<text x="{x + 6:.1f}" y="{y + 17}" font-size="12" fill="white">'
            f'{p.duration} · {p.span}</text>')
    axis_y = 10 + len(roadmap.phases) * row + 14
    for week in range(0, int(total) + 1, max(1, int(total) // 10)):
        parts.append(f'<text x="{left + week * scale:.1f}" y="{axis_y}" font-size="11" '
                     f'text-anchor="middle">{week}</text>')
    parts.append("</svg>")
    return "".join(parts)


def week_markdown(roadmap: Roadmap, week: float) -> str:
    """The phase that week N falls in, with its tasks and the passage they come from."""
    p = roadmap.phase_at(week)
    if p is None:
        return f"Week {week:g} is after the roadmap's {roadmap.total_weeks:g} weeks."
    n = roadmap.phases.index(p) + 1
    tasks = "\n".join(f"- {escape_markdown_html(u)}" for u in units(p.doc.page_content))
    return (f"**Week {week:g}** is in phase {n} of {len(roadmap.phases)}: "
            f"**{html.escape(p.name)}** ({p.duration}, {p.span}) [1]\n\n{tasks}\n\n"
            f"[1] {html.escape(p.section)} _({html.escape(p.source)})_")


class AnswerMemory:
    """The answers this server gave, per session, with their question and citations: feedback
    is recorded only for an answer found here, so a client cannot record words of its own."""

    def __init__(self, size: int = 1000) -> None:
        self.size = size
        self.items: OrderedDict[tuple[str, str], tuple[str, list[dict]]] = OrderedDict()

    def remember(self, session: str, answer: str, question: str, citations: list[dict]) -> None:
        self.items[(session, answer)] = (question, citations)
        self.items.move_to_end((session, answer))
        while len(self.items) > self.size:
            self.items.popitem(last=False)

    def recall(self, session: str, answer: str) -> tuple[str, list[dict]] | None:
        return self.items.get((session, answer))


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
            return gr.update(), history
        try:
            check_question(text, self.max_chars)
        except QuestionError as exc:
            return "", [*history, {"role": "assistant", "content": str(exc)}]
        return "", [*history, {"role": "user", "content": escape_markdown_html(text)}]

    def respond(self, history: list[dict], request: gr.Request | None = None):
        """Stream the answer to the last user message into the chat and the sources panel."""
        plain = plain_history(history)
        if not plain or plain[-1]["role"] != "user":
            yield history, NO_SOURCES
            return
        answer, citations = "", []
        for answer, citations, _ in self.answer_pieces(plain[-1]["content"], plain[:-1]):
            shown = [*history, {"role": "assistant", "content": escape_markdown_html(answer)}]
            yield shown, sources_markdown(citations) if citations else NO_SOURCES
        self.memory.remember(session_of(request), escape_markdown_html(answer), plain[-1]["content"], citations)

    def retry(self, history: list[dict], request: gr.Request | None = None):
        earlier, question = drop_last_turn(history)
        yield from self.respond([*earlier, {"role": "user", "content": escape_markdown_html(question)}], request)

    def undo(self, history: list[dict]):
        earlier, question = drop_last_turn(history)
        return earlier, question, NO_SOURCES

    def pick_example(self, history: list[dict], data: gr.SelectData):
        text = data.value["text"] if isinstance(data.value, dict) else str(data.value)
        return [*history, {"role": "user", "content": escape_markdown_html(text)}]

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
            return "Only answers given in this conversation can be rated."
        question, citations = given
        self.feedback.record(question, html.unescape(text), citations, "up" if data.liked else "down")
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

    def status(self) -> str:
        self.bot.refresh()  # a page opened after an ingest shows the new index's counts
        return f"Answerer: **{self.bot.answerer.name}** · Index: {self.bot.describe()}"


def build_app(bot: Bot, max_chars: int, feedback: FeedbackLog | None = None,
              concurrency: int = 2, queue_size: int = 64):
    """The app. At most `concurrency` answers are computed at once and `queue_size` wait;
    past that a user is told at once that the app is busy."""
    on = ChatHandlers(bot, feedback, max_chars)
    with gr.Blocks(title="Career guide chat", delete_cache=CACHE_SWEEP) as demo:
        gr.Markdown(f"## {html.escape(bot.title)}")
        status_line = gr.Markdown(on.status(), elem_id="status")
        with gr.Tab("Chat"):
            with gr.Row():
                with gr.Column(scale=3):
                    chatbot = gr.Chatbot(
                        label="Conversation", height=520, elem_id="chatbot",
                        examples=[{"text": q} for q in bot.example_questions()],
                        placeholder="Ask about the guide, or pick an example.",
                    )
                    box = gr.Textbox(placeholder="Ask about the guide…", max_length=max_chars,
                                     show_label=False, submit_btn=True, elem_id="question")
                    thanks = gr.Markdown(elem_id="feedback-status")
                with gr.Column(scale=2):
                    gr.Markdown("### Sources")
                    sources = gr.Markdown(NO_SOURCES, elem_id="sources")
        box.submit(on.add_question, [box, chatbot], [box, chatbot], queue=False, api_name=False).then(
            on.respond, chatbot, [chatbot, sources], api_name=False)
        chatbot.example_select(on.pick_example, chatbot, chatbot, queue=False, api_name=False).then(
            on.respond, chatbot, [chatbot, sources], api_name=False)
        chatbot.retry(on.retry, chatbot, [chatbot, sources], api_name=False)
        chatbot.undo(on.undo, chatbot, [chatbot, box, sources], api_name=False)
        chatbot.clear(lambda: NO_SOURCES, None, sources, api_name=False)
        chatbot.like(on.vote, chatbot, thanks, api_name=False)
        if bot.roadmap and bot.roadmap.phases:
            roadmap_tab(bot.roadmap)
        demo.load(on.status, outputs=status_line, api_name=False)
        gr.api(on.chat, api_name="chat")
        gr.api(on.ask, api_name="ask")
    demo.queue(default_concurrency_limit=concurrency, max_size=queue_size)
    return demo


def roadmap_tab(roadmap: Roadmap) -> None:
    """The Roadmap tab: the timeline, and a week picker that names the week's phase and tasks."""
    with gr.Tab("Roadmap"):
        gr.Markdown(f"**{html.escape(roadmap.section)}**: {len(roadmap.phases)} phases, "
                    f"{roadmap.total_weeks:g} weeks in all.")
        gr.HTML(roadmap_svg(roadmap), elem_id="timeline")
        week = gr.Slider(1, roadmap.total_weeks, value=1, step=1, label="Week", elem_id="week")
        detail = gr.Markdown(week_markdown(roadmap, 1), elem_id="week-detail")
        week.change(lambda w: week_markdown(roadmap, w), inputs=week, outputs=detail, api_name="week")
