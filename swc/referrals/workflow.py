"""The referral lifecycle: one pure table of allowed moves and who may make them.

No ORM here. ``referral_transition`` in services.py is the only code that
changes a referral's status, and it asks ``transition_allowed`` first.
docs/workflow.md explains the same table in prose.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models

from swc.core.events import EventKind


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    COMPLETE = "complete", "Complete"
    INFORMATION_REQUESTED = "information_requested", "More information requested"
    SHORTLISTED = "shortlisted", "List of potential placements provided"
    WITH_HOMES = "with_homes", "With homes"
    OFFER_ACCEPTED = "offer_accepted", "Offer accepted"
    PLACED = "placed", "Placed"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CLOSED_NOT_PLACED = "closed_not_placed", "Closed without placement"


class Actor(models.TextChoices):
    """Who makes a move: the referring authority, the coordination unit or a secure home."""

    REFERRER = "referrer", "Referring authority"
    UNIT = "unit", "Coordination unit"
    HOME = "home", "Secure home"


R, U, H = Actor.REFERRER, Actor.UNIT, Actor.HOME
BOTH = frozenset({R, U})

TERMINAL: frozenset[str] = frozenset({Status.PLACED, Status.WITHDRAWN, Status.CLOSED_NOT_PLACED})
# Submitted onwards, not yet finished: the referral is "open" and waiting for a bed.
OPEN: frozenset[str] = frozenset(
    {
        Status.SUBMITTED,
        Status.COMPLETE,
        Status.INFORMATION_REQUESTED,
        Status.SHORTLISTED,
        Status.WITH_HOMES,
        Status.OFFER_ACCEPTED,
    }
)
# Statuses in which the authority may still change the referral's details.
EDITABLE: frozenset[str] = frozenset({Status.DRAFT}) | OPEN
# Statuses in which matching searches for a bed (unless the referral has lapsed).
SEARCHABLE: frozenset[str] = frozenset({Status.COMPLETE, Status.SHORTLISTED, Status.WITH_HOMES})

TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (Status.DRAFT, Status.SUBMITTED): frozenset({R}),
    (Status.DRAFT, Status.WITHDRAWN): frozenset({R}),
    (Status.SUBMITTED, Status.COMPLETE): frozenset({R}),
    (Status.SUBMITTED, Status.INFORMATION_REQUESTED): frozenset({U}),
    (Status.COMPLETE, Status.INFORMATION_REQUESTED): frozenset({U}),
    (Status.INFORMATION_REQUESTED, Status.COMPLETE): frozenset({R}),
    (Status.COMPLETE, Status.SHORTLISTED): frozenset({U}),
    (Status.SHORTLISTED, Status.WITH_HOMES): frozenset({U}),
    # Every home declined, or the offer fell through: the unit finds a new list.
    (Status.WITH_HOMES, Status.SHORTLISTED): frozenset({U}),
    (Status.WITH_HOMES, Status.OFFER_ACCEPTED): BOTH,
    (Status.OFFER_ACCEPTED, Status.WITH_HOMES): frozenset({U}),
    # The child arrives: the home records it, or the unit for it.
    (Status.OFFER_ACCEPTED, Status.PLACED): frozenset({U, H}),
    **{(status, Status.WITHDRAWN): BOTH for status in OPEN},
    **{(status, Status.CLOSED_NOT_PLACED): frozenset({U}) for status in OPEN},
}

# The domain event each arrival publishes (swc/core/events.py).
EVENT_FOR_STATUS: dict[str, str] = {
    Status.SUBMITTED: EventKind.REFERRAL_SUBMITTED,
    Status.COMPLETE: EventKind.REFERRAL_COMPLETED,
    Status.INFORMATION_REQUESTED: EventKind.REFERRAL_INFORMATION_REQUESTED,
    Status.SHORTLISTED: EventKind.REFERRAL_LIST_PROVIDED,
    Status.WITH_HOMES: EventKind.REFERRAL_SENT_TO_HOME,
    Status.OFFER_ACCEPTED: EventKind.OFFER_ACCEPTED,
    Status.PLACED: EventKind.PLACEMENT_ADMITTED,
    Status.WITHDRAWN: EventKind.REFERRAL_CLOSED,
    Status.CLOSED_NOT_PLACED: EventKind.REFERRAL_CLOSED,
}


def transition_allowed(current: str, to: str, actor: str) -> bool:
    """May ``actor`` move a referral from ``current`` to ``to``?"""
    return actor in TRANSITIONS.get((current, to), frozenset())


def transitions_from(current: str, actor: str) -> list[str]:
    """The statuses ``actor`` may move a referral to from ``current``, in lifecycle order."""
    return [to for to in Status.values if transition_allowed(current, to, actor)]


@dataclass(frozen=True)
class Refusal:
    """Why a move is refused, in words, and the form field the person must change (if any)."""

    message: str
    field: str | None = None


def transition_problem(
    current: str, to: str, actor: str, *, reason: str = "", reasons_allowed: frozenset[str]
) -> Refusal | None:
    """Why this move is refused, for the person making it; None when it is allowed.

    ``reasons_allowed`` is the set of valid reason codes for ``to`` (withdrawal
    reasons, closure destinations), empty when ``to`` takes no coded reason.
    A missing or unknown reason is the ``reason`` field's problem; the others
    belong to no field.
    """
    if (current, to) not in TRANSITIONS:
        return Refusal(
            f"A referral that is {Status(current).label.lower()} cannot be moved to "
            f"{Status(to).label.lower()}"
        )
    if not transition_allowed(current, to, actor):
        who = " or ".join(
            Actor(a).label.lower() for a in Actor.values if a in TRANSITIONS[(current, to)]
        )
        return Refusal(f"Only the {who} can do that")
    if reasons_allowed and reason not in reasons_allowed:
        if to == Status.WITHDRAWN:
            return Refusal("Select why the referral is being withdrawn", field="reason")
        return Refusal("Select where the child went", field="reason")
    return None
