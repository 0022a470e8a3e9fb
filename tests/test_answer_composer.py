"""The offline answer composer on hand-made Requests: totals, durations, refusals and quotes,
every [n] pointing at a listed passage (no model, no store: see handmade.py)."""

import re

import pytest
from handmade import BAKER_GUIDE, ReadAs, baker_documents, baker_planner, baker_retriever, guide_planner

from bot.answer.extractive import ExtractiveAnswerer
from bot.answer.intents import Intent
from bot.answer.planner import Planner
from bot.answer.questions import points_back
from bot.answer.roadmap import Roadmap
from bot.config import Settings
from bot.schema import Plan

READS = {"How long does the whole roadmap take?": Intent.TOTAL,
         "How long is the SQL Fundamentals phase?": Intent.DURATION,
         "What skills transfer?": Intent.OVERVIEW, "What is the best pizza topping in Naples?": Intent.OUT_OF_SCOPE,
         "When does the Portfolio phase start?": Intent.START_END, "hi there": Intent.GREETING,
         "thanks, that helped": Intent.GREETING, "What is this guide about?": Intent.SUMMARY}


@pytest.fixture(scope="module")
def planner():
    return baker_planner(READS)


def passage_answer(guide: str, asked: str, k: int) -> str:
    """The offline answer to a passage question over a Markdown guide's k passages ranked first."""
    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide
    from bot.schema import Request

    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    request = Request(question=asked, standalone=asked, history=[], passages=retriever.search(asked, k),
                      plan=Plan.GENERAL)
    return ExtractiveAnswerer(idf=retriever.bm25.idf, embedder=retriever.embedder).answer(request).text


def baker_analyst_passage(heading: str, text: str):
    """A passage of a guide from baker to data analyst: its title names the two roles."""
    from langchain_core.documents import Document

    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.md", section=heading, heading=heading, title="Baker to Data Analyst")
    return Document(page_content=text, metadata=meta.to_metadata(), id=f"baker-analyst {heading}: {text}")


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
    assert "as the guide dates them" not in result.text  # its phases state weeks, not dates


def test_the_total_of_a_dated_roadmap_says_the_days_it_runs():
    from bot.schema import Plan, Request

    guide = ("Baker to Analyst\n\nTHE ROADMAP\n\nTwo phases, back to back.\n\nDec 7 – Jan 17: Sheets\n\n- pivots\n\n"
             "Jan 18 – Feb 7: SQL\n\n- joins\n")
    roadmap = Roadmap.from_documents(baker_documents(guide))
    request = Request(question="When do I finish?", standalone="", history=[], passages=[], plan=Plan.TOTAL,
                      roadmap=roadmap)
    text = ExtractiveAnswerer().answer(request).text
    assert text.startswith("The roadmap's 2 phases add up to 9 weeks (December 7 to February 7 as the guide dates them")


def test_a_duration_names_the_phase_its_place_and_its_weeks(planner):
    result = answer(planner, "How long is the SQL Fundamentals phase?")
    assert result.text.startswith(
        "SQL Fundamentals takes 6 weeks [1]: phase 2 of 3, from week 5 to week 10 of the 12-week")
    assert result.citations[0].section == "Your Roadmap > SQL Fundamentals"
    assert result.text.endswith("It starts with: Write SELECT queries against an orders table.")
    # a phase opening with a long list of tasks says the first of them, not the whole list
    tasks = ("6 weeks- read SQL for Smarties by Joe Celko and do every exercise in it; install PostgreSQL; "
             "load a year of till data into it; write twenty queries against the orders table\n")
    long = BAKER_GUIDE.replace("6 weeks- Write SELECT queries against an orders table\n", tasks)
    planner = Planner(retriever=(r := baker_retriever(baker_documents(long))), roadmap=Roadmap.from_documents(
        r.documents), settings=Settings(), intents=ReadAs(READS))
    assert answer(planner, "How long is the SQL Fundamentals phase?").text.endswith(
        "It starts with: read SQL for Smarties by Joe Celko and do every exercise in it.")


def test_the_plans_hours_are_its_weekly_hours_times_its_weeks_each_phase_at_its_own_if_it_says():
    guide = BAKER_GUIDE.replace("This guide turns", "Plan on 5 to 6 hours a week. This guide turns")
    asked = {"How many hours of study is the whole plan?": Intent.TOTAL_HOURS,
             "At the low end, how many hours is that in total?": Intent.TOTAL_HOURS}
    planner = Planner(retriever=(r := baker_retriever(baker_documents(guide))), roadmap=Roadmap.from_documents(
        r.documents), settings=Settings(), intents=ReadAs(asked))
    whole, low = (answer(planner, question).text for question in asked)
    assert whole.startswith("At 5 to 6 hours a week, the 12-week roadmap comes to 60 to 72 hours of study [1]")
    assert low.startswith("At 5 hours a week, the 12-week roadmap comes to 60 hours of study [1]")
    # A phase asking for its own hours counts at those: 5 x 4 + 10 x 6 + 5 x 2 at the low end.
    own = guide.replace("6 weeks- Write SELECT", "6 weeks- At 10 hours a week, write SELECT")
    planner.retriever = r = baker_retriever(baker_documents(own))
    planner.roadmap = Roadmap.from_documents(r.documents)
    assert answer(planner, "At the low end, how many hours is that in total?").text.startswith(
        "At 5 hours a week, the 12-week roadmap comes to 60 hours of study; counting each phase at the hours a "
        "week it asks for, 90 [1]")
    # The hours of a thing the guide gives a length for are that length.
    exam = own.replace("- Write a short case study for each", "- Sit a 3-hour final exam")
    planner.retriever = r = baker_retriever(baker_documents(exam))
    planner.roadmap = Roadmap.from_documents(r.documents)
    planner.intents = ReadAs({"How many hours is the final exam?": Intent.TOTAL_HOURS})
    assert planner.plan("How many hours is the final exam?", []).plan != Plan.FACT
    # No weekly hours in the guide: nothing to multiply, a passage question.
    planner.retriever = r = baker_retriever(baker_documents())
    planner.roadmap = Roadmap.from_documents(r.documents)
    assert planner.plan("How many hours of study is the whole plan?", []).plan != Plan.FACT


def test_hours_said_by_the_day_or_phase_by_phase_are_read_as_hours_a_week():
    """"90 minutes a day, six days a week" is 9 hours a week; "8 hours a week in Phase 1, 10 in
    Phase 2 and 6 in Phase 3" gives each phase its own."""
    daily = BAKER_GUIDE.replace("This guide turns", "Study 90 minutes a day, six days a week. This guide turns")
    asked = {"How many hours of study is the whole plan?": Intent.TOTAL_HOURS}
    planner = Planner(retriever=(r := baker_retriever(baker_documents(daily))), roadmap=Roadmap.from_documents(
        r.documents), settings=Settings(), intents=ReadAs(asked))
    assert answer(planner, "How many hours of study is the whole plan?").text.startswith(
        "At 9 hours a week, the 12-week roadmap comes to 108 hours of study [1]")
    said = passage_answer(daily, "How many hours a week should I study?", 2)
    assert said.startswith("About 9 hours a week. ") and "Study 90 minutes a day, six days a week." in said
    phased = BAKER_GUIDE.replace("This guide turns", "Give it 8 hours a week in phase 1, 10 hours a week in "
                                 "phase 2 and 6 hours a week in phase 3. This guide turns")
    planner.retriever = r = baker_retriever(baker_documents(phased))
    planner.roadmap = Roadmap.from_documents(r.documents)
    assert answer(planner, "How many hours of study is the whole plan?").text.startswith(  # 8x4 + 10x6 + 6x2
        "Counting each phase at the hours a week the guide gives it (8, 10, 6), the 12-week roadmap comes to 104 "
        "hours of study [1]")
    # phases by a span, or from a week on; and the hours of the phases a question names
    spans = BAKER_GUIDE.replace("This guide turns", "Give it 5 hours a week for the first two phases, then 8 hours a "
                                "week from week 11. This guide turns")
    planner.retriever = r = baker_retriever(baker_documents(spans))
    planner.roadmap = Roadmap.from_documents(r.documents)
    planner.intents = ReadAs({"How many hours do the last two phases take?": Intent.TOTAL_HOURS})
    assert answer(planner, "How many hours do the last two phases take?").text.startswith(  # 6 x 5 + 2 x 8
        "SQL Fundamentals (6 weeks at 5 hours a week), Portfolio (2 weeks at 8 hours a week) come to 46 hours")
    partly = "Across the whole fundamentals phase, how many hours is that in total?"  # one word of three names it
    three = spans.replace("SQL Fundamentals", "SQL Query Fundamentals")
    planner.retriever = r = baker_retriever(baker_documents(three))
    planner.roadmap, planner.intents = Roadmap.from_documents(r.documents), ReadAs({partly: Intent.TOTAL_HOURS})
    assert answer(planner, partly).text.startswith(
        "SQL Query Fundamentals (6 weeks at 5 hours a week) comes to 30 hours")
    # a section of its own, each phase's hours under a heading naming it, each cited
    own = BAKER_GUIDE.replace("Frequently Asked Questions", "Hours per Week\nStudy time changes with each phase.\n"
                              "Spreadsheet Basics (weeks 1-4)\n- 4 hours per week\nSQL Fundamentals (weeks 5-10)\n"
                              "- 10 hours per week\nPortfolio (weeks 11-12)\n- 6 hours per week\n"
                              "Frequently Asked Questions")
    planner.retriever = r = baker_retriever(baker_documents(own))
    total = "How many study hours does the whole plan add up to?"
    planner.roadmap, planner.intents = Roadmap.from_documents(r.documents), ReadAs({total: Intent.TOTAL_HOURS})
    result = answer(planner, total)
    assert result.text.startswith("Counting each phase at the hours a week the guide gives it (4, 10, 6), the "
                                  "12-week roadmap comes to 88 hours of study")  # 4x4 + 10x6 + 6x2
    assert [c.section for c in result.citations][:3] == [
        "Hours per Week > Spreadsheet Basics (weeks 1-4)", "Hours per Week > SQL Fundamentals (weeks 5-10)",
        "Hours per Week > Portfolio (weeks 11-12)"]


def test_a_plan_counted_in_days_is_answered_in_days():
    guide = ("# Baker to Analyst in 45 Days\n\n**The 45-day plan**\n\n- **Days 1–10 — Sheets:** Start here.\n"
             "  - pivot tables\n- **Days 11–30 — SQL:** Then queries.\n  - joins\n"
             "- **Days 31–45 — Portfolio:** Show it.\n  - two analyses\n")
    documents = [d for d in baker_documents(guide) if d.metadata["source"] == "baker.txt"]
    retriever = baker_retriever(documents)
    reads = {"How long is the SQL phase?": Intent.DURATION, "How long is the whole plan?": Intent.TOTAL,
             "I'm on day 20: when does this phase end, and how much is left after it?": Intent.START_END,
             "How long do the Sheets and SQL phases take together?": Intent.PHASE_ARITHMETIC,
             "Which phase is the longest?": Intent.PHASE_ARITHMETIC}
    days = Planner(retriever=retriever, roadmap=Roadmap.from_documents(documents), settings=Settings(),
                   intents=ReadAs(reads))
    assert answer(days, "How long is the SQL phase?").text.startswith(
        "SQL takes 20 days [1]: phase 2 of 3, from day 11 to day 30 of the 45-day roadmap.")
    assert answer(days, "How long is the whole plan?").text.startswith(
        "The roadmap's 3 phases add up to 45 days (about 1.5 months, counting a month as 52/12 weeks): "
        "Sheets (10 days) [1], SQL (20 days) [2], Portfolio (15 days) [3].")
    assert answer(days, "I'm on day 20: when does this phase end, and how much is left after it?").text == (
        "SQL runs from day 11 to day 30 (phase 2 of 3, 20 days), after 10 days of the roadmap, "
        "with 15 days left after it (phase 3, Portfolio: day 31 to day 45) [1] [2].")
    assert days.plan("What do I do on day 20?", []).lead == "Day 20 falls in phase 2, SQL (days 11-30)"
    assert answer(days, "How long do the Sheets and SQL phases take together?").text.startswith(
        "Together, Sheets (10 days) and SQL (20 days) take 30 days")
    assert answer(days, "Which phase is the longest?").text.startswith(
        "The longest phase is SQL, at 20 days (days 11-30)")


def test_a_refusal_says_so_and_cites_nothing(planner):
    result = answer(planner, "What is the best pizza topping in Naples?")
    assert result.refused and result.citations == []
    assert result.text.startswith("The guide doesn't cover that")


def test_a_detail_is_quoted_from_its_section_with_the_quote_recorded(planner):
    result = answer(planner, "How do I plan proofing times?")
    assert "Planning proofing times around the oven" in result.text
    assert "Planning proofing times around the oven" in result.citations[0].quote


def test_a_definition_that_opens_mid_sentence_is_read_after_its_term():
    guide = ("Baker to Analyst\n\nGLOSSARY\n\nOTIF — on time, in full: the share of orders delivered complete.\n"
             "Fill rate: the share of demand shipped from stock.\nSKU: one stocked item, such as a bag of flour.\n")
    documents = baker_documents(guide)
    glossary = Planner(retriever=baker_retriever(documents), roadmap=None, settings=Settings(), intents=ReadAs())
    assert answer(glossary, "what's OTIF?").text == (
        "OTIF — on time, in full: the share of orders delivered complete. [1]")


def test_a_price_read_after_its_name_says_the_name():
    guide = ("Officer to Investigator\n\nWHAT IT COSTS\n\nHere is everything to buy, at list prices:\n\n"
             "ACFE membership ....... $295\nCFE exam fee ....... $450\nExcel course ....... $30\n")
    planner = Planner(retriever=baker_retriever(baker_documents(guide)), roadmap=None, settings=Settings(),
                      intents=ReadAs())
    assert answer(planner, "what is the CFE exam fee?").text == "CFE exam fee: $450 [1]"


def test_a_list_named_by_its_heading_answers_the_sum_of_one_thing_it_lists_by_that_item():
    """"What does the Coursera certificate cost a month?" names "What it costs", but asks for
    one of its items; "what does it all cost?" gets the list."""
    guide = ("# Translator to PM\n\n## What it costs\n\n"
             "- Google certificate on Coursera: $147 (three months at $49 per month).\n"
             "- A project management book by Keiran Dunne: $54 for the paperback.\n"
             "- Portfolio website domain and hosting: $60 for one year.\n"
             "- A virtual pass to one industry conference: $195.\n")
    documents = [d for d in baker_documents(guide) if d.metadata["source"] == "baker.txt"]
    planner = Planner(retriever=baker_retriever(documents), roadmap=None, settings=Settings(), intents=ReadAs())
    assert answer(planner, "what does the coursera certificate cost a month?").text == (
        "What it costs [1]:\n- Google certificate on Coursera: $147 (three months at $49 per month).")
    assert answer(planner, "what does it all cost?").text.count("\n- ") == 4
    from bot.answer.extractive import ExtractiveAnswerer

    costs = planner.retriever.documents[0]
    assert ExtractiveAnswerer._whole_list("what does the GA one cost?", costs)  # "one" picks out no item
    assert not ExtractiveAnswerer._whole_list("what does the conference cost?", costs)


def test_a_sentence_introducing_a_list_is_quoted_with_the_list():
    """"...do these three things:" answers "what do I do in my first week?" only with the three things."""
    guide = ("Baker to Analyst\n\nGETTING STARTED\n\nYou can start today. "
             "In your first week, aim for six hours and do these three things:\n"
             "- Install a spreadsheet program\n- Export last month's sales\n- Tell a friend you are learning\n\n"
             "MONEY\n\nA course costs $40.\n")
    planner = Planner(retriever=baker_retriever(baker_documents(guide)), roadmap=None, settings=Settings(),
                      intents=ReadAs())
    assert answer(planner, "what should I do in my first week?").text == (
        "In your first week, aim for six hours and do these three things: [1]\n- Install a spreadsheet program\n"
        "- Export last month's sales\n- Tell a friend you are learning")


def test_a_question_asking_for_a_list_reads_a_long_paragraph_on_from_its_best_sentence():
    """"What are the gaps?" is answered by the paragraph that lists them, from the sentence that
    answers best; a question about one gap gets the sentences that answer it."""
    paragraph = ("The gaps are about how software is built and sold, not about bread. "
                 "You need to learn the product lifecycle and how to write a user story for a team's backlog. "
                 "You need enough data skill to read a dashboard and to write a simple SQL query of your own. "
                 "You need structured user research, with interviews, surveys and usability tests. "
                 "And you need the rules for software that handles card payments in a shop or online.")
    from handmade import BAKER_GUIDE

    guide = f"{BAKER_GUIDE}What You Will Need to Learn\n{paragraph}\n"
    planner = Planner(retriever=baker_retriever(baker_documents(guide)), roadmap=None, settings=Settings(),
                      intents=ReadAs({"What are the gaps I need to fill?": Intent.OVERVIEW}))
    listed = answer(planner, "What are the gaps I need to fill?").text
    assert listed.startswith("The gaps are about how software is built") and "SQL query" in listed
    assert "user research" in listed and "payments" not in listed  # four sentences at most
    one = answer(planner, "How much SQL do I need to write?").text
    assert "SQL query" in one and "user story" not in one


def test_a_question_asking_for_a_section_is_answered_from_the_section_ranked_first():
    """"What new stuff will I have to pick up?" reaches "What You Will Need to Learn" first; a
    sentence elsewhere that shares its words ("new stuff") does not answer it."""
    from handmade import BAKER_GUIDE

    learn = ("You need statistics: averages, spread and a feel for sample sizes, taught by a free online course. "
             "You need SQL for pulling orders out of the till's database, joined to the customers who placed them. "
             "You need a dashboard tool such as Power BI, since most postings name one, to show trends to a manager. "
             "And you need the habit of asking what a number means before you put it in front of anyone at all.")
    guide = f"{BAKER_GUIDE}What You Will Need to Learn\n{learn}\nWhat You'll Enjoy\n- New stuff every week.\n"
    asked = "What new stuff will I have to pick up?"
    planner = Planner(retriever=baker_retriever(baker_documents(guide)), roadmap=None, settings=Settings(),
                      intents=ReadAs({asked: Intent.OVERVIEW}))
    result = answer(planner, asked)
    assert result.text.startswith("You need statistics") and result.citations[0].section.endswith("Need to Learn")


def test_a_section_with_subsections_lists_each_with_its_opening_and_cites_it(planner):
    result = answer(planner, "What skills transfer?")
    assert "- Precision: Weighing ingredients to the gram [2]" in result.text
    assert "- Scheduling: Planning proofing times around the oven [3]" in result.text


def test_a_part_with_no_words_of_its_own_is_listed_with_its_own_parts():
    """"- What carries over" says nothing in a list of parts; its parts' headings do."""
    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    guide = ("# Baker to Analyst\n\n## Why the Counter Is Good Training\n\nBakers plan and count.\n\n"
             "### What Carries Over\n\n#### Spotting waste\n\nYou weigh what is thrown away.\n\n"
             "#### Keeping records\n\nYou log every batch.\n\n### What You Still Need to Learn\n\nSQL first.\n")
    asked = "Why is the counter good training?"
    planner = Planner(retriever=baker_retriever(chunk_guide(parse_guide("baker.md", guide))), roadmap=None,
                      settings=Settings(), intents=ReadAs({asked: Intent.OVERVIEW}))
    result = answer(planner, asked)
    assert "- What Carries Over: Spotting waste; Keeping records [2]" in result.text
    assert "- What You Still Need to Learn: SQL first. [3]" in result.text


def test_a_computed_fact_cites_what_it_was_computed_from(planner):
    result = answer(planner, "When does the Portfolio phase start?")
    assert result.text == ("Portfolio runs from week 11 to week 12 (phase 3 of 3, 2 weeks), "
                           "after 10 weeks of the roadmap [1].")
    assert result.citations[0].section == "Your Roadmap > Portfolio"


def test_small_talk_is_a_friendly_line_with_three_questions_to_try(planner):
    hello = answer(planner, "hi there")
    assert hello.text.startswith('Hi! I answer questions about the guide "From Baker to Data Analyst')
    assert hello.text.count("?\"") == 3 and not hello.refused and hello.citations == []
    assert answer(planner, "thanks, that helped").text.startswith("You're welcome!")


def test_a_summary_lists_the_top_sections_cited_and_the_roadmaps_length(planner):
    result = answer(planner, "What is this guide about?")
    assert result.text.startswith('"From Baker to Data Analyst: A 3-Month Plan" covers:')
    assert "- Skills That Transfer (Precision, Scheduling)" in result.text
    assert result.text.endswith("The roadmap has 3 phases over 12 weeks.")


def test_a_summary_leaves_out_an_opening_that_says_nothing_alone():
    from handmade import BAKER_GUIDE

    guide = BAKER_GUIDE.replace("Here's what carries over from the bakery.", "Great news!")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({"What is this guide about?": Intent.SUMMARY}))
    text = answer(planner, "What is this guide about?").text
    assert "- Skills That Transfer (Precision, Scheduling) [2]" in text and "Great news" not in text


def test_an_faq_answer_is_read_with_its_question():
    """"Yes, about ten hours a week" answers a question only its heading asks: the unit is
    scored in its section's context, so it beats a sentence merely on the same subject."""
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    def passage(pid, heading, text, kind="prose"):
        meta = ChunkMeta(source="g.md", section=heading, heading=heading, kind=kind)
        return Document(id=pid, page_content=text, metadata=meta.to_metadata())

    faq = passage("a", "Can I study while working a full-time job?", "About ten hours a week is enough.", "faq")
    kit = passage("b", "Equipment", "A weekly study plan keeps you on schedule.")
    ranked = score_units("Is studying alongside my full-time job realistic?", [kit, faq], WordEmbeddings(), {})
    assert ranked[0].text == "About ten hours a week is enough."
    assert ranked[0].similarity > ranked[1].similarity


def test_an_answer_is_capped_whatever_the_passage_holds():
    from langchain_core.documents import Document

    from bot.answer.extractive import MAX_ANSWER_CHARS
    from bot.schema import ChunkMeta, Plan, Request

    text = "\n".join(f"- Task {i}: " + "practise the drill slowly " * 3 for i in range(400))
    meta = ChunkMeta(source="g.md", section="Drills", heading="Drills", shape="bullets")
    doc = Document(id="d", page_content=text, metadata=meta.to_metadata())
    request = Request(question="What are the drills?", standalone="", history=[], passages=[doc],
                      plan=Plan.SECTION, focus=doc)
    result = ExtractiveAnswerer().answer(request)
    assert len(result.text) <= MAX_ANSWER_CHARS + 2 and result.text.endswith("…")
    assert "Task 1:" in result.text and "Task 399" not in result.text
    assert {int(n) for n in re.findall(r"\[(\d+)\]", result.text)} == {c.number for c in result.citations}


def test_a_long_section_of_paragraphs_is_summed_up_by_how_each_paragraph_opens():
    from langchain_core.documents import Document

    from bot.schema import ChunkMeta, Plan, Request

    text = ("Bakers earn about $30,000. Analysts start at $55,000 to $65,000. Senior analysts earn $90,000, "
            "and leads earn more than that at the largest chains in the country, with a bonus paid every spring.\n"
            "Junior roles are scarce, because shops promote from within. Reporting jobs are a way in.\n"
            "Remote work is rare in this field, since most analysts sit with the buyers they support. "
            "Hybrid weeks are more common, with two days at home.")
    meta = ChunkMeta(source="g.md", section="Money", heading="Money", shape="prose")
    doc = Document(id="d", page_content=text, metadata=meta.to_metadata())
    request = Request(question="Give me an overview of the money section", standalone="", history=[],
                      passages=[doc], plan=Plan.SECTION, focus=doc)
    said = ExtractiveAnswerer().answer(request).text
    assert "$55,000" in said and "scarce" in said and "Remote work is rare" in said
    assert "Senior analysts" not in said and "Reporting jobs" not in said


@pytest.mark.parametrize("question, quoted, said", [
    ("How much does the exam cost?", ["Sit the exam in week 5 of the 12-week plan."], False),  # numbers, no price
    ("How much does the exam cost?", ["The exam costs $395."], True),
    ("whats the pay for a senior baker gig?", ["Senior bakers move up the ladder."], False),  # "the pay": a sum
    ("Will the pay cut hurt?", ["Budget for the first year."], True),  # a cut asks no sum
    ("What salary can I expect in euros?", ["Salaries are often lower at first."], False),
    ("How many hours a week should I study?", ["Audit your skills this week."], False),
    ("How many hours a week should I study?", ["Plan on ten hours of study a week."], True),
    ("How many phases are there?", ["Three phases take you to a portfolio."], True),
    ("how many ppl do I interview?", ["Interview five agents who use it."], True),  # counted by another name
    ("How many hours a week should I study?", ["Pick one algorithm to learn this week."], False),  # hours, always
    ("How do I plan proofing times?", ["Plan them around the oven."], True),  # asks no figure
    ("If I fail the exam, how long before I can retake it?", ["Pass the exam before the phase ends."], False),
    ("How long does an inspection take?", ["A visit takes about 90 minutes."], True),
    ("How long does the job hunt take?", ["Expect a few months of applications."], True),
    ("What's the pass rate for the exam?", ["The exam costs $395 and has 90 questions."], False),  # no share
    ("What's the pass rate for the exam?", ["About one in three candidates fails the first time."], True),
])
def test_a_figure_the_evidence_does_not_give_is_said_to_be_missing_first(question, quoted, said):
    from bot.answer.evidence import caveat

    missing = caveat(question, quoted, {"exam": 1.0})
    assert (missing == "") == said
    assert said or missing == "The guide doesn't mention a figure for that."


@pytest.mark.parametrize("question, quoted, missing", [
    ("What is Google's interview process like?", ["Practise system design interviews."], "Google"),
    ("What is Google's interview process like?", ["Google interviews test system design."], ""),
    ("How does Kaiser Permanente's hiring work?", ["Apply through the hospital's portal."], "Kaiser Permanente"),
    ("Is it hard? What's the first step?", ["Audit your skills."], ""),  # "What's" owns nothing
])
def test_a_name_whose_own_thing_is_asked_about_must_be_named_by_the_evidence(question, quoted, missing):
    """The guide names Google for a certificate; a quote about interviews in general is not
    Google's interview process, and the answer says so first."""
    from bot.answer.evidence import caveat
    from bot.text import stem

    said = caveat(question, quoted, {stem(w): 1.0 for w in ["google", "kaiser", "permanente", "interview"]})
    assert said == (f"The guide doesn't say anything about {missing} in particular." if missing else "")
    assert caveat("What is Pfizer's interview process?", quoted, {}) == "The guide doesn't mention Pfizer."


def test_a_follow_up_answer_gives_what_the_last_answer_did_not():
    """After "Terraform is the default tool", "is there a book for it?" quotes the book, not
    the sentence just said, though that one shares more of the conversation's words."""
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.md", section="Terraform", heading="Terraform", kind="section", shape="list")
    doc = Document(id="t", page_content="- Terraform is the default tool in job postings for infrastructure.\n"
                                        "- Read Terraform: Up & Running for the whole picture.",
                   metadata=meta.to_metadata())
    context = ("What does the guide say about Terraform, the default tool for infrastructure in job postings? "
               "Is there a book I should read for it?")
    fresh = score_units("Is there a book I should read for it?", [doc], WordEmbeddings(), {}, context=context)
    assert fresh[0].text.startswith("Terraform is the default")  # without the last answer, the closer one
    followed = score_units("Is there a book I should read for it?", [doc], WordEmbeddings(), {}, context=context,
                           said="Terraform is the default tool in job postings for infrastructure.")
    assert followed[0].text.startswith("Read Terraform: Up & Running")


def test_an_faq_question_about_something_the_guide_never_names_says_so_first(planner):
    assert planner.plan("Do I need a degree at all?", []).plan.value == "section"  # the FAQ entry
    result = answer(planner, "Do I need a degree from Ontario?")
    assert result.text.startswith("The guide doesn't mention Ontario. What it does say:")


def test_a_unit_giving_the_figure_asked_for_is_preferred_only_when_as_close_in_meaning():
    from langchain_core.documents import Document

    from bot.answer.evidence import Evidence

    doc = Document(id="s", page_content="")
    vague = Evidence("Baking pays more than cooking.", doc, 0, similarity=0.70, words=0.5)
    figure = Evidence("Junior bakers earn $40,000 a year.", doc, 1, similarity=0.74, words=0.3)
    stray = Evidence("Set a budget alert at $10.", doc, 1, similarity=0.60, words=0.5)
    assert ExtractiveAnswerer._figure("How much do junior bakers make?", [vague, figure]) is figure
    assert ExtractiveAnswerer._figure("How much do junior bakers make?", [vague, stray]) is vague
    assert ExtractiveAnswerer._figure("Is baking worth it?", [vague, figure]) is vague  # no figure asked


MONTHS_GUIDE = """From Baker to Data Analyst: A 3-Month Plan
Overview
Bakers already keep records. Throughout this plan we count a month as four weeks.
Your Roadmap
Month 1: Spreadsheets
- Learn formulas and pivot tables
Months 2–3: SQL
- Write SELECT queries against an orders table
"""


def test_weeks_computed_from_months_cite_the_guides_month_rule():
    retriever = baker_retriever(baker_documents(MONTHS_GUIDE))
    reads = ReadAs({"How long is the plan?": Intent.TOTAL, "How long is the SQL phase?": Intent.DURATION})
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=reads)
    for question in ("How long is the plan?", "How long is the SQL phase?"):
        result = answer(planner, question)
        rule = next(c for c in result.citations if c.section == "Overview")
        assert rule.quote == "Throughout this plan we count a month as four weeks."
        assert f"[{rule.number}]" in result.text
    in_weeks = answer(baker_planner(READS), "How long does the whole roadmap take?")  # no months: no rule cited
    assert all(c.section != "Overview" for c in in_weeks.citations)


def test_an_faq_answer_to_another_question_says_which_question_it_answers(planner):
    """"No." answers the FAQ's question, not necessarily the one asked: said with its question."""
    asked = answer(planner, "Will employers look at my degree certificate?")
    assert asked.text.startswith('From the FAQ, "Do I need a degree?": No. Employers look')
    same = answer(planner, "Do I need a degree?")  # the FAQ's own question: its answer, plainly
    assert same.text.startswith("No. Employers look at your portfolio first")


def test_a_question_judging_the_move_quotes_what_judges_it_the_same_way():
    """"Is the switch worth it?": a unit under "What You'll Love" beats one merely about the
    switch, and one under "Cons" comes last, though it shares the question's words. The
    section judges, not a word in passing ("worth more in an interview" is no verdict)."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    def passage(pid, heading, text):
        meta = ChunkMeta(source="g.md", section=heading, heading=heading)
        return Document(id=pid, page_content=text, metadata=meta.to_metadata())

    love = passage("a", "What You'll Love", "Weekends off, every week.")
    cons = passage("b", "Cons", "The switch means less pay at first.")
    plan = passage("c", "Next Steps", "Plan the switch carefully. A finished project is worth more than two begun.")
    ranked = score_units("Is the switch worth it?", [love, plan, cons], None, {"switch": 1.0, "worth": 1.0})
    assert [e.text for e in ranked][:2] == ["Weekends off, every week.", "Plan the switch carefully."]
    assert ranked[-1].text == "The switch means less pay at first."
    assert [e.judged for e in ranked] == [1, 0, 0, -1]
    neutral = score_units("How do I plan the switch?", [plan, cons, love], None, {"switch": 1.0, "plan": 1.0})
    assert all(e.judged == 0 for e in neutral)


def test_a_heading_that_says_the_side_asked_beats_one_the_judge_reads_so():
    """"Will I like it?": "What You'll Love" says so in words; "Why make the move" only reads
    as the good side to the heading judge (the retriever's `judged`), so it counts for less."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    def passage(pid, heading, text):
        meta = ChunkMeta(source="g.md", section=heading, heading=heading)
        return Document(id=pid, page_content=text, metadata=meta.to_metadata())

    why = passage("a", "Why make the move", "Bakers sit closer to data than they think.")
    why.metadata["judged"] = 1
    love = passage("b", "What You'll Love", "Weekends off, every week.")
    ranked = score_units("Will I like it?", [why, love], None, {"like": 1.0})
    assert [e.text for e in ranked] == ["Weekends off, every week.", "Bakers sit closer to data than they think."]
    assert ranked[0].judged > ranked[1].judged > 0


def test_an_overview_judging_the_move_is_read_from_a_section_whose_heading_says_so_at_any_rank():
    """"The biggest upside of working in analytics?" is answered from "What You'll Love", though
    retrieval ranks "Why make the move" (the good side only to the heading judge) first and
    its sentences share more of the question's words."""
    from langchain_core.documents import Document

    from bot.answer.extractive import ExtractiveAnswerer
    from bot.schema import ChunkMeta, Plan, Request

    def passage(pid, heading, text, judged=0):
        meta = ChunkMeta(source="g.md", section=heading, heading=heading)
        return Document(id=pid, page_content=text, metadata={**meta.to_metadata(), "judged": judged})

    why = passage("a", "Why make the move", "Working in analytics pays well. Analytics teams are growing.", judged=1)
    love = passage("b", "What You'll Love", "- Quiet afternoons of focused work\n- Seeing a chart change a decision")
    question = "What's the biggest upside of working in analytics?"
    asked = Request(question=question, standalone=question, history=[], passages=[why, love], plan=Plan.GENERAL,
                    intent="overview")
    text = ExtractiveAnswerer(idf={"analyt": 2.0, "work": 1.0}).answer(asked).text
    assert text.startswith("Quiet afternoons of focused work")


def test_a_question_asking_for_a_book_judges_the_book_not_the_move():
    """"Is there something fun to read?" asks for a book: a unit under "What You'll Love" is
    no answer, though "fun" judges the move's good side elsewhere."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units, sides
    from bot.schema import ChunkMeta

    def passage(pid, heading, text):
        meta = ChunkMeta(source="g.md", section=heading, heading=heading)
        return Document(id=pid, page_content=text, metadata=meta.to_metadata())

    love = passage("a", "What You'll Love", "Weekends off, every week.")
    book = passage("b", "Next Steps", "Read The Bread Code by Ann Baker on a slow afternoon.")
    assert sides("is there something fun to read?") == {} and sides("What's fun about it?")
    ranked = score_units("is there something fun to read?", [love, book], None, {"read": 1.0, "fun": 1.0})
    assert ranked[0].text.startswith("Read The Bread Code") and ranked[0].judged == 0
    # nor does a heading the judge reads as the good side ("Why make the move", judged +1 by the retriever)
    why = passage("c", "Why make the move", "Bakers sit closer to data than they think.")
    why.metadata["judged"] = 1
    ranked = score_units("is there something fun to read?", [why, book], None, {"read": 1.0, "fun": 1.0})
    assert ranked[0].text.startswith("Read The Bread Code") and ranked[1].judged == 0


def test_a_heading_judging_a_thing_it_names_does_not_judge_the_move():
    """"Is swapping clinics for product work worth it?": "What makes it worth it" judges the
    move, "Certifications worth paying for" and an FAQ "Is the CSCP worth it straight away?"
    judge what they name; unless the question names it too."""
    from bot.answer.evidence import sides, verdict
    from bot.text import content_terms

    side = sides("Is swapping clinics for product work worth it?")
    assert verdict(side, "Why bother > What makes it worth it") == 1
    assert verdict(side, "Biggest Challenges") == -1  # one word besides its judging one
    assert verdict(side, "Certifications worth paying for") == 0
    assert verdict(side, "Questions people ask > Is the CSCP worth it straight away?") == 0
    asked = "Which certifications are worth it?"
    assert verdict(sides(asked), "Certifications worth paying for", set(content_terms(asked))) == 1


def test_a_heading_on_the_other_kind_of_good_side_judges_half_as_much():
    """"What You'll Love" answers "will I enjoy it?" more than "is it worth it?", and "Why it's
    worth it" the other way round; both judge the move well, and a heading on the bad side badly."""
    from bot.answer.evidence import sides, verdict

    worth, enjoy = sides("Is the switch worth it?"), sides("Will I enjoy the new job?")
    assert verdict(worth, "What You'll Love") == 0.5 and verdict(enjoy, "What You'll Love") == 1
    assert verdict(worth, "Why it's worth it") == 1 and verdict(enjoy, "Why it's worth it") == 0.5
    assert verdict(sides("What are the perks?"), "What You'll Love") == 1  # no kind asked: either
    assert verdict(enjoy, "What's hard") == -1


def test_the_other_kind_of_good_counts_half_only_beside_a_passage_judging_as_asked():
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    def passage(heading: str, text: str) -> Document:
        meta = ChunkMeta(source="g.md", section=heading, heading=heading, title="Baker to Analyst")
        return Document(page_content=text, metadata=meta.to_metadata(), id=heading)

    love, worth = passage("What You'll Love", "Weekends off."), passage("Why it's worth it", "The pay rises.")
    asked = "Is the move worth it?"
    assert {e.text: e.judged for e in score_units(asked, [love, worth], None, {})} == {
        "Weekends off.": 0.5, "The pay rises.": 1}
    assert {e.text: e.judged for e in score_units(asked, [love], None, {})} == {"Weekends off.": 1}  # all there is


def test_a_question_judging_the_new_role_is_read_without_its_words_when_units_are_weighed():
    """"Will I enjoy working as a data analyst?": every unit on the new role shares its words
    ("Data analysts working in retail earn..."), so they say nothing of which unit judges the
    work; the unit under "What You'll Love" answers. The old role's words are no such thing:
    "am I the kind of baker who would enjoy it?" is answered by who the move suits."""
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    passage = baker_analyst_passage
    pay = passage("Pay", "Data analysts working in retail earn $50,000.")
    love = passage("What You'll Love", "Quiet mornings and no ovens.")
    ranked = score_units("Will I enjoy working as a data analyst?", [pay, love], WordEmbeddings(), {})
    assert ranked[0].text == "Quiet mornings and no ovens."
    plain = score_units("Where do data analysts working in retail start?", [pay, love], WordEmbeddings(), {})
    assert plain[0].text.startswith("Data analysts working in retail")  # judging nothing: the roles count
    suits = passage("Is this move for you?", "It suits bakers who would enjoy counting stock.")
    ranked = score_units("Am I the kind of baker who would enjoy it?", [suits, love], WordEmbeddings(), {})
    assert ranked[0].text == "It suits bakers who would enjoy counting stock."
    # a role named with a hyphen is the role all the same
    meta = ChunkMeta(source="g.md", section="Pay", heading="Pay", title="Baker to Front-End Developer")
    pay = Document(page_content="Front-end developers earn $70,000.", metadata=meta.to_metadata(), id="one-role fe")
    ranked = score_units("Will I enjoy front-end development?", [pay, love], WordEmbeddings(), {})
    assert ranked[0].text == "Quiet mornings and no ovens."


def test_a_question_asking_how_many_is_answered_by_a_unit_giving_a_number_of_the_thing():
    """"How many supplier tastings do I go to?": "Attend three supplier tastings" gives the number,
    though a unit on tastings in general comes from a passage ranked higher; a question asking no
    number keeps the order."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    def passage(heading: str, text: str) -> Document:
        meta = ChunkMeta(source="g.md", section=heading, heading=heading)
        return Document(page_content=text, metadata=meta.to_metadata(), id=f"how-many {heading}")

    week = passage("The desk side", "Supplier tastings fill a small part of the week.")
    march = passage("March", "Attend three supplier tastings and log each wine.")
    counted = score_units("How many supplier tastings do I go to?", [week, march], None, {})
    assert counted[0].text == "Attend three supplier tastings and log each wine."
    described = score_units("What are supplier tastings like?", [week, march], None, {})
    assert described[0].text == "Supplier tastings fill a small part of the week."


def test_the_initials_of_the_guides_roles_are_known_and_steer_nothing(planner):
    """"DA" is the guide's own Data Analyst: no "the guide doesn't mention DA", and like the
    roles' words it weighs nothing when units are scored."""
    known = planner.retriever.known_idf()
    assert known["da"] == 0.0 and known["analyst"] == 0.0 and known["faq"] > 0
    result = ExtractiveAnswerer(idf=known).answer(planner.plan("How do DA people write SELECT queries?", []))
    assert result.text.startswith("SQL Fundamentals (6 weeks) [1]:")


def test_a_long_unit_is_split_at_semicolons_only_when_it_is_a_list():
    from bot.answer.evidence import pieces

    one = ("Read Fundamentals of Baking Analytics, published by the Guild of Data Bakers and Pastry Analysts; "
           "start with the chapters on sales forecasting and on seasonal demand for sourdough loaves.")
    assert pieces(one) == [one]  # its second clause means nothing without its first
    listed = ("Keep Excel for quick pivots and the weekly stock sheet; SQL for the orders table and all of the "
              "monthly reports; Tableau for the dashboards the owner reads every Monday morning.")
    assert len(pieces(listed)) == 3


def test_a_question_asking_which_tool_quotes_the_unit_that_names_one():
    """"Which platform for my portfolio website?" wants a name: the unit naming Squarespace
    beats one sharing more of the question's words but naming nothing."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.md", section="Portfolio", heading="Portfolio").to_metadata()
    doc = Document(id="p", page_content="Each project feeds one portfolio website with a single story.\n"
                                         "Publish three case studies on a simple site built with Squarespace.",
                   metadata=meta)
    idf = {"portfolio": 1.0, "websit": 1.0, "platform": 1.0, "build": 1.0}
    asked = score_units("Which platform should I use for my portfolio website?", [doc], None, idf)
    assert asked[0].text.endswith("built with Squarespace.") and asked[0].gives
    shorthand = score_units("What's the best platform for my portfolio website?", [doc], None, idf)
    assert shorthand[0].text.endswith("built with Squarespace.")  # "what's", as most people type it
    plain = score_units("How do I keep my portfolio website to one story?", [doc], None, idf)
    assert plain[0].text.startswith("Each project") and not any(e.gives for e in plain)


def test_a_question_asking_a_price_quotes_the_unit_that_gives_one_for_what_it_asks():
    """"sec+ exam how much $$" wants a sum: the exam unit with the price beats one sharing the
    question's words but giving none, and a sum for something else gets no help."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.md", section="Costs", heading="Costs").to_metadata()
    doc = Document(id="p", page_content="The exam has 90 questions and lasts 90 minutes.\n"
                                         "The voucher costs CAD 560 for the exam.\n"
                                         "Set a budget alert at $10 on the first day.", metadata=meta)
    idf = {"exam": 1.0, "voucher": 1.0, "budget": 1.0, "question": 1.0}
    asked = score_units("exam how much $$", [doc], None, idf)
    assert asked[0].text.startswith("The voucher costs CAD 560") and asked[0].gives
    assert not next(e for e in asked if e.text.startswith("Set a budget")).gives  # no exam in it


def test_a_follow_up_quotes_what_it_asks_not_a_line_that_only_names_its_topic():
    """After "Which SIEM in the log phase?", "what searches do I build in it?" wants the searches:
    a table row's "Phase: Linux, Logs and SIEM" holds more of the context's words, and none of
    the question's own."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta
    from bot.text import content_terms

    meta = ChunkMeta(source="g.txt", section="Plan", heading="Plan").to_metadata()
    doc = Document(id="p", page_content="Phase: Linux, Logs and SIEM\nWrite five saved searches.", metadata=meta)
    idf = dict.fromkeys(["search", "build", "siem", "log", "phase", "linux", "write", "save"], 1.0)
    ranked = score_units("what searches do I build in it?", [doc], None, idf, context="the SIEM log phase")
    assert ranked[0].text == "Write five saved searches." and ranked[1].aside
    phase = ChunkMeta(source="g.txt", section="Your Roadmap > Cloud", heading="Cloud").to_metadata()
    docker = Document(id="d", page_content="Containerize models using Docker.", metadata=phase)
    placed = score_units("and in which roadmap phase do I do it?", [docker], None, idf | {"docker": 1.0},
                         context="Docker")
    assert not placed[0].aside  # its section's path holds "roadmap"
    # Where the question's own words are nowhere, it asks about its topic: the topic's passage
    # (ranked first) answers, not a closer-sounding line elsewhere.
    faq = ChunkMeta(source="g.txt", section="FAQ > Do I need a degree?", heading="Do I need a degree?")
    topic = Document(id="t", page_content="Not always.\nDistributors are the most flexible.",
                     metadata=faq.to_metadata())
    filters = Document(id="f", page_content="Large retailers screen out applicants without a degree or diploma.",
                       metadata=ChunkMeta(source="g.txt", section="Cons", heading="Cons").to_metadata())
    words = dict.fromkeys(content_terms("degree diploma employers relaxed retailers applicants distributors"), 1.0)
    relaxed = score_units("which employers are most relaxed about it?", [topic, filters], None, words,
                          context="Do I need a degree or a diploma?", said="Not always.")
    assert relaxed[0].text == "Distributors are the most flexible." and not relaxed[0].aside
    assert next(e for e in relaxed if e.doc is filters).aside


def test_a_phase_of_one_week_is_placed_at_its_week_not_a_span_of_one():
    from bot.schema import ChunkMeta, Plan, Request

    guide = ("Baker to Analyst\n\nTHE ROADMAP\n\nTwo phases.\n\nSheets (4 weeks)\n\n- pivots\n\n"
             "Portfolio (1 week)\n\n- publish one analysis\n")
    docs = baker_documents(guide)
    roadmap = Roadmap.from_documents(docs)
    outline = next(d for d in docs if ChunkMeta.of(d).section == roadmap.section)
    request = Request(question="What are the phases?", standalone="", history=[], passages=[outline],
                      plan=Plan.SECTION, focus=outline, roadmap=roadmap)
    text = ExtractiveAnswerer().answer(request).text
    assert "weeks 1-4" in text and text.endswith(", week 5")


def test_which_book_is_answered_by_a_title_and_its_author_not_by_the_word_book():
    """"Which book for the exam?": the line naming "Get Certified Get Ahead by Darril Gibson",
    not the one that says "book the exam", though that one shares the question's words."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.answer.questions import names_a_work
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.txt", section="Exam prep", heading="Exam prep", shape="bullets")
    doc = Document(id="e", page_content="- Book the exam for the end of week 11.\n"
                                        "- Study for the exam with Get Certified Get Ahead by Darril Gibson.",
                   metadata=meta.to_metadata())
    ranked = score_units("Which book should I use for the exam?", [doc], None, {})  # words alone
    assert ranked[0].text.startswith("Study for the exam with Get Certified")
    assert score_units("the book for the exam, what is it?", [doc], None, {})[0].text.startswith("Study for")
    asked_when = score_units("When should I book the exam?", [doc], None, {})  # the verb asks for no book
    assert asked_when[0].text.startswith("Book the exam")
    assert names_a_work("Read The Phoenix Project by Gene Kim to see the big picture.")
    assert not names_a_work("Book a call with a Mentor by Friday.")
    assert not names_a_work("Submit your CV by Friday Morning.")


PROSE_PHASES = """# Baker to Analyst
## Overview
Bakers already keep records every day.
## Skills That Transfer
- Keeping a production log every morning
- Writing up a case study of a new recipe for the team
## Your Roadmap
### Phase 1: Spreadsheets (Weeks 1-4)
Learn formulas and pivot tables. Clean a messy sales log.
### Phase 2: Portfolio (Weeks 5-6)
Publish two analyses of bakery sales. Then write a short case study for each one.
"""


def test_a_question_asking_where_in_the_plan_is_answered_by_the_phase_named():
    """"Where in the plan...?" asks for a phase: the phase that has it, by name, though a
    section that is no phase shares more of the question's words."""
    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    documents = chunk_guide(parse_guide("baker.md", PROSE_PHASES))
    retriever = baker_retriever(documents)
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(documents), settings=Settings(),
                      intents=ReadAs())
    for question in ("Where in the plan do I write up a case study of a new recipe?",
                     "Which phase has the case study?"):
        text = answer(planner, question).text
        assert text.startswith("Phase 2: Portfolio (Weeks 5-6): ") and "write a short case study" in text
        assert "Skills That Transfer" not in text and "new recipe" not in text
    assert not answer(planner, "How do I write up a case study?").text.startswith("Phase 2")


GLOSSARY = """# Teacher to Designer
## Portfolio
Hiring managers spend a few minutes on a portfolio, so three strong pieces beat ten weak ones.
## Glossary
### SCORM
a packaging standard that lets an LMS launch a course and record completion.
### LMS
learning management system, the platform that delivers courses, such as Cornerstone, Docebo or Moodle.
"""


def test_a_follow_up_with_no_topic_of_its_own_is_answered_from_the_topic():
    """"What's an LMS?" is the entry headed LMS, not one that uses the word; "can you name a
    few?" after it names the platforms that entry lists, which the last answer left out, not
    the line that says "a few"."""
    from bot.answer.entities import numbers
    from bot.answer.evidence import repeats
    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide
    from bot.text import content_terms

    documents = chunk_guide(parse_guide("g.md", GLOSSARY))
    retriever = baker_retriever(documents)
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    assert answer(planner, "What's an LMS?").text.startswith("LMS: learning management system")
    said = "A learning management system: the platform that delivers courses."
    history = [{"role": "user", "content": "What's an LMS?"}, {"role": "assistant", "content": said}]
    assert "Cornerstone, Docebo or Moodle" in answer(planner, "can you name a few?", history).text
    entry = "learning management system, the platform that delivers courses"
    said_terms, said_numbers = set(content_terms(said)), numbers(said)
    assert repeats(entry, said_terms, said_numbers)
    assert not repeats(f"{entry}, such as Moodle", said_terms, said_numbers)  # it names what the answer did not
    assert not repeats(f"{entry}, $30 a seat", said_terms, said_numbers)  # ...or a figure it did not give



AUDITOR_GUIDE = """# Line Cook to Food Safety Auditor
## The plan
### Weeks 1-4: Learn the codes
- Read Food Safety Fundamentals by Dana Hollis, two chapters a week.
- Shadow an inspection at your own kitchen.
- Read the audits your county publishes, one a week.
### Weeks 5-8: Get certified
- Book the auditor exam for week 8.
- Write two mock audits of restaurants you know, each under ten pages.
## What it costs
- Auditor exam voucher: $300
- Food Safety Fundamentals by Dana Hollis (paperback): $45
- Inspection checklist app: $8 a month
## FAQ
### Do I need a degree in food science?
No. Audit firms hire on the certificate and on two mock audits you can show.
"""


def test_it_after_a_question_for_a_book_is_the_book_the_answer_named():
    """"Which book should I read?" answered from a phase, then "how much does it cost?": the
    price of that book from the cost list, not the phase's lines nor the whole list."""

    planner = guide_planner(AUDITOR_GUIDE)
    said = "Weeks 1-4: Learn the codes [1]:\n- Read Food Safety Fundamentals by Dana Hollis, two chapters a week."
    history = [{"role": "user", "content": "Which book should I read?"}, {"role": "assistant", "content": said}]
    text = answer(planner, "how much does it cost?", history).text
    assert "Food Safety Fundamentals by Dana Hollis (paperback): $45" in text
    assert "$300" not in text and "Shadow" not in text
    # "Which phase has me reading a book?" asks for a phase: "it" is the phase the answer named
    planner.intents = ReadAs({"how long does it take?": Intent.DURATION})
    said = "That's Weeks 1-4: Learn the codes, where you read Food Safety Fundamentals by Dana Hollis [1]."
    history = [{"role": "user", "content": "Which phase has me reading a book?"},
               {"role": "assistant", "content": said}]
    assert answer(planner, "how long does it take?", history).text.startswith("Learn the codes takes 4 weeks")


def test_a_thing_pointed_at_by_its_noun_is_the_thing_as_the_last_answer_named_it():
    """"which week do I do those audits?" after an FAQ answer naming "two mock audits":
    the roadmap line on the mock audits, not the FAQ entry's topic (a degree)."""
    from bot.answer.questions import asks_of_named_thing, with_named_thing

    said = "No. Audit firms hire on the certificate and on two mock audits you can show. [1]"
    assert with_named_thing("when do I write those audits?", said) == "when do I write the mock audits?"
    assert with_named_thing("what do I do this week?", said) == "what do I do this week?"  # a span of time
    assert with_named_thing("is that certificate hard?", said) == "is that certificate hard?"  # "the certificate"
    assert with_named_thing("what are those 2 audits on?", said) == "what are the mock audits on?"
    # asked of the audits, not of an exam named beside them: then the answer's topic stays the context
    assert asks_of_named_thing("which week do I do those audits?")
    assert not asks_of_named_thing("and the exam you take after those audits?")
    planner = guide_planner(AUDITOR_GUIDE)
    history = [{"role": "user", "content": "Do I need a degree in food science?"},
               {"role": "assistant", "content": said}]
    result = answer(planner, "which week do I do those audits?", history)
    assert "Write two mock audits of restaurants" in result.text
    assert [c.section for c in result.citations] == ["The plan > Weeks 5-8: Get certified"]


COURSES_GUIDE = """# Line Cook to Food Safety Auditor
## The plan
### Weeks 1-4: Learn the codes
- Complete the three free ServSafe modules: Allergens, Cooling and Storage. They are online and take 2 to 3 hours each.
- Watch the county's free HACCP webinar so you know the inspectors' vocabulary.
### Weeks 5-8: Get certified
- Book the auditor exam for week 8.
"""


def test_how_long_after_a_thing_the_answer_named_is_its_length_as_the_guide_gives_it():
    """"how long does each take?" after the modules a phase lists: the modules' 2 to 3 hours, not
    the phase's 4 weeks; after the phase itself, the phase's; never how often ("every 3 years")."""

    assert points_back("how long does each take?") and points_back("how much is each one?")
    assert not points_back("how long is each phase?") and not points_back("what do I do each week?")
    def planner_for(guide: str) -> Planner:
        return guide_planner(guide, {"how long does each take?": Intent.DURATION,
                                     "how long does it take?": Intent.TOTAL})

    planner = planner_for(COURSES_GUIDE)
    modules = [{"role": "user", "content": "Which modules do I take first?"},
               {"role": "assistant", "content": "The three free ServSafe modules: Allergens, Cooling and Storage."}]
    result = answer(planner, "how long does each take?", modules)
    assert "take 2 to 3 hours each [1]" in result.text and "4 weeks" not in result.text
    # a renewal every 3 years is how often, not how long
    renewal = planner_for(COURSES_GUIDE.replace("Book the auditor exam for week 8.",
                                                "Book the auditor exam for week 8; renew it every 3 years."))
    exam = [{"role": "user", "content": "What exam do I take?"},
            {"role": "assistant", "content": "The auditor exam, which you book for week 8 and renew."}]
    assert answer(renewal, "how long does it take?", exam).text.startswith("The guide doesn't")
    # an answer opening on the phase, or to "what happens in the phase?", is the phase, though it names the modules
    opening = [{"role": "user", "content": "Where do the modules come in?"},
               {"role": "assistant", "content": "Learn the codes, where you complete the three free ServSafe "
                                                "modules: Allergens, Cooling and Storage."}]
    assert answer(planner, "how long does it take?", opening).text.startswith("Learn the codes takes 4 weeks")
    phase = [{"role": "user", "content": "What happens in the Learn the codes phase?"},
             {"role": "assistant", "content": "You complete the three free ServSafe modules: Allergens, Cooling "
                                              "and Storage."}]
    assert answer(planner, "how long does it take?", phase).text.startswith("Learn the codes takes 4 weeks")


COURSE_LIST_GUIDE = """# Line Cook to Food Safety Auditor
## Courses
- **ServSafe Manager course.** Free, about 6 hours, 12 modules, from the National Restaurant Association.
- **County HACCP webinar.** Free, recorded, with a quiz at the end.
## The plan
### Weeks 1-4: Learn the codes
Kitchens run on codes, and this month is about learning them. Complete the free ServSafe Manager course in the
first two weeks. Then watch the county's HACCP webinar so you know the inspectors' vocabulary.
### Weeks 5-8: Build proof
Write a mock audit report of your own kitchen. Save it as a single PDF of about 10 pages.
"""


def test_how_long_after_a_thing_is_the_length_of_the_thing_the_answer_opens_on():
    """"how long does it take?" after "Yes, the ServSafe Manager course. You do it in the first two
    weeks.": the course's 6 hours (where the guide lists it), not when the answer said it falls;
    a report's length is its pages; a thing the guide gives no length is no length of the roadmap."""

    planner = guide_planner(COURSE_LIST_GUIDE, {"how long does it take?": Intent.TOTAL,
                                                "how long should it be?": Intent.DURATION,
                                                "how many hours does it take?": Intent.TOTAL_HOURS})
    course = [{"role": "user", "content": "is there a free manager course?"},
              {"role": "assistant", "content": "Yes, the ServSafe Manager course from the National Restaurant "
                                               "Association. You do it in the first two weeks."}]
    result = answer(planner, "how long does it take?", course)
    assert "about 6 hours, 12 modules" in result.text and [c.section for c in result.citations] == ["Courses"]
    report = [{"role": "user", "content": "what goes in my portfolio?"},
              {"role": "assistant", "content": "A mock audit report of your own kitchen."}]
    assert "about 10 pages" in answer(planner, "how long should it be?", report).text
    webinar = [{"role": "user", "content": "what's HACCP?"},
               {"role": "assistant", "content": "The county's HACCP webinar, so you know the inspectors' vocabulary."}]
    result = answer(planner, "how many hours does it take?", webinar)
    assert result.text.startswith("The guide doesn't say how long that takes") and "weeks" not in result.text
    # unless a passage gives a length beside its name: then the passages answer, not "the guide doesn't say"
    quiz = COURSE_LIST_GUIDE + "Sit the HACCP quiz online; it takes 30 minutes.\n"
    planner = guide_planner(quiz, planner.intents.intents)
    assert not answer(planner, "how many hours does it take?", webinar).text.startswith("The guide doesn't")


def test_how_long_after_a_term_the_answer_names_whole_is_the_length_its_line_opens_with():
    """"It's SQL for Utility Data, which costs $149 and uses real outage data." -> "how long does it
    take?": the term's line opens with its length and goes on about the data, which the answer
    names more of; the length is still the term's ("12 modules, roughly 20 hours")."""

    guide = ("From Lineworker to Grid Analyst\n\nCourses\n\n- SQL for Utility Data: 12 modules, roughly 20 hours, "
             "for $149. It uses real outage and meter data sets.\n- SCADA Essentials: a vendor-neutral workshop. "
             "It costs $450.\n- Power BI Analyst: a 100-minute exam that costs $165.\n\nThe Plan\n\nWeeks 1-4: "
             "Queries\n\n- Finish SQL for Utility Data.\n\nWeeks 5-8: Apply\n\n- Send ten applications.\n")
    planner = guide_planner(guide, {"how long does it take?": Intent.TOTAL}, name="g.txt")
    sql = [{"role": "user", "content": "what's the sql course?"},
           {"role": "assistant", "content": "It's SQL for Utility Data, which costs $149 and uses real outage and "
                                            "meter data sets."}]
    result = answer(planner, "how long does it take?", sql)
    assert result.text.startswith("SQL for Utility Data: 12 modules, roughly 20 hours")


def test_why_is_answered_by_the_reason_though_the_last_answer_gave_it():
    """"why?" after "Not necessarily: pay evens out due to higher demand" is that reason again,
    not whatever the last answer left unsaid."""
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.md", section="Pay", heading="Will I take a pay cut?", kind="faq", shape="prose")
    doc = Document(id="p", page_content="Not necessarily. Total pay often evens out due to higher demand. "
                                        "Take the next step today.", metadata=meta.to_metadata())
    said = "Not necessarily. Total pay often evens out due to higher demand."
    ranked = score_units("why?", [doc], WordEmbeddings(), {}, why=True, context="will I take a pay cut?", said=said)
    assert ranked[0].text == "Total pay often evens out due to higher demand."
    # what a thing gives you is a reason for it too
    meta = ChunkMeta(source="g.md", section="FAQ", heading="Should I keep my licence?", kind="faq", shape="prose")
    doc = Document(id="l", page_content="Yes. Keep your licence current for two years. It gives you a fallback if "
                                        "the new job does not work out. Renew it online.", metadata=meta.to_metadata())
    said = "Yes. Keep your licence current for two years."
    ranked = score_units("why though?", [doc], WordEmbeddings(), {}, why=True, context="keep my licence?", said=said)
    assert ranked[0].text.startswith("It gives you a fallback")


def test_what_a_phase_leaves_you_with_is_its_closing_line():
    """"what am I supposed to have built by the end of it?": guides end a phase with what it
    leaves you with ("Deliverable: ..."), which shares none of the question's words."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.md", section="Plan > Cloud (weeks 10-15)", heading="Cloud (weeks 10-15)",
                     kind="phase", shape="prose")
    doc = Document(id="p", page_content="Take the course and build everything in your own account. "
                                        "By the end of each week, add one more service. "
                                        "Deliverable: a Terraform repository that deploys a web app.",
                   metadata=meta.to_metadata())
    ranked = score_units("and what am I supposed to have built by the end of it?", [doc], None, {}, context="Cloud")
    assert ranked[0].text.startswith("Deliverable:")
    unasked = score_units("and what do I do at the start of each week?", [doc], None, {}, context="Cloud")
    assert unasked[0].text.startswith("By the end of each week")
    # planned as the phase itself ("phase 2"): its closing line, not its opening
    from bot.schema import Plan, Request

    asked = Request(question="What will I have by the end of phase 2?", standalone="", history=[], passages=[doc],
                    plan=Plan.SECTION, focus=doc, lead="Phase 2 is Cloud (6 weeks)")
    said = ExtractiveAnswerer().answer(asked).text
    assert said.startswith("Phase 2 is Cloud (6 weeks) [1]: Deliverable: a Terraform repository")
    # the unit saying what the phase leaves you with, though a line of its tools comes after it
    tools = Document(id="t", page_content=doc.page_content + "\nCloud (10 hours per week): Terraform and the AWS "
                     "free tier.", metadata=meta.to_metadata())
    ranked = score_units("and what am I supposed to have built by the end of it?", [tools], None, {}, context="Cloud")
    assert ranked[0].text.startswith("Deliverable:")


def test_a_follow_up_naming_a_part_the_last_answer_said_is_answered_by_that_part_again():
    """"what's the deliverable there?" after the whole phase was shown: the user singles out its
    Deliverable line, said already; "what else do I deliver there?" asks past it. A table's column
    names, kept in its section's text, are no unit at all."""
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.md", section="Plan > Jan 18 – Feb 7", heading="Jan 18 – Feb 7", kind="phase",
                     shape="prose")
    phase = Document(id="p", page_content="Phase: Capstone\nWhat you do: plan pick-and-place motions for an arm\n"
                                          "Deliverable: a capstone repository with a demo video",
                     metadata=meta.to_metadata())
    said = "Jan 18 – Feb 7: Phase: Capstone What you do: plan pick-and-place motions for an arm Deliverable: a " \
           "capstone repository with a demo video"
    ranked = score_units("what's the deliverable there?", [phase], None, {}, context="Jan 18 – Feb 7", said=said)
    assert ranked[0].text.startswith("Deliverable:") and not ranked[0].said
    more = score_units("what else do I deliver there?", [phase], None, {}, context="Jan 18 – Feb 7", said=said)
    assert all(e.said for e in more if e.text.startswith("Deliverable:"))
    plan = ChunkMeta(source="g.md", section="Plan", heading="Plan").to_metadata()
    overview = Document(id="o", page_content="Each phase ends with a deliverable you push to GitHub.\n"
                                             "Dates | Phase | What you do | Deliverable", metadata=plan)
    header = Document(id="h", page_content="Dates | Phase | Deliverable", metadata=plan)  # nothing else said
    assert [e.text for e in score_units("what is the deliverable?", [header, overview], WordEmbeddings(), {})] == [
        "Each phase ends with a deliverable you push to GitHub."]


def test_a_follow_up_asking_the_same_of_a_thing_the_last_answer_named_is_answered_by_its_line_again():
    """"and senior buyers?" after "... and senior buyers earn £60,000 to £80,000": the line said
    before answers it, ahead of one naming seniors in passing; "and when do senior buyers get
    hired?" asks something new of them, and "what other senior roles are there?" asks past it."""
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.answer.questions import elliptic
    from bot.schema import ChunkMeta

    pay = Document(id="pay", page_content="Assistants start at £28,000, a pay cut from a senior floor role.\n"
                   "Senior buyers earn £60,000 to £80,000.",
                   metadata=ChunkMeta(source="g.md", section="Pay", heading="Pay", shape="prose").to_metadata())
    said = "Buyers earn £40,000 to £55,000, and senior buyers earn £60,000 to £80,000."

    def top(question):
        return score_units(question, [pay], None, {}, context="Pay", said=said)[0].text

    assert elliptic("and senior buyers?") == "senior buyers" and top("and senior buyers?").startswith("Senior buyers")
    for new in ("and when do senior buyers get hired?", "and what other senior buyers are there?"):
        assert elliptic(new) is None
        assert top(new).startswith("Assistants"), new
    assert elliptic("and the one after that?") is None  # points back


def test_an_elliptic_follow_up_asks_what_the_question_before_it_asked():
    """"and as an analyst?" after "what do lineworkers make?" asks an analyst's pay, not any line
    naming analysts; "and after a couple of years?" after "$48,000 a year" asks on past that line,
    whose "a year" is a rate, not the years asked about."""

    guide = ("# From Lineworker to Grid Analyst\n\n## Pay\n\n- Experienced lineworkers earn around $88,000 a year.\n"
             "- As a new analyst you go from senior hand to junior, and that is about pride.\n"
             "- New analysts start at $82,000 a year.\n- After two years, analysts earn $95,000 to $100,000.\n"
             "- Overtime is rare in the control room.\n")
    planner = guide_planner(guide)
    pay = [{"role": "user", "content": "what do lineworkers make?"},
           {"role": "assistant", "content": "Experienced lineworkers earn around $88,000 a year."}]
    assert "$82,000" in answer(planner, "and as an analyst?", pay).text.split("\n")[1]
    start = [{"role": "user", "content": "what do new analysts make?"},
             {"role": "assistant", "content": "New analysts start at $82,000 a year."}]
    assert "$95,000 to $100,000" in answer(planner, "and after a couple of years?", start).text.split("\n")[1]


def test_where_to_learn_something_is_answered_by_a_unit_naming_the_place():
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    def passage(pid, heading, text):
        meta = ChunkMeta(source="g.md", section=heading, heading=heading)
        return Document(id=pid, page_content=text, metadata=meta.to_metadata())

    skills = passage("a", "Skills to learn", "- Statistics: sample sizes, margins of error and averages that mislead.")
    phase = passage("b", "Weeks 8-12", "- Learn sample sizes with the free Khan Academy statistics units.")
    ranked = score_units("where do I learn the statistics side?", [skills, phase], WordEmbeddings(), {})
    assert "Khan Academy" in ranked[0].text


def test_a_question_judging_the_move_gets_the_whole_list_that_judges_it_alike():
    """"Is leaving the bakery worth it?": every bullet of "What You'll Love" answers, not only
    the one sharing the question's words."""
    guide = BAKER_GUIDE + ("What You'll Love\n- Leaving the bakery means weekends off\n- Regular office hours\n"
                           "- A pay rise within a year\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    result = answer(planner, "Is leaving the bakery worth it?")
    assert result.text.startswith("What You'll Love [1]:") and "A pay rise within a year" in result.text
    plain = answer(planner, "Does leaving the bakery mean weekends off?")  # no verdict asked: the bullet that answers
    assert "weekends off" in plain.text and "pay rise" not in plain.text


def test_a_sentence_judging_the_move_as_asked_is_quoted_with_the_rest_of_its_paragraph():
    """In a section judging both ways, "What's the toughest part of switching?" is answered by
    the sentence saying what is hard and the sentences after it, not by what people enjoy."""
    guide = BAKER_GUIDE + ("Good Days and Bad Days\nPeople enjoy switching to quiet mornings and love the office. "
                           "Most teams meet on Mondays to plan the week ahead. Reports go out every Friday by noon. "
                           "Managers review dashboards with the whole team once a month in a long meeting. "
                           "New analysts shadow a senior colleague for their first two weeks on the job.\n"
                           "The hard parts are physical. Long drives to clients wear you out. Winters are slow, "
                           "and some months bring little work for anyone who joined the company in the last year.\n")
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    text = answer(planner, "What's the toughest part of switching?").text
    assert text.startswith("The hard parts are physical. Long drives") and "Winters are slow" in text
    assert "enjoy" not in text


def test_an_also_line_that_opens_with_a_bare_reply_goes_on_to_what_it_replies():
    """"Also: Usually." said nothing: the FAQ answer's next sentence says what is usual."""
    guide = ("# Baker to Analyst\n\n## Who this is for\n\nBakers with a flexible schedule who bake full-time.\n\n"
             "## FAQ\n\n### Is the schedule flexible?\n\nUsually. Full-time bakers fit the eight hours a week "
             "around early shifts.\n")
    text = passage_answer(guide, "Is the schedule flexible for bakers?", 2)
    assert text.startswith("Bakers with a flexible schedule")
    assert "\nAlso: Usually. Full-time bakers fit the eight hours a week around early shifts. [2]" in text


def test_a_table_rows_cells_are_quoted_after_the_rows_first_cell():
    """"Cost: $499 When: Weeks 4–7" answered "what does the course cost?" without saying which
    course, or that it is optional: the row's first cell says."""
    guide = ("# Bartender to SDR\n\n## What it costs\n\n| Item | Cost | When |\n| --- | --- | --- |\n"
             "| Sales course (optional) | $499 | Weeks 4–7 |\n| Book | $30 | Weeks 4–5 |\n")
    text = passage_answer(guide, "What does the sales course cost?", 1)
    assert text == "Sales course (optional): Cost: $499 When: Weeks 4–7 [1]"


def test_long_prose_under_a_named_heading_is_quoted_in_brief_only_if_its_opening_holds_what_is_asked():
    """"What It Costs" named by "cost": a question asking no more gets how its paragraph opens;
    one naming a thing the paragraph prices further on gets that sentence."""
    guide = ("# T\n\n## What It Costs\n\nThe core of this plan is inexpensive. You will buy three books at about "
             "$35, $40 and $30. PostgreSQL, DBeaver, Power BI Desktop, R and RStudio are all free, and so is the "
             "handbook online. The Google Data Analytics Professional Certificate on Coursera costs $49 a month, "
             "and three months of it comes to $147. Two optional extras are worth considering only if your "
             "budget allows: LinkedIn Premium during the job search, and a pass to a regional conference.\n\n"
             "## Salaries\n\nAnalysts start between $80,000 and $95,000.\n")
    detail = passage_answer(guide, "What does the Google certificate on Coursera cost?", 2)
    assert detail.startswith("The Google Data Analytics Professional Certificate on Coursera costs $49 a month")
    brief = passage_answer(guide, "What does it cost?", 2)
    assert brief.startswith("The core of this plan is inexpensive. You will buy three books")


def test_a_sentence_pointing_back_is_quoted_with_the_one_it_points_at():
    guide = ("# T\n\n## What It Costs\n\nThe core of this plan is inexpensive: three books at about $35, $40 and $30, "
             "and the certificate at $49 a month for three months, which comes to $147 in all. The tools you need, "
             "PostgreSQL, DBeaver and Power BI Desktop, are all free, and so is the handbook online. Two optional "
             "extras are worth considering: LinkedIn Premium during the job search, and a pass to a regional "
             "conference at around $600. Neither is necessary to land a first role.\n")
    said = passage_answer(guide, "Is any of it necessary to land a first role?", 1)
    assert "Two optional extras are worth considering" in said and "Neither is necessary" in said


def test_a_table_rows_cell_is_its_opening_clause_and_a_possessive_author_names_a_book():
    from bot.answer.extractive import first_clause
    from bot.answer.questions import names_a_work

    assert first_clause("Typical pay: $90,000–$120,000") == "Typical pay: $90,000–$120,000"  # not "Typical pay:"
    assert first_clause("Pricing: First, the basics. Then more.") == "Pricing: First, the basics."
    assert names_a_work("a system built on Alan J. Stolzer's Safety Management Systems in Aviation ($60)")
    assert names_a_work("Richard K. Barnhart's textbook Introduction to Unmanned Aircraft Systems")
    assert not names_a_work("Keith McNulty's free handbook")  # no title


def test_an_overview_of_a_section_judging_the_move_in_prose_is_how_its_paragraphs_open():
    guide = ("# T\n\n## What's Hard\n\nThe money is the hardest part for major-airline pilots. Leaving also means "
             "giving up your seniority number, which never transfers between airlines at all.\n\nThe flying "
             "itself is humbling at first. A small quadcopter in a gusty wind behaves nothing like a jet, and "
             "your hands need time.\n\nThe job is mostly not flying. Expect spreadsheets, budgets and calls "
             "most of the week, and the fragmented industry has no union to speak for you.\n")
    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide
    from bot.schema import Request

    retriever = baker_retriever(chunk_guide(parse_guide("g.md", guide)))
    asked = "What are the tough parts of this, the union too?"
    request = Request(question=asked, standalone=asked, history=[], passages=retriever.search(asked, 1),
                      plan=Plan.GENERAL, intent="overview")
    text = ExtractiveAnswerer(idf=retriever.bm25.idf, embedder=retriever.embedder).answer(request).text
    assert text.startswith("The money is the hardest part") and "The flying itself is humbling at first." in text


def test_hours_a_week_asked_of_one_phase_are_that_phases_rate_not_the_plans_total():
    """"and how many hours a week is that?" after a phase asks its rate, even read as a total."""
    guide = BAKER_GUIDE.replace("This guide turns", "Plan on 5 hours a week. This guide turns").replace(
        "6 weeks- Write SELECT", "6 weeks- At 10 hours a week, write SELECT")
    asked = {"and how many hours a week is that?": Intent.TOTAL_HOURS}
    planner = Planner(retriever=(r := baker_retriever(baker_documents(guide))), roadmap=Roadmap.from_documents(
        r.documents), settings=Settings(), intents=ReadAs(asked))
    history = [{"role": "user", "content": "What happens in the SQL Fundamentals phase?"},
               {"role": "assistant", "content": "SQL Fundamentals (weeks 5-10) [1]: write SELECT queries."}]
    said = answer(planner, "and how many hours a week is that?", history)
    assert "10 hours a week" in said.text and "roadmap comes to" not in said.text


def test_a_short_section_whose_heading_judges_the_move_as_asked_is_quoted_whole():
    """"What am I going to miss?" of a 500-character paragraph under "What you will miss": each
    thing missed, not the two sentences an unjudged paragraph that long would open with."""
    guide = ("# Lab Tech to Analyst\n\n## What you will miss\n\nBe honest with yourself about this part. You will "
             "miss working with your hands: the rhythm of a well-run bench and the pipettes. You will miss the "
             "direct line to patients, the moment you call a critical value and know it mattered that day. You "
             "will probably miss the camaraderie of a shift team that has been through a rough night together. "
             "And you will miss the clean end to the workday, when the samples stay at the bench.\n\n"
             "## What it costs\n\nThe course costs $49 a month.\n")
    said = passage_answer(guide, "What am I going to miss?", 1)
    assert "patients" in said and "camaraderie" in said and "clean end to the workday" in said


def test_hours_said_as_the_weeks_sittings_are_read_as_hours_a_week():
    """"two 3-hour weeknight sessions and one 6-hour weekend block" is 12 hours a week; one kind
    of sitting, or sittings with no week about them, are not a week's study."""
    from bot.answer.roadmap import weekly_hours

    guide = BAKER_GUIDE.replace("This guide turns", "Put your study time on the calendar: two 3-hour weeknight "
                                "sessions and one 6-hour weekend block. This guide turns")
    said = passage_answer(guide, "How many hours a week should I study?", 2)
    assert said.startswith("About 12 hours a week. ")
    assert weekly_hours("Block two four-hour study sessions on your next days off.") is None
    assert weekly_hours("Take a 3-hour exam block and a 2-hour practical session.") is None


def test_hours_each_weeknight_and_on_saturday_add_up_and_a_wages_hours_are_no_study():
    """"1 hour each weeknight and 4 hours on Saturday" is 9 hours a week; "$28 an hour, about 60
    hours a week" is the old job's work, not the plan's study time."""
    from bot.answer.roadmap import weekly_hours

    assert weekly_hours("Plan on 1 hour each weeknight and 4 hours on Saturday. Keep Sunday free.") == (9.0, 9.0)
    assert weekly_hours("A driver makes $28 an hour, about 60 hours a week.") is None
    paid = BAKER_GUIDE.replace("This guide turns", "Bakers earn $17 an hour, about 45 hours a week. Study 1 hour "
                               "each weeknight and 3 hours on Saturday. This guide turns")
    planner = Planner(retriever=(r := baker_retriever(baker_documents(paid))), roadmap=Roadmap.from_documents(
        r.documents), settings=Settings(), intents=ReadAs({"How many hours of study is the whole plan?":
                                                           Intent.TOTAL_HOURS}))
    assert answer(planner, "How many hours of study is the whole plan?").text.startswith(
        "At 8 hours a week, the 12-week roadmap comes to 96 hours of study")


def test_a_move_worth_it_is_answered_with_the_whole_paragraph_of_its_best_sentence():
    """"Is leaving the bakery worth it?" under "Why make the move" (judging the move only to the
    heading judge) quotes the paragraph its best sentence opens, with the reasons after it, not
    that sentence alone."""
    from langchain_core.documents import Document

    from bot.answer.extractive import ExtractiveAnswerer
    from bot.schema import ChunkMeta, Plan, Request

    meta = ChunkMeta(source="g.md", section="Why make the move", heading="Why make the move")
    why = Document(id="a", metadata={**meta.to_metadata(), "judged": 1}, page_content=(
        "Bakeries have been closing for a decade. Ovens start at four in the morning, the margins are thin, and "
        "the shop that had three bakers now has one. If you bake for a living today, you know the feeling.\n\n"
        "Leaving the bakery for an office is where many bakers have gone. Food companies need people who know "
        "recipes and costs. The skills you built at the oven are the ones hiring managers struggle to find."))
    question = "Is leaving the bakery worth it?"
    asked = Request(question=question, standalone=question, history=[], passages=[why], plan=Plan.GENERAL,
                    intent="passage")
    text = ExtractiveAnswerer(idf={"bakeri": 2.0, "leav": 2.0, "bak": 2.0}).answer(asked).text
    assert "Leaving the bakery for an office" in text and "hiring managers struggle to find" in text


WEIGHED_GUIDE = """# From Shop Baker to Food Scientist in 6 Months

## Why it's worth it

You trade 4 a.m. starts for a lab bench, and a career that keeps climbing.

## What you'll earn

Shop bakers earn $30,000 to $36,000 a year.
Junior food scientists start at $48,000, so for most bakers the move is a raise.

## Certificates

The food safety certificate is worth getting before you apply, and it costs $120.
"""


def test_whether_the_move_is_worth_it_is_weighed_in_its_reasons_and_in_what_it_pays():
    """"Is it worth it?" is answered from the section judging the move, which says nothing of pay,
    and then by what the guide says the move pays, cited to its own section; a question on whether
    a thing the guide names is worth it (a certificate) is not about the move's pay."""
    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    retriever = baker_retriever(chunk_guide(parse_guide("g.md", WEIGHED_GUIDE)))
    planner = Planner(retriever=retriever, roadmap=None, settings=Settings(), intents=ReadAs())
    text = answer(planner, "Is the move worth it?").text
    assert "career that keeps climbing" in text
    assert re.search(r"\nOn pay: .*for most bakers the move is a raise\. \[2\]", text)
    certificate = answer(planner, "Is the food safety certificate worth it?").text
    assert "certificate is worth getting" in certificate and "On pay" not in certificate
    assert "On pay" not in answer(planner, "Will I enjoy the move?").text  # enjoying it asks nothing of pay


def test_a_thing_asked_of_the_next_phase_is_answered_by_its_lines_that_say_it():
    """"and what's the reading for the next one?" is the book the next phase names, not the whole
    phase; "and after that?" is the whole phase. A line on "read-only access" is no reading."""
    guide = ("# Baker to Analyst\n\n## The roadmap\n\nTwo phases.\n\n### Days 1-30: Sheets\n\n"
             "Your reading for this phase is Bakery Numbers by Ann Lee.\n\n- Build a pivot table of sales.\n\n"
             "### Days 31-60: SQL\n\nYou move from sheets to databases.\n\n"
             "- Work through Practical SQL by Anthony DeBarros.\n- Ask for read-only access to the sales database.\n"
             "- Write fifty queries against the orders table.\n")
    asked, after = "and what's the reading for the next one?", "and after that?"
    retriever = baker_retriever(baker_documents(guide))
    planner = Planner(retriever=retriever, roadmap=Roadmap.from_documents(retriever.documents), settings=Settings(),
                      intents=ReadAs({asked: Intent.NEXT_PREV, after: Intent.NEXT_PREV}))
    history = [{"role": "user", "content": "What's in the first phase?"},
               {"role": "assistant", "content": "Your reading for this phase is Bakery Numbers by Ann Lee. "
                                                "Build a pivot table of sales."}]
    text = answer(planner, asked, history).text
    assert "Work through Practical SQL by Anthony DeBarros" in text
    assert "read-only" not in text and "fifty queries" not in text
    assert "fifty queries" in answer(planner, after, history).text



def test_a_question_judging_the_career_change_is_not_answered_by_a_unit_naming_it_in_passing():
    """"Is this career change worth it?" names the guide's whole subject: "A cheap career change
    next to a degree" shares its words and judges nothing; what "What You Will Like" says answers,
    and not an FAQ entry asking whether another thing is "worth" anything. A question judging
    nothing still counts the words ("what does the career change cost?")."""
    from handmade import WordEmbeddings

    from bot.answer.evidence import score_units

    passage = baker_analyst_passage
    cost = passage("What It Will Cost", "This is actually a cheap career change next to a degree.")
    like = passage("What You Will Like", "Regular hours and no ovens.")
    ranked = score_units("Is this career change actually worth it for me?", [cost, like], WordEmbeddings(), {})
    assert ranked[0].text == "Regular hours and no ovens."
    plain = score_units("What will the career change cost me?", [like, cost], WordEmbeddings(), {})
    assert plain[0].text == "This is actually a cheap career change next to a degree."
    both = passage("Introduction", "A data analyst does what a baker does, with numbers.")  # the move's roles
    ranked = score_units("Is going from baker to data analyst worth it?", [both, like], None, {})
    assert ranked[0].text == "Regular hours and no ovens."
    licence = passage("Is my licence worth anything later?", "Yes, keep it active.")  # "worth", of another thing
    assert score_units("Is it worth it?", [licence, like], None, {})[0].text == "Regular hours and no ovens."


def test_which_of_those_is_free_quotes_each_listed_thing_that_is_free():
    """"which of those is free?" after an answer naming a phase's three tools picks, among them,
    every one the guide calls free, not only the best scored."""
    guide = ("# T\n\n## Plan\n\n### Month 1: Basics\n\n- Read the rules.\n\n### Month 2: Learn to Score Captions\n\n"
             "This month you learn the NER model, the scoring method most quality teams use. NER counts "
             "edition errors and recognition errors and weights them by seriousness; 98 percent is the usual "
             "threshold. The hardest adjustment is that NER rewards meaning, not verbatim wording.\n"
             "- NER Fundamentals, an online course that costs $89 and takes about 10 hours.\n"
             "- Subtitle Edit, a free open-source caption editor.\n"
             "- A free scoring spreadsheet template from the Standards Forum.\n")
    planner = Planner(retriever=baker_retriever(baker_documents(guide)), roadmap=None, settings=Settings(),
                      intents=ReadAs({}))
    history = [{"role": "user", "content": "what tools does month 2 use?"},
               {"role": "assistant", "content": "NER Fundamentals ($89), the Subtitle Edit caption editor and a "
                                                "scoring spreadsheet template from the Standards Forum."}]
    text = answer(planner, "which of those is free?", history).text
    assert "Subtitle Edit" in text and "spreadsheet template" in text
    assert "$89" not in text


def test_a_short_passage_the_last_answer_drew_on_is_not_quoted_whole_again():
    """Short prose is quoted whole, but after an answer that said its first sentence, "what if I
    fail it?" gets the rest of it, not that sentence again."""
    guide = ("# T\n\n## Getting Certified\n\nSit the $149 exam, 60 questions in 75 minutes, taken online. The passing "
             "score is 70%, and the fee includes one free retake within 30 days. Plan on about 20 hours of "
             "study.\n\n## Money\n\nThe plan costs $167 in all.\n")
    planner = Planner(retriever=baker_retriever(baker_documents(guide)), roadmap=None, settings=Settings(),
                      intents=ReadAs({}))
    history = [{"role": "user", "content": "what's the exam like?"},
               {"role": "assistant", "content": "Sit the $149 exam: 60 questions in 75 minutes, taken online."}]
    text = answer(planner, "what if I fail it?", history).text
    assert "free retake" in text and "60 questions" not in text
    assert "60 questions" in answer(planner, "what's the exam like?").text  # asked first, it is quoted whole
