"""Each intent's handler on a hand-made guide: slots filled from the outline and the
conversation, the right plan and focus (no model, no store: see handmade.py; the intent is
given, the classifier has its own tests)."""

import pytest
from handmade import BAKER_GUIDE, ReadAs, baker_documents, baker_planner, baker_retriever, guide_planner
from langchain_core.documents import Document

from bot.answer.evidence import caveat
from bot.answer.extractive import ExtractiveAnswerer
from bot.answer.intents import Intent
from bot.answer.planner import Planner
from bot.answer.questions import is_follow_up, ordinal, points_back
from bot.answer.roadmap import Roadmap
from bot.config import Settings
from bot.ingest.chunking import chunk_guide
from bot.ingest.loader import parse_guide
from bot.retrieval import HybridRetriever
from bot.schema import ChunkMeta, Plan, Scores
from bot.text import content_terms

READS = {
    "How long does the whole roadmap take?": Intent.TOTAL,
    "How long is the SQL Fundamentals phase?": Intent.DURATION,
    "How long does it take?": Intent.DURATION,
    "And after that?": Intent.NEXT_PREV,
    "and then what": Intent.NEXT_PREV,
    "What about the phase before it?": Intent.NEXT_PREV,
    "What do I do in week 5?": Intent.WEEK_TO_PHASE,
    "I'm in week 5. What's next?": Intent.WEEK_TO_PHASE,
    "I'm in week 11. What's next?": Intent.WEEK_TO_PHASE,
    "Which phase is month 3 in?": Intent.WEEK_TO_PHASE,
    "How many phases are there?": Intent.COUNT,
    "When does the Portfolio phase start?": Intent.START_END,
    "When does the SQL Fundamentals phase start?": Intent.START_END,
    "How many weeks are left after the SQL Fundamentals phase?": Intent.PHASE_ARITHMETIC,
    "How many weeks are left after the Spreadsheet Basics phase?": Intent.PHASE_ARITHMETIC,
    "How long do the first two phases take together?": Intent.PHASE_ARITHMETIC,
    "Which phase is the longest?": Intent.PHASE_ARITHMETIC,
    "Is the SQL Fundamentals phase hard?": Intent.PHASE_ARITHMETIC,
    "When does the Spreadsheet Basics phase start?": Intent.START_END,
    "What skills transfer?": Intent.OVERVIEW,
    "hello!": Intent.GREETING,
    "Hi, can you help me with proofing times?": Intent.GREETING,
    "Sum the guide up for me": Intent.SUMMARY,
    "What is the best pizza topping in Naples?": Intent.OUT_OF_SCOPE,
    "How do I plan proofing times?": Intent.PASSAGE,
}


def turn(question, answer="..."):
    return [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]


@pytest.fixture(scope="module")
def planner():
    return baker_planner(READS)


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


def test_a_phase_asked_for_by_its_name_alone_is_presented_whole_like_one_asked_by_its_order(planner):
    """"What happens in the SQL phase?" asks for the phase, as "the second phase" does, however other
    passages naming it rank (a list of weekly hours, an FAQ answer mentioning it); a question asking
    something of its own of it does not."""
    for asked in ("What happens in the SQL phase?", "What's the SQL Fundamentals phase?",
                  "what does the sql phase involve?"):
        request = planner.plan(asked, [])
        assert (request.plan, focus(request), request.lead) == (
            Plan.SECTION, "SQL Fundamentals", "Phase 2 is SQL Fundamentals (6 weeks)"), asked
    assert planner.plan("Can I shorten the SQL phase?", []).lead == ""


def test_a_phase_by_its_order_asked_a_thing_of_its_own_is_answered_from_its_lines(planner):
    """"which orders table do I query in the second phase?" asks a thing the phase names, and gets
    its lines that say, not the phase whole; "what do I learn in the second phase?" asks the phase."""
    request = planner.plan("ok back to phase 2, which orders table should my queries use?", [])
    assert (request.plan, focus(request)) == (Plan.GENERAL, "SQL Fundamentals")
    assert [ChunkMeta.of(d).heading for d in request.passages] == ["SQL Fundamentals"]
    whole = planner.plan("what do I learn in the second phase?", [])
    assert (whole.plan, whole.lead) == (Plan.SECTION, "Phase 2 is SQL Fundamentals (6 weeks)")


def test_a_follow_up_without_a_topic_takes_the_previous_turns_phase(planner):
    request = planner.plan("How long does it take?", turn("What happens in the Portfolio phase?"))
    assert (request.plan, focus(request)) == (Plan.DURATION, "Portfolio")


def test_how_long_after_something_outside_the_roadmap_asks_about_that_not_the_roadmap(planner):
    request = planner.plan("How long does it take?", turn("How do I plan proofing times?"))
    assert request.plan == Plan.GENERAL and "proofing" in request.standalone
    assert planner.plan("How long does it take?", turn("How many phases are there?")).plan == Plan.TOTAL


def test_a_follow_up_to_an_answer_this_bot_would_not_have_given_is_about_where_that_answer_came_from(planner):
    pizza = "What is the best pizza topping in Naples?"  # refused here; someone else answered from the first phase
    history = turn(pizza, "Learn formulas and pivot tables, then clean a messy sales log.")
    request = planner.plan("How long does it take?", history)
    assert (request.plan, focus(request)) == (Plan.DURATION, "Spreadsheet Basics")
    # this bot's own refusal quotes no passage: the follow-up has no topic, and is the total
    refused = ("The guide doesn't cover that, so I can't answer it from the guide. The nearest sections it does "
               'cover are "Your Roadmap > Spreadsheet Basics" and "Overview".')
    assert planner.plan("How long does it take?", turn(pizza, refused)).plan == Plan.TOTAL


def test_how_long_with_no_topic_and_no_history_is_the_total(planner):
    assert planner.plan("How long does it take?", []).plan == Plan.TOTAL


def test_and_after_that_moves_to_the_next_phase_and_before_it_to_the_previous(planner):
    request = planner.plan("And after that?", turn("What is the first step?"))
    assert (request.plan, focus(request)) == (Plan.SECTION, "SQL Fundamentals")
    assert request.lead == "After Spreadsheet Basics comes SQL Fundamentals (6 weeks)"
    before = planner.plan("What about the phase before it?", turn("What happens in the Portfolio phase?"))
    assert focus(before) == "SQL Fundamentals" and before.lead.startswith("Before Portfolio comes")
    acknowledged = planner.plan("ok and then what", turn("What is the first step?"))  # "ok" only acknowledges
    assert (acknowledged.plan, focus(acknowledged)) == (Plan.SECTION, "SQL Fundamentals")


def test_a_week_or_month_number_finds_the_phase_it_falls_in(planner):
    request = planner.plan("What do I do in week 5?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "SQL Fundamentals")
    assert request.lead == "Week 5 falls in phase 2, SQL Fundamentals (weeks 5-10)"
    month = planner.plan("Which phase is month 3 in?", [])  # month 3 starts in week 9.7 (52/12 weeks a month)
    assert focus(month) == "SQL Fundamentals" and "Month 3" in month.lead
    # Asked what comes next from a week: the phase after the one it falls in (the last has none).
    after = planner.plan("I'm in week 5. What's next?", [])
    assert focus(after) == "Portfolio" and after.lead.endswith("; next comes phase 3, Portfolio (weeks 11-12)")
    assert focus(planner.plan("I'm in week 11. What's next?", [])) == "Portfolio"


def test_how_many_phases_is_counted_from_the_roadmap(planner):
    request = planner.plan("How many phases are there?", [])
    assert (request.plan, focus(request), request.lead) == (Plan.SECTION, "Your Roadmap", "The roadmap has 3 phases")


def test_a_count_of_something_the_outline_does_not_list_is_a_passage_question():
    planner = baker_planner({"How many orders should I join?": Intent.COUNT})
    assert planner.plan("How many orders should I join?", []).plan == Plan.GENERAL


def test_the_start_of_a_phase_counts_the_weeks_before_it(planner):
    request = planner.plan("When does the Portfolio phase start?", [])
    assert request.plan == Plan.FACT and focus(request) == "Portfolio"
    assert request.lead.startswith("Portfolio runs from week 11 to week 12") and "after 10 weeks" in request.lead
    # Asked what remains (one phase "added up" is where it sits): the weeks after it, cited from the phases left.
    left = planner.plan("How many weeks are left after the SQL Fundamentals phase?", [])
    assert left.plan == Plan.FACT and left.lead.endswith(
        "after 4 weeks of the roadmap, with 2 weeks left after it (phase 3, Portfolio: week 11 to week 12)")
    assert [ChunkMeta.of(d).heading for d in left.passages] == ["SQL Fundamentals", "Portfolio"]
    early = planner.plan("How many weeks are left after the Spreadsheet Basics phase?", [])
    assert early.lead.endswith("with 8 weeks left after it (phases 2 to 3: week 5 to week 12)")
    start = planner.plan("When does the SQL Fundamentals phase start?", [])
    assert "left" not in start.lead and [ChunkMeta.of(d).heading for d in start.passages] == ["SQL Fundamentals"]
    assert planner.plan("When does the Spreadsheet Basics phase start?", []).lead.endswith(
        "at the start of the roadmap")  # not "after 0 weeks"
    # One phase and nothing to add up or leave: a question about the phase, not where it sits.
    assert planner.plan("Is the SQL Fundamentals phase hard?", []).plan != Plan.FACT


def test_phases_are_added_and_compared(planner):
    together = planner.plan("How long do the first two phases take together?", [])
    assert together.lead == "Together, Spreadsheet Basics (4 weeks) and SQL Fundamentals (6 weeks) take 10 weeks"
    longest = planner.plan("Which phase is the longest?", [])
    assert longest.lead.startswith("The longest phase is SQL Fundamentals, at 6 weeks")


def test_an_overview_lists_the_section_with_its_parts(planner):
    request = planner.plan("What skills transfer?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "Skills That Transfer")
    assert [ChunkMeta.of(d).heading for d in request.passages[1:]] == ["Precision", "Scheduling"]


def test_an_overview_question_whose_best_passage_is_prose_is_answered_from_that_passage():
    # Read as an overview, but no section is named and the best passage lists nothing: a list
    # further down the ranking is not what was asked.
    planner = baker_planner({"What do bakers already do every day?": Intent.OVERVIEW})
    request = planner.plan("What do bakers already do every day?", [])
    assert request.plan == Plan.GENERAL and ChunkMeta.of(request.passages[0]).heading == "Overview"


def test_small_talk_and_summaries_need_no_retrieval(planner):
    hello = planner.plan("hello!", [])
    assert hello.plan == Plan.CHAT and hello.passages == [] and len(hello.suggestions) == 3
    asks = planner.plan("Hi, can you help me with proofing times?", [])  # read as a hello, but it asks the guide
    assert asks.plan != Plan.CHAT and "Planning proofing times around the oven" in asks.passages[0].page_content
    summary = planner.plan("Sum the guide up for me", [])
    assert summary.plan == Plan.SUMMARY
    headings = [ChunkMeta.of(d).heading for d in summary.passages]
    assert headings[:3] == ["Overview", "Skills That Transfer", "Your Roadmap"]


def test_a_question_the_guide_does_not_touch_is_refused(planner):
    assert planner.plan("What is the best pizza topping in Naples?", []).plan == Plan.REFUSE


def test_a_detail_question_is_answered_from_the_passage_that_holds_it(planner):
    request = planner.plan("How do I plan proofing times?", [])
    assert request.plan == Plan.GENERAL and ChunkMeta.of(request.passages[0]).heading == "Scheduling"


def test_a_model_rewrites_only_the_follow_ups_the_conversation_state_cannot_place():
    from dataclasses import replace

    asked = []

    def condense(question, history):
        asked.append(question)
        return "How long is the SQL Fundamentals phase?"

    planner = replace(baker_planner(READS), condense=condense)
    history = [{"role": "user", "content": "How long is the SQL Fundamentals phase?"},
               {"role": "assistant", "content": "SQL Fundamentals takes 6 weeks."}]
    placed = planner.plan("And after that?", history)
    assert asked == [] and ChunkMeta.of(placed.focus).heading == "Portfolio"
    rewritten = planner.plan("What is the best pizza topping in Naples?", history)
    assert asked == ["What is the best pizza topping in Naples?"]
    assert rewritten.plan != Plan.REFUSE and rewritten.question == "What is the best pizza topping in Naples?"
    assert planner.plan("What is the best pizza topping in Naples?", []).plan == Plan.REFUSE  # no history


TOOLS_GUIDE = """From Baker to Data Analyst: A 3-Month Plan
Tools
- Git keeps your analyses versioned; learn branches and pull requests.
- Tableau turns a query into a chart a manager reads.
Your Roadmap
Three phases take you from spreadsheets to a portfolio.
Spreadsheet Basics
4 weeks- Learn formulas and pivot tables
SQL Fundamentals
6 weeks- Write SELECT queries against an orders table
Portfolio
2 weeks- Publish two analyses with Tableau dashboards
Frequently Asked Questions
Do I need a certificate?
No. A portfolio matters more. If you want one anyway, the Tableau Desktop Specialist is the one employers know.
"""


def tools_planner():
    retriever = baker_retriever(baker_documents(TOOLS_GUIDE))
    return Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                   intents=ReadAs())


def test_which_roadmap_phase_after_a_topic_finds_the_phase_that_does_it():
    # "which roadmap phase" names the phase with a word between: still a which-phase question
    history = turn("Where does Tableau come up in the guide?", "Under Tools: Tableau turns a query into a chart.")
    request = tools_planner().plan("and in which roadmap phase do I actually do it?", history)
    assert ChunkMeta.of(request.passages[0]).heading == "Portfolio"


def test_which_one_points_back_to_what_the_last_turn_was_about():
    assert points_back("If I do want one, which one does the guide mention?")
    assert not points_back("Complete one cloud certification") and not points_back("Is one of the phases hard?")
    history = turn("Do I need a certificate?", "No. A portfolio matters more.")
    request = tools_planner().plan("If I do want one, which one does the guide mention?", history)
    assert is_follow_up(request.question) and "certificate" in request.standalone
    assert request.said == "No. A portfolio matters more."


def test_a_question_naming_only_what_the_last_answer_said_follows_it():
    said = "Learn formulas and pivot tables, then tell your manager about your plan."
    assert is_follow_up("why tell my manager though?", said)  # "though": no subject
    assert not is_follow_up("why tell my manager though?") and not is_follow_up("Why learn SQL joins?", said)
    assert is_follow_up("why though?", said) and is_follow_up("really, why?", said)  # no subject at all
    request = baker_planner().plan("why tell my manager though?", turn("What do I do in week 1?", said))
    assert "Spreadsheet Basics" in request.standalone  # retrieved with what the conversation is about


def test_that_one_is_the_phase_the_last_answer_named_whole():
    planner = baker_planner({"how long is that one?": Intent.DURATION})
    # The question's own words lead to Portfolio; the answer the user read named SQL Fundamentals.
    history = turn("Which phase comes before publishing analyses?", "SQL Fundamentals, six weeks of queries.")
    request = planner.plan("how long is that one?", history)
    assert (request.plan, focus(request)) == (Plan.DURATION, "SQL Fundamentals")
    # A word of a name is no name: "a portfolio of queries" leaves the question's own topic.
    partly = planner.plan("how long is that one?", turn("What do I publish at the end?", "A portfolio of queries."))
    assert focus(partly) == "Portfolio"



def test_phases_added_with_none_named_are_the_whole_roadmap(planner):
    question = "The title says 3 months. How many months do the phases add up to?"
    request = baker_planner({question: Intent.PHASE_ARITHMETIC}).plan(question, [])
    assert request.plan == Plan.TOTAL
    misread = "What is the two-stage cooling rule?"  # read as adding phases, but names none
    assert baker_planner({misread: Intent.PHASE_ARITHMETIC}).plan(misread, []).plan != Plan.TOTAL


def test_a_question_read_as_off_topic_that_names_the_guides_own_subject_is_not_refused():
    question = "lol best pizza ovens for proofing?"  # "ovens", "proofing": one passage of this guide
    planner = baker_planner({question: Intent.OUT_OF_SCOPE})
    assert planner.retriever.rare_terms(question) == {"oven", "proof"}
    assert planner.plan(question, []).plan == Plan.GENERAL
    pizza = baker_planner({"What is the best pizza topping in Naples?": Intent.OUT_OF_SCOPE})
    assert pizza.plan("What is the best pizza topping in Naples?", []).plan == Plan.REFUSE


def test_it_is_the_name_the_last_answer_opened_with():
    """"Tableau, because ..." then "which phase uses it?": "it" is Tableau, not the question
    the answer came from (which was about charts in general)."""
    planner = tools_planner()
    history = turn("What should I learn for charts?", "Tableau, because managers read its charts.")
    request = planner.plan("What do I make with it?", history)
    assert "Tableau" in request.standalone
    assert ChunkMeta.of(request.passages[0]).heading == "Portfolio"
    # An answer opening with a plain word names nothing: the last question's topic stands.
    plain = planner.plan("What do I make with it?", turn("Do I need a certificate?", "No, not really."))
    assert "certificate" in plain.standalone
    assert "tableau" in planner.proper_names and "no" not in planner.proper_names


@pytest.mark.parametrize("typed, read", [
    ("wat r the certs 4 it", "what are the certifications 4 it"),
    ("Whats a good project w/ my own data", "what's a good project with my own data"),
    ("how many hrs a wk", "how many hours a week"),
    ("hw much is the exam", "how much is the exam"),
    ("I use R and Python", "I use R and Python"),  # a capital letter alone is a name
    ("Phase 1 or phase 2?", "Phase 1 or phase 2?"),
    ("the best thing about the job?", "the biggest upside about the job?"),  # judges the move, as "upside" does
    ("the best book for SQL?", "the best book for SQL?"),
    ("the toughest part for someone like me?", "the toughest part for someone similar to me?"),  # no liking
    ("what will I like about it?", "what will I like about it?"),
    ("Okay, how long is it?", "how long is it?"),  # an opener that only acknowledges the last answer
    ("k so when does it start", "so when does it start"),
    ("right after week 2, what?", "right after week 2, what?"),
    ("ok", "ok"),
    ("after the jan project, then what? feb?", "after the January project, then what? February?"),  # months
    ("Dec 14 or Sept 2?", "December 14 or September 2?"),
    ("wats the split btwn base n commission", "what's the split between base and commission"),
    ("the single best thing about it?", "the biggest upside about it?"),  # a superlative says it all
    ("in my very first week?", "in my first week?"),
    ("one very good reason?", "one very good reason?"),
    ("how much will that set me back?", "how much will that cost me?"),
    ("how much do CSMs make starting out tbh", "how much do CSMs make starting out"),  # an aside, dropped
    ("Ngl, is it worth it?", "is it worth it?"),
    ("does the IMO count?", "does the IMO count?"),  # in capitals, a name
    ("why aws tho?", "why aws though?"),
])
def test_chat_shorthand_is_spelled_out(typed, read):
    from bot.answer.questions import spell_out

    assert spell_out(typed) == read


def test_an_abbreviation_is_spelled_out_only_in_a_guide_that_never_uses_it():
    from bot.answer.questions import spell_out
    from bot.text import content_terms

    full = set(content_terms("corporate operations manager"))
    assert spell_out("wat does a corp ops mgr earn", full) == "what does a corporate operations manager earn"
    assert spell_out("when do I finish the Ops Manual phase?", full | {"ops"}) == (
        "when do I finish the Ops Manual phase?")  # the guide's own "The Ops Manual"
    assert spell_out("the corp world", set()) == "the corp world"  # nothing it could stand for


def test_a_question_in_chat_shorthand_is_planned_as_written_out():
    """The classifier and retrieval see the words the shorthand stands for."""
    planner = baker_planner({"how long is the whole roadmap?": Intent.TOTAL})
    request = planner.plan("how long is the whole roadmap?", [])
    assert planner.plan("how long r the whole roadmap?", []).question == "how long are the whole roadmap?"
    assert planner.intents.asked[-1] == "how long are the whole roadmap?" and request.plan == Plan.TOTAL


def test_a_duration_naming_two_phases_is_their_sum(planner):
    question = "How long do Spreadsheet Basics and SQL Fundamentals take?"
    request = baker_planner({question: Intent.DURATION}).plan(question, [])
    assert request.plan == Plan.FACT
    assert request.lead == "Together, Spreadsheet Basics (4 weeks) and SQL Fundamentals (6 weeks) take 10 weeks"


def test_that_phase_points_back_to_the_phase_last_talked_about():
    planner = baker_planner({"What do I do in week 5?": Intent.WEEK_TO_PHASE,
                             "how long does that phase last?": Intent.DURATION})
    history = turn("What do I do in week 5?", "Week 5 falls in phase 2 (weeks 5-10): Write SELECT queries.")
    request = planner.plan("how long does that phase last?", history)
    assert (request.plan, focus(request)) == (Plan.DURATION, "SQL Fundamentals")
    assert not points_back("what do I do this week?")  # "this week" is a time, not a phase


def test_phases_stated_in_months_are_added_in_months_too():
    guide = ("Baker to Analyst in 4 Months\n\nTHE ROADMAP\n\nFour months, one after another, each ending "
             "with a piece of work.\n\nMonth 1 — Sheets\n\n- pivot tables\n\nMonths 2–3 — SQL\n\n- joins\n\n"
             "Month 4 — Portfolio\n\n- publish\n")
    retriever = baker_retriever(baker_documents(guide))
    question = "How long do the SQL and Portfolio phases take together?"
    start = "When does the SQL phase start, and how much is left after it?"
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({question: Intent.PHASE_ARITHMETIC, start: Intent.START_END}))
    assert [p.months for p in planner.roadmap.phases] == [1, 2, 1]
    assert planner.plan(question, []).lead == (
        "Together, SQL (9 weeks) and Portfolio (4 weeks) take 13 weeks (3 months as the guide states them)")
    # Where a phase starts, and what is left after it, in months too.
    assert planner.plan(start, []).lead.endswith("after 4 weeks (1 month as the guide states them) of the roadmap, "
                                                 "with 4 weeks (1 month as the guide states them) left after it "
                                                 "(phase 3, Portfolio: week 14 to week 17)")


def test_a_stage_named_by_its_letter_is_that_stage():
    from bot.answer.questions import phase_positions

    assert phase_positions("In which week of the roadmap does Stage D start?", 6) == [3]
    assert phase_positions("how long is phase B", 6) == [1]
    assert ordinal("what should I do at this stage a beginner?") is None  # "a" is no stage's letter


def test_a_part_of_what_was_said_is_not_a_phase_by_its_order(planner):
    """"what do I spend the last part of it on?" after the SQL phase asks of the end of that phase,
    not for the roadmap's last phase; "the last phase of the plan" is still the last phase."""
    assert ordinal("what do i spend the last part of it on?") is None
    assert ordinal("and the first step of that?") is None
    assert ordinal("what's the last phase of the plan?") == ordinal("what's the last phase of this plan?") == -1
    request = planner.plan("what do i spend the last part of it on?", turn("How long is the SQL Fundamentals phase?"))
    answer = ExtractiveAnswerer(idf=planner.retriever.bm25.idf).answer(request).text
    assert answer.startswith("SQL Fundamentals") and "Join customers to their orders" in answer


def test_the_intent_is_read_without_the_guides_role_names():
    """"Which of my skills carry over when I become a data analyst?" asks like "which of my
    skills carry over?": the roles the guide is about say nothing about how it asks."""
    planner = baker_planner()
    planner.plan("Which of my skills carry over when I become a data analyst?", [])
    assert planner.intents.asked[0] == "Which of my skills carry over when I become a job?"
    # A role a preposition asks for is "job", so that "from _ to _" is not read as how long the move takes.
    planner.plan("Is going from baker to data analyst actually worth it?", [])
    planner.plan("How long does a routine baker visit take?", [])
    assert planner.intents.asked[-2:] == ["Is going from job to job actually worth it?",
                                          "How long does a routine visit take?"]


def test_faq_questions_are_matched_without_the_guides_role_names():
    """A shared "data analyst" makes no two questions alike: the FAQ match compares what is
    asked, with the roles left out of both sides."""
    planner = baker_planner()
    embedder, asked = planner.retriever.embedder, []
    embed_query, embed_documents = embedder.embed_query, embedder.embed_documents
    embedder.embed_query = lambda text: asked.append(text) or embed_query(text)
    embedder.embed_documents = lambda texts: asked.extend(texts) or embed_documents(texts)
    found = planner.faq_match("Do I need a degree to work as a data analyst?")
    assert ChunkMeta.of(found).heading == "Do I need a degree?"
    assert asked and not any("analyst" in text for text in asked)


def test_a_date_in_a_question_is_a_week_of_a_dated_roadmap():
    guide = ("Baker to Analyst\n\nTHE ROADMAP\n\nThree phases, back to back.\n\nJanuary 5 – February 1: Sheets\n\n"
             "- pivot tables\n\nFeb 2 – March 8: SQL\n\n- joins\n\nMarch 9 – April 5: Portfolio\n\n- publish\n")
    retriever = baker_retriever(baker_documents(guide))
    asked = {"It's February 10: which phase am I in?": Intent.WEEK_TO_PHASE,
             "When does the SQL phase start?": Intent.START_END}
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs(asked))
    assert planner.plan("It's February 10: which phase am I in?", []).lead == (
        "February 10 (week 6) falls in phase 2, SQL (weeks 5-9, Feb 2 – March 8)")
    on_a_day = planner.plan("what should I be doing on March 20?", [])  # a passage question naming a date
    assert (on_a_day.plan, focus(on_a_day)) == (Plan.SECTION, "March 9 – April 5: Portfolio")
    assert "Feb 2 – March 8" in planner.plan("When does the SQL phase start?", []).lead
    assert planner.plan("what should I be doing on May 20?", []).lead == (
        "The roadmap ends after week 13, so May 20 (week 20) is past its last phase")
    assert planner.roadmap.dates == "January 5 to April 5"  # what the total says the plan runs


def test_a_question_on_a_subject_the_guide_never_touches_gets_no_faq_answer_meant_for_another():
    """"Do I need a degree pension?" shares most words with the FAQ's "Do I need a degree?",
    but "pension" is nothing the guide or any word near it says: the answer must say so."""
    retriever = baker_retriever(words=True)
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    assert focus(planner.plan("Do I need a degree?", [])) == "Do I need a degree?"
    request = planner.plan("Do I need a degree pension?", [])
    assert request.foreign == ["pension"] and focus(request) != "Do I need a degree?"
    assert planner.plan("Do I need a degree for SQL?", []).foreign == []  # every word is the guide's
    assert caveat("Do I need a degree pension?", ["No."], {}, request.foreign) == "The guide doesn't mention pension."
    # How a question asks is no subject: an adverb, a general English word, a slip for a word the guide uses.
    for asked in ("Do I actually need a degree?", "Do I need a degree for the SQL side?",
                  "Do I need a degree for SQL Fundamnetals?"):
        assert planner.plan(asked, []).foreign == [], asked
    # Nor is what the asker does or feels: a verb after "I" or a modal, an adjective after "be", an -ing form.
    for asked in ("Which SQL queries should I avoid?", "Can I just throw my recipes into the portfolio?",
                  "Is SQL gonna be rough?", "Do I need SQL while juggling orders?"):
        assert planner.plan(asked, []).foreign == [], asked
    assert planner.plan("Do I need a degree to keep my pension?", []).foreign == ["pension"]
    # A possessive is its word: "master's" is no more the guide's than "master" ("bank's" had been skipped).
    assert planner.plan("Do I need a degree for the bank's onboarding?", []).foreign == ["bank's", "onboarding"]
    assert planner.plan("Do I need a master's degree?", []).foreign == ["master's"]


def test_a_role_in_the_question_names_no_section():
    """"Which parts of my baker background carry over?" does not name the section "Baker
    Background Mistakes": the guide's roles are in every other question."""
    from handmade import BAKER_GUIDE

    guide = BAKER_GUIDE + "Baker Background Mistakes\nHiding the bakery from your resume.\n"
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    assert planner.named_section("Which parts of my baker background carry over?") is None
    named = planner.named_section("What are the background mistakes?")
    assert ChunkMeta.of(named).heading == "Baker Background Mistakes"


def test_a_summary_may_be_asked_in_a_shape_but_not_with_something_else():
    class Exemplars(ReadAs):
        words = {Intent.SUMMARY: set(content_terms("Summarise the guide"))}

    asked = {q: Intent.SUMMARY for q in ("Summarise the guide in a couple of lines", "Summarise the guide in 4 bullets",
                                         "Summarise the guide, then tell me a joke",
                                         "Summarise the skills that transfer")}  # one section, not the guide
    planner = baker_planner()
    planner.intents = Exemplars(asked)
    assert [planner.plan(q, []).plan == Plan.SUMMARY for q in asked] == [True, True, False, False]


def test_a_question_judging_the_move_is_answered_by_a_section_judging_it_alike():
    """"What's the toughest part?" shares no word with "What's Hard", but asks what it holds."""
    from handmade import BAKER_GUIDE

    retriever = baker_retriever(baker_documents(BAKER_GUIDE + "What's Hard\n- Sitting at a desk all day\n"))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    request = planner.plan("What's going to be the toughest part of switching?", [])
    assert request.plan != Plan.REFUSE and ChunkMeta.of(request.passages[0]).heading == "What's Hard"
    assert retriever.word_coverage("the toughest part", request.passages[0]) == 0.5  # "hard" half stands in
    assert planner.plan("What's the capital of Peru?", []).plan == Plan.REFUSE


def test_a_section_named_by_a_judging_question_but_judging_the_move_the_other_way_is_not_its_overview():
    """"The best thing about making this switch?" names "What's Hard > Context switching" by
    its word for the move, and retrieval may rank it first; the section judges the move the
    other way, so it is not the one asked for."""
    from bot.answer.handlers import on_overview
    from bot.schema import Request

    guide = BAKER_GUIDE + ("What You'll Love\n- Weekends off\n- Seeing a chart change a decision\n"
                           "What's Hard\nHere's what gets in the way.\nContext switching\n"
                           "- Each switch between ten dashboards costs you focus\n"
                           "Desk hours\n- Sitting at a desk all day\n")
    question = "What's the biggest upside about making this switch?"
    planner = Planner(retriever=baker_retriever(baker_documents(guide)), roadmap=None, settings=Settings(),
                      intents=ReadAs({question: Intent.OVERVIEW}))
    ranked = {ChunkMeta.of(d).heading: d for d in planner.retriever.documents}
    asked = Request(question=question, standalone=question, history=[], roadmap=None, intent="overview",
                    passages=[ranked["Context switching"], ranked["What You'll Love"]])
    found = on_overview(planner, asked, None)
    assert found is None or ChunkMeta.of(found.focus).heading == "What You'll Love"


def test_a_summary_asked_in_n_bullets_gives_the_n_sections_the_guide_says_most_in():
    """"Summarise it in 2 bullets" had listed every top section: the shape was accepted, not obeyed."""
    asked = {q: Intent.SUMMARY for q in ("Summarise the guide in 2 bullets", "Sum it up in a couple of lines",
                                         "Summarise the guide in ten points", "Summarise the guide")}
    planner = baker_planner(asked)
    headings = [[ChunkMeta.of(d).heading for d in planner.plan(q, []).passages] for q in asked]
    assert headings[0] == headings[1] == ["Skills That Transfer", "Your Roadmap"]  # the longest two, in reading order
    assert headings[2] == headings[3] and len(headings[3]) == 4  # more than there are: all of them


def test_how_long_after_a_section_named_like_the_roadmap_asks_about_that_section():
    """A section whose name only begins with the roadmap's ("Your Roadmap Costs") is not the roadmap."""
    from handmade import BAKER_GUIDE

    guide = BAKER_GUIDE.replace("Frequently Asked Questions", "Your Roadmap Costs\n"
                                "The evening course costs $300 and runs for ten weeks.\nFrequently Asked Questions")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs(READS | {"How long does it take?": Intent.TOTAL}))
    request = planner.plan("How long does it take?", turn("What does the evening course cost?"))
    assert request.plan == Plan.GENERAL and "ten weeks" in request.passages[0].page_content


def test_a_question_counting_hours_or_things_is_no_phase_length_or_place():
    """A phase lasts weeks; "how many hours of study" asks what the passages say, not "6 weeks"."""
    asked = {"How many hours of study does SQL Fundamentals take?": Intent.DURATION,
             "How many hours does the whole roadmap take?": Intent.TOTAL,
             "How many analyses do I publish at the end of the Portfolio phase?": Intent.START_END,
             "How many weeks does SQL Fundamentals take?": Intent.DURATION,
             "How many weeks are left after SQL Fundamentals?": Intent.START_END}
    planner = baker_planner(asked)
    assert [planner.plan(q, []).plan for q in asked] == [Plan.GENERAL] * 3 + [Plan.DURATION, Plan.FACT]


def test_a_question_asking_for_a_section_by_its_heading_is_answered_from_that_section():
    """"What should I get done this week?" asks for "This Week", though an FAQ about a bad
    week shares more of its words; a question naming something besides a heading ("which
    pivot tables this week?") is answered wherever that is."""
    from handmade import BAKER_GUIDE

    guide = BAKER_GUIDE + ("What if a bad week gets me behind?\nGet the week done anyway: a week done late beats "
                           "a week not done.\nThis Week\n- Block four study sessions around your baking shifts\n"
                           "- Export ninety days of orders from the till\n- Enroll in a free spreadsheet course\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    for asked in ("What should I get done this week?", "what do I do in the coming 7 days?"):
        assert ChunkMeta.of(planner.plan(asked, []).passages[0]).heading == "This Week", asked
    detail = planner.plan("What pivot tables should I learn this week?", [])
    assert ChunkMeta.of(detail.passages[0]).heading == "Spreadsheet Basics"


def test_a_question_asking_for_one_book_is_no_overview_of_the_section_it_names():
    """"What book does the plan have me read to learn ...?" names "What You Will Need to Learn"
    and may read as a list question, but asks for one book: the passage naming one leads."""
    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    guide = ("# Baker to Analyst\n\n## What You Will Need to Learn\n\nStatistics, SQL and the habit of asking "
             "what a number means.\n\n## The Plan\n\n### Weeks 1-4: Spreadsheets\n\n- Learn formulas\n"
             "- Read Storytelling with Data by Cole Knaflic\n\n### Weeks 5-8: SQL\n\n- Write queries\n")
    asked = "What book does the plan have me read to learn the numbers side?"
    planner = Planner(retriever=baker_retriever(chunk_guide(parse_guide("baker.md", guide))), roadmap=None,
                      settings=Settings(), intents=ReadAs({asked: Intent.OVERVIEW, "What will I need to learn?":
                                                           Intent.OVERVIEW}))
    request = planner.plan(asked, [])
    assert request.plan == Plan.GENERAL and ChunkMeta.of(request.passages[0]).heading == "Weeks 1-4: Spreadsheets"
    listed = planner.plan("What will I need to learn?", [])  # asking for no one thing: the section
    assert listed.plan == Plan.SECTION and ChunkMeta.of(listed.focus).heading == "What You Will Need to Learn"


def test_a_question_asking_for_a_book_is_answered_by_the_book_the_guide_names():
    book = "- Read Storytelling with Data by Cole Nussbaumer Knaflic\n"
    guide = BAKER_GUIDE.replace("- Clean a messy sales log\n", "- Clean a messy sales log\n" + book)
    retriever = baker_retriever(chunk_guide(parse_guide("baker.txt", guide)), words=True)
    reader = ReadAs()
    reader.everyday = set(content_terms("best start know literally nothing"))  # how questions ask, as exemplars do
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=reader)
    for question in ("whats the best book to start w/ if i know literally nothing",
                     "What's the first book I should read?"):
        request = planner.plan(question, [])
        assert request.plan != Plan.REFUSE and "Storytelling with Data" in request.passages[0].page_content, question
    # a book on what the guide never mentions is still refused
    assert planner.plan("What's a good book on sourdough baking?", []).plan == Plan.REFUSE


def test_a_question_asking_for_a_book_is_not_answered_by_an_faq_entry_that_names_none():
    book = "- Read Storytelling with Data by Cole Nussbaumer Knaflic\n"
    faq = ("Which spreadsheet program should I start with?\nAny of them: Excel and Google Sheets both have pivot "
           "tables.\nWhich book should I read first?\nNone at first: the free course is enough.\n")
    guide = BAKER_GUIDE.replace("- Clean a messy sales log\n", "- Clean a messy sales log\n" + book) + faq
    retriever = baker_retriever(chunk_guide(parse_guide("baker.txt", guide)))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    request = planner.plan("Which book should I start with for spreadsheets?", [])
    assert "Storytelling with Data" in request.passages[0].page_content
    # an entry asking for a book answers, even naming none
    assert focus(planner.plan("Which book should I read first, then?", [])) == "Which book should I read first?"


def test_a_month_in_a_question_is_a_week_of_a_roadmap_dated_by_month():
    guide = ("Baker to Analyst\n\nTHE ROADMAP\n\nThree stages, back to back.\n\nMarch 2027 — Sheets\n\n"
             "- pivot tables\n\nApril–May 2027 — SQL\n\n- joins\n\nJune 2027 — Portfolio\n\n- publish\n")
    retriever = baker_retriever(baker_documents(guide))
    asked = {"It's mid-May 2027. Which stage am I in?": Intent.WEEK_TO_PHASE,
             "what may I work on in June?": Intent.WEEK_TO_PHASE, "where will I be in October?": Intent.WEEK_TO_PHASE}
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs(asked))
    stage = planner.plan("It's mid-May 2027. Which stage am I in?", [])
    assert focus(stage) == "April–May 2027 — SQL" and stage.lead.startswith("Mid-May 2027 (week ")
    assert focus(planner.plan("what may I work on in June?", [])) == "June 2027 — Portfolio"  # "may": no month
    assert "is past its last phase" in planner.plan("where will I be in October?", []).lead


def test_a_thing_named_with_that_or_a_fragment_going_on_from_the_answer_points_back():
    """"why that order?" after "Spreadsheets first, then SQL." asks why of that answer, and "on which
    topics?" after naming the StatQuest videos asks of them, not for the guide's topics; "this week"
    is a time."""
    assert points_back("why that order?") and points_back("how much is that book?")
    assert points_back("on which topics?") and points_back("in what order?") and points_back("for how long?")
    assert not points_back("what do I do this week?") and not points_back("In which phase do I learn SQL?")
    guide = BAKER_GUIDE.replace("- Join customers to their orders\n", "- Join customers to their orders\n"
                                "- Watch the StatQuest videos on joins and window functions\n") + (
        "\nShould I learn SQL or spreadsheets first?\nSpreadsheets first, because formulas teach you to think in "
        "columns; then SQL.\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({"why that order?": Intent.WHY, "on which topics?": Intent.SUMMARY}))
    answerer = ExtractiveAnswerer(idf=retriever.bm25.idf, embedder=retriever.embedder)
    order = turn("should I learn SQL or spreadsheets first?", "Spreadsheets first, then SQL.")
    assert "think in columns" in answerer.answer(planner.plan("why that order?", order)).text
    videos = turn("What videos should I watch?", "The StatQuest videos, in the SQL phase.")
    assert "joins and window functions" in answerer.answer(planner.plan("on which topics?", videos)).text


def test_they_points_back_to_what_the_last_answer_named(writer):
    """"how much do they pay?" after support roles were named asks the pay of those roles."""
    assert points_back("how much do they pay?") and points_back("what kinds of material should they cover?")
    history = turn("How much will I earn?", "A junior UX writer earns $75,000 to $90,000 [1].")
    request = writer.plan("what do they study first?", history)
    assert "How much will I earn?" in request.standalone


def test_that_as_the_subject_of_a_question_points_back():
    assert points_back("where does that show up in the plan?") and points_back("is that less than I make now?")
    assert points_back("what's that?") and is_follow_up("where does that show up in the plan?")
    assert not points_back("Which skills are the ones that transfer?")


def test_it_in_a_follow_up_is_what_the_last_answer_opened_with():
    """"is there a course to go with it?" after "Design for How People Learn by Julie Dirksen"
    is about that book's phase, though the question before it named the other phase's words."""
    guide = ("# Teacher to Designer\n## Roadmap\n### Phase 1: Foundations (Weeks 1-3)\nStart with Design for How "
             "People Learn by Julie Dirksen. Alongside it, take the Foundations course from the University of "
             "Illinois.\n### Phase 2: Tools (Weeks 4-6)\nLearn Rise first: the first tool, and a course in an "
             "afternoon.\n")
    documents = chunk_guide(parse_guide("g.md", guide))
    retriever = baker_retriever(documents)
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(documents), settings=Settings(),
                      intents=ReadAs())
    history = turn("What should I learn before the tools?", "Design for How People Learn by Julie Dirksen, in Phase 1.")
    request = planner.plan("is there a course to go with it?", history)
    assert ChunkMeta.of(request.passages[0]).heading == "Phase 1: Foundations (Weeks 1-3)"
    module = turn("What should I learn before the tools?", "A short module built in Rise, in Phase 2.")
    assert "Rise" not in planner.plan("is there a course to go with it?", module).standalone  # "it": the module


def test_whats_in_it_after_a_phase_asks_for_the_phase_not_the_guide():
    planner = baker_planner({"How long is the SQL Fundamentals phase?": Intent.DURATION,
                             "what's in it?": Intent.SUMMARY, "what's in the guide?": Intent.SUMMARY})
    history = turn("How long is the SQL Fundamentals phase?", "SQL Fundamentals takes 6 weeks.")
    request = planner.plan("what's in it?", history)
    assert (request.plan, focus(request)) == (Plan.SECTION, "SQL Fundamentals")
    assert planner.plan("what's in the guide?", history).plan == Plan.SUMMARY
    assert points_back("which of those matters most?") and not points_back("Which of the phases is longest?")


def test_a_follow_up_naming_only_one_of_the_guides_roles_keeps_the_conversations_topic():
    """"and for data analysts, for comparison?" names nothing but a role the whole guide is
    about: it asks the last question again of that role, and is not refused as off the guide."""
    history = turn("What goes in the production log?", "Keeping a production log every morning")
    request = baker_planner().plan("and for data analysts, for comparison?", history)
    assert request.plan != Plan.REFUSE
    assert "production log" in request.standalone


def test_an_initialisms_plural_is_the_initialism_and_comparing_words_name_no_topic():
    from bot.answer.questions import has_own_topic

    assert content_terms("how much do SEs make vs SAs?") == content_terms("how much do SE make vs SA?")
    assert not has_own_topic("and what about in comparison?")


def test_a_pay_question_in_words_far_from_the_faqs_is_answered_by_the_faq_entry_on_pay():
    guide = BAKER_GUIDE + "Will I take a pay cut?\nRarely: junior analysts start above most bakers.\n"
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    request = planner.plan("is that gonna be less than what i make now at the bakery?", [])
    assert request.plan == Plan.SECTION and focus(request) == "Will I take a pay cut?"
    assert planner.plan("Do I need a degree?", []).focus is not None  # other entries as before
    assert planner.faq_match("what more can I make with sourdough?") is None  # "make" alone is no pay


def test_a_heading_about_another_facet_is_not_named_by_the_word_it_shares():
    """"Which of my skills carry over?" shares "skills" with "Skills You'll Need to Learn", and
    "my biggest advantage?" shares "biggest" with "Biggest Challenges": each heading is about
    another facet, so the question is answered from the section about its own (my advantage:
    what I bring)."""
    guide = BAKER_GUIDE + ("Skills You'll Need to Learn\nHere's what you'll need to learn.\n"
                           "Statistics\n- Averages and spread\nPython\n- Loops and functions\n"
                           "Reality Check\nAn honest look.\nBiggest Challenges\n- Sitting at a desk all day\n"
                           "What You'll Love\n- Regular daytime hours\n")
    retriever = baker_retriever(baker_documents(guide))
    asked = {"Which of my skills carry over?": Intent.OVERVIEW, "What's my biggest advantage?": Intent.OVERVIEW,
             "Which skills will I need to learn?": Intent.OVERVIEW, "What's the biggest challenge?": Intent.OVERVIEW,
             # what I learned is what I have; what will help me as an analyst is of use to one
             "Which things I learned at the bakery will help me as an analyst?": Intent.OVERVIEW}
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs(asked))
    assert [focus(planner.plan(q, [])) for q in asked] == [
        "Skills That Transfer", "Skills That Transfer", "Skills You'll Need to Learn", "Biggest Challenges",
        "Skills That Transfer"]


def test_how_long_of_something_the_guide_never_names_is_no_phase_duration():
    """"How many years is the SQL Fundamentals certificate valid?" names a phase, but asks how
    long of something else: not answered with the phase's weeks."""
    class Exemplars(ReadAs):
        words = {Intent.DURATION: set(content_terms("How long does the phase take? How many weeks is it?"))}

    asked = {q: Intent.DURATION for q in ("How many years is the SQL Fundamentals certificate valid?",
                                          "How many weeks is the SQL Fundamentals phase?")}
    planner = baker_planner()
    planner.intents = Exemplars(asked)
    assert [planner.plan(q, []).plan for q in asked] == [Plan.GENERAL, Plan.DURATION]


def test_how_long_of_a_thing_a_phase_gives_a_length_for_is_that_length_not_the_phases():
    """"How long is the Tableau trial?" is answered by the phase's "a 14-day Tableau trial", not
    with the phase's weeks; "how long do I spend on joins?" still asks of the phase."""
    guide = BAKER_GUIDE.replace("- Join customers to their orders\n",
                                "- Join customers to their orders\n- Start a 14-day Tableau trial\n")
    retriever = baker_retriever(baker_documents(guide))
    asked = {q: Intent.DURATION for q in ("How long is the Tableau trial?", "How long do I spend on joins?")}
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs(asked))
    trial, joins = (planner.plan(q, []) for q in asked)
    assert trial.plan == Plan.GENERAL and ChunkMeta.of(trial.passages[0]).heading == "SQL Fundamentals"
    assert (joins.plan, focus(joins)) == (Plan.DURATION, "SQL Fundamentals")


def test_that_last_one_is_the_last_item_of_the_list_the_answer_gave(planner):
    """"Why does that last one matter?" after a list asks about its last item, whether the
    answer listed it in a sentence or as bullets; without a list it asks about nothing new."""
    from bot.answer.questions import with_listed_item

    said = "Weighing to the gram, exact recipes, and a production log."
    assert with_listed_item("Why does that last one matter?", said) == "Why does a production log matter?"
    assert with_listed_item("and the second one?", "Precision [1]:\n- Weighing [2]\n- Recipes") == "and Recipes?"
    assert with_listed_item("Why does that last one matter?", "Learn SQL first.") == "Why does that last one matter?"
    assert is_follow_up("how much does the second one cost?")  # it names a topic, but points back for it

    request = planner.plan("Why does that last one matter?", turn("What skills transfer?", said))
    assert request.question == "Why does a production log matter?"
    assert "Keeping a production log" in ExtractiveAnswerer(idf=planner.retriever.bm25.idf).answer(request).text


def test_a_question_asking_for_a_sum_is_not_answered_by_an_faq_entry_giving_none(planner):
    """"What is the degree fee?" is close to the FAQ "Do I need a degree?", whose answer holds no
    sum: it is answered from the passages. A yes or no question may still get the entry."""
    assert planner.plan("What is the degree fee?", []).plan == Plan.GENERAL
    assert focus(planner.plan("Will a degree cost much?", [])) == "Do I need a degree?"


def test_a_question_naming_a_phase_as_where_to_look_is_not_answered_by_an_faq_entry():
    """"Which SQL queries should I write during the SQL phase?" reads close to the FAQ's "Which
    SQL should I learn first?", but asks what the phase says: its passage, not the entry."""
    guide = BAKER_GUIDE + "Which SQL should I learn first?\nPostgreSQL. It is free and most job postings name it.\n"
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    asked = "Which SQL queries should I write first during the SQL phase?"
    assert planner.faq_match(asked) is not None and planner.faq_answers(asked) is None
    request = planner.plan(asked, [])
    assert request.plan == Plan.GENERAL and ChunkMeta.of(request.passages[0]).heading == "SQL Fundamentals"
    assert focus(planner.plan("Which SQL should I learn first?", [])) == "Which SQL should I learn first?"


def test_a_question_naming_a_section_is_not_answered_by_an_faq_entry_it_names_less():
    """"Which skills transfer?" reads close to the FAQ's "Do my baking skills transfer to a new
    job?", but names all of the section "Skills That Transfer" and less than half the entry."""
    guide = ("# Baker to Analyst\n\n## Skills That Transfer\n\nPrecision and scheduling.\n\n## FAQ\n\n"
             "### Do my baking skills transfer to a new job?\n\nSome do, with practice.\n\n"
             "### Do I need a degree?\n\nNo.\n")
    retriever = baker_retriever(chunk_guide(parse_guide("baker.md", guide)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    asked = "Which skills transfer?"
    assert planner.faq_match(asked) is not None and planner.faq_answers(asked) is None
    own = "Do my baking skills transfer to a new job?"  # named by the entry's own question: the entry
    assert focus(planner.plan(own, [])) == own
    assert planner.faq_answers("Which skills for the job?") is not None  # half of "Skills That Transfer": no name


def test_a_question_whose_words_a_lower_ranked_passage_holds_is_not_off_topic():
    """A long stage's passage is far in meaning from one bullet of it ("the National Dental
    Practice-Based Research Network"): a passage holding the question's words, though not
    ranked first, is evidence the guide covers it."""
    planner = baker_planner()

    def far(heading: str) -> Document:  # as retrieved, but not close in meaning
        doc = next(d for d in planner.retriever.documents if ChunkMeta.of(d).heading == heading)
        return Document(id=doc.id, page_content=doc.page_content, metadata={**doc.metadata, "similarity": 0.05})

    question = "Which tables should I join customers and orders with, and what pivot?"
    assert planner.off_topic(question, [far("Spreadsheet Basics")])  # 0.4 of its words, far in meaning
    assert not planner.off_topic(question, [far("Spreadsheet Basics"), far("SQL Fundamentals")])  # 0.6
    # a quarter of the words is enough only in the passage ranked first
    assert planner.off_topic(question, [far("Overview"), far("SQL Fundamentals")])


def test_phases_added_may_each_be_named_by_a_word_only_its_name_has():
    """"spreadsheets and querying combined?" names "Relational Database Querying Fundamentals"
    by one word of four, but a word no other phase's name has: both phases are added."""
    guide = BAKER_GUIDE.replace("SQL Fundamentals\n", "Relational Database Querying Fundamentals\n")
    retriever = baker_retriever(baker_documents(guide))
    asked = "How many weeks do spreadsheets and querying take combined?"
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({asked: Intent.PHASE_ARITHMETIC}))
    assert len(planner.named_phases(asked)) < 2
    assert planner.plan(asked, []).lead.startswith("Together, Spreadsheet Basics (4 weeks) and Relational Database "
                                                   "Querying Fundamentals (6 weeks) take 10 weeks")


def test_a_phase_timed_in_weeks_and_dated_in_its_heading_is_answered_with_both():
    """"### Weeks 5–7 (February 1 – February 21): Coding": the week it starts and its dates."""
    guide = ("# From Pharmacy Technician to Coder\n\n## The plan\n\n### Weeks 1–4 (January 4 – January 31): Anatomy\n\n"
             "- Learn the terms.\n\n### Weeks 5–7 (February 1 – February 21): Coding\n\n- Code charts.\n")
    asked = "When does the Coding phase start?"
    planner = guide_planner(guide, {asked: Intent.START_END})
    assert planner.plan(asked, []).lead.startswith(
        "Coding runs from week 5 to week 7 (phase 2 of 2, 3 weeks, February 1 – February 21)")
    assert planner.roadmap.dates == "January 4 to February 21"
    assert planner.roadmap.week_on("It's February 8: what should I be doing?") == ("February 8", 6.0)


def test_doing_first_a_section_named_by_its_heading_asks_for_that_section_not_phase_one():
    """"what should I do first this week?" in a guide with a "This week" section: that section;
    "what should I do first?" alone: the roadmap's first phase."""
    guide = ("# From Baker to Analyst\n\n## Roadmap\n\n### Weeks 1–4: Sheets\n\n- Learn formulas.\n\n"
             "### Weeks 5–8: SQL\n\n- Write queries.\n\n## This week\n\n- Clean one sales log.\n")
    planner = guide_planner(guide)
    assert focus(planner.plan("what should I do first?", [])) == "Weeks 1–4: Sheets"
    request = planner.plan("what should I do first this week?", [])
    assert ChunkMeta.of(request.passages[0]).heading == "This week"
    assert focus(planner.plan("what's the first step this week?", [])) == "Weeks 1–4: Sheets"  # a step: of the plan


def test_a_question_asking_for_a_sum_gets_a_passage_stating_one_retrieval_ranked_just_below():
    """"how much do juniors make starting out?": the passages sharing its words ("make",
    "starting") state no sum; the one saying what juniors earn, ranked below them, is evidence too."""
    guide = BAKER_GUIDE + ("Pay\nJuniors earn $48,000 a year.\n"
                           "Starting Out\nMake a list of bakeries to start with and make time for them.\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(k=1), intents=ReadAs({}))
    question = "how much do juniors make starting out?"
    assert [ChunkMeta.of(p).heading for p in retriever.search(question, 2)] == ["Starting Out", "Pay"]
    request = planner.plan(question, [])
    assert [ChunkMeta.of(p).heading for p in request.passages] == ["Starting Out", "Pay"]
    unpriced = planner.plan("how do juniors make a start?", [])
    assert [ChunkMeta.of(p).heading for p in unpriced.passages] == ["Starting Out"]


def test_a_list_question_takes_the_section_about_what_it_asks_over_one_sharing_more_words():
    """"Which skills from bakery work carry over to data work?" shares "data" and "work" with
    "What You Still Need"; "What You Already Bring" is about what carries over ("bring")."""
    guide = ("From Pastry Chef to Records Keeper\nOverview\nChefs keep logs.\n"
             "What You Still Need\nSkills from bakery work go only so far in data work.\n"
             "Data Governance\n- Work with data owners\n"
             "Data Cleaning\n- Clean data for work\nWhat You Already Bring\nA good start.\n"
             "Cataloguing\n- Labelling every tray\nHygiene\n- Keeping records\n"
             "Risk Assessment and Controls\n- Rate every risk\n")
    asked = "Which skills from bakery work carry over to data work?"
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs({asked: Intent.OVERVIEW}))
    words = {ChunkMeta.of(p).heading: Scores.of(p).bm25 for p in retriever.search(asked, 6)}
    assert words["What You Still Need"] > words["What You Already Bring"]
    assert focus(planner.plan(asked, [])) == "What You Already Bring"
    # a heading touching the facet by one word among others is about something else
    risk = next(d for d in retriever.documents if ChunkMeta.of(d).heading == "Risk Assessment and Controls")
    assert not planner.about_the_asked("What's the toughest part of switching?", risk)


def test_a_section_read_as_judging_the_move_as_asked_keeps_the_question_on_topic_at_any_rank(planner):
    """"Will I actually enjoy the work?" shares no word with "The good parts", which the heading
    judge reads as the good side: ranked second, it still covers the question."""
    question = "Will I actually enjoy the work?"
    passages = [Document(id=d.id, page_content=d.page_content, metadata={**d.metadata, "similarity": 0.1})
                for d in planner.retriever.search(question, 2)]
    assert planner.off_topic(question, passages)
    passages[1].metadata["judged"] = 1  # as the retriever marks a heading the judge reads the asked way
    assert not planner.off_topic(question, passages)


def test_what_a_phase_named_by_name_ends_with_is_asked_of_that_phase_not_a_passage_naming_it():
    """"By the end of the SQL phase?" had quoted the roadmap's overview, which says "the SQL
    phase" in so many words: the phase is presented whole, with its closing line."""

    guide = BAKER_GUIDE.replace("Three phases take you from spreadsheets to a portfolio.",
                                "Three phases. If you fall behind, shorten the SQL phase at the end.")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    request = planner.plan("What will I have by the end of the SQL phase?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "SQL Fundamentals")
    answer = ExtractiveAnswerer(idf=retriever.bm25.idf).answer(request).text
    assert "Join customers to their orders" in answer and "shorten" not in answer


def test_a_question_judging_the_move_is_not_answered_by_an_faq_entry_judging_nothing():
    """"Will I miss baking while I study?" reads close to the FAQ's "Can I keep baking?", but
    asks what the move costs: "Biggest Challenges" answers it, not the entry's "Yes."."""
    guide = ("# Baker to Analyst\n\n## Biggest Challenges\n\n- Many bakers miss the smell of the ovens at first\n\n"
             "## FAQ\n\n### Can I keep baking while I study?\n\nYes. The plan fits around early shifts.\n")
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    asked = "Will I miss baking while I study?"
    assert planner.faq_match(asked) is not None and planner.faq_answers(asked) is None
    assert focus(planner.plan("Can I keep baking while I study?", [])) == "Can I keep baking while I study?"


def test_a_follow_up_is_about_the_passage_the_last_answer_quoted_not_the_one_ranked_first():
    """"What happens in Sprint 2?" was answered from the passage retrieval ranked second; "and
    the one after that?" is after Sprint 2, not after the passage ranked first."""
    total = "How long does the whole roadmap take?"
    planner = baker_planner({"And after that?": Intent.NEXT_PREV, total: Intent.TOTAL, "why?": Intent.WHY})
    asked = "Which table do bakers query every morning?"
    assert ChunkMeta.of(planner.plan(asked, []).passages[0]).heading == "Scheduling"
    said = "Write SELECT queries against an orders table, then join customers to their orders."
    request = planner.plan("And after that?", turn(asked, said))
    assert (request.plan, focus(request)) == (Plan.SECTION, "Portfolio")
    assert request.lead == "After SQL Fundamentals comes Portfolio (2 weeks)"
    # a computed answer is followed from what it was computed from (its title line is no passage to search)
    assert planner.plan("why?", turn(total, "The roadmap takes 12 weeks.")).plan == Plan.GENERAL


def test_a_list_question_naming_one_part_in_passing_or_retrieving_one_lists_the_section_holding_it(monkeypatch):
    """"Which things I do running a bakery shift will help?" names "Running a shift by the
    numbers" in passing: it is one item of the list asked for. A part named in full is asked
    about itself; a part retrieved first stands for its section when that section is about
    what the question asks ("carry over": "What You Already Bring")."""
    guide = ("# Baker to Analyst\n\n## What You Already Bring\n\n### Weighing to the gram\n\nPrecision counts.\n\n"
             "### Running a shift by the numbers\n\nYou report loaves per hour every day.\n\n"
             "### Keeping logs\n\nA production log every morning.\n\n## The hard parts\n\n"
             "### You will miss the ovens\n\nNo more warm bread at dawn.\n\n"
             "### Slow feedback\n\nResults take weeks.\n\n"
             "## Pay\n\nAnalysts earn more.\n")
    in_passing = "Which of the things I do running a bakery shift will help?"
    in_full = "What does running a shift by the numbers mean?"
    carried = "Which skills from counting loaves per hour carry over?"
    judged = "What will I miss most about the bakery?"  # named by what it judges, not in passing
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(),
                      intents=ReadAs(dict.fromkeys([in_passing, in_full, carried, judged], Intent.OVERVIEW)))
    request = planner.plan(in_passing, [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "What You Already Bring")
    assert focus(planner.plan(in_full, [])) == "Running a shift by the numbers"
    assert focus(planner.plan(judged, [])) == "You will miss the ovens"
    # In a long guide the section's own passage (a heading, no text) can rank below every part.
    search = type(retriever).search
    monkeypatch.setattr(type(retriever), "search", lambda self, query, k: [
        d for d in search(self, query, k + 1) if not ChunkMeta.of(d).children][:k])
    assert ChunkMeta.of(retriever.search(carried, 6)[0]).heading == "Running a shift by the numbers"
    assert focus(planner.plan(carried, [])) == "What You Already Bring"


def test_how_long_of_a_thing_the_last_answer_named_in_a_phase_is_its_length_not_the_phases():
    """"How long does it take to finish?" after "the Stanford database course, which you start
    in the SQL phase" asks the course's three months, which the phase states, not its six weeks."""
    guide = BAKER_GUIDE.replace("- Join customers to their orders", "- Join customers to their orders\n"
                                "- Start the Stanford database course; the full course usually takes three months")
    retriever = baker_retriever(baker_documents(guide))
    asked = "How long does it take to finish?"
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({asked: Intent.DURATION, "How long does the SQL phase take?": Intent.DURATION}))
    history = turn("Which database course does the guide mention?",
                   "The Stanford database course, which you start in the SQL phase.")
    request = planner.plan(asked, history)
    assert request.plan == Plan.FACT and request.lead.endswith("the full course usually takes three months")
    # the phase, named, is still asked its own length
    assert focus(planner.plan("How long does the SQL phase take?", history)) == "SQL Fundamentals"


QUARTERS_GUIDE = """# Session Musician to Game Audio in 6 Months

## The Roadmap

The plan runs for six months in two quarters.

### Q1 — Months 1–3: Ears to Engines

- **Month 1** — Set up
  - Buy a Reaper licence and move your sound design into it.
- **Month 2** — Middleware
  - Complete the free Wwise course.
- **Month 3** — Redesigns
  - Redesign three gameplay clips.

### Q2 — Months 4–6: Reel & Launch

- **Month 4** — Record
  - Record 200 original sounds.
- **Month 5** — Reel
  - Cut a demo reel of no more than 3 minutes.
- **Month 6** — Apply
  - Send 40 applications.

## Your First Steps This Week

1. Download Reaper.
2. Order The Game Audio Tutorial.
3. Block out your study hours.
"""


@pytest.fixture(scope="module")
def quarters():
    reads = {"What do I do in Month 5?": Intent.WEEK_TO_PHASE, "and the month after that?": Intent.NEXT_PREV,
             "What happens in the second quarter?": Intent.PASSAGE, "How long is the demo reel?": Intent.DURATION,
             "How long is Reel & Launch?": Intent.DURATION,
             "What should I be doing over the next few days?": Intent.PASSAGE}
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", QUARTERS_GUIDE)))
    return Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                   intents=ReadAs(reads))


def test_a_part_of_a_phase_asked_for_by_its_heading_is_that_part_and_the_next_is_its_sibling(quarters):
    request = quarters.plan("What do I do in Month 5?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "Month 5")
    # an answer opening with a part's heading is about that part, though it uses a phase's words
    after = quarters.plan("and the month after that?", turn("What do I do in Month 5?",
                                                             "Month 5 — Reel [1]: cut a demo reel, then launch it"))
    assert focus(after) == "Month 6"


def test_a_quarter_is_a_phase_by_its_number_and_shown_with_how_its_parts_open(quarters):
    request = quarters.plan("What happens in the second quarter?", [])
    assert focus(request) == "Q2 — Months 4–6: Reel & Launch"
    parts = [ChunkMeta.of(d).heading for d in request.passages]
    assert {"Month 4", "Month 5", "Month 6"} <= set(parts)  # at hand, to say how each opens


def test_how_long_a_thing_is_that_names_a_phase_in_part_is_the_things_length(quarters):
    assert quarters.plan("How long is the demo reel?", []).plan != Plan.DURATION  # "3 minutes", not 13 weeks
    assert quarters.plan("How long is Reel & Launch?", []).plan == Plan.DURATION


def test_how_long_a_thing_is_that_its_phase_gives_a_length_is_the_things_length():
    """"How long should the trailer for my pilot be?" names "Build a Pilot Season" in part, and
    that phase itself says "a 90-second trailer": the trailer's length, not the phase's 6 weeks."""
    guide = ("# T\n\n## Roadmap\n\n### Weeks 1-10: Learn to Edit\n\nCut ten interviews.\n\n"
             "### Weeks 11-16: Build a Pilot Season\n\nRecord three episodes and cut a 90-second trailer.\n")
    reads = {"How long should the trailer for my pilot be?": Intent.DURATION,
             "How long is the pilot season phase?": Intent.DURATION}
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs(reads))
    assert planner.plan("How long should the trailer for my pilot be?", []).plan != Plan.DURATION
    assert planner.plan("How long is the pilot season phase?", []).plan == Plan.DURATION


def test_a_section_whose_heading_names_this_week_is_asked_for_by_this_week_said_another_way(quarters):
    request = quarters.plan("What should I be doing over the next few days?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "Your First Steps This Week")


def test_the_next_month_asks_for_a_part_headed_next_30_days_not_its_section_naming_both_times():
    """A heading's time is read as a question's is ("Next 30 days" is "the next month"), and the
    part asked for is answered, not the section "This Week and the Next 30 Days" holding it."""
    guide = ("# T\n\n## Why\n\nIt pays.\n\n## This Week and the Next 30 Days\n\n### This week\n\n"
             "- Enroll in the Excel course.\n\n### Next 30 days\n\n- Finish the SQL lessons.\n")
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs({}))
    assert focus(planner.plan("what should I do over the next month?", [])) == "Next 30 days"
    history = turn("what should I do this week?", "Enroll in the Excel course.")
    assert focus(planner.plan("ok and over the next month?", history)) == "Next 30 days"
    # "Next week" is a heading of its own, not this week said another way
    weeks = ("# T\n\n## Why\n\nIt pays.\n\n## Your First Weeks\n\n### This week\n\n- Enroll.\n\n"
             "### Next week\n\n- Finish the first module.\n")
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", weeks)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs({}))
    assert focus(planner.plan("what should I do this week?", [])) == "This week"


def test_a_question_asking_how_much_is_not_answered_by_an_faq_entry_asking_no_amount():
    """"how much is the CPC exam" reads much like "Is the CPC exam open book?" to the embedding
    model, but asks for a price: the FAQ entry does not answer it; "How much does the CPC exam
    cost?" would."""
    guide = ("# T\n\n## Money\n\n- CPC exam: $499\n\n## FAQ\n\n### Is the CPC exam open book?\n\n"
             "Yes, you may bring the manuals.\n")
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs({}))
    assert planner.faq_match("is the cpc exam open book") is not None
    assert planner.faq_match("how much is the cpc exam") is None


def test_a_heading_of_one_word_named_in_passing_does_not_keep_the_faq_from_answering():
    """"or do I move?" names all of "Why Make the Move", by the one word any question about the
    change may use: the FAQ entry asking the same question still answers it."""
    guide = ("# T\n\n## Why Make the Move\n\nAnalytics pays better.\n\n## FAQ\n\n"
             "### Can I switch roles without leaving my current company, team, manager, city, salary, pension or "
             "office?\n\nOften yes, and it is the easiest route.\n\n### Do I need a degree?\n\nNo.\n")
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs({}))
    request = planner.plan("Can I switch roles at my current company and team, or do I move?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "Can I switch roles without leaving my current "
                                              "company, team, manager, city, salary, pension or office?")


def test_a_language_named_with_its_symbols_is_looked_for_whole():
    """"which book goes with C++?" names C++, which the quoted line names: no caveat about "C"."""
    known = dict.fromkeys(content_terms("C++ C# book"), 1.0)
    assert caveat("which book goes with C++?", ["Modern C++: A Tour of C++ by Bjarne Stroustrup"], known) == ""
    assert caveat("which course goes with C#?", ["Learn C# with the free Microsoft course."], known) == ""
    assert caveat("which book goes with C#?", ["Modern C++: A Tour of C++"], known) == (
        "The guide doesn't say anything about C# in particular.")


def test_a_company_asked_about_as_the_one_doing_or_where_it_is_done_is_said_to_be_unmentioned():
    """"How does Google structure its interviews?" asks of Google, which the guide names only in
    "the Google Data Analytics certificate": evidence not naming Google is said not to be about it."""
    quoted = ["If you have run exit interviews, you have worked with messy data."]
    known = dict.fromkeys(content_terms("Google phase"), 1.0)  # the guide names Google and its phases
    for asked in ("How does Google structure its interview process?", "What are interviews at Google like?",
                  "What is Google's interview process?"):
        assert caveat(asked, quoted, known) == "The guide doesn't say anything about Google in particular."
    assert caveat("How does Google structure it?", ["The Google certificate costs $49."], known) == ""
    assert caveat("How many hours for Phase 2?", ["Study 8 hours a week."], known) == ""  # a part of the plan


FLIGHT_GUIDE = """# Airline Pilot to Drone Operations in 5 Months

## What Comes With You

- Checklist discipline
- Weather interpretation

## Your Flight Plan

**Weeks 1–3 · Ground School:** Study the remote pilot guide.

**Weeks 4–7 · Stick Time:** Fly 25 hours with your own drone.

**Weeks 8–13 · The Ops Manual:** Write an operations manual.

## What's Hard

The money is the hardest part for major-airline pilots, and the tough parts start early.

The flying itself is humbling at first.

The job is mostly not flying.

## Questions People Ask

### Career

#### Can I go back to the airlines?

You can, but not to your old number.

#### Am I too old to switch?

No: employers hire captains in their fifties.

#### Will employers care about my ATP?

Very much.
"""


@pytest.fixture(scope="module")
def flight():
    reads = {"And what comes right after that?": Intent.NEXT_PREV,
             "What are the tough parts of making this career change?": Intent.OVERVIEW,
             "What are the toughest parts of making this switch?": Intent.OVERVIEW,
             "What skills carry over?": Intent.OVERVIEW, "What skills carry over in the UK?": Intent.OVERVIEW}
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", FLIGHT_GUIDE)))
    return Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                   intents=ReadAs(reads))


def test_what_comes_after_that_is_after_the_conversations_phase_not_a_heading_named_by_comes(flight):
    history = turn("What do I do in the Stick Time phase?", "Weeks 4–7 · Stick Time [1]: fly 25 hours")
    assert focus(flight.plan("And what comes right after that?", history)) == "Weeks 8–13 · The Ops Manual"


def test_a_one_word_heading_named_in_passing_is_not_the_overview_asked_for(flight):
    """"this career change" names the FAQ group "Career" by the one word any question may use:
    the section the question is about, ranked first, answers it."""
    request = flight.plan("What are the tough parts of making this career change?", [])
    assert focus(request) != "Career"
    assert ChunkMeta.of(request.passages[0]).heading == "What's Hard"
    # nor a heading of two words that the question names by its word for the move alone
    switch = flight.plan("What are the toughest parts of making this switch?", [])
    assert ChunkMeta.of(switch.passages[0]).heading == "What's Hard"


def test_an_overview_naming_what_the_guide_never_does_is_answered_after_saying_so(flight):
    assert focus(flight.plan("What skills carry over?", [])) == "What Comes With You"
    # not the section whole, as if the guide answered: what it says, after "The guide doesn't mention UK."
    assert flight.plan("What skills carry over in the UK?", []).plan != Plan.SECTION


WRITER_GUIDE = """# Can a Nurse Become a UX Writer in 6 Months?

## What skills do I already have?

More than you think. These carry over directly:

- Plain language: you turn medical jargon into words a patient can act on.
- Listening: you interview patients every shift.
- Documentation: years of charting taught you to write briefly.

## What should I do this week?

1. Read one style guide.
2. Rewrite one discharge letter.

## How much will I earn?

- Junior UX writer: $75,000 to $90,000
- Mid-level content designer: $100,000 to $125,000
- Senior content designer: $130,000 to $165,000

## How much time does it take?

Plan on 8 hours a week of study.
"""


@pytest.fixture(scope="module")
def writer():
    retriever = baker_retriever(chunk_guide(parse_guide("writer.md", WRITER_GUIDE)))
    return Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())


def test_a_list_ranked_first_whose_heading_is_about_what_is_asked_is_given_whole(writer):
    """"Which strengths carry over?" is answered by "What skills do I already have?" and its
    parts, though read as a passage question; "I already have a degree" asks for no such list."""
    request = writer.plan("Which of my nursing strengths carry over to the new job?", [])
    assert (request.plan, focus(request)) == (Plan.SECTION, "What skills do I already have?")
    assert writer.plan("I already have a degree; is that enough to get hired?", []).plan != Plan.SECTION


def test_a_follow_up_naming_what_the_last_answers_section_holds_is_not_refused(writer):
    history = turn("How much does a mid-level content designer earn?",
                   "Mid-level content designers earn $100,000 to $125,000 [1].")
    request = writer.plan("and what about the senior ones?", history)
    assert request.plan != Plan.REFUSE
    assert "Senior content designer" in [ChunkMeta.of(d).heading for d in request.passages]
    assert writer.plan("and what about pizza ovens?", history).plan == Plan.REFUSE


def test_a_follow_up_pointing_back_that_asks_what_the_guide_never_says_is_refused():
    """"can I do it from home?" after the week's tasks is about them, and the guide says nothing of
    working from home (nor of anything near it in meaning): the topic's words, which the rewritten
    question holds, do not cover it."""
    retriever = baker_retriever(chunk_guide(parse_guide("writer.md", WRITER_GUIDE)), words=True)
    writer = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    history = turn("What should I do this week?", "Read one style guide and rewrite one discharge letter [1].")
    assert writer.plan("can I do it from home?", history).plan == Plan.REFUSE
    assert writer.plan("can I do it remotely?", history).plan == Plan.REFUSE
    assert writer.plan("does it lead anywhere?", history).plan != Plan.REFUSE  # a verb names no subject
    assert writer.plan("is one discharge letter enough for it?", history).plan != Plan.REFUSE  # the topic's own words
    assert writer.plan("which style guide do I read for it?", history).plan != Plan.REFUSE


def test_hours_a_week_name_no_section_about_this_week(writer):
    """"a week" in "how many hours a week" is a rate: it does not name "What should I do this week?"."""
    shares = writer.heading_shares("How many hours a week should I study?")
    this_week = next(i for i, d in enumerate(writer.retriever.documents)
                     if ChunkMeta.of(d).heading == "What should I do this week?")
    assert shares[this_week] == 0
    assert writer.heading_shares("What should I do this week?")[this_week] > 0


MONTHS_GUIDE = ("Baker to Analyst\n\nTHE ROADMAP\n\nThree stages, back to back.\n\nMarch 2027 — Sheets\n\n"
                "- pivot tables\n\nApril & May 2027 — SQL\n\n- joins\n\nJune 2027 — Portfolio\n\n- publish\n\n"
                "CERTIFICATES\n\nThe CIPS certificate takes four to six months alongside work.\n\n"
                "WHAT IT COSTS\n\n- March 2027 (subtotal: $272)\n- April & May 2027 (subtotal: $280)\n"
                "- June 2027 (subtotal: $375)\n- Grand total: $927\n")


@pytest.fixture(scope="module")
def by_month():
    retriever = baker_retriever(baker_documents(MONTHS_GUIDE))
    asked = {"How long is the June phase?": Intent.DURATION,
             "How long do the April–May stretch and the June phase take together?": Intent.PHASE_ARITHMETIC,
             "What do the March and June phases cost when you add them together?": Intent.PHASE_ARITHMETIC}
    return Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                   intents=ReadAs(asked))


def test_a_phase_dated_by_month_is_named_by_its_months_and_their_prices_are_added_not_their_weeks(by_month):
    assert focus(by_month.plan("How long is the June phase?", [])) == "June 2027 — Portfolio"
    both = by_month.plan("How long do the April–May stretch and the June phase take together?", [])
    assert "SQL" in both.lead and "Portfolio" in both.lead and "13 weeks" in both.lead
    cost = by_month.plan("What do the March and June phases cost when you add them together?", [])
    assert "$647" in cost.lead and "weeks" not in cost.lead


def test_a_month_asked_with_a_thing_its_phase_names_is_answered_by_the_phases_units_on_it(by_month):
    thing = by_month.plan("how many pivot tables do I build in March?", [])
    assert thing.plan == Plan.GENERAL and thing.lead.startswith("March (week 1) falls in phase 1, Sheets")
    assert [ChunkMeta.of(d).heading for d in thing.passages] == ["March 2027 — Sheets"]
    assert by_month.plan("what am I doing in May?", []).plan == Plan.SECTION  # the phase whole


def test_a_month_in_the_last_answer_names_no_phase_for_the_follow_up(by_month):
    """"..., which you register for in June" then "how long does it take?" asks of the certificate."""
    history = turn("Which CIPS certificate should I get?", "The CIPS certificate, which you register for in June.")
    topic, _, _ = by_month.conversation("how long does it take to finish?", history, 0)
    assert topic is None or ChunkMeta.of(topic).heading != "June 2027 — Portfolio"


def test_a_follow_up_pointing_back_is_answered_by_an_faq_entry_only_if_it_asks_that_of_its_topic():
    """"so how does the plan help me with that?" after the toughest part of getting hired asks of
    that: the FAQ entry on how the plan helps, near in the follow-up's own words, answers it only
    when asked without the topic."""
    entry = "How does following this plan help me land a job?"
    guide = ("# T\n\n## Hard parts\n\n### Getting hired without experience\n\nPostings ask for two years of "
             f"experience, which is why the portfolio phase matters.\n\n## FAQ\n\n### {entry}\n\n"
             "It gives you a weekly schedule.\n")
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs({}))
    history = [{"role": "user", "content": "What's the toughest part of getting hired without experience?"},
               {"role": "assistant", "content": "Postings ask for two years of experience [1]."}]
    assert focus(planner.plan("so how does the plan help me with that?", history)) != entry
    assert focus(planner.plan("so how does the plan help me?", [])) == entry


def test_a_question_asking_which_phase_is_answered_by_the_part_of_a_phase_that_says_it(quarters):
    """"when in the plan do I cut the demo reel?" in a roadmap of quarters, each a list of months:
    the month that says so is of its quarter, and answers; not the first quarter that ranks."""
    request = quarters.plan("When in the plan do I cut the demo reel?", [])
    assert ChunkMeta.of(request.passages[0]).heading == "Month 5"


def test_an_everyday_word_in_another_form_is_no_subject_the_guide_lacks():
    """"What changes day to day?" of a guide that never says "change": the exemplars ask of a
    "career change" (an everyday word of questions), and "changes" is that word, not a subject
    the answer must say the guide does not mention (the stemmer keeps "change" but makes "chang"
    of "changes"; "manages" here, which this guide's stand-in vectors leave alone)."""
    retriever = baker_retriever(words=True)
    reader = ReadAs()
    reader.everyday = set(content_terms("how do I manage"))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=reader)
    assert planner.plan("Who manages the schedule day to day?", []).foreign == []
    assert planner.plan("Do I need a degree pension?", []).foreign == ["pension"]  # a subject still is


def test_a_follow_up_on_a_part_of_a_phase_is_not_answered_by_the_phase_outline(quarters):
    """After an answer from "Month 4", "do I need special gear for that?" is asked of Month 4: the
    context names it by its path, which names its quarter too, and the quarter's outline ranks
    first; it is no evidence of what the conversation is about."""
    history = turn("What do I record?", "Month 4 [1]:\n- Record 200 original sounds.")
    request = quarters.plan("Do I need special gear for that?", history)
    headings = [ChunkMeta.of(d).heading for d in request.passages]
    assert "Month 4" in headings and "Q2 — Months 4–6: Reel & Launch" not in headings


def test_when_a_thing_begun_in_one_phase_is_finished_is_the_last_phase_going_on_with_it():
    """"when do I have it finished by?" of a course enrolled in during Month 1 and finished in
    Months 2–3 is the end of Months 2–3; of a whole phase just listed, the end of that phase."""
    guide = ("Baker to Analyst in 4 Months\n\nTHE ROADMAP\n\nFour months, one after another.\n\n"
             "Month 1 — Sheets\n\n- Enroll in the Coursera Data Analytics Certificate and take its first course.\n"
             "- Build a pivot table of weekly sales.\n\n"
             "Months 2–3 — SQL\n\n- Write joins against the orders table.\n"
             "- Finish the remaining courses of the Coursera certificate.\n\n"
             "Month 4 — Portfolio\n\n- Publish two analyses.\n")
    retriever = baker_retriever(baker_documents(guide))
    asked = "when am I meant to have it finished by?"
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({asked: Intent.START_END}))
    course = [{"role": "user", "content": "Which certificate do I sign up for in Sheets?"},
              {"role": "assistant", "content": "The Coursera Data Analytics Certificate."}]
    assert planner.plan(asked, course).lead.startswith("SQL runs from week 5 to week 13")
    month = [{"role": "user", "content": "What do I do in the Sheets phase?"},
             {"role": "assistant", "content": "Enroll in the Coursera Data Analytics Certificate and take its first "
                                              "course. Build a pivot table of weekly sales."}]
    assert planner.plan(asked, month).lead.startswith("Sheets runs from week 1 to week 4")


class VoicesAs:
    """A stand-in for the concern reader: a text containing one of the test's words voices that
    word's worry, any other none."""

    def __init__(self, worries: dict[str, str]) -> None:
        self.worries = worries

    def read(self, texts: list[str], vectors=None) -> list[str]:
        return [next((w for word, w in self.worries.items() if word in text.lower()), "other") for text in texts]


def test_a_question_voicing_the_worry_of_one_faq_entry_in_other_words_is_answered_by_it():
    """"Should I hand in my notice first?" shares no word with "Can I stay on my shifts while I
    study?", and asks what it asks: the two voice one worry, and only that entry voices it."""
    guide = BAKER_GUIDE + ("\nCan I stay on my shifts while I study?\nYes: the plan fits around early starts.\n\n"
                           "Could I go back to the ovens later?\nYes: good bakers are always short.\n")
    retriever = baker_retriever(baker_documents(guide))
    worries = {"notice": "keep_job", "shifts": "keep_job", "ovens": "go_back", "fall back": "go_back"}
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs(),
                      concerns=VoicesAs(worries))
    asked = "Should I hand in my notice first?"
    assert planner.faq_match(asked) is not None and ChunkMeta.of(planner.faq_match(asked)).heading == (
        "Can I stay on my shifts while I study?")
    assert ChunkMeta.of(planner.faq_match("what if it flops, can I fall back on it?")).heading == (
        "Could I go back to the ovens later?")
    assert planner.faq_match("Should I hand in my apron first?") is None  # no worry voiced, no words shared
    worries["pension"] = "pay_change"
    assert planner.faq_match("What happens to my pension?") is None  # a worry no entry voices


def test_an_faq_yes_or_no_given_for_a_worry_asked_the_other_way_says_which_question_it_answers():
    """"does baking pay more?" voices the worry of "Will I take a pay cut?" the other way round:
    the entry's "Usually not." would read as "no, it pays less", so the reply leads with the
    entry's question. Asked as the entry asks it, the reply is the entry's as it stands."""
    guide = BAKER_GUIDE + "\nWill I take a pay cut?\nUsually not. Analyst pay is above most bakery wages.\n"
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs(),
                      concerns=VoicesAs({"pay": "pay_change"}))
    answerer = ExtractiveAnswerer(idf=retriever.bm25.idf)
    other_way = answerer.answer(planner.plan("does an analyst job pay more?", [])).text
    assert other_way.startswith("Will I take a pay cut? [1]: Usually not.")
    assert answerer.answer(planner.plan("Will I take a pay cut?", [])).text.startswith("Usually not.")


def test_a_thing_asked_of_a_phase_by_its_order_that_another_section_gives_is_answered_from_there():
    """"How many hours a week in the last phase?": the Portfolio phase says nothing of hours, a
    section on study time does, naming it; "what do I do in the last phase?" asks for the phase,
    and a question in the phase's own words asks it of the phase, whatever else names it."""
    hours = ("Study Time\n- Spreadsheet Basics: 6 hours a week\n- Portfolio: 10 hours a week, "
             "publishing analyses\n")
    guide = BAKER_GUIDE.replace("Frequently Asked Questions\n", hours + "Frequently Asked Questions\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    request = planner.plan("How many hours a week should I put in during the last phase?", [])
    assert request.plan == Plan.GENERAL and [ChunkMeta.of(p).heading for p in request.passages] == ["Study Time"]
    assert request.question.endswith("(Portfolio)")  # the units that name it come first
    whole = planner.plan("what do I do in the last phase?", [])
    assert (whole.plan, focus(whole)) == (Plan.SECTION, "Portfolio")
    own = planner.plan("Which analyses do I publish in the last phase?", [])  # the phase says, in its words
    assert focus(own) == "Portfolio" and [ChunkMeta.of(p).heading for p in own.passages] == ["Portfolio"]
    text = ExtractiveAnswerer(idf=retriever.bm25.idf, embedder=retriever.embedder).answer(own).text
    assert "Publish two analyses of bakery sales" in text and "case study" not in text  # its line, not all


def test_a_follow_up_pointing_back_at_a_phase_is_answered_from_the_phase_however_its_words_ranked(monkeypatch):
    """"what do I hand in for it?" after SQL Fundamentals: the roadmap's overview, saying "hand in"
    twice, may outrank the phase (a row headed by its dates, in the real guides); the phase is still
    where the answer is looked for, first, unless the question asks past it."""
    guide = BAKER_GUIDE.replace("Three phases take you from spreadsheets to a portfolio.",
                                "Three phases. Hand in work after each; what to hand in is with each phase.").replace(
        "- Join customers to their orders\n", "- Join customers to their orders\n- Hand in: a query report\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    overview = next(d for d in retriever.documents if ChunkMeta.of(d).heading == "Your Roadmap")
    searched = HybridRetriever.search

    def search(self, query, k):  # the follow-up's words rank the overview first, the phase below k
        found = searched(self, query, k)
        return [overview, *(d for d in found if d.id != overview.id)][:k] if "hand in" in query else found

    monkeypatch.setattr(HybridRetriever, "search", search)
    history = turn("What happens in SQL Fundamentals?", "SQL Fundamentals [1]:\n- Write SELECT queries")
    request = planner.plan("what do I hand in for it?", history)
    assert [ChunkMeta.of(d).heading for d in request.passages][:2] == ["SQL Fundamentals", "Your Roadmap"]
    past = planner.plan("what else do I hand in besides that?", history)  # asks past the phase just shown
    assert ChunkMeta.of(past.passages[0]).heading == "Your Roadmap"


def test_a_follow_up_naming_only_another_phase_asks_the_last_question_again_of_it():
    """"and in the last phase?" after an hours question asks for the hours of the last phase, not
    for the phase; a chain of them keeps the question; one pointing back or naming more than a
    phase is left to the conversation state."""
    hours = "Study Time\n- Spreadsheet Basics: 6 hours a week\n- Portfolio: 10 hours a week\n"
    guide = BAKER_GUIDE.replace("Frequently Asked Questions\n", hours + "Frequently Asked Questions\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    asked = "How many hours a week should I put in during the first phase?"
    assert planner.asked_again("and in the last phase?", turn(asked)) == (
        "How many hours a week should I put in during the last phase?")
    request = planner.plan("and in the last phase?", turn(asked))
    assert request.plan == Plan.GENERAL and request.question.endswith("(Portfolio)")
    chain = [*turn(asked), *turn("what about phase 2?")]
    again = "How many hours a week should I put in during the SQL phase?"
    assert planner.asked_again("and the SQL phase?", chain) == again
    for other in ("and after that?", "and the one before it?", "and the case study?",
                  "and in the SQL exercises?"):
        assert planner.asked_again(other, turn(asked)) is None, other
    assert planner.asked_again("and in the last phase?", turn("How many hours a week should I study?")) is None


HOURS_GUIDE = """# From Baker to Data Analyst

Bakers already measure, schedule and keep records every day.

## The 12-week roadmap

### Spreadsheet Basics (weeks 1–4)

- Learn formulas and pivot tables.
- Clean a messy sales log.
- Tools: Excel or Google Sheets.

### SQL Fundamentals (weeks 5–10)

- Write SELECT queries against an orders table.
- Tools: SQLite and DB Browser.

### Portfolio (weeks 11–12)

- Publish two analyses of bakery sales.

## Hours per week

- Spreadsheet Basics: 6 hours per week.
- SQL Fundamentals: 8 hours per week, the heaviest stretch.
- Portfolio: 10 hours per week.
"""


def test_a_question_naming_only_what_it_asks_is_asked_of_the_phase_just_shown():
    """"how many hours a week?" after the second phase asks that phase's hours, told in another
    section under its name; "which tools?" asks its own line. A question naming another phase's
    work ("what do I clean?") is not tied to the phase shown."""
    retriever = baker_retriever(chunk_guide(parse_guide("g.md", HOURS_GUIDE)))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs())
    answerer = ExtractiveAnswerer(idf=retriever.bm25.idf, embedder=retriever.embedder)
    shown = {1: "Start with Spreadsheet Basics (4 weeks) [1]:\n- Learn formulas and pivot tables",
             2: "Phase 2 is SQL Fundamentals (6 weeks) [1]:\n- Write SELECT queries against an orders table",
             3: "Phase 3 is Portfolio (2 weeks) [1]:\n- Publish two analyses of bakery sales"}
    orders = {1: "first", 2: "second", 3: "third"}
    hours = {1: "6 hours", 2: "8 hours", 3: "10 hours"}
    for n in hours:
        history = turn(f"What's the {orders[n]} phase?", shown[n])
        said = answerer.answer(planner.plan("how many hours a week?", history)).text
        assert hours[n] in said and not any(h in said for m, h in hours.items() if m != n), (n, said)
    history = turn("What's the second phase?", shown[2])
    tools = answerer.answer(planner.plan("which tools?", history)).text
    assert "SQLite" in tools and "Excel" not in tools
    assert "Clean a messy sales log" in answerer.answer(planner.plan("what do I clean?", history)).text


def test_a_phase_name_an_answer_outside_the_roadmap_uses_in_passing_is_not_the_topic():
    """"No, learn SQL Fundamentals first" answers an FAQ in its own words; "why?" asks the FAQ's reason,
    not about the SQL Fundamentals phase. An answer naming the phase from the roadmap is about it."""
    guide = BAKER_GUIDE + ("Should I learn Python right away?\n"
                           "No. Most analyst work runs on SQL, so learn SQL Fundamentals first and pick up Python "
                           "on the job.\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({"why?": Intent.WHY}))
    request = planner.plan("why?", turn("Should I learn Python right away?", "No, learn SQL Fundamentals first."))
    assert ChunkMeta.of(request.passages[0]).heading == "Should I learn Python right away?"
    phase = planner.plan("why?", turn("What comes after Spreadsheet Basics?", "SQL Fundamentals, 6 weeks [1]."))
    assert ChunkMeta.of(phase.passages[0]).heading == "SQL Fundamentals"
