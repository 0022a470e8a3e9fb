"""Markdown guides, parsed as Markdown (markdown-it-py): headings make the outline; paragraphs,
list items and table rows become the lines of their section, markup removed.

A paragraph that is bold and nothing else ("**Why make the move**") heads a section one level
below the heading above it, as a heading would; one that ends in "?" or ":", or whose first
line is bold with its text after it ("**Do I need a degree?**" then the answer), or that
opens with a bold title closed by a full stop or question mark and runs on ("**Phase 2 — SQL
(weeks 5–9).** Write joins..."), heads a subsection of the section it is in; so does a list
item that opens with a bold label and holds a list ("- **Days 1–18 — Excel:** ..." over its
tasks), and then every item of that list opening with one, and so does the <summary> of an
HTML <details> block. A table's rows become subsections headed by their first cell, each
row's other cells as "Header: value" lines, so one row can be quoted or all of them listed.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from bot.ingest import timeline
from bot.ingest.outline import Guide, Section, introduction, table_row
from bot.ingest.plaintext import default_title

TASK_BOX = ("[ ] ", "[x] ", "[X] ")
BOLD_LEVEL = 10  # heading levels of bold-headed sections sort after their real heading's, below the next
PART_ENDS = ("?", ":")  # a bold line ending so asks a question or opens a part: not a section of its own
RUN_IN_ENDS = (".", "?")  # a bold title so closed, its text running on after it on the same line
FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n---[ \t]*\n", re.S)  # YAML front matter ("title: ...")
FRONT_TITLE = re.compile(r"^title:[ \t]*(.+)$", re.M)
DEFINITION = re.compile(r"\A(?P<term>[^\n]+)\n:[ \t]+(?P<text>.+)\Z", re.S)  # a Pandoc definition list's item
SUMMARY = re.compile(r"<summary>(?P<text>.*?)</summary>", re.I | re.S)  # GitHub's folded "<details>" FAQ


def inline_text(token: Token) -> str:
    """An inline token's text without markup: emphasis and links dropped, code kept, breaks as spaces."""
    return plain(token.children or [])


def plain(children: list[Token]) -> str:
    """The text of inline tokens, as inline_text gives it."""
    out = []
    for child in children:
        if child.type in ("text", "code_inline", "html_inline"):
            out.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            out.append(" ")
        elif child.type == "image":
            out.append(child.content)
    text = " ".join("".join(out).split())
    for box in TASK_BOX:
        text = text.removeprefix(box)
    return text


def only_bold(token: Token) -> bool:
    """Whether an inline token is one bold span and nothing else."""
    kids = [c for c in token.children or [] if not (c.type == "text" and not c.content.strip())]
    return len(kids) >= 3 and kids[0].type == "strong_open" and kids[-1].type == "strong_close" and not any(
        c.type == "strong_open" for c in kids[1:-1])


def bold_lead(token: Token) -> tuple[int, int] | None:
    """Where a paragraph opens with a bold title of its own: on a line of its own ("**Do I need
    a degree?**" then the answer on the next line), or run in and closed by a full stop or
    question mark ("**Phase 1 — Basics (weeks 1–4).** Install..."), or by a colon after its
    time ("**Weeks 1–3 · Ground School:** Work..."; "**Milestone:** ..." is a label, not a
    title). (where the title ends, where the text starts), else None."""
    kids = [(n, c) for n, c in enumerate(token.children or []) if not (c.type == "text" and not c.content)]
    close = next((k for k, (_, c) in enumerate(kids) if c.type == "strong_close"), None)
    if not kids or kids[0][1].type != "strong_open" or close is None or close + 1 >= len(kids):
        return None
    n, after = kids[close + 1]
    if after.type in ("softbreak", "hardbreak"):
        return n, n + 1
    title = plain([c for _, c in kids[:close]]).rstrip()
    timed = title.endswith(":") and timeline.timing(title) is not None  # "**Weeks 1–3 · Ground School:** Work..."
    return (n, n) if (title.endswith(RUN_IN_ENDS) or timed) and after.type == "text" else None


def bold_label(token: Token) -> int | None:
    """Where a list item's text opens with one bold span ("**Days 1–18 — Excel:** Build..."):
    the position after it."""
    kids = [(n, c) for n, c in enumerate(token.children or []) if not (c.type == "text" and not c.content)]
    close = next((n for n, c in kids if c.type == "strong_close"), None)
    return close + 1 if kids and kids[0][1].type == "strong_open" and close is not None else None


def ends_label(token: Token, cut: int) -> bool:
    """Whether a list item's bold opening is a label ("**Weeks 1-3: Tools.** Start", "**SQL** —
    joins"), not a bold word of its sentence ("**Excel** is the tool you'll use most")."""
    bold, rest = plain(token.children[:cut]).strip(), plain(token.children[cut:]).strip()
    return bold.endswith((".", ":", "?")) or not rest or rest[0] in "—–-:·|"


def holds_parts(tokens: list[Token], start: int) -> bool:
    """Whether one item of the list opening at tokens[start] opens with a bold label and holds a
    list: then each of its items so labelled heads a part, holding a list or not."""
    level = tokens[start].level
    for i in range(start + 1, len(tokens) - 2):
        tok = tokens[i]
        if tok.level == level and tok.type.endswith("list_close"):
            return False
        if (tok.type == "inline" and tok.level == level + 3 and bold_label(tok) is not None
                and tokens[i + 2].type.endswith("list_open")):
            return True
    return False


def markdown_blocks(text: str) -> list[tuple[str, int, str]]:
    """The document as (kind, level, text) in reading order: kind is "heading" (level 1-6),
    "bold" (a bold-only paragraph that is a section's title), "part" (the title of a
    subsection: a bold line ending in "?" or ":", a bold lead, a bold-led list item holding a
    list, a table row's first cell, each followed by its "line"s), "line" (a paragraph, list
    item or code line) or "end" (of a table or of a list holding parts)."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    out: list[tuple[str, int, str]] = []
    lists = 0
    parted = False  # a list whose items head parts is open
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.type == "heading_open":
            out.append(("heading", int(tok.tag[1]), inline_text(tokens[i + 1])))
            i += 3
            continue
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            lists += 1
            parted = parted or (lists == 1 and holds_parts(tokens, i))
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            lists -= 1
            if parted and not lists:
                out.append(("end", 0, ""))
                parted = False
        elif tok.type == "table_open":
            i = _table(tokens, i, out)
            continue
        elif tok.type == "inline" and tokens[i - 1].type == "paragraph_open":
            line = inline_text(tok)
            if not lists and (term := DEFINITION.match(tok.content)):  # "Question?" over ": Answer"
                out += [("part", 0, " ".join(term["term"].split())), ("line", 0, " ".join(term["text"].split()))]
            elif not lists and (lead := bold_lead(tok)):
                title = plain(tok.children[: lead[0]]).strip()
                out += [("part", 0, title.removesuffix(".")), ("line", 0, plain(tok.children[lead[1]:]).strip())]
            elif lists == 1 and parted and (cut := bold_label(tok)) and (
                    tokens[i + 2].type.endswith("list_open") or ends_label(tok, cut)):
                rest = plain(tok.children[cut:]).strip().lstrip("—–-:·|").strip()  # "**Month 4** — Record..."
                title = plain(tok.children[:cut]).strip().removesuffix(".")  # "**Weeks 1-3: Tools.** Start..."
                out += [("part", 0, title), *([("line", 0, rest)] if rest else [])]
            elif line and only_bold(tok) and not lists:
                out.append(("part" if line.endswith(PART_ENDS) else "bold", 0, line))
            elif line:
                out.append(("line", 0, f"- {line}" if lists else line))
        elif tok.type == "html_block" and (summary := SUMMARY.search(tok.content)):
            out.append(("part", 0, " ".join(summary["text"].split())))  # a folded block's title, as a bold question
        elif tok.type in ("fence", "code_block"):
            out.extend(("line", 0, line) for line in tok.content.splitlines() if line.strip())
        i += 1
    return out


def _table(tokens: list[Token], i: int, out: list[tuple[str, int, str]]) -> int:
    """Append a table's body rows and return the index after the table."""
    header: list[str] = []
    row: list[str] = []
    while tokens[i].type != "table_close":
        tok = tokens[i]
        if tok.type == "inline":
            row.append(inline_text(tok))
        elif tok.type == "tr_close":
            if not header:
                header = row
                out.append(("line", 0, " | ".join(cell for cell in header if cell)))
            elif any(row):
                section = table_row(header, row)
                out.append(("part", 0, section.title))
                out.extend(("line", 0, line) for line in section.body)
            row = []
        i += 1
    out.append(("end", 0, ""))
    return i + 1


def parse_markdown(source: str, text: str) -> Guide:
    """The outline of a Markdown guide: its title (a single top-level heading that opens it)
    and its sections; text before the first heading is an "Introduction"."""
    title = default_title(source)
    if front := FRONT_MATTER.match(text):  # a static site's page: its title is in the front matter
        text = text[front.end():]
        title = named.group(1).strip().strip("\"'") if (named := FRONT_TITLE.search(front.group(0))) else title
    blocks = markdown_blocks(text)
    headings = [b for b in blocks if b[0] == "heading"]
    if headings and blocks[0][0] == "heading" and sum(b[1] == headings[0][1] for b in headings) == 1 and (
            headings[0][1] == min(b[1] for b in headings)):
        title, blocks = blocks[0][2], blocks[1:]
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []  # the open headings, outermost first
    sub: Section | None = None  # an open part or table row
    for kind, level, line in blocks:
        if kind in ("heading", "bold", "part") and not line.strip():
            continue  # an empty heading: its text stays with the section before
        if kind == "bold":  # a section under the last real heading, after the sections bold heads
            level = next((lv for lv, _ in reversed(stack) if lv < BOLD_LEVEL), 0) + BOLD_LEVEL
        if kind in ("heading", "bold"):
            while stack and stack[-1][0] >= level:
                stack.pop()
            section = Section(title=line)
            (stack[-1][1].children if stack else sections).append(section)
            stack.append((level, section))
            sub = None
            continue
        if not stack:  # text before the first heading
            stack.append((2 * BOLD_LEVEL, introduction()))
            sections.append(stack[-1][1])
        if kind == "part":
            sub = Section(title=line.rstrip(":").strip())
            stack[-1][1].children.append(sub)
        elif kind == "end":
            sub = None
        else:
            (sub or stack[-1][1]).body.append(line)
    return Guide(source=source, title=title, sections=sections)
