"""Whether the move pays more or less, read from the figures a guide gives for each role
(hand-written passages, no model)."""

from bot.answer.pay import figures, pay_reply

TITLE = "From Shop Baker to Food Scientist in 6 Months"
PAY = ("Shop bakers typically earn $30,000 to $36,000 a year. Junior food scientists usually start at "
       "$48,000 to $55,000, and senior food scientists earn $80,000 or more.")


def test_a_pay_cut_question_is_answered_by_which_way_the_two_roles_figures_point():
    reply = pay_reply("Would I be taking a pay hit if I switch?", TITLE, PAY, [PAY])
    assert reply.startswith("Probably not") and "higher" in reply
    lower = PAY.replace("$48,000 to $55,000", "$24,000 to $28,000").replace("$80,000", "$29,000")
    assert pay_reply("am i gonna make less money?", TITLE, lower, [lower]).startswith("Probably, at first")


def test_figures_in_one_sentence_belong_to_the_role_each_clause_names():
    one = "Food scientists earn $50,000 to $60,000, against roughly $30,000 for a shop baker."
    assert pay_reply("will my pay go up?", TITLE, one, [one]).startswith("Probably not")


def test_no_reply_when_the_figures_overlap_the_guide_says_which_way_or_nothing_is_asked():
    overlap = PAY.replace("$48,000 to $55,000", "$28,000 to $34,000")  # juniors below, seniors above
    assert pay_reply("will I take a pay cut?", TITLE, overlap, [overlap]) == ""
    says = "Junior food scientists start lower than most bakers, so expect a pay cut at first."
    assert pay_reply("will I take a pay cut?", TITLE, PAY, [says]) == ""  # the guide's own words stand
    assert pay_reply("how much do food scientists earn?", TITLE, PAY, [PAY]) == ""
    assert pay_reply("will I take a pay cut?", "Careers in Food: a Handbook", PAY, [PAY]) == ""  # no roles


def test_sums_of_money_are_read_with_their_ranges_and_thousands():
    assert figures("CAD 38,000 to 46,000 a year") == [42_000]
    assert figures("between $48,000 and $62,000") == [55_000]
    assert figures("£40k, or 12,000 steps a day") == [40_000]


def test_a_question_about_one_roles_pay_is_answered_by_that_roles_sum_named_by_its_initials():
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.txt", section="Pay", heading="Pay", title=TITLE)
    doc = Document(id="p", page_content="Shop bakers earn $30,000 to $36,000 when they start out.\n"
                   "Food scientists with under two years of experience earn $48,000 to $55,000.",
                   metadata=meta.to_metadata())
    ranked = score_units("how much do FS ppl make starting out?", [doc], WordEmbeddings(), {})
    assert ranked[0].text.startswith("Food scientists")  # not the bakers' sum, though it shares "start out"


def test_a_question_asks_whether_pay_goes_up_or_down_in_many_words():
    from bot.answer.pay import ASKS_PAY_CHANGE

    for asked in ("Will I take a pay cut?", "is that gonna be less than what i make now?", "will my pay go up?",
                  "Would I be taking a pay hit?", "Will I earn more or less than I do now?"):
        assert ASKS_PAY_CHANGE.search(asked), asked
    for other in ("how much do analysts earn?", "what more can I make with sourdough?"):
        assert not ASKS_PAY_CHANGE.search(other), other


def test_the_difference_asked_between_two_sums_is_computed_from_the_sums_each_side_names():
    from langchain_core.documents import Document

    from bot.answer.pay import gap_reply
    from bot.schema import ChunkMeta

    def passage(heading: str, text: str) -> Document:
        meta = ChunkMeta(source="g.md", section=heading, heading=heading)
        return Document(page_content=text, metadata=meta.to_metadata())

    salaries = passage("Salaries", "HR generalists typically earn between $60,000 and $75,000, with a median of around "
                       "$68,000. Analysts start between $80,000 and $95,000, and a typical first offer for a career "
                       "changer is about $85,000.")
    said, used = gap_reply("How big a raise is it from the median salary to the typical first offer?", [salaries], {})
    assert said == "That is a difference of $17,000 ($68,000 against $85,000)" and used == [salaries]
    # a range counts by the end the question names; a tie on words goes to the sum of the other's size
    junior = passage("Junior sound designer", "$55,000–$70,000 a year.")
    session = passage("Session musician", "$25,000–$60,000 a year for most working freelancers; first-call players "
                      "can clear $100,000.")
    gigs = passage("Freelance contracts", "$300–$1,500 per project for freelancers.")
    asked = "How much more is the top of the junior range than the top of what most freelancers make?"
    said, used = gap_reply(asked, [junior, gigs, session], {})
    assert said == "That is a difference of $10,000 ($70,000 against $60,000)" and used == [junior, session]
    assert gap_reply("How much more do juniors make than freelancers?", [junior, session], {}) == ("", [])  # which end?
    assert gap_reply("What do juniors make?", [junior], {}) == ("", [])  # no difference asked
    # a sum in a letter currency after another in the same clause is a sum of its own
    tellers = passage("Pay", "Tellers earn CAD 38,000 a year and analysts start at CAD 58,000.")
    assert gap_reply("How much more do analysts start at than tellers earn?", [tellers], {})[0] == (
        "That is a difference of CAD 20,000 (CAD 58,000 against CAD 38,000)")


def test_a_monthly_wage_against_a_yearly_salary_is_compared_by_the_year_and_a_side_is_told_by_its_role():
    from langchain_core.documents import Document

    from bot.answer.pay import gap_reply
    from bot.schema import ChunkMeta

    meta = ChunkMeta(source="g.txt", section="Salaries", heading="Salaries",
                     title="From Customer Support Agent to Software QA Tester in 100 Days")
    pay = Document(page_content="As a customer support agent you are likely earning about $3,100 a month before tax. "
                   "Junior QA testers typically earn $55,000 to $68,000 a year.", metadata=meta.to_metadata())
    asked = "How much more per year would I make at the bottom of the junior QA range compared with my support pay?"
    assert gap_reply(asked, [pay], {"junior": 2.0, "pay": 1.0})[0] == (
        "That is a difference of $17,800 a year ($55,000 against $37,200 a year, 12 × $3,100 a month)")


def test_what_a_move_pays_is_read_first_from_a_sentence_saying_which_way_then_from_the_new_roles_sum():
    from handmade import WordEmbeddings
    from langchain_core.documents import Document

    from bot.answer.evidence import score_units
    from bot.answer.pay import PAY_QUESTION, pay_verdict
    from bot.schema import ChunkMeta

    def ranked(text):
        meta = ChunkMeta(source="g.txt", section="Money", heading="Money", title=TITLE)
        return score_units(PAY_QUESTION, [Document(id=text, page_content=text, metadata=meta.to_metadata())],
                           WordEmbeddings(), {})

    says = "Shop bakers earn $30,000 to $36,000 a year. For most bakers the first year is a pay cut."
    assert pay_verdict(ranked(says)).text == "For most bakers the first year is a pay cut."
    # no pay word, but a sum for the new role: the food scientists', not the bakers' (what is given up)
    sums = "A shop baker earning $15 an hour makes $31,000 a year. Food scientists start at $48,000 to $55,000."
    assert pay_verdict(ranked(sums)).text.startswith("Food scientists")
    ends = "Public-sector pay sits at the lower end of each range. Food scientists start at $48,000."
    assert pay_verdict(ranked(ends)).text.startswith("Food scientists")  # a range's end says no way
    assert pay_verdict(ranked("The exam costs $120. Budget ten hours a week.")) is None  # a price is no pay
    assert pay_verdict(ranked("You pay $120 for the exam.")) is None  # nor is paying, of no role or the move
