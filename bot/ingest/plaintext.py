"""Plain-text guides: the outline is inferred, since nothing marks a heading.

A heading is a short line without closing punctuation, or in Title Case and closed by a colon
("Why Make The Move:"); in a file whose paragraphs are separated by blank lines, it also stands
alone, or opens its paragraph in Title Case.
Headings underlined with a rule of "-" or "=" (as in Setext; where both are used, the first
one used marks the top level), numbered headings ("2. Skills that transfer", "3) ...",
"Part II: ..."), or else headings in capitals ("SKILLS TO LEARN"), are the top level where a
guide has them (both, where capitals come first), and other headings nest under them.
Elsewhere a heading whose body is a one-line lead-in ("Here's what
you'll need to learn.") opens a group, and the headings that follow with bodies of one shape
(all bullets, or all prose) are its subsections.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.ingest.outline import (
    MIN_FAQ,
    QUESTION_CHARS,
    QUESTION_LINE,
    VALUE_LINE,
    Guide,
    Section,
    introduction,
    table_row,
)
from bot.text import BULLET, DURATION_LINE

LEAD_IN_CHARS = 110  # a lead-in is one short line ("Here's what you'll need to learn.")
LEAD_IN_RATIO = 0.6  # a block this much shorter than its would-be siblings opens the next group
HEADING_CHARS, HEADING_WORDS = 80, 12  # a bare line longer than this is prose, not a heading
TITLE_CHARS = 160  # the first line is the title only if it is a line, not a paragraph
NUMBERED = re.compile(r"^(?:(?:part|chapter|section|module)\s+(?:[ivxlc]+|\d+)\b\s*[:.)—–-]?|\d{1,2}[.)])\s+\S", re.I)
MIN_NUMBERED = 2  # numbered (or capitalised) headings make the top level once a guide has two of them
# A plain-text table's rule under its header row: "------+-------", "|---|:--:|".
TABLE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:[|+]\s*:?-{2,}:?\s*)+\|?$")
CAPS_LETTERS = 6  # a one-word heading in capitals is a heading at this length ("GLOSSARY"), an acronym below ("HACCP")
UNDERLINE = re.compile(r"^(?:={3,}|-{3,})$")  # the rule under a Setext heading


def default_title(source: str) -> str:
    return Path(source).stem.replace("-", " ").replace("_", " ").strip().capitalize()


def looks_like_heading(line: str, questions: bool = True, run_in: bool = False) -> bool:
    """questions: whether a question line too long for a heading may be one, as an FAQ's may
    ("4) What if I get no interviews by ...?"): where the guide has question lines enough for
    an FAQ, not one question closing a paragraph of its own. run_in: whether a line in Title
    Case closed by a full stop may be one, as where it opens a paragraph ("Step 1 (about 5
    weeks) - Statistics and R." over the step's text)."""
    return (
        (len(line) <= HEADING_CHARS and len(line.split()) <= HEADING_WORDS
         or questions and line.endswith("?") and len(line) <= QUESTION_CHARS)
        and (not BULLET.match(line) or bool(NUMBERED.match(line)))
        and not DURATION_LINE.match(line)
        and not QUESTION_LINE.match(line)
        and not VALUE_LINE.search(line)
        and (line[-1] not in ".,;:!" or colon_heading(line) or run_in and line[-1] == "." and title_case(line[:-1]))
        and (line[0].isupper() or line[0].isdigit())
    )


def colon_heading(line: str) -> bool:
    """A heading closed by a colon: "Why Make The Move:", "Introduction:" (Title Case, or one
    capitalised word), not a lead-in sentence ("Tick these off before you start:")."""
    name = line.removesuffix(":")
    return line.endswith(":") and (title_case(name) or (len(name.split()) == 1 and name[:1].isupper()))


def title_case(line: str) -> bool:
    """Whether a line is set in Title Case ("Goal Setting With Patients"), its brackets aside."""
    words = re.sub(r"\(.*?\)", "", line).split()
    long = [w for w in words if len(w) > 3 and w[0].isalpha()]
    return len(words) > 1 and bool(long) and all(w[0].isupper() for w in long)


def underlined(lines: list[str]) -> dict[int, str]:
    """The heading lines underlined by a rule of "=" or "-", with their rule's character; the
    rules blanked."""
    marked = {n - 1: lines[n][0] for n in range(1, len(lines)) if UNDERLINE.match(lines[n]) and lines[n - 1]
              and looks_like_heading(lines[n - 1]) and (n < 2 or not lines[n - 2])}
    for n in marked:
        lines[n + 1] = ""
    return marked


def parse_plain(source: str, text: str) -> Guide:
    lines = [line.strip() for line in text.split("\n")]
    title = default_title(source)
    ruled = underlined(lines)
    content = [n for n, line in enumerate(lines) if line]
    if len(content) > 1 and len(lines[content[0]]) <= TITLE_CHARS and lines[content[0]][-1] not in ".,;:!":
        title = lines[content[0]]
        lines[content[0]] = ""
        ruled.pop(content[0], None)
    blocks = _blocks(lines, set(ruled))
    # As in reStructuredText, the first rule under a heading marks the top level ("=" over "-").
    headings = {lines[n] for n, rule in ruled.items() if rule == ruled[min(ruled)]}

    def numbered(b: Section) -> bool:
        return bool(NUMBERED.match(b.title)) and not b.title.endswith("?")

    def capitals(b: Section) -> bool:
        return in_capitals(b.title, text)

    def either(b: Section) -> bool:
        return numbered(b) or capitals(b)

    # Headings in capitals are the numbered ones' peers where one comes first and none sits between
    # two numbered ones: "WHY THIS MOVE", "1. Skills", "2. The Roadmap", "SALARY", "FAQ".
    first = next(filter(either, blocks), None)
    at = [i for i, b in enumerate(blocks) if numbered(b)]
    peers = first is not None and not numbered(first) and bool(at) and not any(
        capitals(b) for b in blocks[at[0]:at[-1]])
    for top in (lambda b: b.title in headings, either if peers else numbered, capitals):
        if sum(map(top, blocks)) >= MIN_NUMBERED:
            return Guide(source=source, title=title, sections=_under(blocks, top))
    return Guide(source=source, title=title, sections=_grouped(blocks))


def in_capitals(heading: str, text: str = "") -> bool:
    """A heading set in capitals ("WHY MAKE THE MOVE", "MONEY"), not a short word the text sets
    in capitals elsewhere too: an acronym ("SQL" in "Month 2 — SQL", "HACCP" in its section)."""
    letters = [c for c in heading if c.isalpha()]
    acronym = len(letters) < CAPS_LETTERS and (not text or len(re.findall(rf"\b{re.escape(heading)}\b", text)) > 1)
    return heading.isupper() and (len(heading.split()) > 1 or not acronym)


def _blocks(lines: list[str], ruled: set[int] = frozenset()) -> list[Section]:
    """Each heading with the lines under it. Where blank lines separate paragraphs, a heading
    stands alone between them (or opens its paragraph, if numbered or in Title Case); in a file
    without blank lines every heading-like line is a heading; a ruled line always is."""
    spaced = sum(1 for a, b in zip(lines, lines[1:], strict=False) if a and not b) > 2
    questions = sum(line.endswith("?") and not QUESTION_LINE.match(line) for line in lines) >= MIN_FAQ
    blocks: list[Section] = []
    last = max((n for n, line in enumerate(lines) if line), default=-1)
    table_end = 0
    for n, line in enumerate(lines):
        if not line or n < table_end:
            continue
        header, rows, table_end = pipe_table(lines, n)
        if rows:  # as a Markdown table's: a subsection per row, its first cell the heading
            if not blocks:
                blocks.append(introduction())
            blocks[-1].body.append(" | ".join(cell for cell in header if cell))
            blocks[-1].children.extend(rows)
            continue
        alone = (n == 0 or not lines[n - 1]) and (n + 1 >= len(lines) or not lines[n + 1])
        opens = n == 0 or not lines[n - 1]
        run_in = spaced and opens and n + 1 < len(lines) and bool(lines[n + 1])
        heading = n in ruled or n != last and looks_like_heading(line, questions, run_in) and (
            not spaced or alone or (opens and (bool(NUMBERED.match(line)) or title_case(line.removesuffix("."))
                                               or colon_heading(line))))
        if heading:
            blocks.append(Section(title=line.removesuffix(":") if colon_heading(line) else
                                  line.removesuffix(".") if run_in else line))
        elif blocks:
            blocks[-1].body.append(line)
        else:
            blocks.append(introduction([line]))
    return blocks


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def pipe_table(lines: list[str], n: int) -> tuple[list[str], list[Section], int]:
    """The table whose header row is line n (a row of cells between pipes, with a rule under
    it): (its header, its rows as subsections, the line after it); no rows if none starts there."""
    if "|" not in lines[n] or n + 1 >= len(lines) or not TABLE_RULE.match(lines[n + 1]):
        return [], [], n
    header, rows, end = cells(lines[n]), [], n + 2
    while end < len(lines) and "|" in lines[end]:
        if any(cells(lines[end])):  # an empty row ("|   |") heads nothing
            rows.append(table_row(header, cells(lines[end])))
        end += 1
    return header, rows, end


def _under(blocks: list[Section], top) -> list[Section]:
    """The blocks top marks as the top level, each with the blocks up to the next as its subsections."""
    sections: list[Section] = []
    for block in blocks:
        if top(block) or not sections:
            sections.append(block)
        else:
            sections[-1].children.append(block)
    return sections


def _is_lead_in(section: Section) -> bool:
    """A single short line that introduces what follows rather than saying much itself."""
    return len(section.body) == 1 and not BULLET.match(section.body[0]) and len(section.body[0]) < LEAD_IN_CHARS


def _joins_group(block: Section, run: list[Section]) -> bool:
    """Whether a block is the next subsection of an open group (run: the ones so far).

    A lead-in announces at least one subsection. Later ones share the first one's shape;
    a block much shorter than its would-be siblings is the next group's lead-in instead.
    """
    if not run:
        return True
    if block.shape != run[0].shape:
        return False
    typical = sum(len(" ".join(s.body)) for s in run) / len(run)
    return not _is_lead_in(block) or len(" ".join(block.body)) >= LEAD_IN_RATIO * typical


def _grouped(blocks: list[Section]) -> list[Section]:
    sections: list[Section] = []
    parent: Section | None = None  # the open group, if its lead-in announced one
    for block in blocks:
        if parent is not None and block.body and _joins_group(block, parent.children):
            parent.children.append(block)
            continue
        sections.append(block)
        parent = block if (_is_lead_in(block) or not block.body) else None
    return sections
