"""Command line: `python -m bot {ingest,ask,chat,answer,eval}`."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from bot.config import Settings, load_settings
from bot.errors import BotError
from bot.wiring import quiet_libraries, ready_bot

logger = logging.getLogger("bot")


def settings_from(args: argparse.Namespace) -> Settings:
    return load_settings(corpus_dir=args.corpus, index_dir=args.index, k=args.k,
                         answerer=getattr(args, "answerer", None))


def format_answer(result: dict) -> str:
    lines = [result["answer"]]
    if result["citations"]:
        lines.append("\nSources:")
        lines += [f"[{c['n']}] {c['section']} ({c['source']})" for c in result["citations"]]
    return "\n".join(lines)


def cmd_ingest(args) -> int:
    from bot.index.embeddings import make_embedder
    from bot.ingest.indexing import build_index

    settings = settings_from(args)
    print(build_index(settings, make_embedder(settings), progress=not args.quiet))
    return 0


def cmd_outline(args) -> int:
    from bot.front.outline import describe_guide
    from bot.ingest.loader import read_corpus

    guides = read_corpus(settings_from(args).corpus_dir)
    print("\n\n".join(describe_guide(g) for g in guides))
    return 0


def stream_answer(bot, question: str, history: list[dict], prefix: str = "") -> dict:
    """Print the answer as it is written; if checking changed it, print the checked one."""
    print(prefix, end="", flush=True)
    shown, result = "", {}
    for chunk in bot.stream(question, history):
        if "answer" in chunk:
            shown += chunk["answer"]
            print(chunk["answer"], end="", flush=True)
        result.update({k: v for k, v in chunk.items() if k != "answer"})
    final = result.pop("final", shown)
    if final != shown:
        print(f"\n\nChecked against the guide:\n{final}" if shown else final, end="")
    result["answer"] = final
    sources = format_answer({"answer": "", "citations": result.get("citations", [])})
    print(sources if sources.strip() else "")
    return result


def cmd_ask(args) -> int:
    bot = ready_bot(settings_from(args))
    if args.json:
        print(json.dumps(bot.ask(args.question), indent=1))
    else:
        stream_answer(bot, args.question, [])
    return 0


def cmd_chat(args) -> int:
    from bot.errors import QuestionError
    from bot.front.history import QuestionReader, history_path

    bot = ready_bot(settings_from(args))
    history: list[dict] = []
    print(f"Ask about the guide ({bot.describe()}). Empty line or Ctrl-D to quit.")
    with QuestionReader(None if args.no_history else history_path()) as reader:
        while True:
            print()
            try:
                question = reader.read("you> ")
            except (EOFError, KeyboardInterrupt):
                print()
                return 0
            if not question:
                return 0
            try:
                result = stream_answer(bot, question, history, prefix="bot> ")
            except QuestionError as exc:
                print(f"{exc}")
                continue
            history += [{"role": "user", "content": question},
                        {"role": "assistant", "content": result["answer"]}]


def cmd_answer(args) -> int:
    from bot.front.evaluation import answer_all, load_questions

    questions = load_questions(args.jsonl)
    bot = ready_bot(settings_from(args), progress=False)
    for record in answer_all(bot, questions):
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    return 0


def cmd_eval(args) -> int:
    from bot.front import evaluation

    if args.file is None:  # every set, each over its own guide
        from bot.index.embeddings import make_embedder

        settings = settings_from(args)
        rows = evaluation.run_suite(evaluation.load_sets(args.sets), settings, make_embedder(settings), args.half)
        print(json.dumps(dict(rows)) if args.json else evaluation.format_table(rows) + f"\n(half: {args.half})")
        return 0
    questions = [q for q in evaluation.load_questions(args.file)
                 if args.half == "all" or evaluation.half_of(q["id"]) == args.half]
    bot = ready_bot(settings_from(args), progress=False)
    metrics = evaluation.score(questions, list(evaluation.answer_all(bot, questions)))
    print(json.dumps(metrics) if args.json else evaluation.format_metrics(metrics))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m bot",
        description="Ask the career guide questions; every answer cites the guide. Works offline.",
        epilog="Settings also come from BOT_* environment variables (see README).",
    )
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--corpus", type=Path, help="folder of .txt/.md files (BOT_CORPUS_DIR)")
    common.add_argument("--index", type=Path, help="index folder (BOT_INDEX_DIR)")
    common.add_argument("--k", type=int, help="passages retrieved per question (BOT_K)")
    common.add_argument("--answerer", choices=["offline", "openai", "ollama"],
                        help="who writes answers (BOT_ANSWERER; default offline)")
    common.add_argument("-v", "--verbose", action="store_true", help="log what happens")
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("ingest", parents=[common], help="build or update the index from the corpus")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_ingest)

    p = sub.add_parser("outline", parents=[common], help="show what the loader understood of each guide "
                       "(outline, roadmap weeks, FAQ), without building the index")
    p.set_defaults(func=cmd_outline)

    p = sub.add_parser("ask", parents=[common], help="answer one question, with numbered sources")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print answer, citations and passages as JSON")
    p.set_defaults(func=cmd_ask)

    p = sub.add_parser("chat", parents=[common], help="a conversation in the terminal",
                       description="A conversation in the terminal: arrow keys edit the line, Up/Down recall "
                       "earlier questions, the last 1000 of which are kept across runs in "
                       "~/.cache/career-guide-bot/chat_history ($XDG_CACHE_HOME instead of ~/.cache if set).")
    p.add_argument("--no-history", action="store_true",
                   help="neither read nor save the history file (Up still recalls this chat's questions)")
    p.set_defaults(func=cmd_chat)

    p = sub.add_parser("answer", parents=[common], help="answer a JSONL file of questions (batch contract)")
    p.add_argument("--jsonl", type=Path, required=True, help="questions, one JSON object a line")
    p.set_defaults(func=cmd_answer)

    p = sub.add_parser("eval", parents=[common], help="score the bot on a question set, or on every set")
    p.add_argument("file", type=Path, nargs="?",
                   help="questions with expected facts (JSONL), answered from the configured corpus; "
                   "without it, every set in --sets, each over its own guide in a temporary index")
    p.add_argument("--sets", type=Path, default=Path("tests/data/eval-sets.json"),
                   help="the question sets and their guides (default: %(default)s)")
    p.add_argument("--half", choices=["tune", "check", "all"], default="all",
                   help="odd ids (tune), even ids (check) or all (default)")
    p.add_argument("--json", action="store_true", help="print the metrics as JSON")
    p.set_defaults(func=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    quiet_libraries()
    try:
        return args.func(args)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
