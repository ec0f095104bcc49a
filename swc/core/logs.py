"""Structured logs: one JSON object a line, with the request they belong to.

What a line may carry is a closed list (``FIELDS``): identifiers, the route
pattern, status and timing. Never a request body, a query string, a child's
name or a price: a log line is read by people who may see none of these, and
is kept longer than the record it describes. An exception is logged by type
and stack (file, line, function) without its message, because a database
error's message quotes the values it refused.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import json
import logging
import re
import traceback
import uuid

# The request being served, so that every line logged while serving it names it.
request_id_var: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "swc_request_id", default=None
)
# An id a proxy or client sent is kept only if it is plainly an identifier.
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
FIELDS = (
    "request_id",
    "method",
    "route",
    "view",
    "status",
    "duration_ms",
    "user_id",
    "organisation_id",
    "api_key",
    "worker_id",
)


def request_id_from(header: str | None) -> str:
    """The proxy's request id when it looks like one, otherwise a new one."""
    if header and REQUEST_ID.match(header):
        return header
    return uuid.uuid4().hex


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON with the allowed fields only."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None) or request_id_var.get()
        if request_id:
            line["request_id"] = request_id
        for name in FIELDS:
            value = getattr(record, name, None)
            if value is not None and name not in line:
                line[name] = value
        if record.exc_info and record.exc_info[0] is not None:
            kind, _, trace = record.exc_info
            line["exception"] = {
                "type": f"{kind.__module__}.{kind.__qualname__}",
                "stack": [
                    f"{frame.filename}:{frame.lineno} in {frame.name}"
                    for frame in traceback.extract_tb(trace)
                ],
            }
        return json.dumps(line, default=str)
