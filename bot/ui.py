"""The Gradio chat app: streamed, cited answers with the cited passages beside them."""

from __future__ import annotations

import html
import logging
from collections.abc import Iterator

from bot.chain import Bot, message_text
from bot.errors import QuestionError

logger = logging.getLogger(__name__)


def sources_markdown(citations: list[dict]) -> str:
    """The cited passages, numbered as in the answer, the quoted lines in bold."""
    if not citations:
        return "_No sources for this answer._"
    out = []
    for c in citations:
        quoted = set(c["quote"].split("\n"))
        lines = []
        for line in c["text"].split("\n"):
            text = html.escape(line)
            hit = line in quoted or any(q and q in line for q in quoted)
            lines.append(f"**{text}**" if hit else text)
        out.append(f"**[{c['n']}] {html.escape(c['section'])}**  \n_{html.escape(c['source'])}_\n\n"
                   + "\n".join(f"> {line}  " for line in lines))
    return "\n\n".join(out)


def example_questions(bot: Bot, limit: int = 5) -> list[str]:
    """Questions drawn from the indexed guide's own outline, so another guide gets its own."""
    docs = bot.index.documents
    out = []
    if any("weeks" in d.metadata for d in docs):
        out.append("How long does the whole roadmap take?")
        out.append("What is the first step?")
    parents = [d.metadata["heading"] for d in docs if d.metadata.get("children")]
    leaves = [d.metadata["heading"] for d in docs if d.metadata.get("parent") and not d.metadata.get("children")]
    out += [f"What does the guide say about {h}?" for h in parents[:2]]
    out += [f"Tell me about {h}." for h in leaves[-2:]]
    return list(dict.fromkeys(out))[:limit]


def build_app(bot: Bot, max_chars: int):
    import gradio as gr

    def respond(message, history) -> Iterator[tuple[str, str]]:
        question = message_text(message)
        if len(question) > max_chars:
            yield f"That question is {len(question)} characters long; the limit is {max_chars}.", ""
            return
        answer, sources = "", ""
        try:
            for chunk in bot.stream(question, history):
                answer += chunk.get("answer", "")
                if "citations" in chunk:
                    sources = sources_markdown(chunk["citations"])
                yield answer, sources
        except QuestionError as exc:
            yield str(exc), ""
        except Exception:
            logger.exception("answering failed")
            yield "Sorry, something went wrong while answering. The details are in the server log.", ""

    with gr.Blocks(title="Career guide chat") as demo:
        sources = gr.Markdown("_Sources of the last answer appear here._", render=False,
                              elem_id="sources")
        gr.Markdown(f"### Ask the guide\nAnswerer: {bot.answerer.name}. Index: {bot.index.describe()}.")
        with gr.Row():
            with gr.Column(scale=3):
                gr.ChatInterface(
                    respond,
                    textbox=gr.Textbox(placeholder="Ask about the guide…", max_length=max_chars),
                    additional_outputs=[sources],
                    examples=example_questions(bot),
                    api_name="chat",
                )
            with gr.Column(scale=2):
                gr.Markdown("#### Sources")
                sources.render()
    return demo
