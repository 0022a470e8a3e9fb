"""Each command as a user runs it."""

import json
import subprocess
import sys

import pytest
from conftest import DATA, GUIDE, ROOT

from bot.front.cli import main

pytestmark = pytest.mark.slow


def flags(settings):
    return ["--corpus", str(settings.corpus_dir), "--index", str(settings.index_dir)]


@pytest.mark.parametrize("command", ["ingest", "ask", "chat", "answer", "eval"])
def test_every_command_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    assert f"python -m bot {command}" in capsys.readouterr().out


def test_ingest_prints_a_one_line_summary(tmp_path, capsys):
    assert main(["ingest", "--quiet", "--corpus", str(GUIDE), "--index", str(tmp_path / "i")]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("index updated: 1 file(s), 33 chunks (33 added, 0 updated, 0 removed) in ")


def test_ask_builds_a_missing_index_then_answers_with_numbered_sources(tmp_path, capsys):
    code = main(["ask", "How long is the Portfolio Development phase?",
                 "--corpus", str(GUIDE), "--index", str(tmp_path / "new")])
    captured = capsys.readouterr()
    assert code == 0
    assert "No index" in captured.err and "building it" in captured.err
    assert "Portfolio Development takes 4 weeks [1]" in captured.out
    assert "[1] Your Learning Roadmap > Portfolio Development (dl-engineer-to-ml-engineer.txt)" in captured.out


def test_ask_json_gives_answer_citations_and_passages(guide_settings, capsys):
    assert main(["ask", "What should I do this week?", "--json", *flags(guide_settings)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["citations"][0]["section"] == "Start Your Journey Now > This Week"
    assert result["retrieved"] and {"source", "section", "text", "score"} <= set(result["retrieved"][0])


def test_error_is_a_message_and_an_exit_code_not_a_traceback(tmp_path, capsys):
    code = main(["ask", "hello?", "--corpus", str(tmp_path / "missing"), "--index", str(tmp_path / "i")])
    err = capsys.readouterr().err
    assert code == 2
    assert "error: Corpus folder" in err and "does not exist" in err and "Traceback" not in err


def test_chat_keeps_the_conversation_for_follow_ups(guide_settings):
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "chat", *flags(guide_settings)],
        input="What happens in the Interview & Transition phase?\nHow long does it take?\n\n",
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    replies = proc.stdout.split("bot> ")[1:]
    assert len(replies) == 2
    assert "Apply to roles" in replies[0]
    assert "Interview & Transition takes 3 weeks" in replies[1]


def test_answer_jsonl_follows_the_batch_contract(guide_settings, tmp_path):
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        '{"id": "a", "question": "Will I take a pay cut?"}\n'
        '{"id": "b", "question": "How long does it take?", "history": '
        '[{"role": "user", "content": "Tell me about Foundation Building"}, {"role": "assistant", "content": "..."}]}\n'
        '{"id": "c", "question": ""}\n'
    )
    proc = subprocess.run(
        [sys.executable, "-m", "bot", "answer", "--jsonl", str(questions), *flags(guide_settings)],
        capture_output=True, text=True, timeout=120, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(line) for line in proc.stdout.splitlines()]
    assert [r["id"] for r in records] == ["a", "b", "c"]
    for r in records:
        assert set(r) == {"id", "answer", "citations", "retrieved", "latency_ms"}
    assert "Not necessarily" in records[0]["answer"]
    assert "4 weeks" in records[1]["answer"]
    assert records[0]["citations"][0]["section"] == "Frequently Asked Questions"
    assert "type a question" in records[2]["answer"]


def test_answer_rejects_a_broken_questions_file_by_line(guide_settings, tmp_path, capsys):
    questions = tmp_path / "q.jsonl"
    questions.write_text('{"id": "a", "question": "ok?"}\n{not json\n')
    assert main(["answer", "--jsonl", str(questions), *flags(guide_settings)]) == 2
    assert "line 2: not valid JSON" in capsys.readouterr().err


def test_eval_prints_the_metrics(guide_settings, capsys):
    assert main(["eval", str(DATA / "dev.jsonl"), "--json", *flags(guide_settings)]) == 0
    metrics = json.loads(capsys.readouterr().out)
    assert {"hit@1", "hit@3", "mrr", "answer_accuracy", "refusal_accuracy", "grounded_correct",
            "median_answer_chars", "p50_ms", "p95_ms"} <= set(metrics)
    assert metrics["n"] == 16


@pytest.mark.parametrize("env, flag, named", [
    ({"BOT_K": "abc"}, [], "BOT_K (or --k): input should be a valid integer"),
    ({"BOT_K": "0"}, [], "BOT_K (or --k): input should be greater than or equal to 1 (at least 1, at most 20)"),
    ({}, ["--k", "100000"], "at most 20); got 100000"),
    ({"BOT_CHUNK_CHARS": "0"}, [], "BOT_CHUNK_CHARS: input should be greater than or equal to 200"),
    ({"BOT_MIN_SIMILARITY": "2"}, [], "BOT_MIN_SIMILARITY: input should be less than or equal to 1"),
    ({"BOT_MIN_SIMILARITY": "nan"}, [], "BOT_MIN_SIMILARITY: input should be a finite number"),
    ({"BOT_CONCURRENCY": "0"}, [], "BOT_CONCURRENCY: input should be greater than or equal to 1"),
])
def test_a_bad_setting_is_one_line_naming_it_its_range_and_the_value(env, flag, named):
    import os

    out = subprocess.run([sys.executable, "-m", "bot", "outline", "--corpus", str(GUIDE), *flag], cwd=ROOT,
                         env={**os.environ, **env}, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert out.stderr.strip().splitlines() == [f"error: {out.stderr.strip()[7:]}"] and named in out.stderr


def test_the_app_on_a_port_in_use_or_out_of_range_says_so_and_exits_2(tmp_path):
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run([sys.executable, "app.py", "--port", str(port), "--corpus", str(GUIDE), "--index",
                              str(tmp_path / "i")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 2 and f"cannot listen on 127.0.0.1:{port}" in out.stderr
    assert "Traceback" not in out.stderr
    bad = subprocess.run([sys.executable, "app.py", "--port", "99999"], cwd=ROOT, capture_output=True, text=True,
                         timeout=60)
    assert bad.returncode == 2 and "BOT_PORT (or --port): input should be less than or equal to 65535" in bad.stderr


def test_batch_answers_name_a_missing_file_or_a_line_that_is_not_utf8(tmp_path, capsys):
    assert main(["answer", "--jsonl", str(tmp_path / "nope.jsonl")]) == 2
    assert f"Cannot read the questions file {tmp_path / 'nope.jsonl'}" in capsys.readouterr().err
    bad = tmp_path / "q.jsonl"
    bad.write_bytes(b'{"question": "hi"}\n{"question": "\xff"}\n')
    assert main(["eval", str(bad)]) == 2
    assert f"{bad}, line 2: not UTF-8" in capsys.readouterr().err
