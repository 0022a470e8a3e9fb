"""The app in headless chromium at a desk's size (1280x900) and a phone's (390x844), asserting
what a user sees: where things are on the screen, what the clipboard holds, what the server
logs. Screenshots go to $BOT_SCREENSHOTS when it is set (docs/screens for the README)."""

import os
from pathlib import Path

import pytest

from bot.front.feedback import FeedbackLog
from bot.front.guard import launch_options
from bot.front.look import look_options
from bot.front.ui import build_app

pytestmark = pytest.mark.slow
SIZES = {"desk": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
BOT_MESSAGES = "#chatbot .message-row.bot-row"


@pytest.fixture(scope="module")
def url(bot, server_log, tmp_path_factory):
    demo = build_app(bot, max_chars=1000, feedback=FeedbackLog(tmp_path_factory.mktemp("ui") / "votes.jsonl"))
    _, url, _ = demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True,
                            **launch_options(), **look_options())
    yield url
    demo.close()


@pytest.fixture(params=list(SIZES))
def page(request, browser, url):
    context = browser.new_context(viewport=SIZES[request.param], permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.size, page.offsite = request.param, []
    page.on("request", lambda r: None if r.url.startswith((url, "data:", "blob:")) else page.offsite.append(r.url))
    page.goto(url)
    page.wait_for_selector("#question textarea")
    page.wait_for_timeout(500)
    yield page
    context.close()


def shot(page, name: str) -> None:
    folder = os.environ.get("BOT_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(folder) / f"{name}-{page.size}.png"))


def ask(page, question: str) -> None:
    before = page.locator(BOT_MESSAGES).count()
    page.fill("#question textarea", question)
    page.keyboard.press("Enter")
    page.wait_for_function(f"n => document.querySelectorAll('{BOT_MESSAGES}').length > n", arg=before, timeout=30000)
    page.wait_for_timeout(1200)  # the stream ends


def box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


def overlaps(a: dict, b: dict) -> bool:
    return a["x"] < b["x"] + b["width"] and b["x"] < a["x"] + a["width"] and \
        a["y"] < b["y"] + b["height"] and b["y"] < a["y"] + a["height"]


def test_the_page_needs_no_network_and_draws_all_text_in_one_local_font(page):
    shot(page, "first-load")
    ask(page, "Will I take a pay cut?")
    assert page.offsite == []  # no web fonts, no analytics, nothing off this machine
    fonts = page.evaluate("""() => [...document.querySelectorAll('body *')]
        .filter(e => e.offsetParent && [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim()))
        .map(e => getComputedStyle(e).fontFamily)""")
    assert fonts and {f.split(",")[0] for f in fonts} <= {"ui-sans-serif", "ui-monospace"}


def test_copy_puts_the_answer_on_the_clipboard_as_plain_text(page):
    ask(page, "What happens in the Cloud & Production Skills phase?")
    page.locator(f"{BOT_MESSAGES} + .message-buttons").last.get_by_label("Copy message").click()
    copied = page.evaluate("() => navigator.clipboard.readText()")
    assert "Cloud & Production Skills" in copied and "&amp;" not in copied


def test_a_vote_stays_on_its_answer_and_the_thanks_goes_with_the_next_question(page):
    ask(page, "Will I take a pay cut?")
    page.get_by_label("Like").last.click()
    page.wait_for_function("() => document.querySelector('#feedback-status').innerText.includes('saved')")
    ask(page, "What should I do this week?")
    assert page.locator("#feedback-status").inner_text().strip() == ""
    first = page.locator(f"{BOT_MESSAGES} + .message-buttons").first
    assert first.get_by_label("Liked").count() == 1


def test_a_pasted_question_over_the_limit_is_refused_with_why_not_cut_short(page):
    ask(page, "I am a deep learning engineer. " * 150 + "How long until I'm job-ready?")
    said = page.locator(BOT_MESSAGES).last.inner_text()
    assert "characters long; the limit is 1000" in said and "4679" in said
    assert page.locator("#chatbot .message-row.user-row").count() == 0  # nothing half-asked went in


def test_the_chat_has_no_chrome_over_its_messages(page):
    ask(page, "Will I take a pay cut?")
    ask(page, "How long until I'm job-ready?")
    assert page.locator("#chatbot label, #chatbot [data-testid=block-label]").count() == 0
    assert page.get_by_label("Share").count() == 0
    assert page.locator("#chatbot .message-buttons-right:visible").count() == 0  # none under questions
    tools = page.locator("#chatbot button:visible").all()
    tools = [t.bounding_box() for t in tools if not t.evaluate("e => !!e.closest('.message-buttons')")]
    assert tools  # the toolbar (clear) is there, and outside the area the messages scroll in
    assert not any(overlaps(box(page, "#chatbot .bubble-wrap"), t) for t in tools if t)


def test_the_question_box_is_on_the_first_screen_and_sources_are_at_hand(page):
    height = SIZES[page.size]["height"]
    question = box(page, "#question textarea")
    assert question["y"] + question["height"] <= height
    assert box(page, "#title")["height"] < height / 6
    ask(page, "Will I take a pay cut?")
    if page.size == "phone":  # sources open on demand, from a bar above the chat
        assert not page.locator("#sources").is_visible()
        page.locator("#sources-box button.label-wrap").click()
    page.wait_for_timeout(300)
    assert "[1] Frequently Asked Questions" in page.inner_text("#sources")
    shot(page, "answer")
    sources = box(page, "#sources")
    assert sources["y"] < height and sources["x"] + sources["width"] <= SIZES[page.size]["width"]


def test_example_questions_read_as_questions(page):
    examples = page.locator("#chatbot .example, #chatbot button.example").all_inner_texts()
    examples = [e.strip() for e in examples if e.strip()]
    assert "How long does the whole roadmap take?" in examples
    assert all(e.endswith("?") and not e.startswith("Tell me about") for e in examples)


def test_the_roadmap_chart_labels_every_bar_whole_and_marks_the_chosen_week(page):
    page.get_by_role("tab", name="Roadmap").click()
    page.wait_for_selector("#timeline .js-plotly-plot .point")
    plot = box(page, "#timeline .main-svg")
    assert page.locator("#timeline .point").count() == 5
    labels = page.locator("#timeline text")
    texts = labels.evaluate_all("ts => ts.map(t => t.textContent)")
    assert "2. Cloud & Production Skillsweeks 5-10" in texts and "5. Interview & Transitionweeks 18-20" in texts
    for i in range(labels.count()):
        b = labels.nth(i).bounding_box()
        if b and b["width"]:  # drawn: inside the chart, level, and large enough to read
            assert plot["x"] - 1 <= b["x"] and b["x"] + b["width"] <= plot["x"] + plot["width"] + 1
            assert b["height"] < 40 and float(labels.nth(i).evaluate("t => getComputedStyle(t).fontSize")[:-2]) >= 11
    week = page.locator("#week textarea, #week input").first
    week.fill("7")
    week.press("Enter")
    page.wait_for_function("() => document.querySelector('#week-detail').innerText.includes('Week 7')")
    assert "Cloud & Production Skills" in page.inner_text("#week-detail")
    marked = "() => [...document.querySelectorAll('#timeline text')].some(t => t.textContent == 'week 7')"
    page.wait_for_function(marked)
    shot(page, "roadmap")
    for typed in ("0", "25", "2.5"):
        week.fill(typed)
        week.press("Enter")
        page.wait_for_function("() => document.querySelector('#week-detail').innerText.includes('whole week number')")
        assert page.locator(".toast-body").count() == 0


CITATION = """([answer, n]) => {
  const row = document.querySelectorAll('#chatbot .bot-row')[answer - 1];
  const walker = document.createTreeWalker(row.querySelector('.message-content'), NodeFilter.SHOW_TEXT);
  for (let node; (node = walker.nextNode());) {
    const i = node.textContent.indexOf(`[${n}]`);
    if (i < 0) continue;
    node.parentElement.scrollIntoView({block: 'center'});
    const range = document.createRange();
    range.setStart(node, i + 1);
    range.setEnd(node, i + 2);
    const b = range.getBoundingClientRect();
    return [b.x + b.width / 2, b.y + b.height / 2];
  }
}"""


def test_clicking_a_citation_shows_that_answers_passage_highlighted(page):
    ask(page, "Will I take a pay cut?")
    ask(page, "What should I do this week?")
    assert "This Week" in page.inner_text("#sources") or page.size == "phone"
    x, y = page.evaluate(CITATION, [1, 1])
    page.mouse.click(x, y)
    page.wait_for_selector("#sources .cited")
    assert "Sources of answer 1" in page.inner_text("#sources")
    cited = page.locator("#sources .cited")
    assert "[1] Frequently Asked Questions" in cited.first.inner_text()
    assert "Not necessarily" in cited.nth(1).inner_text()
    where = cited.first.bounding_box()
    assert 0 <= where["y"] <= SIZES[page.size]["height"] - where["height"]  # scrolled to, on screen
    assert page.locator("#sources details").count() == 2  # each passage folded under its quote
    shot(page, "citation")


def test_a_conversation_survives_a_reload_and_past_chats_reopen(page):
    ask(page, "Will I take a pay cut?")
    ask(page, "How long until I'm job-ready?")
    page.reload()
    page.wait_for_function(f"() => document.querySelectorAll('{BOT_MESSAGES}').length == 2")
    assert "Not necessarily" in page.inner_text("#chatbot") and "20 weeks" in page.inner_text("#chatbot")
    shot(page, "restored")
    page.get_by_role("button", name="New chat").click()
    page.wait_for_function(f"() => document.querySelectorAll('{BOT_MESSAGES}').length == 0")
    ask(page, "What should I do this week?")
    page.locator("#past-chats input").click()
    options = page.get_by_role("option")
    listed = [text.split("\n")[-1] for text in options.all_inner_texts()]  # after the current one's tick
    assert listed == ["What should I do this week?", "Will I take a pay cut?"]
    options.filter(has_text="pay cut").click()
    page.wait_for_function("() => document.querySelector('#chatbot').innerText.includes('Not necessarily')")
    assert page.locator(BOT_MESSAGES).count() == 2 and "Audit your current skills" not in page.inner_text("#chatbot")


def test_after_an_ingest_a_reloaded_page_shows_the_new_guide(browser, embedder, server_log, tmp_path):
    """Title, example questions and the Roadmap tab follow the index the app serves."""
    import shutil

    from bot.ingest.indexing import build_index
    from bot.wiring import build_bot
    from tests.conftest import GUIDE, ROOT, settings_for

    corpus = tmp_path / "corpus"
    shutil.copytree(GUIDE, corpus)
    settings = settings_for(corpus, tmp_path / "index")
    build_index(settings, embedder, progress=False)
    demo = build_app(build_bot(settings, embedder), max_chars=1000)
    _, url, _ = demo.launch(server_name="127.0.0.1", server_port=None, prevent_thread_lock=True,
                            **launch_options(), **look_options())
    try:
        page = browser.new_page(viewport=SIZES["desk"])
        page.goto(url)
        page.wait_for_selector("#question textarea")
        assert "Deep Learning Engineer" in page.inner_text("#title")
        shutil.rmtree(corpus)
        shutil.copytree(ROOT / "tests" / "data" / "pastry", corpus)
        build_index(settings, embedder, progress=False)
        page.reload()
        page.wait_for_function("() => document.querySelector('#title')?.innerText.includes('Pastry')")
        page.wait_for_function("() => document.querySelector('#chatbot')?.innerText.includes('Precision Basics')")
        assert "Foundation Building" not in page.inner_text("#chatbot")  # the old guide's examples are gone
        page.get_by_role("tab", name="Roadmap").click()
        page.wait_for_function("() => [...document.querySelectorAll('#timeline text')]"
                               ".some(t => t.textContent.includes('Precision Basics'))")
        assert "Foundation Building" not in page.inner_text("#roadmap-summary")
    finally:
        demo.close()


def test_the_server_logged_no_warning_or_traceback_during_the_browser_runs(server_log):
    """Every app the browser tests started (tests/test_app.py's too: it runs first) logged
    nothing at warning level or above."""
    assert [r.getMessage() for r in server_log] == []
