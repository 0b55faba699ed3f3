"""`GET /healthz` for a process supervisor or an uptime monitor: 200 `ok` when the event loop
answers, a fresh database connection runs a query within `HEALTH_DATABASE_TIMEOUT_SECONDS`
and the scheduler has a next run; otherwise 503 with one fixed word — `loop`, `database` or
`scheduler` — never an exception's text.

It is served from a thread, not from the event loop, so that a stalled loop is reported
rather than leaving the probe hanging: a ticker on the loop stamps the time, and the thread
calls the loop stalled when the stamp is older than `HEALTH_LOOP_STALE_SECONDS`. The thread
owns the listening socket; in HTTP mode (on `PORT`) every connection that is not a health
probe is handed to the bot's aiohttp server on the loop, so Slack's requests arrive as
before. In Socket Mode it listens on `HEALTH_PORT`.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import socket
import threading
import time
from typing import Any

from bot.core import BotCore
from sync.db import fresh_connection_answers

log = logging.getLogger(__name__)

PROBE = b"GET /healthz"
HEAD_LIMIT = 8192  # a probe's request head; anything longer is not a probe


class LoopTicker:
    """Stamps the time on the event loop, a few times per stale period."""

    def __init__(self, stale_seconds: float) -> None:
        self.stale_seconds = stale_seconds
        self.last = time.monotonic()

    async def run(self) -> None:
        while True:
            self.last = time.monotonic()
            await asyncio.sleep(self.stale_seconds / 4)

    def stalled(self) -> bool:
        return time.monotonic() - self.last > self.stale_seconds


def database_answers(url: str, timeout: float) -> bool:
    """A fresh connection answers within `timeout`, run on this thread's own loop (the
    bot's loop may be the very thing that is stuck)."""
    try:
        asyncio.run(fresh_connection_answers(url, timeout))
    except Exception as error:  # any failure is the answer; the word says which part
        log.warning("health check: the database did not answer (%s)", type(error).__name__)
        return False
    return True


def scheduler_ok(core: BotCore) -> bool:
    """The scheduler runs and some job (the daily sync) has a next run."""
    scheduler = core.scheduler
    if not scheduler.running:
        return False
    return any(job.next_run_time is not None for job in scheduler.get_jobs())


def health(core: BotCore, ticker: LoopTicker) -> tuple[int, str]:
    """(HTTP status, body) of one probe, the cheapest check first."""
    if ticker.stalled():
        return 503, "loop"
    settings = core.settings
    if not database_answers(settings.effective_database_url,
                            settings.health_database_timeout_seconds):
        return 503, "database"
    if not scheduler_ok(core):
        return 503, "scheduler"
    return 200, "ok"


class HealthServer:
    """A listening socket served by a thread: probes answered there, everything else (in
    HTTP mode) handed to the aiohttp server on the loop."""

    def __init__(self, core: BotCore, ticker: LoopTicker, host: str, port: int, *,
                 handoff: Any = None) -> None:
        self.core = core
        self.ticker = ticker
        self.handoff = handoff  # aiohttp's web.Server (a protocol factory), or None
        self.loop = asyncio.get_running_loop()
        self.sock = socket.create_server((host, port), backlog=128)
        self.sock.settimeout(0.2)  # lets the accepting thread notice `stop`
        self.port = self.sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="healthz", daemon=True)

    def start(self) -> HealthServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()

    def _accept(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        """Answer a probe here; hand any other request to the loop untouched (peeked)."""
        try:
            conn.settimeout(5)
            deadline = time.monotonic() + 5
            head = b""
            with contextlib.suppress(TimeoutError):
                while len(head) < len(PROBE) and time.monotonic() < deadline:
                    peeked = conn.recv(HEAD_LIMIT, socket.MSG_PEEK)  # left for aiohttp
                    if not peeked:
                        break
                    if len(peeked) == len(head):
                        self._stop.wait(0.005)  # the client is still writing its first line
                    head = peeked
            if head.startswith(PROBE):
                self._answer_probe(conn)
                return
            if self.handoff is None:
                conn.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n"
                             b"Connection: close\r\n\r\n")
                conn.close()
                return
            conn.settimeout(None)
            conn.setblocking(False)
            self.loop.call_soon_threadsafe(self._hand_over, conn)
        except OSError:
            conn.close()

    def _hand_over(self, conn: socket.socket) -> None:
        task = self.loop.create_task(self.loop.connect_accepted_socket(self.handoff, conn))
        task.add_done_callback(lambda done: done.exception() if not done.cancelled() else None)

    def _answer_probe(self, conn: socket.socket) -> None:
        with contextlib.closing(conn):
            request = b""
            while b"\r\n\r\n" not in request and len(request) < HEAD_LIMIT:
                chunk = conn.recv(HEAD_LIMIT)
                if not chunk:
                    break
                request += chunk
            status, body = health(self.core, self.ticker)
            reason = "OK" if status == 200 else "Service Unavailable"
            payload = body.encode()
            conn.sendall(f"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain\r\n"
                         f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n"
                         .encode() + payload)
