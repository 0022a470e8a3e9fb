"""Start the chat app (building the index first if there is none): `python app.py --help`."""

from __future__ import annotations

import argparse
import signal
import sys

from bot.config import load_settings
from bot.errors import BotError
from bot.wiring import quiet_libraries, ready_bot


def _stop(signum, frame):
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chat with the career guide in your browser.")
    parser.add_argument("--host", help="address to listen on (BOT_HOST; default 127.0.0.1, loopback only)")
    parser.add_argument("--port", type=int, help="port (BOT_PORT; default 7860)")
    parser.add_argument("--corpus", help="folder of .txt/.md files (BOT_CORPUS_DIR)")
    parser.add_argument("--index", help="index folder (BOT_INDEX_DIR)")
    args = parser.parse_args(argv)
    quiet_libraries()
    try:
        settings = load_settings(corpus_dir=args.corpus, index_dir=args.index, host=args.host, port=args.port)
        bot = ready_bot(settings)
    except BotError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    from bot.front.chats import secret_for
    from bot.front.feedback import FeedbackLog
    from bot.front.guard import launch_options
    from bot.front.look import look_options
    from bot.front.ui import build_app

    demo = build_app(bot, settings.max_question_chars, FeedbackLog(settings.feedback_file),
                     concurrency=settings.concurrency, queue_size=settings.queue_size,
                     secret=secret_for(settings.index_dir))
    print(f"Open http://{settings.host}:{settings.port} in your browser (Ctrl-C stops the app).", flush=True)
    # Ctrl-C stops the app even when started from a shell that set SIGINT to ignored (background
    # jobs of scripts inherit that), and a service manager's SIGTERM does the same.
    signal.signal(signal.SIGINT, _stop)
    signal.signal(signal.SIGTERM, _stop)
    try:
        demo.launch(server_name=settings.host, server_port=settings.port, **launch_options(), **look_options())
    except KeyboardInterrupt:
        pass
    except OSError as exc:  # the port is taken, or the address is not this machine's
        print(f"error: cannot listen on {settings.host}:{settings.port} ({exc}). Choose another port with "
              "--port or BOT_PORT, or stop what uses it.", file=sys.stderr)
        return 2
    finally:
        demo.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
