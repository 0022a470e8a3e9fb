"""Answer quality on every question set copied into the repo, each over its own guide: floors
the bot must not fall below (a regression guard set a little under what it scores), and the
dev set's promised thresholds. The product's targets (0.90 answers and refusals, no category
under 0.80) are not met on every set yet: docs/QUALITY.md has the numbers."""

import pytest
from conftest import DATA

from bot.front.evaluation import answer_all, load_questions, load_sets, run_suite, score

pytestmark = pytest.mark.slow

# set: (answer accuracy, refusal accuracy, grounded correct), each about 0.05 under the score
# measured when this was written (python -m bot eval).
FLOORS = {
    "dev": (0.95, 1.0, 0.95),
    "career": (0.87, 0.80, 0.87),
    "web-to-devops": (0.83, 0.9, 0.80),
    "teacher-to-id": (0.92, 0.9, 0.83),
    "nurse-to-health-data": (0.95, 0.9, 0.95),
    "chef-to-food-safety": (0.81, 0.9, 0.80),
    "accountant-to-data-engineer": (0.86, 0.9, 0.82),
    "pharmacist-to-regulatory-affairs": (0.90, 0.9, 0.85),
    "retail-manager-to-ux-researcher": (0.87, 0.9, 0.83),
    "sales-engineer-to-solutions-architect": (0.88, 0.75, 0.87),
    "journalist-to-content-strategist": (0.95, 0.9, 0.93),
    "mechanical-engineer-to-robotics-software": (0.91, 0.9, 0.90),
    "paralegal-to-compliance-analyst": (0.86, 0.9, 0.85),
    "dental-hygienist-to-clinical-trials": (0.89, 0.9, 0.79),
    "sommelier-to-wine-buyer": (0.77, 0.9, 0.74),
    "bank-teller-to-cybersecurity-analyst": (0.81, 0.9, 0.75),
    "warehouse-supervisor-to-supply-chain-analyst": (0.81, 0.9, 0.77),
    "physiotherapist-to-health-tech-product-manager": (0.87, 0.6, 0.86),
    "pharmacy-technician-to-medical-coder": (0.69, 0.9, 0.65),
    "air-traffic-controller-to-sre": (0.90, 0.9, 0.80),
    "graphic-designer-to-front-end-developer": (0.85, 0.9, 0.75),
    "flight-attendant-to-csm": (0.85, 0.9, 0.77),
    "military-logistics-to-operations-manager": (0.91, 0.9, 0.87),
    "librarian-to-data-steward": (0.88, 0.9, 0.84),
    "electrician-to-solar-technician": (0.88, 0.9, 0.73),
    "real-estate-to-pmm": (0.91, 0.9, 0.77),
    "bartender-to-sdr": (0.79, 0.9, 0.70),
    "hr-to-people-analytics": (0.85, 0.9, 0.80),
    "musician-to-audio-engineer": (0.90, 0.9, 0.80),
    "pilot-to-drone-ops": (0.79, 0.9, 0.70),
    "teacher-to-edtech-sales": (0.76, 0.9, 0.73),
    "civil-engineer-to-gis-analyst": (0.85, 0.9, 0.66),
    "police-officer-to-fraud-investigator": (0.82, 0.9, 0.70),
    "translator-to-localization-pm": (0.85, 0.9, 0.77),
    "social-worker-to-ux-writer": (0.85, 0.9, 0.80),
    "lab-tech-to-bioinformatics": (0.90, 0.9, 0.84),
    "firefighter-to-emergency-planner": (0.95, 0.9, 0.80),
    "support-to-qa-tester": (0.85, 0.9, 0.70),
    "carpenter-to-estimator": (0.90, 0.9, 0.80),
    "radio-host-to-podcast-producer": (0.85, 0.9, 0.74),
    "truck-driver-to-dispatcher": (0.95, 0.9, 0.95),
    "claims-adjuster-to-data-analyst": (0.85, 0.9, 0.74),
    # follow-up and casual questions only, written blind over three guides above
    "nurse-to-health-data-followups": (0.95, 0.9, 0.95),
    "sales-engineer-to-solutions-architect-followups": (0.60, 0.9, 0.60),
    "teacher-to-id-followups": (0.85, 0.9, 0.85),
    # follow-ups only, written over three guides above by a helper who saw the bot's first answers
    # (the histories hold them) but neither the code nor its answers to the follow-ups
    "musician-to-audio-engineer-followups": (0.93, 0.9, 0.52),
    "hr-to-people-analytics-followups": (0.74, 0.9, 0.74),
    "truck-driver-to-dispatcher-followups": (0.59, 0.9, 0.45),
    # follow-ups only, written from the guide text alone over three more guides (a table of named sprints,
    # calendar-month headings, prose steps), each with a few the guide cannot answer
    "claims-adjuster-to-data-analyst-followups": (0.66, 0.6, 0.57),
    "firefighter-to-emergency-planner-followups": (0.66, 0.6, 0.61),
    "lab-tech-to-bioinformatics-followups": (0.80, 0.9, 0.80),
    # follow-ups whose histories hold the bot's own earlier answers, judged by a helper against the
    # guide and turned into patterns (last session's follow-up work looked at the wrong ones)
    "seed-probe-followups": (0.90, 0.0, 0.90),
    "mechanical-engineer-to-robotics-software-probe-followups": (0.85, 0.9, 0.85),
    "paralegal-to-compliance-analyst-probe-followups": (0.85, 0.9, 0.85),
    "civil-engineer-to-gis-analyst-probe-followups": (0.76, 0.9, 0.76),
    "teacher-to-id-probe-followups": (0.75, 0.9, 0.75),
    "sommelier-to-wine-buyer-probe-followups": (0.75, 0.9, 0.75),
    # follow-ups only, written blind from the guide text alone over four new guides (a summary table
    # of week ranges told again as a subsection per phase; plain text dated by month; a bulleted list of
    # bold week ranges; prose stages in plain text), each with four the guide cannot answer
    "vet-tech-to-animal-health-data-followups": (0.85, 0.7, 0.85),
    "court-reporter-to-captioning-qa-followups": (0.75, 0.95, 0.75),
    "barista-to-customer-success-followups": (0.85, 0.7, 0.75),
    "surveyor-to-drone-mapping-followups": (0.55, 0.45, 0.45),
    "hygienist-to-research-coordinator-followups": (0.60, 0.7, 0.55),
    # a sixth, in plain text with "Weeks 1-3: ..." heading lines and a course list of "Name: ..." lines
    "lineworker-to-grid-analyst-followups": (0.75, 0.7, 0.70),
}


def test_dev_set_meets_the_quality_thresholds(bot):
    questions = load_questions(DATA / "dev.jsonl")
    metrics = score(questions, list(answer_all(bot, questions)))
    assert metrics["answer_accuracy"] >= 0.90, metrics
    assert metrics["refusal_accuracy"] == 1.0, metrics
    assert metrics["grounded_correct"] >= 0.90, metrics
    assert metrics["hit@3"] >= 0.95, metrics
    assert metrics["hit@1"] >= 0.85, metrics
    assert metrics["median_answer_chars"] <= 450, metrics


def test_every_set_stays_above_its_floor_and_answers_stay_short(guide_settings, embedder):
    rows = dict(run_suite(load_sets(DATA / "eval-sets.json"), guide_settings, embedder))
    assert set(rows) == set(FLOORS)
    for name, (answers, refusals, grounded) in FLOORS.items():
        m = rows[name]
        assert m["answer_accuracy"] >= answers, (name, m)
        assert (m["refusal_accuracy"] or 0.0) >= refusals or m["refusal_accuracy"] is None, (name, m)
        assert m["grounded_correct"] >= grounded, (name, m)
        assert m["median_answer_chars"] <= 350, (name, m)
