"""The offline answer composer on hand-made Requests: totals, durations, refusals and quotes,
every [n] pointing at a listed passage (no model, no store: see handmade.py)."""

import re

import pytest
from handmade import baker_planner

from bot.answer.extractive import ExtractiveAnswerer


@pytest.fixture(scope="module")
def planner():
    return baker_planner()


def answer(planner, question, history=()):
    answerer = ExtractiveAnswerer(idf=planner.retriever.bm25.idf)
    result = answerer.answer(planner.plan(question, list(history)))
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", result.text)}
    assert marks == {c.number for c in result.citations}  # every mark has its passage, and back
    return result


def test_the_total_adds_the_phases_and_notes_the_titles_claim(planner):
    result = answer(planner, "How long does the whole roadmap take?")
    assert "3 phases add up to 12 weeks" in result.text
    assert "frames it as a 3-Month transition" in result.text
    assert len(result.citations) == 4  # three phases and the title


def test_a_duration_names_the_phase_its_place_and_its_weeks(planner):
    result = answer(planner, "How long is the SQL Fundamentals phase?")
    assert result.text.startswith("SQL Fundamentals takes 6 weeks [1]: phase 2 of 3, weeks 5-10 of the 12-week")
    assert result.citations[0].section == "Your Roadmap > SQL Fundamentals"


def test_a_refusal_says_so_and_cites_nothing(planner):
    result = answer(planner, "What is the best pizza topping in Naples?")
    assert result.refused and result.citations == []
    assert result.text.startswith("The guide doesn't cover that")


def test_a_detail_is_quoted_from_its_section_with_the_quote_recorded(planner):
    result = answer(planner, "How do I plan proofing times?")
    assert "Planning proofing times around the oven" in result.text
    assert "Planning proofing times around the oven" in result.citations[0].quote


def test_a_section_with_subsections_lists_them(planner):
    result = answer(planner, "What skills transfer?")
    assert "- Precision" in result.text and "- Scheduling" in result.text
