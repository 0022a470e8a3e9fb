"""The heading judge with the real embedding model, on headings written for these tests (not in
its exemplars): it reads which way a heading judges the move, and stays silent on the rest."""

import pytest

from bot.judging import HeadingJudge, load_exemplars

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def judge(embedder, tmp_path_factory):
    return HeadingJudge(embedder, load_exemplars(), cache=tmp_path_factory.mktemp("headings"))


def test_headings_judging_the_move_in_their_own_words_are_read_by_side(judge):
    bad = ["The not-so-fun bits", "Where the job grinds you down", "What you leave behind"]
    good = ["Why you'll be glad you switched", "The best things about the new job"]
    assert judge.judge(bad).tolist() == [-1] * len(bad)
    assert judge.judge(good).tolist() == [1] * len(good)


def test_headings_that_judge_nothing_are_read_as_neutral(judge):
    plain = ["Weeks 5-8: Pipelines and Scheduling", "Reading list for the commute", "Glossary of kitchen terms",
             "How much will it cost?", "Day one checklist", "Salary bands in 2027", "What carries over from the bakery"]
    assert judge.judge(plain).tolist() == [0] * len(plain)


def test_a_second_start_reuses_the_cached_exemplar_embeddings(embedder, tmp_path):
    from handmade import CountingEmbeddings

    calls = []
    first = HeadingJudge(CountingEmbeddings(embedder, calls), load_exemplars(), tmp_path)
    second = HeadingJudge(CountingEmbeddings(embedder, calls), load_exemplars(), tmp_path)
    assert calls == []  # nothing is fitted before the first heading is judged
    assert first.judge(["Downsides"]).tolist() == second.judge(["Downsides"]).tolist() == [-1]
    assert calls == [len(load_exemplars()), 1, 1]  # the second embedded only its heading
