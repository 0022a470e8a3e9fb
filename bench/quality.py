"""Answer quality on every question set, for this bot and the naive LangChain tutorial
pipeline side by side, for each half: writes docs/QUALITY.md.

    .venv/bin/python bench/quality.py                 # about two minutes on 2 cores
    .venv/bin/python bench/quality.py --out -         # the tables on stdout only

The sets and their guides are listed in tests/data/eval-sets.json; each guide gets its own
temporary index. Odd question ids are the half the code was tuned on; even ids were only read.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT))

import naive  # noqa: E402

from bot.config import Settings  # noqa: E402
from bot.front.evaluation import format_table, load_sets, lone_guide, questions_of, run_suite, score  # noqa: E402
from bot.index.embeddings import make_embedder  # noqa: E402
from bot.wiring import quiet_libraries  # noqa: E402

SETS = ROOT / "tests" / "data" / "eval-sets.json"


def naive_suite(sets, half: str, embeddings) -> list[tuple[str, dict]]:
    rows = []
    for name, guide, questions_file in sets:
        questions = questions_of(questions_file, half)
        with lone_guide(guide) as tmp:
            naive.ingest(tmp / "corpus", tmp / "index", embeddings)
            store = naive.open_store(tmp / "index", embeddings)
            answers = [{"id": q["id"], **naive.answer(store, q["question"])} for q in questions]
        rows.append((name, score(questions, answers)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default=str(ROOT / "docs" / "QUALITY.md"), help="report file, or - for stdout")
    args = parser.parse_args(argv)
    quiet_libraries()
    sets = load_sets(SETS)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(index_dir=Path(tmp))
        embedder = make_embedder(settings)
        parts = ["# Answer quality", "",
                 "Reproduce: `.venv/bin/python bench/quality.py` (or `python -m bot eval --half tune|check` for this "
                 "bot alone). Sets and guides: `tests/data/eval-sets.json`; the first four are the shared sets, the "
                 "next two were written for this project's tests, the next thirty-six (accountant-to-data-engineer "
                 "to claims-adjuster-to-data-analyst) were written blind, by someone who saw neither the code nor its "
                 "answers (all have since been tuned on), the next three (-followups) are follow-up and casual "
                 "questions written blind over three guides above, the next three (-followups) are follow-ups "
                 "over three more, whose histories hold this bot's real first answers, the next three (-followups) "
                 "are follow-ups written blind from the guide text alone, the six -probe-followups hold this bot's "
                 "answers judged by hand, and the last six (-followups) are follow-ups written blind over six new "
                 "guides. Odd question "
                 "ids are the tuning half, even ids the check half; a gap between them is fitting. Categories score "
                 "answer accuracy, and refusal accuracy for `unanswerable`.", ""]
        for half in ("tune", "check"):
            ours = format_table(run_suite(sets, settings, embedder, half))
            theirs = format_table(naive_suite(sets, half, naive.embedder()))
            parts += [f"## {half.capitalize()} half: this bot", "", ours, "",
                      f"## {half.capitalize()} half: naive pipeline (top chunk of a top-4 similarity search)", "",
                      theirs, ""]
    report = "\n".join(parts)
    if args.out == "-":
        print(report)
    else:
        Path(args.out).write_text(report)
        print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
