"""Loading the guide: read .txt/.md files and recover each one's outline of headings.

Plain-text guides have bare-line headings, so the outline is inferred: a short line
without closing punctuation is a heading; a heading whose body is a one-line lead-in
("Here's what you'll need to learn.") opens a group, and the headings that follow with
bodies of one shape (all bullets, or all prose) are its subsections.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.errors import CorpusError
from bot.text import BULLET, DURATION_LINE

logger = logging.getLogger(__name__)
SUFFIXES = (".txt", ".md")
MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
LEAD_IN_CHARS = 110  # a lead-in is one short line ("Here's what you'll need to learn.")
LEAD_IN_RATIO = 0.6  # a block this much shorter than its would-be siblings opens the next group
HEADING_CHARS, HEADING_WORDS = 80, 12  # a bare line longer than this is prose, not a heading
TITLE_CHARS = 160  # the first line is the title only if it is a line, not a paragraph


@dataclass
class Section:
    """A heading and the lines under it, with its subsections."""

    title: str
    body: list[str] = field(default_factory=list)
    children: list[Section] = field(default_factory=list)
    path: tuple[str, ...] = ()

    @property
    def shape(self) -> str:
        return "bullets" if any(BULLET.match(line) for line in self.body) else "prose"

    @property
    def is_lead_in(self) -> bool:
        """A single short line that introduces what follows rather than saying much itself."""
        return len(self.body) == 1 and not BULLET.match(self.body[0]) and len(self.body[0]) < LEAD_IN_CHARS


@dataclass
class Guide:
    """One corpus file: its title and its top-level sections."""

    source: str
    title: str
    sections: list[Section]

    def walk(self) -> Iterator[Section]:
        """Every section, depth first, in reading order."""
        stack = list(reversed(self.sections))
        while stack:
            section = stack.pop()
            yield section
            stack.extend(reversed(section.children))


def read_corpus(corpus_dir: Path) -> list[Guide]:
    """Read and parse every usable file, or raise CorpusError naming the first bad one.

    Every file is checked before anything is returned, so a bad file never half-updates an index.
    """
    corpus_dir = Path(corpus_dir)
    if not corpus_dir.is_dir():
        raise CorpusError(
            f"Corpus folder {corpus_dir} does not exist. Create it and put the guide's "
            f".txt or .md files in it, or point BOT_CORPUS_DIR / --corpus at the right folder."
        )
    files = corpus_files(corpus_dir)
    if not files:
        raise CorpusError(
            f"Corpus folder {corpus_dir} has no .txt or .md files. Add the guide's text there."
        )
    return [parse_guide(path.relative_to(corpus_dir).as_posix(), read_text(path)) for path in files]


def corpus_files(corpus_dir: Path) -> list[Path]:
    """The .txt/.md files under corpus_dir, in name order. A link is followed only when it
    leads to a file inside the folder: one leading out is skipped with a warning, so a link
    to /etc/passwd never reaches the index; links to folders are not followed."""
    root = corpus_dir.resolve()
    files = []
    for folder, dirs, names in os.walk(corpus_dir):
        for name in [*names, *dirs]:
            path = Path(folder) / name
            if name in dirs and path.is_symlink():
                logger.warning("skipping %s: it is a link to a folder, which the corpus does not follow", path)
            elif name in names and path.suffix.lower() in SUFFIXES:
                if not path.resolve().is_relative_to(root):
                    logger.warning("skipping %s: it links to %s, outside the corpus folder", path, path.resolve())
                elif path.is_file():
                    files.append(path)
    return sorted(files)


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\x00" in data:
        raise CorpusError(f"{path} looks binary (it contains NUL bytes). Remove it or save it as plain text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise CorpusError(
            f"{path} is not UTF-8 (byte {exc.start}). Re-save it as UTF-8 text, or remove it."
        ) from None
    if not text.strip():
        raise CorpusError(f"{path} is empty. Add its text or remove it from the corpus folder.")
    return text


def parse_guide(source: str, text: str) -> Guide:
    """Recover a file's outline: Markdown headings where present, inferred ones otherwise."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").split("\n")]
    if any(MD_HEADING.match(line) for line in lines):
        guide = _parse_markdown(source, lines)
    else:
        guide = _parse_plain(source, [line.strip() for line in lines if line.strip()])
    for top in guide.sections:
        _set_paths(top, ())
    return guide


def _set_paths(section: Section, parent: tuple[str, ...]) -> None:
    section.path = (*parent, section.title)
    for child in section.children:
        _set_paths(child, section.path)


def _default_title(source: str) -> str:
    return Path(source).stem.replace("-", " ").replace("_", " ").strip().capitalize()


def _parse_markdown(source: str, lines: list[str]) -> Guide:
    headings = [(i, MD_HEADING.match(line)) for i, line in enumerate(lines)]
    headings = [(i, len(m.group(1)), m.group(2)) for i, m in headings if m]
    title = _default_title(source)
    top_level = min(level for _, level, _ in headings)
    # A single top-level heading that opens the file is the document's title.
    if sum(level == top_level for _, level, _ in headings) == 1 and headings[0][1] == top_level:
        title = headings[0][2]
        preamble_end = headings[0][0] + 1
        headings = headings[1:]
    else:
        preamble_end = 0
    sections: list[Section] = []
    stack: list[tuple[int, Section]] = []
    first = headings[0][0] if headings else len(lines)
    preamble = [line.strip() for line in lines[preamble_end:first] if line.strip()]
    if preamble:
        sections.append(Section(title="Introduction", body=preamble))
    for n, (i, level, text) in enumerate(headings):
        end = headings[n + 1][0] if n + 1 < len(headings) else len(lines)
        section = Section(title=text, body=[line.strip() for line in lines[i + 1 : end] if line.strip()])
        while stack and stack[-1][0] >= level:
            stack.pop()
        (stack[-1][1].children if stack else sections).append(section)
        stack.append((level, section))
    return Guide(source=source, title=title, sections=sections)


def _looks_like_heading(line: str) -> bool:
    return (
        len(line) <= HEADING_CHARS
        and len(line.split()) <= HEADING_WORDS
        and not BULLET.match(line)
        and not DURATION_LINE.match(line)
        and line[-1] not in ".,;:!"
        and (line[0].isupper() or line[0].isdigit())
    )


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
    return not block.is_lead_in or len(" ".join(block.body)) >= LEAD_IN_RATIO * typical


def _parse_plain(source: str, lines: list[str]) -> Guide:
    title = _default_title(source)
    if len(lines) > 1 and len(lines[0]) <= TITLE_CHARS and lines[0][-1] not in ".,;:!":
        title, lines = lines[0], lines[1:]
    blocks: list[Section] = []
    for n, line in enumerate(lines):
        is_last = n == len(lines) - 1
        if not is_last and _looks_like_heading(line):
            blocks.append(Section(title=line))
        elif blocks:
            blocks[-1].body.append(line)
        else:
            blocks.append(Section(title="Introduction", body=[line]))

    sections: list[Section] = []
    parent: Section | None = None  # the open group, if its lead-in announced one
    for block in blocks:
        if parent is not None and block.body and _joins_group(block, parent.children):
            parent.children.append(block)
            continue
        sections.append(block)
        parent = block if (block.is_lead_in or not block.body) else None
    return Guide(source=source, title=title, sections=sections)
