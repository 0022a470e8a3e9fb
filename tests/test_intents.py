"""The intent classifier with the real embedding model: questions written for these tests
(not in the exemplars), near misses that must stay passage questions, and small talk."""

import pytest

from bot.answer.intents import Intent, IntentClassifier, load_exemplars

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def classifier(embedder, tmp_path_factory):
    return IntentClassifier(embedder, load_exemplars(), cache=tmp_path_factory.mktemp("intents"))


@pytest.mark.parametrize("question, intent", [
    ("does the roadmap really fit in four months?", Intent.TOTAL),
    ("how long until I could be hired?", Intent.TOTAL),
    ("how long is the cloud phase?", Intent.DURATION),
    ("how much time does the roadmap leave for Kubernetes and Helm?", Intent.DURATION),  # the plan's, for a part
    ("how much time does the whole plan need?", Intent.TOTAL),
    ("when does the job search part begin?", Intent.START_END),
    ("once the cloud phase is done, how much of the plan is left?", Intent.START_END),
    ("I'm in week 9, what should I be doing?", Intent.WEEK_TO_PHASE),
    ("the first two phases, how long are they together?", Intent.PHASE_ARITHMETIC),
    ("and after that?", Intent.NEXT_PREV),
    ("what does that come to in total?", Intent.COST_SUM),  # a total of what the last answer priced
    ("so what would that add up to?", Intent.COST_SUM),
    ("how many phases does the plan have?", Intent.COUNT),
    ("what's on the checklist for my first month?", Intent.OVERVIEW),  # a list, whole
    ("whats on the prep checklist", Intent.OVERVIEW),
    ("putting in the weekly hours, how many hours of study is the whole roadmap?", Intent.TOTAL_HOURS),
    ("why?", Intent.WHY),
    ("hi", Intent.GREETING),
    ("thanks!", Intent.GREETING),
    ("what can I ask you?", Intent.GREETING),
    ("what kinds of stuff are you able to help with?", Intent.GREETING),
    ("sum the guide up in three bullets", Intent.SUMMARY),
    ("what's the capital of Australia?", Intent.OUT_OF_SCOPE),
])
def test_questions_are_read_as_what_they_ask(classifier, question, intent):
    assert classifier.read(question).intent == intent


@pytest.mark.parametrize("question", [
    "how many hours a week should I study?",
    "will I take a pay cut?",
    "which certification should I get for Google Cloud?",
    "is a month of practice enough to learn SQL?",
    "is spring or autumn a better time to make the move?",  # a time of year, not a length of time
    "how long should my cover letter be?",
    "can you list a few of them?",  # asks for examples of what was just said, not what the bot can do
    "any examples of those?",
    "is someone like me ready for the move?",  # ready by background, not by a date
    "what else?",  # more of what was just said, not the next section
    "what does it come down to, in short?",  # a gist, not a sum
    "what comes to mind when hiring managers see my CV?",
    "how many hours per week is the roadmap?",  # its hours a week, not its hours in all
])
def test_near_misses_stay_passage_questions(classifier, question):
    assert classifier.read(question).intent == Intent.PASSAGE


def test_a_second_start_reuses_the_cached_exemplar_embeddings(embedder, tmp_path):
    from handmade import CountingEmbeddings

    calls = []
    first = IntentClassifier(CountingEmbeddings(embedder, calls), load_exemplars(), cache=tmp_path)
    second = IntentClassifier(CountingEmbeddings(embedder, calls), load_exemplars(), cache=tmp_path)
    assert calls == [len(load_exemplars())]  # the second start embedded nothing
    assert first.threshold == second.threshold and 0 < first.threshold < 1


def test_a_word_of_one_exemplar_is_its_subject_not_how_questions_ask(embedder, tmp_path):
    """A word only one exemplar uses ("pension") stays a subject, so an answer from a guide that
    never says it can say so; words several exemplars use count as how questions ask."""
    asks = ["What does the guide say about {}?", "Does the guide say anything on {}?", "Is {} in the guide?"]
    exemplars = [(a.format(t), Intent.PASSAGE) for a in asks for t in ("salary", "degrees", "SQL")]
    exemplars += [("Do I lose my pension?", Intent.PASSAGE)]
    exemplars += [(t, Intent.GREETING) for t in ("hi", "hello there", "thanks!", "bye now", "hey", "good morning",
                                                "thank you so much", "see you", "cheers", "what can you do?")]
    classifier = IntentClassifier(embedder, exemplars, cache=tmp_path)
    assert {"salary", "degre", "sql"} <= classifier.everyday
    assert "pension" not in classifier.everyday


@pytest.mark.parametrize("question", ["how much is the cpc exam", "how long is the cloud phase", "and after that"])
def test_a_question_is_read_the_same_with_or_without_its_question_mark(classifier, question):
    """Chat questions often end without one; the embedding model alone would read the two apart."""
    assert classifier.read(question) == classifier.read(f"{question}?")
