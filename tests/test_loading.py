"""Outline recovery, chunking and bad input: no model needed."""

from pathlib import Path

import pytest
from conftest import DATA, GUIDE

from bot.errors import CorpusError
from bot.ingest.chunking import chunk_guide
from bot.ingest.loader import parse_guide, read_corpus
from bot.schema import Citation, as_written


@pytest.fixture(scope="module")
def guide():
    (g,) = read_corpus(GUIDE)
    return g


def titles(sections):
    return [s.title for s in sections]


def test_outline_of_the_guide_is_recovered_from_plain_text(guide):
    assert guide.title.startswith("From Deep Learning Engineer to Machine Learning Engineer")
    assert titles(guide.sections) == [
        "Overview", "Your Transferable Skills", "Skills You'll Need to Learn", "Your Learning Roadmap",
        "Reality Check", "Start Your Journey Now", "Frequently Asked Questions",
        "Ready to Start Your Transition?",
    ]
    top = {s.title: s for s in guide.sections}
    assert titles(top["Your Transferable Skills"].children) == [
        "PyTorch Expertise", "Python Programming", "Neural Network Architecture",
        "Mathematics Foundation", "Distributed Training", "Research Paper Analysis",
    ]
    assert titles(top["Skills You'll Need to Learn"].children) == [
        "Traditional ML Algorithms", "SQL and Data Engineering", "Software Engineering Best Practices",
        "MLOps Practices", "Cloud Platform Deployment", "Business Metrics Translation",
    ]
    phases = top["Your Learning Roadmap"].children
    assert titles(phases) == [
        "Foundation Building", "Cloud & Production Skills", "Portfolio Development",
        "Job Search Preparation", "Interview & Transition",
    ]
    assert [p.body[0].split("-")[0] for p in phases] == ["4 weeks", "6 weeks", "4 weeks", "3 weeks", "3 weeks"]
    assert all(len(p.body) == 4 for p in phases)  # each phase keeps its four tasks
    assert titles(top["Reality Check"].children) == ["What You'll Love", "What You Might Miss", "Biggest Challenges"]
    assert titles(top["Start Your Journey Now"].children) == ["This Week", "This Month", "Next 90 Days"]
    assert top["Frequently Asked Questions"].body[0].startswith("Not necessarily.")


def test_second_guide_outline_does_not_depend_on_this_guides_wording():
    (g,) = read_corpus(DATA / "pastry")
    assert g.title == "From Line Cook to Pastry Chef: Your 2-Month Move Into Baking"
    top = {s.title: s for s in g.sections}
    assert list(top) == ["Overview", "Your Kitchen Strengths", "Your Baking Plan", "Frequently Asked Questions"]
    assert titles(top["Your Kitchen Strengths"].children) == ["Speed Under Pressure", "Station Organization"]
    assert titles(top["Your Baking Plan"].children) == [
        "Precision Basics", "Dough and Lamination", "Plated Desserts", "Bakery Stage"]


def test_markdown_headings_give_the_outline():
    (g,) = read_corpus(DATA / "markdown")
    assert g.title == "Brewing Better Tea"
    assert [s.path for s in g.walk()] == [
        ("Introduction",), ("Green Tea",), ("Green Tea", "Common Mistakes"), ("Black Tea",)]


def test_no_chunk_mixes_two_sections_and_each_carries_its_path(guide):
    docs = chunk_guide(guide)
    bodies = {" > ".join(s.path): "\n".join(s.body) for s in guide.walk()}
    for doc in docs:
        assert doc.page_content in bodies[doc.metadata["section"]]
    kubernetes = next(d for d in docs if "Kubernetes" in d.page_content)
    assert kubernetes.metadata["section"] == "Your Learning Roadmap > Cloud & Production Skills"
    assert kubernetes.metadata["weeks"] == 6.0
    assert [d.metadata["position"] for d in docs] == list(range(len(docs)))


def test_chunk_ids_are_stable_and_follow_content(guide):
    first, again = chunk_guide(guide), chunk_guide(guide)
    assert [d.id for d in first] == [d.id for d in again]
    assert len({d.id for d in first}) == len(first)
    text = (GUIDE / guide.source).read_text().replace("Kubernetes basics", "Kubernetes fundamentals")
    edited = chunk_guide(parse_guide(guide.source, text))
    changed = {d.id for d in edited} - {d.id for d in first}
    assert len(changed) == 1


def test_a_long_section_is_split_but_keeps_its_heading():
    text = "Title\nBig Section\n" + "\n".join(f"Sentence number {i} is here." for i in range(200))
    docs = chunk_guide(parse_guide("big.txt", text), chunk_chars=500)
    assert len(docs) > 5
    assert all(d.metadata["section"] == "Big Section" for d in docs)
    assert all(len(d.page_content) <= 500 for d in docs)


def test_a_cited_passage_reads_as_the_guide_writes_it():
    """The source panel shows a passage after its heading, a term's line whole ("SCORM: a
    packaging standard..."), and no heading the loader made up; the stored text stays the body."""
    text = ("Teacher to Designer\n\nMost teachers make this move in a term or two, keeping their classroom job "
            "for a year while they build a portfolio of three projects.\n\n"
            "GLOSSARY\n\nSCORM: a packaging standard for courses.\n"
            "xAPI: a way to record learning anywhere.\nLMS: the system that hosts courses.\n\n"
            "MONEY\n\nPay rises after a year.\n")
    docs = {d.metadata["section"]: d for d in chunk_guide(parse_guide("id.txt", text))}
    assert docs["GLOSSARY > SCORM"].page_content == "a packaging standard for courses."
    assert as_written(docs["GLOSSARY > SCORM"]) == "SCORM: a packaging standard for courses."
    assert as_written(docs["MONEY"]) == "MONEY\nPay rises after a year."
    assert as_written(docs["Introduction"]).startswith("Most teachers make this move")
    assert Citation.of(1, docs["MONEY"]).text == "MONEY\nPay rises after a year."


@pytest.mark.parametrize(
    ("name", "content", "complaint"),
    [
        ("empty.txt", b"   \n", "is empty"),
        ("binary.txt", b"\x89PNG\x00\x00\x01", "looks binary"),
        ("latin1.txt", "Café crème".encode("latin-1"), "is not UTF-8"),
    ],
)
def test_unusable_file_is_named_with_what_to_do(tmp_path, name, content, complaint):
    (tmp_path / "good.txt").write_text("Title\nSection\nSome text.\n")
    (tmp_path / name).write_bytes(content)
    with pytest.raises(CorpusError, match=complaint) as err:
        read_corpus(tmp_path)
    assert name in str(err.value)


def test_missing_or_empty_corpus_folder_says_what_to_do(tmp_path):
    with pytest.raises(CorpusError, match="does not exist. Create it"):
        read_corpus(tmp_path / "nowhere")
    (tmp_path / "notes.pdf").write_bytes(b"%PDF")
    with pytest.raises(CorpusError, match="no .txt or .md files"):
        read_corpus(tmp_path)


def test_other_file_types_are_ignored(tmp_path):
    (tmp_path / "guide.txt").write_text("Title\nSection\nSome text.\n")
    (tmp_path / "image.png").write_bytes(b"\x89PNG\x00")
    assert [g.source for g in read_corpus(Path(tmp_path))] == ["guide.txt"]
