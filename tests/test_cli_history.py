"""The terminal chat as a user types into it: line editing, and the questions kept across runs.

Each chat runs in a pseudo-terminal (its controlling terminal, so Ctrl-C is a real interrupt) that
shows its stdout and stderr, with HOME and XDG_CACHE_HOME in the test's folder; every read has a
deadline, so a hang is a failure."""

import codecs
import fcntl
import os
import select
import signal
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest
from conftest import ROOT

pytestmark = pytest.mark.slow

UP, LEFT, BACKSPACE, ENTER, CTRL_C, CTRL_D = "\x1b[A", "\x1b[D", "\x7f", "\r", "\x03", "\x04"
PORTFOLIO = "How long is the Portfolio Development phase?"
INTERVIEW = "What happens in the Interview & Transition phase?"
PORTFOLIO_ANSWER = "Portfolio Development takes 4 weeks"
INTERVIEW_ANSWER = "Interview & Transition (3 weeks)"


def _own_terminal() -> None:
    """In the child, before exec: a new session whose controlling terminal is stdin (the pty), and
    Ctrl-C's signal handled as at a person's terminal, even when the tests run in the background
    (which ignores SIGINT for what they start)."""
    fcntl.ioctl(0, termios.TIOCSCTTY, 0)
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class Terminal:
    """`python -m bot chat` in a pseudo-terminal of 40x200 rows and columns."""

    def __init__(self, tmp: Path, settings, *flags: str, cache: Path | None = None):
        env = {k: v for k, v in os.environ.items() if k not in ("INPUTRC", "COLUMNS", "LINES")}
        env.update(TERM="xterm", HOME=str(tmp / "home"), XDG_CACHE_HOME=str(cache or tmp / "cache"))
        (tmp / "home").mkdir(exist_ok=True)
        self.master, slave = os.openpty()
        termios.tcsetwinsize(slave, (40, 200))
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "bot", "chat", "--corpus", str(settings.corpus_dir),
             "--index", str(settings.index_dir), *flags],
            stdin=slave, stdout=slave, stderr=slave, cwd=ROOT, env=env,
            start_new_session=True, preexec_fn=_own_terminal)
        os.close(slave)
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.output = ""  # everything the terminal showed so far
        self.seen = 0  # how much of it expect() has consumed
        self.prompted = False  # whether the prompt was consumed with the last reply

    def expect(self, text: str, timeout: float = 120) -> str:
        """What the terminal shows until `text` (which is consumed too); fails after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while (at := self.output.find(text, self.seen)) < 0:
            left = deadline - time.monotonic()
            assert left > 0, f"no {text!r} within {timeout}s; the terminal shows:\n{self.output[self.seen:]}"
            if not self._read(left):
                pytest.fail(f"the chat ended before {text!r}; it showed:\n{self.output[self.seen:]}")
        shown, self.seen = self.output[self.seen:at], at + len(text)
        return shown

    def _read(self, timeout: float) -> bool:
        """Add what the terminal shows within `timeout` seconds to output; False at its end."""
        ready, _, _ = select.select([self.master], [], [], timeout)
        if not ready:
            return True
        try:
            data = os.read(self.master, 65536)
        except OSError:  # EIO: the chat has closed the terminal
            return False
        self.output += self.decoder.decode(data)
        return bool(data)

    def type(self, keys: str) -> None:
        os.write(self.master, keys.encode())

    def prompt(self) -> None:
        """Wait for the chat's prompt, unless the last reply already ended with it."""
        if not self.prompted:
            self.expect("you> ")
        self.prompted = False

    def ask(self, keys: str) -> str:
        """Type `keys` at the prompt, and return the bot's reply."""
        self.prompt()
        self.type(keys)
        self.expect("bot> ", timeout=60)
        reply = self.expect("\nyou> ", timeout=60)
        self.prompted = True
        return reply

    def close(self, keys: str, timeout: float = 30) -> int:
        """Type `keys` at the prompt and return the exit code, after reading out the terminal."""
        self.prompt()
        if keys == CTRL_C:  # as a person would: input() can miss a Ctrl-C typed the very instant its
            time.sleep(0.3)  # prompt shows, until the next key (python/cpython#112585)
        self.type(keys)
        deadline = time.monotonic() + timeout
        while self._read(max(0.0, deadline - time.monotonic())):
            assert time.monotonic() < deadline, f"the chat did not end:\n{self.output}"
        return self.proc.wait(timeout=max(1.0, deadline - time.monotonic()))

    def opening(self) -> list[str]:
        """The lines shown before the first prompt (the greeting, and any warning)."""
        return [line.strip() for line in self.output.split("you> ", 1)[0].splitlines() if line.strip()]

    def shows_only_the_greeting(self) -> bool:
        return len(self.opening()) == 1 and self.opening()[0].startswith("Ask about the guide") \
            and "warning" not in self.output and "Traceback" not in self.output

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        os.close(self.master)


@pytest.fixture
def terminals():
    """Start chats in terminals; at the end, whatever a failed test left running is killed."""
    started: list[Terminal] = []

    def start(*args, **kwargs) -> Terminal:
        started.append(Terminal(*args, **kwargs))
        return started[-1]

    yield start
    for terminal in started:
        terminal.kill()


@pytest.mark.parametrize("quit_key", [CTRL_D, CTRL_C], ids=["ctrl-d", "ctrl-c"])
def test_up_arrow_asks_again_the_questions_of_the_last_chat(guide_settings, tmp_path, terminals, quit_key):
    first = terminals(tmp_path, guide_settings)
    assert PORTFOLIO_ANSWER in first.ask(PORTFOLIO + ENTER)
    assert INTERVIEW_ANSWER in first.ask(INTERVIEW + ENTER)
    assert INTERVIEW_ANSWER in first.ask(INTERVIEW + ENTER)  # a repeat: kept once
    assert first.close(quit_key) == 0
    assert first.shows_only_the_greeting()

    second = terminals(tmp_path, guide_settings)
    assert INTERVIEW_ANSWER in second.ask(UP + ENTER)
    assert PORTFOLIO_ANSWER in second.ask(UP + UP + ENTER)  # the repeat was not kept, nor recalled ones
    assert second.close(CTRL_D) == 0
    assert "^[[A" not in second.output and second.shows_only_the_greeting()
    assert (tmp_path / "cache" / "career-guide-bot" / "chat_history").is_file()


def test_arrow_keys_edit_the_question_before_it_is_sent(guide_settings, tmp_path, terminals):
    chat = terminals(tmp_path, guide_settings)
    # "How long is the Foundation Building phase?": back before "phase?", rub out "Foundation Building "
    # and type "Portfolio Development " there
    reply = chat.ask("How long is the Foundation Building phase?" + LEFT * 6 + BACKSPACE * 20
                     + "Portfolio Development " + ENTER)
    assert reply.lstrip().startswith(PORTFOLIO_ANSWER) and "Foundation Building" not in reply
    assert chat.close(CTRL_D) == 0
    assert "^[[D" not in chat.output and chat.shows_only_the_greeting()


@pytest.mark.parametrize("blocker", ["cache folder is a file", "history file is a folder"])
def test_an_unusable_history_file_is_one_warning_and_the_chat_still_works(guide_settings, tmp_path, terminals,
                                                                          blocker):
    cache = tmp_path / "cache"
    if blocker == "cache folder is a file":
        cache.write_text("not a folder")
        where = cache / "career-guide-bot" / "chat_history"
    else:
        where = cache / "career-guide-bot" / "chat_history"
        where.mkdir(parents=True)
    chat = terminals(tmp_path, guide_settings, cache=cache)
    assert PORTFOLIO_ANSWER in chat.ask(PORTFOLIO + ENTER)
    assert PORTFOLIO_ANSWER in chat.ask(UP + ENTER)  # this chat's questions are still recalled
    assert chat.close(CTRL_D) == 0
    opening = chat.opening()
    assert len(opening) == 2, opening  # the greeting and one warning line, nothing else
    warning = opening[1]
    assert warning.startswith("warning: cannot keep the chat history in ") and chat.output.count("warning") == 1
    assert str(where) in warning and "--no-history" in warning and "Traceback" not in chat.output
    assert cache.is_file() if blocker == "cache folder is a file" else not any(where.iterdir())


def test_no_history_neither_reads_nor_writes_the_history_file(guide_settings, tmp_path, terminals):
    saved = tmp_path / "cache" / "career-guide-bot" / "chat_history"
    saved.parent.mkdir(parents=True)
    saved.write_text(INTERVIEW + "\n")
    chat = terminals(tmp_path, guide_settings, "--no-history")
    assert PORTFOLIO_ANSWER in chat.ask(PORTFOLIO + ENTER)
    assert PORTFOLIO_ANSWER in chat.ask(UP + ENTER)  # only this chat's questions
    assert PORTFOLIO_ANSWER in chat.ask(UP + UP + ENTER)  # nothing older than the first
    assert chat.close(CTRL_D) == 0
    assert saved.read_text() == INTERVIEW + "\n" and chat.shows_only_the_greeting()
