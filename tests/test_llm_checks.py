"""An LLM may phrase, never invent (issue #14): hand-written model outputs against hand-made
passages, checked by names, titles and numbers; a model's refusal and a model's answer that
loses the guide's facts give way to the offline answer. No model, no store."""

import logging

import pytest
from handmade import WordEmbeddings
from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel

from bot.answer.checker import CitationChecker
from bot.answer.entities import missing
from bot.answer.extractive import ExtractiveAnswerer
from bot.answer.llm import LLMAnswerer
from bot.schema import Answer, ChunkMeta, Plan, Request

BOOKS = ("Read Designing Machine Learning Systems by Chip Huyen for the production mindset. "
         "Practice with MLOps platforms like Kubeflow and MLflow.")
CLOUD = "Earn the AWS Machine Learning Specialty certification. Cloud skills take 4 weeks to build."


def passage(pid: str, heading: str, text: str) -> Document:
    meta = ChunkMeta(source="guide.md", section=f"Roadmap > {heading}", heading=heading, parent="Roadmap")
    return Document(id=pid, page_content=text, metadata=meta.to_metadata())


PASSAGES = [passage("b", "Books and Platforms", BOOKS), passage("c", "Cloud Skills", CLOUD)]


@pytest.mark.parametrize("sentence, invented", [
    ("The book to read is Your Business Metrics by Chip Huyen [1].", "Business Metrics"),
    ("Get the Google Cloud Machine Learning Specialty certification [2].", "Google Cloud Machine Learning Specialty"),
    ("Cloud skills take 6 weeks to build [2].", "6"),
    ("Cloud skills take six weeks to build [2].", "6"),
    ("Practice with MLOps platforms like Kubeflow and Vertex AI [1].", "Vertex AI"),
])
def test_a_sentence_naming_what_its_passage_does_not_is_dropped(sentence, invented):
    text, citations, dropped = CitationChecker(None).check(sentence, PASSAGES)
    assert text == "" and citations == []
    assert len(dropped) == 1 and invented in dropped[0][1]


def test_the_same_facts_in_other_words_and_forms_are_kept():
    said = ("You should read Designing Machine Learning Systems by Chip Huyen [1]. "
            "Cloud skills take four weeks to build, and the AWS Machine Learning Specialty certification "
            "is the one to earn [2].")
    text, citations, dropped = CitationChecker(None).check(said, PASSAGES)
    assert dropped == [] and [c.section for c in citations] == ["Roadmap > Books and Platforms",
                                                                "Roadmap > Cloud Skills"]
    assert "Chip Huyen [1]" in text and "certification is the one to earn [2]" in text


def test_names_and_numbers_are_compared_without_case_punctuation_or_spelling_of_numbers():
    passage_text = "Phase 2 (six weeks): Git-based CI/CD with GitHub Actions; read The Phoenix Project."
    assert missing("Phase 2 lasts 6 weeks and uses GitHub actions.", passage_text) == []
    assert missing('Read "the phoenix project" next.', passage_text) == []
    assert missing("Phase 3 lasts 6 weeks.", passage_text) == ["3"]
    assert missing("Read The Unicorn Project next.", passage_text) == ["Unicorn Project"]


# --- the answerer: refusals and answers that lose the guide's facts -------------------------

def answerer(reply: str) -> LLMAnswerer:
    llm = GenericFakeChatModel(messages=iter([reply]))
    offline = ExtractiveAnswerer(embedder=WordEmbeddings())
    return LLMAnswerer(llm, offline, WordEmbeddings(), name="test model")


def final(reply: str, question: str = "Which book should I read?") -> Answer:
    request = Request(question=question, standalone=question, history=[], passages=PASSAGES, plan=Plan.GENERAL)
    return [p for p in answerer(reply).stream(request) if isinstance(p, Answer)][-1]


def test_a_grounded_model_answer_is_shown_as_written():
    said = "Read Designing Machine Learning Systems by Chip Huyen [1]."
    answer = final(said)
    assert answer.answerer == "test model" and answer.text == said


def test_a_models_refusal_while_the_passages_answer_gives_the_offline_answer():
    answer = final("The guide does not cover that [1].")
    assert answer.text.startswith("(The language model said the guide does not cover this, but it does")
    assert "Designing Machine Learning Systems" in answer.text and answer.answerer != "test model"


def test_an_answer_keeping_none_of_the_offline_facts_gives_the_offline_answer():
    # supported, but about the cloud phase, not the book the offline answer quotes
    answer = final("Earn the AWS Machine Learning Specialty certification [2].", "Which book should I read?")
    assert "this answer comes from the offline answerer" in answer.text
    assert "Designing Machine Learning Systems" in answer.text


def test_an_answer_losing_most_of_its_sentences_gives_the_offline_answer_and_logs_why(caplog):
    reply = ("Read Designing Machine Learning Systems by Chip Huyen [1]. Also read Your Business Metrics [1]. "
             "Kubeflow runs on Google Vertex AI [1].")
    with caplog.at_level(logging.INFO, logger="bot.answer.llm"):
        answer = final(reply)
    assert "this answer comes from the offline answerer" in answer.text and answer.dropped == 2
    assert "Business Metrics" not in answer.text and "Vertex" not in answer.text
    logged = caplog.text
    assert "Your Business Metrics" in logged and "does not name Business Metrics" in logged
