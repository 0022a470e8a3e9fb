"""The shared text rules and contracts, on hand-written strings (no model, no store)."""

import pytest
from langchain_core.documents import Document

from bot.chain import check_question
from bot.errors import QuestionError
from bot.schema import ChunkMeta
from bot.text import clean_text, content_terms, message_text, sentences, topical_terms, units, with_article


def test_word_forms_share_a_stem():
    assert content_terms("optimization") == content_terms("optimize")
    assert content_terms("deployments") == content_terms("deploy")
    assert content_terms("ethical") == content_terms("ethics") == content_terms("ethically")
    assert content_terms("the guide says what you need") == []  # stop words only


@pytest.mark.parametrize("british, american", [
    ("enrol", "enroll"), ("enrolment", "enrollment"), ("modelling", "modeling"), ("optimise", "optimize"),
    ("organisations", "organizations"), ("analysed", "analyzed"), ("behaviour", "behavior"),
])
def test_british_and_american_spellings_share_a_stem(british, american):
    assert content_terms(british) == content_terms(american)
    assert content_terms("hour") != content_terms("hor") and content_terms("raise") == ["raise"]


def test_units_are_bullets_and_sentences_without_markers_or_duration_prefixes():
    text = "Start small. Then grow.\n- Write SQL daily\n4 weeks- Learn Docker"
    assert units(text) == ["Start small.", "Then grow.", "Write SQL daily", "Learn Docker"]
    assert units("(weeks 1–5) — Learn QGIS.") == ["Learn QGIS."]


@pytest.mark.parametrize("phrase, said", [
    ("18-Week", "an 18-Week"), ("8-week", "an 8-week"), ("11-week", "an 11-week"), ("eight-week", "an eight-week"),
    ("16-week", "a 16-week"), ("180-day", "a 180-day"), ("one-year", "a one-year"), ("4-Month", "a 4-Month")])
def test_a_length_is_said_with_the_article_its_sound_takes(phrase, said):
    assert with_article(phrase) == said


def test_a_stop_before_a_lower_case_word_does_not_end_a_sentence():
    assert sentences("Use tools, e.g. docker and git. Then deploy.") == [
        "Use tools, e.g. docker and git.", "Then deploy."]


def test_an_initial_does_not_end_a_sentence():
    """"Josh W. Comeau ($249)": the price belongs to the whole title and author, one sentence."""
    assert sentences("CSS for JavaScript Developers by Josh W. Comeau ($249). The U.S. Bureau agrees. Then build.") == [
        "CSS for JavaScript Developers by Josh W. Comeau ($249).", "The U.S. Bureau agrees.", "Then build."]


def test_words_like_how_long_carry_no_topic():
    assert topical_terms("How long does it take?") == set()
    assert topical_terms("How long is the SQL phase?") == {"sql", "phase"}


def test_typed_text_is_cleaned_of_control_zero_width_and_bidi_characters():
    assert clean_text("pay\u200b cut\u202e?\x07\n  now") == "pay cut ? now"


def test_gradio_content_blocks_read_as_text():
    assert message_text([{"type": "text", "text": "How long"}, {"type": "text", "text": "is it?"}]) == "How long is it?"
    assert message_text(None) == ""


def test_a_question_over_the_limit_or_empty_is_refused_with_what_to_do():
    with pytest.raises(QuestionError, match="12 characters long; the limit is 10"):
        check_question("x" * 12, 10)
    with pytest.raises(QuestionError, match="Please type a question"):
        check_question(" \u200b ", 10)
    assert check_question(" why? ", 10) == "why?"


def test_chunk_metadata_round_trips_through_chroma_scalars():
    meta = ChunkMeta(source="g.txt", section="Roadmap > SQL", position=3, heading="SQL", parent="Roadmap",
                     children=("A", "B"), shape="bullets", duration="6 weeks", weeks=6.0)
    stored = meta.to_metadata()
    assert all(isinstance(v, str | int | float) for v in stored.values())
    assert ChunkMeta.of(Document(page_content="x", metadata=stored)) == meta
    assert meta.label == "SQL (6 weeks)" and meta.is_list


@pytest.mark.parametrize("text", ["Cloud & Production Skills", "<img src=x onerror=alert(1)>", "a < b > c",
                                  "&lt;b&gt; stays literal", "</script><!-- x", "R&D; &#60;b&#62;"])
def test_shown_text_keeps_plain_ampersands_and_never_carries_a_tag(text):
    import html
    import re

    from bot.front.sources import escape_markdown_html

    shown = escape_markdown_html(text)
    assert html.unescape(shown) == text
    assert not re.search(r"<[A-Za-z/!?]", shown) and not re.search(r"&(?!amp;|lt;)#?\w+;", shown)
    assert ("&amp;" in shown) == bool(re.search(r"&#?\w+;", text))  # a plain "&" is left as it is


@pytest.mark.parametrize(("question", "heading", "asks"), [
    ("What should I get done this week?", "This week", True),
    ("What do I do over the next 7 days?", "11. This Week", True),  # said another way, numbered
    ("Walk me through part VI please", "Part VI: The Hard Parts", False),  # the numbering is no name
    ("What's in the hard parts?", "Part VI: The Hard Parts", True),
    ("What if I have a bad week?", "This week", False),  # "a bad week" is not "this week"
    ("Which tool crawls the site for the content audit?", "Content audit", False),  # names a tool too
    ("What's the roadmap?", "Roadmap", False),  # one word: the words' own match decides
    ("What's in the 90-day plan?", "90-day plan", True),  # a number in the name is no numbering
    ("What's on for this week to kick things off?", "This week", True),  # how it gets going names nothing
    ("Right, I'm sold on it. To begin with, what do I do this week?", "This week", True),  # its own sentence
    ("What should I do this week for the SQL exam?", "This week", False),
])
def test_a_question_asks_for_a_section_by_saying_its_heading_and_nothing_else(question, heading, asks):
    from bot.answer.questions import asks_for, normalise_time
    from bot.ingest.outline import heading_name

    assert asks_for(normalise_time(question), heading_name(heading)) is asks


@pytest.mark.parametrize("question, side", [
    ("What will I like about the new job?", 1),
    ("things to like about it?", 1),
    ("any downsides?", -1),
    ("I'd like to know the downsides", -1),  # a request, not a liking
    ("do freelance gigs pay ok? like whats the hourly rate", 0),  # a filler
    ("would I still carry a sales quota, like I do now?", 0),
    ("pros and cons?", 0),
])
def test_a_question_judges_the_move_by_its_words_and_like_only_as_a_verb(question, side):
    from bot.text import judging_terms, tone

    assert tone(judging_terms(question)) == side


@pytest.mark.parametrize("title, roles", [
    ("From Bank Teller to Cybersecurity Analyst in 7 Months", ("Bank Teller", "Cybersecurity Analyst")),
    ("From HR Generalist to People Analytics Analyst in Six Months", ("HR Generalist", "People Analytics Analyst")),
    ("Can a Social Worker Become a UX Writer in 6 Months?", ("Social Worker", "UX Writer")),
    ("Careers in Data: From Teacher to Analyst", ("Teacher", "Analyst")),  # the part that names them
    ("From Deep Learning Engineer to Machine Learning Engineer: Your 4-Month Transition to Production AI",
     ("Deep Learning Engineer", "Machine Learning Engineer")),
    ("From the Right Seat to the Ground Station: Airline First Officer to Drone Operations Manager in 5 Months",
     ("Airline First Officer", "Drone Operations Manager")),  # not the figure of speech
    ("Careers in Data: a Handbook", ()),
])
def test_a_titles_two_roles_are_read_from_the_first_part_that_names_them(title, roles):
    from bot.text import title_roles

    assert title_roles(title) == roles


@pytest.mark.parametrize("question, spelled", [
    ("wat do lab techs make an hour again", "how much do lab techs make an hour again"),
    ("what am i making now as a translator", "how much am i making now as a translator"),
    ("What mistakes do people make when they switch?", "What mistakes do people make when they switch?"),
    ("what do I make of it?", "what do I make of it?"),
    ("What do I make in phase 2?", "What do I make in phase 2?"),  # a project, not pay
    ("whats a dispatcher make startin out??", "how much does a dispatcher make startin out??"),
    ("what's a good project to make?", "what's a good project to make?"),
])
def test_what_someone_makes_is_read_as_how_much_they_earn(question, spelled):
    from bot.answer.questions import spell_out

    assert spell_out(question) == spelled


@pytest.mark.parametrize("question, own", [
    ("and a few years in?", False),  # a time with no number: still the last answer's topic
    ("and after a year?", False),
    ("what about week 5?", True),  # a week of the plan
    ("and what about the senior ones?", True),
])
def test_a_time_without_a_number_is_no_topic_of_its_own(question, own):
    from bot.answer.questions import has_own_topic, untimed

    assert has_own_topic(question, besides=untimed(question)) is own


def test_a_question_on_what_carries_over_reaches_skills_you_already_have_but_already_reaches_nothing():
    from bot.text import HEADING_FACETS, content_terms, facets, with_evaluative

    carried = with_evaluative(dict.fromkeys(content_terms("which strengths carry over?"), 1.0))
    assert content_terms("already")[0] in carried  # "Skills You Already Have"
    assert with_evaluative(dict.fromkeys(content_terms("I already have a degree"), 1.0)).keys() == set(
        content_terms("I already have a degree"))
    assert facets(content_terms("Skills You Already Have"), HEADING_FACETS) == facets(content_terms("What Transfers"))
    assert not facets(content_terms("how many job applications a week?"))  # "applications" is not "applicable"
