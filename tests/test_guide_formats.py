"""Guides in other formats load as their writers meant: the outline, the roadmap's week spans,
total and title claim, and the FAQ pairs, for the seed guide, the two shared guides and three
written for these tests (no model, no store)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import DATA, GUIDE, ROOT

from bot.answer.roadmap import Roadmap
from bot.ingest import timeline
from bot.ingest.chunking import chunk_guide
from bot.ingest.loader import parse_guide
from bot.ingest.outline import Guide
from bot.ingest.timeline import timing, title_claim
from bot.schema import ChunkMeta

GUIDES = {
    "seed (bare-line headings, '4 weeks-' phases)": (
        GUIDE / "dl-engineer-to-ml-engineer.txt", DATA / "seed-expected.json"),
    "Markdown, roadmap as a table, '### Q:' FAQ": (DATA / "guides/web-to-devops/guide.md", None),
    "numbered headings, 'Phase k — Name (Weeks a–b)', Q:/A: lines": (DATA / "guides/teacher-to-id/guide.txt", None),
    "Markdown, 'Month 1:'/'Months 2–3:'/'Final 4 weeks:', bold FAQ": (
        DATA / "guides/nurse-to-health-data/guide.md", None),
    "'Part I:' headings, phases as prose paragraphs with worded lengths": (
        DATA / "guides/chef-to-food-safety/guide.txt", None),
    "Markdown, dated phase headings 'Weeks 1–3: Name', '### Question?' FAQ": (
        DATA / "guides/accountant-to-data-engineer/guide.md", None),
    "plain text, CAPITALS headings, 'Month 1 — Name' phases, bare question-line FAQ": (
        DATA / "guides/pharmacist-to-regulatory-affairs/guide.txt", None),
    "Markdown, 'Part N —' headings, roadmap as bullets '**Weeks 1–3 · Name** — ...'": (
        DATA / "guides/retail-manager-to-ux-researcher/guide.md", None),
    "Markdown, dated phase headings 'January 5 – February 1: Name', bold-question FAQ": (
        DATA / "guides/sales-engineer-to-solutions-architect/guide.md", None),
    "plain text, Title Case headings, roadmap as a numbered list '1. Month 1, Name: ...', Q:/A: lines": (
        DATA / "guides/journalist-to-content-strategist/guide.txt", None),
    "Markdown, roadmap as a table of dates crossing the year, '### Q:' FAQ": (
        DATA / "guides/mechanical-engineer-to-robotics-software/guide.md", None),
    "Markdown, '#### Weeks a–b: Name' phases nested under '### Month N', bold FAQ": (
        DATA / "guides/paralegal-to-compliance-analyst/guide.md", None),
    "Markdown, Setext headings, stages timed only by length '### Stage 1: Name (2 weeks)', bold FAQ": (
        DATA / "guides/dental-hygienist-to-clinical-trials/guide.md", None),
    "Markdown, calendar-month headings '### April–May 2027 — Name', '#### Q:' FAQ, a comparison table": (
        DATA / "guides/sommelier-to-wine-buyer/guide.md", None),
    "plain text, decimal-numbered headings '4.2 Weeks 1-4: Name', a pipe table, 'Q.'/'A.' FAQ": (
        DATA / "guides/bank-teller-to-cybersecurity-analyst/guide.txt", None),
    "Markdown, bold lines for headings, roadmap as bullets '**Days 1–18 — Name:**' over their tasks": (
        DATA / "guides/warehouse-supervisor-to-supply-chain-analyst/guide.md", None),
    "plain text, Setext-underlined headings, 'Sprint 1 — Name (a fortnight)' phases, '1) ...?' FAQ": (
        DATA / "guides/physiotherapist-to-health-tech-product-manager/guide.txt", None),
    "Markdown, day-month dated headings '### 5 January – 1 February: Name', '### Do I ...?' FAQ": (
        DATA / "guides/librarian-to-data-steward/guide.md", None),
    "plain text, CAPITALS headings with a one-word 'MONEY', 'Weeks 1-4 (Name): ...' lines, Q:/A: lines": (
        DATA / "guides/electrician-to-solar-technician/guide.txt", None),
    "Markdown, week-range headings dated in parentheses '### Weeks 1–4 (January 4 – January 31): Name'": (
        DATA / "guides/pharmacy-technician-to-medical-coder/guide.md", None),
    "Markdown, Setext headings, run-in bold phases '**Phase 1 — Name (weeks 1–4).** ...', task-box checklist": (
        DATA / "guides/air-traffic-controller-to-sre/guide.md", None),
    "plain text, Title Case headings closed by a colon, 'Stage A — Name (4 weeks):' lengths only, Q1:/A1: lines": (
        DATA / "guides/graphic-designer-to-front-end-developer/guide.txt", None),
    "plain text, '='/'-' underlined headings, 'Month 1:'/'Months 3 and 4:' phases, Question:/Answer: lines": (
        DATA / "guides/flight-attendant-to-csm/guide.txt", None),
    "Markdown, roadmap as a numbered list '1. **Name** (3 weeks) — ...', FAQ and budget as tables": (
        DATA / "guides/military-logistics-to-operations-manager/guide.md", None),
    "Markdown, sprint headings '### Sprint 1 · 3 weeks · 5–25 January', bold-question FAQ, task-box checklist": (
        DATA / "guides/real-estate-to-pmm/guide.md", None),
    "Markdown, phases as top-level sections '## Phase 1 (Weeks 1–3): Name', a costs table with a 'When' column": (
        DATA / "guides/bartender-to-sdr/guide.md", None),
    "plain text, 'Days 1-30: Name' phases after a long roadmap lead-in, daily study hours, 'Q.'/'A.' FAQ": (
        DATA / "guides/hr-to-people-analytics/guide.txt", None),
    "Markdown, emoji headings, quarters '### Q1 — Months 1–3: Name' holding '- **Month 1** — ...', FAQ table": (
        DATA / "guides/musician-to-audio-engineer/guide.md", None),
    "Markdown, phases as paragraphs '**Weeks 1–3 · Name:** ...', FAQ grouped under '###' with '####' questions": (
        DATA / "guides/pilot-to-drone-ops/guide.md", None),
    "plain text, CAPITALS headings, calendar phases 'June 1 - June 21: Name', Title Case colon subheadings": (
        DATA / "guides/teacher-to-edtech-sales/guide.txt", None),
    "Markdown, roadmap as a numbered list '1. **Name** (weeks 1–5) — ...', a phase-by-phase hours section, bold Q: FAQ":
        (DATA / "guides/civil-engineer-to-gis-analyst/guide.md", None),
    "plain text, '='/'-' underlined headings, dated phases 'January 5 to February 1: Name', dot-leader costs": (
        DATA / "guides/police-officer-to-fraud-investigator/guide.txt", None),
    "Markdown, lettered stages '### Stage A — Weeks 1-4: Name' over task boxes, FAQ as a table": (
        DATA / "guides/translator-to-localization-pm/guide.md", None),
    "Markdown, every heading a question, emoji phases '### 🧭 Months 1–2: Name', 'four weeks to a month'": (
        DATA / "guides/social-worker-to-ux-writer/guide.md", None),
    "plain text, '3. CAPITALS' headings, steps as run-in lines 'Step 1 (about 5 weeks) - Name.' over prose": (
        DATA / "guides/lab-tech-to-bioinformatics/guide.txt", None),
    "Markdown, phases as calendar-month headings '## April & May 2027 — Name', a folded <details> FAQ": (
        DATA / "guides/firefighter-to-emergency-planner/guide.md", None),
    "plain text, underlined headings, the roadmap as a space-aligned table of days, 'Q:'/'A:' FAQ": (
        DATA / "guides/support-to-qa-tester/guide.txt", None),
    "Markdown, Setext title, numbered sections, the roadmap as one numbered list '1. **Name** (weeks 1–3, ...)'": (
        DATA / "guides/carpenter-to-estimator/guide.md", None),
    "plain text, CAPITALS headings, 'WEEKS 1-4: NAME' phases, a dot-leader price list, '1) ...?' FAQ": (
        DATA / "guides/radio-host-to-podcast-producer/guide.txt", None),
    "org-mode outline '#+TITLE:', '* Section', '** Stage A: Name (~3 weeks)', lengths only": (
        DATA / "guides/truck-driver-to-dispatcher/guide.txt", None),
    "Markdown page with YAML front matter, sprints as a table of '3 wks'/'28 days', a definition-list FAQ": (
        DATA / "guides/claims-adjuster-to-data-analyst/guide.md", None),
}


def load(path: Path) -> Guide:
    return parse_guide(path.name, path.read_text(encoding="utf-8"))


def expected(path: Path, explicit: Path | None) -> dict:
    return json.loads((explicit or path.with_name("expected.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("style", GUIDES)
def test_the_outline_is_recovered(style):
    path, explicit = GUIDES[style]
    guide, want = load(path), expected(path, explicit)
    assert guide.title == want["title"]
    assert [s.title for s in guide.sections if s.title != "Introduction"] == want["top_sections"]


@pytest.mark.parametrize("style", GUIDES)
def test_the_roadmap_becomes_week_spans_with_its_total_and_the_titles_claim(style):
    path, explicit = GUIDES[style]
    guide, want = load(path), expected(path, explicit)["roadmap"]
    roadmap = guide.roadmap
    phases = [c for c in roadmap.children if c.kind == "phase"]
    assert roadmap.title == want["section"]
    assert [(p.phase, p.span.first_week, p.span.last_week) for p in phases] == [
        (w["name"], w["start_week"], w["end_week"]) for w in want["phases"]]
    assert all(p.timing.text.lower() in w["source_text"].lower() for p, w in zip(phases, want["phases"], strict=True))
    assert max(p.span.last_week for p in phases) == want["total_weeks"]
    assert title_claim(guide.title) == want["title_claim"]
    assert (guide.weeks_per_month if guide.month_rule_stated else None) == want["month_rule_weeks"]


@pytest.mark.parametrize("style", GUIDES)
def test_each_faq_pair_is_one_chunk_headed_by_its_question(style):
    path, explicit = GUIDES[style]
    guide, want = load(path), expected(path, explicit)["faq"]
    faq = [ChunkMeta.of(d) for d in chunk_guide(guide) if ChunkMeta.of(d).kind == "faq"]
    chunks = {m.heading: d.page_content for m, d in zip(faq, [d for d in chunk_guide(guide)
                                                              if ChunkMeta.of(d).kind == "faq"], strict=True)}
    assert list(chunks) == [w["question"] for w in want]
    for w in want:
        assert " ".join(chunks[w["question"]].split()).startswith(w["answer_starts"])


def test_definition_lines_and_table_rows_are_units_of_their_own():
    guide = load(DATA / "guides/teacher-to-id/guide.txt")
    glossary = next(s for s in guide.sections if s.title.endswith("Glossary"))
    assert [c.title for c in glossary.children][:3] == ["ADDIE", "SAM", "SME"]
    assert glossary.children[0].body[0].startswith("Analysis, Design, Development")
    nurse = load(DATA / "guides/nurse-to-health-data/guide.md")
    table = next(s for s in nurse.sections if s.title == "Skills to Learn")
    assert [c.title for c in table.children][1] == "SQL"
    assert table.children[1].body[0].startswith("Why it matters: Hospital data lives")


def test_months_become_weeks_by_the_guides_own_rule_or_else_by_52_over_12():
    four = parse_guide("g.md", "# T\n\nWe count a month as four weeks.\n\n## Plan\n\n### Month 1: A\n\nx\n\n"
                       "### Months 2-3: B\n\ny\n")
    spans = [(c.span.first_week, c.span.last_week) for c in four.roadmap.children]
    assert four.month_rule_stated and spans == [(1, 4), (5, 12)]
    calendar = parse_guide("g.md", "# T\n\n## Plan\n\n### Month 1: A\n\nx\n\n### Months 2-3: B\n\ny\n\n"
                           "### Two months: C\n\nz\n")
    assert not calendar.month_rule_stated
    # 52/12 weeks a month, each month ending in the nearest whole week: 4.3 -> 4, 13 -> 13, 21.7 -> 22
    assert [(c.span.first_week, c.span.last_week) for c in calendar.roadmap.children] == [(1, 4), (5, 13), (14, 22)]


def test_plain_text_headings_in_capitals_are_the_top_level_and_question_lines_an_faq():
    guide = parse_guide("g.txt", "Baker to Analyst in 3 Months\n\nTHE ROADMAP\n\nThree phases, one after another, "
                        "each ending with something to show an employer.\n\nMonth 1 — Sheets\n\n- pivot tables\n\n"
                        "Month 2 — SQL\n\n- joins\n\nSQL\n\nQueries, every day.\n\nCOMMON QUESTIONS\n\n"
                        "Do I need a degree?\nNo. A portfolio matters more.\n\nCan I keep baking?\nYes, "
                        "at weekends.\n")
    assert [s.title for s in guide.sections] == ["THE ROADMAP", "COMMON QUESTIONS"]  # "SQL" is an acronym
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children if c.kind == "phase"] == [
        ("Sheets", 1, 4), ("SQL", 5, 9)]
    faq = guide.sections[1].children
    assert [(c.kind, c.title, c.body) for c in faq] == [
        ("faq", "Do I need a degree?", ["No. A portfolio matters more."]),
        ("faq", "Can I keep baking?", ["Yes, at weekends."])]
    # A short word in capitals that the text uses nowhere else is a heading, not an acronym.
    money = parse_guide("g.txt", "T\n\nGOOD DAYS\n\nSunshine.\n\nMONEY\n\n$30 an hour.\n\nSQL\n\nSQL queries.\n")
    assert [(s.title, [c.title for c in s.children]) for s in money.sections] == [
        ("GOOD DAYS", []), ("MONEY", ["SQL"])]
    # One question line in prose is a question the text asks, not an FAQ.
    prose = parse_guide("g.txt", "T\n\nWHY MOVE\n\nIs it worth it?\nMostly, yes.\n\nMORE\n\nx\n")
    assert prose.sections[0].children == [] and prose.sections[0].body == ["Is it worth it?", "Mostly, yes."]


def test_plain_text_headings_in_capitals_before_the_first_numbered_one_are_its_peers():
    """Capitals opening the guide ("WHY MOVE") are not subheadings of "1. Skills": both kinds are
    the top level, so "SALARY" after the roadmap is no part of it. Capitals found only under
    numbered headings still nest there."""
    guide = parse_guide("g.txt", "Reporter to Analyst\n\nWHY MOVE\n\nYou listen well.\n\n1. Skills\n\n"
                        "- listening\n\n2. The Roadmap\n\nTwo months.\n\nMonth 1: Standards\n\n- rules\n\n"
                        "Month 2: Scoring\n\n- scores\n\nSALARY\n\n$60,000 to start.\n\nTHE HARD PARTS\n\nLong days.\n")
    assert [s.title for s in guide.sections] == ["WHY MOVE", "1. Skills", "2. The Roadmap", "SALARY",
                                                 "THE HARD PARTS"]
    assert [c.phase for c in guide.roadmap.children] == ["Standards", "Scoring"]
    nested = parse_guide("g.txt", "T\n\n1. Skills\n\nx\n\nWHY MOVE\n\ny\n\n2. Plan\n\nz\n\nMONEY TALK\n\nw\n")
    assert [(s.title, [c.title for c in s.children]) for s in nested.sections] == [
        ("1. Skills", ["WHY MOVE"]), ("2. Plan", ["MONEY TALK"])]
    # ...and so do they after a notice in capitals opening the guide
    noticed = parse_guide("g.txt", "T\n\nDISCLAIMER\n\nv\n\n1. Skills\n\nx\n\nWHY MOVE\n\ny\n\n2. Plan\n\nz\n")
    assert [(s.title, [c.title for c in s.children]) for s in noticed.sections] == [
        ("DISCLAIMER", []), ("1. Skills", ["WHY MOVE"]), ("2. Plan", [])]


def test_a_markdown_faq_of_bold_questions_with_the_answer_on_the_next_line_is_read():
    guide = parse_guide("g.md", "Baker to Analyst\n================\n\nWhy\n---\n\n**Bold** opens this "
                        "paragraph, which goes on.\n\nFAQ\n---\n\n**Do I need a degree?**\nNo. A portfolio "
                        "matters more.\n\n**Can I keep baking?**  \nYes, at weekends.\n")
    assert [s.title for s in guide.sections] == ["Why", "FAQ"]  # Setext headings
    assert guide.sections[0].body == ["Bold opens this paragraph, which goes on."]
    assert [(c.kind, c.title, c.body) for c in guide.sections[1].children] == [
        ("faq", "Do I need a degree?", ["No. A portfolio matters more."]),
        ("faq", "Can I keep baking?", ["Yes, at weekends."])]
    # "**Q: ...?**" over "A: ...", or a table's Answer column: the answer is what follows "A:"
    marked = parse_guide("g.md", "# T\n\n## FAQ\n\n**Q: Do I need a degree?**\nA: No. A portfolio matters more.\n")
    assert [(c.kind, c.title, c.body) for c in marked.sections[0].children] == [
        ("faq", "Do I need a degree?", ["No. A portfolio matters more."])]


@pytest.mark.parametrize("roadmap, spans", [
    ("- **Weeks 1–2 · Sheets** — learn pivot tables; project: a sales sheet for the shop.\n"
     "- **Weeks 3–5 · SQL** — write joins against the orders table; project: a weekly report.\n", [(1, 2), (3, 5)]),
    # bold names with their lengths in brackets after them, in digits or words
    ("1. **Sheets** (2 weeks) — Learn pivot tables.\n   - a sales sheet\n"
     "2. **SQL** (three weeks) — Write joins.\n   - a weekly report\n", [(1, 2), (3, 5)]),
    # ...or with their weeks
    ("1. **Sheets** (weeks 1–2) — Learn pivot tables.\n   - a sales sheet\n"
     "2. **SQL** (weeks 3-5) — Write joins.\n   - a weekly report\n", [(1, 2), (3, 5)]),
])
def test_a_roadmap_of_bullets_naming_their_weeks_or_lengths_is_read(roadmap, spans):
    from bot.text import units

    guide = parse_guide("g.md", "# Baker to Analyst\n\n## Roadmap\n\nTwo phases.\n\n" + roadmap)
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Sheets", *spans[0]), ("SQL", *spans[1])]
    assert units(chunk_guide(guide)[1].page_content)[0].startswith(("learn", "Learn"))  # quoted without its time


def test_a_list_of_bold_week_ranges_where_one_holds_tasks_makes_every_item_a_phase():
    """One item of the list holds a list of its own: every bold-led item of that list heads a
    part, so each is a phase, not a line of the one before it."""
    guide = parse_guide("g.md", "# T\n\n## Your Plan\n\nBack to back.\n\n"
                        "- **Weeks 1-3: Learn the Tools.** Take the free 4-hour course.\n"
                        "- **Weeks 4-6: Learn the Business.** Read the book.\n  - learn what churn means\n"
                        "- **Weeks 7-9: Get Certified.** Sit the $149 exam.\n"
                        "- **Excel** is the tool you will use most.\n\nIf you fall behind, stretch.\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Learn the Tools", 1, 3), ("Learn the Business", 4, 6), ("Get Certified", 7, 9)]
    assert guide.roadmap.children[1].body == ["Read the book.", "- learn what churn means"]
    # a bold word in its item's sentence is no label
    assert guide.roadmap.children[2].body == ["Sit the $149 exam.", "- Excel is the tool you will use most."]
    assert guide.roadmap.body == ["Back to back.", "If you fall behind, stretch."]
    assert not guide.notes


def test_times_said_in_passing_in_a_list_of_labelled_lines_make_no_roadmap():
    """"Slower feedback. ... for another nine months" states no phase's time: a labelled line's
    time is in its label or its first sentence."""
    guide = parse_guide("g.md", "# T\n\n## What's hard\n\n- **Sitting still.** Eight hours at a desk.\n"
                        "- **Slower feedback.** In a café you see results in minutes. A customer may churn "
                        "nine months later.\n- **The job search.** Expect silence. It can take longer than 14 "
                        "weeks.\n- **Numbers.** You are measured on retention.\n")
    assert guide.roadmap is None
    # ...where a title opens the text, the time may follow it
    titled = parse_guide("g.md", "# T\n\n## Plan\n\n- Stage 1: Sheets. Three weeks of pivot tables.\n"
                         "- Stage 2: Exam. Six weeks, then sit it.\n")
    assert [(c.span.first_week, c.span.last_week) for c in titled.roadmap.children] == [(1, 3), (4, 9)]


def test_run_in_bold_heads_ending_a_sentence_head_parts_and_phases():
    guide = parse_guide("g.md", "Baker to Analyst\n================\n\nPlan\n----\n\n"
                        "**Phase 1 — Spreadsheets and Pivot Tables for the Shop (weeks 1–4).** Price every cake.\n\n"
                        "**Phase 2 — SQL (weeks 5–9).** Write joins.\n\n**Milestone:** a weekly report.\n\n"
                        "**After the plan.** Apply; most people land a role within 12 to 18 months.\n\n"
                        "FAQ\n---\n\n**Do I need a degree?** No, a portfolio matters more.\n")
    plan = guide.roadmap
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in plan.children if c.kind == "phase"] == [
        ("Spreadsheets and Pivot Tables for the Shop", 1, 4), ("SQL", 5, 9)]
    assert plan.children[1].body == ["Write joins.", "Milestone: a weekly report."]  # a label, not a head
    assert [(c.kind, c.title, c.body) for c in plan.children[2:]] == [
        ("section", "After the plan", ["Apply; most people land a role within 12 to 18 months."])]
    assert [(c.kind, c.title, c.body) for c in guide.sections[1].children] == [
        ("faq", "Do I need a degree?", ["No, a portfolio matters more."])]


def test_bold_lines_head_sections_and_a_bold_led_bullet_holding_tasks_heads_a_phase():
    guide = parse_guide("g.md", "# Baker to Analyst\n\nHello.\n\n**Why move**\n\nHours.\n\n**What carries over**\n\n"
                        "**Costing:**\nYou price recipes.\n\n**The 30-day plan**\n\n"
                        "- **Days 1–10 — Sheets:** Start here.\n  - pivot tables\n  - a sales sheet\n"
                        "- **Days 11–30 — SQL:**\n  - joins\n\nStretch, don't squeeze.\n\n"
                        "## FAQ\n\n**Pros**\n\n- quiet\n\n**Do I need a degree?**\n\nNo.\n")
    assert [s.title for s in guide.sections] == ["Introduction", "Why move", "What carries over", "The 30-day plan",
                                                 "FAQ"]
    assert [(c.title, c.body) for c in guide.sections[2].children] == [("Costing", ["You price recipes."])]
    plan = guide.roadmap
    assert [(c.phase, c.body, c.span.first_week, c.span.last_week) for c in plan.children] == [
        ("Sheets", ["Start here.", "- pivot tables", "- a sales sheet"], 1, 2), ("SQL", ["- joins"], 2, 5)]
    assert plan.body == ["Stretch, don't squeeze."]
    # Under a real heading, a bold line heads a section below it; a bold question, a part of that.
    assert [c.title for c in guide.sections[4].children] == ["Pros"]
    assert [(c.kind, c.title) for c in guide.sections[4].children[0].children] == [("faq", "Do I need a degree?")]


def test_plain_text_title_case_headings_ending_in_a_colon_letter_stages_and_numbered_q_a_are_read():
    guide = parse_guide("g.txt", "Baker to Analyst\n\nIntroduction:\nAbout five weeks, at ten hours a week.\n"
                        "You keep your job.\n\nWhy Make The Move:\nRegular hours.\nBetter pay.\n\n"
                        "The Roadmap:\nTwo stages.\nNo gaps.\n\n"
                        "Stage A — Sheets (2 weeks): pivot tables. Outcome: a sales sheet.\n\n"
                        "Stage B — SQL (3 weeks): joins. Outcome: a weekly report.\n\n"
                        "Questions And Answers:\nQ1: Do I need a degree?\nA1: No.\nQ2: Can I keep baking?\nA2: Yes.\n\n"
                        "Your First Seven Days:\n- Day 1: Install a spreadsheet app.\n- Day 2: Export a sales log.\n"
                        "- Day 3: Make one pivot table.\n\nTick these off before you start:\n- a laptop\n")
    assert [s.title for s in guide.sections] == ["Introduction", "Why Make The Move", "The Roadmap",
                                                 "Questions And Answers", "Your First Seven Days"]
    assert guide.sections[-1].body[-2:] == ["Tick these off before you start:", "- a laptop"]  # a lead-in, no heading
    assert guide.roadmap.title == "The Roadmap"  # not the days of the first week
    assert [p.name for p in Roadmap.from_documents(chunk_guide(guide)).phases] == ["Sheets", "SQL"]  # nor answering
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Sheets", 1, 2), ("SQL", 3, 5)]
    assert [(c.kind, c.title, c.body) for c in guide.sections[3].children] == [
        ("faq", "Do I need a degree?", ["No."]), ("faq", "Can I keep baking?", ["Yes."])]


def test_plain_text_setext_headings_title_case_parts_sprints_and_numbered_questions_are_read():
    guide = parse_guide("g.txt", "Baker to Analyst\n================\n\nAbout five months.\n\n"
                        "What you bring\n--------------\n\nCosting Recipes\nYou price every cake you sell.\n\n"
                        "Early Starts\nYou are at work by five.\n\n"
                        "The plan\n--------\n\nTwo sprints.\n\nSprint 1 — Sheets (a fortnight)\n* pivot tables\n\n"
                        "Sprint 2 — SQL (3 weeks)\n* joins\n\nQuestions\n---------\n\n"
                        "1) Do I need a degree?\nNo.\n\n"
                        "2) What if I get no interviews at all by the time the plan comes to an end?\nKeep going.\n")
    assert guide.title == "Baker to Analyst"
    assert [s.title for s in guide.sections] == ["Introduction", "What you bring", "The plan", "Questions"]
    assert [(c.title, c.body) for c in guide.sections[1].children] == [
        ("Costing Recipes", ["You price every cake you sell."]), ("Early Starts", ["You are at work by five."])]
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Sheets", 1, 2), ("SQL", 3, 5)]
    assert [(c.kind, c.title) for c in guide.sections[3].children] == [
        ("faq", "Do I need a degree?"),
        ("faq", "What if I get no interviews at all by the time the plan comes to an end?")]


def test_plain_text_rules_of_two_kinds_nest_and_months_joined_by_and_are_one_phase():
    guide = parse_guide("g.txt", "Baker to Analyst\n================\n\nWhy\n===\n\nWe count a month as four weeks.\n\n"
                        "The Plan\n========\n\nFive months.\n\nMonth 1: Sheets\n---------------\n\nPivot tables.\n\n"
                        "Months 2 and 3: SQL\n------------------\n\nJoins. Ask the question every analyst asks "
                        "on a Monday morning before the meeting: which stores are behind, and why is that?\n\n"
                        "Milestone: ten queries.\n\n"
                        "Questions\n=========\n\nQuestion: Do I need a degree?\nAnswer: No.\n\n"
                        "Question: Can I keep baking?\nAnswer: Yes.\n")
    assert [s.title for s in guide.sections] == ["Why", "The Plan", "Questions"]  # "=" over "-"
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Sheets", 1, 4), ("SQL", 5, 12)]
    assert guide.roadmap.children[1].body[-1] == "Milestone: ten queries."  # one question closing a paragraph
    assert [(c.kind, c.title, c.body) for c in guide.sections[2].children] == [
        ("faq", "Do I need a degree?", ["No."]), ("faq", "Can I keep baking?", ["Yes."])]


def test_a_roadmap_of_dated_headings_counts_weeks_from_its_first_day():
    guide = parse_guide("g.md", "# Baker to Analyst\n\n## Roadmap\n\n### January 5 – February 1: Sheets\n\nx\n\n"
                        "### Feb 2 – March 8: SQL\n\ny\n\n### Week of March 9: Portfolio\n\nz\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Sheets", 1, 4), ("SQL", 5, 9), ("Portfolio", 10, 10)]
    # Named months count from the first; a date before the one above it is in the next year.
    months = parse_guide("g.md", "# T\n\n## Plan\n\n### November: A\n\nx\n\n### December – January: B\n\ny\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in months.roadmap.children] == [
        ("A", 1, 4), ("B", 5, 13)]
    bullets = parse_guide("g.md", "# T\n\n## Plan\n\n- **Nov 30 – Dec 27:** read\n- **Dec 28 – Jan 10:** build\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in bullets.roadmap.children] == [
        ("Nov 30 – Dec 27", 1, 4), ("Dec 28 – Jan 10", 5, 6)]
    # A table headed by its dates: each phase is named by its Phase cell, and December runs into January.
    table = parse_guide("g.md", "# T\n\n## Roadmap\n\n| Dates | Phase | Do |\n| --- | --- | --- |\n"
                        "| Nov 2 – Dec 6 | ROS 2 | nodes |\n| Dec 7 – Jan 17 | Simulation | Gazebo |\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in table.roadmap.children] == [
        ("ROS 2", 1, 5), ("Simulation", 6, 11)]
    # A year after a range of months is the first month's year too ("April–May 2027").
    yearly = parse_guide("g.md", "# T\n\n## Plan\n\n### October 2027: A\n\nx\n\n### November – January 2028: B\n\n"
                         "y\n\n### February–March 2028: C\n\nz\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in yearly.roadmap.children] == [
        ("A", 1, 4), ("B", 5, 17), ("C", 18, 26)]
    # Days of one month ("5–25 January") are a span, whatever length the heading also states;
    # a phase named by nothing but its number is named by it.
    sprints = parse_guide("g.md", "# T\n\n## Plan\n\n### Sprint 1 · 3 weeks · 5–25 January\n\nx\n\n"
                          "### Sprint 2 · 4 weeks · 26 January–22 February\n\ny\n\n"
                          "### Sprint 3 · 2 weeks · 23 Feb–8 Mar\n\nz\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in sprints.roadmap.children] == [
        ("Sprint 1", 1, 3), ("Sprint 2", 4, 7), ("Sprint 3", 8, 9)]
    # "May" opens a heading as a month only when a name follows it, not as a question.
    assert timing("May I skip a phase?") is None and timing("May: Portfolio").text == "May"


def test_a_week_range_heading_with_its_dates_in_parentheses_names_the_phase_by_its_words():
    """"Weeks 1–4 (January 4 – January 31): Anatomy" is the phase Anatomy, weeks 1-4; the lines
    inside a phase that name a week or a date ("Take the exam in week 7.", "Deliverable: ... by
    March 6") are its steps, not phases of their own (which once made a roadmap of two)."""
    guide = parse_guide("g.md", "# T\n\n## The plan\n\n### Weeks 1–4 (January 4 – January 31): Anatomy\n\n- a\n\n"
                        "### Weeks 5–7 (February 1 – February 21): Coding\n\n"
                        "Take the exam early in week 7. Then rest.\n\n"
                        "- **Deliverable:** exam taken by March 6.\n- **Review:** every missed question by March 6.\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Anatomy", 1, 4), ("Coding", 5, 7)]
    assert guide.roadmap.title == "The plan" and not guide.notes
    assert not guide.roadmap.children[1].children


def test_a_roadmap_timed_twice_over_takes_its_finer_parts_as_phases():
    guide = parse_guide("g.md", "# T\n\n## Plan\n\n### Month 1\n\nFoundations first.\n\n"
                        "#### Weeks 1–2: Sheets\n\n- a\n\n#### Weeks 3–4: SQL\n\n- b\n\n"
                        "### Month 2\n\n#### Weeks 5–9: Python\n\n- c\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Sheets", 1, 2), ("SQL", 3, 4), ("Python", 5, 9)]
    assert guide.roadmap.children[0].body == ["Foundations first.", "- a"]  # the month's words are kept
    assert not guide.notes


def test_a_roadmap_told_as_a_table_and_again_a_subsection_a_phase_is_one_phase_each():
    """A summary table ("| 1. Sheets | 1-3 | Excel |") then "### Phase 1: Sheets (Weeks 1-3)" for
    each row is one plan, not two side by side: each phase keeps its text and the row's cells."""
    guide = parse_guide("g.md", "# T\n\n## The Roadmap\n\n| Phase | Weeks | Focus | Deliverable |\n"
                        "| --- | --- | --- | --- |\n| 1. Sheets | 1-3 | Excel | A workbook |\n"
                        "| 2. Queries | 4-8 | SQL | 20 queries |\n\n### Phase 1: Sheets (Weeks 1-3)\n\n"
                        "- Take the free Excel course.\n\n### Phase 2: Queries (Weeks 4-8)\n\n"
                        "- Work through the 12-hour SQL course.\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Sheets", 1, 3), ("Queries", 4, 8)]
    assert guide.roadmap.children[1].body == ["- Work through the 12-hour SQL course.", "Focus: SQL",
                                              "Deliverable: 20 queries"]
    assert not guide.notes


def test_a_roadmap_of_named_quarters_holding_months_keeps_the_quarters_as_its_phases():
    """Coarse parts named by more than their time are the guide's phases; the months in them are
    their parts, each opening with its own words (the dash after its bold label dropped)."""
    guide = parse_guide("g.md", "# T\n\n## The Roadmap\n\n### Q1 — Months 1–3: Ears to Engines\n\n"
                        "- **Month 1** — Set up\n  - buy a DAW\n- **Month 2** — Middleware\n  - Wwise\n"
                        "- **Month 3** — Redesigns\n  - three clips\n\n"
                        "### Q2 — Months 4–6: Build & Implement\n\n- **Month 4** — Record\n  - 200 sounds\n"
                        "- **Month 5** — Implement\n  - Lyra\n- **Month 6** — Team up\n  - two jams\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Ears to Engines", 1, 13), ("Build & Implement", 14, 26)]
    months = guide.roadmap.children[1].children
    assert [(m.title, m.body[0]) for m in months] == [("Month 4", "Record"), ("Month 5", "Implement"),
                                                      ("Month 6", "Team up")]


def test_paragraphs_opening_with_a_bold_time_and_name_closed_by_a_colon_are_phases():
    """"**Weeks 1–3 · Ground School:** Work through..." runs a phase's title into its text (a
    "**Milestone:** ..." label, with no time, does not); "Final" names the last phase here."""
    guide = parse_guide("g.md", "# T\n\n## Your Flight Plan\n\n**Weeks 1–3 · Ground School:** Study the guide.\n\n"
                        "**Milestone:** a certificate.\n\n**Weeks 4–7 · Stick Time:** Fly 25 hours.\n\n"
                        "**Weeks 8–9 · Final Approach:** Apply.\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Ground School", 1, 3), ("Stick Time", 4, 7), ("Final Approach", 8, 9)]
    assert guide.roadmap.children[0].body == ["Study the guide.", "Milestone: a certificate."]


def test_phases_after_a_roadmap_heading_that_kept_them_from_nesting_become_its_parts():
    """Plain text: "The Roadmap" opens with a long lead-in, so the day-range headings after it
    stand at the top level; they are its phases."""
    lead = "The plan runs 90 days in three phases of unequal length, each building on the last one. " * 2
    work = "This month is about getting fast and accurate, and learning the metrics well enough to define them.\n\n"
    guide = parse_guide("g.txt", f"Title\n\nThe Roadmap\n\n{lead}\n\nDays 1-30: Sheets\n\n{work}* Rebuild a report.\n\n"
                        f"Days 31-60: SQL\n\n{work}* Write joins.\n\nDays 61-90: Portfolio\n\n{work}* Publish two.\n\n"
                        "What's Hard\n\nStatistics is the hardest part. It takes weeks.\n\nData quality is the "
                        "second challenge. Real data is messy.\n\nThe third challenge is positioning. Hiring "
                        "managers doubt you.\n\nFinally, there are ethics. You will be asked for risk scores.\n")
    assert guide.roadmap.title == "The Roadmap"
    assert [c.phase for c in guide.roadmap.children] == ["Sheets", "SQL", "Portfolio"]
    assert [s.title for s in guide.sections] == ["The Roadmap", "What's Hard"]


def test_gaps_between_stated_week_ranges_are_noticed():
    guide = parse_guide("g.txt", "Title\n\nPlan\n\nPhase 1 — A (Weeks 1-3)\n\nread\n\nPhase 2 — B (Weeks 6-8)\n\n"
                        "build\n\nEnd\n\nbye.\n")
    assert any("weeks 4-5" in note for note in guide.notes)


def test_outline_command_shows_the_roadmap_and_faq_a_user_can_check(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "guide.md").write_text((DATA / "guides/web-to-devops/guide.md").read_text())
    out = subprocess.run([sys.executable, "-m", "bot", "outline", "--corpus", str(corpus)], cwd=ROOT,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "Roadmap: The roadmap (6 phases, 29 weeks" in out.stdout
    assert "6. Portfolio & Job Search" in out.stdout and "weeks 26-29" in out.stdout
    assert 'Title claims "6-Month" (about 26 weeks): the phases take 3 weeks more.' in out.stdout
    assert "FAQ (6 questions):" in out.stdout and "Should my second language be Python or Go?" in out.stdout


def test_ingest_warns_about_a_roadmap_whose_timing_it_cannot_read(tmp_path, caplog):
    from bot.ingest.loader import read_corpus

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "g.md").write_text("# Guide\n\n## Timeline\n\n- Start with Python, for a while\n- Then SQL, later\n")
    read_corpus(corpus)
    assert "Timeline: looks like a roadmap, but no phase states its time" in caplog.text


def test_a_roadmap_heading_over_a_preamble_is_no_warning_when_its_dated_peers_are_the_phases():
    """"## The roadmap" holding only "### Before you start", the months its peers: the loader had said
    no phase states its time, while it had read all of them."""
    guide = parse_guide("g.md", "# From Hygienist to Coordinator in 2 Months\n\n## The roadmap\n\n"
                        "### Before you start\n\nClear your calendar.\n\n## January 2027: Learn the Language\n\n"
                        "Read ICH E6.\n\n## February 2027: Apply\n\nSend ten applications.\n")
    assert [c.phase for c in guide.roadmap.children if c.kind == "phase"] == ["Learn the Language", "Apply"]
    assert not any("looks like a roadmap" in note for note in guide.notes)


def test_decimal_outline_numbers_are_no_lengths():
    """"4.2 Weeks 1-4: Basics" is weeks 1-4, named Basics: its "4.2" had been read as a 4.2-week length."""
    text = ("From Teller to Analyst in 2 Months\n\n1. Roadmap\n\nTwo phases.\n\n1.1 Weeks 1-4: Networking Basics\n\n"
            "Learn ports.\n\n1.2 Weeks 5-9: Security+ Preparation\n\nPass the exam.\n\n2. Questions\n\nAsk away.\n")
    guide = parse_guide("g.txt", text)
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Networking Basics", 1, 4), ("Security+ Preparation", 5, 9)]


@pytest.mark.parametrize("table", [
    "Weeks | Phase              | Deliverable\n------+--------------------+------------\n"
    "1-4   | Spreadsheet Basics | A pivot table\n5-10  | SQL Fundamentals   | Ten queries\n",
    "| Phase | Length | Deliverable |\n|---|---|---|\n"
    "| Spreadsheet Basics | 4 weeks | A pivot table |\n| SQL Fundamentals | 6 weeks | Ten queries |\n",
])
def test_a_plain_text_table_is_read_as_a_markdown_one_is(table):
    """A plain-text guide's roadmap given only as a pipe table had no roadmap at all."""
    guide = parse_guide("g.txt", f"From Baker to Analyst in 3 Months\n\n1. Overview\n\nBakers measure.\n\n"
                                 f"2. The roadmap\n\nTwo phases.\n\n{table}\n3. Questions\n\nAsk away.\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Spreadsheet Basics", 1, 4), ("SQL Fundamentals", 5, 10)]
    assert guide.roadmap.children[1].body[-1] == "Deliverable: Ten queries"


def test_top_level_sections_placed_in_the_plan_are_its_phases_and_a_table_of_costs_by_week_is_not():
    """Phases written as the guide's own sections ("## Phase 1 (Weeks 1–3): Name"), with no
    roadmap heading above them, are its roadmap; a table of costs with a "When" column, its
    rows starting in the same weeks, had been read as one instead. One dated section ("This
    week (5–11 January)") is no phase."""
    guide = parse_guide("g.md", "# Bartender to SDR\n\n## How the plan works\n\nPhases back to back.\n\n"
                        "## Phase 1 (Weeks 1–3): Basics\n\n- read\n\n## Phase 2 (Weeks 4–7): Calls\n\n- call\n\n"
                        "## What it costs\n\n| Item | Cost | When |\n| --- | --- | --- |\n| Book | $30 | Weeks 1–3 |\n"
                        "| Course | $20 | Weeks 1–2 |\n| Outfit | $90 | Weeks 4–7 |\n\n"
                        "## This week (5–11 January)\n\n- [ ] start\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children if c.kind == "phase"] == [
        ("Basics", 1, 3), ("Calls", 4, 7)]
    assert [s.kind for s in guide.sections] == ["section", "phase", "phase", "section", "section"]
    assert {c.kind for c in guide.sections[3].children} == {"section"} and not guide.notes
    from bot.front.outline import describe_guide

    assert "Roadmap: the top-level sections (2 phases, 7 weeks;" in describe_guide(guide)


def test_a_price_list_with_dot_leaders_is_names_and_prices_and_a_few_timed_items_are_no_plan():
    """"CFE exam fee ....... $450" names a price as "CFE exam fee: $450" does; two of its lines
    naming months ("Coursera, 2 months at $49 ....... $98") had been read as a roadmap's phases.
    An author's initial ("Joseph T. Wells") does not end a name."""
    guide = parse_guide("g.txt", "Officer to Investigator\n\nWhat It Costs\n\n"
                        "Here is everything the plan asks you to buy, at list prices:\n\n"
                        "ACFE membership ....... $295\nCFE exam fee ....... $450\n"
                        "Coursera, 2 months at $49 ....... $98\nFraud Handbook by Joseph T. Wells ....... $70\n"
                        "LinkedIn Premium, 2 months at $40 ....... $80\nTotal ....... $993\n")
    costs = guide.sections[-1]
    assert guide.roadmap is None and {c.kind for c in costs.children} == {"section"}
    assert [(c.title, c.body) for c in costs.children][:3] == [
        ("ACFE membership", ["$295"]), ("CFE exam fee", ["$450"]), ("Coursera, 2 months at $49", ["$98"])]
    assert costs.children[3].title == "Fraud Handbook by Joseph T. Wells"


def test_plain_text_steps_headed_by_a_run_in_line_closed_by_a_full_stop_are_phases():
    """"Step 1 (about 5 weeks) - Statistics and R." over the step's paragraph heads a phase
    named "Statistics and R"; its "about" and its time are not part of the name. The numbered
    capitals above it stay the top level."""
    guide = parse_guide("g.txt", "LAB TECH TO ANALYST IN 9 WEEKS\n\nFor lab techs.\n\n1. WHY MOVE\n\nData.\n\n"
                        "2. THE ROADMAP\n\nThe plan has two steps.\n\n"
                        "Step 1 (about 5 weeks) - Command Line and Python.\nThis step covers weeks 1 to 5. Do it.\n\n"
                        "Step 2 (about 4 weeks) - Statistics and R.\nThis step covers weeks 6 to 9. Read a book.\n\n"
                        "3. COSTS\n\nAbout $50.\n")
    assert [s.title for s in guide.sections] == ["Introduction", "1. WHY MOVE", "2. THE ROADMAP", "3. COSTS"]
    assert [(c.phase, c.span.first_week, c.span.last_week, c.body[0][:18]) for c in guide.roadmap.children] == [
        ("Command Line and Python", 1, 5, "This step covers w"), ("Statistics and R", 6, 9, "This step covers w")]
    assert not guide.notes  # read, so no warning that the roadmap's timing went unread
    # a sentence in a paragraph of prose is no heading, full stop or not
    prose = parse_guide("g.txt", "Title\n\nWhy Move\n\nYou will like it.\nThe pay is good.\n\nMore text here.\n")
    assert [s.title for s in prose.sections] == ["Why Move"]


def test_a_month_counted_as_four_weeks_in_other_words_and_no_odd_rule():
    assert timeline.month_rule("The plan below assumes four weeks to a month, so it runs 24 weeks.") == 4
    assert timeline.month_rule("We count a month as 4 weeks.") == 4
    assert timeline.month_rule("Take two weeks per month of leave if you can.") is None  # not a rule of months


def test_a_lead_in_sentence_over_bulleted_terms_is_no_term_of_its_own():
    guide = parse_guide("g.md", "# T\n\n## What skills do I already have?\n\nMore than you think. These carry over:\n\n"
                        "- Plain language: you turn jargon into words.\n- Listening: you interview people.\n"
                        "- Documentation: you write case notes.\n")
    skills = guide.sections[-1]
    assert skills.body == ["More than you think. These carry over:"]
    assert [c.title for c in skills.children] == ["Plain language", "Listening", "Documentation"]


def test_top_level_calendar_months_joined_by_an_ampersand_are_one_phase():
    guide = parse_guide("g.md", "# Baker to Planner in 5 Months\n\n## March 2027 — Basics\n\nx\n\n"
                        "## April & May 2027 — Credentials\n\ny\n\n## June 2027 — Portfolio\n\nz\n\n## Costs\n\n- $5\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children if c.kind == "phase"] == [
        ("Basics", 1, 4), ("Credentials", 5, 13), ("Portfolio", 14, 17)]


def test_a_folded_html_faq_is_read_as_questions_and_answers():
    guide = parse_guide("g.md", "# T\n\n## FAQ\n\n<details>\n<summary>Do I need a degree?</summary>\n\n"
                        "No, experience counts.\n\n</details>\n\n<details>\n"
                        "<summary>Will I lose my pension?</summary>\n\n"
                        "It depends.\n\n</details>\n")
    assert [(c.kind, c.title, c.body) for c in guide.sections[-1].children] == [
        ("faq", "Do I need a degree?", ["No, experience counts."]), ("faq", "Will I lose my pension?", ["It depends."])]


def test_a_colon_inside_brackets_does_not_make_a_bullet_a_term():
    guide = parse_guide("g.md", "# T\n\n## What it costs\n\n- March (subtotal: $272)\n  - Textbook: $72\n"
                        "  - Membership: $200\n- April (subtotal: $100)\n  - Licence: $100\n- Grand total: $372\n")
    costs = guide.sections[-1]
    assert "March (subtotal: $272)" not in [c.title for c in costs.children]
    assert any("March (subtotal: $272)" in line for line in [*costs.body, *(b for c in costs.children for b in c.body)])


def test_a_numbered_list_of_bold_phases_with_their_weeks_in_brackets_is_the_roadmap():
    guide = parse_guide("g.md", "# Carpenter to Estimator\n\n## 4. The roadmap\n\nFive phases.\n\n"
                        "1. **Blueprint reading** (weeks 1–3, 6–8 hours a week)\n    - Learn the sheets.\n"
                        "2. **Quantity takeoff** (weeks 4–7, 8 hours a week)\n    - Four hand takeoffs.\n\n"
                        "## 5. This week\n\nBuy a scale ruler.\n")
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Blueprint reading", 1, 3), ("Quantity takeoff", 4, 7)]


def test_capitals_headings_are_the_top_level_over_a_numbered_faq_and_a_price_line_heads_nothing():
    """"1) Do I need a degree?" numbers an FAQ's questions, not the guide's sections; "Microphone
    ........ $279" opening its paragraph is a price, and "Book: Make Noise (Eric Nuzum): $17" is
    named up to its price."""
    guide = parse_guide("g.txt", "RADIO HOST TO PODCAST PRODUCER\n\nA plan.\n\nWHY MOVE\n\nRadio shrinks.\n\n"
                        "WHAT IT COSTS\n\nMost of it is gear.\n\nMicrophone (Shure MV7+) ........ $279\n"
                        "Headphones ........ $99\nBook: Make Noise (Eric Nuzum) ........ $22\n"
                        "TOTAL ........ $400\n\nBorrow what you can.\n\n"
                        "QUESTIONS\n\n1) Do I need a degree?\nNo.\n\n2) Must I quit first?\nNo, keep the job.\n")
    assert [s.title for s in guide.sections] == ["Introduction", "WHY MOVE", "WHAT IT COSTS", "QUESTIONS"]
    assert [(c.title, c.body) for c in guide.sections[2].children] == [
        ("Microphone (Shure MV7+)", ["$279"]), ("Headphones", ["$99"]),
        ("Book: Make Noise (Eric Nuzum)", ["$22"]), ("TOTAL", ["$400"])]
    assert [(c.kind, c.title) for c in guide.sections[3].children] == [
        ("faq", "Do I need a degree?"), ("faq", "Must I quit first?")]


def test_a_static_site_page_takes_its_title_from_front_matter_its_sprints_in_short_lengths_and_a_definition_faq():
    guide = parse_guide("g.md", "---\ntitle: \"From Adjuster to Analyst in 7 Weeks\"\nauthor: Dana\n---\n\n"
                        "A plan.\n\n## The roadmap\n\n| Sprint | Length | Goal |\n|---|---|---|\n"
                        "| Ledger | 3 wks | Excel |\n| Query | 28 days | SQL |\n\n## FAQ\n\n"
                        "Do I need a degree?\n: No. A portfolio matters more.\n\n"
                        "Can I keep my job?\n: Yes, at 8 hours a week.\n")
    assert guide.title == "From Adjuster to Analyst in 7 Weeks"
    assert "title" not in guide.sections[0].title and "Dana" not in " ".join(guide.sections[0].body)
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("Ledger", 1, 3), ("Query", 4, 7)]
    assert [(c.kind, c.title, c.body) for c in guide.sections[-1].children] == [
        ("faq", "Do I need a degree?", ["No. A portfolio matters more."]),
        ("faq", "Can I keep my job?", ["Yes, at 8 hours a week."])]


def test_an_org_mode_outline_is_read_by_its_title_line_and_star_headings():
    guide = parse_guide("g.txt", "#+TITLE: From Driver to Dispatcher in 5 Weeks\n\nIntro.\n\n* Why dispatch\n\n"
                        "Home time.\n\n* The plan\n\n** Stage A: The business (~3 weeks)\n\nRide along.\n\n"
                        "** Stage B: The software (about 2 weeks)\n\n- DAT One\n- Truckstop\n\n"
                        "* Questions drivers ask\n\n** Do I need a degree?\n\nNo.\n")
    assert guide.title == "From Driver to Dispatcher in 5 Weeks"
    assert [s.title for s in guide.sections] == ["Introduction", "Why dispatch", "The plan", "Questions drivers ask"]
    assert [(c.phase, c.span.first_week, c.span.last_week) for c in guide.roadmap.children] == [
        ("The business", 1, 3), ("The software", 4, 5)]
    assert [(c.kind, c.title) for c in guide.sections[-1].children] == [("faq", "Do I need a degree?")]


def test_lines_under_a_table_of_phases_that_open_with_a_phases_name_go_to_that_phase():
    guide = parse_guide("g.md", "# Adjuster to Analyst\n\n## The roadmap\n\n| Sprint | Length |\n|---|---|\n"
                        "| Ledger | 3 weeks |\n| Query | 4 weeks |\n\nThey add up to 7 weeks.\n\n"
                        "- **Ledger** (8 hours per week): Excel, and a course by Chris Dutton.\n"
                        "- **Query** (10 hours per week): PostgreSQL.\n- Keep a log of what you learn.\n")
    plan = guide.roadmap
    assert [(c.phase, c.body[-1]) for c in plan.children] == [
        ("Ledger", "Ledger (8 hours per week): Excel, and a course by Chris Dutton."),
        ("Query", "Query (10 hours per week): PostgreSQL.")]
    assert plan.body[-2:] == ["They add up to 7 weeks.", "- Keep a log of what you learn."]
