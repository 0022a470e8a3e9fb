"""Offline by default: nothing reaches the network, at ingest or while answering."""

import shutil
import socket
import subprocess
import sys

import pytest
from conftest import GUIDE, ROOT

pytestmark = pytest.mark.slow


def test_the_suite_itself_runs_with_non_loopback_sockets_refused():
    """Every in-process test (model loading, Chroma, answering) ran under this guard."""
    from pytest_socket import SocketConnectBlockedError

    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 80), timeout=1)  # TEST-NET-1: never routed


@pytest.mark.skipif(shutil.which("unshare") is None, reason="needs util-linux unshare")
def test_ingest_and_a_conversation_work_with_the_network_cut(tmp_path):
    probe = subprocess.run(["unshare", "-rn", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot create a network namespace here: {probe.stderr.decode().strip()}")
    flags = ["--corpus", str(GUIDE), "--index", str(tmp_path / "index")]
    base = ["unshare", "-rn", sys.executable, "-m", "bot"]
    ingest = subprocess.run([*base, "ingest", "--quiet", *flags], capture_output=True, text=True,
                            timeout=300, cwd=ROOT)
    assert ingest.returncode == 0, ingest.stderr
    assert "index updated" in ingest.stdout
    chat = subprocess.run([*base, "chat", *flags],
                          input="Will I take a pay cut?\nand how long until I'm job-ready?\n\n",
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert chat.returncode == 0, chat.stderr
    assert "Not necessarily" in chat.stdout and "20 weeks" in chat.stdout
