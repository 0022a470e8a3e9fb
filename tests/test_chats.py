"""Chats kept in the browser: what is saved, in what order, and what a damaged value does."""

import os
import stat

from bot.front import chats

Q1 = [{"role": "user", "content": "Will I take a pay cut?"}, {"role": "assistant", "content": "Not necessarily [1]."}]
Q2 = [{"role": "user", "content": "What is the Cloud &amp; Production phase?"},
      {"role": "assistant", "content": "Six weeks [1]."}]


def test_the_chat_last_touched_comes_first_and_is_current():
    saved = chats.store(chats.empty(), "a", Q1, [[{"n": 1}]])
    saved = chats.store(saved, "b", Q2, [[{"n": 1}]])
    assert [c["id"] for c in saved["chats"]] == ["b", "a"] and saved["current"] == "b"
    saved = chats.store(saved, "a", Q1 * 2, [[], []])
    assert [c["id"] for c in saved["chats"]] == ["a", "b"] and chats.current(saved)["messages"] == Q1 * 2


def test_a_chat_is_named_by_its_first_question_as_the_user_typed_it():
    saved = chats.store(chats.empty(), "b", Q2, [[]])
    assert chats.choices(saved) == [("What is the Cloud & Production phase?", "b")]
    long = chats.title_of([{"role": "user", "content": "why " * 40}])
    assert len(long) == chats.TITLE_CHARS and long.endswith("…")


def test_an_emptied_chat_is_dropped_and_citations_match_the_answers_kept():
    saved = chats.store(chats.empty(), "a", Q1, [[{"n": 1}], [{"n": 2}]])  # undo left a spare
    assert saved["chats"][0]["cites"] == [[{"n": 1}]]
    assert chats.store(saved, "a", [], [])["chats"] == []


def test_only_the_most_recent_chats_are_kept():
    saved = chats.empty()
    for i in range(chats.MAX_CHATS + 5):
        saved = chats.store(saved, str(i), Q1, [[]])
    assert len(saved["chats"]) == chats.MAX_CHATS and saved["chats"][0]["id"] == str(chats.MAX_CHATS + 4)


def test_a_damaged_saved_value_is_ignored_not_fatal():
    for bad in (None, "text", {"chats": "x"}, {"chats": [1, {"id": 2}, {"id": "a", "messages": "m"}]}):
        assert chats.chats_of(bad) == [] and chats.current(bad) is None and chats.choices(bad) == []
        assert chats.store(bad, "a", Q1, [[]])["chats"][0]["id"] == "a"


def test_the_browser_key_survives_a_restart_and_only_its_owner_reads_it(tmp_path):
    key = chats.secret_for(tmp_path / "index")
    assert len(key) >= 24 and chats.secret_for(tmp_path / "index") == key
    mode = os.stat(tmp_path / "index" / "browser-state.key").st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_what_is_saved_stays_small_enough_to_travel_with_each_request():
    cite = [{"n": 1, "section": "FAQ", "source": "g.txt", "quote": "Not necessarily.", "text": "x" * 3000}]
    saved = chats.empty()
    for i in range(40):  # forty chats of four answers, each citing a 3 kB passage
        saved = chats.store(saved, str(i), Q1 * 4, [cite] * 4)
    assert chats.size(saved) < chats.MAX_SAVED_CHARS + 1000 and saved["chats"][0]["id"] == "39"
    assert 1 < len(saved["chats"]) < 40
    long = chats.store(chats.empty(), "long", Q1 * 60, [cite] * 60)["chats"][0]
    assert len(long["messages"]) == 120 and chats.size(long) < 2 * chats.MAX_SAVED_CHARS
    assert long["cites"][-1][0]["text"] == "x" * 3000 and long["cites"][0][0]["text"] == "Not necessarily."


def test_an_unwritable_key_folder_still_gives_a_key_and_says_what_it_costs(tmp_path, caplog):
    (tmp_path / "index").write_text("a file where the folder should be")
    key = chats.secret_for(tmp_path / "index")
    assert len(key) >= 24 and "will not survive a restart" in caplog.text
