"""Loading the guide: read the corpus folder's .txt/.md files, checked, and recover each
one's outline (Markdown parsed as Markdown; plain text by inference), its FAQ pairs and its
roadmap's timeline.
"""

from __future__ import annotations

import logging
import os
import re
import unicodedata
from pathlib import Path

from bot.errors import CorpusError
from bot.ingest.markdown import parse_markdown
from bot.ingest.outline import Guide, finish
from bot.ingest.plaintext import parse_plain

logger = logging.getLogger(__name__)
SUFFIXES = (".txt", ".md")
MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.M)
# Emacs org-mode's outline: "#+TITLE: ...", "* Section", "** Part" ("*" alone is a plain list's bullet).
ORG_TITLE = re.compile(r"^#\+title:[ \t]*(.+)$", re.I | re.M)
ORG_HEADING = re.compile(r"^(\*+)[ \t]+(?=\S)", re.M)
ORG_SUBHEADING = re.compile(r"^\*\*[ \t]+\S", re.M)
LEADER = re.compile(r"[ \t]*(?:\.{4,}|…{2,})[ \t]*(?=\S)")  # "CFE exam fee ....... $450": a name and its value
CONTROL_SHARE = 0.05  # text with more control characters than this is a binary file, not a guide


def read_corpus(corpus_dir: Path) -> list[Guide]:
    """Read and parse every usable file, or raise CorpusError naming the first bad one."""
    return [load_guide(corpus_dir, path) for path in corpus_paths(corpus_dir)]


def corpus_paths(corpus_dir: Path) -> list[Path]:
    """The corpus's files, or CorpusError if the folder is missing or has none."""
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
    return files


def load_guide(corpus_dir: Path, path: Path, warn: bool = True) -> Guide:
    """One file read, checked and parsed; what the parser noticed is logged unless warn is False."""
    guide = parse_guide(path.relative_to(corpus_dir).as_posix(), read_text(path))
    for note in guide.notes if warn else ():
        logger.warning("%s: %s", guide.source, note)
    return guide


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
    control = sum(unicodedata.category(c) == "Cc" and c not in "\n\r\t\f" for c in text)
    if control > CONTROL_SHARE * len(text):
        raise CorpusError(f"{path} looks binary ({control} control characters). Remove it or save it as plain text.")
    return text


def org_as_markdown(text: str) -> str:
    """An org-mode outline written as Markdown: its title and star headings as "#" headings."""
    text = ORG_TITLE.sub(lambda m: f"# {m.group(1)}", text)
    return ORG_HEADING.sub(lambda m: "#" * (len(m.group(1)) + 1) + " ", text)


def parse_guide(source: str, text: str) -> Guide:
    """Recover a file's outline: Markdown by its parser (a .md file, or one with # headings),
    plain text by inference."""
    text = LEADER.sub(": ", text.replace("\r\n", "\n").replace("\r", "\n"))
    markdown = source.lower().endswith(".md") or MD_HEADING.search(text)
    if not markdown and (ORG_TITLE.search(text) or ORG_SUBHEADING.search(text) and len(ORG_HEADING.findall(text)) > 1):
        markdown, text = True, org_as_markdown(text)
    guide = parse_markdown(source, text) if markdown else parse_plain(source, text)
    return finish(guide, text)
