"""Every change to a referral: one atomic function each, audited, with its domain event.

Status moves go through ``referral_transition`` only (a conditional UPDATE on
the current status, so two people cannot both move a referral); details go
through ``referral_section_save`` (a conditional UPDATE on ``version``, so a
stale form never overwrites someone else's save).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest

from swc.audit.models import AuditAction
from swc.audit.services import audit_record
from swc.core import clock
from swc.core.calendar import office_hours_between
from swc.core.errors import ConflictError, NotPermitted, ServiceError
from swc.core.events import DomainEvent, EventKind, event_publish
from swc.core.phones import phone_normalise
from swc.core.transactions import entry_point
from swc.core.vocabulary import ClosureDestination, WithdrawalReason
from swc.organisations.models import LocalAuthority, Organisation, OrganisationKind
from swc.organisations.policy import require, user_can

from .completeness import FIELDS, answer_problems, referral_problems
from .deadlines import LIST_MEASURES, keep_alive_of, list_clocks_settled
from .models import (
    Referral,
    ReferralEvent,
    ReferralEventKind,
    ReferralListClock,
    ReferralShare,
)
from .selectors import ReferralSearch
from .workflow import (
    EDITABLE,
    EVENT_FOR_STATUS,
    OPEN,
    TERMINAL,
    Actor,
    Status,
    transition_problem,
    transitions_from,
)

# The policy action each arrival needs, on top of the workflow's actor rule.
ACTION_FOR_STATUS: dict[str, str] = {
    Status.SUBMITTED: "referral.submit",
    Status.COMPLETE: "referral.submit",
    Status.INFORMATION_REQUESTED: "referral.request_information",
    Status.SHORTLISTED: "shortlist.send",
    Status.WITH_HOMES: "shortlist.send",
    Status.OFFER_ACCEPTED: "offer.accept",
    Status.PLACED: "placement.admit",
    Status.WITHDRAWN: "referral.withdraw",
    Status.CLOSED_NOT_PLACED: "referral.close",
}
REASONS_FOR_STATUS: dict[str, frozenset[str]] = {
    Status.WITHDRAWN: frozenset(WithdrawalReason.values),
    Status.CLOSED_NOT_PLACED: frozenset(ClosureDestination.values),
}
SERVICE_LABEL = "The service"
# Events that only the calling service can address rightly: sending to homes
# (referral_share_with_homes knows the new homes), an accepted offer and an
# admission (matching knows the chosen home).
PUBLISHED_BY_CALLER = frozenset(
    {EventKind.REFERRAL_SENT_TO_HOME, EventKind.OFFER_ACCEPTED, EventKind.PLACEMENT_ADMITTED}
)


def actor_of(user: Any) -> str | None:
    """Which side of the workflow a person acts for: the authority or the unit."""
    # The policy decides: whoever triages referrals acts for the unit, whoever makes them
    # for an authority, whoever keeps a home's register for the home. The transition
    # table then says what each side may do.
    if user_can(user, "referral.triage"):
        return Actor.UNIT
    if user_can(user, "referral.create"):
        return Actor.REFERRER
    if user_can(user, "register.update"):
        return Actor.HOME
    return None


def referral_moves_for(user: Any, referral: Referral) -> list[str]:
    """The statuses ``user`` may move ``referral`` to now: the workflow table and the policy.

    Pages offer exactly these moves, so a button is never shown for a move
    ``referral_transition`` would refuse.
    """
    actor = actor_of(user)
    if actor is None:
        return []
    return [
        to
        for to in transitions_from(referral.status, actor)
        if to in ACTION_FOR_STATUS and user_can(user, ACTION_FOR_STATUS[to], referral)
    ]


def _label(user: Any) -> str:
    if user is None:
        return SERVICE_LABEL
    return getattr(user, "full_name", "") or getattr(user, "email", "") or str(user)


def _event_add(
    referral: Referral,
    *,
    by: Any,
    kind: str,
    at: dt.datetime,
    from_status: str = "",
    to_status: str = "",
    reason: str = "",
    detail: str = "",
) -> ReferralEvent:
    return ReferralEvent.objects.create(
        referral=referral,
        at=at,
        actor=by,
        actor_label=_label(by),
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        reason=reason,
        detail=detail,
    )


LIST_CLOCK_FIELDS = [
    "first_completed_at",
    "last_completed_at",
    "listed_at",
    "running",
    "earlier_stretches",
]
LIST_CLOCK_FIELDS += LIST_MEASURES


def referral_list_clocks_refresh(referral_ids: Iterable[int]) -> int:
    """Work out the stored two-hour clocks of these referrals afresh from their status
    history (``deadlines.list_clock_settled``): one read, one write. Called in the
    transaction that records a status, so the clock never disagrees with the timeline.
    Returns how many clocks were written (referrals never complete have none).
    """
    ids = list(referral_ids)
    if not ids:
        return 0
    rows = (
        ReferralEvent.objects.filter(referral_id__in=ids, kind=ReferralEventKind.STATUS)
        .order_by("referral_id", "at", "id")
        .values_list("referral_id", "at", "to_status")
    )
    clocks = [
        ReferralListClock(referral_id=referral_id, **fields)
        for referral_id, fields in list_clocks_settled(ids, rows).items()
    ]
    ReferralListClock.objects.bulk_create(
        clocks,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["referral"],
        update_fields=LIST_CLOCK_FIELDS,
    )
    return len(clocks)


def referral_list_clocks_rebuild(*, batch: int = 5000) -> int:
    """Every stored two-hour clock worked out again from the timeline (after loading or
    mending history by other means than the services): a batch of referrals at a time."""
    completed = (
        ReferralEvent.objects.filter(kind=ReferralEventKind.STATUS, to_status=Status.COMPLETE)
        .order_by("referral_id")
        .values_list("referral_id", flat=True)
        .distinct()
    )
    ids = list(completed)
    written = 0
    for first in range(0, len(ids), batch):
        with transaction.atomic():
            written += referral_list_clocks_refresh(ids[first : first + batch])
    return written


def referral_values(referral: Referral) -> dict[str, Any]:
    """The referral's details as the plain mapping that completeness checks."""
    return {name: getattr(referral, name) for name in FIELDS}


@entry_point
def referral_create(
    *, local_authority: LocalAuthority, by: Any, values: Mapping[str, Any] | None = None
) -> Referral:
    """Start a draft referral for ``local_authority``, with its first answers if given.

    One transaction: a draft is never left half-made by a refused answer.
    """
    draft = Referral(local_authority=local_authority)
    require(by, "referral.create", draft)
    now = clock.now()
    draft.created_by = draft.modified_by = by
    draft.save()
    _event_add(draft, by=by, kind=ReferralEventKind.CREATED, at=now, to_status=Status.DRAFT)
    audit_record(actor=by, action=AuditAction.CREATE, obj=draft)
    if values:
        return _referral_answers_write(referral=draft, by=by, version=draft.version, values=values)
    return draft


@entry_point
def referral_section_save(
    *, referral: Referral, by: Any, version: int, values: Mapping[str, Any]
) -> Referral:
    """Save one section's answers, if nobody else has saved since ``version`` was read.

    A stale ``version`` raises ConflictError and changes nothing, so the form
    can show the person their own answers again. After submission an edit
    must leave the referral complete, and counts as an update from the authority.
    """
    return _referral_answers_write(referral=referral, by=by, version=version, values=values)


def _referral_answers_write(
    *, referral: Referral, by: Any, version: int, values: Mapping[str, Any]
) -> Referral:
    require(by, "referral.edit", referral)
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise ServiceError(f"Unknown referral fields: {', '.join(sorted(unknown))}")
    values = dict(values)
    for name in PHONE_FIELDS & set(values):
        try:
            values[name] = phone_normalise(values[name] or "")
        except DjangoValidationError as error:
            raise ServiceError(error.messages[0], field=name) from None
    current = Referral.objects.get(pk=referral.pk)
    if current.status not in EDITABLE:
        raise ServiceError(
            f"This referral is {current.get_status_display().lower()} and can no longer be changed"
        )
    if current.version != version:
        raise ConflictError(_STALE_MESSAGE)
    now = clock.now()
    changed = [name for name, value in values.items() if getattr(current, name) != value]
    # Only the answers being saved are judged, so an old answer that time has made
    # wrong (a hearing now past) does not block saving another section.
    wrong = [p for p in answer_problems(values, now) if p.field in values]
    if wrong:
        raise ServiceError(wrong[0].message, field=wrong[0].field)
    if current.status != Status.DRAFT:
        before = referral_values(current)
        # Refuse only what this edit breaks: time may have made an old answer stale
        # (a hearing now past), and that must not block correcting something else.
        already = {(p.field, p.message) for p in referral_problems(before, now)}
        problems = [
            p
            for p in referral_problems({**before, **values}, now)
            if (p.field, p.message) not in already
        ]
        if problems:
            raise ServiceError(
                "A submitted referral must stay complete: " + problems[0].message,
                field=problems[0].field,
            )
    updates: dict[str, Any] = {
        **values,
        "version": F("version") + 1,
        "modified_at": now,
        "modified_by": by,
    }
    if current.status in OPEN:
        updates["last_update_at"] = now
    rows = Referral.objects.filter(pk=referral.pk, version=version, status=current.status).update(
        **updates
    )
    if rows != 1:
        raise ConflictError(_STALE_MESSAGE)
    saved = Referral.objects.get(pk=referral.pk)
    if changed:
        _event_add(
            saved,
            by=by,
            kind=ReferralEventKind.EDITED,
            at=now,
            detail="Changed: " + ", ".join(_field_label(name) for name in changed),
        )
    audit_record(actor=by, action=AuditAction.CHANGE, obj=saved, detail={"fields": sorted(changed)})
    return saved


# Stored as +44…, whether typed on a page or sent to the API (swc.core.phones).
PHONE_FIELDS = {"social_worker_phone", "guardian_phone"}

_STALE_MESSAGE = (
    "Someone else saved changes to this referral after you opened it. "
    "Your answers are shown below but have not been saved: check them against "
    "the referral and save again."
)


def _field_label(name: str) -> str:
    field = Referral._meta.get_field(name)
    return str(getattr(field, "verbose_name", name))


def _stamps_for(current: Referral, to: str, now: dt.datetime) -> dict[str, Any]:
    stamps: dict[str, Any] = {}
    if to == Status.SUBMITTED:
        stamps["submitted_at"] = now
    elif to == Status.COMPLETE:
        # The KPI clock (re)starts: a referral waiting for information was not complete.
        stamps["completed_at"] = now
        stamps["information_requested_at"] = None
        stamps["lapsed_at"] = None
        if current.last_reviewed_at is None:
            stamps["last_reviewed_at"] = now
        stamps["last_update_at"] = now
    elif to == Status.INFORMATION_REQUESTED:
        stamps["information_requested_at"] = now
    elif to == Status.SHORTLISTED and current.list_provided_at is None:
        # The KPI counts the first list only.
        stamps["list_provided_at"] = now
    elif to == Status.OFFER_ACCEPTED:
        stamps["offer_accepted_at"] = now
    elif to == Status.PLACED:
        stamps["placed_at"] = now
        stamps["closed_at"] = now
    elif to in (Status.WITHDRAWN, Status.CLOSED_NOT_PLACED):
        stamps["closed_at"] = now
    return stamps


@entry_point
def referral_move(
    *, referral: Referral, to: str, by: Any, reason: str = "", detail: str = ""
) -> Referral:
    """A person withdraws, closes, or asks for information about a referral (pages and API).

    The door to ``referral_transition``, which other parts' services call as a step of
    their own changes (a list provided, an offer accepted, a child placed).
    """
    return referral_transition(referral=referral, to=to, by=by, reason=reason, detail=detail)


@transaction.atomic
def referral_transition(
    *,
    referral: Referral,
    to: str,
    by: Any,
    reason: str = "",
    detail: str = "",
    placed_home: Any = None,
) -> Referral:
    """Move ``referral`` to ``to`` if the workflow table lets ``by`` make that move.

    Writes the timeline event, the audit event and publishes the domain event.
    Raises NotPermitted, ServiceError (a move the table forbids, a missing
    reason) or ConflictError (someone else moved the referral first).
    ``placed_home`` (a SecureHome) is recorded when moving to placed.
    """
    action = ACTION_FOR_STATUS.get(to)
    if action is None:
        raise ServiceError("A referral cannot be moved back to a draft")
    require(by, action, referral)
    actor = actor_of(by)
    if actor is None:
        raise NotPermitted()
    current = Referral.objects.select_related("local_authority").get(pk=referral.pk)
    problem = transition_problem(
        current.status,
        to,
        actor,
        reason=reason,
        reasons_allowed=REASONS_FOR_STATUS.get(to, frozenset()),
    )
    if problem:
        if current.status != referral.status:
            raise ConflictError(_MOVED_MESSAGE)
        raise ServiceError(problem.message, field=problem.field)
    now = clock.now()
    updates = _stamps_for(current, to, now)
    updates.update(status=to, modified_at=now, modified_by=by, version=F("version") + 1)
    if to in REASONS_FOR_STATUS:
        updates["outcome_reason"] = reason
        updates["outcome_detail"] = detail[:500]
    if to == Status.PLACED and placed_home is not None:
        updates["placed_home"] = placed_home
    rows = Referral.objects.filter(pk=current.pk, status=current.status).update(**updates)
    if rows != 1:
        raise ConflictError(_MOVED_MESSAGE)
    moved = Referral.objects.select_related("local_authority").get(pk=current.pk)
    event = _event_add(
        moved,
        by=by,
        kind=ReferralEventKind.STATUS,
        at=now,
        from_status=current.status,
        to_status=to,
        reason=reason,
        detail=detail,
    )
    referral_list_clocks_refresh([moved.pk])
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=moved,
        detail={"from": current.status, "to": to, "reason": reason},
    )
    kind = EVENT_FOR_STATUS.get(to)
    if to in (Status.WITHDRAWN, Status.CLOSED_NOT_PLACED):
        referral_closed_to_homes_publish(
            moved,
            by=by,
            at=now,
            home_organisation_ids=moved.shares.values_list("home_organisation_id", flat=True),
        )
    elif kind is not None and kind not in PUBLISHED_BY_CALLER:
        event_publish(
            DomainEvent(
                kind=kind,
                key=f"referral:{moved.pk}:{to}:{event.pk}",
                occurred_at=now,
                actor_id=getattr(by, "pk", None),
                referral_id=moved.pk,
                local_authority_organisation_id=moved.local_authority.organisation_id,
                home_organisation_ids=tuple(
                    moved.shares.values_list("home_organisation_id", flat=True)
                ),
                detail={"from": current.status, "to": to, "reason": reason},
            )
        )
    if to in TERMINAL:
        # The authority and every home it was sent to are asked how the unit did.
        event_publish(
            DomainEvent(
                kind=EventKind.SURVEY_INVITED,
                key=f"referral:{moved.pk}:survey",
                occurred_at=now,
                actor_id=getattr(by, "pk", None),
                referral_id=moved.pk,
                local_authority_organisation_id=moved.local_authority.organisation_id,
                home_organisation_ids=tuple(
                    moved.shares.values_list("home_organisation_id", flat=True)
                ),
            )
        )
    return moved


def referral_closed_to_homes_publish(
    referral: Referral, *, by: Any, at: dt.datetime, home_organisation_ids: Iterable[int]
) -> None:
    """Tell each of these homes, once ever, that the referral is closed to it.

    One event per home, keyed by referral and home: the outbox writes one row
    per event key and person, so a home already told (when another home's
    offer was accepted) is not told again when the referral later ends.
    """
    for organisation_id in sorted(set(home_organisation_ids)):
        event_publish(
            DomainEvent(
                kind=EventKind.REFERRAL_CLOSED,
                key=f"referral:{referral.pk}:closed_to:{organisation_id}",
                occurred_at=at,
                actor_id=getattr(by, "pk", None),
                referral_id=referral.pk,
                local_authority_organisation_id=referral.local_authority.organisation_id,
                home_organisation_ids=(organisation_id,),
            )
        )


_MOVED_MESSAGE = (
    "Someone else changed this referral's status while you were looking at it. "
    "Nothing has been changed: check its current status and try again."
)


@entry_point
def referral_submit(*, referral: Referral, by: Any, version: int) -> Referral:
    """Submit a draft (or answer a request for information): it becomes complete at once.

    An incomplete referral cannot be submitted: ServiceError names the first
    missing item; the check-answers page lists them all.
    """
    require(by, "referral.submit", referral)
    current = Referral.objects.select_related("local_authority").get(pk=referral.pk)
    if current.version != version:
        raise ConflictError(_STALE_MESSAGE)
    if current.status not in (Status.DRAFT, Status.INFORMATION_REQUESTED):
        raise ConflictError("This referral has already been submitted")
    problems = referral_problems(referral_values(current), clock.now())
    if problems:
        raise ServiceError(
            f"The referral is not complete: {len(problems)} "
            f"item{'s' if len(problems) != 1 else ''} missing or wrong, starting with: "
            f"{problems[0].message}",
            code="incomplete",
        )
    if current.status == Status.DRAFT:
        current = referral_transition(referral=current, to=Status.SUBMITTED, by=by)
    return referral_transition(referral=current, to=Status.COMPLETE, by=by)


@transaction.atomic
def referral_list_provided(*, referral: Referral, by: Any) -> Referral:
    """The unit has given the authority a list of potential placements: stamp the KPI time."""
    return referral_transition(referral=referral, to=Status.SHORTLISTED, by=by)


@transaction.atomic
def referral_share_with_homes(
    *, referral: Referral, home_organisations: Iterable[Organisation], by: Any
) -> list[ReferralShare]:
    """Send the referral to these homes: from now on each may see what it needs to decide.

    Sending again to a home that already has it changes nothing for that home.
    The status move to "with homes" is the caller's, through referral_transition.
    """
    require(by, "shortlist.send", referral)
    if referral.status not in OPEN or referral.status in (
        Status.SUBMITTED,
        Status.INFORMATION_REQUESTED,
    ):
        raise ServiceError("Only a complete, open referral can be sent to homes")
    organisations = list(home_organisations)
    if any(o.kind != OrganisationKind.SECURE_HOME for o in organisations):
        raise ServiceError("A referral can only be sent to secure children's homes")
    now = clock.now()
    created: list[ReferralShare] = []
    for organisation in organisations:
        share, is_new = ReferralShare.objects.get_or_create(
            referral=referral,
            home_organisation=organisation,
            defaults={"shared_at": now, "shared_by": by},
        )
        if not is_new:
            continue
        created.append(share)
        _event_add(
            referral,
            by=by,
            kind=ReferralEventKind.SHARED,
            at=now,
            detail=f"Sent to {organisation.name}",
        )
        audit_record(
            actor=by,
            action=AuditAction.CREATE,
            obj=share,
            detail={"referral_id": referral.pk, "home_organisation_id": organisation.pk},
        )
    referral.__dict__.pop("_shared_organisation_ids", None)
    if created:
        event_publish(
            DomainEvent(
                kind=EventKind.REFERRAL_SENT_TO_HOME,
                key=f"referral:{referral.pk}:shared:{created[0].pk}",
                occurred_at=now,
                actor_id=getattr(by, "pk", None),
                referral_id=referral.pk,
                local_authority_organisation_id=referral.local_authority.organisation_id,
                home_organisation_ids=tuple(s.home_organisation_id for s in created),
            )
        )
    return created


def _open_check(referral: Referral) -> Referral:
    current = Referral.objects.get(pk=referral.pk)
    if current.status not in OPEN:
        raise ServiceError("Only an open referral can be kept alive")
    return current


def _keep_alive_set(referral: Referral, by: Any, updates: dict[str, Any]) -> Referral:
    current = _open_check(referral)
    if current.lapsed_at is not None:
        updates["lapsed_at"] = None
    # Only if nobody closed, withdrew, lapsed or revived it since it was read: otherwise
    # a closed referral could be revived, or one revival recorded twice.
    changed = Referral.objects.filter(
        pk=current.pk, status=current.status, lapsed_at=current.lapsed_at
    ).update(**updates)
    if changed != 1:
        raise ConflictError(_MOVED_MESSAGE)
    if current.lapsed_at is not None:
        _event_add(
            current,
            by=by,
            kind=ReferralEventKind.REVIVED,
            at=clock.now(),
            detail="Searched for again",
        )
    return Referral.objects.select_related("local_authority").get(pk=current.pk)


@entry_point
def referral_update_record(*, referral: Referral, by: Any, note: str) -> Referral:
    """The authority's two-weekly update: the child still needs the bed (and what changed)."""
    require(by, "referral.edit", referral)
    if not note.strip():
        raise ServiceError("Enter what has changed, or that nothing has", field="note")
    now = clock.now()
    saved = _keep_alive_set(referral, by, {"last_update_at": now})
    _event_add(saved, by=by, kind=ReferralEventKind.UPDATE, at=now, detail=note.strip()[:2000])
    audit_record(actor=by, action=AuditAction.CHANGE, obj=saved, detail={"update": True})
    return saved


@entry_point
def referral_review_record(*, referral: Referral, by: Any, note: str) -> Referral:
    """The authority's three-monthly review: the referral still stands. Counts as an update."""
    require(by, "referral.edit", referral)
    if not note.strip():
        raise ServiceError("Enter the outcome of the review", field="note")
    now = clock.now()
    saved = _keep_alive_set(referral, by, {"last_update_at": now, "last_reviewed_at": now})
    _event_add(saved, by=by, kind=ReferralEventKind.REVIEW, at=now, detail=note.strip()[:2000])
    audit_record(actor=by, action=AuditAction.CHANGE, obj=saved, detail={"review": True})
    return saved


@entry_point
def referral_extend(*, referral: Referral, by: Any, until: dt.date, reason: str) -> Referral:
    """The unit keeps a referral searched until ``until``, whatever its updates."""
    require(by, "referral.extend", referral)
    if until <= clock.today():
        raise ServiceError("The date to extend to must be in the future", field="until")
    if not reason.strip():
        raise ServiceError("Enter why the referral is being extended", field="reason")
    now = clock.now()
    saved = _keep_alive_set(referral, by, {"extended_until": until})
    _event_add(
        saved,
        by=by,
        kind=ReferralEventKind.EXTENDED,
        at=now,
        detail=f"Extended until {until:%-d %B %Y}: {reason.strip()[:400]}",
    )
    audit_record(
        actor=by, action=AuditAction.CHANGE, obj=saved, detail={"extended_until": str(until)}
    )
    return saved


# --- who in the unit has picked a referral up ---------------------------------------------


def person_label(user: Any) -> str:
    """How a person is named to colleagues: their full name, else their email."""
    return _label(user)


def _assignee_name(user: Any) -> str:
    return _label(user) if user is not None else "nobody"


def _assign(
    referral: Referral, *, by: Any, to: Any, expected_id: int | None, detail: str
) -> Referral:
    """Give the referral to ``to`` only if it is still open and still held by ``expected_id``.

    A conditional UPDATE, so of two people acting at once exactly one wins (on SQLite
    too); the other is told who has the referral now.
    """
    now = clock.now()
    changed = Referral.objects.filter(
        pk=referral.pk, status__in=OPEN, assigned_to_id=expected_id
    ).update(assigned_to=to, assigned_at=now, modified_at=now)
    if changed != 1:
        current = Referral.objects.select_related("assigned_to").get(pk=referral.pk)
        if current.status not in OPEN:
            raise ServiceError("This referral is finished: nobody needs to pick it up")
        if current.assigned_to_id == getattr(to, "pk", None):
            raise ConflictError(
                "You already have this referral"
                if to == by
                else f"{_assignee_name(current.assigned_to)} already has this referral"
            )
        raise ConflictError(
            f"{_assignee_name(current.assigned_to)} has already picked up this referral"
            if current.assigned_to is not None
            else "Nobody has this referral any more: it was handed back. Check and try again"
        )
    saved = Referral.objects.select_related("local_authority", "assigned_to").get(pk=referral.pk)
    _event_add(saved, by=by, kind=ReferralEventKind.ASSIGNED, at=now, detail=detail)
    audit_record(
        actor=by,
        action=AuditAction.CHANGE,
        obj=saved,
        detail={"assigned_to": to.pk, "was_assigned_to": expected_id},
    )
    return saved


@entry_point
def referral_take(*, referral: Referral, by: Any) -> Referral:
    """A coordinator picks up a referral nobody has yet."""
    require(by, "referral.take", referral)
    return _assign(referral, by=by, to=by, expected_id=None, detail=f"Taken by {_label(by)}")


@entry_point
def referral_hand_over(
    *, referral: Referral, by: Any, to: Any, expected_id: int | None
) -> Referral:
    """Hand a referral to someone in the unit (or take it from a colleague).

    ``expected_id`` is who had it when the person looked: if it has changed
    hands since, nothing is changed and they are told who has it now.
    """
    require(by, "referral.hand_over", referral)
    if to is None or not to.is_active or not user_can(to, "referral.take", referral):
        raise ServiceError("Choose someone in the unit to hand the referral to", field="to")
    if expected_id is not None and expected_id == to.pk:
        raise ServiceError(f"{_label(to)} already has this referral", field="to")
    return _assign(
        referral,
        by=by,
        to=to,
        expected_id=expected_id,
        detail=f"Handed to {_label(to)}" if to != by else f"Taken over by {_label(by)}",
    )


@dataclass
class LapseReport:
    update_reminders: int = 0
    review_reminders: int = 0
    lapsed: int = 0


def referrals_lapse_and_remind(now: dt.datetime | None = None) -> LapseReport:
    """For the scheduler: remind authorities of updates and reviews due; lapse the silent.

    Each reminder is published once per due date (key ``referral:<id>:update_due:<due>``);
    a lapsed referral is no longer searched until the authority updates or
    reviews it, or the unit extends it. Safe to run as often as you like.
    """
    now = now or clock.now()
    report = LapseReport()
    candidates = Referral.objects.filter(status__in=OPEN, completed_at__isnull=False).only("pk")
    for pk in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            _lapse_and_remind_one(pk, now, report)
    return report


def _lapse_and_remind_one(pk: int, now: dt.datetime, report: LapseReport) -> None:
    referral = Referral.objects.select_related("local_authority").get(pk=pk)
    if referral.status not in OPEN or referral.completed_at is None:
        return
    due = keep_alive_of(
        completed_at=referral.completed_at,
        last_update_at=referral.last_update_at,
        last_reviewed_at=referral.last_reviewed_at,
        extended_until=referral.extended_until,
    )
    reminders = (
        ("update_reminded_for", due.update_due_at, EventKind.REFERRAL_UPDATE_DUE, "update"),
        ("review_reminded_for", due.review_due_at, EventKind.REFERRAL_REVIEW_DUE, "review"),
    )
    for field, due_at, kind, word in reminders:
        if now < due_at or getattr(referral, field) == due_at:
            continue
        # The conditional UPDATE makes a reminder once-only even with two schedulers.
        rows = Referral.objects.filter(pk=pk).exclude(**{field: due_at}).update(**{field: due_at})
        if rows != 1:
            continue
        _event_add(
            referral,
            by=None,
            kind=ReferralEventKind.REMINDER,
            at=now,
            detail=f"Reminder: an {word} from the authority was due"
            if word == "update"
            else "Reminder: a review of the referral was due",
        )
        event_publish(
            DomainEvent(
                kind=kind,
                key=f"referral:{pk}:{word}_due:{due_at.isoformat()}",
                occurred_at=now,
                referral_id=pk,
                local_authority_organisation_id=referral.local_authority.organisation_id,
                detail={"due_at": due_at.isoformat()},
            )
        )
        if word == "update":
            report.update_reminders += 1
        else:
            report.review_reminders += 1
    if due.lapsed(now) and referral.lapsed_at is None:
        rows = Referral.objects.filter(pk=pk, lapsed_at__isnull=True).update(lapsed_at=now)
        if rows == 1:
            _event_add(
                referral,
                by=None,
                kind=ReferralEventKind.LAPSED,
                at=now,
                detail="No update or review from the authority in time: no longer searched",
            )
            audit_record(
                actor=None, action=AuditAction.CHANGE, obj=referral, detail={"lapsed": True}
            )
            report.lapsed += 1


def referral_list_view_record(
    *, referrals: list[Referral], by: Any, request: HttpRequest | None, what: str
) -> None:
    """Audit one reading of a list that shows children's names: which referrals were shown."""
    audit_record(
        actor=by,
        action=AuditAction.VIEW,
        object_type="referrals.referral",
        object_id="list",
        request=request,
        detail={"page": what, "referral_ids": [r.pk for r in referrals]},
    )


def referral_search_record(
    *,
    search: ReferralSearch,
    referrals: list[Referral],
    by: Any,
    request: HttpRequest | None,
    what: str,
) -> None:
    """Audit one search: what was asked (never a child's name) and which referrals it showed."""
    audit_record(
        actor=by,
        action=AuditAction.VIEW,
        object_type="referrals.referral",
        object_id="search",
        request=request,
        detail={
            "page": what,
            "criteria": search.audit_detail(),
            "referral_ids": [r.pk for r in referrals],
        },
    )


def local_authority_for_code(code: str) -> LocalAuthority:
    """The authority with this three-digit DfE code; a clear ServiceError when there is none."""
    code = (code or "").strip()
    if not (len(code) == 3 and code.isdigit()):
        raise ServiceError(
            "Enter the authority's DfE code as three digits, like 850", field="local_authority"
        )
    local_authority = LocalAuthority.objects.filter(dfe_la_code=code).first()
    if local_authority is None:
        raise ServiceError(
            f"There is no local authority with DfE code {code}", field="local_authority"
        )
    return local_authority


def referral_view_record(
    *, referral: Referral, by: Any, request: HttpRequest | None, what: str
) -> None:
    """Audit one reading of a referral's personal data (every page that shows it calls this)."""
    audit_record(
        actor=by, action=AuditAction.VIEW, obj=referral, request=request, detail={"page": what}
    )


# --- scheduled work (called every minute by swc.scheduling) ------------------------------

LIST_OVERDUE_AFTER = dt.timedelta(minutes=90)


def referrals_due_publish(now: dt.datetime) -> dict[str, int]:
    """The referrals' scheduled work: lists overdue, updates and reviews due, lapses.

    A complete referral with no list after 90 minutes of office time tells the unit
    manager (office time, like the KPI it warns about, so that a referral completed at
    16:55 does not wake the manager at 18:25). Every event's key names its occurrence.
    """
    published: dict[str, int] = {}
    candidates = Referral.objects.filter(
        status=Status.COMPLETE,
        list_provided_at__isnull=True,
        completed_at__isnull=False,
        completed_at__lte=now - LIST_OVERDUE_AFTER,
    ).values_list("pk", "completed_at", "local_authority__organisation_id")
    for pk, completed_at, organisation_id in candidates:
        if completed_at is None or office_hours_between(completed_at, now) < LIST_OVERDUE_AFTER:
            continue
        with transaction.atomic():
            event_publish(
                DomainEvent(
                    kind=EventKind.REFERRAL_LIST_OVERDUE,
                    key=f"referral:{pk}:list_overdue:{completed_at.isoformat()}",
                    occurred_at=now,
                    referral_id=pk,
                    local_authority_organisation_id=organisation_id,
                )
            )
        published[EventKind.REFERRAL_LIST_OVERDUE] = (
            published.get(EventKind.REFERRAL_LIST_OVERDUE, 0) + 1
        )
    lapse = referrals_lapse_and_remind(now)
    published[EventKind.REFERRAL_UPDATE_DUE] = lapse.update_reminders
    published[EventKind.REFERRAL_REVIEW_DUE] = lapse.review_reminders
    return published
