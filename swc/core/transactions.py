"""Where a transaction begins (docs/decisions/0005-transaction-boundaries.md).

A service that a page, the API or a command calls is an *entry point*: ``@entry_point``
runs it in a transaction of its own and refuses to run inside another one. Services
inside it nest plain ``transaction.atomic`` steps. A service that calls an entry point
(instead of that service's inner step) therefore fails at once, in the first test that
runs it, instead of silently joining, or splitting, someone else's transaction.

This is Django's ``atomic(durable=True)`` (zulip's ``actions`` use it so) with one
sanctioned outer block, ``replay_boundary()``: the API stores the reply to an
``Idempotency-Key`` request in the same transaction as the work, so that a retry never
repeats a change whose reply was lost. Test cases' own transactions are allowed, as
Django allows them for ``durable``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, ParamSpec, TypeVar

from django.db import transaction
from django.db.transaction import Atomic

P = ParamSpec("P")
T = TypeVar("T")

_REPLAY_BOUNDARY = "_swc_replay_boundary"


def _may_run_inside(block: Any) -> bool:
    return bool(getattr(block, "_from_testcase", False) or getattr(block, _REPLAY_BOUNDARY, False))


def entry_point(service: Callable[P, T]) -> Callable[P, T]:
    """Run ``service`` in its own transaction; refuse to run inside another one."""

    @functools.wraps(service)
    def run(*args: P.args, **kwargs: P.kwargs) -> T:
        blocks = transaction.get_connection().atomic_blocks
        if blocks and not _may_run_inside(blocks[-1]):
            raise RuntimeError(
                f"{service.__name__} is an entry point (a page, the API or a command calls "
                "it) and was called inside another transaction: call its inner step instead"
            )
        with transaction.atomic():
            return service(*args, **kwargs)

    run.swc_entry_point = True  # type: ignore[attr-defined]
    return run


def replay_boundary() -> Atomic:
    """The API's transaction around an entry point and the stored reply to its retries."""
    block = transaction.atomic()
    setattr(block, _REPLAY_BOUNDARY, True)
    return block
