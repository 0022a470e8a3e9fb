"""The Gradio app through a real client on 127.0.0.1."""

import pytest

from bot.ui import build_app, example_questions

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def app_url(bot):
    demo = build_app(bot, max_chars=1000)
    demo.queue()
    _, url, _ = demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True,
                            quiet=True, enable_monitoring=False, share=False)
    yield url
    demo.close()


def test_chat_endpoint_returns_the_cited_answer_and_its_sources(app_url):
    from gradio_client import Client

    client = Client(app_url, verbose=False)
    answer, sources = client.predict("Will I take a pay cut?", api_name="/chat")
    assert "Not necessarily" in answer and "[1]" in answer
    assert "[1] Frequently Asked Questions" in sources


def test_over_long_question_is_refused_by_the_server(app_url):
    from gradio_client import Client

    answer, _ = Client(app_url, verbose=False).predict("why " * 400, api_name="/chat")
    assert "the limit is 1000" in answer


def test_examples_come_from_the_guide_itself(bot):
    examples = example_questions(bot)
    assert "How long does the whole roadmap take?" in examples
    assert any("Your Transferable Skills" in e for e in examples)
