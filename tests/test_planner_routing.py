"""The planner's routing on a hand-made guide (no model, no store: see handmade.py)."""

import pytest
from handmade import baker_planner

from bot.schema import ChunkMeta, Plan


def turn(question, answer="..."):
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


@pytest.fixture(scope="module")
def planner():
    return baker_planner()


def focus(request):
    return ChunkMeta.of(request.focus).heading if request.focus is not None else None


def test_the_whole_roadmap_length_is_planned_as_a_total(planner):
    request = planner.plan("How long does the whole roadmap take?", [])
    assert request.plan == Plan.TOTAL
    assert [ChunkMeta.of(d).heading for d in request.passages[:3]] == [
        "Spreadsheet Basics", "SQL Fundamentals", "Portfolio"]


def test_a_named_phase_length_is_planned_as_that_phase_duration(planner):
    request = planner.plan("How long is the SQL Fundamentals phase?", [])
    assert (request.plan, focus(request)) == (Plan.DURATION, "SQL Fundamentals")


def test_a_follow_up_without_a_topic_takes_the_previous_turns_phase(planner):
    request = planner.plan("How long does it take?", turn("What happens in the Portfolio phase?"))
    assert (request.plan, focus(request)) == (Plan.DURATION, "Portfolio")


def test_and_after_that_moves_to_the_next_phase(planner):
    request = planner.plan("And after that?", turn("What is the first step?"))
    assert (request.plan, focus(request)) == (Plan.SECTION, "SQL Fundamentals")
    assert request.lead == "After Spreadsheet Basics comes SQL Fundamentals (6 weeks)"


def test_a_week_number_finds_the_phase_it_falls_in(planner):
    request = planner.plan("What do I do in week 5?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "SQL Fundamentals")
    assert request.lead == "Week 5 falls in phase 2, SQL Fundamentals (weeks 5-10)"


def test_how_many_phases_is_counted_from_the_roadmap(planner):
    request = planner.plan("How many phases are there?", [])
    assert request.lead == "The roadmap has 3 phases" and focus(request) == "Your Roadmap"


def test_a_question_the_guide_does_not_touch_is_refused(planner):
    assert planner.plan("What is the best pizza topping in Naples?", []).plan == Plan.REFUSE


def test_a_detail_question_is_answered_from_the_passage_that_holds_it(planner):
    request = planner.plan("How do I plan proofing times?", [])
    assert request.plan == Plan.GENERAL and ChunkMeta.of(request.passages[0]).heading == "Scheduling"
