"""How the app shows text and sources: escaped so HTML shows as text, and the cited passages
numbered as in the answer."""

import html
import re

NO_SOURCES = "_The passages the last answer cites appear here._"


TAG_START = re.compile(r"<(?=[A-Za-z/!?])")
ENTITY = re.compile(r"&(?=#?\w+;)")


def escape_markdown_html(text: str) -> str:
    """Show text as text: what could start an HTML tag or entity is escaped, nothing else, so
    "Cloud & Production" stays as written (the copy button copies it) but "<img …>" never
    reaches the page as HTML. html.unescape undoes it."""
    return TAG_START.sub("&lt;", ENTITY.sub("&amp;", text))


def sources_markdown(citations: list[dict], answer: int | None = None) -> str:
    """The cited passages, numbered as in the answer: each one's section, its quoted sentences,
    and the whole passage folded under them."""
    if not citations:
        return "_No sources: the answer does not quote the guide._"
    out = [] if answer is None else [f"_Sources of answer {answer}_"]
    for c in citations:
        quoted = [escape_markdown_html(q) for q in c["quote"].split("\n") if q.strip()]
        passage = "\n".join(f"{escape_markdown_html(line)}  " for line in c["text"].split("\n"))
        out.append(f"**[{c['n']}] {html.escape(c['section'], quote=False)}** · _{html.escape(c['source'])}_\n\n"
                   + "\n".join(f"> {q}  " for q in quoted)
                   + f"\n\n<details><summary>Whole passage</summary>\n\n{passage}\n\n</details>")
    return "\n\n".join(out)
