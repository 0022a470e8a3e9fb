"""Start the chat app (building the index first if there is none): `python app.py --help`."""

from __future__ import annotations

import argparse
import sys

from bot.cli import quiet_libraries, ready_bot
from bot.config import load_settings
from bot.errors import BotError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chat with the career guide in your browser.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=7860, help="port (default: 7860)")
    parser.add_argument("--corpus", help="folder of .txt/.md files (BOT_CORPUS_DIR)")
    parser.add_argument("--index", help="index folder (BOT_INDEX_DIR)")
    args = parser.parse_args(argv)
    quiet_libraries()
    settings = load_settings(corpus_dir=args.corpus, index_dir=args.index)
    try:
        bot = ready_bot(settings)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from bot.ui import build_app

    demo = build_app(bot, settings.max_question_chars)
    print(f"Open http://{args.host}:{args.port} in your browser (Ctrl-C stops the app).")
    try:
        demo.launch(server_name=args.host, server_port=args.port, share=False,
                    enable_monitoring=False, quiet=True, footer_links=[])
    except KeyboardInterrupt:
        pass
    finally:
        demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
