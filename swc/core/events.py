"""Domain events: what happened, published inside the transaction that made it happen.

Services in referrals, homes and matching call ``event_publish`` after they
change state, inside their ``transaction.atomic`` block. Subscribers (the
notifications outbox, first of all) register in their AppConfig.ready() and
write their own rows in the same transaction, so an event and what it causes
commit or roll back together. This is an explicit call, not a Django signal:
a reader of a service sees where its side effects begin.

Events never carry a child's name or other identifying details: only ids,
kinds and organisation ids. Subscribers look up what they need.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class EventKind:
    REFERRAL_SUBMITTED = "referral.submitted"
    REFERRAL_COMPLETED = "referral.completed"
    REFERRAL_INFORMATION_REQUESTED = "referral.information_requested"
    REFERRAL_SENT_TO_HOME = "referral.sent_to_home"
    REFERRAL_LIST_PROVIDED = "referral.list_provided"
    HOME_RESPONDED = "referral.home_responded"
    OFFER_ACCEPTED = "referral.offer_accepted"
    REFERRAL_CLOSED = "referral.closed"
    OFFER_DECLINED = "offer.declined"
    OFFER_WITHDRAWN = "offer.withdrawn"
    PLACEMENT_ADMITTED = "placement.admitted"
    PLACEMENT_DISCHARGED = "placement.discharged"
    # Once per referral, when it reaches a final status: the satisfaction survey (seed 001 KPI).
    SURVEY_INVITED = "referral.survey_invited"
    REFERRAL_UPDATE_DUE = "referral.update_due"
    REFERRAL_REVIEW_DUE = "referral.review_due"
    REFERRAL_LIST_OVERDUE = "referral.list_overdue"
    REGISTER_NOT_CONFIRMED = "register.not_confirmed"
    MONTHLY_RETURN_DUE = "reporting.return_due"
    # An authority or home has not signed up: its admin (authority) or manager (home) is reminded.
    SIGN_UP_REMINDER = "organisation.sign_up_reminder"
    # Questions between the parties (swc.questions): to the authority, to the unit, back to the asker.
    QUESTION_ASKED = "question.asked"
    QUESTION_FOR_UNIT = "question.for_unit"
    QUESTION_ANSWERED = "question.answered"
    QUESTION_ANSWERED_UNIT = "question.answered_unit"
    # Accounts (swc.organisations, docs/accounts.md): to the person the account belongs to.
    ACCOUNT_INVITED = "account.invited"
    ACCOUNT_INACTIVE_WARNING = "account.inactive_warning"


@dataclass(frozen=True)
class DomainEvent:
    kind: str
    # Unique per occurrence: subscribers use it to act at most once per event.
    key: str
    occurred_at: dt.datetime
    actor_id: int | None = None
    referral_id: int | None = None
    local_authority_organisation_id: int | None = None
    home_organisation_ids: tuple[int, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


Subscriber = Callable[[DomainEvent], None]
_subscribers: list[Subscriber] = []


def event_subscribe(subscriber: Subscriber) -> None:
    if subscriber not in _subscribers:
        _subscribers.append(subscriber)


def event_publish(event: DomainEvent) -> None:
    """Hand ``event`` to every subscriber, synchronously, in the caller's transaction."""
    for subscriber in list(_subscribers):
        subscriber(event)
