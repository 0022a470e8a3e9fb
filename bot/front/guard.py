"""What stands between the network and the app: every request passes the Guard before Gradio
sees it, and the app is launched with the limits below (see docs/RELIABILITY.md, threat model).

- a request body is at most MAX_BODY_BYTES (a conversation of a hundred long turns fits);
- a state-changing request from another origin (a web page the user has open) is refused;
- the app takes no uploads, so the upload route answers 404;
- an error escaping a route becomes a short 400 and one log line, never a traceback.
"""

from __future__ import annotations

import asyncio
import json
import logging
from contextlib import asynccontextmanager
from urllib.parse import urlsplit

from starlette.middleware import Middleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger(__name__)

MAX_BODY_BYTES = 256 * 1024
NO_UPLOADS = ("/gradio_api/upload", "/upload")
JOIN = "/queue/join"
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
SESSIONS = 1000  # per-session state kept for at most this many sessions (Gradio keeps 10,000)
CACHE_SWEEP = (600, 600)  # every 10 min, Gradio's temporary files older than 10 min are deleted
ANALYTICS_EVENTS = 1000  # Gradio keeps this many events' timings (10,000 by default) for a dashboard we turn off
SWEEP_SECONDS = 30


def same_origin(origin: str, host: str) -> bool:
    """Whether a request's Origin header names the host it was sent to."""
    return bool(host) and urlsplit(origin).netloc.lower() == host.lower()


class Guard:
    """ASGI middleware: size cap, same-origin writes, no uploads, and no tracebacks."""

    def __init__(self, app: ASGIApp, max_body: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        path, method = scope.get("path", ""), scope.get("method", "GET")
        if path.rstrip("/").endswith(NO_UPLOADS):
            await refuse(send, 404, "This app takes no uploads.")
            return
        origin = headers.get("origin")
        if method not in SAFE_METHODS and origin is not None and not same_origin(origin, headers.get("host", "")):
            await refuse(send, 403, "Requests from other web sites are refused.")
            return
        declared = headers.get("content-length", "0")
        if not declared.isdigit() or int(declared) > self.max_body:
            await refuse(send, 413, f"The request is over the limit of {self.max_body} bytes.")
            return
        if method not in SAFE_METHODS:  # read whole (it is small), checked, then replayed
            body = await read_body(receive, self.max_body)
            if body is None:
                await refuse(send, 413, f"The request is over the limit of {self.max_body} bytes.")
                return
            if path.rstrip("/").endswith(JOIN) and not names_a_session(body):
                await refuse(send, 400, "A queue join needs a JSON body with a session_hash.")
                return
            receive = replay(body, receive)
        await self._call(scope, receive, send, f"{method} {path}")

    async def _call(self, scope: Scope, receive: Receive, send: Send, what: str) -> None:
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception as exc:  # a malformed request that reached a route: one line, no traceback
            logger.warning("refused %s: %s: %s", what, type(exc).__name__, str(exc)[:200])
            if started:  # close the stream the route began
                await send({"type": "http.response.body", "body": b"", "more_body": False})
            else:
                await refuse(send, 400, "The request could not be understood.")


async def read_body(receive: Receive, limit: int) -> bytes | None:
    """The request's body, or None once it passes limit bytes (the rest is never read)."""
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
        if len(body) > limit:
            return None
    return body


def replay(body: bytes, receive: Receive) -> Receive:
    """A receive that gives the body already read, then whatever comes next (a disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed


def names_a_session(body: bytes) -> bool:
    try:
        session = json.loads(body).get("session_hash")
    except (ValueError, AttributeError):
        return False
    return isinstance(session, str) and bool(session.strip())


async def refuse(send: Send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def forget_finished_sessions(queue) -> int:
    """Drop the sessions Gradio's queue keeps an empty set of pending events for: it never
    removes them, one per session ever seen. Returns how many were dropped."""
    idle = [s for s, ids in queue.pending_event_ids_session.items() if not ids]
    for session in idle:
        queue.pending_event_ids_session.pop(session, None)
    queue.event_analytics = dict(list(queue.event_analytics.items())[-ANALYTICS_EVENTS:])
    return len(idle)


@asynccontextmanager
async def bounded_sessions(app):
    """Lifespan of the app: every SWEEP_SECONDS, in the server's own event loop (so never in the
    middle of the queue's work), forget the finished sessions."""

    async def sweep() -> None:
        while True:
            await asyncio.sleep(SWEEP_SECONDS)
            queue = getattr(app.get_blocks(), "_queue", None)
            if queue is not None:
                forget_finished_sessions(queue)

    task = asyncio.create_task(sweep())
    try:
        yield
    finally:
        task.cancel()


def launch_options() -> dict:
    """The keyword arguments of Blocks.launch that every serving path uses."""
    return {
        "app_kwargs": {"middleware": [Middleware(Guard)], "lifespan": bounded_sessions},
        "max_file_size": "1 kb",
        "state_session_capacity": SESSIONS,
        "enable_monitoring": False,
        "show_error": False,
        "share": False,
        "quiet": True,
        "footer_links": [],
    }
