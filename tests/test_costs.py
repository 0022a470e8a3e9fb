"""Sums of money from the guide's own figures (bot.answer.costs), on a hand-made guide: no
model, no store (see handmade.py)."""

import re

from handmade import ReadAs, baker_retriever

from bot.answer.costs import amounts, items, kinds
from bot.answer.extractive import ExtractiveAnswerer
from bot.answer.intents import Intent
from bot.answer.planner import Planner
from bot.config import Settings
from bot.ingest.chunking import chunk_guide
from bot.ingest.loader import parse_guide
from bot.schema import ChunkMeta, Plan
from bot.text import content_terms

COSTS_GUIDE = """# From Barista to Cloud Support Engineer

## What the plan costs

The certification exam costs $150. Book it for the last week of the plan.

The practice platform costs $30 a month, and most people use it for two months.

The voucher for the networking exam costs US$400, which is about CAD 550. The study book costs about CAD 50.

## Free tools

Everything else in the plan is free.
"""


def planner_for(question: str) -> Planner:
    documents = chunk_guide(parse_guide("barista.md", COSTS_GUIDE))
    return Planner(retriever=baker_retriever(documents), roadmap=None, settings=Settings(),
                   intents=ReadAs({question: Intent.COST_SUM}))


def ask(question: str):
    return planner_for(question).plan(question, [])


def test_listed_things_are_added_with_a_monthly_price_counted_per_month():
    request = ask("What do the certification exam and three months of the practice platform cost altogether?")
    assert request.plan == Plan.FACT
    assert "$240" in request.lead  # 150 + 3 x 30
    assert "3 × $30 a month = $90" in request.lead
    assert [ChunkMeta.of(d).heading for d in request.passages] == ["What the plan costs"]  # what it cites


def test_the_answer_cites_the_sentences_that_give_the_prices():
    question = "What do the certification exam and three months of the practice platform cost altogether?"
    planner = planner_for(question)
    result = ExtractiveAnswerer(idf=planner.retriever.bm25.idf).answer(planner.plan(question, []))
    assert re.search(r"come to \$240 in all.*\[1\]", result.text)
    assert [c.quote for c in result.citations] == [
        "The certification exam costs $150.\n"
        "The practice platform costs $30 a month, and most people use it for two months."]


def test_a_sum_stays_in_one_currency():
    request = ask("How much are the networking voucher and the study book together?")
    assert request.plan == Plan.FACT
    assert "CAD 600" in request.lead  # CAD 550 + CAD 50, not US$400 + CAD 50
    assert "US$" not in request.lead


def test_one_priced_thing_is_no_sum_and_is_answered_from_the_passages():
    request = ask("How much does the certification exam and a good night's sleep cost in total?")
    assert request.plan != Plan.FACT


def test_a_question_lists_what_it_pays_for_not_how_it_asks():
    listed = items("If I pay for one month of the platform and also sign up for the exam, how much is that altogether?")
    assert [i.name for i in listed] == ["one month of the platform", "the exam"]
    asked = items("What do the Terraform exam and the CKA exam cost together?")
    assert [i.name for i in asked] == ["the Terraform exam", "the CKA exam"]
    titled = items("If I buy both CSS for JavaScript Developers and The Joy of React, what do they cost together?")
    assert [i.name for i in titled] == ["CSS for JavaScript Developers", "The Joy of React"]
    assert listed[0].months == 1.0 and listed[1].months is None


def test_each_amount_is_read_with_the_words_leading_up_to_it():
    documents = chunk_guide(parse_guide("barista.md", COSTS_GUIDE))
    found = [a for d in documents for a in amounts(d)]
    monthly = [a for a in found if a.monthly]
    assert [(a.currency, a.value) for a in monthly] == [("$", 30.0)]
    cad = [a for a in found if a.currency == "CAD "]
    assert [a.value for a in cad] == [550.0, 50.0]
    assert "book" in cad[1].lead and "book" not in cad[0].lead


def test_a_thing_named_by_one_word_takes_the_amount_that_word_names_most_nearly():
    """"the exam" shares "exam" with "The practice exam bundle is about $150" and with "The exam
    costs $499", said after it; the exam itself is the one whose words it says most of."""
    from bot.answer.costs import priced

    guide = ("# T\n\n## Costs\n\nThe practice exam bundle is about $150. The exam costs $499, with two attempts. "
             "Membership is $145 a year.\n")
    found = [a for d in chunk_guide(parse_guide("g.md", guide)) for a in amounts(d)]
    pairs = priced(items("What do the exam plus the membership come to?"), found, {})
    assert [amount.value for _, amount in pairs] == [499.0, 145.0]


def test_an_amount_written_before_its_thing_is_read_with_the_words_after_it():
    """"take the $70 Terraform exam first and save the $395 CKA": the words leading up to $395
    name the Terraform exam; the words after each amount name what it pays for."""
    from bot.answer.costs import priced

    guide = ("# T\n\n## Costs\n\nIf money is tight, take the $70 Terraform exam first and save the $395 CKA "
             "for when an employer pays.\n")
    found = [a for d in chunk_guide(parse_guide("g.md", guide)) for a in amounts(d)]
    terraform, cka = (set(content_terms(word)) for word in ("Terraform", "CKA"))
    assert [(terraform <= a.lead, cka <= a.lead) for a in found] == [(True, False), (False, True)]
    pairs = priced(items("What do the CKA and the Terraform exam cost together?"), found, {})
    assert [amount.value for _, amount in pairs] == [395.0, 70.0]


def test_a_thing_asked_for_as_an_exam_is_not_priced_by_its_course():
    from bot.answer.costs import priced

    guide = ("# T\n\n## Costs\n\n- AWS: Cantrill's AWS Solutions Architect Associate course ($40 one-time). "
             "The exam itself costs $150.\n- CKA: the KodeKloud CKA course ($25). The CKA exam costs $395.\n")
    found = [a for d in chunk_guide(parse_guide("g.md", guide)) for a in amounts(d)]
    question = "What do the exams for AWS Solutions Architect Associate and the CKA cost in total?"
    pairs = priced(items(question), found, {}, kinds(question))
    assert [amount.value for _, amount in pairs] == [150.0, 395.0]
    # An amount whose words name another listed thing is that thing's: "the $70 Terraform Associate exam"
    faq = chunk_guide(parse_guide("g.md", "# T\n\n## FAQ\n\nTake the $70 Terraform Associate exam.\n"))
    also = found + amounts(faq[0])
    three = "What do all three exams (AWS Solutions Architect Associate, Terraform Associate and CKA) cost?"
    assert [i.name for i in items(three)] == ["AWS Solutions Architect Associate", "Terraform Associate", "CKA"]
    assert [amount.value for _, amount in priced(items(three), also, {}, kinds(three))] == [150.0, 70.0, 395.0]
    course = "What do the AWS Solutions Architect Associate course and the CKA course cost in total?"
    assert [amount.value for _, amount in priced(items(course), found, {}, kinds(course))] == [40.0, 25.0]


def test_a_group_of_things_counted_in_the_question_takes_the_amounts_of_the_sentence_listing_them():
    """"all three books" are the three priced in "You will buy three books: A at $35, B at $40 and
    C at $30", added together; a count the sentence does not match prices nothing but its first."""
    guide = ("# T\n\n## What it costs\n\nYou will buy three books: Dummies by West at about $35, Practical SQL "
             "by DeBarros at about $40, and Storytelling with Data by Knaflic at about $30. The certificate "
             "costs $49 a month.\n")
    documents = chunk_guide(parse_guide("g.md", guide))
    question = "If I buy all three books and pay for three months of the certificate, what do I spend in total?"
    planner = Planner(retriever=baker_retriever(documents), roadmap=None, settings=Settings(),
                      intents=ReadAs({question: Intent.COST_SUM}))
    request = planner.plan(question, [])
    assert request.plan == Plan.FACT
    assert request.lead.startswith("Three books ($35 + $40 + $30 = $105) and three months of the certificate "
                                   "(3 × $49 a month = $147) come to $252 in all")
    assert [i.count for i in items("What do both books and all 4 courses cost?")] == [2, 4]
    assert [i.count for i in items("What do all three exams (AWS, Terraform and CKA) cost?")] == [1, 1, 1]


LIST_GUIDE = """# From Barista to Cloud Support Engineer

## What it costs

- Cloud course on Coursera: $147 (three months at $49 per month).
- The AWS study book: $54 for the paperback.
- Lab tools: $0 on free plans.
- Optional bootcamp: $499.

## What it costs, as a table

| Item | Cost | When |
|---|---|---|
| Exam voucher | $150 | Week 10 |
| Practice tests (optional) | $40 | Week 9 |
| Study book | $35 | Week 1 |

Total: $225 over 12 weeks.
"""


def list_planner(question: str, guide: str = LIST_GUIDE) -> Planner:
    documents = chunk_guide(parse_guide("barista.md", guide))
    return Planner(retriever=baker_retriever(documents), roadmap=None, settings=Settings(),
                   intents=ReadAs({question: Intent.COST_SUM}))


def test_everything_on_the_cost_list_is_each_lines_first_amount_not_by_the_month_added_up():
    question = "If I pay for everything on the cost list, what's my total spend?"
    request = list_planner(question).plan(question, [])
    assert request.plan == Plan.FACT
    assert request.lead.startswith("Everything on the guide's list of costs comes to $700")  # 147 + 54 + 0 + 499
    leaving = "Skipping the optional bootcamp, what does everything on the cost list come to?"
    assert "come to $201 of $700" in list_planner(leaving).plan(leaving, []).lead
    # a sum by the month counts as many months as its clause says it is paid for
    prose = LIST_GUIDE.replace("$147 (three months at $49 per month)", "$49 a month for three months")
    assert list_planner(question, prose).plan(question, []).lead.startswith(
        "Everything on the guide's list of costs comes to $700 (")


def test_a_total_the_list_states_is_the_total_and_what_is_left_out_comes_off_it():
    question = "Without the practice tests, what does everything in the table cost?"
    request = list_planner(question).plan(question, [])
    assert request.lead.startswith(
        "Leaving out Practice tests (optional) ($40), the guide's costs come to $185 of $225")
    assert {ChunkMeta.of(d).heading for d in request.passages} == {"Practice tests (optional)",
                                                                    "What it costs, as a table"}


def test_the_books_of_the_cost_list_are_its_lines_naming_a_book_by_its_author():
    guide = ("# Officer to Investigator\n\n## What it costs\n\n- Exam fee: $450\n"
             "- Accounting Made Simple by Mike Piper: $15\n- Fraud Handbook by Joseph T. Wells: $70\n"
             "- Financial Shenanigans by Howard Schilit: $35\n- LinkedIn Premium, 2 months at $40: $80\n")
    question = "What do the three books on the cost list add up to?"
    assert list_planner(question, guide).plan(question, []).lead.startswith(
        "The three books on the cost list come to $120")
    two = question.replace("three", "two")  # the list names three: no sum of two of them
    assert list_planner(two, guide).plan(two, []).plan != Plan.FACT


def test_a_name_joined_by_and_is_one_thing_and_a_table_rows_price_is_for_the_row_it_heads():
    """"the Peterson and Dagostino textbook" is one book where the guide names it so; "Cost: $120"
    in the table row "Estimating in Building Construction (Peterson and Dagostino)" prices that
    book, not "Used copies of the two textbooks can save about $100"."""
    from bot.answer.costs import priced

    guide = ("# Carpenter to Estimator\n\n## What it costs\n\n| Item | Cost |\n| --- | --- |\n"
             "| Print Reading (Brown) | $95 |\n"
             "| Estimating in Building Construction (Peterson and Dagostino) | $120 |\n"
             "| RSMeans cost book | $290 |\n\nUsed copies of the two textbooks can save about $100.\n")
    found = [a for d in chunk_guide(parse_guide("g.md", guide)) for a in amounts(d)]
    names = " ".join(f"{ChunkMeta.of(a.doc).section} {a.sentence}" for a in found)
    question = "What do Brown's book, the Peterson and Dagostino textbook and the RSMeans book cost?"
    listed = items(question, names)
    assert [i.name for i in listed] == ["Brown's book", "the Peterson and Dagostino textbook", "the RSMeans book"]
    assert len(items(question)) == 4  # without the guide's names, two things
    assert [amount.value for _, amount in priced(listed, found, {})] == [95.0, 120.0, 290.0]


def test_what_is_already_had_comes_off_the_list_of_priced_lines_not_the_prose_around_it():
    """"If I can already use a microphone from the station, what does the rest of the cost list
    add up to?": the microphone's line comes off the stated total, not the prose sentence that
    shares more of the question's words ("borrow a microphone ... from the station ... $400")."""
    guide = ("# Radio Host to Podcast Producer\n\n## What it costs\n\nMost of it is gear.\n\n"
             "- Microphone (Shure MV7+): $279\n- Headphones: $99\n- Editing software: $60\n- Total: $438\n\n"
             "If you can borrow a microphone and interface from the station, your outlay drops by more than $400.\n")
    question = "If I can already use a microphone from the station, what does the rest of the cost list add up to?"
    assert list_planner(question, guide).plan(question, []).lead.startswith(
        "Leaving out Microphone (Shure MV7+) ($279), the guide's costs come to $159 of $438")


def test_a_list_of_long_named_prices_counts_a_weekly_sum_for_its_weeks_and_not_the_prose_after_it():
    guide = ("# Driver to Dispatcher\n\n## What it costs\n\nThe prices we found:\n\n"
             "- Online dispatcher training course, self-paced, 40 lessons: $349\n"
             "- Practice access to a load board: $15 a week for 6 weeks\n"
             "- Supply Chain Management For Dummies by Daniel J. Stanton (paperback): $28\n\n"
             "Typing practice sites are free, so the software costs nothing beyond the $15 a week.\n")
    question = "What's the total cost of everything on the costs list?"
    assert list_planner(question, guide).plan(question, []).lead.startswith(
        "Everything on the guide's list of costs comes to $467 ($349 + $90 + $28)")


def test_a_total_the_guide_states_in_prose_is_the_total_not_one_more_line_to_add():
    """"Add it up and the whole plan comes to roughly $450." sums the list up: the answer, in the
    guide's words, rather than the list plus $450 plus the degree it is compared with. A line
    pricing one thing by the month ("which over three months comes to $147") is still a line."""
    guide = ("# Engineer to GIS Analyst\n\n## What it costs\n\n"
             "The license is $100 a year. The course costs $49 a month, which over three months comes to $147. "
             "The book is about $70.\n\nAdd it up and the whole plan comes to roughly $450. Compare that with a "
             "graduate certificate, which typically runs $9k–$15k.\n")
    question = "How much does everything on the cost list come to?"
    request = list_planner(question, guide).plan(question, [])
    assert request.lead == "The guide's list of costs comes to roughly $450"
    assert ExtractiveAnswerer().answer(request).text == "The guide's list of costs comes to roughly $450 [1]."
    unstated = guide.split("\n\nAdd it up")[0] + "\n"
    assert list_planner(question, unstated).plan(question, []).lead.startswith(
        "Everything on the guide's list of costs comes to $317 ($100 + $147 + $70)")
    one_line = unstated.replace("The book is about $70.", "That book comes to $70, a fraction of the total.")
    assert list_planner(question, one_line).plan(question, []).lead.startswith(
        "Everything on the guide's list of costs comes to $317 ($100 + $147 + $70)")  # one line's sum, not the list's


def test_a_line_pricing_several_things_counts_the_total_it_states_and_skipping_a_kind_takes_its_line_off():
    guide = ("# Adjuster to Analyst\n\n## What it costs\n\n"
             "- Courses: three Udemy courses at about $20, $15 and $18, so $53 in total.\n"
             "- Books: four books at $28, $45, $30 and $40, so $143 in total.\n"
             "- LinkedIn Premium Career: $40 for one month.\n- Custom domain: $12 per year.\n\n"
             "Total: about $248 if you buy everything new.\n")
    question = "If I skip buying the books entirely, what does the rest of the budget come to?"
    assert list_planner(question, guide).plan(question, []).lead.startswith(
        "Leaving out Books ($143), the guide's costs come to $105 of $248")


def test_the_section_headed_as_the_costs_is_the_list_though_the_roadmap_prices_more_lines():
    guide = ("# Adjuster to Analyst\n\n## The roadmap\n\n- Ledger: Course: Excel, $20. Book: Excel for Dummies, $28.\n"
             "- Query: Course: SQL Bootcamp, $15. Book: SQL for Data Analysis, $45.\n"
             "- Picture: Course: Tableau A-Z, $18. Book: Storytelling with Data, $30.\n\n"
             "## What it costs\n\n- Courses: $53 in total.\n- Books: $103 in total.\n- Domain: $12 per year.\n")
    question = "What does everything on the cost list come to?"
    assert list_planner(question, guide).plan(question, []).lead.startswith(
        "Everything on the guide's list of costs comes to $168 ($53 + $103 + $12)")


def test_one_thing_paid_by_the_week_or_month_comes_to_its_rate_times_the_time_it_is_paid_for():
    """"the load board in total?": $15 a week for 6 weeks is $90, not the weekly $15; and "how much
    is that in total?" after an answer on it prices what the conversation named."""
    guide = ("# Driver to Dispatcher\n\n## What it costs\n\n- Dispatcher course: $349\n"
             "- Practice access to a load board: $15 a week for 6 weeks\n"
             "- Mapping app: $9 a month for 3 months\n- Second monitor: $90\n")

    def lead(question: str, history: tuple = ()) -> str:
        return list_planner(question, guide).plan(question, list(history)).lead

    assert lead("How much will the load board cost me in total?").startswith(
        "The load board comes to $90 in all (6 × $15 a week = $90)")
    assert "comes to $27 in all (3 × $9 a month = $27)" in lead("What does the mapping app cost me altogether?")
    # a weekly rate beside another amount in its sentence is that one's, not the bundle's: no 4 × $120
    guide += "\nThe starter bundle is $120, plus coaching at $25 a week for 4 weeks.\n"
    assert "$480" not in lead("How much will the starter bundle cost me in total?")
    history = ({"role": "user", "content": "How much is the load board?"},
               {"role": "assistant", "content": "Practice access to a load board is $15 a week for 6 weeks [1]."})
    assert "$90 in all" in lead("how much is that in total?", history)


def test_a_table_row_of_the_cost_list_counts_its_cost_cell_and_not_sums_in_its_notes():
    """A row "| Portfolio site | $96 | $16 a month for six months |" costs $96 once; "| LinkedIn
    Premium | $80 | two months at $40 |" costs $80, not $80 and $40 more."""
    guide = ("# Baker to UX Writer\n\n## What it costs\n\n| Item | Cost | Notes |\n| --- | --- | --- |\n"
             "| Writing course | $450 | Self-paced |\n| Portfolio site | $96 | About $16 a month for six months |\n"
             "| LinkedIn Premium | $80 | Optional, two months at about $40 |\n| Figma | $0 | Free plan |\n")
    question = "If I pay for everything on the cost list, what's my total spend?"
    assert list_planner(question, guide).plan(question, []).lead == (
        "Everything on the guide's list of costs comes to $626 ($450 + $96 + $80 + $0)")
