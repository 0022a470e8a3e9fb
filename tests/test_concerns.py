"""The concern reader with the real embedding model, on questions written for these tests (not in
its exemplars): it reads the common worries about a move in words of their own, and reads
questions voicing none of them as none."""

import pytest

from bot.concerns import NONE, concern_reader

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def reader(embedder, tmp_path_factory):
    return concern_reader(embedder, cache=tmp_path_factory.mktemp("concerns"))


def test_worries_voiced_in_words_of_their_own_are_read(reader):
    voiced = {
        "Do I have to give up the day job to get through this?": "keep_job",
        "Could I still do this if I'm working double shifts at the plant?": "keep_job",
        "Suppose it goes badly, can I slot back into my old firm?": "go_back",
        "Is the money going to be worse than at the dealership?": "pay_change",
        "Without a university degree, will anybody look at me?": "credential",
        "I'm 52 - is it silly to start something new?": "age",
    }
    assert reader.read(list(voiced)) == list(voiced.values())


def test_questions_voicing_no_worry_are_read_as_none(reader):
    plain = ["Which spreadsheet functions come up most?", "How long is the portfolio phase?",
             "What is on the reading list?", "Do I need my own camera for the course?", "hello there"]
    assert reader.read(plain) == [NONE] * len(plain)
