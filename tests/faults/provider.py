"""A stub GOV.UK Notify on loopback, speaking enough of its API for notifications-python-client.

It accepts ``POST /v2/notifications/email`` and ``/sms`` and answers
``GET /v2/notifications?reference=…``, recording every accepted message by
its reference, so a test counts what reached the provider. It does not check
the client's JWT: the point is delivery, not authentication.

A test switches how it answers (``mode``) while it runs:

- ``"accept"``: 201 with a new id;
- ``"error"``: 500, as Notify does in an incident;
- ``"hang"``: no answer for ``hang_seconds`` (longer than the client waits), then 500;
- ``"hang_after_accept"``: accept the next message, then hold the answer until
  ``release`` — the moment to kill the worker that sent it.
"""

from __future__ import annotations

import contextlib
import json
import threading
import uuid
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

# Every message kind gets a template id; the stub accepts any.
API_KEY = f"swc_faults-{uuid.UUID(int=1)}-{uuid.UUID(int=2)}"


class StubNotify:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.accepted: dict[str, str] = {}  # reference → provider id
        self.posts: Counter[str] = Counter()  # reference → times a send reached us
        self.asked: Counter[str] = Counter()  # reference → times the outbox asked about it
        self.refused = 0
        self.mode = "accept"
        self.hang_seconds = 5.0
        self.hanging = threading.Event()  # set when hang_after_accept holds an answer
        self.release = threading.Event()
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def answer(self, status: int, body: dict[str, Any]) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                # The caller may be dead: the worker the test killed while it waited.
                with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                    self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                sent = json.loads(self.rfile.read(length) or b"{}")
                stub.post(self, sent)

            def do_GET(self) -> None:
                query = parse_qs(urlparse(self.path).query)
                reference = (query.get("reference") or [""])[0]
                with stub.lock:
                    stub.asked[reference] += 1
                    found = stub.accepted.get(reference)
                notifications = [{"id": found, "reference": reference}] if found else []
                self.answer(200, {"notifications": notifications, "links": {}})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def post(self, handler: Any, sent: dict[str, Any]) -> None:
        reference = str(sent.get("reference", ""))
        mode = self.mode
        if mode in ("error", "hang"):
            with self.lock:
                self.refused += 1
            if mode == "hang":
                self.release.wait(self.hang_seconds)
            handler.answer(500, {"status_code": 500, "errors": [{"error": "Exception"}]})
            return
        provider_id = str(uuid.uuid4())
        with self.lock:
            self.posts[reference] += 1
            self.accepted.setdefault(reference, provider_id)
            hold = mode == "hang_after_accept" and not self.hanging.is_set()
            if hold:
                self.hanging.set()
        if hold:
            self.release.wait(60)
        handler.answer(201, {"id": provider_id, "reference": reference})

    def environment(self) -> dict[str, str]:
        """What a process needs to deliver here through the real GOV.UK Notify backend."""
        from swc.notifications.messages import MESSAGES

        return {
            "SWC_NOTIFICATION_BACKEND": "swc.notifications.backends.NotifyBackend",
            "NOTIFY_API_KEY": API_KEY,
            "NOTIFY_BASE_URL": self.url,
            "SWC_NOTIFY_TEMPLATES": json.dumps({m: str(uuid.uuid4()) for m in MESSAGES}),
        }

    def __enter__(self) -> StubNotify:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
