"""Nothing breaks on odd input: the loader and the chunker are fed arbitrary text and Markdown
(random headings, ragged tables, unbalanced emphasis, very long lines, mixed line endings) and
must keep their promises (no model, no store)."""

import re

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from bot.errors import CorpusError
from bot.ingest.chunking import chunk_guide
from bot.ingest.loader import parse_guide, read_text
from bot.schema import ChunkMeta
from bot.text import SEP

CHUNK = 300
WORD = re.compile(r"[A-Za-z0-9]{2,}")

words = st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=30)


def table(columns: int):
    """A Markdown table of `columns` columns whose rows may miss cells (beyond-header cells are
    not table cells in Markdown, so none are generated)."""
    row = st.lists(words, min_size=1, max_size=columns).map(lambda cells: "| " + " | ".join(cells) + " |")
    header = st.lists(words, min_size=columns, max_size=columns).map(lambda cells: "| " + " | ".join(cells) + " |")
    return st.tuples(header, st.lists(row, max_size=4)).map(
        lambda hr: "\n".join(["", hr[0], "|" + " --- |" * columns, *hr[1], ""]))


markdown_line = st.one_of(
    words,
    words.map(lambda w: "#" * 2 + " " + w),
    words.map(lambda w: "- " + w),
    words.map(lambda w: f"**{w}"),  # unbalanced emphasis
    words.map(lambda w: f"**{w}** — {w}"),
    st.integers(1, 4).flatmap(table),
    st.just("Q: " + "why?"),
    st.just("A: because."),
    words.map(lambda w: f"Weeks 1-{len(w)}: {w}"),
    st.text(alphabet="xyz ", min_size=400, max_size=2000),  # a line longer than a chunk
    st.just(""),
)
documents = st.tuples(st.lists(markdown_line, max_size=40), st.sampled_from(["\n", "\r\n", "\r"]),
                      st.sampled_from(["guide.md", "guide.txt"]))


def source_words(text: str) -> set[str]:
    return set(WORD.findall(text))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
@example(doc=(["K", "\n| K | K |\n| --- | --- |\n|   |\n"], "\n", "guide.txt"))  # an empty row headed nothing
def test_any_text_loads_into_chunks_that_keep_every_word_within_the_size(doc):
    lines, newline, name = doc
    text = newline.join(lines)
    if not text.strip():
        return
    guide = parse_guide(name, text)
    chunks = chunk_guide(guide, CHUNK)
    assert all(len(d.page_content) <= CHUNK for d in chunks)
    kept = " ".join([guide.title, *(ChunkMeta.of(d).section + " " + d.page_content for d in chunks)])
    compact = "".join("".join(d.page_content for d in chunks).split())  # a word longer than a chunk is cut
    lost = {w for w in source_words(text) - source_words(kept) if w not in compact}
    assert lost <= {"Q", "A"}  # only markup and the Q:/A: markers go
    for d in chunks:
        meta = ChunkMeta.of(d)
        assert meta.section and all(part.strip() for part in meta.section.split(SEP))
        assert meta.parent == SEP.join(meta.section.split(SEP)[:-1]) or SEP in meta.heading


@settings(max_examples=50, deadline=None)
@given(st.binary(min_size=1, max_size=300))
def test_any_bytes_either_load_or_are_refused_with_the_file_named(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "guide.txt"
    path.write_bytes(data)
    try:
        text = read_text(path)
    except CorpusError as exc:
        assert "guide.txt" in str(exc)
        return
    chunk_guide(parse_guide("guide.txt", text), CHUNK)


def test_a_file_of_control_bytes_is_refused_as_binary(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(1, 32)) * 200)
    with pytest.raises(CorpusError, match="noise.txt looks binary"):
        read_text(path)


def test_a_nul_byte_is_refused_with_a_message(tmp_path):
    path = tmp_path / "guide.md"
    path.write_bytes(b"# Guide\n\x00\n")
    with pytest.raises(CorpusError, match="guide.md looks binary .*NUL"):
        read_text(path)


def test_a_fifty_thousand_character_line_is_cut_into_chunks_no_larger_than_the_limit():
    line = " ".join(f"Sentence number {i} says something." for i in range(1500))
    chunks = chunk_guide(parse_guide("g.txt", f"Title\nSection\n{line}\n"), 900)
    assert len(chunks) > 50 and max(len(d.page_content) for d in chunks) <= 900
    assert all(d.page_content.endswith(".") for d in chunks[:-1])  # cut between sentences
