"""Line editing and a saved question history for the terminal chat, with the standard library's readline."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from types import ModuleType

HISTORY_LENGTH = 1000  # questions kept in the history file


def history_path() -> Path | None:
    """$XDG_CACHE_HOME/career-guide-bot/chat_history (~/.cache when unset); None without a home folder."""
    cache = os.environ.get("XDG_CACHE_HOME", "")
    try:
        base = Path(cache) if os.path.isabs(cache) else Path.home() / ".cache"  # relative: ignored, as XDG says
    except RuntimeError:
        return None
    return base / "career-guide-bot" / "chat_history"


def _terminal_readline() -> ModuleType | None:
    """readline when the chat runs in a terminal (input() only edits lines there) and the module exists."""
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    try:
        import readline
    except ImportError:
        return None
    return readline


class QuestionReader:
    """Reads the chat's questions. In a terminal: arrow keys edit the line, Up/Down walk earlier
    questions, and the questions are kept in `path` across runs (None: this session only). Otherwise,
    plain input(). A history file that cannot be read or written is one warning, never an error."""

    def __init__(self, path: Path | None):
        self._readline = _terminal_readline()
        self._path = path if self._readline else None
        self._loaded = 0

    def __enter__(self) -> QuestionReader:
        if self._readline:
            self._readline.set_auto_history(False)  # we add the stripped, non-empty, non-repeated ones
            self._readline.set_history_length(HISTORY_LENGTH)
        if self._path:
            self._load()
        return self

    def __exit__(self, *exc_info) -> None:
        if self._path:
            self._save()

    def read(self, prompt: str) -> str:
        """The next question, stripped ("" for an empty line); EOFError/KeyboardInterrupt on Ctrl-D/Ctrl-C."""
        question = input(prompt).strip()
        if self._readline and question:
            count = self._readline.get_current_history_length()
            if not count or self._readline.get_history_item(count) != question:
                self._readline.add_history(question)
        return question

    def _load(self) -> None:
        try:
            self._readline.read_history_file(str(self._path))
        except FileNotFoundError:
            pass
        except OSError as exc:  # e.g. a folder in its place: leave it alone
            self._give_up(exc)
            return
        self._loaded = self._readline.get_current_history_length()
        try:  # create it now, private, so that saving can append to it and a problem shows at once
            self._path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            os.close(os.open(self._path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600))
        except OSError as exc:
            self._give_up(exc)

    def _save(self) -> None:
        added = self._readline.get_current_history_length() - self._loaded
        if added <= 0:
            return
        try:
            if _appends_safely(self._readline):  # keeps what other chats saved meanwhile; trims to the cap
                self._readline.append_history_file(added, str(self._path))
            else:
                self._readline.write_history_file(str(self._path))
        except OSError as exc:
            self._give_up(exc)

    def _give_up(self, exc: OSError) -> None:
        reason = exc.strerror or type(exc).__name__
        print(f"warning: cannot keep the chat history in {self._path} ({reason}); "
              "--no-history skips it", file=sys.stderr)
        self._path = None


def _appends_safely(readline: ModuleType) -> bool:
    """GNU readline appends and trims the file; libedit (macOS) mangles appended files."""
    backend = getattr(readline, "backend", "")  # Python 3.13+
    return hasattr(readline, "append_history_file") and backend != "editline" \
        and "libedit" not in (readline.__doc__ or "")
