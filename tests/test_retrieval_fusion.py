"""Hybrid retrieval on a hand-made guide: vector and keyword rankings fused, headings named by
the question lifted, k honoured (no model, no store: see handmade.py)."""

from handmade import baker_documents, baker_retriever

from bot.schema import ChunkMeta, Scores
from bot.text import stem


def headings(docs):
    return [ChunkMeta.of(d).heading for d in docs]


def test_the_passage_that_both_rankings_put_first_comes_first():
    found = baker_retriever().search("write select queries against the orders table", 3)
    assert headings(found)[0] == "SQL Fundamentals"
    assert Scores.of(found[0]).bm25 > 0 and Scores.of(found[0]).similarity > 0.3


def test_a_heading_the_question_names_is_lifted_to_the_top():
    found = baker_retriever().search("tell me about scheduling", 3)
    assert headings(found)[0] == "Scheduling" and Scores.of(found[0]).heading_match == 1.0


def test_every_result_carries_its_scores_and_the_ranking_is_by_fused_score():
    found = baker_retriever().search("portfolio of bakery sales analyses", 4)
    fused = [Scores.of(d).score for d in found]
    assert fused == sorted(fused, reverse=True) and len(found) == 4


def test_invoke_returns_k_documents_as_the_langchain_contract_says():
    retriever = baker_retriever()
    assert len(retriever.invoke("pivot tables", k=1)) == 1
    assert len(retriever.invoke("pivot tables")) == retriever.k


def test_coverage_counts_the_share_of_question_words_a_passage_holds():
    retriever = baker_retriever()
    sql = next(d for d in baker_documents() if ChunkMeta.of(d).heading == "SQL Fundamentals")
    assert retriever.word_coverage("select queries", sql) == 1.0
    assert retriever.word_coverage("select croissants", sql) < 0.6
    assert retriever.word_coverage("how long does it take", sql) is None


def test_a_word_one_slip_from_the_guides_stands_for_it_when_nothing_is_near_in_meaning():
    retriever = baker_retriever(words=True)
    scheduling = next(d for d in baker_documents() if ChunkMeta.of(d).heading == "Scheduling")
    assert retriever.expansions("proffing")[stem("proffing")] == {stem("proffing"): 1.0, stem("proofing"): 0.9}
    assert retriever.word_coverage("when are the proffing times?", scheduling) > 0.9
    assert ChunkMeta.of(retriever.search("when are the proffing times?", 1)[0]).heading == "Scheduling"
    assert len(retriever.expansions("croissants")[stem("croissants")]) == 1  # no word one slip away


def test_the_roles_the_title_moves_between_do_not_steer_retrieval():
    """Every passage of "From Baker to Data Analyst" is about bakers and analysts: in a
    question those words say nothing about where to look, so they are left out of it."""
    from bot.retrieval import role_terms

    retriever = baker_retriever()
    assert retriever.roles == {"baker", "data", "analyst", "da"}
    assert headings(retriever.search("As a baker, what should a data analyst keep every morning?", 1)) == [
        "Scheduling"]
    assert headings(retriever.search("baker to data analyst: which habits carry over?", 1)) == [
        "Skills That Transfer"]
    assert retriever.without_roles("data analyst") == "data analyst"  # nothing left: kept whole
    assert role_terms({"Teacher to Instructional Designer in 16 Weeks"}) >= {"teacher", "id"}
    assert role_terms({"# From Web Developer to DevOps Engineer: a 6-Month Plan"}) >= {"web", "devop", "wd"}
    assert role_terms({"Careers in Data: a Handbook"}) == set()  # no "X to Y": no roles
    # "what does the plan cost?" asks for a sum, even of a guide for cost estimators
    assert role_terms({"From Carpenter to Cost Estimator"}) == {"carpent", "estimat", "ce"}


def test_a_word_judging_the_move_reaches_sections_judging_it_in_other_words():
    from handmade import BAKER_GUIDE

    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    guide = BAKER_GUIDE + "Reality Check\nBiggest Challenges\n- Sitting still at a desk all day\n" \
                          "What You'll Love\n- Weekends off, every week\n"
    retriever = baker_retriever(chunk_guide(parse_guide("baker.txt", guide)))
    assert headings(retriever.search("What is the hardest part?", 1)) == ["Biggest Challenges"]
    assert headings(retriever.search("Any downsides?", 1)) == ["Biggest Challenges"]
    assert headings(retriever.search("What will I enjoy?", 1)) == ["What You'll Love"]
    assert headings(retriever.search("What am I going to hate about it?", 1)) == ["Biggest Challenges"]
    assert headings(retriever.search("What will I be glad about?", 1)) == ["What You'll Love"]


def test_words_for_what_carries_over_reach_a_section_saying_it_in_other_words():
    from handmade import BAKER_GUIDE

    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    guide = BAKER_GUIDE.replace("Skills That Transfer", "What Transfers").replace("Here's what carries over from",
                                                                                  "Habits formed in") + \
        "What to Learn\nNew skills for an analyst\n- Statistics\n"
    retriever = baker_retriever(chunk_guide(parse_guide("baker.txt", guide)))
    assert headings(retriever.search("Which of my skills will be useful?", 1)) == ["What Transfers"]
    assert headings(retriever.search("What skills do I need to learn?", 1)) == ["What to Learn"]
    assert headings(retriever.search("What stuff will I have to pick up?", 1)) == ["What to Learn"]


def test_a_heading_named_by_its_initials_is_found_and_covers_the_question():
    retriever = baker_retriever()
    found = retriever.search("what does the FAQ say?", 3)
    assert ChunkMeta.of(found[0]).section == "Frequently Asked Questions"
    assert Scores.of(found[0]).heading_match == 1.0
    assert retriever.word_coverage("what does the FAQ say?", found[0]) == 1.0
    assert "faq" in retriever.known_idf()  # so no answer says "the guide doesn't mention FAQ"
    # initials of a two-word heading name nothing: "sb" is not "Spreadsheet Basics"
    assert Scores.of(retriever.search("what is sb?", 1)[0]).heading_match < 1.0


def test_a_question_judging_the_move_one_way_turns_from_sections_judging_it_the_other_way():
    """"What will I like about the new job?" shares words with the Cons ("job", "like"), but
    asks for the good side; a heading reached only through a stand-in is not named by it."""
    from handmade import BAKER_GUIDE

    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    guide = BAKER_GUIDE + "Reality Check\nCons\n- The new job has less time with customers you like\n" \
                          "Pros\n- Regular hours and weekends off\n"
    retriever = baker_retriever(chunk_guide(parse_guide("baker.txt", guide)))
    found = retriever.search("What will I like about the new job?", 2)
    assert headings(found) == ["Pros", "Cons"]
    assert Scores.of(found[0]).heading_match == 0.0
    assert headings(retriever.search("Is the switch worth it?", 1)) == ["Pros"]
    assert headings(retriever.search("What will I miss about the new job?", 1)) == ["Cons"]


class ReadsHeadings:
    """A stand-in for the heading judge: reads the headings the test names as it says, all
    others as judging nothing, and records what it was asked."""

    def __init__(self, sides: dict[str, int]) -> None:
        self.sides = sides
        self.asked: list[list[str]] = []

    def judge(self, headings: list[str]):
        import numpy as np

        self.asked.append(headings)
        return np.array([self.sides.get(h, 0) for h in headings], dtype=np.int8)


def test_a_heading_judging_the_move_in_words_of_its_own_is_found_by_a_question_judging_it():
    """"The Unvarnished Truth" shares no word with "what's the hardest part?"; as the judge
    reads it as the bad side, the question reaches it, and "what will I enjoy?" turns from it."""
    from handmade import BAKER_GUIDE

    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide

    guide = BAKER_GUIDE + "The Unvarnished Truth\n- A desk all day replaces the bakery floor\n" \
                          "Why Bakers Stay\n- The move keeps your mornings quiet and your evenings free\n"
    docs = chunk_guide(parse_guide("baker.txt", guide))
    judge = ReadsHeadings({"The Unvarnished Truth": -1, "Why Bakers Stay": 1})
    unread = baker_retriever(docs)
    retriever = baker_retriever(docs)
    retriever.judge = judge
    assert headings(retriever.search("What's hard about the move?", 1)) == ["The Unvarnished Truth"]
    assert headings(unread.search("What's hard about the move?", 1)) == ["Why Bakers Stay"]  # it says "move"
    assert headings(retriever.search("What will I enjoy about the move?", 1)) == ["Why Bakers Stay"]
    # read once, and only the outline's headings whose words do not judge: no phases, no FAQ entries
    assert len(judge.asked) == 1 and "The Unvarnished Truth" in judge.asked[0]
    assert not {"Spreadsheet Basics", "Do I need a degree?"} & set(judge.asked[0])


def test_the_judge_is_not_asked_until_a_question_judges_the_move():
    judge = ReadsHeadings({})
    retriever = baker_retriever()
    retriever.judge = judge
    retriever.search("write select queries against the orders table", 3)
    assert judge.asked == []


def test_a_heading_is_named_without_its_part_number():
    """"Give me the reality check" names "Part 5 — Reality check" whole; the part number is
    the outline's, not the heading's name, and had left a part of it ("The hard parts",
    named by "hard") ahead of it."""
    from handmade import BAKER_GUIDE

    from bot.ingest.chunking import chunk_guide
    from bot.ingest.loader import parse_guide
    from bot.text import content_terms

    guide = BAKER_GUIDE + "Part 5 — Reality check\nRead both lists.\nThe upside\n- Weekends off\n" \
                          "The hard parts\n- Slow feedback\n"
    retriever = baker_retriever(chunk_guide(parse_guide("baker.txt", guide)))
    share = dict(zip(headings(retriever.documents), retriever.heading_match(content_terms("reality check good hard")),
                     strict=True))
    assert share["Part 5 — Reality check"] == 1.0 > share["The hard parts"]


def test_a_role_asked_for_by_its_name_is_covered_by_a_passage_naming_it_by_its_initials():
    """"what do junior data analysts get?" is asked of a passage saying "Junior DA roles": the
    role is named either way, and the words asked are all there."""
    guide = "# From Baker to Data Analyst\n\n## Pay\n\nJunior DA roles pay $50,000 a year.\n"
    pay = baker_documents(guide)[0]
    retriever = baker_retriever([pay])
    assert retriever.word_coverage("what do junior data analysts get?", pay) == 1.0
    assert retriever.word_coverage("what do junior bakers get?", pay) < 0.6  # the other role is not named
