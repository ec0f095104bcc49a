"""``Idempotency-Key`` on POST: one object and one response, however often it is sent.

A POST that carries the header first *claims* the key: a row unique on
(caller, key), committed at once, before any work. The work and the stored
response then commit together in one transaction, so a crash leaves either
nothing (the claim goes stale and a retry does the work) or both.

A second request with the same key either replays the stored response, waits
a little for the first to finish, or (still running) gets 409 with
Retry-After. The same key with a different body is a caller's mistake: 422.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from swc.core import clock
from swc.core.transactions import replay_boundary

from .models import IdempotencyRecord, IdempotencyState
from .problems import IdempotencyConflict

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
# Visible ASCII, no spaces: a UUID fits, and nothing that a proxy might rewrite.
KEY_PATTERN = r"^[!-~]{1,255}$"
# How long a second request waits for the first before answering 409.
WAIT_SECONDS = 5.0
POLL_SECONDS = 0.05
# A claim older than this with no response belongs to a request that died (a web
# worker killed mid-request): a retry waits it out, answered 409 with Retry-After
# meanwhile. Longer than any request may run (gunicorn's --timeout); a deployment (or a
# fault test) may set SWC_IDEMPOTENCY_STALE_SECONDS.
STALE_AFTER = dt.timedelta(minutes=2)


def stale_after() -> dt.timedelta:
    return dt.timedelta(
        seconds=getattr(settings, "SWC_IDEMPOTENCY_STALE_SECONDS", STALE_AFTER.total_seconds())
    )


# Stored responses are kept a day (as the IETF draft suggests), then purged.
KEEP_FOR = dt.timedelta(hours=24)
REPLAYED_HEADERS = ("Location", "ETag")


@dataclass
class Claim:
    record: IdempotencyRecord


def request_fingerprint(request: Request) -> str:
    """What makes two requests "the same": method, path and body bytes."""
    digest = hashlib.sha256()
    digest.update(str(request.method).encode() + b" " + request.get_full_path().encode() + b"\n")
    digest.update(request._request.body)
    return digest.hexdigest()


def _replay(record: IdempotencyRecord) -> Response:
    headers = {k: v for k, v in (record.response_headers or {}).items() if k != "Content-Type"}
    headers["Idempotent-Replayed"] = "true"
    return Response(
        record.response_body,
        status=record.response_status,
        headers=headers,
        content_type=(record.response_headers or {}).get("Content-Type"),
    )


def idempotency_claim(*, caller: str, key: str, fingerprint: str) -> Claim | Response:
    """Claim ``key`` for this request, or return the response a first request stored.

    Raises ``IdempotencyConflict`` (409) while another request with the key is
    still working, and (422) when the key was used for a different request.
    """
    if not re.fullmatch(KEY_PATTERN, key):
        raise IdempotencyConflict(
            f"The {HEADER} header must be 1 to {MAX_KEY_LENGTH} visible ASCII characters.",
            status_code=400,
        )
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        now = clock.now()
        try:
            with transaction.atomic():
                record = IdempotencyRecord.objects.create(
                    caller=caller, key=key, fingerprint=fingerprint, claimed_at=now
                )
            return Claim(record)
        except IntegrityError:
            pass
        existing = IdempotencyRecord.objects.filter(caller=caller, key=key).first()
        if existing is None:
            continue  # released between our insert and our read: try again
        if existing.fingerprint != fingerprint:
            raise IdempotencyConflict(
                f"This {HEADER} was already used for a different request.", status_code=422
            )
        if existing.state == IdempotencyState.DONE:
            return _replay(existing)
        if now - existing.claimed_at > stale_after():
            taken = IdempotencyRecord.objects.filter(
                pk=existing.pk,
                state=IdempotencyState.IN_PROGRESS,
                claimed_at=existing.claimed_at,
            ).update(claimed_at=now)
            if taken:
                existing.claimed_at = now
                return Claim(existing)
            continue
        if time.monotonic() >= deadline:
            raise IdempotencyConflict(
                f"A request with this {HEADER} is still being processed; try again shortly.",
                retry_after=1,
            )
        time.sleep(POLL_SECONDS)


def idempotency_run(claim: Claim, work: Callable[[], Response]) -> Response:
    """Do ``work`` and store its response in one transaction; release the claim if it fails."""
    try:
        with replay_boundary():
            response = work()
            if response.status_code >= 500:
                raise _NotStored(response)
            body = json.loads(JSONRenderer().render(response.data) or b"null")
            headers = {k: response[k] for k in REPLAYED_HEADERS if response.has_header(k)}
            if response.content_type:
                headers["Content-Type"] = response.content_type
            stored = _mine(claim).update(
                state=IdempotencyState.DONE,
                response_status=response.status_code,
                response_body=body,
                response_headers=headers,
            )
            if not stored:
                # Our claim went stale and another request took it over: let it win.
                raise IdempotencyConflict(
                    f"A request with this {HEADER} is still being processed; try again shortly.",
                    retry_after=1,
                )
        return response
    except _NotStored as not_stored:
        _mine(claim).delete()
        return not_stored.response
    except BaseException:
        _mine(claim).delete()
        raise


def _mine(claim: Claim) -> Any:
    """The claim's row, only while this request still holds it (not taken over as stale)."""
    return IdempotencyRecord.objects.filter(
        pk=claim.record.pk,
        state=IdempotencyState.IN_PROGRESS,
        claimed_at=claim.record.claimed_at,
    )


class _NotStored(Exception):
    def __init__(self, response: Response) -> None:
        super().__init__("server error response")
        self.response = response


def idempotency_records_purge(now: dt.datetime | None = None) -> int:
    """Forget stored responses older than a day; returns how many went."""
    cutoff = (now or clock.now()) - KEEP_FOR
    deleted, _ = IdempotencyRecord.objects.filter(claimed_at__lt=cutoff).delete()
    return deleted


def caller_of(request: Request) -> str:
    """Keys are private to their caller: each API key acts through its own account."""
    return f"user:{request.user.pk}"


def header_of(request: Request) -> Any:
    return request.headers.get(HEADER)
