import logging
import os
import shutil
from pathlib import Path

import pytest

from bot.config import Settings

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data"
GUIDE = ROOT / "corpus"


@pytest.fixture(scope="session", autouse=True)
def offline_environment():
    """What the CLI sets in main(): no telemetry, no hub."""
    from bot.wiring import quiet_libraries

    saved = dict(os.environ)
    quiet_libraries()
    yield
    os.environ.clear()
    os.environ.update(saved)


def settings_for(corpus: Path, index: Path, **overrides) -> Settings:
    """Settings of one test: its own corpus and index folders, nothing from the environment."""
    return Settings(corpus_dir=corpus, index_dir=index, **overrides)


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def copy_corpus(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    return dst


@pytest.fixture(scope="session")
def embedder(tmp_path_factory):
    """The real, packaged all-MiniLM-L6-v2 (loaded once per test session; its ONNX export
    goes to a temporary folder)."""
    from bot.index.embeddings import make_embedder

    return make_embedder(Settings(index_dir=tmp_path_factory.mktemp("models")))


@pytest.fixture(scope="session")
def guide_settings(tmp_path_factory, embedder) -> Settings:
    """An index of the guide in corpus/, built once per session."""
    from bot.ingest.indexing import build_index

    tmp = tmp_path_factory.mktemp("guide")
    settings = settings_for(GUIDE, tmp / "index")
    build_index(settings, embedder, progress=False)
    return settings


@pytest.fixture(scope="session")
def bot(guide_settings, embedder):
    from bot.wiring import build_bot

    return build_bot(guide_settings, embedder)


@pytest.fixture(scope="session")
def chroma_url(tmp_path_factory):
    """A Chroma server (`chroma run`) on 127.0.0.1, started for the tests that need one."""
    import subprocess
    import sys
    import time

    from bot.errors import BotError
    from bot.index.generations import generations

    port = free_port()
    chroma = Path(sys.executable).parent / "chroma"
    server = subprocess.Popen([str(chroma), "run", "--path", str(tmp_path_factory.mktemp("chroma")),
                               "--host", "127.0.0.1", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            generations(Settings(chroma_url=url, index_dir=tmp_path_factory.mktemp("probe")))
            break
        except BotError:
            assert server.poll() is None and time.monotonic() < deadline, "chroma run did not start"
            time.sleep(0.5)
    yield url
    server.terminate()
    server.wait(timeout=30)


# --- a real browser: Debian's chromium, headless, driven by Playwright ---------------

SERVER_LOG: list[logging.LogRecord] = []  # what the apps under browser tests logged, warnings and up


class _Records(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        SERVER_LOG.append(record)


@pytest.fixture(scope="module")
def server_log():
    """Collect the warnings and errors logged while a module's app serves (they all land in
    SERVER_LOG, which the last browser test checks is empty)."""
    handler = _Records(logging.WARNING)
    loggers = [logging.getLogger(name) for name in ("", "uvicorn")]  # uvicorn's own do not reach the root
    for logger in loggers:
        logger.addHandler(handler)
    yield SERVER_LOG
    for logger in loggers:
        logger.removeHandler(handler)

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail("chromium is missing: `make test` installs it (apt-get install chromium)")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()
